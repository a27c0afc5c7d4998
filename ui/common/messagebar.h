#pragma once

#include <QFrame>

class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace ts {

/// A slim banner above a view for errors, notes and running work. Errors stay until closed;
/// notes can be dismissed; progress shows a Cancel button.
class MessageBar final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Info, Warning, Error };

    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    /// Indeterminate progress with a Cancel button; `cancelled()` fires when it is pressed.
    void showProgress(const QString &text);
    void hideProgress();
    void clear();

    QString text() const;
    Kind kind() const { return m_kind; }
    bool isShowingProgress() const { return m_inProgress; }

Q_SIGNALS:
    void cancelled();

private:
    void applyStyle();
    QLabel *m_label = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QToolButton *m_close = nullptr;
    Kind m_kind = Kind::Info;
    bool m_inProgress = false;
};

} // namespace ts
