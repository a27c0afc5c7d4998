#pragma once

// Small projects for the annotation tests: log records and hand-built generations.

#include "logs/logstore.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QString>

#include <nlohmann/json.hpp>

/// QCOMPARE for JSON values (QCOMPARE cannot pick an overload for nlohmann::json).
#define JSON_COMPARE(actual, expected)                                                             \
    do {                                                                                           \
        const nlohmann::json actual_ = (actual);                                                   \
        const nlohmann::json expected_ = (expected);                                               \
        QVERIFY2(actual_ == expected_, (actual_.dump() + " != " + expected_.dump()).c_str());      \
    } while (false)

namespace fixtures {

/// A log record with one user message and an output (trace t<i>, span s<i> when `spans`).
inline ts::LogRecord logRecord(int i, const QString &model = QStringLiteral("gpt-4o-mini"),
                               bool spans = false)
{
    ts::LogRecord r;
    r.startMs = 1764500000000 + qint64(i) * 1000;
    r.model = model;
    r.messages = {{QStringLiteral("user"), QStringLiteral("Where is my order %1?").arg(i), {}, {}}};
    r.output = QStringLiteral("Your order %1 ships tomorrow.").arg(i);
    r.sourceFormat = QStringLiteral("test");
    if (spans) {
        r.traceId = QStringLiteral("%1").arg(i, 32, 16, QLatin1Char('0'));
        r.spanId = QStringLiteral("%1").arg(i, 16, 16, QLatin1Char('0'));
    }
    return r;
}

/// Adds `count` log records numbered from 1; returns their ids.
inline QList<qint64> addLogs(ts::Database &db, int count, bool spans = false)
{
    QList<ts::LogRecord> batch;
    for (int i = 1; i <= count; ++i)
        batch.append(
            logRecord(i, i % 2 ? QStringLiteral("gpt-4o-mini") : QStringLiteral("claude"), spans));
    auto added = ts::LogStore(db).add(batch);
    return added ? added->ids : QList<qint64>();
}

/// An eval run (run 1, eval 1, variant 0) whose generation `id` asked `question` (variable
/// "question", one user message) and answered `output`.
inline bool addGeneration(ts::Database &db, qint64 id, const QString &question,
                          const QString &output)
{
    const nlohmann::json request
        = {{"body", {{"messages", {{{"role", "user"}, {"content", question.toStdString()}}}}}}};
    const nlohmann::json vars = {{"question", question.toStdString()}};
    auto st = db.prepare(QStringLiteral(
        "INSERT INTO generations (id, run_id, variables, request, output, created_at) "
        "VALUES (?, 1, ?, ?, ?, 'x')"));
    if (!st)
        return false;
    st->bind(1, id)
        .bind(2, QString::fromStdString(vars.dump()))
        .bind(3, QString::fromStdString(request.dump()))
        .bind(4, output);
    return bool(st->run());
}

/// Eval 1 with run 1 as its only variant (generations go in with addGeneration).
inline bool addEval(ts::Database &db)
{
    return bool(db.exec(
        QStringLiteral("INSERT INTO evals (id, created_at) VALUES (1, 'x');"
                       "INSERT INTO runs (id, kind, created_at) VALUES (1, 'eval', 'x');"
                       "INSERT INTO eval_variants (eval_id, position, run_id) VALUES (1, 0, 1);")));
}

} // namespace fixtures
