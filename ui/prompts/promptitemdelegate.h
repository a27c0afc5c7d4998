#pragma once

#include <QStyledItemDelegate>

namespace ts {

/// Two-line prompt list entries: the name (bold, with a dot when unsaved) over a muted line with
/// the version count and description.
class PromptItemDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace ts
