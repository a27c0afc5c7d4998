#include "annotate/queuelistmodel.h"

#include <QLocale>

namespace ts {

QueueListModel::QueueListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void QueueListModel::setRows(const QList<QueueRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

const QueueRow *QueueListModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

int QueueListModel::rowOf(qint64 queueId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].info.id == queueId)
            return i;
    return -1;
}

int QueueListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int QueueListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QueueRow &r = m_rows[index.row()];
    if (role == IdRole)
        return r.info.id;
    if (role == DoneRole)
        return r.progress.done;
    if (role == TotalRole)
        return r.progress.total;
    if (role == Qt::TextAlignmentRole)
        return index.column() == Items || index.column() == Progress
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Name) {
        QStringList criteria;
        for (const CriterionVersion &c : r.info.criteria)
            criteria << c.name;
        return tr("%1\nCriteria: %2\nOverlap: %3 annotator(s) per item%4")
            .arg(r.info.name, criteria.isEmpty() ? tr("none") : criteria.join(QStringLiteral(", ")))
            .arg(r.info.overlap)
            .arg(r.info.blind ? tr("\nBlind: model and prompt hidden") : QString());
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return r.info.name;
    case Kind:
        return r.info.kind == QueueKind::Pairwise
            ? (r.info.blind ? tr("Pairwise, blind") : tr("Pairwise"))
            : (r.info.dailyDate ? tr("Daily check") : tr("Yes / no"));
    case Items:
        return QLocale().toString(r.info.itemCount);
    case Progress:
        if (r.progress.total == 0)
            return QStringLiteral("—");
        if (r.progress.done >= r.progress.total)
            return tr("Done");
        return tr("%1 of %2").arg(r.progress.done).arg(r.progress.total);
    case Created:
        return shortLocalTime(r.info.createdAt);
    }
    return {};
}

QVariant QueueListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Queue");
    case Kind:
        return tr("Kind");
    case Items:
        return tr("Items");
    case Progress:
        return tr("Your progress");
    case Created:
        return tr("Created");
    }
    return {};
}

} // namespace ts
