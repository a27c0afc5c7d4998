#pragma once

// A hand-built eval written straight into a project, with numbers chosen so that every chart
// value can be worked out on paper (see the comments), shared by the chart and report tests.
//
// Dataset "support" with 10 cases; prompt "qa" v1 (label production) and v2 (label staging);
// models m1 and m2. Assertions: 1 = contains "refund", 2 = is-json.
// Eval 1 (older): qa@1 · m2 — cases 0–4 pass (5/10).
// Eval 2 (the one charted), one sample per case:
//   variant 0 qa@1 · m1 (baseline): cases 0–5 pass; 6–9 fail "contains". cost 0.002,
//       latency 100·(case+1) ms.
//   variant 1 qa@2 · m1: cases 0–7 pass; 8–9 fail "contains". cost 0.004, latency 200 ms;
//       case 0 answered from the cache (cost 0, latency 1 ms).
//   variant 2 qa@2 · m2: cases 0–3 pass; 4–8 fail is-json (score 0.5); case 9 an error.
//       cost 0.001, latency 50 ms.

#include "storage/database.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace handbuilt {

inline bool exec(ts::Database &db, const QString &sql)
{
    auto ok = db.exec(sql);
    if (!ok)
        qWarning("%s: %s", qPrintable(sql.left(200)), qPrintable(ok.error().message));
    return bool(ok);
}

struct Outcome
{
    bool error = false;
    bool containsPass = true;
    bool jsonPass = true;
    double score = 1;
    double cost = 0;
    double latency = 0;
    bool cacheHit = false;
    QString output;
};

/// Generation ids are run * 100 + case index, so a test can name them.
inline bool addRun(ts::Database &db, int evalId, int position, int runId, int versionId,
                   int modelId, const std::function<Outcome(int)> &outcome)
{
    bool ok = exec(db,
                   QStringLiteral("INSERT INTO runs (id, kind, prompt_version_id, model_id, "
                                  "dataset_id, status, created_at) VALUES (%1, 'eval', %2, "
                                  "%3, 1, 'completed', '2024-06-0%4T10:00:00Z')")
                       .arg(runId)
                       .arg(versionId)
                       .arg(modelId)
                       .arg(evalId))
        && exec(db,
                QStringLiteral("INSERT INTO eval_variants VALUES (%1, %2, %3)")
                    .arg(evalId)
                    .arg(position)
                    .arg(runId));
    for (int c = 0; c < 10 && ok; ++c) {
        const Outcome o = outcome(c);
        const int gen = runId * 100 + c;
        const QString output = o.output.isEmpty()
            ? QStringLiteral("answer %1 of run %2").arg(c).arg(runId)
            : o.output;
        ok = exec(db,
                  QStringLiteral("INSERT INTO generations (id, run_id, test_case_id, "
                                 "sample_index, output, status, latency_ms, cost, cache_hit, "
                                 "error_message, created_at) VALUES (%1, %2, %3, 0, '%4', "
                                 "'%5', %6, %7, %8, %9, '2024-06-01T10:00:00Z')")
                      .arg(gen)
                      .arg(runId)
                      .arg(c + 1)
                      .arg(o.error ? QString() : output)
                      .arg(o.error ? QStringLiteral("error") : QStringLiteral("ok"))
                      .arg(o.error ? QStringLiteral("NULL") : QString::number(o.latency))
                      .arg(o.error ? QStringLiteral("NULL") : QString::number(o.cost))
                      .arg(o.cacheHit ? 1 : 0)
                      .arg(o.error ? QStringLiteral("'HTTP 500'") : QStringLiteral("NULL")));
        if (!ok || o.error)
            continue;
        const bool pass = o.containsPass && o.jsonPass;
        const QString reason = !o.containsPass ? QStringLiteral("Expected output to contain "
                                                                "\"refund\"")
            : !o.jsonPass                      ? QStringLiteral("Output is not JSON")
                                               : QString();
        ok = exec(db,
                  QStringLiteral("INSERT INTO assertion_results (generation_id, assertion_id, "
                                 "position, type, value, weight, pass, score, reason) VALUES "
                                 "(%1, 1, 0, 'contains', '\"refund\"', 1, %2, %2, ''), "
                                 "(%1, 2, 1, 'is-json', NULL, 1, %3, %3, '')")
                      .arg(gen)
                      .arg(o.containsPass ? 1 : 0)
                      .arg(o.jsonPass ? 1 : 0))
            && exec(db,
                    QStringLiteral("INSERT INTO case_verdicts VALUES (%1, %2, %3, '%4')")
                        .arg(gen)
                        .arg(pass ? 1 : 0)
                        .arg(o.score)
                        .arg(reason));
    }
    return ok;
}

/// Writes the eval described above; returns the charted eval's id (2), or 0 on failure.
inline int build(ts::Database &db)
{
    const QString t = QStringLiteral("'2024-06-01T00:00:00Z'");
    bool ok = exec(db,
                   QStringLiteral("INSERT INTO prompts (id, name, created_at) VALUES (1, 'qa', %1)")
                       .arg(t))
        && exec(db,
                QStringLiteral("INSERT INTO prompt_versions (id, prompt_id, number, messages, "
                               "params, content_hash, created_at) VALUES (1, 1, 1, '[]', '{}', "
                               "'h1', %1), (2, 1, 2, '[]', '{}', 'h2', %1)")
                    .arg(t))
        && exec(db,
                QStringLiteral("INSERT INTO prompt_labels VALUES (1, 'production', 1, %1), "
                               "(1, 'staging', 2, %1)")
                    .arg(t))
        && exec(db,
                QStringLiteral("INSERT INTO models (id, name, provider, base_url, model_id, "
                               "created_at) VALUES (1, 'm1', 'openai', 'x', 'm1', %1), "
                               "(2, 'm2', 'openai', 'x', 'm2', %1)")
                    .arg(t))
        && exec(db,
                QStringLiteral("INSERT INTO datasets (id, name, created_at) VALUES (1, "
                               "'support', %1)")
                    .arg(t));
    for (int c = 0; c < 10 && ok; ++c)
        ok = exec(db,
                  QStringLiteral("INSERT INTO test_cases (id, dataset_id, position, vars, "
                                 "content_key, created_at) VALUES (%1, 1, %2, "
                                 "'{\"question\":\"question %2\"}', 'k%2', %3)")
                      .arg(c + 1)
                      .arg(c)
                      .arg(t));
    ok = ok
        && exec(db,
                QStringLiteral("INSERT INTO assertions (id, dataset_id, position, type, value, "
                               "created_at) VALUES (1, 1, 0, 'contains', '\"refund\"', %1), "
                               "(2, 1, 1, 'is-json', NULL, %1)")
                    .arg(t))
        && exec(db,
                QStringLiteral("INSERT INTO evals (id, name, dataset_id, status, created_at) "
                               "VALUES (1, 'older', 1, 'completed', '2024-06-01T09:00:00Z'), "
                               "(2, 'qa v2 vs v1', 1, 'completed', '2024-06-02T09:00:00Z')"));
    ok = ok && addRun(db, 1, 0, 1, 1, 2, [](int c) {
             Outcome o;
             o.containsPass = c < 5;
             o.score = c < 5 ? 1 : 0;
             o.cost = 0.001;
             o.latency = 50;
             return o;
         });
    ok = ok && addRun(db, 2, 0, 2, 1, 1, [](int c) {
             Outcome o;
             o.containsPass = c < 6;
             o.score = c < 6 ? 1 : 0;
             o.cost = 0.002;
             o.latency = 100 * (c + 1);
             return o;
         });
    ok = ok && addRun(db, 2, 1, 3, 2, 1, [](int c) {
             Outcome o;
             o.containsPass = c < 8;
             o.score = c < 8 ? 1 : 0;
             o.cost = c == 0 ? 0 : 0.004;
             o.latency = c == 0 ? 1 : 200;
             o.cacheHit = c == 0;
             return o;
         });
    ok = ok && addRun(db, 2, 2, 4, 2, 2, [](int c) {
             Outcome o;
             o.error = c == 9;
             o.jsonPass = c < 4;
             o.score = c < 4 ? 1 : 0.5;
             o.cost = 0.001;
             o.latency = 50;
             return o;
         });
    return ok ? 2 : 0;
}

} // namespace handbuilt
