#pragma once

// What the chart widgets draw, independent of Qt Charts and of the core types the numbers come
// from: the Insights section maps eval, drift and monitor data onto these.

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace ts {

/// What is behind a point, so that a click can open it.
struct ChartTarget
{
    enum class Kind {
        None,
        EvalCases, ///< `ids` are case indexes of the eval's results, `variant` the variant index
        LogRecords, ///< `ids` are log record ids
        TestCases, ///< `ids` are test case ids
        Eval, ///< `ids` holds one eval id
    };
    Kind kind = Kind::None;
    int variant = -1;
    /// A second variant (pairwise comparisons), else -1.
    int otherVariant = -1;
    QList<qint64> ids;
    QString description; ///< e.g. "7 failing cases of support v3 on gpt-4o"

    bool isEmpty() const { return kind == Kind::None || ids.isEmpty(); }
};

/// One estimate with its interval (e.g. a pass rate with its 95% Wilson interval).
struct IntervalItem
{
    QString label;
    double value = 0;
    std::optional<double> low;
    std::optional<double> high;
    bool highlighted = false; ///< e.g. the baseline
    QString tooltip; ///< shown on hover (exact numbers); generated when empty
    ChartTarget target;
};

/// Estimates as dots with error bars, one row each, best first.
struct IntervalChartData
{
    QString title;
    QString subtitle; ///< under the title, e.g. the significance verdict
    QString valueTitle; ///< the value axis' title
    bool percent = true; ///< values are shares (0..1) shown as percentages
    bool sortDescending = true;
    QString highlightName = QStringLiteral("Baseline"); ///< legend name of highlighted items
    QList<IntervalItem> items;
    /// A dashed line across the value axis (e.g. the baseline's rate, or 50% for win rates).
    std::optional<double> referenceValue;
    QString referenceLabel;
};

/// A matrix of shares (e.g. pass rate per assertion x variant).
struct HeatmapCell
{
    std::optional<double> value; ///< nullopt: not applicable (no cell drawn)
    int n = 0; ///< how many checks the share is over
    QString tooltip;
    ChartTarget target;
};

struct HeatmapData
{
    QString title;
    QString subtitle;
    QStringList rows; ///< top to bottom
    QStringList columns; ///< left to right
    QList<QList<HeatmapCell>> cells; ///< [row][column]
};

/// Variants placed by a cost or latency (x) against a quality with its interval (y).
struct ScatterItem
{
    QString label;
    double x = 0;
    double y = 0;
    std::optional<double> yLow;
    std::optional<double> yHigh;
    QString tooltip;
    ChartTarget target;
};

struct ScatterChartData
{
    QString title;
    QString subtitle;
    QString xTitle;
    QString yTitle;
    bool yPercent = true; ///< y values are shares shown as percentages
    bool lowerXIsBetter = true;
    QString xUnitFormat = QStringLiteral("%.2f"); ///< printf format of the x axis labels
    QList<ScatterItem> items;
    /// Indexes of `items` on the Pareto front; computed from the items when nullopt.
    std::optional<QList<int>> paretoFront;
};

/// One line over categories (versions, windows), each point with an optional interval.
struct SeriesPoint
{
    int category = 0; ///< index into SeriesChartData::categories
    double value = 0;
    std::optional<double> low;
    std::optional<double> high;
    bool alert = false; ///< drawn in the failure colour (e.g. below a monitor's threshold)
    QString tooltip;
    ChartTarget target;
};

struct SeriesLine
{
    QString name;
    QList<SeriesPoint> points;
};

/// A horizontal band of the value axis (e.g. PSI 0.1–0.25 "moderate").
struct ValueBand
{
    enum class Tone { Good, Warning, Bad };
    double from = 0;
    double to = 0;
    QString label;
    Tone tone = Tone::Good;
};

struct SeriesChartData
{
    QString title;
    QString subtitle;
    QString valueTitle;
    bool percent = true;
    QStringList categories; ///< x axis labels, left to right (may hold "\n")
    QString categoryTitle;
    QList<SeriesLine> lines;
    QList<ValueBand> bands;
    std::optional<double> threshold; ///< a dashed line (e.g. a monitor's alert threshold)
    QString thresholdLabel;
    std::optional<double> minValue; ///< value axis range; from the data when nullopt
    std::optional<double> maxValue;
};

/// Counts per bin for one or more groups (e.g. score histograms per variant).
struct HistogramGroup
{
    QString name;
    QList<int> counts; ///< one per bin
    QList<ChartTarget> targets; ///< one per bin (may be empty)
};

struct HistogramData
{
    QString title;
    QString subtitle;
    QString valueTitle; ///< what is binned (x)
    QStringList bins; ///< bin labels, e.g. "0.2–0.3"
    QList<HistogramGroup> groups;
};

/// A 2-D map of records coloured by group (e.g. drift clusters), two sides told apart by shape.
struct MapPoint
{
    double x = 0;
    double y = 0;
    int group = 0; ///< index into MapChartData::groups
    bool secondary = false; ///< drawn hollow (e.g. the reference side)
    qint64 id = 0;
};

struct MapChartData
{
    QString title;
    QString subtitle;
    QStringList groups; ///< legend names per group
    QList<int> emphasized; ///< groups drawn on top with a stronger marker (e.g. new topics)
    QString primaryName = QStringLiteral("current");
    QString secondaryName = QStringLiteral("reference");
    QList<MapPoint> points;
    /// Kind of `MapPoint::id` for click-through, per side.
    ChartTarget::Kind primaryKind = ChartTarget::Kind::LogRecords;
    ChartTarget::Kind secondaryKind = ChartTarget::Kind::LogRecords;
};

} // namespace ts

Q_DECLARE_METATYPE(ts::ChartTarget)
