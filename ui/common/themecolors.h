#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>

namespace ts {

/// Colours derived from the current palette, so that they read well on light and dark themes.
struct ThemeColors
{
    bool dark = false;
    QColor variable;  ///< {{name}}
    QColor section;   ///< {{#name}} {{^name}} {{/name}}
    QColor partial;   ///< {{> name}}
    QColor comment;   ///< {{! ...}}
    QColor delimiter; ///< the braces themselves
    QColor error;     ///< wavy underline, error text
    QColor addedBackground;
    QColor removedBackground;
    QColor addedText;
    QColor removedText;
    QColor badgeBackground;
    QColor badgeText;
    QColor muted;     ///< secondary text: line numbers, hints
    QColor panel;     ///< a subtly different background for headers and banners

    static ThemeColors fromPalette(const QPalette &palette);
    /// Blends `a` over `b` with weight `t` of `a`.
    static QColor mix(const QColor &a, const QColor &b, double t);
};

/// The fixed-pitch font for template and JSON editors, at the application font's size.
QFont editorFont();

} // namespace ts
