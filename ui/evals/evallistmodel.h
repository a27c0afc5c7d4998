#pragma once

#include "common/error.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace ts {

class Database;

/// One eval of the project as the list shows it.
struct EvalListEntry
{
    qint64 id = 0;
    QString name;
    QString status; ///< pending, running, completed, cancelled, failed
    QString dataset;
    int variants = 0;
    int samples = 1;
    QString createdAt;
    int evaluated = 0; ///< generations with a verdict
    int passed = 0;

    /// Running and cancelled evals can be continued.
    bool resumable() const;
};

/// Every eval of the project, newest first (evals, eval_variants, case_verdicts).
Result<QList<EvalListEntry>> listEvals(Database &db);

/// The past evals of the project: name, dataset, variants, status, pass rate, date.
class EvalListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    /// Name shows the name and, on a second line, status, pass rate, dataset and date.
    enum Column { Name, Status, PassRate, Created, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };

    explicit EvalListModel(QObject *parent = nullptr);

    void setEntries(const QList<EvalListEntry> &entries);
    const QList<EvalListEntry> &entries() const { return m_entries; }
    const EvalListEntry *entryAt(int row) const;
    int rowOf(qint64 evalId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<EvalListEntry> m_entries;
};

} // namespace ts
