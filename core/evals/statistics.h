#pragma once

#include "common/error.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

/// Honest numbers for nondeterministic outputs: intervals instead of bare rates, paired tests
/// instead of "72% vs 70%". Every resampling function takes a seed, so the same data and
/// seed give the same interval on every machine.
namespace ts::stats {

/// z for a two-sided 95% interval.
inline constexpr double kZ95 = 1.959964;
inline constexpr int kDefaultResamples = 2000;
inline constexpr std::uint64_t kDefaultSeed = 20240601;

struct Interval
{
    double low = 0;
    double high = 0;
};

/// k successes of n with the Wilson score interval (sensible at 0/n and n/n, unlike the
/// normal approximation). n = 0 gives the uninformative [0, 1] with estimate 0.
struct Proportion
{
    int successes = 0;
    int trials = 0;
    double estimate = 0;
    Interval ci;
};
Proportion wilson(int successes, int trials, double z = kZ95);

/// A mean with a bootstrap percentile interval.
struct MeanEstimate
{
    int n = 0;
    double mean = 0;
    Interval ci;
};
/// Percentile bootstrap of the mean: `resamples` resamples with replacement, interval at
/// the (1-confidence)/2 and (1+confidence)/2 quantiles (linear interpolation between order
/// statistics). Empty input: n = 0, everything 0.
MeanEstimate bootstrapMean(const QList<double> &values, int resamples = kDefaultResamples,
                           std::uint64_t seed = kDefaultSeed, double confidence = 0.95);

/// McNemar's exact test on paired pass/fail outcomes. Only the discordant pairs carry
/// information: `onlyFirst` (first passed, second failed) and `onlySecond`.
struct McNemar
{
    int onlyFirst = 0;
    int onlySecond = 0;
    double pValue = 1; ///< two-sided: min(1, 2 * P(X <= min(b, c))), X ~ Binomial(b + c, 1/2)
};
McNemar mcnemarExact(int onlyFirst, int onlySecond);
/// Pairs item i of `first` with item i of `second`; fails when the lengths differ.
Result<McNemar> mcnemarExact(const QList<bool> &first, const QList<bool> &second);

/// Paired bootstrap on score differences (second - first), resampling pairs.
struct PairedBootstrap
{
    int n = 0;
    double meanDifference = 0; ///< mean of second - first
    Interval ci; ///< percentile interval of the resampled mean difference
    /// Twice the fraction of resampled means on the far side of 0 from the observed
    /// difference (capped at 1): a bootstrap two-sided p-value. 1 when nothing differs.
    double pValue = 1;
};
Result<PairedBootstrap> pairedBootstrap(const QList<double> &first, const QList<double> &second,
                                        int resamples = kDefaultResamples,
                                        std::uint64_t seed = kDefaultSeed,
                                        double confidence = 0.95);

/// Unbiased pass@k (Chen et al. 2021): probability that at least one of k samples drawn
/// without replacement from n, c of them correct, passes: 1 - C(n-c, k) / C(n, k).
/// Fails unless 0 <= c <= n and 1 <= k <= n.
Result<double> passAtK(int n, int c, int k);
/// pass^k: probability that all k samples drawn pass: C(c, k) / C(n, k).
Result<double> passHatK(int n, int c, int k);

/// A case is flaky when its repeated samples disagree (some pass, some fail).
bool isFlaky(const QList<bool> &samples);
/// Indexes of the flaky cases among per-case sample lists.
QList<int> flakyCases(const QList<QList<bool>> &samplesPerCase);

enum class ComparisonVerdict { Better, Worse, NoSignificantDifference };

/// Whether a candidate variant beats a baseline on the same cases.
struct VariantComparison
{
    ComparisonVerdict verdict = ComparisonVerdict::NoSignificantDifference;
    double pValue = 1;
    Proportion baseline;
    Proportion candidate;
    int candidateOnlyPasses = 0; ///< cases the candidate passed and the baseline failed
    int baselineOnlyPasses = 0;
    /// e.g. "Better (McNemar exact p = 0.039, 10 vs 2 discordant pairs)", counting the
    /// candidate's wins first, or "No significant difference (McNemar exact p = 0.42, …)".
    QString sentence;
};
/// Paired pass/fail comparison with McNemar's exact test at level `alpha`. Fails when the
/// lists differ in length or are empty.
Result<VariantComparison> compareVariants(const QList<bool> &baseline, const QList<bool> &candidate,
                                          double alpha = 0.05);

/// Formats a p-value for people: two significant digits, "< 0.001" below that.
QString formatPValue(double p);

// ---- The test case as the unit of analysis -------------------------------------------------
//
// Repeated samples of one case are not independent cases: a case whose three samples all fail
// is one failing case, not three. Every function below takes verdicts grouped by case
// (perCase[i] = the verdicts of case i's samples that produced an output; a call that failed
// has no verdict and is simply absent) and keeps a case's samples together.

/// How a pass rate's interval was computed.
enum class RateMethod {
    Wilson, ///< one verdict per case: the share of cases passed, Wilson score interval
    CaseBootstrap, ///< several: mean per-case pass share, percentile bootstrap over cases
};

/// A pass rate whose unit of analysis is the test case.
struct CasePassRate
{
    int successes = 0; ///< samples that passed
    int trials = 0; ///< samples with a verdict (errors have none)
    int cases = 0; ///< cases with at least one verdict: the unit of analysis
    double estimate = 0; ///< share of cases passed, or the mean per-case pass share
    Interval ci {0, 1};
    RateMethod method = RateMethod::Wilson;
};
/// With at most one verdict per case, the share of cases passed with a Wilson interval; with
/// more, the mean over cases of each case's pass share, with a percentile bootstrap interval
/// that resamples whole cases. Cases without a verdict are left out; none at all gives
/// estimate 0 and the uninformative [0, 1].
CasePassRate casePassRate(const QList<QList<bool>> &perCase, int resamples = kDefaultResamples,
                          std::uint64_t seed = kDefaultSeed);

/// A case passes by majority when more than half of its verdicts pass (2 of 3; 1 of 2 does not).
bool majorityPass(const QList<bool> &verdicts);

/// Candidate vs baseline on the cases both have a verdict for.
struct CaseComparison
{
    ComparisonVerdict verdict = ComparisonVerdict::NoSignificantDifference;
    double pValue = 1; ///< of the deciding test
    int pairedCases = 0; ///< cases where both variants have at least one verdict
    int unpairedCases = 0; ///< cases left out because one side (or both) has no output
    bool repeated = false; ///< some paired case has more than one verdict on a side
    /// McNemar's exact test on case verdicts: the deciding test with one verdict per case;
    /// with repeated samples it runs on per-case majority verdicts and is shown for reference.
    McNemar mcnemar;
    /// Repeated samples only, and then the deciding test: paired bootstrap over cases of the
    /// per-case pass-share difference (candidate − baseline).
    std::optional<PairedBootstrap> shareDifference;
    /// "Candidate is better (McNemar exact p = 0.039, 10 vs 2 discordant cases)", or with
    /// samples "No significant difference (paired bootstrap over 10 cases: pass share
    /// +0.200 [-0.067, 0.467], p = 0.25; McNemar exact on per-case majority verdicts p = 0.5,
    /// 2 vs 0 discordant cases)".
    QString sentence;
};
/// Pairs case i of `baseline` with case i of `candidate` (both lists have one entry per case).
/// Fails when the lengths differ or no case has a verdict on both sides.
Result<CaseComparison> compareCases(const QList<QList<bool>> &baseline,
                                    const QList<QList<bool>> &candidate, double alpha = 0.05,
                                    int resamples = kDefaultResamples,
                                    std::uint64_t seed = kDefaultSeed);

} // namespace ts::stats
