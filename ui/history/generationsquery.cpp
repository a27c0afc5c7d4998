#include "history/generationsquery.h"

#include "storage/database.h"
#include "storage/statement.h"

namespace ts {

Result<QList<GenerationSummary>> generationsForVersion(Database &db, qint64 versionId,
                                                       std::optional<GenerationCursor> after,
                                                       int limit)
{
    // Keyset paging: (run, generation) strictly before the cursor in newest-first order.
    const QString cursor
        = after ? QStringLiteral("AND r.id <= ?2 AND (r.id < ?2 OR g.id < ?3) ") : QString();
    auto stmt = db.prepare(
        QStringLiteral(
            "SELECT g.id, g.run_id, g.created_at, "
            "  COALESCE(CASE WHEN json_valid(r.model_snapshot) "
            "                THEN json_extract(r.model_snapshot, '$.name') END, m.name, ''), "
            "  g.status, substr(g.output, 1, 240), COALESCE(g.error_message, '') "
            "FROM runs r JOIN generations g ON g.run_id = r.id "
            "LEFT JOIN models m ON m.id = r.model_id "
            "WHERE r.prompt_version_id = ?1 %1"
            "ORDER BY r.id DESC, g.id DESC LIMIT ?4")
            .arg(cursor));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, versionId);
    if (after)
        stmt->bind(2, after->runId).bind(3, after->generationId);
    stmt->bind(4, limit);
    QList<GenerationSummary> rows;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        GenerationSummary g;
        g.id = stmt->int64(0);
        g.runId = stmt->int64(1);
        g.createdAt = stmt->text(2);
        g.model = stmt->text(3);
        g.status = stmt->text(4);
        g.excerpt = stmt->text(5).simplified();
        if (g.excerpt.isEmpty())
            g.excerpt = stmt->text(6).simplified();
        rows.append(g);
    }
    return rows;
}

Result<qint64> generationCountForVersion(Database &db, qint64 versionId)
{
    auto stmt = db.prepare(
        QStringLiteral("SELECT count(*) FROM runs r JOIN generations g ON g.run_id = r.id "
                       "WHERE r.prompt_version_id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, versionId);
    auto row = stmt->step();
    if (!row)
        return fail(row.error());
    return *row ? stmt->int64(0) : 0;
}

} // namespace ts
