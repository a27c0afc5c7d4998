#include "evals/evalcounts.h"

#include "storage/database.h"
#include "storage/statement.h"

namespace ts {

namespace {

// One row per test case of the dataset that ran on the variant's run (?1), with the rules of
// EvalResults::load: per (case, sample) the newest ok generation, else the newest attempt
// (cancelled ones ignored); a sample has a verdict when its call answered and no judge call
// failed on the wire; it passes when its assertions passed and the newest verdict of every
// pointwise judge passed; its score averages the assertion score with the judges' scores.
// ?2 is the dataset, ?3 the eval.
constexpr auto kPerCase = R"sql(
WITH chosen AS (
    SELECT g.id, g.test_case_id AS case_id, g.status, g.cost, g.latency_ms, g.cache_hit,
           row_number() OVER (PARTITION BY g.test_case_id, g.sample_index
                              ORDER BY g.status = 'ok' DESC, g.id DESC) AS rn
    FROM generations g
    WHERE g.run_id = ?1 AND g.status != 'cancelled'
      AND g.test_case_id IN (SELECT id FROM test_cases WHERE dataset_id = ?2)
),
newest_judgments AS (
    SELECT j.generation_id, j.pass, j.score, j.error, coalesce(jg.status, 'ok') AS call_status
    FROM judgments j
    LEFT JOIN judges d ON d.id = j.judge_id
    LEFT JOIN generations jg ON jg.id = j.judge_generation_id
    WHERE j.eval_id = ?3 AND coalesce(d.kind, 'pointwise') != 'pairwise'
      AND j.id = (SELECT max(j2.id) FROM judgments j2 WHERE j2.eval_id = j.eval_id
                  AND j2.generation_id = j.generation_id AND j2.judge_id IS j.judge_id)
),
judged AS (
    SELECT generation_id, count(*) AS n, sum(coalesce(score, 0)) AS score_sum,
           max(coalesce(pass, 0) = 0) AS any_fail,
           max(error IS NOT NULL AND call_status != 'ok') AS call_failed
    FROM newest_judgments GROUP BY generation_id
),
samples AS (
    SELECT c.case_id, c.cost, c.latency_ms, c.cache_hit,
           (c.status = 'ok' AND coalesce(ja.call_failed, 0) = 0) AS has_verdict,
           (c.status = 'ok' AND coalesce(cv.pass, 0) != 0 AND coalesce(ja.any_fail, 0) = 0) AS pass,
           CASE WHEN c.status = 'ok'
                THEN (coalesce(cv.score, 0) + coalesce(ja.score_sum, 0)) / (1 + coalesce(ja.n, 0))
                ELSE 0 END AS score
    FROM chosen c
    LEFT JOIN case_verdicts cv ON cv.generation_id = c.id
    LEFT JOIN judged ja ON ja.generation_id = c.id
    WHERE c.rn = 1
),
per_case AS (
    SELECT case_id, count(*) AS ran, sum(has_verdict) AS outputs,
           sum(has_verdict AND pass) AS passes,
           avg(CASE WHEN has_verdict THEN score END) AS mean_score,
           sum(coalesce(cost, 0)) AS cost,
           sum(CASE WHEN latency_ms IS NOT NULL AND NOT cache_hit THEN latency_ms ELSE 0 END)
               AS latency_sum,
           sum(latency_ms IS NOT NULL AND NOT cache_hit) AS latency_n
    FROM samples GROUP BY case_id
)
)sql";

constexpr auto kTotals = R"sql(
SELECT coalesce(sum(min(ran, ?4)), 0), coalesce(sum(outputs), 0), coalesce(sum(passes), 0),
       coalesce(sum(ran - outputs), 0), coalesce(sum(outputs > 0), 0),
       coalesce(max(outputs), 0), avg(CASE WHEN outputs > 0 THEN CAST(passes AS REAL) / outputs END),
       avg(mean_score), sum(outputs > 0), coalesce(sum(cost), 0), coalesce(sum(latency_sum), 0),
       coalesce(sum(latency_n), 0), coalesce(sum(outputs >= ?4), 0),
       coalesce(sum(outputs >= ?4 AND passes > 0), 0),
       coalesce(sum(outputs >= ?4 AND passes = outputs), 0)
FROM per_case
)sql";

// Indexes (dataset order) of the cases whose verdicts disagree.
constexpr auto kFlaky = R"sql(
, ranked AS (
    SELECT id, row_number() OVER (ORDER BY position, id) - 1 AS idx
    FROM test_cases WHERE dataset_id = ?2
)
SELECT r.idx FROM per_case p JOIN ranked r ON r.id = p.case_id
WHERE p.passes > 0 AND p.passes < p.outputs AND ?4 > 1 ORDER BY r.idx
)sql";

} // namespace

Result<EvalResults> EvalCounts::load(Database &db, qint64 evalId, const std::atomic_bool *cancel)
{
    EvalLoadOptions header;
    header.caseIds = QList<qint64>();
    header.details = false;
    header.statistics = false;
    header.cancel = cancel;
    auto loaded = EvalResults::load(db, evalId, header);
    if (!loaded)
        return fail(loaded.error());
    EvalResults r = std::move(*loaded);
    r.statisticsPending = true;
    const int k = r.samples;
    const int cases = r.dataset.caseCount;
    if (r.dataset.id == 0)
        return r;
    auto totals = db.prepare(QLatin1String(kPerCase) + QLatin1String(kTotals));
    if (!totals)
        return fail(totals.error());
    auto flaky = db.prepare(QLatin1String(kPerCase) + QLatin1String(kFlaky));
    if (!flaky)
        return fail(flaky.error());
    for (EvalVariantSummary &v : r.variants) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return fail(ErrorCode::Cancelled,
                        QStringLiteral("Counting eval #%1 was cancelled.").arg(evalId));
        totals->reset();
        totals->bind(1, v.runId).bind(2, r.dataset.id).bind(3, evalId).bind(4, k);
        auto row = totals->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            continue;
        const Statement &s = *totals;
        v.missing = std::max(0, k * cases - int(s.int64(0)));
        v.passRate.trials = int(s.int64(1));
        v.passRate.successes = int(s.int64(2));
        v.errors = int(s.int64(3));
        v.passRate.cases = int(s.int64(4));
        const bool repeated = s.int64(5) > 1;
        if (repeated) {
            v.passRate.method = stats::RateMethod::CaseBootstrap;
            v.passRate.estimate = s.optionalReal(6).value_or(0);
            v.passRate.ci = {0, 1}; // the bootstrap follows
        } else {
            const stats::Proportion p = stats::wilson(v.passRate.successes, v.passRate.trials);
            v.passRate.method = stats::RateMethod::Wilson;
            v.passRate.estimate = p.estimate;
            v.passRate.ci = p.ci;
        }
        v.score.n = int(s.int64(8));
        v.score.mean = s.optionalReal(7).value_or(0);
        v.score.ci = {v.score.mean, v.score.mean};
        v.cost = s.real(9);
        if (s.int64(11) > 0)
            v.meanLatencyMs = s.real(10) / double(s.int64(11));
        // With all k samples of a case answered, pass@k is 1 when any passed and pass^k 1
        // when all did (the unbiased estimators at n = k).
        if (k > 1 && s.int64(12) > 0) {
            v.passAtK = double(s.int64(13)) / double(s.int64(12));
            v.passHatK = double(s.int64(14)) / double(s.int64(12));
        }
        r.passedSamples += v.passRate.successes;
        r.scoredSamples += v.passRate.trials;
        r.errorCount += v.errors;
        if (k > 1) {
            flaky->reset();
            flaky->bind(1, v.runId).bind(2, r.dataset.id).bind(3, evalId).bind(4, k);
            while (true) {
                auto f = flaky->step();
                if (!f)
                    return fail(f.error());
                if (!*f)
                    break;
                v.flakyCases.append(int(flaky->int64(0)));
            }
        }
    }
    auto checked = db.prepare(QStringLiteral(
        "SELECT EXISTS (SELECT 1 FROM eval_variants ev JOIN generations g ON g.run_id = "
        "ev.run_id JOIN assertion_results ar ON ar.generation_id = g.id WHERE ev.eval_id = ?1 "
        "AND g.status = 'ok') OR EXISTS (SELECT 1 FROM judgments WHERE eval_id = ?1)"));
    if (!checked)
        return fail(checked.error());
    checked->bind(1, evalId);
    auto any = checked->one([](const Statement &s) { return s.int64(0) != 0; }, QString());
    if (!any)
        return fail(any.error());
    r.checked = *any;
    return r;
}

} // namespace ts
