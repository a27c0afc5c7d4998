#include "annotation/queuestore.h"

#include "common/json.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QHash>
#include <QSet>
#include <QVarLengthArray>

#include <limits>

namespace ts {

namespace {

// Whether annotator ?1 completed item `qi` (SQL, used in several queries).
const QString completedSql = QStringLiteral(
    "(CASE WHEN qi.b_kind IS NULL THEN "
    " (SELECT count(DISTINCT v.criterion_id) FROM labels l "
    "  JOIN criterion_versions v ON v.id = l.criterion_version_id "
    "  WHERE l.target_kind = qi.a_kind AND l.target_id = qi.a_id AND l.annotator = ?1 "
    "  AND v.criterion_id IN (SELECT criterion_id FROM queue_criteria WHERE queue_id = "
    "qi.queue_id))"
    " >= (SELECT count(*) FROM queue_criteria WHERE queue_id = qi.queue_id) "
    "ELSE EXISTS (SELECT 1 FROM preferences p WHERE p.a_kind = qi.a_kind AND p.a_id = qi.a_id "
    "  AND p.b_kind = qi.b_kind AND p.b_id = qi.b_id AND p.annotator = ?1 "
    "  AND p.criterion_version_id = 0) END)");

// How many other annotators labeled item `qi`.
const QString othersSql = QStringLiteral(
    "(CASE WHEN qi.b_kind IS NULL THEN "
    " (SELECT count(DISTINCT l.annotator) FROM labels l "
    "  JOIN criterion_versions v ON v.id = l.criterion_version_id "
    "  WHERE l.target_kind = qi.a_kind AND l.target_id = qi.a_id AND l.annotator <> ?1 "
    "  AND v.criterion_id IN (SELECT criterion_id FROM queue_criteria WHERE queue_id = "
    "qi.queue_id))"
    "ELSE (SELECT count(DISTINCT p.annotator) FROM preferences p WHERE p.a_kind = qi.a_kind "
    "  AND p.a_id = qi.a_id AND p.b_kind = qi.b_kind AND p.b_id = qi.b_id "
    "  AND p.annotator <> ?1) END)");

const QString itemColumns = QStringLiteral(
    "qi.id, qi.queue_id, qi.position, qi.a_kind, qi.a_id, qi.b_kind, qi.b_id, qi.input, "
    "qi.output_a, qi.output_b, qi.context");

QueueItem itemFrom(const Statement &s)
{
    QueueItem item;
    item.id = s.int64(0);
    item.queueId = s.int64(1);
    item.position = int(s.int64(2));
    item.a = Target {Target::parseKind(s.text(3)).value_or(Target::Kind::Generation), s.int64(4)};
    if (auto kind = s.optionalText(5))
        item.b = Target {Target::parseKind(*kind).value_or(Target::Kind::Generation), s.int64(6)};
    item.input = parseJson(s.text(7)).value_or(nlohmann::json::object());
    item.outputA = s.optionalText(8);
    item.outputB = s.optionalText(9);
    item.context = parseJson(s.text(10)).value_or(nlohmann::json::object());
    return item;
}

const QString queueColumns = QStringLiteral(
    "q.id, q.name, q.kind, q.overlap, q.blind, q.origin, q.daily_date, q.pack_id, q.created_at, "
    "(SELECT count(*) FROM queue_items WHERE queue_id = q.id)");

QueueInfo queueFrom(const Statement &s)
{
    QueueInfo q;
    q.id = s.int64(0);
    q.name = s.text(1);
    q.kind = s.text(2) == QLatin1String("pairwise") ? QueueKind::Pairwise : QueueKind::Binary;
    q.overlap = int(s.int64(3));
    q.blind = s.int64(4) != 0;
    q.origin = parseJson(s.text(5)).value_or(nlohmann::json::object());
    q.dailyDate = s.optionalText(6);
    q.packId = s.optionalText(7);
    q.createdAt = s.text(8);
    q.itemCount = int(s.int64(9));
    return q;
}

/// Who has done what in a binary queue, computed by merging sorted index scans instead of
/// running the label subqueries once per item (those made reopening a 10,000-item queue and
/// its progress bar take ~20 ms). Per target of the queue it knows whether the annotator
/// answered every criterion of the queue and how many others labeled it: exactly what
/// completedSql and othersSql say about a binary item.
struct BinaryCompletion
{
    struct State
    {
        qint64 itemId = 0;
        bool complete = false;
        int others = 0;
    };
    QList<State> items; ///< every binary item of the queue
};

Result<BinaryCompletion> binaryCompletion(Database &db, qint64 queueId, const QString &annotator)
{
    // The queue's criteria and every version of them (labels point at versions).
    auto versions = db.prepare(QStringLiteral(
        "SELECT v.id, qc.criterion_id FROM queue_criteria qc JOIN criterion_versions v "
        "ON v.criterion_id = qc.criterion_id WHERE qc.queue_id = ?"));
    if (!versions)
        return fail(versions.error());
    versions->bind(1, queueId);
    auto pairs
        = versions->all([](const Statement &s) { return qMakePair(s.int64(0), s.int64(1)); });
    if (!pairs)
        return fail(pairs.error());
    auto criteriaCount
        = db.prepare(QStringLiteral("SELECT count(*) FROM queue_criteria WHERE queue_id = ?"));
    if (!criteriaCount)
        return fail(criteriaCount.error());
    criteriaCount->bind(1, queueId);
    auto needed = criteriaCount->one([](const Statement &s) { return s.int64(0); },
                                     QStringLiteral("criteria"));
    if (!needed)
        return fail(needed.error());
    QHash<qint64, qint64> criterionOf; // version id -> criterion id
    for (const auto &[version, criterion] : *pairs)
        criterionOf.insert(version, criterion);

    auto targets = db.prepare(QStringLiteral(
        "SELECT a_id, id FROM queue_items WHERE queue_id = ? AND a_kind = ? AND b_kind IS NULL "
        "ORDER BY a_id"));
    auto labels = db.prepare(QStringLiteral(
        "SELECT target_id, criterion_version_id, CASE WHEN annotator = ? THEN NULL ELSE "
        "annotator END FROM labels WHERE target_kind = ? AND target_id BETWEEN ? AND ? "
        "ORDER BY target_id"));
    if (!targets)
        return fail(targets.error());
    if (!labels)
        return fail(labels.error());
    BinaryCompletion out;
    for (const QString &kind :
         {QStringLiteral("generation"), QStringLiteral("log"), QStringLiteral("case")}) {
        targets->reset();
        targets->bind(1, queueId).bind(2, kind);
        auto items
            = targets->all([](const Statement &s) { return qMakePair(s.int64(0), s.int64(1)); });
        if (!items)
            return fail(items.error());
        if (items->isEmpty())
            continue;
        labels->reset();
        labels->bind(1, annotator)
            .bind(2, kind)
            .bind(3, items->first().first)
            .bind(4, items->last().first);
        // Both lists are sorted by target id: one merge pass.
        auto row = labels->step();
        for (const auto &[targetId, itemId] : *items) {
            QVarLengthArray<qint64, 8> mine; // criteria this annotator answered
            QVarLengthArray<QString, 4> others;
            while (row && *row && labels->int64(0) <= targetId) {
                const auto criterion = criterionOf.constFind(labels->int64(1));
                if (labels->int64(0) == targetId && criterion != criterionOf.cend()) {
                    if (auto who = labels->optionalText(2)) {
                        if (!others.contains(*who))
                            others.append(*who);
                    } else if (!mine.contains(*criterion)) {
                        mine.append(*criterion);
                    }
                }
                row = labels->step();
            }
            if (!row)
                return fail(row.error());
            out.items.append({itemId, mine.size() >= *needed, int(others.size())});
        }
    }
    return out;
}

} // namespace

QString QueueItem::key() const
{
    return b ? a.key() + QLatin1Char('|') + b->key() : a.key();
}

QString queueKindName(QueueKind kind)
{
    return kind == QueueKind::Pairwise ? QStringLiteral("pairwise") : QStringLiteral("binary");
}

QueueStore::QueueStore(Database &db)
    : m_db(db)
{
}

Result<QueueInfo> QueueStore::create(const QueueSpec &spec, const QList<QueueItem> &items)
{
    const QString name = spec.name.trimmed();
    if (name.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A queue needs a name."));
    if (spec.kind == QueueKind::Binary && spec.criteria.isEmpty())
        return fail(
            ErrorCode::InvalidArgument,
            QStringLiteral("Queue \"%1\" needs at least one criterion to label.").arg(name));
    if (spec.overlap < 1)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Overlap must be 1 or more."));
    if (queue(name))
        return fail(ErrorCode::AlreadyExists,
                    QStringLiteral("A queue named \"%1\" already exists.").arg(name));
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO queues (name, kind, overlap, blind, origin, daily_date, pack_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!st)
        return fail(st.error());
    st->bind(1, name).bind(2, queueKindName(spec.kind)).bind(3, spec.overlap).bind(4, spec.blind);
    st->bind(5, toJsonText(spec.origin))
        .bind(6, spec.dailyDate)
        .bind(7, spec.packId)
        .bind(8, nowUtc());
    if (auto ok = st->run(); !ok)
        return fail(ok.error());
    const qint64 queueId = m_db.lastInsertId();

    CriterionStore criteria(m_db);
    auto link = m_db.prepare(QStringLiteral("INSERT OR IGNORE INTO queue_criteria (queue_id, "
                                            "criterion_id, position) VALUES (?, ?, ?)"));
    if (!link)
        return fail(link.error());
    int position = 0;
    for (const QString &criterion : spec.criteria) {
        auto c = criteria.ensure(criterion);
        if (!c)
            return fail(c.error());
        link->reset();
        link->bind(1, queueId).bind(2, c->criterionId).bind(3, position++);
        if (auto ok = link->run(); !ok)
            return fail(ok.error());
    }

    auto add = m_db.prepare(QStringLiteral(
        "INSERT OR IGNORE INTO queue_items (queue_id, position, a_kind, a_id, b_kind, b_id, input, "
        "output_a, output_b, context) VALUES (?,?,?,?,?,?,?,?,?,?)"));
    if (!add)
        return fail(add.error());
    int itemPosition = 0;
    QSet<QString> seen;
    for (const QueueItem &item : items) {
        if ((spec.kind == QueueKind::Pairwise) != item.b.has_value())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("Item %1 does not fit a %2 queue.")
                            .arg(item.key(), queueKindName(spec.kind)));
        if (seen.contains(item.key()))
            continue;
        seen.insert(item.key());
        add->reset();
        add->bind(1, queueId).bind(2, itemPosition++).bind(3, item.a.kindName()).bind(4, item.a.id);
        if (item.b)
            add->bind(5, item.b->kindName()).bind(6, item.b->id);
        else
            add->bindNull(5).bindNull(6);
        add->bind(7, toJsonText(item.input)).bind(8, item.outputA).bind(9, item.outputB);
        add->bind(10, toJsonText(item.context));
        if (auto ok = add->run(); !ok)
            return fail(ok.error());
    }
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    return queue(queueId);
}

Result<QList<QueueInfo>> QueueStore::list()
{
    auto st
        = m_db.prepare(QStringLiteral("SELECT ") + queueColumns
                       + QStringLiteral(" FROM queues q ORDER BY q.created_at DESC, q.id DESC"));
    if (!st)
        return fail(st.error());
    auto queues = st->all(queueFrom);
    if (!queues)
        return queues;
    for (QueueInfo &q : *queues) {
        auto full = queue(q.id);
        if (!full)
            return fail(full.error());
        q.criteria = full->criteria;
    }
    return queues;
}

Result<QueueInfo> QueueStore::queue(const QString &name)
{
    auto st = m_db.prepare(QStringLiteral("SELECT id FROM queues WHERE name = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, name);
    auto id = st->one([](const Statement &s) { return s.int64(0); },
                      QStringLiteral("No queue named \"%1\".").arg(name));
    if (!id)
        return fail(id.error());
    return queue(*id);
}

Result<QueueInfo> QueueStore::queue(qint64 id)
{
    auto st = m_db.prepare(QStringLiteral("SELECT ") + queueColumns
                           + QStringLiteral(" FROM queues q WHERE q.id = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, id);
    auto q = st->one(queueFrom, QStringLiteral("No queue %1.").arg(id));
    if (!q)
        return q;
    auto c = m_db.prepare(QStringLiteral(
        "SELECT criterion_id FROM queue_criteria WHERE queue_id = ? ORDER BY position"));
    if (!c)
        return fail(c.error());
    c->bind(1, id);
    auto ids = c->all([](const Statement &s) { return s.int64(0); });
    if (!ids)
        return fail(ids.error());
    CriterionStore criteria(m_db);
    for (qint64 criterionId : *ids) {
        auto v = criteria.latest(criterionId);
        if (!v)
            return fail(v.error());
        q->criteria.append(*v);
    }
    return q;
}

Result<void> QueueStore::remove(qint64 id)
{
    auto st = m_db.prepare(QStringLiteral("DELETE FROM queues WHERE id = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, id);
    return st->run();
}

Result<QList<QueueItem>> QueueStore::items(qint64 queueId, int limit, qint64 offset)
{
    auto st = m_db.prepare(QStringLiteral("SELECT ") + itemColumns
                           + QStringLiteral(" FROM queue_items qi WHERE qi.queue_id = ? "
                                            "ORDER BY qi.position LIMIT ? OFFSET ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, queueId).bind(2, qint64(limit)).bind(3, offset);
    return st->all(itemFrom);
}

Result<QueueItem> QueueStore::item(qint64 itemId)
{
    auto st = m_db.prepare(QStringLiteral("SELECT ") + itemColumns
                           + QStringLiteral(" FROM queue_items qi WHERE qi.id = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, itemId);
    return st->one(itemFrom, QStringLiteral("No queue item %1.").arg(itemId));
}

Result<std::optional<QueueItem>> QueueStore::itemAt(qint64 queueId, int position)
{
    auto st = m_db.prepare(QStringLiteral("SELECT ") + itemColumns
                           + QStringLiteral(" FROM queue_items qi WHERE qi.queue_id = ? AND "
                                            "qi.position = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, queueId).bind(2, position);
    auto row = st->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return std::optional<QueueItem>();
    return std::optional<QueueItem>(itemFrom(*st));
}

Result<std::optional<QueueItem>> QueueStore::next(qint64 queueId, const QString &annotator,
                                                  int fromPosition)
{
    // Labeling in order, the next item is one of the next few: ask SQL about those alone.
    constexpr int window = 32;
    auto st
        = m_db.prepare(QStringLiteral("SELECT ") + itemColumns
                       + QStringLiteral(" FROM queue_items qi JOIN queues q ON q.id = qi.queue_id "
                                        "WHERE qi.queue_id = ?2 AND qi.position >= ?3 AND "
                                        "qi.position < ?4 AND NOT ")
                       + completedSql + QStringLiteral(" AND ") + othersSql
                       + QStringLiteral(" < q.overlap ORDER BY qi.position LIMIT 1"));
    if (!st)
        return fail(st.error());
    st->bind(1, annotator).bind(2, queueId).bind(3, fromPosition);
    st->bind(4, qint64(fromPosition) + window);
    auto row = st->step();
    if (!row)
        return fail(row.error());
    if (*row)
        return std::optional<QueueItem>(itemFrom(*st));
    auto info = m_db.prepare(QStringLiteral("SELECT kind, overlap FROM queues WHERE id = ?"));
    if (!info)
        return fail(info.error());
    info->bind(1, queueId);
    auto found = info->step();
    if (!found)
        return fail(found.error());
    if (!*found)
        return std::optional<QueueItem>();
    const int overlap = int(info->int64(1));
    if (info->text(0) == QLatin1String("pairwise")) {
        // Pairwise queues are labeled one choice per item: the SQL over the rest.
        st->reset();
        st->bind(1, annotator).bind(2, queueId).bind(3, qint64(fromPosition) + window);
        st->bind(4, std::numeric_limits<qint64>::max());
        row = st->step();
        if (!row)
            return fail(row.error());
        return *row ? std::optional<QueueItem>(itemFrom(*st)) : std::optional<QueueItem>();
    }
    // Further on: which items are open, from the index scans, then the first of them by
    // position (the position index holds the item ids, so this reads no item rows).
    auto completion = binaryCompletion(m_db, queueId, annotator);
    if (!completion)
        return fail(completion.error());
    QSet<qint64> open;
    open.reserve(completion->items.size());
    for (const BinaryCompletion::State &state : completion->items)
        if (!state.complete && state.others < overlap)
            open.insert(state.itemId);
    if (open.isEmpty())
        return std::optional<QueueItem>();
    auto order = m_db.prepare(QStringLiteral(
        "SELECT id FROM queue_items WHERE queue_id = ? AND position >= ? ORDER BY position"));
    if (!order)
        return fail(order.error());
    order->bind(1, queueId).bind(2, qint64(fromPosition) + window);
    for (;;) {
        auto more = order->step();
        if (!more)
            return fail(more.error());
        if (!*more)
            return std::optional<QueueItem>();
        if (open.contains(order->int64(0))) {
            auto shown = item(order->int64(0));
            if (!shown)
                return fail(shown.error());
            return std::optional<QueueItem>(std::move(*shown));
        }
    }
}

Result<bool> QueueStore::isComplete(const QueueItem &item, const QString &annotator)
{
    auto st = m_db.prepare(QStringLiteral("SELECT ") + completedSql
                           + QStringLiteral(" FROM queue_items qi WHERE qi.id = ?2"));
    if (!st)
        return fail(st.error());
    st->bind(1, annotator).bind(2, item.id);
    return st->one([](const Statement &s) { return s.int64(0) != 0; }, QStringLiteral("item"));
}

Result<QueueProgress> QueueStore::progress(qint64 queueId, const QString &annotator)
{
    auto kind = m_db.prepare(QStringLiteral("SELECT kind FROM queues WHERE id = ?"));
    if (!kind)
        return fail(kind.error());
    kind->bind(1, queueId);
    auto binary = kind->step();
    if (!binary)
        return fail(binary.error());
    if (*binary && kind->text(0) == QLatin1String("binary")) {
        auto completion = binaryCompletion(m_db, queueId, annotator);
        if (!completion)
            return fail(completion.error());
        QueueProgress progress;
        progress.total = int(completion->items.size());
        for (const BinaryCompletion::State &state : completion->items)
            progress.done += state.complete ? 1 : 0;
        return progress;
    }
    auto st = m_db.prepare(QStringLiteral("SELECT count(*), coalesce(sum(") + completedSql
                           + QStringLiteral("), 0) FROM queue_items qi WHERE qi.queue_id = ?2"));
    if (!st)
        return fail(st.error());
    st->bind(1, annotator).bind(2, queueId);
    return st->one(
        [](const Statement &s) {
            return QueueProgress {int(s.int64(0)), int(s.int64(1))};
        },
        QStringLiteral("progress"));
}

Result<QSet<QString>> QueueStore::reviewedTargetKeys()
{
    auto st
        = m_db.prepare(QStringLiteral("SELECT qi.a_kind || ':' || qi.a_id FROM queue_items qi JOIN "
                                      "queues q ON q.id = qi.queue_id "
                                      "WHERE q.daily_date IS NOT NULL "
                                      "UNION SELECT target_kind || ':' || target_id FROM labels "
                                      "UNION SELECT a_kind || ':' || a_id FROM preferences"));
    if (!st)
        return fail(st.error());
    auto keys = st->all([](const Statement &s) { return s.text(0); });
    if (!keys)
        return fail(keys.error());
    return QSet<QString>(keys->begin(), keys->end());
}

} // namespace ts
