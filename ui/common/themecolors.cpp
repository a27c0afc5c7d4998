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
    if (c.dark) {
        c.variable = QColor(0x6c, 0xb6, 0xff);
        c.section = QColor(0xd2, 0x99, 0xff);
        c.partial = QColor(0x3d, 0xd6, 0x8c);
        c.comment = QColor(0x8b, 0x94, 0x9e);
        c.error = QColor(0xff, 0x6b, 0x6b);
        c.addedText = QColor(0x7e, 0xe7, 0x87);
        c.removedText = QColor(0xff, 0xa1, 0x98);
    } else {
        c.variable = QColor(0x05, 0x50, 0xae);
        c.section = QColor(0x82, 0x50, 0xdf);
        c.partial = QColor(0x11, 0x63, 0x29);
        c.comment = QColor(0x6e, 0x77, 0x81);
        c.error = QColor(0xcf, 0x22, 0x2e);
        c.addedText = QColor(0x11, 0x63, 0x29);
        c.removedText = QColor(0x82, 0x07, 0x1e);
    }
    c.delimiter = mix(text, base, 0.45);
    c.addedBackground = mix(QColor(0x2d, 0xa4, 0x4e), base, c.dark ? 0.28 : 0.16);
    c.removedBackground = mix(QColor(0xcf, 0x22, 0x2e), base, c.dark ? 0.28 : 0.14);
    const QColor highlight = palette.color(QPalette::Highlight);
    c.badgeBackground = mix(highlight, base, c.dark ? 0.45 : 0.18);
    c.badgeText = c.dark ? text : mix(highlight, text, 0.55);
    c.muted = mix(text, base, 0.55);
    c.panel = mix(palette.color(QPalette::Window), base, 0.6);
    return c;
}

QFont editorFont()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(QApplication::font().pointSizeF());
    return font;
}

} // namespace ts
