#include "charts/chartcanvas.h"

#include <QAreaSeries>
#include <QBarSet>
#include <QGraphicsSimpleTextItem>
#include <QXYSeries>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ts {

ChartCanvas::ChartCanvas(QChart *chart, const ChartStyle &style, HoverHandler hover,
                         ClickHandler click)
    : m_chart(chart)
    , m_style(style)
    , m_hover(std::move(hover))
    , m_click(std::move(click))
{
    m_style.apply(chart);
    QObject::connect(chart, &QChart::plotAreaChanged, chart, [this] { layoutLabels(); });
}

ChartCanvas::~ChartCanvas() = default;

void ChartCanvas::setTitle(const QString &title, const QString &subtitle)
{
    if (subtitle.isEmpty()) {
        m_chart->setTitle(title.toHtmlEscaped());
        return;
    }
    m_chart->setTitle(QStringLiteral("%1<br><span style=\"font-weight:normal; font-size:%2pt; "
                                     "color:%3\">%4</span>")
                          .arg(title.toHtmlEscaped())
                          .arg(m_style.font.pointSizeF(), 0, 'f', 1)
                          .arg(m_style.text.name(), subtitle.toHtmlEscaped()));
}

void ChartCanvas::setItem(const QObject *series, int index, Item item)
{
    m_items[series].insert(index, std::move(item));
}

void ChartCanvas::setSeriesItem(const QObject *series, Item item)
{
    m_seriesItems.insert(series, std::move(item));
}

const ChartCanvas::Item *ChartCanvas::item(const QObject *series, int index) const
{
    const auto items = m_items.constFind(series);
    if (items != m_items.cend()) {
        const auto it = items->constFind(index);
        if (it != items->cend())
            return &*it;
    }
    const auto whole = m_seriesItems.constFind(series);
    return whole == m_seriesItems.cend() ? nullptr : &*whole;
}

int ChartCanvas::nearestIndex(const QXYSeries *series, QPointF value) const
{
    // Compare on screen: value units of x and y differ by orders of magnitude.
    const QPointF at = m_chart->mapToPosition(value, const_cast<QXYSeries *>(series));
    int best = -1;
    double bestDistance = std::numeric_limits<double>::max();
    const QList<QPointF> points = series->points();
    for (int i = 0; i < points.size(); ++i) {
        const QPointF p = m_chart->mapToPosition(points[i], const_cast<QXYSeries *>(series));
        const double d = std::hypot(p.x() - at.x(), p.y() - at.y());
        if (d < bestDistance) {
            bestDistance = d;
            best = i;
        }
    }
    return best;
}

void ChartCanvas::track(QXYSeries *series)
{
    QObject::connect(series, &QXYSeries::hovered, series, [this, series](QPointF p, bool state) {
        m_hover(series, nearestIndex(series, p), state);
    });
    QObject::connect(series, &QXYSeries::clicked, series,
                     [this, series](QPointF p) { m_click(series, nearestIndex(series, p)); });
}

void ChartCanvas::track(QAreaSeries *series)
{
    QObject::connect(series, &QAreaSeries::hovered, series,
                     [this, series](QPointF, bool state) { m_hover(series, 0, state); });
    QObject::connect(series, &QAreaSeries::clicked, series,
                     [this, series](QPointF) { m_click(series, 0); });
}

void ChartCanvas::track(QBarSet *set)
{
    QObject::connect(set, &QBarSet::hovered, set,
                     [this, set](bool state, int index) { m_hover(set, index, state); });
    QObject::connect(set, &QBarSet::clicked, set, [this, set](int index) { m_click(set, index); });
}

void ChartCanvas::addLabel(QAbstractSeries *series, QPointF value, const QString &text,
                           Qt::Alignment alignment, const QColor &color, bool small)
{
    auto *item = new QGraphicsSimpleTextItem(text, m_chart);
    item->setBrush(color);
    item->setFont(small ? m_style.smallFont : m_style.font);
    item->setZValue(20);
    m_labels.push_back({item, series, value, alignment, std::nullopt, {}});
}

void ChartCanvas::addLabel(QAbstractSeries *series, QPointF value, QPointF fallback,
                           Qt::Alignment alignment, Qt::Alignment fallbackAlignment,
                           const QString &text, const QColor &color, bool small)
{
    addLabel(series, value, text, alignment, color, small);
    m_labels.back().fallback = fallback;
    m_labels.back().fallbackAlignment = fallbackAlignment;
}

void ChartCanvas::layoutLabels()
{
    const QRectF plot = m_chart->plotArea();
    std::vector<QRectF> placed; // labels already laid out, which the next one must not cover
    for (const Label &l : m_labels) {
        const QRectF box = l.item->boundingRect();
        auto place = [&](QPointF value, Qt::Alignment alignment) {
            const QPointF p = m_chart->mapToPosition(value, l.series);
            double x = p.x() - box.width() / 2;
            double y = p.y() - box.height() / 2;
            if (alignment & Qt::AlignLeft)
                x = p.x() - box.width() - 6;
            else if (alignment & Qt::AlignRight)
                x = p.x() + 7;
            if (alignment & Qt::AlignTop)
                y = p.y() - box.height() - 3;
            else if (alignment & Qt::AlignBottom)
                y = p.y() + 3;
            return QPointF(x, y);
        };
        QPointF at = place(l.value, l.alignment);
        const bool fits = at.x() >= plot.left() + 2 && at.x() + box.width() <= plot.right() - 2;
        if (!fits && l.fallback)
            at = place(*l.fallback, l.fallbackAlignment);
        double x = at.x();
        double y = at.y();
        // Keep names inside the plot so that none is cut off at an edge.
        x = std::clamp(x, plot.left() + 2,
                       std::max(plot.left() + 2, plot.right() - box.width() - 2));
        const double lowest = std::max(plot.top(), plot.bottom() - box.height());
        y = std::clamp(y, plot.top(), lowest);
        // Points at (nearly) the same place: stack their labels one line apart, below first.
        auto covers = [&](double top) {
            const QRectF here(x, top, box.width(), box.height());
            return std::any_of(placed.begin(), placed.end(), [&](const QRectF &r) {
                return r.intersects(here.adjusted(0, 1, 0, -1));
            });
        };
        for (int step = 1; covers(y) && step <= 8; ++step) {
            const double shift = box.height() * ((step + 1) / 2) * (step % 2 ? 1 : -1);
            const double candidate = std::clamp(y + shift, plot.top(), lowest);
            if (!covers(candidate)) {
                y = candidate;
                break;
            }
        }
        placed.push_back(QRectF(x, y, box.width(), box.height()));
        l.item->setPos(x, y);
        l.item->setVisible(plot.isValid() && !plot.isEmpty());
    }
}

QStringList ChartCanvas::labelTexts() const
{
    QStringList out;
    for (const Label &l : m_labels)
        out.append(l.item->text());
    return out;
}

QString formatValue(double value, bool percent)
{
    if (percent)
        return QString::number(100 * value, 'f', 1) + QLatin1Char('%');
    if (std::abs(value) >= 100)
        return QString::number(value, 'f', 0);
    QString s = QString::number(value, 'f', 3);
    while (s.contains(QLatin1Char('.'))
           && (s.endsWith(QLatin1Char('0')) || s.endsWith(QLatin1Char('.'))))
        s.chop(1);
    return s;
}

QString formatWithInterval(double value, std::optional<double> low, std::optional<double> high,
                           bool percent)
{
    QString s = formatValue(value, percent);
    if (low && high) {
        QString lo = formatValue(*low, percent);
        if (percent)
            lo.chop(1);
        s += QStringLiteral(" (95% CI %1–%2)").arg(lo, formatValue(*high, percent));
    }
    return s;
}

} // namespace ts
