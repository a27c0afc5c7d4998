#pragma once

#include <QStyledItemDelegate>

namespace ts {

/// Paints a cell's QStringList (from `role`) as rounded label badges.
class LabelBadgeDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    LabelBadgeDelegate(int role, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace ts
