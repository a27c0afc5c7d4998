#pragma once

#include "datasets/datasetstore.h"

#include <QAbstractTableModel>
#include <QStringList>

namespace ts {

/// The test cases of one dataset as an editable table: one column per variable (the union
/// of the cases' keys, in first-seen order), then expected output, tags, description and
/// source. JSON values are shown compactly; strings as they are. Edits are not written here:
/// caseEdited() carries the new content to whoever saves it.
class CaseTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Fixed { Expected, Tags, Description, Source };
    static constexpr int fixedColumns = 4;

    explicit CaseTableModel(QObject *parent = nullptr);

    /// Replaces the snapshot (the column set follows the variables).
    void setCases(const QList<TestCase> &cases);
    /// Puts a saved case back in place (or appends a new one).
    void updateCase(const TestCase &testCase);
    const QList<TestCase> &cases() const { return m_cases; }
    const TestCase *caseAt(int row) const;
    int rowOf(qint64 caseId) const;
    QStringList variables() const { return m_variables; }
    /// The fixed column (-1 for a variable column).
    int fixedColumn(Fixed which) const { return int(m_variables.size()) + int(which); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    /// How a value reads in a cell: strings as-is, anything else as compact JSON.
    static QString compact(const nlohmann::json &value);
    /// What an edited cell means: JSON when it parses as a non-string value and the cell did
    /// not hold a string before, else the text itself.
    static nlohmann::json parseCell(const QString &text, const nlohmann::json &previous);

Q_SIGNALS:
    /// The user changed a cell of `column`: the case's whole content before and after.
    void caseEdited(qint64 caseId, const ts::TestCaseData &before, const ts::TestCaseData &after,
                    int column);

private:
    QStringList collectVariables() const;

    QList<TestCase> m_cases;
    QStringList m_variables;
};

} // namespace ts
