#include "insights/evalchartmapping.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace ts {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("EvalCharts", text);
}

/// "%n" replaced by `n`, with the singular or plural text.
QString tr(const char *text, const char *plural, int n)
{
    return QCoreApplication::translate("EvalCharts", n == 1 ? text : plural)
        .replace(QStringLiteral("%n"), QString::number(n));
}

QString pct(double share, int decimals = 1)
{
    return QString::number(100 * share, 'f', decimals) + QLatin1Char('%');
}

QString rateText(const stats::CasePassRate &rate)
{
    QString t = QStringLiteral("%1 (95% CI %2–%3)")
                    .arg(pct(rate.estimate), QString::number(100 * rate.ci.low, 'f', 1),
                         pct(rate.ci.high));
    t += rate.method == stats::RateMethod::Wilson
        ? tr("\n%1 of %2 cases passed (Wilson interval)").arg(rate.successes).arg(rate.trials)
        : tr("\n%1 of %2 samples passed over %3 cases (case bootstrap)")
              .arg(rate.successes)
              .arg(rate.trials)
              .arg(rate.cases);
    return t;
}

ChartTarget casesOf(const ChartRefs &refs, int variant, const QString &description,
                    const QList<int> &only = {})
{
    ChartTarget t;
    t.kind = ChartTarget::Kind::EvalCases;
    t.variant = variant;
    for (int c : only.isEmpty() ? refs.cases : only)
        t.ids.append(c);
    t.description = description;
    return t;
}

QString verdictWord(stats::ComparisonVerdict v)
{
    switch (v) {
    case stats::ComparisonVerdict::Better:
        return tr("better than the baseline");
    case stats::ComparisonVerdict::Worse:
        return tr("worse than the baseline");
    case stats::ComparisonVerdict::NoSignificantDifference:
        break;
    }
    return tr("no significant difference from the baseline");
}

} // namespace

QString passRateVerdict(const EvalCharts &charts)
{
    const auto &points = charts.passRate.points;
    QStringList better, worse;
    int compared = 0;
    QString baseline;
    for (const VariantRatePoint &p : points) {
        if (p.baseline)
            baseline = p.label;
        if (!p.verdict)
            continue;
        ++compared;
        if (*p.verdict == stats::ComparisonVerdict::Better)
            better.append(p.label);
        else if (*p.verdict == stats::ComparisonVerdict::Worse)
            worse.append(p.label);
    }
    if (points.size() < 2)
        return tr("One variant: nothing to compare with.");
    if (compared == 0)
        return tr("No variant shares a scored case with the baseline: no comparison.");
    if (better.isEmpty() && worse.isEmpty()) {
        if (compared == 1)
            for (const VariantRatePoint &p : points)
                if (p.verdict)
                    return tr("No significant difference from the baseline (p = %1, %2)")
                        .arg(QString::number(p.pValue, 'g', 2),
                             charts.samples > 1 ? tr("paired bootstrap") : tr("McNemar exact"));
        return tr("No significant difference between any variant and the baseline %1 (%2, 95%)")
            .arg(baseline, charts.samples > 1 ? tr("paired bootstrap") : tr("McNemar exact"));
    }
    QStringList parts;
    if (!better.isEmpty())
        parts.append(tr("Better than the baseline: %1").arg(better.join(QStringLiteral(", "))));
    if (!worse.isEmpty())
        parts.append(tr("Worse: %1").arg(worse.join(QStringLiteral(", "))));
    const int same = compared - int(better.size()) - int(worse.size());
    if (same > 0)
        parts.append(
            tr("%n with no significant difference", "%n with no significant difference", same));
    return parts.join(QStringLiteral(" · "));
}

IntervalChartData passRateChartData(const EvalCharts &charts)
{
    IntervalChartData d;
    d.title = tr("Pass rate per variant");
    d.subtitle = passRateVerdict(charts);
    d.valueTitle = charts.samples > 1 ? tr("mean share of samples passed per case, 95% interval")
                                      : tr("cases passed, 95% Wilson interval");
    d.percent = true;
    d.highlightName = tr("Baseline");
    for (const VariantRatePoint &p : charts.passRate.points) {
        IntervalItem item;
        item.label = p.baseline ? p.label + tr(" (baseline)") : p.label;
        item.value = p.rate.estimate;
        item.low = p.rate.ci.low;
        item.high = p.rate.ci.high;
        item.highlighted = p.baseline;
        item.tooltip = p.label + QLatin1Char('\n') + rateText(p.rate);
        if (p.errors > 0)
            item.tooltip += tr("\n%n error left out", "\n%n errors left out", p.errors);
        if (p.baseline)
            item.tooltip += tr("\nBaseline");
        else if (p.verdict)
            item.tooltip += QLatin1Char('\n') + verdictWord(*p.verdict) + QStringLiteral(" (p = ")
                + QString::number(p.pValue, 'g', 3) + QLatin1Char(')');
        const QString what = p.failedCases.isEmpty()
            ? tr("%n case behind this rate", "%n cases behind this rate", int(p.refs.cases.size()))
            : tr("%n failing case of %1", "%n failing cases of %1", int(p.failedCases.size()))
                  .arg(p.label);
        item.target = casesOf(p.refs, p.variant, what, p.failedCases);
        item.tooltip += QLatin1Char('\n') + tr("Click: %1").arg(what);
        d.items.append(item);
        if (p.baseline) {
            d.referenceValue = p.rate.estimate;
            d.referenceLabel = tr("baseline");
        }
    }
    return d;
}

IntervalChartData meanScoreChartData(const EvalCharts &charts)
{
    IntervalChartData d;
    d.title = tr("Mean score per variant");
    d.valueTitle = tr("mean score per case, 95% bootstrap interval");
    d.percent = false;
    int differs = 0;
    int compared = 0;
    for (const ScorePoint &p : charts.scores) {
        IntervalItem item;
        item.label = p.baseline ? p.label + tr(" (baseline)") : p.label;
        item.value = p.score.mean;
        item.low = p.score.ci.low;
        item.high = p.score.ci.high;
        item.highlighted = p.baseline;
        item.tooltip = QStringLiteral("%1\n%2 (95% CI %3–%4) over %5 cases")
                           .arg(p.label, QString::number(p.score.mean, 'f', 3),
                                QString::number(p.score.ci.low, 'f', 3),
                                QString::number(p.score.ci.high, 'f', 3))
                           .arg(p.score.n);
        if (p.vsBaseline) {
            ++compared;
            const bool significant = p.vsBaseline->ci.low > 0 || p.vsBaseline->ci.high < 0;
            differs += significant ? 1 : 0;
            item.tooltip += tr("\nvs baseline: %1 [%2, %3], p = %4")
                                .arg(QString::number(p.vsBaseline->meanDifference, 'f', 3),
                                     QString::number(p.vsBaseline->ci.low, 'f', 3),
                                     QString::number(p.vsBaseline->ci.high, 'f', 3),
                                     QString::number(p.vsBaseline->pValue, 'g', 3));
        }
        item.target = casesOf(p.refs, p.variant,
                              tr("%n case scored", "%n cases scored", int(p.refs.cases.size())));
        d.items.append(item);
        if (p.baseline) {
            d.referenceValue = p.score.mean;
            d.referenceLabel = tr("baseline");
        }
    }
    if (compared > 0)
        d.subtitle = differs == 0
            ? tr(
                "No significant difference in mean score from the baseline (paired bootstrap, 95%)")
            : tr("%n variant differs from the baseline in mean score (paired bootstrap, 95%)",
                 "%n variants differ from the baseline in mean score (paired bootstrap, 95%)",
                 differs);
    return d;
}

HeatmapData checksHeatmapData(const EvalCharts &charts)
{
    HeatmapData d;
    d.title = tr("Pass rate per check and variant");
    d.subtitle = tr("Which checks fail where; click a cell for its failing cases");
    const HeatMap &map = charts.heatMap;
    for (const HeatRow &row : map.rows)
        d.rows.append(row.kind == HeatRow::Kind::Judge ? row.label : row.label);
    d.columns = map.columns;
    for (int r = 0; r < map.rows.size(); ++r) {
        QList<HeatmapCell> cells;
        for (int v = 0; v < map.columns.size(); ++v) {
            HeatmapCell cell;
            const HeatCell *c = map.cell(r, v);
            if (c && c->rate.trials > 0) {
                cell.value = c->rate.estimate;
                cell.n = c->rate.trials;
                cell.tooltip = QStringLiteral("%1\n%2\n").arg(map.rows[r].label, map.columns[v])
                    + rateText(c->rate);
                cell.target = casesOf(c->failures, v,
                                      tr("%n case failing %1 on %2", "%n cases failing %1 on %2",
                                         int(c->failures.cases.size()))
                                          .arg(map.rows[r].label, map.columns[v]));
                if (!c->failures.cases.isEmpty())
                    cell.tooltip
                        += QLatin1Char('\n') + tr("Click: %1").arg(cell.target.description);
            }
            cells.append(cell);
        }
        d.cells.append(cells);
    }
    return d;
}

SeriesChartData versionHistoryData(const EvalCharts &charts)
{
    SeriesChartData d;
    d.title = tr("Pass rate per prompt version");
    d.subtitle = tr("Newest eval of each version on dataset %1 with the same model")
                     .arg(charts.datasetName);
    d.valueTitle = tr("cases passed, 95% interval");
    d.categoryTitle = tr("prompt version (labels as they point now)");
    d.percent = true;
    // One category per version number across the series; labels under the number.
    QMap<int, QStringList> versions;
    for (const VersionHistorySeries &s : charts.history)
        for (const VersionHistoryPoint &p : s.points) {
            QStringList &labels = versions[p.promptVersion];
            for (const QString &l : p.labels)
                if (!labels.contains(l))
                    labels.append(l);
        }
    QMap<int, int> index;
    for (auto it = versions.cbegin(); it != versions.cend(); ++it) {
        index.insert(it.key(), int(d.categories.size()));
        QString label = QStringLiteral("v%1").arg(it.key());
        if (!it.value().isEmpty())
            label += QLatin1Char('\n') + it.value().join(QStringLiteral(", "));
        d.categories.append(label);
    }
    for (const VersionHistorySeries &s : charts.history) {
        SeriesLine line;
        line.name = s.promptName + QStringLiteral(" · ") + s.modelName;
        for (const VersionHistoryPoint &p : s.points) {
            SeriesPoint point;
            point.category = index.value(p.promptVersion);
            point.value = p.rate.estimate;
            point.low = p.rate.ci.low;
            point.high = p.rate.ci.high;
            point.tooltip
                = QStringLiteral("%1@%2 · %3%4\n")
                      .arg(s.promptName)
                      .arg(p.promptVersion)
                      .arg(s.modelName,
                           p.labels.isEmpty() ? QString()
                                              : QStringLiteral(" (")
                                   + p.labels.join(QStringLiteral(", ")) + QLatin1Char(')'))
                + rateText(p.rate) + tr("\nEval #%1, %2").arg(p.evalId).arg(p.evalCreatedAt);
            if (!p.inThisEval) {
                point.target.kind = ChartTarget::Kind::Eval;
                point.target.ids = {p.evalId};
                point.target.description = tr("eval #%1").arg(p.evalId);
                point.tooltip += tr("\nClick: open eval #%1").arg(p.evalId);
            } else {
                point.tooltip += tr(" (this eval)");
            }
            line.points.append(point);
        }
        d.lines.append(line);
    }
    return d;
}

ScatterChartData qualityCostData(const EvalCharts &charts, CostAxis axis)
{
    ScatterChartData d;
    const QualityCostChart &q = charts.qualityCost;
    d.yTitle = tr("pass rate");
    d.yPercent = true;
    d.lowerXIsBetter = true;
    const QList<int> *front = &q.paretoCost;
    switch (axis) {
    case CostAxis::CostPer1k:
        d.title = tr("Quality against cost");
        d.xTitle = tr("cost per 1,000 calls (USD)");
        d.xUnitFormat = QStringLiteral("$%.2f");
        break;
    case CostAxis::MedianLatency:
        d.title = tr("Quality against median latency");
        d.xTitle = tr("median latency (ms)");
        d.xUnitFormat = QStringLiteral("%.0f ms");
        front = &q.paretoMedianLatency;
        break;
    case CostAxis::P95Latency:
        d.title = tr("Quality against p95 latency");
        d.xTitle = tr("p95 latency (ms)");
        d.xUnitFormat = QStringLiteral("%.0f ms");
        front = &q.paretoP95Latency;
        break;
    }
    QList<int> onFront;
    int missing = 0;
    for (const CostLatencyPoint &p : q.points) {
        const std::optional<double> x = axis == CostAxis::CostPer1k ? p.costPer1k
            : axis == CostAxis::MedianLatency                       ? p.medianLatencyMs
                                                                    : p.p95LatencyMs;
        if (!x) {
            ++missing;
            continue;
        }
        ScatterItem item;
        item.label = p.label;
        item.x = *x;
        item.y = p.rate.estimate;
        item.yLow = p.rate.ci.low;
        item.yHigh = p.rate.ci.high;
        const bool isFront = front->contains(p.variant);
        item.tooltip = p.label + QLatin1Char('\n') + rateText(p.rate) + QLatin1Char('\n');
        if (axis == CostAxis::CostPer1k)
            item.tooltip += tr("$%1 per 1,000 calls (mean of %2 calls not from the cache)")
                                .arg(QString::number(*x, 'f', 4))
                                .arg(p.costedCalls);
        else
            item.tooltip += tr("%1 ms (%2 of %3 timed calls not from the cache)")
                                .arg(QString::number(*x, 'f', 0),
                                     axis == CostAxis::MedianLatency ? tr("median") : tr("p95"))
                                .arg(p.timedCalls);
        item.tooltip
            += isFront ? tr("\nOn the Pareto front") : tr("\nDominated by another variant");
        item.target
            = casesOf(p.refs, p.variant,
                      tr("%n case of %1", "%n cases of %1", int(p.refs.cases.size())).arg(p.label));
        if (isFront)
            onFront.append(int(d.items.size()));
        d.items.append(item);
    }
    // The core orders its front by the cost axis; keep that order for the line.
    std::sort(onFront.begin(), onFront.end(),
              [&](int a, int b) { return d.items[a].x < d.items[b].x; });
    d.paretoFront = onFront;
    d.subtitle = tr("Up and to the left is better; the dashed line joins the variants no other "
                    "beats on both");
    if (missing > 0)
        d.subtitle += tr(" · %n variant without this measure left out",
                         " · %n variants without this measure left out", missing);
    return d;
}

IntervalChartData winRateChartData(const EvalCharts &charts)
{
    IntervalChartData d;
    d.title = tr("Pairwise win rates");
    d.valueTitle = tr("share of decided comparisons won by the first, 95% Wilson interval");
    d.percent = true;
    d.sortDescending = false;
    d.referenceValue = 0.5;
    d.referenceLabel = tr("even");
    d.highlightName = tr("People");
    auto label = [&](int v) {
        for (const VariantRatePoint &p : charts.passRate.points)
            if (p.variant == v)
                return p.label;
        return tr("variant %1").arg(v + 1);
    };
    int significant = 0;
    for (const WinRate &w : charts.winRates) {
        IntervalItem item;
        const QString source = w.source == WinRate::Source::People ? tr("people") : w.name;
        item.label
            = QStringLiteral("%1 vs %2 (%3)").arg(label(w.variantA), label(w.variantB), source);
        item.value = w.winRateA.estimate;
        item.low = w.winRateA.ci.low;
        item.high = w.winRateA.ci.high;
        item.highlighted = w.source == WinRate::Source::People;
        item.tooltip
            = QStringLiteral("%1 vs %2 — %3\n").arg(label(w.variantA), label(w.variantB), source)
            + tr("%1 won %2 of %3 decided (%4, 95% CI %5–%6)\nties %7, errors %8")
                  .arg(label(w.variantA))
                  .arg(w.winsA)
                  .arg(w.winsA + w.winsB)
                  .arg(pct(w.winRateA.estimate), QString::number(100 * w.winRateA.ci.low, 'f', 1),
                       pct(w.winRateA.ci.high))
                  .arg(w.ties)
                  .arg(w.errors);
        if (w.winRateA.ci.low > 0.5 || w.winRateA.ci.high < 0.5)
            ++significant;
        item.target
            = casesOf(w.refs, w.variantA,
                      tr("%n compared case", "%n compared cases", int(w.refs.cases.size())));
        item.target.otherVariant = w.variantB;
        d.items.append(item);
    }
    if (!charts.winRates.isEmpty())
        d.subtitle = significant == 0
            ? tr("No pair differs significantly from an even split (95% interval covers 50%)")
            : tr("%n pair differs from an even split (95% interval excludes 50%)",
                 "%n pairs differ from an even split (95% interval excludes 50%)", significant);
    return d;
}

HistogramData scoreHistogramData(const EvalCharts &charts)
{
    HistogramData d;
    d.title = tr("Score distribution per variant");
    d.subtitle = tr("Mean score of each case (the case is the unit)");
    d.valueTitle = tr("score");
    if (!charts.histograms.isEmpty())
        for (const HistogramBin &b : charts.histograms.front().bins)
            d.bins.append(QStringLiteral("%1–%2").arg(QString::number(b.low, 'f', 1),
                                                      QString::number(b.high, 'f', 1)));
    for (const ScoreHistogram &h : charts.histograms) {
        HistogramGroup g;
        g.name = h.label;
        for (const HistogramBin &b : h.bins) {
            g.counts.append(b.count);
            g.targets.append(
                casesOf(b.refs, h.variant,
                        tr("%n case of %1 scoring %2–%3", "%n cases of %1 scoring %2–%3", b.count)
                            .arg(h.label, QString::number(b.low, 'f', 2),
                                 QString::number(b.high, 'f', 2))));
        }
        d.groups.append(g);
    }
    return d;
}

} // namespace ts
