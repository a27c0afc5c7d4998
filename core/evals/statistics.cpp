#include "evals/statistics.h"

#include "evals/statisticsresampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ts::stats {

namespace {

// P(X <= m) for X ~ Binomial(n, 1/2), summed in log space so large n stays finite.
double binomialHalfCdf(int n, int m)
{
    double total = 0;
    const double logHalfPowN = -n * std::log(2.0);
    for (int i = 0; i <= m; ++i)
        total += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0)
                          + logHalfPowN);
    return std::min(1.0, total);
}

// Type-7 quantile (linear interpolation between order statistics) of sorted data.
double quantile(const std::vector<double> &sorted, double q)
{
    if (sorted.empty())
        return 0;
    const double h = (sorted.size() - 1) * q;
    const auto lo = static_cast<size_t>(std::floor(h));
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

// Means of `resamples` resamples with replacement. Indexes are `rng() % n` straight from the
// mt19937_64 stream (whose output the standard fixes) rather than from a distribution object
// (whose algorithm it does not), so a seed means the same on every platform; ResampleIndexes
// computes exactly those, faster.
std::vector<double> resampledMeans(const QList<double> &values, int resamples, std::uint64_t seed)
{
    const auto n = static_cast<std::uint64_t>(values.size());
    std::vector<double> means;
    means.reserve(size_t(std::max(resamples, 0)));
    if (n == 0)
        return means;
    const double *data = values.constData();
    ResampleIndexes indexes(seed, n);
    for (int r = 0; r < resamples; ++r) {
        double sum = 0;
        for (std::uint64_t i = 0; i < n; ++i)
            sum += data[indexes.next()];
        means.push_back(sum / double(n));
    }
    std::sort(means.begin(), means.end());
    return means;
}

double mean(const QList<double> &values)
{
    return values.isEmpty() ? 0
                            : std::accumulate(values.cbegin(), values.cend(), 0.0) / values.size();
}

tl::unexpected<Error> invalid(const QString &message)
{
    return fail(ErrorCode::InvalidArgument, message);
}

} // namespace

Proportion wilson(int successes, int trials, double z)
{
    Proportion p {successes, trials, 0, {0, 1}};
    if (trials <= 0)
        return p;
    const double n = trials;
    const double phat = double(successes) / n;
    const double z2 = z * z;
    const double denominator = 1 + z2 / n;
    const double centre = (phat + z2 / (2 * n)) / denominator;
    const double half = z * std::sqrt(phat * (1 - phat) / n + z2 / (4 * n * n)) / denominator;
    p.estimate = phat;
    p.ci = {std::max(0.0, centre - half), std::min(1.0, centre + half)};
    return p;
}

MeanEstimate bootstrapMean(const QList<double> &values, int resamples, std::uint64_t seed,
                           double confidence)
{
    MeanEstimate estimate;
    estimate.n = int(values.size());
    if (values.isEmpty())
        return estimate;
    estimate.mean = mean(values);
    const std::vector<double> means = resampledMeans(values, resamples, seed);
    const double tail = (1 - confidence) / 2;
    estimate.ci = {quantile(means, tail), quantile(means, 1 - tail)};
    return estimate;
}

McNemar mcnemarExact(int onlyFirst, int onlySecond)
{
    McNemar result {onlyFirst, onlySecond, 1};
    const int n = onlyFirst + onlySecond;
    if (n > 0)
        result.pValue = std::min(1.0, 2 * binomialHalfCdf(n, std::min(onlyFirst, onlySecond)));
    return result;
}

Result<McNemar> mcnemarExact(const QList<bool> &first, const QList<bool> &second)
{
    if (first.size() != second.size())
        return invalid(
            QStringLiteral("paired outcomes need the same cases on both sides (%1 vs %2)")
                .arg(first.size())
                .arg(second.size()));
    int onlyFirst = 0, onlySecond = 0;
    for (qsizetype i = 0; i < first.size(); ++i) {
        onlyFirst += first[i] && !second[i];
        onlySecond += !first[i] && second[i];
    }
    return mcnemarExact(onlyFirst, onlySecond);
}

Result<PairedBootstrap> pairedBootstrap(const QList<double> &first, const QList<double> &second,
                                        int resamples, std::uint64_t seed, double confidence)
{
    if (first.size() != second.size())
        return invalid(QStringLiteral("paired scores need the same cases on both sides (%1 vs %2)")
                           .arg(first.size())
                           .arg(second.size()));
    if (first.isEmpty())
        return invalid(QStringLiteral("no paired scores to compare"));
    if (resamples < 1)
        return invalid(QStringLiteral("at least one resample is needed"));
    QList<double> differences;
    differences.reserve(first.size());
    for (qsizetype i = 0; i < first.size(); ++i)
        differences.append(second[i] - first[i]);

    PairedBootstrap result;
    result.n = int(first.size());
    result.meanDifference = mean(differences);
    const std::vector<double> means = resampledMeans(differences, resamples, seed);
    const double tail = (1 - confidence) / 2;
    result.ci = {quantile(means, tail), quantile(means, 1 - tail)};
    if (result.meanDifference != 0) {
        const bool positive = result.meanDifference > 0;
        const auto crossing = std::count_if(means.begin(), means.end(),
                                            [&](double m) { return positive ? m <= 0 : m >= 0; });
        result.pValue = std::min(1.0, 2.0 * double(crossing) / double(means.size()));
    }
    return result;
}

Result<double> passAtK(int n, int c, int k)
{
    if (n < 1 || c < 0 || c > n || k < 1 || k > n)
        return invalid(
            QStringLiteral("pass@k needs 0 <= c <= n and 1 <= k <= n (got n=%1, c=%2, k=%3)")
                .arg(n)
                .arg(c)
                .arg(k));
    if (n - c < k)
        return 1.0;
    // 1 - C(n-c, k)/C(n, k) as a product, which stays exact-ish where binomials overflow
    double allFail = 1;
    for (int i = n - c + 1; i <= n; ++i)
        allFail *= 1.0 - double(k) / double(i);
    return 1.0 - allFail;
}

Result<double> passHatK(int n, int c, int k)
{
    if (n < 1 || c < 0 || c > n || k < 1 || k > n)
        return invalid(
            QStringLiteral("pass^k needs 0 <= c <= n and 1 <= k <= n (got n=%1, c=%2, k=%3)")
                .arg(n)
                .arg(c)
                .arg(k));
    double all = 1;
    for (int i = 0; i < k; ++i)
        all *= double(c - i) / double(n - i);
    return std::max(0.0, all);
}

bool isFlaky(const QList<bool> &samples)
{
    return samples.contains(true) && samples.contains(false);
}

QList<int> flakyCases(const QList<QList<bool>> &samplesPerCase)
{
    QList<int> flaky;
    for (qsizetype i = 0; i < samplesPerCase.size(); ++i) {
        if (isFlaky(samplesPerCase[i]))
            flaky.append(int(i));
    }
    return flaky;
}

QString formatPValue(double p)
{
    if (p < 0.001)
        return QStringLiteral("< 0.001");
    return QStringLiteral("= ") + QString::number(p, 'g', 2);
}

Result<VariantComparison> compareVariants(const QList<bool> &baseline, const QList<bool> &candidate,
                                          double alpha)
{
    if (baseline.isEmpty())
        return invalid(QStringLiteral("no cases to compare"));
    auto test = mcnemarExact(baseline, candidate);
    if (!test)
        return fail(test.error());

    VariantComparison c;
    c.pValue = test->pValue;
    c.baselineOnlyPasses = test->onlyFirst;
    c.candidateOnlyPasses = test->onlySecond;
    c.baseline = wilson(int(baseline.count(true)), int(baseline.size()));
    c.candidate = wilson(int(candidate.count(true)), int(candidate.size()));
    QString lead = QStringLiteral("No significant difference");
    if (c.pValue < alpha) {
        const bool better = c.candidateOnlyPasses > c.baselineOnlyPasses;
        c.verdict = better ? ComparisonVerdict::Better : ComparisonVerdict::Worse;
        lead
            = better ? QStringLiteral("Candidate is better") : QStringLiteral("Candidate is worse");
    }
    c.sentence = QStringLiteral("%1 (McNemar exact p %2, %3 vs %4 discordant pairs)")
                     .arg(lead, formatPValue(c.pValue))
                     .arg(c.candidateOnlyPasses)
                     .arg(c.baselineOnlyPasses);
    return c;
}

CasePassRate casePassRate(const QList<QList<bool>> &perCase, int resamples, std::uint64_t seed)
{
    CasePassRate rate;
    QList<double> shares;
    bool repeated = false;
    for (const QList<bool> &verdicts : perCase) {
        if (verdicts.isEmpty())
            continue;
        const int passes = int(verdicts.count(true));
        rate.successes += passes;
        rate.trials += int(verdicts.size());
        repeated = repeated || verdicts.size() > 1;
        shares.append(double(passes) / double(verdicts.size()));
    }
    rate.cases = int(shares.size());
    if (!repeated) {
        const Proportion p = wilson(rate.successes, rate.trials);
        rate.estimate = p.estimate;
        rate.ci = p.ci;
        rate.method = RateMethod::Wilson;
        return rate;
    }
    const MeanEstimate m = bootstrapMean(shares, resamples, seed);
    rate.estimate = m.mean;
    rate.ci = m.ci;
    rate.method = RateMethod::CaseBootstrap;
    return rate;
}

bool majorityPass(const QList<bool> &verdicts)
{
    return 2 * verdicts.count(true) > verdicts.size();
}

Result<CaseComparison> compareCases(const QList<QList<bool>> &baseline,
                                    const QList<QList<bool>> &candidate, double alpha,
                                    int resamples, std::uint64_t seed)
{
    if (baseline.size() != candidate.size())
        return invalid(QStringLiteral("paired cases need the same cases on both sides (%1 vs %2)")
                           .arg(baseline.size())
                           .arg(candidate.size()));
    CaseComparison c;
    QList<bool> baseMajority, candMajority;
    QList<double> baseShare, candShare;
    for (qsizetype i = 0; i < baseline.size(); ++i) {
        const QList<bool> &b = baseline[i];
        const QList<bool> &k = candidate[i];
        if (b.isEmpty() || k.isEmpty()) {
            if (!b.isEmpty() || !k.isEmpty())
                ++c.unpairedCases;
            continue;
        }
        c.repeated = c.repeated || b.size() > 1 || k.size() > 1;
        baseMajority.append(majorityPass(b));
        candMajority.append(majorityPass(k));
        baseShare.append(double(b.count(true)) / double(b.size()));
        candShare.append(double(k.count(true)) / double(k.size()));
    }
    c.pairedCases = int(baseShare.size());
    if (c.pairedCases == 0)
        return invalid(QStringLiteral("no case has an output from both variants"));
    c.mcnemar = *mcnemarExact(baseMajority, candMajority);
    const QString discordant
        = QStringLiteral("%1 vs %2 discordant case%3")
              .arg(c.mcnemar.onlySecond)
              .arg(c.mcnemar.onlyFirst)
              .arg(c.mcnemar.onlySecond == 1 && c.mcnemar.onlyFirst == 1 ? QString()
                                                                         : QStringLiteral("s"));
    bool better = false;
    QString detail;
    if (!c.repeated) {
        c.pValue = c.mcnemar.pValue;
        better = c.mcnemar.onlySecond > c.mcnemar.onlyFirst;
        detail = QStringLiteral("McNemar exact p %1, %2").arg(formatPValue(c.pValue), discordant);
    } else {
        auto pb = pairedBootstrap(baseShare, candShare, resamples, seed);
        if (!pb)
            return fail(pb.error());
        c.shareDifference = *pb;
        c.pValue = pb->pValue;
        better = pb->meanDifference > 0;
        auto sign = [](double v) -> QString {
            return (v >= 0 ? QStringLiteral("+") : QString()) + QString::number(v, 'f', 3);
        };
        detail = QStringLiteral("paired bootstrap over %1 case%2: pass share %3 [%4, %5], p %6; "
                                "McNemar exact on per-case majority verdicts p %7, %8")
                     .arg(c.pairedCases)
                     .arg(c.pairedCases == 1 ? QString() : QStringLiteral("s"))
                     .arg(sign(pb->meanDifference), sign(pb->ci.low), sign(pb->ci.high),
                          formatPValue(pb->pValue), formatPValue(c.mcnemar.pValue), discordant);
    }
    QString lead = QStringLiteral("No significant difference");
    if (c.pValue < alpha) {
        c.verdict = better ? ComparisonVerdict::Better : ComparisonVerdict::Worse;
        lead
            = better ? QStringLiteral("Candidate is better") : QStringLiteral("Candidate is worse");
    }
    c.sentence = QStringLiteral("%1 (%2)").arg(lead, detail);
    if (c.unpairedCases > 0)
        c.sentence += QStringLiteral("; %1 case%2 left out: a variant has no output there")
                          .arg(c.unpairedCases)
                          .arg(c.unpairedCases == 1 ? QString() : QStringLiteral("s"));
    return c;
}

} // namespace ts::stats
