#include "datasets/assertionstore.h"

#include "common/json.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"

namespace ts {

namespace {

std::optional<QString> transformOf(const AssertionSpec &spec)
{
    return spec.transform.isEmpty() ? std::nullopt : std::optional<QString>(spec.transform);
}

} // namespace

AssertionStore::AssertionStore(Database &db)
    : m_db(db)
{
}

Result<StoredAssertion> AssertionStore::add(qint64 datasetId, std::optional<qint64> testCaseId,
                                            const AssertionSpec &spec)
{
    if (auto valid = validateAssertion(spec); !valid)
        return fail(valid.error());
    auto exists = m_db.prepare(QStringLiteral("SELECT 1 FROM datasets WHERE id = ?"));
    if (!exists)
        return fail(exists.error());
    exists->bind(1, datasetId);
    if (auto row = exists->step(); !row || !*row)
        return fail(ErrorCode::NotFound, QStringLiteral("No dataset with id %1.").arg(datasetId));
    if (testCaseId) {
        auto owner = m_db.prepare(QStringLiteral("SELECT dataset_id FROM test_cases WHERE id = ?"));
        if (!owner)
            return fail(owner.error());
        owner->bind(1, *testCaseId);
        auto row = owner->step();
        if (!row)
            return fail(row.error());
        if (!*row || owner->int64(0) != datasetId)
            return fail(
                ErrorCode::NotFound,
                QStringLiteral("The dataset has no test case with id %1.").arg(*testCaseId));
    }
    auto stmt = m_db.prepare(QStringLiteral(
        "INSERT INTO assertions(dataset_id, test_case_id, position, type, value, weight, "
        "threshold, created_at, transform) VALUES (?, ?, (SELECT coalesce(max(position), -1) + 1 "
        "FROM assertions WHERE dataset_id = ?1 AND test_case_id IS ?2), ?, ?, ?, ?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, datasetId)
        .bind(2, testCaseId)
        .bind(3, spec.type)
        .bind(4, spec.value.is_null() ? std::optional<QString>() : toJsonText(spec.value))
        .bind(5, spec.weight)
        .bind(6, spec.threshold)
        .bind(7, nowUtc())
        .bind(8, transformOf(spec));
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    return find(m_db.lastInsertId());
}

Result<StoredAssertion> AssertionStore::update(qint64 id, const AssertionSpec &spec)
{
    if (auto valid = validateAssertion(spec); !valid)
        return fail(valid.error());
    auto stmt = m_db.prepare(QStringLiteral(
        "UPDATE assertions SET type = ?, value = ?, weight = ?, threshold = ?, transform = ? "
        "WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, spec.type)
        .bind(2, spec.value.is_null() ? std::optional<QString>() : toJsonText(spec.value))
        .bind(3, spec.weight)
        .bind(4, spec.threshold)
        .bind(5, transformOf(spec))
        .bind(6, id);
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    return find(id);
}

Result<void> AssertionStore::remove(qint64 id)
{
    auto stmt = m_db.prepare(QStringLiteral("DELETE FROM assertions WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, id);
    if (auto ok = stmt->run(); !ok)
        return ok;
    if (m_db.changes() == 0)
        return fail(ErrorCode::NotFound, QStringLiteral("No assertion with id %1.").arg(id));
    return {};
}

Result<QList<StoredAssertion>> AssertionStore::query(const QString &where, qint64 a, qint64 b)
{
    auto stmt = m_db.prepare(
        QStringLiteral("SELECT id, dataset_id, test_case_id, position, type, value, weight, "
                       "threshold, transform FROM assertions WHERE ")
        + where + QStringLiteral(" ORDER BY test_case_id IS NOT NULL, test_case_id, position, id"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, a);
    if (where.contains(QLatin1String("?2")))
        stmt->bind(2, b);
    QList<StoredAssertion> list;
    while (true) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        StoredAssertion s;
        s.id = stmt->int64(0);
        s.datasetId = stmt->int64(1);
        s.testCaseId = stmt->optionalInt(2);
        s.position = int(stmt->int64(3));
        s.spec.type = stmt->text(4);
        if (auto v = stmt->optionalText(5))
            s.spec.value = parseJson(*v).value_or(nlohmann::json(sstr(*v)));
        s.spec.weight = stmt->real(6);
        s.spec.threshold = stmt->optionalReal(7);
        s.spec.transform = stmt->optionalText(8).value_or(QString());
        list.append(s);
    }
    return list;
}

Result<StoredAssertion> AssertionStore::find(qint64 id)
{
    auto list = query(QStringLiteral("id = ?1"), id);
    if (!list)
        return fail(list.error());
    if (list->isEmpty())
        return fail(ErrorCode::NotFound, QStringLiteral("No assertion with id %1.").arg(id));
    return list->first();
}

Result<QList<StoredAssertion>> AssertionStore::forDataset(qint64 datasetId)
{
    return query(QStringLiteral("dataset_id = ?1"), datasetId);
}

Result<QList<StoredAssertion>> AssertionStore::forCase(qint64 datasetId, qint64 caseId)
{
    return query(QStringLiteral("dataset_id = ?1 AND (test_case_id IS NULL OR test_case_id = ?2)"),
                 datasetId, caseId);
}

} // namespace ts
