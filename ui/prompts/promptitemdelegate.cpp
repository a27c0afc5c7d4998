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

/// The first snippet of the list gets a "Snippets" heading above it.
bool startsSnippets(const QModelIndex &index)
{
    if (!index.data(PromptListModel::SnippetRole).toBool())
        return false;
    const QModelIndex previous = index.siblingAtRow(index.row() - 1);
    return !previous.isValid() || !previous.data(PromptListModel::SnippetRole).toBool();
}

int headingHeight(const QFontMetrics &fm)
{
    return fm.height() + 2 * margin(fm);
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
    const ThemeColors c = ThemeColors::fromPalette(option.palette);
    if (startsSnippets(index)) {
        // A small-caps heading, not selectable, separating snippets from prompts.
        const QFontMetrics fm(option.font);
        const int h = headingHeight(fm);
        const QRect heading(option.rect.left(), option.rect.top(), option.rect.width(), h);
        painter->save();
        painter->fillRect(heading, option.palette.color(QPalette::Base));
        QFont small = option.font;
        small.setCapitalization(QFont::AllUppercase);
        small.setLetterSpacing(QFont::PercentageSpacing, 108);
        small.setPointSizeF(small.pointSizeF() * 0.85);
        small.setWeight(QFont::DemiBold);
        painter->setFont(small);
        painter->setPen(c.muted);
        painter->drawText(heading.adjusted(margin(fm) * 2, 0, -margin(fm) * 2, -margin(fm) / 2),
                          Qt::AlignLeft | Qt::AlignBottom, tr("Snippets"));
        painter->restore();
        opt.rect.setTop(opt.rect.top() + h);
    }
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor secondary = selected ? ThemeColors::mix(text, option.palette.color(QPalette::Highlight), 0.75)
                                      : c.muted;
    QFont bold = option.font;
    bold.setWeight(QFont::DemiBold);
    const QFontMetrics fm(option.font);
    const int m = margin(fm);
    QRect r = opt.rect.adjusted(m * 2, m, -m * 2, -m);

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
    if (index.data(PromptListModel::SnippetRole).toBool()) // how a prompt includes it
        detail = QStringLiteral("{{> %1}} · ").arg(index.data(PromptListModel::NameRole).toString()) + detail;
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

QSize PromptItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QFontMetrics fm(option.font);
    const int m = margin(fm);
    const int heading = startsSnippets(index) ? headingHeight(fm) : 0;
    return {fm.averageCharWidth() * 24, 2 * fm.height() + m / 2 + 2 * m + heading};
}

} // namespace ts
