#include "charts/chartstyle.h"

#include "common/themecolors.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLegend>
#include <QPen>

#include <algorithm>

namespace ts {

ChartStyle ChartStyle::fromPalette(const QPalette &palette, const QFont &font)
{
    const ThemeColors theme = ThemeColors::fromPalette(palette);
    ChartStyle s;
    s.dark = theme.dark;
    s.background = palette.color(QPalette::Base);
    s.text = palette.color(QPalette::Text);
    s.muted = theme.muted;
    s.grid = ThemeColors::mix(s.text, s.background, s.dark ? 0.16 : 0.11);
    s.accent = palette.color(QPalette::Highlight);
    if (s.dark && s.accent.lightness() < 110)
        s.accent = s.accent.lighter(150);
    s.pass = theme.addedText;
    s.fail = theme.error;
    s.warning = s.dark ? QColor(0xe3, 0xb3, 0x41) : QColor(0xb0, 0x6d, 0x00);
    // Tableau 10: distinguishable, and kind to the common colour-vision deficiencies.
    const QList<QColor> base
        = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0x59, 0xa1, 0x4f),
           QColor(0xe1, 0x57, 0x59), QColor(0x76, 0xb7, 0xb2), QColor(0xed, 0xc9, 0x48),
           QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7), QColor(0x9c, 0x75, 0x5f),
           QColor(0xba, 0xb0, 0xac)};
    for (const QColor &c : base)
        s.categorical.append(s.dark ? c.lighter(118) : c.darker(105));
    s.font = font;
    s.titleFont = font;
    s.titleFont.setPointSizeF(font.pointSizeF() * 1.15);
    s.titleFont.setBold(true);
    s.smallFont = font;
    s.smallFont.setPointSizeF(font.pointSizeF() * 0.9);
    return s;
}

QColor ChartStyle::shareColor(double share) const
{
    share = std::clamp(share, 0.0, 1.0);
    const QColor neutral = ThemeColors::mix(warning, background, 0.55);
    const QColor good = ThemeColors::mix(pass, background, dark ? 0.55 : 0.45);
    const QColor bad = ThemeColors::mix(fail, background, dark ? 0.55 : 0.45);
    if (share < 0.5)
        return ThemeColors::mix(neutral, bad, share / 0.5);
    return ThemeColors::mix(good, neutral, (share - 0.5) / 0.5);
}

void ChartStyle::apply(QChart *chart) const
{
    chart->setBackgroundBrush(background);
    chart->setBackgroundPen(Qt::NoPen);
    chart->setBackgroundRoundness(0);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    chart->setTitleFont(titleFont);
    chart->setMargins(QMargins(8, 4, 8, 4));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setLabelColor(text);
    chart->legend()->setFont(font);
    chart->legend()->setBackgroundVisible(false);
    chart->legend()->setPen(Qt::NoPen);
}

void ChartStyle::apply(QAbstractAxis *axis) const
{
    axis->setLabelsBrush(text);
    axis->setLabelsFont(font);
    axis->setTitleBrush(muted);
    axis->setTitleFont(smallFont);
    axis->setLinePen(QPen(grid, 1));
    axis->setGridLinePen(QPen(grid, 1));
    axis->setMinorGridLineVisible(false);
    axis->setShadesVisible(false);
}

} // namespace ts
