// The Insights charts as built: the series, point values, axes and labels of the QChart (not
// pixels), tooltips with exact numbers, click-through targets, palette colours, and export.

#include "charts/chartwidget.h"
#include "charts/pareto.h"
#include "insights/evalchartmapping.h"

#include <QAreaSeries>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QFile>
#include <QImage>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

using namespace ts;

namespace {

template<typename T> QList<T *> seriesOf(QChart *chart)
{
    QList<T *> out;
    for (QAbstractSeries *s : chart->series())
        if (auto *t = qobject_cast<T *>(s))
            out.append(t);
    return out;
}

QScatterSeries *scatterNamed(QChart *chart, const QString &name)
{
    for (QScatterSeries *s : seriesOf<QScatterSeries>(chart))
        if (s->name() == name)
            return s;
    return nullptr;
}

IntervalChartData threeVariants()
{
    IntervalChartData d;
    d.title = QStringLiteral("Pass rate per variant");
    d.subtitle = QStringLiteral("No significant difference from the baseline");
    d.valueTitle = QStringLiteral("cases passed");
    // Wilson 95% intervals for 7/10, 9/10 and 5/10 (hand-computed).
    IntervalItem a {QStringLiteral("qa@1 · m"), 0.7, 0.3968, 0.8922, true, {}, {}};
    a.target = {ChartTarget::Kind::EvalCases, 0, -1, {1, 4, 7}, QStringLiteral("3 failing cases")};
    IntervalItem b {QStringLiteral("qa@2 · m"), 0.9, 0.5958, 0.9821, false, {}, {}};
    IntervalItem c {QStringLiteral("qa@3 · m"), 0.5, 0.2366, 0.7634, false, {}, {}};
    d.items = {a, b, c};
    d.referenceValue = 0.7;
    d.referenceLabel = QStringLiteral("baseline");
    return d;
}

} // namespace

class TestCharts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void intervalChartSortsAndMarksTheBaseline();
    void tooltipAndClickGiveTheCasesBehindAPoint();
    void heatmapHasACellPerApplicableCheck();
    void scatterDrawsTheParetoFront();
    void paretoFrontOfHandPickedPoints();
    void seriesChartLabelsCategoriesAndAlerts();
    void histogramCountsPerBin();
    void mapColoursByGroupAndSide();
    void darkPaletteColoursTheChart();
    void exportWritesPngAndSvg();
    void emptyStateInsteadOfAChart();
    void passRateVerdictSaysNoSignificantDifference();
};

void TestCharts::intervalChartSortsAndMarksTheBaseline()
{
    ChartWidget w;
    w.resize(800, 500);
    w.showIntervals(threeVariants());
    QChart *chart = w.chart();
    QVERIFY(chart);
    QVERIFY(chart->title().contains(QStringLiteral("No significant difference")));

    QScatterSeries *variants = scatterNamed(chart, QStringLiteral("Variant"));
    QScatterSeries *baseline = scatterNamed(chart, QStringLiteral("Baseline"));
    QVERIFY(variants && baseline);
    QCOMPARE(baseline->count(), 1);
    // Best first: qa@2 (90%) on the top row (y = 2), qa@1 the baseline in the middle, qa@3 last.
    QCOMPARE(baseline->at(0), QPointF(70, 1));
    QCOMPARE(variants->count(), 2);
    QCOMPARE(variants->at(0), QPointF(90, 2));
    QCOMPARE(variants->at(1), QPointF(50, 0));

    // Three error bars (whiskers with caps) spanning each 95% interval, plus the baseline line.
    int bars = 0;
    for (QLineSeries *line : seriesOf<QLineSeries>(chart)) {
        if (line->name() == QStringLiteral("qa@2 · m")) {
            ++bars;
            QCOMPARE(line->at(2).x(), 59.58);
            QCOMPARE(line->at(3).x(), 98.21);
        } else if (line->name() == QStringLiteral("baseline")) {
            QCOMPARE(line->at(0).x(), 70.0);
        } else {
            ++bars;
        }
    }
    QCOMPARE(bars, 3);

    auto *valueAxis = qobject_cast<QValueAxis *>(chart->axes(Qt::Horizontal).front());
    QVERIFY(valueAxis);
    QCOMPARE(valueAxis->min(), 0.0);
    QCOMPARE(valueAxis->max(), 100.0);
    QCOMPARE(valueAxis->titleText(), QStringLiteral("cases passed"));
    auto *rows = qobject_cast<QCategoryAxis *>(chart->axes(Qt::Vertical).front());
    QVERIFY(rows);
    // Bottom to top: the worst first, the best on top.
    QCOMPARE(rows->categoriesLabels(),
             QStringList({QStringLiteral("qa@3 · m"), QStringLiteral("qa@1 · m"),
                          QStringLiteral("qa@2 · m")}));
    QCOMPARE(rows->endValue(QStringLiteral("qa@2 · m")), 2.0);
    // The exact rate is written beside each row.
    QVERIFY(w.overlayTexts().contains(QStringLiteral("90.0%")));
    QVERIFY(w.overlayTexts().contains(QStringLiteral("50.0%")));
}

void TestCharts::tooltipAndClickGiveTheCasesBehindAPoint()
{
    ChartWidget w;
    w.showIntervals(threeVariants());
    QScatterSeries *baseline = scatterNamed(w.chart(), QStringLiteral("Baseline"));
    QVERIFY(baseline);
    const QString tip = w.tooltipAt(baseline, 0);
    QVERIFY2(tip.contains(QStringLiteral("70.0% (95% CI 39.7–89.2%)")), qPrintable(tip));
    QVERIFY(tip.contains(QStringLiteral("3 failing cases")));

    QSignalSpy activated(&w, &ChartWidget::pointActivated);
    // The series' own click signal, as a mouse click on the marker sends it.
    Q_EMIT baseline->clicked(baseline->at(0));
    QCOMPARE(activated.size(), 1);
    const auto target = activated.front().front().value<ChartTarget>();
    QCOMPARE(target.kind, ChartTarget::Kind::EvalCases);
    QCOMPARE(target.variant, 0);
    QCOMPARE(target.ids, QList<qint64>({1, 4, 7}));
    // Nothing behind the other points: no signal.
    QScatterSeries *variants = scatterNamed(w.chart(), QStringLiteral("Variant"));
    QVERIFY(!w.activate(variants, 0));
    QCOMPARE(activated.size(), 1);
}

void TestCharts::heatmapHasACellPerApplicableCheck()
{
    HeatmapData d;
    d.title = QStringLiteral("Checks");
    d.rows = {QStringLiteral("contains \"refund\""), QStringLiteral("judge tone")};
    d.columns = {QStringLiteral("v1"), QStringLiteral("v2")};
    HeatmapCell a {
        0.75,
        8,
        {},
        {ChartTarget::Kind::EvalCases, 0, -1, {2, 5}, QStringLiteral("2 cases failing")}};
    HeatmapCell b {1.0, 8, {}, {}};
    HeatmapCell none; // the judge never ran on v1
    HeatmapCell c {0.25, 4, {}, {}};
    d.cells = {{a, b}, {none, c}};
    ChartWidget w;
    w.resize(700, 400);
    w.showHeatmap(d);
    const auto areas = seriesOf<QAreaSeries>(w.chart());
    QCOMPARE(areas.size(), 3);
    QCOMPARE(w.overlayTexts(),
             QStringList({QStringLiteral("75%"), QStringLiteral("100%"), QStringLiteral("25%")}));
    // Colour follows the share: the failing cell is not the colour of the passing one.
    QVERIFY(areas[1]->color() != areas[2]->color());
    QVERIFY(w.tooltipAt(areas[0], 0).contains(QStringLiteral("75.0% pass (8 checks)")));
    QCOMPARE(w.targetAt(areas[0], 0).ids, QList<qint64>({2, 5}));
    auto *columns = qobject_cast<QCategoryAxis *>(w.chart()->axes(Qt::Horizontal).front());
    QCOMPARE(columns->categoriesLabels(), d.columns);
    auto *rows = qobject_cast<QCategoryAxis *>(w.chart()->axes(Qt::Vertical).front());
    QCOMPARE(rows->categoriesLabels(), QStringList({d.rows[1], d.rows[0]}));
}

void TestCharts::scatterDrawsTheParetoFront()
{
    ScatterChartData d;
    d.title = QStringLiteral("Quality against cost");
    d.xTitle = QStringLiteral("cost per 1,000 calls (USD)");
    d.yTitle = QStringLiteral("pass rate");
    // cheap/ok, mid/good, expensive/best, and one dominated (expensive, worse than mid).
    d.items = {{QStringLiteral("small"), 0.15, 0.62, 0.5, 0.72, {}, {}},
               {QStringLiteral("mid"), 1.2, 0.8, 0.7, 0.88, {}, {}},
               {QStringLiteral("large"), 9.0, 0.86, 0.77, 0.92, {}, {}},
               {QStringLiteral("old"), 4.0, 0.7, 0.6, 0.8, {}, {}}};
    ChartWidget w;
    w.resize(800, 500);
    w.showScatter(d);
    QChart *chart = w.chart();
    QLineSeries *front = nullptr;
    for (QLineSeries *l : seriesOf<QLineSeries>(chart))
        if (l->name() == QStringLiteral("Pareto front"))
            front = l;
    QVERIFY(front);
    QCOMPARE(front->points(), QList<QPointF>({{0.15, 62}, {1.2, 80}, {9.0, 86}}));
    QCOMPARE(scatterNamed(chart, QStringLiteral("On the front"))->count(), 3);
    QScatterSeries *dominated = scatterNamed(chart, QStringLiteral("Dominated"));
    QCOMPARE(dominated->count(), 1);
    QCOMPARE(dominated->at(0), QPointF(4.0, 70));
    QVERIFY(w.tooltipAt(dominated, 0).contains(QStringLiteral("Dominated")));
    // Prices 60x apart: a logarithmic cost axis.
    QVERIFY(qobject_cast<QLogValueAxis *>(chart->axes(Qt::Horizontal).front()));
    QVERIFY(w.overlayTexts().contains(QStringLiteral("old")));
}

void TestCharts::paretoFrontOfHandPickedPoints()
{
    QList<ScatterItem> items = {{QStringLiteral("a"), 1, 0.5, {}, {}, {}, {}},
                                {QStringLiteral("b"), 2, 0.5, {}, {}, {}, {}},
                                {QStringLiteral("c"), 3, 0.9, {}, {}, {}, {}},
                                {QStringLiteral("d"), 0.5, 0.2, {}, {}, {}, {}}};
    // b is dominated by a (cheaper, same quality); d is cheapest, c is best.
    QCOMPARE(scatterParetoFront(items), QList<int>({3, 0, 2}));
    // With higher x better (e.g. throughput), only c survives.
    QCOMPARE(scatterParetoFront(items, false), QList<int>({2}));
}

void TestCharts::seriesChartLabelsCategoriesAndAlerts()
{
    SeriesChartData d;
    d.title = QStringLiteral("Pass rate per prompt version");
    d.categories
        = {QStringLiteral("v1"), QStringLiteral("v2\nstaging"), QStringLiteral("v3\nproduction")};
    SeriesLine line {QStringLiteral("qa · gpt"), {}};
    line.points = {{0, 0.6, 0.5, 0.7, false, {}, {}},
                   {1, 0.8, 0.7, 0.9, false, {}, {}},
                   {2, 0.4, 0.3, 0.5, true, {}, {ChartTarget::Kind::Eval, -1, -1, {12}, {}}}};
    d.lines = {line};
    d.threshold = 0.5;
    d.thresholdLabel = QStringLiteral("alert below");
    ChartWidget w;
    w.showSeries(d);
    QChart *chart = w.chart();
    auto *xAxis = qobject_cast<QCategoryAxis *>(chart->axes(Qt::Horizontal).front());
    QCOMPARE(xAxis->categoriesLabels(), d.categories);
    QLineSeries *main = nullptr;
    for (QLineSeries *l : seriesOf<QLineSeries>(chart))
        if (l->name() == QStringLiteral("qa · gpt") && l->count() == 3)
            main = l;
    QVERIFY(main);
    QCOMPARE(main->points(), QList<QPointF>({{0, 60}, {1, 80}, {2, 40}}));
    QScatterSeries *alerts = scatterNamed(chart, QStringLiteral("Alert"));
    QCOMPARE(alerts->count(), 1);
    QCOMPARE(w.targetAt(alerts, 0).ids, QList<qint64>({12}));
    auto *yAxis = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).front());
    QVERIFY(yAxis->min() <= 30 && yAxis->max() >= 90);
}

void TestCharts::histogramCountsPerBin()
{
    HistogramData d;
    d.title = QStringLiteral("Scores");
    d.valueTitle = QStringLiteral("score");
    d.bins = {QStringLiteral("0.0–0.5"), QStringLiteral("0.5–1.0")};
    d.groups = {{QStringLiteral("v1"), {3, 7}, {}}, {QStringLiteral("v2"), {1, 9}, {}}};
    ChartWidget w;
    w.showHistogram(d);
    const auto bars = seriesOf<QBarSeries>(w.chart());
    QCOMPARE(bars.size(), 1);
    QCOMPARE(bars.front()->count(), 2);
    QBarSet *v2 = bars.front()->barSets().at(1);
    QCOMPARE(v2->label(), QStringLiteral("v2"));
    QCOMPARE(v2->at(0), 1.0);
    QCOMPARE(v2->at(1), 9.0);
    QVERIFY(w.tooltipAt(v2, 1).contains(QStringLiteral("score in 0.5–1.0: 9")));
}

void TestCharts::mapColoursByGroupAndSide()
{
    MapChartData d;
    d.groups = {QStringLiteral("#0 refund"), QStringLiteral("#1 new: crypto")};
    d.emphasized = {1};
    d.points = {{0, 0, 0, true, 11}, {1, 1, 0, false, 12}, {5, 5, 1, false, 13}};
    ChartWidget w;
    w.showMap(d);
    const auto scatters = seriesOf<QScatterSeries>(w.chart());
    QCOMPARE(scatters.size(), 4); // two groups x two sides
    int points = 0;
    for (QScatterSeries *s : scatters)
        points += s->count();
    QCOMPARE(points, 3);
    QScatterSeries *newTopic = scatterNamed(w.chart(), QStringLiteral("#1 new: crypto"));
    QVERIFY(newTopic);
    QCOMPARE(newTopic->at(0), QPointF(5, 5));
    QCOMPARE(w.targetAt(newTopic, 0).ids, QList<qint64>({13}));
    QCOMPARE(w.targetAt(newTopic, 0).kind, ChartTarget::Kind::LogRecords);
    // The emphasized group is drawn last, on top.
    QCOMPARE(w.chart()->series().back(), newTopic);
}

void TestCharts::darkPaletteColoursTheChart()
{
    ChartWidget w;
    w.showIntervals(threeVariants());
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    dark.setColor(QPalette::Text, QColor(0xdf, 0xe1, 0xe5));
    dark.setColor(QPalette::WindowText, QColor(0xdf, 0xe1, 0xe5));
    dark.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
    QSignalSpy redrawn(&w, &ChartWidget::chartChanged);
    w.setPalette(dark);
    QVERIFY(redrawn.size() >= 1);
    QChart *chart = w.chart();
    QCOMPARE(chart->backgroundBrush().color(), QColor(0x1e, 0x1f, 0x22));
    QCOMPARE(chart->titleBrush().color(), QColor(0xdf, 0xe1, 0xe5));
    for (QAbstractAxis *axis : chart->axes())
        QCOMPARE(axis->labelsBrush().color(), QColor(0xdf, 0xe1, 0xe5));
}

void TestCharts::exportWritesPngAndSvg()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ChartWidget w;
    w.resize(640, 400);
    w.showIntervals(threeVariants());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QString png = dir.filePath(QStringLiteral("chart.png"));
    const QString svg = dir.filePath(QStringLiteral("chart.svg"));
    QVERIFY(w.exportPng(png));
    QVERIFY(w.exportSvg(svg));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 640 && image.height() >= 400);
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("qa@2"));
    // A directory that does not exist: an error naming the file, not a crash.
    const auto bad = w.exportPng(dir.filePath(QStringLiteral("missing/chart.png")));
    QVERIFY(!bad);
    QVERIFY(bad.error().message.contains(QStringLiteral("chart.png")));
}

void TestCharts::emptyStateInsteadOfAChart()
{
    ChartWidget w;
    w.showEmpty(QStringLiteral("No scores yet."));
    QVERIFY(!w.hasChart());
    QCOMPARE(w.emptyText(), QStringLiteral("No scores yet."));
    QVERIFY(!w.exportPng(QStringLiteral("/tmp/never.png")));
}

void TestCharts::passRateVerdictSaysNoSignificantDifference()
{
    EvalCharts charts;
    charts.samples = 1;
    VariantRatePoint base;
    base.variant = 0;
    base.label = QStringLiteral("qa@1 · m");
    base.baseline = true;
    base.rate.successes = 7;
    base.rate.trials = 10;
    base.rate.cases = 10;
    base.rate.estimate = 0.7;
    base.rate.ci = {0.3968, 0.8922};
    VariantRatePoint cand = base;
    cand.variant = 1;
    cand.label = QStringLiteral("qa@2 · m");
    cand.baseline = false;
    cand.rate.successes = 8;
    cand.rate.estimate = 0.8;
    cand.rate.ci = {0.4902, 0.9433};
    cand.verdict = stats::ComparisonVerdict::NoSignificantDifference;
    cand.pValue = 1.0;
    cand.refs.cases = {0, 1, 2};
    cand.failedCases = {2};
    charts.passRate.points = {cand, base};
    const IntervalChartData d = passRateChartData(charts);
    QVERIFY2(d.subtitle.startsWith(QStringLiteral("No significant difference")),
             qPrintable(d.subtitle));
    QCOMPARE(d.items.size(), 2);
    QCOMPARE(d.items[1].label, QStringLiteral("qa@1 · m (baseline)"));
    QVERIFY(d.items[1].highlighted);
    QCOMPARE(d.referenceValue.value_or(-1), 0.7);
    // Clicking the candidate lists its failing case.
    QCOMPARE(d.items[0].target.ids, QList<qint64>({2}));
    QCOMPARE(d.items[0].target.variant, 1);
    QVERIFY(d.items[0].tooltip.contains(QStringLiteral("8 of 10 cases passed")));

    cand.verdict = stats::ComparisonVerdict::Better;
    charts.passRate.points = {cand, base};
    QCOMPARE(passRateVerdict(charts), QStringLiteral("Better than the baseline: qa@2 · m"));
}

QTEST_MAIN(TestCharts)
#include "test_charts.moc"
