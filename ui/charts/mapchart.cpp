#include "charts/chartcanvas.h"

#include "common/themecolors.h"

#include <QLegend>
#include <QLegendMarker>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>

namespace ts {

void buildMapChart(ChartCanvas &canvas, const MapChartData &data)
{
    QChart *chart = canvas.chart();
    const ChartStyle &style = canvas.style();
    canvas.setTitle(data.title, data.subtitle);

    double xMin = 0, xMax = 1, yMin = 0, yMax = 1;
    if (!data.points.isEmpty()) {
        xMin = xMax = data.points.front().x;
        yMin = yMax = data.points.front().y;
        for (const MapPoint &p : data.points) {
            xMin = std::min(xMin, p.x);
            xMax = std::max(xMax, p.x);
            yMin = std::min(yMin, p.y);
            yMax = std::max(yMax, p.y);
        }
    }
    const double xPad = std::max(1e-6, (xMax - xMin) * 0.05);
    const double yPad = std::max(1e-6, (yMax - yMin) * 0.05);
    auto *xAxis = new QValueAxis;
    auto *yAxis = new QValueAxis;
    xAxis->setRange(xMin - xPad, xMax + xPad);
    yAxis->setRange(yMin - yPad, yMax + yPad);
    style.apply(xAxis);
    style.apply(yAxis);
    // The coordinates of a projection mean nothing on their own: no numbers, just the grid.
    // No axis titles either: QtCharts leaves a title no room beside hidden labels and draws
    // "…" (the subtitle names the projection instead).
    xAxis->setLabelsVisible(false);
    yAxis->setLabelsVisible(false);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    const int groups = int(data.groups.size());
    // Secondary (hollow) first, then primary; emphasized groups last so they are on top.
    QList<int> order;
    for (int g = 0; g < groups; ++g)
        if (!data.emphasized.contains(g))
            order.append(g);
    for (int g : data.emphasized)
        if (g >= 0 && g < groups)
            order.append(g);
    QList<QScatterSeries *> primary(groups, nullptr);
    QList<QScatterSeries *> secondary(groups, nullptr);
    for (int g = 0; g < groups; ++g) {
        const bool strong = data.emphasized.contains(g);
        const QColor color = strong || data.emphasized.isEmpty()
            ? style.series(g)
            : ThemeColors::mix(style.series(g), style.background, 0.75);
        auto *p = new QScatterSeries;
        p->setName(data.groups[g]);
        p->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        p->setMarkerSize(strong ? 9 : 7);
        p->setColor(color);
        p->setBorderColor(Qt::transparent);
        auto *s = new QScatterSeries;
        s->setName(data.groups[g] + QStringLiteral(" (") + data.secondaryName + QLatin1Char(')'));
        s->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        s->setMarkerSize(strong ? 8 : 6);
        s->setColor(Qt::transparent);
        s->setBorderColor(color);
        primary[g] = p;
        secondary[g] = s;
    }
    for (const MapPoint &point : data.points) {
        if (point.group < 0 || point.group >= groups)
            continue;
        QScatterSeries *s = point.secondary ? secondary[point.group] : primary[point.group];
        s->append(point.x, point.y);
        ChartTarget target;
        target.kind = point.secondary ? data.secondaryKind : data.primaryKind;
        target.ids = {point.id};
        const QString side = point.secondary ? data.secondaryName : data.primaryName;
        target.description = QObject::tr("%1 record %2").arg(side).arg(point.id);
        canvas.setItem(
            s, s->count() - 1,
            {QStringLiteral("%1\n%2").arg(data.groups[point.group], target.description), target});
    }
    for (int g : order)
        for (QScatterSeries *s : {secondary[g], primary[g]}) {
            chart->addSeries(s);
            s->attachAxis(xAxis);
            s->attachAxis(yAxis);
            canvas.track(s);
        }
    chart->legend()->setAlignment(Qt::AlignRight);
    for (int g = 0; g < groups; ++g) {
        for (QLegendMarker *m : chart->legend()->markers(secondary[g]))
            m->setVisible(false);
        for (QLegendMarker *m : chart->legend()->markers(primary[g]))
            m->setVisible(primary[g]->count() > 0 || secondary[g]->count() > 0);
    }
}

} // namespace ts
