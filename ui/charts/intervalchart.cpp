#include "charts/chartcanvas.h"

#include <QCategoryAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <numeric>

namespace ts {

namespace {

QString defaultTooltip(const IntervalItem &item, bool percent)
{
    QString t = item.label + QLatin1Char('\n')
        + formatWithInterval(item.value, item.low, item.high, percent);
    if (!item.target.description.isEmpty())
        t += QLatin1Char('\n') + item.target.description;
    return t;
}

} // namespace

void buildIntervalChart(ChartCanvas &canvas, const IntervalChartData &data)
{
    QChart *chart = canvas.chart();
    const ChartStyle &style = canvas.style();
    canvas.setTitle(data.title, data.subtitle);
    const double scale = data.percent ? 100.0 : 1.0;

    QList<int> order(data.items.size());
    std::iota(order.begin(), order.end(), 0);
    if (data.sortDescending)
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return data.items[a].value > data.items[b].value; });
    const int n = int(order.size());

    auto *valueAxis = new QValueAxis;
    auto *rowAxis = new QCategoryAxis;
    style.apply(valueAxis);
    style.apply(rowAxis);
    rowAxis->setGridLineVisible(false);
    valueAxis->setTitleText(data.valueTitle);
    chart->addAxis(valueAxis, Qt::AlignBottom);
    chart->addAxis(rowAxis, Qt::AlignLeft);

    double lo = data.percent ? 0 : std::numeric_limits<double>::max();
    double hi = data.percent ? 100 : std::numeric_limits<double>::lowest();
    if (!data.percent) {
        for (const IntervalItem &item : data.items) {
            lo = std::min({lo, item.value, item.low.value_or(item.value)});
            hi = std::max({hi, item.value, item.high.value_or(item.value)});
        }
        if (data.referenceValue) {
            lo = std::min(lo, *data.referenceValue);
            hi = std::max(hi, *data.referenceValue);
        }
        if (n == 0) {
            lo = 0;
            hi = 1;
        }
        const double pad = std::max(1e-9, (hi - lo) * 0.08);
        lo -= pad;
        hi += pad;
    }
    valueAxis->setRange(lo, hi);
    valueAxis->setLabelFormat(data.percent ? QStringLiteral("%.0f%%") : QStringLiteral("%.2f"));
    valueAxis->setTickCount(data.percent ? 11 : 6);
    rowAxis->setRange(-0.6, std::max(0, n - 1) + 0.6);
    rowAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);

    auto *points = new QScatterSeries;
    points->setName(QObject::tr("Variant"));
    points->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    points->setMarkerSize(11);
    points->setColor(style.series(0));
    points->setBorderColor(style.background);
    auto *highlighted = new QScatterSeries;
    highlighted->setName(data.highlightName);
    highlighted->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    highlighted->setMarkerSize(12);
    highlighted->setColor(style.series(1));
    highlighted->setBorderColor(style.background);

    // Category bounds must ascend: label the rows bottom (last) to top (best).
    for (int row = n - 1; row >= 0; --row)
        rowAxis->append(data.items[order[row]].label, n - 1 - row);

    const double cap = 0.16;
    QList<QLineSeries *> bars;
    for (int row = 0; row < n; ++row) {
        const IntervalItem &item = data.items[order[row]];
        const double y = n - 1 - row;
        const ChartCanvas::Item meaning {item.tooltip.isEmpty() ? defaultTooltip(item, data.percent)
                                                                : item.tooltip,
                                         item.target};
        if (item.low && item.high) {
            auto *bar = new QLineSeries;
            bar->setName(item.label);
            const double a = *item.low * scale;
            const double b = *item.high * scale;
            bar->append({{a, y - cap}, {a, y + cap}, {a, y}, {b, y}, {b, y + cap}, {b, y - cap}});
            QPen pen(item.highlighted ? style.series(1) : style.series(0), 2);
            pen.setCapStyle(Qt::FlatCap);
            bar->setPen(pen);
            canvas.setSeriesItem(bar, meaning);
            bars.append(bar);
        }
        QScatterSeries *target = item.highlighted ? highlighted : points;
        target->append(item.value * scale, y);
        canvas.setItem(target, target->count() - 1, meaning);
    }

    for (QLineSeries *bar : bars) {
        chart->addSeries(bar);
        bar->attachAxis(valueAxis);
        bar->attachAxis(rowAxis);
        canvas.track(bar);
    }
    if (data.referenceValue) {
        auto *line = new QLineSeries;
        line->setName(data.referenceLabel);
        const double x = *data.referenceValue * scale;
        line->append(x, -0.6);
        line->append(x, std::max(0, n - 1) + 0.6);
        QPen pen(style.muted, 1.2, Qt::DashLine);
        line->setPen(pen);
        chart->addSeries(line);
        line->attachAxis(valueAxis);
        line->attachAxis(rowAxis);
        canvas.setSeriesItem(line,
                             {data.referenceLabel + QStringLiteral(": ")
                                  + formatValue(*data.referenceValue, data.percent),
                              {}});
        canvas.track(line);
        if (!data.referenceLabel.isEmpty())
            canvas.addLabel(line, QPointF(x, std::max(0, n - 1) + 0.6), data.referenceLabel,
                            Qt::AlignRight | Qt::AlignBottom, style.muted, true);
    }
    for (QScatterSeries *s : {points, highlighted}) {
        chart->addSeries(s);
        s->attachAxis(valueAxis);
        s->attachAxis(rowAxis);
        canvas.track(s);
    }
    // The exact value beside each row: right of its interval, or left of it when the interval
    // reaches the right edge.
    for (int row = 0; row < n; ++row) {
        const IntervalItem &item = data.items[order[row]];
        const double high = item.high.value_or(item.value) * scale;
        const double low = item.low.value_or(item.value) * scale;
        canvas.addLabel(points, QPointF(high, n - 1 - row), QPointF(low, n - 1 - row),
                        Qt::AlignRight, Qt::AlignLeft, formatValue(item.value, data.percent),
                        style.text, true);
    }

    chart->legend()->setAlignment(Qt::AlignBottom);
    for (QAbstractSeries *s : chart->series()) {
        const bool keep = (s == points && points->count() > 0)
            || (s == highlighted && highlighted->count() > 0);
        const auto markers = chart->legend()->markers(s);
        for (auto *m : markers)
            m->setVisible(keep);
    }
}

} // namespace ts
