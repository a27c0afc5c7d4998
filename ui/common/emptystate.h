#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace ts {

/// The one way a view says it has nothing to show: an icon, a title (section title size), a
/// sentence of explanation (secondary text) and at most one clear action as a primary button.
/// Centred, text wrapped to a readable width so nothing is clipped.
class EmptyState final : public QWidget
{
    Q_OBJECT

public:
    explicit EmptyState(QWidget *parent = nullptr);

    /// `iconName` is a design::icon() name; empty for none.
    void setContent(const QString &iconName, const QString &title, const QString &text);
    /// The single action; an empty text hides the button.
    void setAction(const QString &text);

    QString title() const;
    QString text() const;
    QPushButton *actionButton() const { return m_action; }

Q_SIGNALS:
    void actionTriggered();

private:
    void updateIcon();
    QString m_iconName;
    QLabel *m_icon = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_action = nullptr;
};

} // namespace ts
