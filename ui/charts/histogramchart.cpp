#include "charts/chartcanvas.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QLegend>
#include <QValueAxis>

#include <algorithm>

namespace ts {

void buildHistogramChart(ChartCanvas &canvas, const HistogramData &data)
{
    QChart *chart = canvas.chart();
    const ChartStyle &style = canvas.style();
    canvas.setTitle(data.title, data.subtitle);

    auto *series = new QBarSeries;
    series->setBarWidth(0.85);
    int most = 1;
    for (int g = 0; g < data.groups.size(); ++g) {
        const HistogramGroup &group = data.groups[g];
        auto *set = new QBarSet(group.name);
        set->setColor(style.series(g));
        set->setBorderColor(style.background);
        for (int b = 0; b < data.bins.size(); ++b) {
            const int count = b < group.counts.size() ? group.counts[b] : 0;
            set->append(count);
            most = std::max(most, count);
            ChartTarget target = b < group.targets.size() ? group.targets[b] : ChartTarget {};
            QString tooltip = QStringLiteral("%1\n%2 in %3: %4")
                                  .arg(group.name, data.valueTitle, data.bins[b])
                                  .arg(count);
            if (!target.description.isEmpty())
                tooltip += QLatin1Char('\n') + target.description;
            canvas.setItem(set, b, {tooltip, target});
        }
        series->append(set);
        canvas.track(set);
    }
    chart->addSeries(series);

    auto *xAxis = new QBarCategoryAxis;
    xAxis->append(data.bins);
    xAxis->setTitleText(data.valueTitle);
    auto *yAxis = new QValueAxis;
    yAxis->setRange(0, most);
    yAxis->setLabelFormat(QStringLiteral("%d"));
    yAxis->applyNiceNumbers();
    yAxis->setTitleText(QObject::tr("Count"));
    style.apply(xAxis);
    style.apply(yAxis);
    xAxis->setGridLineVisible(false);
    if (data.bins.size() > 10)
        xAxis->setLabelsAngle(-45);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    series->attachAxis(xAxis);
    series->attachAxis(yAxis);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setVisible(data.groups.size() > 1);
}

} // namespace ts
