#pragma once

#include "common/error.h"
#include "datasets/datasetstore.h"
#include "datasets/judgestore.h"
#include "evals/evalconfig.h"
#include "evals/judgeverdict.h"
#include "evals/statistics.h"
#include "runs/generation.h"

#include <QList>
#include <QString>

#include <atomic>
#include <optional>

namespace ts {

class Database;

/// One stored assertion outcome.
struct AssertionResult
{
    std::optional<qint64> assertionId;
    QString type;
    nlohmann::json value;
    double weight = 1;
    bool pass = false;
    double score = 0;
    QString reason;
};

/// A pointwise or factuality judge's verdict on one generation.
struct JudgeOutcome
{
    qint64 judgeId = 0;
    QString judgeName;
    JudgeKind kind = JudgeKind::Pointwise;
    std::optional<bool> pass; ///< nullopt when the verdict was unreadable (error set)
    std::optional<double> score;
    QString reason;
    QString error;
    nlohmann::json verdict;
    /// The judge's own call failed (HTTP, connection) rather than its answer being unreadable:
    /// an infrastructure error, so the judged sample has no verdict.
    bool callFailed = false;
};

/// One sample of one cell: a generation and everything decided about it.
struct EvalSample
{
    qint64 generationId = 0;
    int sampleIndex = 0;
    GenerationStatus status = GenerationStatus::Ok;
    QString output;
    QString error; ///< the call's error message when status != Ok
    /// Assertions pass and every pointwise/factuality judge passed. A call that failed has no
    /// verdict: false here, and left out of every rate (see hasOutput()).
    bool pass = false;
    /// Weighted assertion score, averaged with the judges' scores.
    double score = 0;
    QString reason; ///< the first failure
    QList<AssertionResult> assertions;
    QList<JudgeOutcome> judgments;
    std::optional<double> latencyMs;
    std::optional<double> cost;
    bool cacheHit = false;
    /// A judge call for this sample failed on the wire (see JudgeOutcome::callFailed).
    bool judgeCallFailed = false;
    /// The call produced a whole answer and every judge answered, so the sample has a verdict.
    /// false for a call that still failed after its retries: an error, not a failure.
    bool hasVerdict() const { return status == GenerationStatus::Ok && !judgeCallFailed; }
};

/// A (test case, variant) cell: its samples in sample order (missing ones not run yet).
struct EvalCell
{
    QList<EvalSample> samples;
    int passes() const;
    int outputs() const; ///< samples with a verdict
    int errors() const; ///< samples without one (a call failed)
    bool complete(int samples) const { return this->samples.size() >= samples; }
    bool pass() const; ///< every sample with a verdict passed (and at least one has one)
    bool flaky() const; ///< the verdicts of its samples disagree
    double meanScore() const; ///< over samples with a verdict
    /// Verdicts of the samples that have one, in sample order.
    QList<bool> verdicts() const;
    const EvalSample *sample(int index) const;
};

/// A column of the matrix with its statistics.
struct EvalVariantSummary
{
    qint64 runId = 0;
    qint64 promptVersionId = 0;
    QString promptName;
    int promptVersion = 0;
    qint64 modelId = 0;
    QString modelName;
    QString label; ///< "name@3 · model"
    /// The test case is the unit of analysis and errors are left out. successes/trials count
    /// the samples that produced an output ("480/497 passed"); estimate and ci are the share
    /// of cases passed with a Wilson interval (one sample per case), or with samples the mean
    /// per-case pass share with a bootstrap interval resampling cases (method says which).
    stats::CasePassRate passRate;
    /// Mean score over cases with an output (a case's samples averaged first), bootstrap 95%
    /// interval resampling cases; n = cases.
    stats::MeanEstimate score;
    int errors = 0; ///< calls that still failed after retries: in no rate, score or test
    int missing = 0; ///< samples not run yet
    double cost = 0;
    std::optional<double> meanLatencyMs;
    /// With samples > 1 (k = samples), over cases whose k samples all produced an output.
    std::optional<double> passAtK;
    std::optional<double> passHatK;
    QList<int> flakyCases; ///< case indexes
};

/// Candidate vs baseline, case by case, on the cases where both have an output.
struct VariantComparisonResult
{
    int baseline = 0;
    int candidate = 0;
    /// One sample per case: McNemar exact on case verdicts. Samples: paired bootstrap over
    /// cases of the per-case pass-share difference (McNemar on per-case majority verdicts
    /// beside it, for reference).
    stats::CaseComparison passFail;
    /// Paired bootstrap over cases of the per-case mean score difference.
    std::optional<stats::PairedBootstrap> scores;
    /// "qa@2 · m vs qa@1 · m: No significant difference (McNemar exact p = 0.42, …); mean
    /// score +0.03 [−0.02, 0.08]".
    QString sentence;
};

/// Head-to-head results of a pairwise judge between two variants.
struct PairwiseJudgeSummary
{
    qint64 judgeId = 0;
    QString judgeName;
    int variantA = 0;
    int variantB = 0;
    int winsA = 0;
    int winsB = 0;
    int ties = 0; ///< consistent ties
    int inconsistent = 0; ///< the two orders disagreed (counted as ties)
    int errors = 0; ///< a call failed or its verdict was unreadable
    judge::JudgeReliability reliability;
};

/// What EvalResults::load reads. The defaults read everything; a large eval is read in parts:
/// a page of cases with details for the matrix and exports, the verdicts alone (no text) for
/// statistics and filters.
struct EvalLoadOptions
{
    /// Only these test cases, in this order (a page); nullopt: every case of the dataset.
    std::optional<QList<qint64>> caseIds;
    /// A page whose cases were already read (DatasetStore::casesPage): these, in this order.
    std::optional<QList<TestCase>> cases;
    /// Outputs, error messages, assertion results and judge verdicts. false: each sample's
    /// verdict, score, cost and latency only (and cases by id, without their variables).
    bool details = true;
    /// The answers' text, with details. Charts need verdicts and assertion outcomes, not the
    /// answers: leaving them out keeps a large eval's charts small in memory.
    bool outputs = true;
    /// Per-variant statistics (bootstraps) and pairwise judge tallies; off for a page.
    bool statistics = true;
    /// With statistics: the per-variant summaries too (their bootstraps take a while on a large
    /// eval). false leaves them to a later summarize(), on another thread say, and sets only
    /// the pooled counts (passedSamples, scoredSamples, errorCount) and the pairwise tallies.
    bool summarize = true;
    /// Only this variant's cells are read (the others stay empty); -1: every variant.
    int onlyVariant = -1;
    /// Checked between steps; when it turns true the load stops with ErrorCode::Cancelled.
    const std::atomic_bool *cancel = nullptr;
};

/// A finished or partial eval loaded for display: the cases x variants matrix with outputs,
/// assertion outcomes, judge verdicts and honest statistics.
class EvalResults final
{
public:
    static Result<EvalResults> load(Database &db, qint64 evalId);
    static Result<EvalResults> load(Database &db, qint64 evalId, const EvalLoadOptions &options);
    /// The dataset's test case ids of an eval in dataset order (the matrix's rows), cheap:
    /// ids only, on the dataset's position index.
    static Result<QList<qint64>> caseIds(Database &db, qint64 evalId);
    /// The newest eval in the project (0 when there is none).
    static Result<qint64> latestEvalId(Database &db);

    enum class Filter { All, FailuresOnly, FlakyOnly, ChangedBetween, ErrorsOnly };
    /// Case indexes to show. FailuresOnly: a cell failed or has no verdict; ChangedBetween:
    /// cases whose pass/fail differs between variants `a` and `b` (on a sample both scored);
    /// ErrorsOnly: a call failed.
    QList<int> rows(Filter filter, int a = 0, int b = 1) const;

    const EvalCell &cell(int caseIndex, int variant) const;
    Result<VariantComparisonResult> compare(int baseline, int candidate) const;

    qint64 evalId = 0;
    QString name;
    QString status;
    QString createdAt;
    QString finishedAt;
    int samples = 1;
    DatasetInfo dataset;
    QList<TestCase> cases;
    QList<EvalVariantSummary> variants;
    QList<PairwiseJudgeSummary> pairwise;
    /// Samples of every variant that passed, of those with an output (pooled counts, no
    /// interval: variants share their cases).
    int passedSamples = 0;
    int scoredSamples = 0;
    /// Calls of every variant that still failed (a judge call that failed on the wire counts
    /// for the sample it should have judged). What "Retry errors" asks again.
    int errorCount = 0;
    /// Some answered sample has an assertion result or a judge verdict (without checks every
    /// answer "passes", which says nothing).
    bool checked = false;
    /// The variants' counts are final but their bootstrap intervals are not computed yet
    /// (EvalCounts): show the numbers, say the intervals are on their way.
    bool statisticsPending = false;
    /// With EvalLoadOptions::caseIds: each loaded case's index among all the dataset's cases
    /// (what the matrix numbers it); empty when every case is loaded (the index is the number).
    QList<int> caseNumbers;
    /// The number shown for cases[i] (1-based in labels: number + 1).
    int caseNumber(int i) const { return i < caseNumbers.size() ? caseNumbers[i] : i; }
    /// Recomputes the per-variant statistics and the pooled counts from the loaded cells.
    void summarize();
    /// The pooled counts alone (passedSamples, scoredSamples, errorCount), without bootstraps.
    void countPooled();
    /// The header, statistics and counts without any case or cell (small enough to hand
    /// around a UI).
    EvalResults withoutCells() const;

private:
    QList<QList<EvalCell>> m_cells; ///< [case][variant]
};

} // namespace ts
