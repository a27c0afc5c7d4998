#include "charts/chartcanvas.h"
#include "charts/pareto.h"

#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace ts {

void buildScatterChart(ChartCanvas &canvas, const ScatterChartData &data)
{
    QChart *chart = canvas.chart();
    const ChartStyle &style = canvas.style();
    canvas.setTitle(data.title, data.subtitle);
    const double scale = data.yPercent ? 100.0 : 1.0;
    const QList<int> front
        = data.paretoFront.value_or(scatterParetoFront(data.items, data.lowerXIsBetter));

    double xMin = std::numeric_limits<double>::max();
    double xMax = std::numeric_limits<double>::lowest();
    double yMin = std::numeric_limits<double>::max();
    double yMax = std::numeric_limits<double>::lowest();
    for (const ScatterItem &item : data.items) {
        xMin = std::min(xMin, item.x);
        xMax = std::max(xMax, item.x);
        yMin = std::min(yMin, item.yLow.value_or(item.y) * scale);
        yMax = std::max(yMax, item.yHigh.value_or(item.y) * scale);
    }
    if (data.items.isEmpty()) {
        xMin = 0;
        xMax = 1;
        yMin = 0;
        yMax = scale;
    }
    // Prices and latencies of models span orders of magnitude: a log axis keeps them apart.
    const bool logX = xMin > 0 && xMax / xMin > 20;
    QAbstractAxis *xAxis = nullptr;
    if (logX) {
        auto *axis = new QLogValueAxis;
        axis->setBase(10);
        axis->setRange(xMin / 1.6, xMax * 1.6);
        axis->setLabelFormat(data.xUnitFormat);
        axis->setMinorTickCount(-1);
        xAxis = axis;
    } else {
        auto *axis = new QValueAxis;
        const double pad = std::max(1e-9, (xMax - xMin) * 0.12);
        axis->setRange(std::max(0.0, xMin - pad), xMax + pad);
        axis->setLabelFormat(data.xUnitFormat);
        axis->applyNiceNumbers();
        xAxis = axis;
    }
    auto *yAxis = new QValueAxis;
    const double yPad = std::max(data.yPercent ? 2.0 : 1e-9, (yMax - yMin) * 0.12);
    double y0 = yMin - yPad;
    double y1 = yMax + yPad;
    if (data.yPercent) {
        // Round percentages on the ticks: the smallest step of 5, 10, 20, 25 or 50 points that
        // needs no more than six intervals.
        for (const double step : {5.0, 10.0, 20.0, 25.0, 50.0}) {
            const double a = std::max(0.0, std::floor(y0 / step) * step);
            const double b = std::min(100.0, std::ceil(y1 / step) * step);
            if ((b - a) / step <= 6 || step == 50.0) {
                y0 = a;
                y1 = b;
                yAxis->setTickCount(int(std::lround((b - a) / step)) + 1);
                break;
            }
        }
    }
    yAxis->setRange(y0, y1);
    yAxis->setLabelFormat(data.yPercent ? QStringLiteral("%.0f%%") : QStringLiteral("%.2f"));
    style.apply(xAxis);
    style.apply(yAxis);
    xAxis->setTitleText(data.xTitle);
    yAxis->setTitleText(data.yTitle);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    auto attach = [&](QAbstractSeries *s) {
        chart->addSeries(s);
        s->attachAxis(xAxis);
        s->attachAxis(yAxis);
    };

    auto tooltipOf = [&](const ScatterItem &item, bool onFront) {
        if (!item.tooltip.isEmpty())
            return item.tooltip;
        QString t = QStringLiteral("%1\n%2: %3\n%4: %5")
                        .arg(item.label, data.yTitle,
                             formatWithInterval(item.y, item.yLow, item.yHigh, data.yPercent),
                             data.xTitle, QString::asprintf(qPrintable(data.xUnitFormat), item.x));
        t += onFront ? QObject::tr("\nOn the Pareto front") : QObject::tr("\nDominated");
        if (!item.target.description.isEmpty())
            t += QLatin1Char('\n') + item.target.description;
        return t;
    };

    // Error bars first, so that the points are drawn over them.
    for (int i = 0; i < data.items.size(); ++i) {
        const ScatterItem &item = data.items[i];
        if (!item.yLow || !item.yHigh)
            continue;
        auto *bar = new QLineSeries;
        bar->setName(item.label);
        const double a = *item.yLow * scale;
        const double b = *item.yHigh * scale;
        bar->append({{item.x, a}, {item.x, b}});
        const bool onFront = front.contains(i);
        bar->setPen(QPen(onFront ? style.accent : style.muted, 1.5));
        attach(bar);
        canvas.setSeriesItem(bar, {tooltipOf(item, onFront), item.target});
        canvas.track(bar);
    }

    auto *frontLine = new QLineSeries;
    frontLine->setName(QObject::tr("Pareto front"));
    QPen frontPen(style.accent, 2, Qt::DashLine);
    frontLine->setPen(frontPen);
    for (int i : front)
        frontLine->append(data.items[i].x, data.items[i].y * scale);
    attach(frontLine);
    canvas.setSeriesItem(
        frontLine,
        {QObject::tr("Pareto front: no other variant is both better and %1")
             .arg(data.lowerXIsBetter ? QObject::tr("cheaper or faster") : QObject::tr("higher")),
         {}});
    canvas.track(frontLine);

    auto *onFront = new QScatterSeries;
    onFront->setName(QObject::tr("On the front"));
    onFront->setMarkerSize(12);
    onFront->setColor(style.accent);
    onFront->setBorderColor(style.background);
    auto *dominated = new QScatterSeries;
    dominated->setName(QObject::tr("Dominated"));
    dominated->setMarkerSize(10);
    dominated->setColor(style.muted);
    dominated->setBorderColor(style.background);
    for (int i = 0; i < data.items.size(); ++i) {
        const ScatterItem &item = data.items[i];
        const bool isFront = front.contains(i);
        QScatterSeries *s = isFront ? onFront : dominated;
        s->append(item.x, item.y * scale);
        canvas.setItem(s, s->count() - 1, {tooltipOf(item, isFront), item.target});
    }
    attach(dominated);
    attach(onFront);
    canvas.track(dominated);
    canvas.track(onFront);
    for (int i = 0; i < data.items.size(); ++i) {
        const ScatterItem &item = data.items[i];
        canvas.addLabel(front.contains(i) ? onFront : dominated, QPointF(item.x, item.y * scale),
                        item.label, Qt::AlignRight, front.contains(i) ? style.text : style.muted,
                        true);
    }

    chart->legend()->setAlignment(Qt::AlignBottom);
    for (QAbstractSeries *s : chart->series()) {
        const bool keep = s == frontLine || s == onFront || s == dominated;
        for (QLegendMarker *m : chart->legend()->markers(s))
            m->setVisible(keep);
    }
}

} // namespace ts
