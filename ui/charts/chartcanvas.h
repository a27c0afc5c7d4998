#pragma once

// Inside ui/charts only: what the chart builders draw on, and the builders themselves.

#include "charts/chartstyle.h"
#include "charts/charttypes.h"

#include <QChart>
#include <QHash>
#include <QPointF>

#include <functional>
#include <optional>
#include <vector>

class QAbstractSeries;
class QAreaSeries;
class QBarSet;
class QGraphicsSimpleTextItem;
class QXYSeries;

namespace ts {

/// One chart being built: the QChart, the style, what each point means (tooltip and target),
/// and text labels pinned to data positions that follow the plot area when it resizes.
class ChartCanvas
{
public:
    struct Item
    {
        QString tooltip;
        ChartTarget target;
    };
    using HoverHandler = std::function<void(const QObject *, int, bool)>;
    using ClickHandler = std::function<void(const QObject *, int)>;

    ChartCanvas(QChart *chart, const ChartStyle &style, HoverHandler hover, ClickHandler click);
    ~ChartCanvas();

    QChart *chart() const { return m_chart; }
    const ChartStyle &style() const { return m_style; }

    /// Title with an optional smaller second line.
    void setTitle(const QString &title, const QString &subtitle);

    /// The meaning of point `index` of `series` (a QXYSeries, QBarSet or QAreaSeries).
    void setItem(const QObject *series, int index, Item item);
    /// The meaning of every point of `series` (error bars, areas).
    void setSeriesItem(const QObject *series, Item item);
    const Item *item(const QObject *series, int index) const;

    /// Hover and click of `series` reach the widget.
    void track(QXYSeries *series);
    void track(QAreaSeries *series);
    void track(QBarSet *set);

    /// Text pinned at `value` in the coordinates of `series` (which must be attached to axes).
    void addLabel(QAbstractSeries *series, QPointF value, const QString &text,
                  Qt::Alignment alignment, const QColor &color, bool small = false);
    /// The same, placed at `fallback` with `fallbackAlignment` instead when at `value` it would
    /// not fit inside the plot and be pushed back over what it labels.
    void addLabel(QAbstractSeries *series, QPointF value, QPointF fallback, Qt::Alignment alignment,
                  Qt::Alignment fallbackAlignment, const QString &text, const QColor &color,
                  bool small = false);
    void layoutLabels();
    QStringList labelTexts() const;

private:
    struct Label
    {
        QGraphicsSimpleTextItem *item = nullptr;
        QAbstractSeries *series = nullptr;
        QPointF value;
        Qt::Alignment alignment;
        std::optional<QPointF> fallback;
        Qt::Alignment fallbackAlignment;
    };
    int nearestIndex(const QXYSeries *series, QPointF value) const;

    QChart *m_chart = nullptr;
    ChartStyle m_style;
    HoverHandler m_hover;
    ClickHandler m_click;
    QHash<const QObject *, QHash<int, Item>> m_items;
    QHash<const QObject *, Item> m_seriesItems;
    std::vector<Label> m_labels;
};

void buildIntervalChart(ChartCanvas &canvas, const IntervalChartData &data);
void buildHeatmapChart(ChartCanvas &canvas, const HeatmapData &data);
void buildScatterChart(ChartCanvas &canvas, const ScatterChartData &data);
void buildSeriesChart(ChartCanvas &canvas, const SeriesChartData &data);
void buildHistogramChart(ChartCanvas &canvas, const HistogramData &data);
void buildMapChart(ChartCanvas &canvas, const MapChartData &data);

/// "71.4%" for shares, else the number with up to 3 decimals.
QString formatValue(double value, bool percent);
/// "71.4% (95% CI 60.2–80.5%)"
QString formatWithInterval(double value, std::optional<double> low, std::optional<double> high,
                           bool percent);

} // namespace ts
