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
};

/// One sample of one cell: a generation and everything decided about it.
struct EvalSample
{
    qint64 generationId = 0;
    int sampleIndex = 0;
    GenerationStatus status = GenerationStatus::Ok;
    QString output;
    QString error; ///< the call's error message when status != Ok
    /// Assertions pass and every pointwise/factuality judge passed (an error is a failure).
    bool pass = false;
    /// Weighted assertion score, averaged with the judges' scores.
    double score = 0;
    QString reason; ///< the first failure
    QList<AssertionResult> assertions;
    QList<JudgeOutcome> judgments;
    std::optional<double> latencyMs;
    std::optional<double> cost;
    bool cacheHit = false;
};

/// A (test case, variant) cell: its samples in sample order (missing ones not run yet).
struct EvalCell
{
    QList<EvalSample> samples;
    int passes() const;
    bool complete(int samples) const { return this->samples.size() >= samples; }
    bool pass() const; ///< every sample present passed (and at least one ran)
    bool flaky() const; ///< samples disagree
    double meanScore() const;
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
    stats::Proportion passRate; ///< over every sample run, Wilson 95% interval
    stats::MeanEstimate score; ///< bootstrap 95% interval
    int errors = 0; ///< calls that failed (counted as failures in passRate)
    int missing = 0; ///< samples not run yet
    double cost = 0;
    std::optional<double> meanLatencyMs;
    /// With samples > 1 (k = samples), over cases whose k samples all ran.
    std::optional<double> passAtK;
    std::optional<double> passHatK;
    QList<int> flakyCases; ///< case indexes
};

/// Candidate vs baseline on the same cases and samples.
struct VariantComparisonResult
{
    int baseline = 0;
    int candidate = 0;
    stats::VariantComparison passFail; ///< McNemar exact on paired pass/fail
    std::optional<stats::PairedBootstrap> scores; ///< paired bootstrap on scores
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

/// A finished or partial eval loaded for display: the cases x variants matrix with outputs,
/// assertion outcomes, judge verdicts and honest statistics.
class EvalResults final
{
public:
    static Result<EvalResults> load(Database &db, qint64 evalId);
    /// The newest eval in the project (0 when there is none).
    static Result<qint64> latestEvalId(Database &db);

    enum class Filter { All, FailuresOnly, FlakyOnly, ChangedBetween };
    /// Case indexes to show. ChangedBetween: cases whose pass/fail differs between variants
    /// `a` and `b` (on any sample).
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
    /// Pass rate over every sample of every variant.
    stats::Proportion overall;

private:
    QList<QList<EvalCell>> m_cells; ///< [case][variant]
    void summarize();
};

} // namespace ts
