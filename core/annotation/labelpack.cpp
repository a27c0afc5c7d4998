#include "annotation/labelpack.h"

#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "annotation/queuestore.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QFile>
#include <QHash>
#include <QSet>
#include <QUuid>

namespace ts::labelpack {

namespace {

const QString metaKey = QStringLiteral("label_pack");

/// A note or a correction: text one annotator wrote about a target.
struct TargetText
{
    QString kind;
    qint64 id = 0;
    QString annotator;
    QString text;
    QString createdAt;
};

Result<QList<TargetText>> readTexts(Database &db, const QString &table, const QString &column)
{
    auto st = db.prepare(QStringLiteral("SELECT target_kind, target_id, annotator, %1, created_at "
                                        "FROM %2 ORDER BY created_at")
                             .arg(column, table));
    if (!st)
        return fail(st.error());
    return st->all([](const Statement &s) {
        return TargetText {s.text(0), s.int64(1), s.text(2), s.text(3), s.text(4)};
    });
}

/// Inserts unless this annotator already wrote one on the target; true when added.
Result<bool> addTextIfAbsent(Database &db, const QString &table, const QString &column,
                             const TargetText &t)
{
    auto st = db.prepare(QStringLiteral("INSERT OR IGNORE INTO %1 (target_kind, target_id, "
                                        "annotator, %2, created_at) VALUES (?, ?, ?, ?, ?)")
                             .arg(table, column));
    if (!st)
        return fail(st.error());
    st->bind(1, t.kind).bind(2, t.id).bind(3, t.annotator).bind(4, t.text).bind(5, t.createdAt);
    if (auto ok = st->run(); !ok)
        return fail(ok.error());
    return db.changes() > 0;
}

/// Everything about one queue that travels in a pack.
struct PackContent
{
    QueueInfo queue;
    QList<QueueItem> items;
    QList<CriterionVersion> criterionVersions; ///< every wording, oldest first per criterion
    QList<Label> labels;
    QList<Preference> preferences;
    QList<TargetText> notes;
    QList<TargetText> corrections;
};

/// The queue's items, the wordings of its criteria and what people said about its items.
Result<PackContent> readQueue(Database &db, const QueueInfo &queue)
{
    PackContent c;
    c.queue = queue;
    auto items = QueueStore(db).items(queue.id);
    if (!items)
        return fail(items.error());
    c.items = *items;

    QSet<QString> targets; // every target an item shows
    QSet<QString> pairs; // "a|b" of pairwise items
    for (const QueueItem &item : std::as_const(c.items)) {
        targets.insert(item.a.key());
        if (item.b) {
            targets.insert(item.b->key());
            pairs.insert(item.key());
        }
    }

    CriterionStore criteria(db);
    QSet<qint64> criterionIds;
    for (const CriterionVersion &latest : queue.criteria) {
        auto history = criteria.history(latest.name);
        if (!history)
            return fail(history.error());
        c.criterionVersions += *history;
        criterionIds.insert(latest.criterionId);
    }

    LabelStore store(db);
    for (qint64 criterionId : std::as_const(criterionIds)) {
        LabelQuery query;
        query.criterionId = criterionId;
        auto labels = store.labels(query);
        if (!labels)
            return fail(labels.error());
        for (const Label &l : std::as_const(*labels))
            if (targets.contains(l.target.key()))
                c.labels.append(l);
    }
    auto preferences = store.preferences();
    if (!preferences)
        return fail(preferences.error());
    for (const Preference &p : std::as_const(*preferences)) {
        if (!pairs.contains(p.a.key() + QLatin1Char('|') + p.b.key()))
            continue;
        if (p.criterionVersionId != 0) {
            auto v = criteria.version(p.criterionVersionId);
            if (!v)
                return fail(v.error());
            if (!criterionIds.contains(v->criterionId))
                continue;
        }
        c.preferences.append(p);
    }
    for (auto [list, table, column] :
         {std::tuple {&c.notes, QStringLiteral("annotation_notes"), QStringLiteral("note")},
          std::tuple {&c.corrections, QStringLiteral("corrections"), QStringLiteral("text")}}) {
        auto texts = readTexts(db, table, column);
        if (!texts)
            return fail(texts.error());
        for (const TargetText &t : std::as_const(*texts))
            if (targets.contains(t.kind + QLatin1Char(':') + QString::number(t.id)))
                list->append(t);
    }
    return c;
}

/// Maps each wording of `from` to the same wording in `to` (by name and text, keeping the
/// version numbers where they are free). Returns from-version id -> to-version id.
Result<QHash<qint64, qint64>> mapCriteria(Database &to, const QList<CriterionVersion> &versions)
{
    CriterionStore criteria(to);
    QHash<qint64, qint64> map;
    for (const CriterionVersion &v : versions) {
        auto mapped
            = criteria.ensureVersion(v.name, v.version, v.question, v.description, v.author);
        if (!mapped)
            return fail(mapped.error());
        map.insert(v.id, mapped->id);
    }
    return map;
}

struct MergeCounts
{
    int labelsAdded = 0, labelsSkipped = 0;
    int preferencesAdded = 0, preferencesSkipped = 0;
    int notesAdded = 0, notesSkipped = 0;
    int correctionsAdded = 0, correctionsSkipped = 0;
};

/// Adds `content`'s labels, choices, notes and corrections to `to` without overwriting
/// anything. `itemIds` maps an item key to the queue item in `to`.
Result<MergeCounts> merge(Database &to, const PackContent &content,
                          const QHash<qint64, qint64> &versionIds,
                          const QHash<QString, qint64> &itemIds)
{
    QHash<qint64, QString> fromItemKeys;
    for (const QueueItem &item : content.items)
        fromItemKeys.insert(item.id, item.key());
    auto itemFor = [&](const std::optional<qint64> &fromItem,
                       const QString &targetKey) -> std::optional<qint64> {
        const QString key = fromItem ? fromItemKeys.value(*fromItem, targetKey) : targetKey;
        if (itemIds.contains(key))
            return itemIds.value(key);
        return std::nullopt;
    };

    MergeCounts counts;
    LabelStore store(to);
    for (Label l : content.labels) {
        if (!versionIds.contains(l.criterionVersionId))
            return fail(ErrorCode::Corrupt,
                        QStringLiteral("A label points at criterion wording %1, which the pack "
                                       "does not carry.")
                            .arg(l.criterionVersionId));
        l.criterionVersionId = versionIds.value(l.criterionVersionId);
        l.queueItemId = itemFor(l.queueItemId, l.target.key());
        auto added = store.addLabelIfAbsent(l);
        if (!added)
            return fail(added.error());
        (*added ? counts.labelsAdded : counts.labelsSkipped) += 1;
    }
    for (Preference p : content.preferences) {
        if (p.criterionVersionId != 0) {
            if (!versionIds.contains(p.criterionVersionId))
                return fail(ErrorCode::Corrupt,
                            QStringLiteral("A pairwise choice points at criterion wording %1, "
                                           "which the pack does not carry.")
                                .arg(p.criterionVersionId));
            p.criterionVersionId = versionIds.value(p.criterionVersionId);
        }
        p.queueItemId = itemFor(p.queueItemId, p.a.key() + QLatin1Char('|') + p.b.key());
        auto added = store.addPreferenceIfAbsent(p);
        if (!added)
            return fail(added.error());
        (*added ? counts.preferencesAdded : counts.preferencesSkipped) += 1;
    }
    for (const TargetText &t : content.notes) {
        auto added
            = addTextIfAbsent(to, QStringLiteral("annotation_notes"), QStringLiteral("note"), t);
        if (!added)
            return fail(added.error());
        (*added ? counts.notesAdded : counts.notesSkipped) += 1;
    }
    for (const TargetText &t : content.corrections) {
        auto added = addTextIfAbsent(to, QStringLiteral("corrections"), QStringLiteral("text"), t);
        if (!added)
            return fail(added.error());
        (*added ? counts.correctionsAdded : counts.correctionsSkipped) += 1;
    }
    return counts;
}

Result<QHash<QString, qint64>> itemIdsByKey(Database &db, qint64 queueId)
{
    auto items = QueueStore(db).items(queueId);
    if (!items)
        return fail(items.error());
    QHash<QString, qint64> ids;
    for (const QueueItem &item : std::as_const(*items))
        ids.insert(item.key(), item.id);
    return ids;
}

QueueSpec specFrom(const QueueInfo &q)
{
    QueueSpec spec;
    spec.name = q.name;
    spec.kind = q.kind;
    spec.overlap = q.overlap;
    spec.blind = q.blind;
    for (const CriterionVersion &c : q.criteria)
        spec.criteria.append(c.name);
    spec.origin = q.origin;
    spec.dailyDate = q.dailyDate;
    spec.packId = q.packId;
    return spec;
}

Result<PackExportSummary> writePack(Database &db, const QString &queueName, const QString &path)
{
    QueueStore queues(db);
    auto queue = queues.queue(queueName);
    if (!queue)
        return fail(queue.error());
    if (!queue->packId) {
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        auto st = db.prepare(QStringLiteral("UPDATE queues SET pack_id = ? WHERE id = ?"));
        if (!st)
            return fail(st.error());
        st->bind(1, id).bind(2, queue->id);
        if (auto ok = st->run(); !ok)
            return fail(ok.error());
        queue->packId = id;
    }
    auto content = readQueue(db, *queue);
    if (!content)
        return fail(content.error());

    auto pack = Project::create(path);
    if (!pack)
        return fail(pack.error());
    Database &out = pack->db();
    auto tx = Transaction::begin(out);
    if (!tx)
        return fail(tx.error());
    if (auto ok = pack->setMeta(metaKey, *queue->packId); !ok)
        return fail(ok.error());
    auto versionIds = mapCriteria(out, content->criterionVersions);
    if (!versionIds)
        return fail(versionIds.error());
    QueueSpec spec = specFrom(*queue);
    spec.origin["pack"]
        = {{"exported_at", nowUtc().toStdString()}, {"exported_by", currentAuthor().toStdString()}};
    auto made = QueueStore(out).create(spec, content->items);
    if (!made)
        return fail(made.error());
    auto itemIds = itemIdsByKey(out, made->id);
    if (!itemIds)
        return fail(itemIds.error());
    auto merged = merge(out, *content, *versionIds, *itemIds);
    if (!merged)
        return fail(merged.error());
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());

    PackExportSummary s;
    s.packId = *queue->packId;
    s.path = path;
    s.items = made->itemCount;
    s.criterionVersions = int(content->criterionVersions.size());
    s.labels = merged->labelsAdded;
    s.preferences = merged->preferencesAdded;
    s.notes = merged->notesAdded;
    s.corrections = merged->correctionsAdded;
    return s;
}

} // namespace

QString packIdOf(Database &db)
{
    auto st = db.prepare(QStringLiteral("SELECT value FROM project_meta WHERE key = ?"));
    if (!st)
        return {};
    st->bind(1, metaKey);
    auto row = st->step();
    return row && *row ? st->text(0) : QString();
}

Result<PackExportSummary> exportPack(Database &db, const QString &queueName, const QString &path)
{
    if (QFile::exists(path))
        return fail(
            ErrorCode::AlreadyExists,
            QStringLiteral("%1 already exists; a label pack is always a new file.").arg(path));
    auto written = writePack(db, queueName, path);
    if (!written) {
        // Leave no half-written pack behind (the project is closed by now).
        for (const char *suffix : {"", "-wal", "-shm", "-journal"})
            QFile::remove(path + QLatin1String(suffix));
    }
    return written;
}

Result<PackImportSummary> importPack(Database &db, const QString &packPath)
{
    auto pack = Project::open(packPath);
    if (!pack)
        return fail(pack.error());
    Database &in = pack->db();
    const QString packId = packIdOf(in);
    if (packId.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 is a project but not a label pack (make one with "
                                   "'touchstone-cli queue export-pack').")
                        .arg(packPath));
    auto st = in.prepare(QStringLiteral("SELECT id FROM queues WHERE pack_id = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, packId);
    auto packQueueId = st->one([](const Statement &s) { return s.int64(0); },
                               QStringLiteral("Label pack %1 holds no queue.").arg(packPath));
    if (!packQueueId)
        return fail(packQueueId.error());
    auto packQueue = QueueStore(in).queue(*packQueueId);
    if (!packQueue)
        return fail(packQueue.error());
    auto content = readQueue(in, *packQueue);
    if (!content)
        return fail(content.error());
    // Every wording labels in the pack point at (a colleague may have edited a criterion).
    CriterionStore packCriteria(in);
    QSet<qint64> known;
    for (const CriterionVersion &v : std::as_const(content->criterionVersions))
        known.insert(v.id);
    auto all = packCriteria.list();
    if (!all)
        return fail(all.error());
    for (const CriterionVersion &c : std::as_const(*all)) {
        auto history = packCriteria.history(c.name);
        if (!history)
            return fail(history.error());
        for (const CriterionVersion &v : std::as_const(*history))
            if (!known.contains(v.id)) {
                known.insert(v.id);
                content->criterionVersions.append(v);
            }
    }

    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    auto versionIds = mapCriteria(db, content->criterionVersions);
    if (!versionIds)
        return fail(versionIds.error());

    PackImportSummary s;
    s.packId = packId;
    QueueStore queues(db);
    auto local = db.prepare(QStringLiteral("SELECT id FROM queues WHERE pack_id = ?"));
    if (!local)
        return fail(local.error());
    local->bind(1, packId);
    auto row = local->step();
    if (!row)
        return fail(row.error());
    qint64 queueId = 0;
    if (*row) {
        queueId = local->int64(0);
    } else {
        QueueSpec spec = specFrom(*packQueue);
        for (int n = 1; queues.queue(spec.name); ++n)
            spec.name = n == 1 ? packQueue->name + QStringLiteral(" (pack)")
                               : QStringLiteral("%1 (pack %2)").arg(packQueue->name).arg(n);
        if (spec.dailyDate) {
            auto day = db.prepare(QStringLiteral("SELECT 1 FROM queues WHERE daily_date = ?"));
            if (!day)
                return fail(day.error());
            day->bind(1, *spec.dailyDate);
            auto taken = day->step();
            if (!taken)
                return fail(taken.error());
            if (*taken)
                spec.dailyDate.reset(); // that day's own vibe check stays the daily queue
        }
        auto made = queues.create(spec, content->items);
        if (!made)
            return fail(made.error());
        queueId = made->id;
        s.createdQueue = true;
    }
    auto queue = queues.queue(queueId);
    if (!queue)
        return fail(queue.error());
    s.queue = queue->name;
    auto itemIds = itemIdsByKey(db, queueId);
    if (!itemIds)
        return fail(itemIds.error());
    auto merged = merge(db, *content, *versionIds, *itemIds);
    if (!merged)
        return fail(merged.error());
    if (auto ok = tx->commit(); !ok)
        return fail(ok.error());
    s.labelsAdded = merged->labelsAdded;
    s.labelsSkipped = merged->labelsSkipped;
    s.preferencesAdded = merged->preferencesAdded;
    s.preferencesSkipped = merged->preferencesSkipped;
    s.notesAdded = merged->notesAdded;
    s.notesSkipped = merged->notesSkipped;
    s.correctionsAdded = merged->correctionsAdded;
    s.correctionsSkipped = merged->correctionsSkipped;
    return s;
}

} // namespace ts::labelpack
