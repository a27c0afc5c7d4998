#include "common/themecolors.h"

#include <QApplication>
#include <QFontDatabase>

namespace ts {

QColor ThemeColors::mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * t + b.redF() * (1 - t)),
                            float(a.greenF() * t + b.greenF() * (1 - t)),
                            float(a.blueF() * t + b.blueF() * (1 - t)));
}

ThemeColors ThemeColors::fromPalette(const QPalette &palette)
{
    ThemeColors c;
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    c.dark = base.lightness() < 128;
    // Status colours: GitHub Primer-like hues, checked to keep 4.5:1 on the theme's Base.
    if (c.dark) {
        c.accent = QColor(0x8d, 0xa2, 0xfb);
        c.pass = QColor(0x4a, 0xc2, 0x6b);
        c.fail = QColor(0xff, 0x7b, 0x72);
        c.warning = QColor(0xe3, 0xb3, 0x41);
        c.info = QColor(0x6c, 0xb6, 0xff);
        c.running = QColor(0xc2, 0x97, 0xff);
    } else {
        c.accent = QColor(0x36, 0x4f, 0xc7);
        c.pass = QColor(0x1a, 0x7f, 0x37);
        c.fail = QColor(0xc4, 0x1d, 0x2a);
        c.warning = QColor(0x8a, 0x5a, 0x00);
        c.info = QColor(0x09, 0x5c, 0xc4);
        c.running = QColor(0x75, 0x3b, 0xbd);
    }
    if (c.dark) {
        c.variable = QColor(0x6c, 0xb6, 0xff);
        c.section = QColor(0xd2, 0x99, 0xff);
        c.partial = QColor(0x3d, 0xd6, 0x8c);
        c.comment = QColor(0x8b, 0x94, 0x9e);
        c.error = c.fail;
        c.addedText = QColor(0x7e, 0xe7, 0x87);
        c.removedText = QColor(0xff, 0xa1, 0x98);
    } else {
        c.variable = QColor(0x05, 0x50, 0xae);
        c.section = QColor(0x82, 0x50, 0xdf);
        c.partial = QColor(0x11, 0x63, 0x29);
        c.comment = QColor(0x6e, 0x77, 0x81);
        c.error = c.fail;
        c.addedText = QColor(0x11, 0x63, 0x29);
        c.removedText = QColor(0x82, 0x07, 0x1e);
    }
    c.delimiter = mix(text, base, 0.45);
    c.addedBackground = mix(QColor(0x2d, 0xa4, 0x4e), base, c.dark ? 0.28 : 0.16);
    c.removedBackground = mix(QColor(0xcf, 0x22, 0x2e), base, c.dark ? 0.28 : 0.14);
    const QColor highlight = palette.color(QPalette::Highlight);
    c.badgeBackground = mix(highlight, base, c.dark ? 0.45 : 0.18);
    c.badgeText = c.dark ? text : mix(highlight, text, 0.55);
    c.muted = mix(text, base, 0.68); // 4.5:1 on Base in both themes
    c.panel = mix(palette.color(QPalette::Window), base, 0.6);
    return c;
}

QColor ThemeColors::status(Status status) const
{
    switch (status) {
    case Status::Pass:
        return pass;
    case Status::Fail:
        return fail;
    case Status::Warning:
        return warning;
    case Status::Info:
        return info;
    case Status::Running:
        return running;
    }
    return info;
}

QColor ThemeColors::statusBackground(Status s, const QColor &base) const
{
    return mix(status(s), base, dark ? 0.22 : 0.11);
}

QFont editorFont()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(QApplication::font().pointSizeF());
    return font;
}

} // namespace ts
