#pragma once

#include <QFrame>
#include <QPointer>

class QGraphicsOpacityEffect;
class QLabel;
class QProgressBar;
class QPropertyAnimation;
class QPushButton;
class QTimer;
class QToolButton;

namespace ts {

/// A message for the page it belongs to: errors, notices and running work. It floats over the
/// bottom of its parent widget instead of taking a place in a layout, so showing, replacing or
/// hiding it never moves a control under the pointer (it takes itself out of a layout it was
/// added to). One message at a time: a new one replaces the last. Notices (Info) fade out after
/// a few seconds (not while the pointer is on them); warnings and errors stay until dismissed;
/// progress shows a Cancel button and stays until hideProgress().
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

    /// How long a notice stays before it fades (default 6 s).
    void setNoticeDuration(int ms);
    int noticeDuration() const { return m_noticeMs; }

Q_SIGNALS:
    void cancelled();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void present();
    void detachFromLayout();
    void place();
    void applyStyle();
    void fadeOut();

    QLabel *m_icon = nullptr;
    QLabel *m_label = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QToolButton *m_close = nullptr;
    QTimer *m_timer = nullptr;
    QGraphicsOpacityEffect *m_opacity = nullptr;
    QPropertyAnimation *m_fade = nullptr;
    QPointer<QWidget> m_host;
    Kind m_kind = Kind::Info;
    bool m_inProgress = false;
    int m_noticeMs = 6000;
};

} // namespace ts
