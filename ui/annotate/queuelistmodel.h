#pragma once

#include "annotation/queuestore.h"
#include "common/localtime.h"

#include <QAbstractTableModel>
#include <QList>

namespace ts {

/// A queue with where the current annotator stands in it.
struct QueueRow
{
    QueueInfo info;
    QueueProgress progress;
};

/// The project's review queues, newest first: name, kind, items, your progress, created.
class QueueListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Kind, Items, Progress, Created, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, DoneRole, TotalRole };

    explicit QueueListModel(QObject *parent = nullptr);

    void setRows(const QList<QueueRow> &rows);
    const QList<QueueRow> &rows() const { return m_rows; }
    const QueueRow *rowAt(int row) const;
    int rowOf(qint64 queueId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<QueueRow> m_rows;
};

} // namespace ts
