#include "history/labelbadgedelegate.h"

#include "common/themecolors.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace ts {

namespace {
int padding(const QFontMetrics &fm)
{
    return std::max(4, fm.averageCharWidth() * 2 / 3);
}
} // namespace

LabelBadgeDelegate::LabelBadgeDelegate(int role, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_role(role)
{
}

void LabelBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QStringList labels = index.data(m_role).toStringList();
    if (labels.isEmpty())
        return;
    const ThemeColors c = ThemeColors::fromPalette(option.palette);
    QFont font = option.font;
    font.setPointSizeF(font.pointSizeF() * 0.9);
    font.setWeight(QFont::DemiBold);
    const QFontMetrics fm(font);
    const int pad = padding(fm);
    const int h = fm.height() + 2;
    int x = option.rect.left() + pad;
    const int y = option.rect.center().y() - h / 2;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setFont(font);
    for (const QString &label : labels) {
        const int w = fm.horizontalAdvance(label) + 2 * pad;
        if (x + w > option.rect.right())
            break;
        QPainterPath path;
        path.addRoundedRect(QRectF(x, y, w, h), h / 2.0, h / 2.0);
        painter->fillPath(path, c.badgeBackground);
        painter->setPen(c.badgeText);
        painter->drawText(QRect(x, y, w, h), Qt::AlignCenter, label);
        x += w + pad;
    }
    painter->restore();
}

QSize LabelBadgeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    QFont font = option.font;
    font.setPointSizeF(font.pointSizeF() * 0.9);
    font.setWeight(QFont::DemiBold);
    const QFontMetrics fm(font);
    const int pad = padding(fm);
    int w = 2 * pad;
    for (const QString &label : index.data(m_role).toStringList())
        w += fm.horizontalAdvance(label) + 3 * pad;
    size.setWidth(std::max(size.width(), w));
    size.setHeight(std::max(size.height(), fm.height() + 8));
    return size;
}

} // namespace ts
