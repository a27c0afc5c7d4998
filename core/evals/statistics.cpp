#include "evals/statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

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

// Means of `resamples` resamples with replacement. Indexes come straight from the
// mt19937_64 stream (whose output the standard fixes) rather than from a distribution
// object (whose algorithm it does not), so a seed means the same on every platform.
std::vector<double> resampledMeans(const QList<double> &values, int resamples, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    const auto n = static_cast<std::uint64_t>(values.size());
    std::vector<double> means;
    means.reserve(size_t(std::max(resamples, 0)));
    for (int r = 0; r < resamples; ++r) {
        double sum = 0;
        for (std::uint64_t i = 0; i < n; ++i)
            sum += values[qsizetype(rng() % n)];
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

} // namespace ts::stats
