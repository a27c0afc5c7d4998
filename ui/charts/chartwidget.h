#pragma once

#include "charts/charttypes.h"
#include "common/error.h"

#include <QWidget>

#include <functional>
#include <memory>

class QChart;
class QChartView;
class QLabel;
class QStackedLayout;

namespace ts {

class ChartCanvas;

/// A chart of the Insights section: one of the chart kinds below drawn with Qt Charts in the
/// palette's colours (redrawn when the palette changes), tooltips with the exact numbers on
/// hover, pointActivated() on a click with what is behind the point, and export as PNG or SVG
/// (context menu, or exportPng()/exportSvg()). Without data it shows an empty-state text.
class ChartWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit ChartWidget(QWidget *parent = nullptr);
    ~ChartWidget() override;

    void showIntervals(const IntervalChartData &data);
    void showHeatmap(const HeatmapData &data);
    void showScatter(const ScatterChartData &data);
    void showSeries(const SeriesChartData &data);
    void showHistogram(const HistogramData &data);
    void showMap(const MapChartData &data);
    /// Shows `text` instead of a chart.
    void showEmpty(const QString &text);

    bool hasChart() const;
    QChart *chart() const;
    QChartView *chartView() const { return m_view; }
    QString emptyText() const;

    /// The tooltip and the target of point `index` of a series (or bar set / area series).
    QString tooltipAt(const QObject *series, int index) const;
    ChartTarget targetAt(const QObject *series, int index) const;
    /// What a click on point `index` of `series` does: pointActivated() when something is
    /// behind it. Returns whether it was emitted.
    bool activate(const QObject *series, int index);
    /// Text drawn over the plot (cell values, point names), for tests and accessibility.
    QStringList overlayTexts() const;

    /// Writes the chart as it is shown (at the device pixel ratio) to a PNG file.
    Result<void> exportPng(const QString &path) const;
    /// Writes the chart as vector graphics to an SVG file.
    Result<void> exportSvg(const QString &path) const;
    /// Asks for a file name and writes PNG or SVG by its extension.
    void exportWithDialog();

Q_SIGNALS:
    void pointActivated(const ts::ChartTarget &target);
    /// A chart was drawn (also after a palette change).
    void chartChanged();

protected:
    void changeEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void draw(std::function<void(ChartCanvas &)> build);
    void redraw();
    void hovered(const QObject *series, int index, bool state);

    QStackedLayout *m_stack = nullptr;
    QChartView *m_view = nullptr;
    QLabel *m_empty = nullptr;
    std::function<void(ChartCanvas &)> m_build;
    std::unique_ptr<ChartCanvas> m_canvas;
    bool m_redrawing = false;
};

} // namespace ts
