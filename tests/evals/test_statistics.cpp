#include "evals/statistics.h"
#include "evals/statisticsresampler.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace ts::stats;

namespace {

bool near(double actual, double expected, double tolerance = 1e-4)
{
    return std::abs(actual - expected) <= tolerance;
}

QList<bool> outcomes(int passBoth, int onlyFirst, int onlySecond, int failBoth, bool first)
{
    QList<bool> list;
    list.append(QList<bool>(passBoth, true));
    list.append(QList<bool>(onlyFirst, first));
    list.append(QList<bool>(onlySecond, !first));
    list.append(QList<bool>(failBoth, false));
    return list;
}

} // namespace

class TestStatistics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wilsonIntervalMatchesHandComputation()
    {
        // 8/10: centre 0.71674, half-width 0.22658 (textbook value [0.4902, 0.9433])
        const Proportion p = wilson(8, 10);
        QCOMPARE(p.estimate, 0.8);
        QVERIFY2(near(p.ci.low, 0.49016), qPrintable(QString::number(p.ci.low)));
        QVERIFY2(near(p.ci.high, 0.94332), qPrintable(QString::number(p.ci.high)));
        // 0/10 still has an informative upper bound, unlike the normal approximation
        const Proportion none = wilson(0, 10);
        QCOMPARE(none.ci.low, 0.0);
        QVERIFY(near(none.ci.high, 0.27753));
        const Proportion all = wilson(10, 10);
        QVERIFY(near(all.ci.low, 0.72247));
        QCOMPARE(all.ci.high, 1.0);
        const Proportion empty = wilson(0, 0);
        QCOMPARE(empty.ci.low, 0.0);
        QCOMPARE(empty.ci.high, 1.0);
    }

    void mcnemarExactOnHandComputedTables()
    {
        // b = 10, c = 2: 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 158 / 4096
        QVERIFY(near(mcnemarExact(10, 2).pValue, 0.0385742, 1e-6));
        QVERIFY(near(mcnemarExact(2, 10).pValue, 0.0385742, 1e-6));
        QVERIFY(near(mcnemarExact(12, 9).pValue, 0.6636238, 1e-6));
        QVERIFY(near(mcnemarExact(3, 1).pValue, 0.625, 1e-9));
        QCOMPARE(mcnemarExact(0, 0).pValue, 1.0);
        QCOMPARE(mcnemarExact(5, 5).pValue, 1.0);

        const auto paired
            = mcnemarExact(outcomes(30, 10, 2, 8, true), outcomes(30, 10, 2, 8, false));
        QVERIFY(paired.has_value());
        QCOMPARE(paired->onlyFirst, 10);
        QCOMPARE(paired->onlySecond, 2);
        QVERIFY(!mcnemarExact(QList<bool> {true}, QList<bool> {true, false}).has_value());
    }

    void passAtKAndPassHatK()
    {
        QVERIFY(near(*passAtK(10, 3, 1), 0.3, 1e-12));
        QVERIFY(near(*passAtK(10, 3, 5), 1.0 - 21.0 / 252.0, 1e-12)); // 1 - C(7,5)/C(10,5)
        QCOMPARE(*passAtK(10, 8, 3), 1.0); // fewer than k failures
        QCOMPARE(*passAtK(10, 0, 3), 0.0);
        QVERIFY(near(*passHatK(10, 3, 2), 3.0 / 45.0, 1e-12)); // C(3,2)/C(10,2)
        QCOMPARE(*passHatK(10, 2, 3), 0.0);
        QCOMPARE(*passHatK(5, 5, 5), 1.0);
        QVERIFY(!passAtK(5, 6, 1).has_value());
        QVERIFY(!passAtK(5, 2, 6).has_value());
        QVERIFY(!passHatK(5, 2, 0).has_value());
    }

    void bootstrapIsReproducibleWithASeed()
    {
        QList<double> values;
        for (int i = 0; i < 100; ++i)
            values.append(i % 2);
        const MeanEstimate a = bootstrapMean(values, 2000, 7);
        const MeanEstimate b = bootstrapMean(values, 2000, 7);
        QCOMPARE(a.mean, 0.5);
        QCOMPARE(a.ci.low, b.ci.low);
        QCOMPARE(a.ci.high, b.ci.high);
        // close to the normal-theory interval 0.5 +- 1.96 * 0.05
        QVERIFY2(near(a.ci.low, 0.402, 0.03) && near(a.ci.high, 0.598, 0.03),
                 qPrintable(QStringLiteral("%1 %2").arg(a.ci.low).arg(a.ci.high)));
        const MeanEstimate other = bootstrapMean(values, 2000, 8);
        QVERIFY(other.ci.low != a.ci.low || other.ci.high != a.ci.high);

        const MeanEstimate constant = bootstrapMean({0.7, 0.7, 0.7});
        QCOMPARE(constant.ci.low, 0.7);
        QCOMPARE(constant.ci.high, 0.7);
        QCOMPARE(bootstrapMean({}).n, 0);
    }

    void resampleIndexesAreTheStandardEngineModuloN()
    {
        // The documented meaning of a seed: index = std::mt19937_64(seed)() % n.
        for (std::uint64_t n : {std::uint64_t(1), std::uint64_t(2), std::uint64_t(7),
                                std::uint64_t(1000), std::uint64_t(100000), std::uint64_t(65536),
                                (std::uint64_t(1) << 33) + 3, ~std::uint64_t(0)}) {
            std::mt19937_64 engine(20240601);
            ResampleIndexes indexes(20240601, n);
            for (int i = 0; i < 100000; ++i) {
                const std::uint64_t expected = engine() % n;
                const std::uint64_t actual = indexes.next();
                if (actual != expected)
                    QFAIL(qPrintable(QStringLiteral("n = %1, draw %2: %3 instead of %4")
                                         .arg(n)
                                         .arg(i)
                                         .arg(actual)
                                         .arg(expected)));
            }
        }
    }

    void bootstrapIntervalIsThePercentilesOfTheSeededResamples()
    {
        // The interval computed the plain way (standard engine, %, type-7 quantiles) for
        // 1,000 unequal values: the fast path gives the same doubles.
        QList<double> values;
        for (int i = 0; i < 1000; ++i)
            values.append(double((i * 37) % 101) / 100.0);
        std::mt19937_64 engine(kDefaultSeed);
        std::vector<double> means;
        for (int r = 0; r < 500; ++r) {
            double sum = 0;
            for (int i = 0; i < values.size(); ++i)
                sum += values[qsizetype(engine() % std::uint64_t(values.size()))];
            means.push_back(sum / double(values.size()));
        }
        std::sort(means.begin(), means.end());
        const auto quantile = [&](double q) {
            const double h = double(means.size() - 1) * q;
            const auto lo = size_t(std::floor(h));
            const size_t hi = std::min(lo + 1, means.size() - 1);
            return means[lo] + (h - double(lo)) * (means[hi] - means[lo]);
        };
        const MeanEstimate m = bootstrapMean(values, 500, kDefaultSeed);
        QCOMPARE(m.ci.low, quantile(0.025));
        QCOMPARE(m.ci.high, quantile(0.975));
    }

    void pairedBootstrapOnScoreDifferences()
    {
        const QList<double> base {0.2, 0.4, 0.5, 0.3, 0.6, 0.4, 0.5, 0.2, 0.3, 0.4};
        QList<double> better;
        for (double s : base)
            better.append(s + 0.2);
        const auto clear = pairedBootstrap(base, better);
        QVERIFY(clear.has_value());
        QVERIFY(near(clear->meanDifference, 0.2, 1e-12));
        QVERIFY(near(clear->ci.low, 0.2, 1e-12) && near(clear->ci.high, 0.2, 1e-12));
        QCOMPARE(clear->pValue, 0.0);

        const auto same = pairedBootstrap(base, base);
        QCOMPARE(same->pValue, 1.0);
        QCOMPARE(same->meanDifference, 0.0);

        // noisy differences centred near zero: the interval straddles 0 and p is large
        const QList<double> noisy {0.3, 0.3, 0.6, 0.2, 0.5, 0.5, 0.4, 0.3, 0.2, 0.4};
        const auto unclear = pairedBootstrap(base, noisy, 2000, 11);
        QVERIFY(unclear->ci.low < 0 && unclear->ci.high > 0);
        QVERIFY(unclear->pValue > 0.5);
        const auto again = pairedBootstrap(base, noisy, 2000, 11);
        QCOMPARE(again->pValue, unclear->pValue);
        QVERIFY(!pairedBootstrap({1.0}, {1.0, 2.0}).has_value());
    }

    void flakyCasesDisagreeAcrossSamples()
    {
        QVERIFY(isFlaky({true, false, true}));
        QVERIFY(!isFlaky({true, true}));
        QVERIFY(!isFlaky({false}));
        QVERIFY(!isFlaky({}));
        QCOMPARE(flakyCases({{true, true}, {true, false}, {false, false}, {false, true, true}}),
                 (QList<int> {1, 3}));
    }

    void compareVariantsGivesAReadableVerdict()
    {
        // baseline passes 10 cases the candidate fails, the candidate 2 the baseline fails
        const QList<bool> baseline = outcomes(30, 10, 2, 8, true);
        const QList<bool> candidate = outcomes(30, 10, 2, 8, false);
        const auto worse = compareVariants(baseline, candidate);
        QVERIFY(worse.has_value());
        QCOMPARE(worse->verdict, ComparisonVerdict::Worse);
        QCOMPARE(worse->sentence,
                 QStringLiteral(
                     "Candidate is worse (McNemar exact p = 0.039, 2 vs 10 discordant pairs)"));
        QCOMPARE(worse->baseline.successes, 40);
        QCOMPARE(worse->candidate.successes, 32);

        const auto better = compareVariants(candidate, baseline);
        QCOMPARE(better->verdict, ComparisonVerdict::Better);
        QCOMPARE(better->sentence,
                 QStringLiteral(
                     "Candidate is better (McNemar exact p = 0.039, 10 vs 2 discordant pairs)"));

        const auto even
            = compareVariants(outcomes(10, 12, 9, 5, true), outcomes(10, 12, 9, 5, false));
        QCOMPARE(even->verdict, ComparisonVerdict::NoSignificantDifference);
        QCOMPARE(
            even->sentence,
            QStringLiteral(
                "No significant difference (McNemar exact p = 0.66, 9 vs 12 discordant pairs)"));
        QVERIFY(!compareVariants({}, {}).has_value());
        QCOMPARE(formatPValue(0.0001), QStringLiteral("< 0.001"));
    }

    void oneSamplePerCaseIsWilsonOverCases()
    {
        // 8 of 10 cases pass, 2 more cases have no output (errors): they are left out.
        QList<QList<bool>> perCase;
        for (int i = 0; i < 10; ++i)
            perCase.append(QList<bool> {i < 8});
        perCase.append(QList<bool> {});
        perCase.append(QList<bool> {});
        const CasePassRate rate = casePassRate(perCase);
        QCOMPARE(rate.method, RateMethod::Wilson);
        QCOMPARE(rate.successes, 8);
        QCOMPARE(rate.trials, 10);
        QCOMPARE(rate.cases, 10);
        QCOMPARE(rate.estimate, 0.8);
        QVERIFY(near(rate.ci.low, 0.49016));
        QVERIFY(near(rate.ci.high, 0.94332));
        const CasePassRate none = casePassRate({{}, {}});
        QCOMPARE(none.cases, 0);
        QCOMPARE(none.ci.low, 0.0);
        QCOMPARE(none.ci.high, 1.0);
    }

    void samplesAverageWithinTheCaseFirst()
    {
        // Shares 1, 2/3, 1/3, 0: mean 0.5 over 4 cases (6 of 12 samples pass). The interval
        // resamples the 4 cases, so it is far wider than Wilson on 12 "independent" samples
        // ([0.254, 0.746]) would pretend.
        const QList<QList<bool>> perCase {
            {true, true, true}, {true, true, false}, {false, true, false}, {false, false, false}};
        const CasePassRate rate = casePassRate(perCase);
        QCOMPARE(rate.method, RateMethod::CaseBootstrap);
        QCOMPARE(rate.cases, 4);
        QCOMPARE(rate.successes, 6);
        QCOMPARE(rate.trials, 12);
        QCOMPARE(rate.estimate, 0.5);
        QVERIFY2(rate.ci.low < 0.2 && rate.ci.high > 0.8,
                 qPrintable(QStringLiteral("%1 %2").arg(rate.ci.low).arg(rate.ci.high)));
        const Proportion naive = wilson(6, 12);
        QVERIFY(rate.ci.low < naive.ci.low && rate.ci.high > naive.ci.high);
        // Unequal sample counts (an error in case 2) weight cases, not samples: (1 + 0)/2.
        const CasePassRate uneven = casePassRate({{true, true, true}, {false}});
        QCOMPARE(uneven.estimate, 0.5);
        QCOMPARE(uneven.successes, 3);
        QCOMPARE(uneven.trials, 4);
        QCOMPARE(casePassRate(perCase).ci.low, rate.ci.low); // same seed, same interval
    }

    void majorityVerdicts()
    {
        QVERIFY(majorityPass({true, true, false}));
        QVERIFY(!majorityPass({true, false, false}));
        QVERIFY(!majorityPass({true, false})); // a tie is not a majority
        QVERIFY(majorityPass({true}));
        QVERIFY(!majorityPass({}));
    }

    void twoDifferingCasesWithThreeSamplesAreTwoCases()
    {
        // The example: 10 cases x 3 samples, the candidate passes 2 cases (all 3
        // samples) that the baseline fails, the other 8 pass on both. Counting samples as
        // pairs gave "McNemar exact p = 0.031, 6 vs 0 discordant pairs"; per case it is 2 vs 0,
        // p = 0.5, and the deciding paired bootstrap over cases finds no significant difference.
        QList<QList<bool>> baseline, candidate;
        for (int i = 0; i < 10; ++i) {
            baseline.append(QList<bool>(3, i >= 2));
            candidate.append(QList<bool>(3, true));
        }
        QVERIFY(near(mcnemarExact(0, 6).pValue, 0.03125, 1e-9)); // the inflated figure
        const auto c = compareCases(baseline, candidate);
        QVERIFY(c.has_value());
        QVERIFY(c->repeated);
        QCOMPARE(c->pairedCases, 10);
        QCOMPARE(c->mcnemar.onlySecond, 2);
        QCOMPARE(c->mcnemar.onlyFirst, 0);
        QCOMPARE(c->mcnemar.pValue, 0.5);
        QVERIFY(c->shareDifference);
        QVERIFY(near(c->shareDifference->meanDifference, 0.2, 1e-12));
        // P(a resample of 10 cases holds neither differing case) = 0.8^10 = 0.107: p ~ 0.21.
        QVERIFY2(c->pValue > 0.1 && c->pValue < 0.35, qPrintable(QString::number(c->pValue)));
        QCOMPARE(c->pValue, c->shareDifference->pValue);
        QCOMPARE(c->verdict, ComparisonVerdict::NoSignificantDifference);
        QVERIFY2(c->sentence.startsWith(QStringLiteral(
                     "No significant difference (paired bootstrap over 10 cases: pass share "
                     "+0.200 [")),
                 qPrintable(c->sentence));
        QVERIFY2(c->sentence.endsWith(QStringLiteral(
                     "McNemar exact on per-case majority verdicts p = 0.5, 2 vs 0 discordant "
                     "cases)")),
                 qPrintable(c->sentence));
    }

    void manyDifferingCasesWithSamplesAreSignificant()
    {
        // 12 of 20 cases: candidate 3/3, baseline 0/3 — every resample moves the same way.
        QList<QList<bool>> baseline, candidate;
        for (int i = 0; i < 20; ++i) {
            baseline.append(QList<bool>(3, i >= 12));
            candidate.append(QList<bool>(3, true));
        }
        const auto c = compareCases(baseline, candidate);
        QVERIFY(c.has_value());
        QCOMPARE(c->verdict, ComparisonVerdict::Better);
        QVERIFY(c->pValue < 0.001);
        QVERIFY(c->sentence.startsWith(QStringLiteral("Candidate is better (paired bootstrap")));
        const auto reversed = compareCases(candidate, baseline);
        QCOMPARE(reversed->verdict, ComparisonVerdict::Worse);
    }

    void oneSamplePerCaseUsesMcNemarAndLeavesErrorsOut()
    {
        // 10 cases only the candidate passes, 2 only the baseline, 30 both, 8 neither; then
        // 3 cases where one side has no output (an error) are left out of the pairs.
        QList<QList<bool>> baseline, candidate;
        auto add = [&](int n, bool b, bool c) {
            for (int i = 0; i < n; ++i) {
                baseline.append(QList<bool> {b});
                candidate.append(QList<bool> {c});
            }
        };
        add(10, false, true);
        add(2, true, false);
        add(30, true, true);
        add(8, false, false);
        baseline.append(QList<bool> {});
        candidate.append(QList<bool> {true});
        baseline.append(QList<bool> {false});
        candidate.append(QList<bool> {});
        baseline.append(QList<bool> {false});
        candidate.append(QList<bool> {});
        baseline.append(QList<bool> {}); // neither side: not counted at all
        candidate.append(QList<bool> {});
        const auto c = compareCases(baseline, candidate);
        QVERIFY(c.has_value());
        QVERIFY(!c->repeated);
        QVERIFY(!c->shareDifference);
        QCOMPARE(c->pairedCases, 50);
        QCOMPARE(c->unpairedCases, 3);
        QVERIFY(near(c->pValue, 0.0385742, 1e-6));
        QCOMPARE(c->verdict, ComparisonVerdict::Better);
        QCOMPARE(c->sentence,
                 QStringLiteral("Candidate is better (McNemar exact p = 0.039, 10 vs 2 discordant "
                                "cases); 3 cases left out: a variant has no output there"));
        QVERIFY(!compareCases({{}, {true}}, {{true}, {}}).has_value());
        QVERIFY(!compareCases({{true}}, {}).has_value());
    }
};

QTEST_GUILESS_MAIN(TestStatistics)
#include "test_statistics.moc"
