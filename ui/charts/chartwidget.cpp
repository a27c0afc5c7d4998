#include "charts/chartwidget.h"

#include "charts/chartcanvas.h"

#include <QAbstractSeries>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QCursor>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QStackedLayout>
#include <QSvgGenerator>
#include <QToolTip>

namespace ts {

ChartWidget::ChartWidget(QWidget *parent)
    : QWidget(parent)
{
    m_stack = new QStackedLayout(this);
    m_stack->setContentsMargins(0, 0, 0, 0);
    m_view = new QChartView(this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setMouseTracking(true);
    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);
    m_stack->setCurrentWidget(m_empty);
    setMinimumSize(320, 240);
}

ChartWidget::~ChartWidget()
{
    // The canvas refers to the chart; drop it before the view deletes the chart.
    m_canvas.reset();
}

void ChartWidget::showIntervals(const IntervalChartData &data)
{
    draw([data](ChartCanvas &c) { buildIntervalChart(c, data); });
}

void ChartWidget::showHeatmap(const HeatmapData &data)
{
    draw([data](ChartCanvas &c) { buildHeatmapChart(c, data); });
}

void ChartWidget::showScatter(const ScatterChartData &data)
{
    draw([data](ChartCanvas &c) { buildScatterChart(c, data); });
}

void ChartWidget::showSeries(const SeriesChartData &data)
{
    draw([data](ChartCanvas &c) { buildSeriesChart(c, data); });
}

void ChartWidget::showHistogram(const HistogramData &data)
{
    draw([data](ChartCanvas &c) { buildHistogramChart(c, data); });
}

void ChartWidget::showMap(const MapChartData &data)
{
    draw([data](ChartCanvas &c) { buildMapChart(c, data); });
}

void ChartWidget::showEmpty(const QString &text)
{
    m_build = nullptr;
    m_canvas.reset();
    m_view->setChart(new QChart); // the view deletes the previous chart
    m_empty->setText(text);
    m_stack->setCurrentWidget(m_empty);
}

bool ChartWidget::hasChart() const
{
    return m_stack->currentWidget() == m_view && m_canvas;
}

QChart *ChartWidget::chart() const
{
    return hasChart() ? m_view->chart() : nullptr;
}

QString ChartWidget::emptyText() const
{
    return hasChart() ? QString() : m_empty->text();
}

void ChartWidget::draw(std::function<void(ChartCanvas &)> build)
{
    m_build = std::move(build);
    redraw();
}

void ChartWidget::redraw()
{
    if (!m_build)
        return;
    m_redrawing = true;
    m_canvas.reset();
    auto *chart = new QChart;
    m_canvas = std::make_unique<ChartCanvas>(
        chart, ChartStyle::fromPalette(palette(), font()),
        [this](const QObject *series, int index, bool state) { hovered(series, index, state); },
        [this](const QObject *series, int index) { activate(series, index); });
    m_build(*m_canvas);
    m_view->setChart(chart);
    m_view->setBackgroundBrush(m_canvas->style().background);
    m_stack->setCurrentWidget(m_view);
    m_canvas->layoutLabels();
    m_redrawing = false;
    Q_EMIT chartChanged();
}

void ChartWidget::hovered(const QObject *series, int index, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    const QString text = tooltipAt(series, index);
    if (!text.isEmpty())
        QToolTip::showText(QCursor::pos(), text, m_view);
}

QString ChartWidget::tooltipAt(const QObject *series, int index) const
{
    const ChartCanvas::Item *item = m_canvas ? m_canvas->item(series, index) : nullptr;
    return item ? item->tooltip : QString();
}

ChartTarget ChartWidget::targetAt(const QObject *series, int index) const
{
    const ChartCanvas::Item *item = m_canvas ? m_canvas->item(series, index) : nullptr;
    return item ? item->target : ChartTarget {};
}

bool ChartWidget::activate(const QObject *series, int index)
{
    const ChartTarget target = targetAt(series, index);
    if (target.isEmpty())
        return false;
    Q_EMIT pointActivated(target);
    return true;
}

QStringList ChartWidget::overlayTexts() const
{
    return m_canvas ? m_canvas->labelTexts() : QStringList();
}

Result<void> ChartWidget::exportPng(const QString &path) const
{
    if (!hasChart())
        return fail(ErrorCode::InvalidArgument, tr("There is no chart to export."));
    if (!m_view->grab().save(path, "PNG"))
        return fail(ErrorCode::Io, tr("Could not write the PNG file %1.").arg(path));
    return {};
}

Result<void> ChartWidget::exportSvg(const QString &path) const
{
    if (!hasChart())
        return fail(ErrorCode::InvalidArgument, tr("There is no chart to export."));
    const QSize size = m_view->size();
    {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(m_view->chart()->title());
        svg.setDescription(tr("Chart exported from Touchstone"));
        QPainter painter;
        if (!painter.begin(&svg))
            return fail(ErrorCode::Io, tr("Could not write the SVG file %1.").arg(path));
        painter.fillRect(QRect(QPoint(0, 0), size), m_view->backgroundBrush());
        m_view->scene()->render(&painter, QRectF(QPointF(0, 0), size), m_view->sceneRect());
        painter.end();
    }
    if (QFileInfo(path).size() <= 0)
        return fail(ErrorCode::Io, tr("Could not write the SVG file %1.").arg(path));
    return {};
}

void ChartWidget::exportWithDialog()
{
    if (!hasChart())
        return;
    QString selected;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Chart"), QString(), tr("PNG image (*.png);;SVG image (*.svg)"), &selected);
    if (path.isEmpty())
        return;
    const bool svg = path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)
        || (!path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)
            && selected.contains(QLatin1String("svg")));
    QString file = path;
    if (QFileInfo(file).suffix().isEmpty())
        file += svg ? QStringLiteral(".svg") : QStringLiteral(".png");
    const Result<void> written = svg ? exportSvg(file) : exportPng(file);
    if (!written)
        QMessageBox::warning(this, tr("Export Chart"), written.error().message);
}

void ChartWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if ((event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        && !m_redrawing && m_build)
        redraw();
}

void ChartWidget::contextMenuEvent(QContextMenuEvent *event)
{
    if (!hasChart())
        return;
    QMenu menu(this);
    menu.addAction(tr("Export as PNG or SVG…"), this, &ChartWidget::exportWithDialog);
    menu.addAction(tr("Copy Image"), this,
                   [this] { QApplication::clipboard()->setPixmap(m_view->grab()); });
    menu.exec(event->globalPos());
}

} // namespace ts
