#include "charts/chartcanvas.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QLegend>
#include <QLineSeries>

namespace ts {

void buildHeatmapChart(ChartCanvas &canvas, const HeatmapData &data)
{
    QChart *chart = canvas.chart();
    const ChartStyle &style = canvas.style();
    canvas.setTitle(data.title, data.subtitle);
    const int rows = int(data.rows.size());
    const int columns = int(data.columns.size());

    auto *columnAxis = new QCategoryAxis;
    auto *rowAxis = new QCategoryAxis;
    style.apply(columnAxis);
    style.apply(rowAxis);
    columnAxis->setGridLineVisible(false);
    rowAxis->setGridLineVisible(false);
    columnAxis->setLineVisible(false);
    rowAxis->setLineVisible(false);
    columnAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    rowAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    columnAxis->setRange(-0.5, std::max(0, columns - 1) + 0.5);
    rowAxis->setRange(-0.5, std::max(0, rows - 1) + 0.5);
    for (int c = 0; c < columns; ++c)
        columnAxis->append(data.columns[c], c);
    for (int r = rows - 1; r >= 0; --r) // bounds ascend: bottom row first
        rowAxis->append(data.rows[r], rows - 1 - r);
    if (columns > 4)
        columnAxis->setLabelsAngle(-30);
    chart->addAxis(columnAxis, Qt::AlignBottom);
    chart->addAxis(rowAxis, Qt::AlignLeft);

    const double gap = 0.04;
    for (int r = 0; r < rows && r < data.cells.size(); ++r) {
        const double y = rows - 1 - r;
        for (int c = 0; c < columns && c < data.cells[r].size(); ++c) {
            const HeatmapCell &cell = data.cells[r][c];
            if (!cell.value)
                continue;
            auto *upper = new QLineSeries;
            auto *lower = new QLineSeries;
            upper->append(c - 0.5 + gap, y + 0.5 - gap);
            upper->append(c + 0.5 - gap, y + 0.5 - gap);
            lower->append(c - 0.5 + gap, y - 0.5 + gap);
            lower->append(c + 0.5 - gap, y - 0.5 + gap);
            auto *area = new QAreaSeries(upper, lower);
            area->setName(data.rows[r] + QStringLiteral(" × ") + data.columns[c]);
            area->setColor(style.shareColor(*cell.value));
            area->setBorderColor(style.background);
            chart->addSeries(area);
            area->attachAxis(columnAxis);
            area->attachAxis(rowAxis);
            QString tooltip = cell.tooltip;
            if (tooltip.isEmpty()) {
                tooltip = QStringLiteral("%1 × %2\n%3 pass (%4 checks)")
                              .arg(data.rows[r], data.columns[c], formatValue(*cell.value, true))
                              .arg(cell.n);
                if (!cell.target.description.isEmpty())
                    tooltip += QLatin1Char('\n') + cell.target.description;
            }
            canvas.setSeriesItem(area, {tooltip, cell.target});
            canvas.track(area);
            canvas.addLabel(area, QPointF(c, y),
                            QString::number(100 * *cell.value, 'f', 0) + QLatin1Char('%'),
                            Qt::AlignCenter, style.text);
        }
    }
    chart->legend()->setVisible(false);
}

} // namespace ts
