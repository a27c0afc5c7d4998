#include "annotation/labelstore.h"
#include "handbuilteval.h"
#include "insights/evalcharts.h"
#include "storage/project.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

void compareInterval(const stats::Interval &ci, double low, double high)
{
    QVERIFY2(
        std::abs(ci.low - low) < 5e-4 && std::abs(ci.high - high) < 5e-4,
        qPrintable(
            QStringLiteral("[%1, %2] != [%3, %4]").arg(ci.low).arg(ci.high).arg(low).arg(high)));
}

} // namespace

class TestEvalCharts final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;
    std::optional<EvalResults> m_results;

private Q_SLOTS:
    void initTestCase()
    {
        auto project = Project::create(m_dir.filePath(QStringLiteral("charts.touchstone")));
        QVERIFY(project);
        m_project.emplace(std::move(*project));
        QCOMPARE(handbuilt::build(m_project->db()), 2);
        auto results = EvalResults::load(m_project->db(), 2);
        QVERIFY(results);
        m_results.emplace(std::move(*results));
        QCOMPARE(m_results->variants.size(), 3);
    }

    void passRateSortedWithIntervalsAndVerdicts()
    {
        const EvalCharts charts = buildEvalCharts(*m_results);
        const PassRateChart &chart = charts.passRate;
        QCOMPARE(chart.baseline, 0);
        QCOMPARE(chart.points.size(), 3);
        // Best first: qa@2 · m1 (8/10), qa@1 · m1 (6/10), qa@2 · m2 (4/9, one error left out).
        QCOMPARE(chart.points[0].variant, 1);
        QCOMPARE(chart.points[1].variant, 0);
        QCOMPARE(chart.points[2].variant, 2);
        QVERIFY(chart.points[1].baseline);
        QVERIFY(!chart.points[0].baseline);
        QCOMPARE(chart.points[0].rate.estimate, 0.8);
        QCOMPARE(chart.points[0].rate.method, stats::RateMethod::Wilson);
        // Published Wilson 95% intervals: 8/10 [0.4902, 0.9433], 6/10 [0.3127, 0.8318].
        compareInterval(chart.points[0].rate.ci, 0.4902, 0.9433);
        compareInterval(chart.points[1].rate.ci, 0.3127, 0.8318);
        QCOMPARE(chart.points[2].rate.cases, 9);
        QCOMPARE(chart.points[2].errors, 1);
        // 2 vs 0 discordant cases: McNemar exact p = 2 · 0.5² = 0.5, no significant difference.
        QCOMPARE(*chart.points[0].verdict, stats::ComparisonVerdict::NoSignificantDifference);
        QCOMPARE(chart.points[0].pValue, 0.5);
        QVERIFY(chart.points[0].sentence.contains(QStringLiteral("No significant difference")));
        QVERIFY(!chart.points[1].verdict);
        QCOMPARE(chart.sentences.size(), 2);
        // Click-through: the cases behind the point and the failing ones.
        QCOMPARE(chart.points[1].refs.cases.size(), 10);
        QCOMPARE(chart.points[1].failedCases, (QList<int> {6, 7, 8, 9}));
        QCOMPARE(chart.points[2].refs.cases.size(), 9);
        QVERIFY(!chart.points[2].refs.generations.contains(409)); // the error has no verdict
        QCOMPARE(chart.points[0].refs.generations.first(), 300);

        // Another baseline moves the mark and the verdicts.
        const EvalCharts other = buildEvalCharts(*m_results, {1, 10});
        QVERIFY(other.passRate.points[0].baseline);
        QVERIFY(other.passRate.points[1].verdict);
    }

    void meanScoresAndHistograms()
    {
        const EvalCharts charts = buildEvalCharts(*m_results);
        QCOMPARE(charts.scores.size(), 3);
        QCOMPARE(charts.scores[0].score.mean, 0.6);
        QCOMPARE(charts.scores[0].score.n, 10);
        QVERIFY(!charts.scores[0].vsBaseline);
        // (4 · 1 + 5 · 0.5) / 9 cases.
        QVERIFY(std::abs(charts.scores[2].score.mean - 6.5 / 9) < 1e-12);
        QVERIFY(charts.scores[2].score.ci.low <= charts.scores[2].score.mean);
        QVERIFY(charts.scores[2].score.ci.high >= charts.scores[2].score.mean);
        QVERIFY(charts.scores[1].vsBaseline);
        QVERIFY(std::abs(charts.scores[1].vsBaseline->meanDifference - 0.2) < 1e-12);

        QCOMPARE(charts.histograms.size(), 3);
        const ScoreHistogram &h0 = charts.histograms[0];
        QCOMPARE(h0.bins.size(), 10);
        QCOMPARE(h0.bins[0].count, 4);
        QCOMPARE(h0.bins[9].count, 6);
        QCOMPARE(h0.bins[9].high, 1.0);
        QCOMPARE(h0.bins[0].refs.cases, (QList<int> {6, 7, 8, 9}));
        const ScoreHistogram &h2 = charts.histograms[2];
        QCOMPARE(h2.bins[5].count, 5);
        QCOMPARE(h2.bins[5].low, 0.5);
        QCOMPARE(h2.bins[9].count, 4);
        int total = 0;
        for (const HistogramBin &b : h2.bins)
            total += b.count;
        QCOMPARE(total, 9);
    }

    void heatMapPerCheckAndVariant()
    {
        const HeatMap map = buildEvalCharts(*m_results).heatMap;
        QCOMPARE(map.rows.size(), 2);
        QCOMPARE(map.rows[0].label, QStringLiteral("contains \"refund\""));
        QCOMPARE(map.rows[1].label, QStringLiteral("is-json"));
        QCOMPARE(map.columns.size(), 3);
        QCOMPARE(map.cells.size(), 6);
        QCOMPARE(map.cell(0, 0)->rate.successes, 6);
        QCOMPARE(map.cell(0, 0)->rate.trials, 10);
        QCOMPARE(map.cell(0, 0)->failures.cases, (QList<int> {6, 7, 8, 9}));
        QCOMPARE(map.cell(0, 1)->rate.successes, 8);
        QCOMPARE(map.cell(0, 2)->rate.successes, 9);
        QCOMPARE(map.cell(0, 2)->rate.trials, 9);
        QCOMPARE(map.cell(1, 0)->rate.estimate, 1.0);
        QCOMPARE(map.cell(1, 2)->rate.successes, 4);
        QCOMPARE(map.cell(1, 2)->failures.generations, (QList<qint64> {404, 405, 406, 407, 408}));
        QVERIFY(!map.cell(2, 0));
    }

    void qualityAgainstCostAndLatency()
    {
        const QualityCostChart chart = buildEvalCharts(*m_results).qualityCost;
        QCOMPARE(chart.points.size(), 3);
        // 10 calls at 0.002 → 2.0 per 1,000; latencies 100..1000: median 550, p95 rank 10.
        QCOMPARE(*chart.points[0].costPer1k, 2.0);
        QCOMPARE(*chart.points[0].medianLatencyMs, 550.0);
        QCOMPARE(*chart.points[0].p95LatencyMs, 1000.0);
        // The cached answer (cost 0, 1 ms) is left out: 9 calls at 0.004.
        QCOMPARE(chart.points[1].costedCalls, 9);
        QVERIFY(std::abs(*chart.points[1].costPer1k - 4.0) < 1e-9);
        QCOMPARE(*chart.points[1].medianLatencyMs, 200.0);
        QCOMPARE(chart.points[1].timedCalls, 9);
        // The failed call has no cost nor latency.
        QCOMPARE(chart.points[2].costedCalls, 9);
        QVERIFY(std::abs(*chart.points[2].costPer1k - 1.0) < 1e-9);
        // Cost: nobody dominates (cheaper is worse), so all three, cheapest first.
        QCOMPARE(chart.paretoCost, (QList<int> {2, 0, 1}));
        // Median latency: qa@2 · m1 is faster and better than qa@1 · m1.
        QCOMPARE(chart.paretoMedianLatency, (QList<int> {2, 1}));
        QCOMPARE(chart.paretoP95Latency, (QList<int> {2, 1}));
    }

    void paretoFrontOnKnownPoints()
    {
        // (quality, cost): 3 is dominated by 1 (better and cheaper), 4 by 2 (equal quality,
        // dearer); 5 and 6 are equal and both kept.
        const QList<ParetoInput> points {{1, 0.9, 2.0}, {2, 0.7, 1.0},  {3, 0.8, 3.0},
                                         {4, 0.7, 1.5}, {5, 0.95, 5.0}, {6, 0.95, 5.0},
                                         {7, 0.5, 0.2}};
        QCOMPARE(paretoFront(points), (QList<int> {7, 2, 1, 5, 6}));
        QCOMPARE(paretoFront({}), QList<int>());
        QCOMPARE(paretoFront({{4, 0.1, 9}}), QList<int> {4});
    }

    void winRatesFromPeopleAndHistory()
    {
        LabelStore labels(m_project->db());
        const auto gen = [](int id) {
            return Target {Target::Kind::Generation, id};
        };
        const QString ana = QStringLiteral("ana");
        // v1 wins cases 0 and 1 (case 1 entered with the sides the other way), v0 wins case 2,
        // case 3 is a tie.
        QVERIFY(labels.setPreference(gen(200), gen(300), 0, ana, Choice::B, true));
        QVERIFY(labels.setPreference(gen(301), gen(201), 0, ana, Choice::A, false));
        QVERIFY(labels.setPreference(gen(202), gen(302), 0, ana, Choice::A, true));
        QVERIFY(labels.setPreference(gen(203), gen(303), 0, ana, Choice::Tie, true));
        // A log record is not part of the eval.
        QVERIFY(labels.setPreference({Target::Kind::Log, 1}, gen(300), 0, ana, Choice::A, true));

        auto charts = loadEvalCharts(m_project->db(), *m_results);
        QVERIFY(charts);
        QCOMPARE(charts->winRates.size(), 1);
        const WinRate &w = charts->winRates.first();
        QCOMPARE(w.source, WinRate::Source::People);
        QCOMPARE(w.name, QStringLiteral("overall preference"));
        QCOMPARE(w.variantA, 0);
        QCOMPARE(w.variantB, 1);
        QCOMPARE(w.winsA, 1);
        QCOMPARE(w.winsB, 2);
        QCOMPARE(w.ties, 1);
        // Wilson 1/3: [0.0615, 0.7923].
        compareInterval(w.winRateA.ci, 0.0615, 0.7923);
        QCOMPARE(w.refs.cases, (QList<int> {0, 1, 2, 3}));
        QVERIFY(w.refs.generations.contains(301));
        // A second person on the first pair: one more win, and each case and generation is
        // still listed once, in the order first met.
        QVERIFY(labels.setPreference(gen(200), gen(300), 0, QStringLiteral("bo"), Choice::B, true));
        auto again = loadEvalCharts(m_project->db(), *m_results);
        QVERIFY(again);
        const WinRate &w2 = again->winRates.first();
        QCOMPARE(w2.winsB, 3);
        QCOMPARE(w2.refs.cases, (QList<int> {0, 1, 2, 3}));
        QCOMPARE(QSet<qint64>(w2.refs.generations.begin(), w2.refs.generations.end()).size(), 8);
        QCOMPARE(w2.refs.generations.size(), 8);

        // Pass rate per version on the same dataset and model, labels on the versions.
        QCOMPARE(charts->history.size(), 2);
        const VersionHistorySeries &m1 = charts->history[0];
        QCOMPARE(m1.modelName, QStringLiteral("m1"));
        QCOMPARE(m1.points.size(), 2);
        QCOMPARE(m1.points[0].promptVersion, 1);
        QCOMPARE(m1.points[0].rate.estimate, 0.6);
        QCOMPARE(m1.points[0].labels, QStringList {QStringLiteral("production")});
        QCOMPARE(m1.points[1].rate.estimate, 0.8);
        QCOMPARE(m1.points[1].labels, QStringList {QStringLiteral("staging")});
        const VersionHistorySeries &m2 = charts->history[1];
        QCOMPARE(m2.modelName, QStringLiteral("m2"));
        QCOMPARE(m2.points.size(), 2);
        // Version 1 on m2 only ran in the older eval (5/10).
        QCOMPARE(m2.points[0].evalId, 1);
        QVERIFY(!m2.points[0].inThisEval);
        QCOMPARE(m2.points[0].rate.estimate, 0.5);
        QCOMPARE(m2.points[1].evalId, 2);
        QVERIFY(m2.points[1].inThisEval);
    }
};

QTEST_GUILESS_MAIN(TestEvalCharts)
#include "test_eval_charts.moc"
