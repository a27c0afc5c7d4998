#include "evals/caseslot.h"

#include "storage/database.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QCoreApplication>

#include <algorithm>

namespace ts {

Result<void> removeCaseSlots(Database &db, const QList<std::shared_ptr<CaseSlot>> &slots)
{
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    DatasetStore store(db);
    AssertionStore assertions(db);
    QList<std::pair<std::shared_ptr<CaseSlot>, TestCase>> removed;
    QList<QList<AssertionSpec>> specs;
    QList<QList<qint64>> links;
    for (const auto &slot : slots) {
        const qint64 id = slot->id;
        if (!id)
            continue; // never stored (its add failed) or already gone
        auto current = store.testCase(id);
        if (!current)
            return fail(current.error());
        // What a restore needs and the delete takes away: the case's own assertions (deleted
        // with it) and the eval results that point at it (unlinked).
        auto own = assertions.forCase(current->datasetId, id);
        if (!own)
            return fail(own.error());
        QList<AssertionSpec> mine;
        for (const StoredAssertion &a : *own)
            if (a.testCaseId == id)
                mine.append(a.spec);
        auto stmt = db.prepare(QStringLiteral("SELECT id FROM generations WHERE test_case_id = ?"));
        if (!stmt)
            return fail(stmt.error());
        stmt->bind(1, id);
        auto ids = stmt->all([](const Statement &row) { return row.int64(0); });
        if (!ids)
            return fail(ids.error());
        if (auto ok = store.deleteCase(id); !ok)
            return ok;
        removed.append({slot, *current});
        specs.append(mine);
        links.append(*ids);
    }
    if (auto ok = tx->commit(); !ok)
        return ok;
    for (qsizetype i = 0; i < removed.size(); ++i) {
        const auto &slot = removed[i].first;
        slot->removed = removed[i].second;
        slot->assertions = specs[i];
        slot->generationIds = links[i];
        slot->id = 0;
    }
    return {};
}

namespace {

/// Moves the case just appended as `caseId` to `position`, shifting the cases from there on
/// down one: only the rows that move are written, however large the dataset.
Result<void> moveAppendedCase(Database &db, qint64 datasetId, qint64 caseId, int position)
{
    auto last = db.prepare(QStringLiteral("SELECT position FROM test_cases WHERE id = ?"));
    if (!last)
        return fail(last.error());
    last->bind(1, caseId);
    auto end = last->one([](const Statement &row) { return int(row.int64(0)); },
                         QStringLiteral("The restored case is missing."));
    if (!end)
        return fail(end.error());
    const int target = std::min(position, *end);
    if (target == *end)
        return {};
    auto shift = db.prepare(
        QStringLiteral("UPDATE test_cases SET position = position + 1 "
                       "WHERE dataset_id = ? AND position >= ? AND position < ? AND id != ?"));
    if (!shift)
        return fail(shift.error());
    shift->bind(1, datasetId).bind(2, target).bind(3, *end).bind(4, caseId);
    if (auto ok = shift->run(); !ok)
        return ok;
    auto place = db.prepare(QStringLiteral("UPDATE test_cases SET position = ? WHERE id = ?"));
    if (!place)
        return fail(place.error());
    place->bind(1, target).bind(2, caseId);
    return place->run();
}

} // namespace

Result<void> restoreCaseSlots(Database &db, const QList<std::shared_ptr<CaseSlot>> &slots)
{
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    DatasetStore store(db);
    AssertionStore assertions(db);
    // In their old order, so that each lands at its old position.
    QList<std::shared_ptr<CaseSlot>> ordered;
    for (const auto &slot : slots)
        if (slot->removed)
            ordered.append(slot);
    std::sort(ordered.begin(), ordered.end(), [](const auto &a, const auto &b) {
        return a->removed->position < b->removed->position;
    });
    QList<qint64> newIds;
    for (const auto &slot : ordered) {
        const TestCase &c = *slot->removed;
        auto added = store.importCases(c.datasetId, {c.data}, c.source,
                                       {CaseOrigin {c.productionOutput, c.logId}});
        if (!added)
            return fail(added.error());
        if (added->addedIds.isEmpty())
            return fail(ErrorCode::AlreadyExists,
                        QCoreApplication::translate(
                            "ts::DatasetsController",
                            "Case %1 cannot come back: an identical case was added since.")
                            .arg(c.position + 1));
        const qint64 id = added->addedIds.first();
        if (c.threshold)
            if (auto ok = store.setCaseThreshold(id, c.threshold); !ok)
                return ok;
        if (auto ok = moveAppendedCase(db, c.datasetId, id, c.position); !ok)
            return ok;
        for (const AssertionSpec &spec : slot->assertions)
            if (auto a = assertions.add(c.datasetId, id, spec); !a)
                return fail(a.error());
        auto relink = db.prepare(QStringLiteral("UPDATE generations SET test_case_id = ? "
                                                "WHERE id = ? AND test_case_id IS NULL"));
        if (!relink)
            return fail(relink.error());
        for (qint64 g : slot->generationIds) {
            relink->reset();
            relink->bind(1, id).bind(2, g);
            if (auto ok = relink->run(); !ok)
                return ok;
        }
        newIds.append(id);
    }
    if (auto ok = tx->commit(); !ok)
        return ok;
    for (qsizetype i = 0; i < ordered.size(); ++i) {
        ordered[i]->id = newIds[i];
        ordered[i]->removed.reset();
    }
    return {};
}

} // namespace ts
