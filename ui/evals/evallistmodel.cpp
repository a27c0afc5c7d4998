#include "evals/evallistmodel.h"

#include "common/localtime.h"
#include "evals/counted.h"
#include "storage/database.h"
#include "storage/statement.h"


namespace ts {

bool EvalListEntry::resumable() const
{
    return status == QLatin1String("running") || status == QLatin1String("cancelled")
        || status == QLatin1String("pending") || status == QLatin1String("failed");
}

Result<QList<EvalListEntry>> listEvals(Database &db)
{
    auto stmt = db.prepare(QStringLiteral(
        "SELECT e.id, e.name, e.status, coalesce(d.name, ''), e.samples, e.created_at,"
        " (SELECT count(*) FROM eval_variants v WHERE v.eval_id = e.id),"
        " (SELECT count(*) FROM eval_variants v JOIN generations g ON g.run_id = v.run_id"
        "   JOIN case_verdicts c ON c.generation_id = g.id WHERE v.eval_id = e.id),"
        " (SELECT count(*) FROM eval_variants v JOIN generations g ON g.run_id = v.run_id"
        "   JOIN case_verdicts c ON c.generation_id = g.id WHERE v.eval_id = e.id AND c.pass)"
        " FROM evals e LEFT JOIN datasets d ON d.id = e.dataset_id ORDER BY e.id DESC"));
    if (!stmt)
        return fail(stmt.error());
    return stmt->all([](const Statement &row) {
        EvalListEntry e;
        e.id = row.int64(0);
        e.name = row.text(1);
        e.status = row.text(2);
        e.dataset = row.text(3);
        e.samples = int(row.int64(4));
        e.createdAt = row.text(5);
        e.variants = int(row.int64(6));
        e.evaluated = int(row.int64(7));
        e.passed = int(row.int64(8));
        return e;
    });
}

EvalListModel::EvalListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void EvalListModel::setEntries(const QList<EvalListEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

const EvalListEntry *EvalListModel::entryAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries[row] : nullptr;
}

int EvalListModel::rowOf(qint64 evalId) const
{
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries[row].id == evalId)
            return row;
    return -1;
}

int EvalListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int EvalListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvalListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const EvalListEntry &e = m_entries[index.row()];
    if (role == IdRole)
        return e.id;
    if (role == Qt::ToolTipRole)
        return QString(
            tr("Eval #%1 on %2: %3")
                .arg(e.id)
                .arg(e.dataset, counted(e.variants, tr("variant"), tr("variants")))
            + (e.samples > 1 ? tr(", %1 samples per case").arg(e.samples) : QString())
            + (e.resumable() ? tr("\nUnfinished: select it and press Resume.") : QString()));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name: {
        QStringList second {e.status};
        if (e.evaluated)
            second << tr("%1% pass").arg(qRound(100.0 * e.passed / e.evaluated));
        second << data(index.siblingAtColumn(Created), role).toString();
        return QString((e.name.isEmpty() ? tr("#%1 · %2").arg(e.id).arg(e.dataset) : e.name)
                       + QLatin1Char('\n') + second.join(QStringLiteral(" · ")));
    }
    case Status:
        return e.status;
    case PassRate:
        return e.evaluated ? QStringLiteral("%1%").arg(qRound(100.0 * e.passed / e.evaluated))
                           : QString();
    case Created:
        return shortLocalTime(e.createdAt);
    default:
        return {};
    }
}

QVariant EvalListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Eval");
    case Status:
        return tr("Status");
    case PassRate:
        return tr("Pass");
    case Created:
        return tr("Started");
    default:
        return {};
    }
}

} // namespace ts
