#pragma once

#include "common/themecolors.h"

#include <QFont>
#include <QIcon>
#include <QObject>
#include <QPalette>

class QApplication;
class QLabel;
class QWidget;

namespace ts {

/// Touchstone's small design system: one type scale, one spacing grid, the light and dark
/// palettes (accent and status colours come from ThemeColors), a shared style sheet and icons
/// from one set. Sections use these instead of picking sizes and colours of their own.
namespace design {

/// The type scale. Sizes are relative to the application font, so they follow the desktop's
/// font size and scale cleanly at 1x and 2x.
enum class TextRole {
    SectionTitle, ///< the heading of a section or an empty state (1.45x, semibold)
    ItemTitle, ///< the name of the selected thing: a prompt, an eval (1.15x, semibold)
    Body, ///< everything else
    Secondary, ///< hints, counts, timestamps (0.92x, muted colour)
    Monospace, ///< templates, JSON, ids
};

/// The spacing grid: every margin and gap is a multiple of 4 px (device-independent).
namespace space {
inline constexpr int xs = 4;
inline constexpr int s = 8;
inline constexpr int m = 12;
inline constexpr int l = 16;
inline constexpr int xl = 24;
} // namespace space
inline constexpr int radius = 6; ///< corner radius of banners, badges, buttons

QFont font(TextRole role, const QFont &base = QFont());
/// Sets `label`'s font (and for Secondary its colour) to `role`; follows theme changes.
void setTextRole(QWidget *widget, TextRole role);

/// The theme the user picked in Settings; System follows the desktop.
enum class Theme { System, Light, Dark };
QString themeName(Theme theme);
Theme themeFromName(const QString &name);

/// A complete palette for the light or dark theme: every role in every colour group is set.
QPalette palette(bool dark);
/// Whether the desktop prefers dark: its colour scheme (Qt 6.5+), else $GTK_THEME, else the
/// platform palette's window lightness.
bool desktopPrefersDark();
/// The application-wide style sheet for `palette`: flat panels (no box inside a box), thin
/// splitters, group titles as headings, the accent on focus and primary buttons.
QString styleSheet(const QPalette &palette);

/// WCAG contrast ratio of two colours (1 to 21).
double contrastRatio(const QColor &a, const QColor &b);

/// The icon named after the freedesktop icon spec ("document-open", "media-playback-start"):
/// the desktop theme's when it has one, else the bundled SVG in resources/icons, drawn in the
/// current palette's text colour at 1x and 2x. Null for an unknown name.
QIcon icon(const QString &name);
/// Names of the bundled icons (resources/icons/*.svg, without the suffix).
QStringList bundledIconNames();

/// Applies themes to the application and tells widgets that draw with theme colours.
class ThemeManager final : public QObject
{
    Q_OBJECT

public:
    static ThemeManager &instance();

    /// Fusion style, palette, style sheet for `theme`; System resolves via desktopPrefersDark().
    void apply(Theme theme);
    Theme theme() const { return m_theme; }
    bool isDark() const { return m_dark; }

Q_SIGNALS:
    void themeChanged(bool dark);

private:
    ThemeManager();
    Theme m_theme = Theme::System;
    bool m_dark = false;
};

} // namespace design
} // namespace ts
