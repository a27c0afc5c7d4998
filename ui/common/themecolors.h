#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>

namespace ts {

/// What a status colour says; the same five everywhere (messages, results, badges, charts).
enum class Status { Pass, Fail, Warning, Info, Running };

/// Colours derived from the current palette, so that they read well on light and dark themes.
/// The design system's colours (accent, status) are defined here once; see designsystem.h for
/// type, spacing, icons and the themes themselves.
struct ThemeColors
{
    bool dark = false;
    QColor accent; ///< the one accent colour: selection, links, primary buttons, focus
    QColor pass; ///< text/icon colour of a passed check; readable (>= 4.5:1) on Base
    QColor fail; ///< a failed check or an error
    QColor warning;
    QColor info;
    QColor running; ///< work in progress
    QColor variable; ///< {{name}}
    QColor section; ///< {{#name}} {{^name}} {{/name}}
    QColor partial; ///< {{> name}}
    QColor comment; ///< {{! ...}}
    QColor delimiter; ///< the braces themselves
    QColor error; ///< wavy underline, error text (the fail colour)
    QColor addedBackground;
    QColor removedBackground;
    QColor addedText;
    QColor removedText;
    QColor badgeBackground;
    QColor badgeText;
    QColor muted; ///< secondary text: line numbers, hints
    QColor panel; ///< a subtly different background for headers and banners

    static ThemeColors fromPalette(const QPalette &palette);
    /// The foreground colour of `status` (text, icons, a bar's edge).
    QColor status(Status status) const;
    /// A quiet background tinted with `status`, for banners and badges, over `base`.
    QColor statusBackground(Status status, const QColor &base) const;
    /// Blends `a` over `b` with weight `t` of `a`.
    static QColor mix(const QColor &a, const QColor &b, double t);
};

/// The fixed-pitch font for template and JSON editors, at the application font's size.
QFont editorFont();

} // namespace ts
