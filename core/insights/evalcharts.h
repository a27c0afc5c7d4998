#pragma once

#include "common/error.h"
#include "evals/evalresults.h"
#include "evals/statistics.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ts {

class Database;

/// What is behind one point, bar or cell of a chart, for click-through: case indexes into
/// EvalResults::cases and the generation ids of the samples counted.
struct ChartRefs
{
    QList<int> cases;
    QList<qint64> generations;
};

/// One variant's pass rate on the pass-rate chart.
struct VariantRatePoint
{
    int variant = 0; ///< index into EvalResults::variants
    QString label; ///< "name@3 · model"
    /// As EvalVariantSummary::passRate: the case is the unit, errors are left out; method says
    /// whether the interval is Wilson (one sample per case) or a case bootstrap (samples).
    stats::CasePassRate rate;
    int errors = 0;
    bool baseline = false;
    /// Against the baseline (nullopt for the baseline itself, or when the two share no case
    /// with an output): the deciding test's verdict, its p-value and the sentence from
    /// EvalResults::compare.
    std::optional<stats::ComparisonVerdict> verdict;
    double pValue = 1;
    QString sentence;
    ChartRefs refs; ///< cases with a verdict and their samples
    QList<int> failedCases; ///< cases with a verdict that did not pass every sample
};

/// Pass rate per variant, sorted best first (ties keep the eval's variant order).
struct PassRateChart
{
    QList<VariantRatePoint> points;
    int baseline = 0; ///< variant index
    /// One sentence per candidate, e.g. "qa@2 · m vs qa@1 · m: No significant difference
    /// (McNemar exact p = 0.42, …)".
    QStringList sentences;
};

/// One variant's mean score with its bootstrap interval (cases resampled).
struct ScorePoint
{
    int variant = 0;
    QString label;
    stats::MeanEstimate score;
    bool baseline = false;
    /// Paired bootstrap of the per-case mean score difference (this − baseline).
    std::optional<stats::PairedBootstrap> vsBaseline;
    ChartRefs refs;
};

/// A row of the heat map: one assertion or one pointwise/factuality judge.
struct HeatRow
{
    enum class Kind { Assertion, Judge };
    Kind kind = Kind::Assertion;
    QString key; ///< "assertion:12", "assertion:contains:\"x\"" (no id), "judge:3"
    QString label; ///< "contains \"refund\"", "judge tone"
};

/// A check on a variant: its pass rate with the case as the unit, and the failures behind it.
struct HeatCell
{
    int row = 0;
    int variant = 0;
    stats::CasePassRate rate; ///< rate.trials == 0: the check never ran on this variant
    ChartRefs failures; ///< samples on which this check failed
};

/// Pass rate per check × variant: which checks fail where.
struct HeatMap
{
    QList<HeatRow> rows;
    QStringList columns; ///< variant labels in variant order
    QList<HeatCell> cells; ///< row-major: cells[row * columns.size() + variant]
    const HeatCell *cell(int row, int variant) const;
};

/// A variant on the quality against cost and latency scatter.
struct CostLatencyPoint
{
    int variant = 0;
    QString label;
    stats::CasePassRate rate;
    /// Mean cost of the calls that were not answered from the cache, × 1000 (a cached answer
    /// costs nothing and says nothing of the price); nullopt when no such call has a cost.
    std::optional<double> costPer1k;
    int costedCalls = 0;
    /// Over calls not answered from the cache. Median: the middle value (mean of the two middle
    /// ones for an even count); p95: nearest rank, the value at rank ceil(0.95·n).
    std::optional<double> medianLatencyMs;
    std::optional<double> p95LatencyMs;
    int timedCalls = 0;
    ChartRefs refs;
};

/// A point for paretoFront().
struct ParetoInput
{
    int index = 0;
    double quality = 0; ///< larger is better
    double cost = 0; ///< smaller is better
};
/// The indexes of the points no other point dominates (at least as good on both axes and
/// strictly better on one), ordered by cost ascending. Equal points are all kept.
QList<int> paretoFront(const QList<ParetoInput> &points);

struct QualityCostChart
{
    QList<CostLatencyPoint> points; ///< in variant order
    /// Pareto fronts (variant indexes, by the cost axis ascending), maximizing the pass rate
    /// estimate and minimizing the cost per 1,000 calls, the median latency, the p95 latency.
    /// Variants without the measure are not on that front.
    QList<int> paretoCost;
    QList<int> paretoMedianLatency;
    QList<int> paretoP95Latency;
};

/// Head-to-head between two variants, from a pairwise judge or from people's preferences.
struct WinRate
{
    enum class Source { Judge, People };
    Source source = Source::Judge;
    QString name; ///< the judge's name, or the criterion ("overall preference" for none)
    int variantA = 0;
    int variantB = 0;
    int winsA = 0;
    int winsB = 0;
    int ties = 0; ///< ties, a judge's inconsistent orders, and people's "both bad"
    int errors = 0;
    /// A's share of the decided comparisons, wilson(winsA, winsA + winsB).
    stats::Proportion winRateA;
    ChartRefs refs; ///< the cases compared; generations of both sides
};

/// Mean scores of a variant's cases (the case is the unit) in equal-width bins.
struct HistogramBin
{
    double low = 0;
    double high = 0; ///< the last bin includes its upper edge
    int count = 0;
    ChartRefs refs;
};
struct ScoreHistogram
{
    int variant = 0;
    QString label;
    QList<HistogramBin> bins;
};

/// One prompt version's pass rate in the newest finished-or-running eval that ran it on the
/// same dataset and model.
struct VersionHistoryPoint
{
    qint64 evalId = 0;
    QString evalCreatedAt;
    qint64 promptVersionId = 0;
    int promptVersion = 0;
    QStringList labels; ///< prompt labels pointing at this version now ("production", …)
    stats::CasePassRate rate;
    bool inThisEval = false;
};
/// Pass rate per prompt version for one (prompt, model) pair of the eval, on its dataset.
struct VersionHistorySeries
{
    QString promptName;
    QString modelName;
    qint64 promptId = 0;
    qint64 modelId = 0;
    QList<VersionHistoryPoint> points; ///< by version number ascending
};

/// Everything the eval charts draw.
struct EvalCharts
{
    qint64 evalId = 0;
    QString evalName;
    QString datasetName;
    int samples = 1;
    PassRateChart passRate;
    QList<ScorePoint> scores; ///< in variant order
    HeatMap heatMap;
    QualityCostChart qualityCost;
    QList<WinRate> winRates;
    QList<ScoreHistogram> histograms; ///< in variant order
    QList<VersionHistorySeries> history;
};

struct EvalChartOptions
{
    int baseline = 0; ///< variant index the others are compared with
    int histogramBins = 10;
};

/// The charts computable from the loaded results alone (no history, no people's preferences,
/// judge win rates without click-through refs).
EvalCharts buildEvalCharts(const EvalResults &results, const EvalChartOptions &options = {});

/// buildEvalCharts() plus what needs the project: the pairwise judges' compared cases, people's
/// preferences between the eval's generations, and pass rate per prompt version across evals
/// on the same dataset and model.
Result<EvalCharts> loadEvalCharts(Database &db, const EvalResults &results,
                                  const EvalChartOptions &options = {});

} // namespace ts
