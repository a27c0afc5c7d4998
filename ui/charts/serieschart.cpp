#include "charts/chartcanvas.h"

#include "common/themecolors.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace ts {

void buildSeriesChart(ChartCanvas &canvas, const SeriesChartData &data)
{
    QChart *chart = canvas.chart();
    const ChartStyle &style = canvas.style();
    canvas.setTitle(data.title, data.subtitle);
    const double scale = data.percent ? 100.0 : 1.0;
    const int categories = int(data.categories.size());

    auto *xAxis = new QCategoryAxis;
    style.apply(xAxis);
    xAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    xAxis->setRange(-0.5, std::max(0, categories - 1) + 0.5);
    xAxis->setTitleText(data.categoryTitle);
    xAxis->setGridLineVisible(false);
    // Many windows: label every k-th so that labels never overlap.
    const int every = std::max(1, int(std::ceil(categories / 14.0)));
    for (int c = 0; c < categories; c += every)
        xAxis->append(data.categories[c], c);
    if (every > 1 || categories > 8)
        xAxis->setLabelsAngle(-30);

    double lo = std::numeric_limits<double>::max();
    double hi = std::numeric_limits<double>::lowest();
    for (const SeriesLine &line : data.lines)
        for (const SeriesPoint &p : line.points) {
            lo = std::min(lo, p.low.value_or(p.value) * scale);
            hi = std::max(hi, p.high.value_or(p.value) * scale);
        }
    if (data.threshold) {
        lo = std::min(lo, *data.threshold * scale);
        hi = std::max(hi, *data.threshold * scale);
    }
    if (lo > hi) {
        lo = 0;
        hi = scale;
    }
    if (data.percent) {
        lo = std::max(0.0, std::floor((lo - 3) / 10) * 10);
        hi = std::min(100.0, std::ceil((hi + 3) / 10) * 10);
    } else {
        const double pad = std::max(1e-6, (hi - lo) * 0.1);
        lo = std::min(lo - pad, 0.0);
        hi += pad;
    }
    if (data.minValue)
        lo = *data.minValue * scale;
    if (data.maxValue)
        hi = std::max(*data.maxValue * scale, hi);
    auto *yAxis = new QValueAxis;
    style.apply(yAxis);
    yAxis->setRange(lo, hi);
    yAxis->setLabelFormat(data.percent ? QStringLiteral("%.0f%%") : QStringLiteral("%.2f"));
    yAxis->setTitleText(data.valueTitle);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    auto attach = [&](QAbstractSeries *s) {
        chart->addSeries(s);
        s->attachAxis(xAxis);
        s->attachAxis(yAxis);
    };
    QList<QAbstractSeries *> inLegend;

    // Bands behind everything, clipped to the axis range.
    for (const ValueBand &band : data.bands) {
        const double a = std::max(lo, band.from * scale);
        const double b = std::min(hi, band.to * scale);
        if (b <= a)
            continue;
        auto *upper = new QLineSeries;
        auto *lower = new QLineSeries;
        upper->append({{-0.5, b}, {std::max(0, categories - 1) + 0.5, b}});
        lower->append({{-0.5, a}, {std::max(0, categories - 1) + 0.5, a}});
        auto *area = new QAreaSeries(upper, lower);
        area->setName(band.label);
        const QColor tone = band.tone == ValueBand::Tone::Good ? style.pass
            : band.tone == ValueBand::Tone::Warning            ? style.warning
                                                               : style.fail;
        area->setColor(ThemeColors::mix(tone, style.background, style.dark ? 0.22 : 0.12));
        area->setBorderColor(Qt::transparent);
        attach(area);
        canvas.setSeriesItem(area,
                             {QStringLiteral("%1: %2 to %3")
                                  .arg(band.label, formatValue(band.from, data.percent),
                                       formatValue(band.to, data.percent)),
                              {}});
        canvas.track(area);
        canvas.addLabel(area, QPointF(std::max(0, categories - 1) + 0.5, b), band.label,
                        Qt::AlignLeft | Qt::AlignBottom, style.muted, true);
    }
    if (data.threshold) {
        auto *line = new QLineSeries;
        line->setName(data.thresholdLabel);
        const double y = *data.threshold * scale;
        line->append({{-0.5, y}, {std::max(0, categories - 1) + 0.5, y}});
        line->setPen(QPen(style.fail, 1.5, Qt::DashLine));
        attach(line);
        canvas.setSeriesItem(line,
                             {data.thresholdLabel + QStringLiteral(": ")
                                  + formatValue(*data.threshold, data.percent),
                              {}});
        canvas.track(line);
        inLegend.append(line);
    }

    auto *alerts = new QScatterSeries;
    alerts->setName(QObject::tr("Alert"));
    alerts->setMarkerSize(12);
    alerts->setColor(style.fail);
    alerts->setBorderColor(style.background);
    for (int l = 0; l < data.lines.size(); ++l) {
        const SeriesLine &sl = data.lines[l];
        const QColor color = style.series(l);
        for (const SeriesPoint &p : sl.points) {
            if (!p.low || !p.high)
                continue;
            auto *bar = new QLineSeries;
            bar->setName(sl.name);
            bar->append({{p.category - 0.0, *p.low * scale}, {p.category - 0.0, *p.high * scale}});
            bar->setPen(QPen(ThemeColors::mix(color, style.background, 0.6), 2));
            attach(bar);
            canvas.setSeriesItem(bar, {p.tooltip, p.target});
            canvas.track(bar);
        }
        auto *line = new QLineSeries;
        line->setName(sl.name);
        line->setPen(QPen(color, 2));
        line->setPointsVisible(true);
        line->setMarkerSize(8);
        for (const SeriesPoint &p : sl.points) {
            line->append(p.category, p.value * scale);
            QString tooltip = p.tooltip;
            if (tooltip.isEmpty())
                tooltip = QStringLiteral("%1 — %2\n%3")
                              .arg(sl.name,
                                   p.category < categories
                                       ? QString(data.categories[p.category])
                                             .replace(QLatin1Char('\n'), QLatin1Char(' '))
                                       : QString(),
                                   formatWithInterval(p.value, p.low, p.high, data.percent));
            canvas.setItem(line, line->count() - 1, {tooltip, p.target});
            if (p.alert) {
                alerts->append(p.category, p.value * scale);
                canvas.setItem(alerts, alerts->count() - 1, {tooltip, p.target});
            }
        }
        attach(line);
        canvas.track(line);
        inLegend.append(line);
    }
    attach(alerts);
    canvas.track(alerts);
    if (alerts->count() > 0)
        inLegend.append(alerts);

    chart->legend()->setAlignment(Qt::AlignBottom);
    for (QAbstractSeries *s : chart->series())
        for (QLegendMarker *m : chart->legend()->markers(s))
            m->setVisible(inLegend.contains(s));
    chart->legend()->setVisible(inLegend.size() > 1);
}

} // namespace ts
