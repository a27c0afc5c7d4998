#include "common/designsystem.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QHash>
#include <QImageReader>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>

#include <cmath>

static void initTouchstoneIcons()
{
    Q_INIT_RESOURCE(icons);
}

namespace ts::design {

namespace {

QColor hex(const char *name)
{
    return QColor(QLatin1String(name));
}

double relativeLuminance(const QColor &c)
{
    auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

// The desktop's palette, captured before Touchstone sets its own.
QPalette &desktopPalette()
{
    static QPalette p = QGuiApplication::palette();
    return p;
}

void setAll(QPalette &p, QPalette::ColorRole role, const QColor &color)
{
    for (auto group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled})
        p.setColor(group, role, color);
}

} // namespace

QFont font(TextRole role, const QFont &base)
{
    QFont f = base;
    if (base == QFont())
        f = QApplication::font();
    const qreal size = f.pointSizeF() > 0 ? f.pointSizeF() : 10.0;
    switch (role) {
    case TextRole::SectionTitle:
        f.setPointSizeF(size * 1.45);
        f.setWeight(QFont::DemiBold);
        break;
    case TextRole::ItemTitle:
        f.setPointSizeF(size * 1.15);
        f.setWeight(QFont::DemiBold);
        break;
    case TextRole::Body:
        break;
    case TextRole::Secondary:
        f.setPointSizeF(size * 0.92);
        break;
    case TextRole::Monospace:
        f = editorFont();
        break;
    }
    return f;
}

void setTextRole(QWidget *widget, TextRole role)
{
    widget->setFont(font(role, widget->font()));
    widget->setProperty("tsTextRole", int(role));
    // Secondary text is drawn in the muted colour through the style sheet (see styleSheet()),
    // so it follows theme changes without the widget listening.
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
}

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

Theme themeFromName(const QString &name)
{
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

QPalette palette(bool dark)
{
    QPalette p;
    struct Roles
    {
        const char *window, *windowText, *base, *alternateBase, *button, *buttonText, *text,
            *placeholder, *light, *midlight, *mid, *darkShade, *shadow, *highlight,
            *highlightedText, *link, *linkVisited, *toolTipBase, *toolTipText, *disabledText,
            *inactiveHighlight;
    };
    const Roles r = dark
        ? Roles {"#1b1c20", "#e4e6eb", "#141518", "#1d1f23", "#2a2c32", "#e4e6eb", "#e4e6eb",
                 "#8b909a", "#3d4048", "#32343b", "#3a3d44", "#0d0e10", "#000000", "#3d5bd9",
                 "#ffffff", "#8da2fb", "#c297ff", "#2a2c32", "#e4e6eb", "#6c717b", "#34488f"}
        : Roles {"#f5f6f8", "#1f2328", "#ffffff", "#f6f8fa", "#ffffff", "#1f2328", "#1f2328",
                 "#6e7781", "#ffffff", "#eceef1", "#d0d7de", "#8c959f", "#5c6670", "#364fc7",
                 "#ffffff", "#364fc7", "#6f42c1", "#ffffff", "#1f2328", "#8c959f", "#4a5fcc"};
    setAll(p, QPalette::Window, hex(r.window));
    setAll(p, QPalette::WindowText, hex(r.windowText));
    setAll(p, QPalette::Base, hex(r.base));
    setAll(p, QPalette::AlternateBase, hex(r.alternateBase));
    setAll(p, QPalette::Button, hex(r.button));
    setAll(p, QPalette::ButtonText, hex(r.buttonText));
    setAll(p, QPalette::Text, hex(r.text));
    setAll(p, QPalette::PlaceholderText, hex(r.placeholder));
    setAll(p, QPalette::BrightText, QColor(Qt::white));
    setAll(p, QPalette::Light, hex(r.light));
    setAll(p, QPalette::Midlight, hex(r.midlight));
    setAll(p, QPalette::Mid, hex(r.mid));
    setAll(p, QPalette::Dark, hex(r.darkShade));
    setAll(p, QPalette::Shadow, hex(r.shadow));
    setAll(p, QPalette::Highlight, hex(r.highlight));
    setAll(p, QPalette::HighlightedText, hex(r.highlightedText));
    setAll(p, QPalette::Link, hex(r.link));
    setAll(p, QPalette::LinkVisited, hex(r.linkVisited));
    setAll(p, QPalette::ToolTipBase, hex(r.toolTipBase));
    setAll(p, QPalette::ToolTipText, hex(r.toolTipText));
    setAll(p, QPalette::NoRole, QColor(Qt::transparent));
    // A selection in an unfocused view is a little quieter; its text stays white, since many
    // delegates draw selected text with HighlightedText whatever the group.
    p.setColor(QPalette::Inactive, QPalette::Highlight, hex(r.inactiveHighlight));
    for (auto role :
         {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::HighlightedText})
        p.setColor(QPalette::Disabled, role, hex(r.disabledText));
    p.setColor(QPalette::Disabled, QPalette::Highlight, hex(r.mid));
    p.setColor(QPalette::Disabled, QPalette::Button, hex(r.window));
#if QT_VERSION >= QT_VERSION_CHECK(6, 6, 0)
    setAll(p, QPalette::Accent, hex(r.highlight));
#endif
    return p;
}

bool desktopPrefersDark()
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    const auto scheme = QGuiApplication::styleHints()->colorScheme();
    if (scheme != Qt::ColorScheme::Unknown)
        return scheme == Qt::ColorScheme::Dark;
#endif
    const QString gtk = qEnvironmentVariable("GTK_THEME");
    if (!gtk.isEmpty())
        return gtk.contains(QLatin1String("dark"), Qt::CaseInsensitive);
    return desktopPalette().color(QPalette::Window).lightness() < 128;
}

QString styleSheet(const QPalette &p)
{
    const ThemeColors c = ThemeColors::fromPalette(p);
    const QColor line
        = ThemeColors::mix(p.color(QPalette::WindowText), p.color(QPalette::Window), 0.14);
    const QColor hover
        = ThemeColors::mix(p.color(QPalette::WindowText), p.color(QPalette::Window), 0.07);
    const QString css = QStringLiteral(R"(
QSplitter::handle { background: %1; }
QSplitter::handle:horizontal { width: 1px; }
QSplitter::handle:vertical { height: 1px; }
QTabWidget::pane { border: none; border-top: 1px solid %1; }
QTabBar::tab { padding: 5px 12px; border: none; border-bottom: 2px solid transparent; background: transparent; }
QTabBar::tab:selected { border-bottom: 2px solid %2; color: %3; }
QTabBar::tab:hover:!selected { background: %4; }
QGroupBox { border: none; border-top: 1px solid %1; margin-top: 20px; padding-top: 8px; font-weight: 600; }
QGroupBox::title { subcontrol-origin: margin; subcontrol-position: top left; left: 0px; padding: 0px 4px 0px 0px; }
QStatusBar { border-top: 1px solid %1; }
QStatusBar::item { border: none; }
QToolTip { color: %3; background: %5; border: 1px solid %1; padding: 4px; }
QListWidget#sectionNavigation { background: transparent; border: none; outline: none; }
QListWidget#sectionNavigation::item { border-radius: 6px; padding: 4px 8px; margin: 1px 4px; color: %3; }
QListWidget#sectionNavigation::item:hover:!selected { background: %4; }
QListWidget#sectionNavigation::item:selected { background: %6; color: %7; }
QFrame#navigationDivider { background: %1; }
QPushButton[primary="true"] { background: %2; color: #ffffff; border: 1px solid %2; border-radius: 6px; padding: 5px 14px; font-weight: 600; }
QPushButton[primary="true"]:disabled { background: %1; border-color: %1; color: %8; }
*[tsTextRole="3"] { color: %8; }
QLabel#readOnlyBanner { background: %9; color: %3; border-radius: 6px; padding: 6px 10px; margin-top: 8px; }
QLabel#demoBanner { background: %10; color: %3; border-radius: 6px; padding: 6px 10px; margin-top: 8px; }
)");
    return css
        .arg(line.name(), p.color(QPalette::Highlight).name(), p.color(QPalette::WindowText).name(),
             hover.name(), p.color(QPalette::ToolTipBase).name(),
             ThemeColors::mix(c.accent, p.color(QPalette::Window), c.dark ? 0.28 : 0.14).name(),
             c.dark ? p.color(QPalette::WindowText).name() : c.accent.darker(115).name(),
             c.muted.name(), c.statusBackground(Status::Warning, p.color(QPalette::Base)).name())
        .arg(c.statusBackground(Status::Info, p.color(QPalette::Base)).name());
}

double contrastRatio(const QColor &a, const QColor &b)
{
    double la = relativeLuminance(a), lb = relativeLuminance(b);
    if (la < lb)
        std::swap(la, lb);
    return (la + 0.05) / (lb + 0.05);
}

QStringList bundledIconNames()
{
    initTouchstoneIcons();
    QStringList names;
    for (const QString &file : QDir(QStringLiteral(":/icons"))
                                   .entryList({QStringLiteral("*.svg")}, QDir::Files, QDir::Name))
        names << file.chopped(4);
    return names;
}

QIcon icon(const QString &name)
{
    initTouchstoneIcons();
    if (QIcon::hasThemeIcon(name))
        return QIcon::fromTheme(name);
    QFile file(QStringLiteral(":/icons/%1.svg").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = file.readAll();
    const QPalette p = QApplication::palette();
    static QHash<QString, QIcon> cache;
    const QString key = name + p.color(QPalette::WindowText).name()
        + p.color(QPalette::Disabled, QPalette::WindowText).name();
    if (auto it = cache.constFind(key); it != cache.cend())
        return *it;
    QIcon result;
    // Drawn per size and scale (1x and 2x) from the vector, so every size is crisp.
    auto render = [&svg](const QColor &color, int size, qreal dpr) {
        QByteArray coloured = svg;
        coloured.replace("currentColor", color.name().toLatin1());
        QBuffer buffer(&coloured);
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer, "svg");
        reader.setScaledSize(QSize(int(size * dpr), int(size * dpr)));
        QPixmap pixmap = QPixmap::fromImage(reader.read());
        pixmap.setDevicePixelRatio(dpr);
        return pixmap;
    };
    for (int size : {16, 20, 24, 32, 48}) {
        for (qreal dpr : {1.0, 2.0}) {
            result.addPixmap(render(p.color(QPalette::WindowText), size, dpr), QIcon::Normal);
            result.addPixmap(render(p.color(QPalette::Disabled, QPalette::WindowText), size, dpr),
                             QIcon::Disabled);
            result.addPixmap(render(p.color(QPalette::HighlightedText), size, dpr),
                             QIcon::Selected);
        }
    }
    cache.insert(key, result);
    return result;
}

ThemeManager &ThemeManager::instance()
{
    static ThemeManager *manager = new ThemeManager; // lives as long as the application
    return *manager;
}

ThemeManager::ThemeManager()
{
    desktopPalette(); // capture before the first apply()
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(QGuiApplication::styleHints(), &QStyleHints::colorSchemeChanged, this, [this] {
        if (m_theme == Theme::System)
            apply(Theme::System);
    });
#endif
}

void ThemeManager::apply(Theme theme)
{
    m_theme = theme;
    m_dark = theme == Theme::Dark || (theme == Theme::System && desktopPrefersDark());
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        QApplication::setStyle(fusion);
    const QPalette p = palette(m_dark);
    QApplication::setPalette(p);
    qApp->setStyleSheet(styleSheet(p));
    Q_EMIT themeChanged(m_dark);
}

} // namespace ts::design
