#pragma once

#include <QColor>
#include <QFont>
#include <QList>
#include <QPalette>

class QAbstractAxis;
class QChart;

namespace ts {

/// The colours and fonts of every chart, derived from the widget's palette (and ThemeColors for
/// the status colours) so that charts read well in light and dark themes.
struct ChartStyle
{
    bool dark = false;
    QColor background; ///< the chart's sheet (palette Base)
    QColor text;
    QColor muted; ///< axis titles, secondary labels
    QColor grid;
    QColor accent; ///< highlighted items (the baseline, the Pareto front)
    QColor pass;
    QColor fail;
    QColor warning;
    QList<QColor> categorical; ///< series colours, distinguishable on both themes
    QFont font;
    QFont titleFont;
    QFont smallFont;

    static ChartStyle fromPalette(const QPalette &palette, const QFont &font);

    QColor series(int index) const { return categorical.at(index % categorical.size()); }
    /// A colour between fail (0), a neutral (0.5) and pass (1), blended with the background
    /// so that text in the palette's colour stays readable on it.
    QColor shareColor(double share) const;

    /// Background, title, legend and margins of `chart`.
    void apply(QChart *chart) const;
    /// Label, title, line and grid colours of an axis.
    void apply(QAbstractAxis *axis) const;
};

} // namespace ts
