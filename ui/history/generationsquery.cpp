#include "history/generationsquery.h"

#include "storage/database.h"
#include "storage/statement.h"

namespace ts {

Result<QList<GenerationSummary>> generationsForVersion(Database &db, qint64 versionId, int limit)
{
    auto stmt = db.prepare(QStringLiteral(
        "SELECT g.id, g.created_at, "
        "  COALESCE(CASE WHEN json_valid(r.model_snapshot) "
        "                THEN json_extract(r.model_snapshot, '$.name') END, m.name, ''), "
        "  g.status, substr(g.output, 1, 240), COALESCE(g.error_message, '') "
        "FROM generations g JOIN runs r ON r.id = g.run_id "
        "LEFT JOIN models m ON m.id = r.model_id "
        "WHERE r.prompt_version_id = ? ORDER BY g.id DESC LIMIT ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, versionId).bind(2, limit);
    QList<GenerationSummary> rows;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        GenerationSummary g;
        g.id = stmt->int64(0);
        g.createdAt = stmt->text(1);
        g.model = stmt->text(2);
        g.status = stmt->text(3);
        g.excerpt = stmt->text(4).simplified();
        if (g.excerpt.isEmpty())
            g.excerpt = stmt->text(5).simplified();
        rows.append(g);
    }
    return rows;
}

} // namespace ts
