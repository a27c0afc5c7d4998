#include "prompts/promptitemdelegate.h"

#include "common/themecolors.h"
#include "prompts/promptlistmodel.h"

#include <QApplication>
#include <QPainter>

namespace ts {

namespace {
int margin(const QFontMetrics &fm)
{
    return std::max(4, fm.height() / 3);
}
} // namespace

void PromptItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const ThemeColors c = ThemeColors::fromPalette(option.palette);
    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor secondary = selected ? ThemeColors::mix(text, option.palette.color(QPalette::Highlight), 0.75)
                                      : c.muted;
    QFont bold = option.font;
    bold.setWeight(QFont::DemiBold);
    const QFontMetrics fm(option.font);
    const int m = margin(fm);
    QRect r = option.rect.adjusted(m * 2, m, -m * 2, -m);

    painter->save();
    painter->setFont(bold);
    painter->setPen(text);
    QString name = index.data(PromptListModel::NameRole).toString();
    if (index.data(PromptListModel::DirtyRole).toBool())
        name += QStringLiteral("  •");
    const QRect nameRect(r.left(), r.top(), r.width(), fm.height());
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(bold).elidedText(name, Qt::ElideRight, r.width()));

    const int versions = index.data(PromptListModel::VersionCountRole).toInt();
    QString detail = versions ? tr("%n version(s)", nullptr, versions) : tr("not saved yet");
    const QString description = index.data(PromptListModel::DescriptionRole).toString();
    if (!description.isEmpty())
        detail += QStringLiteral(" · ") + description;
    painter->setFont(option.font);
    painter->setPen(secondary);
    const QRect detailRect(r.left(), r.top() + fm.height() + m / 2, r.width(), fm.height());
    painter->drawText(detailRect, Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(detail, Qt::ElideRight, r.width()));
    painter->restore();
}

QSize PromptItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    const int m = margin(fm);
    return {fm.averageCharWidth() * 24, 2 * fm.height() + m / 2 + 2 * m};
}

} // namespace ts
