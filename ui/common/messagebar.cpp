#include "common/messagebar.h"

#include "common/designsystem.h"
#include "common/themecolors.h"

#include <QCursor>
#include <QEvent>
#include <QGraphicsOpacityEffect>
#include <QHBoxLayout>
#include <QLabel>
#include <QLayout>
#include <QProgressBar>
#include <QPropertyAnimation>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>

namespace ts {

namespace {

Status statusOf(MessageBar::Kind kind)
{
    switch (kind) {
    case MessageBar::Kind::Error:
        return Status::Fail;
    case MessageBar::Kind::Warning:
        return Status::Warning;
    case MessageBar::Kind::Info:
        break;
    }
    return Status::Info;
}

// Removes `widget` from whichever layout under `layout` holds it.
bool takeFrom(QLayout *layout, QWidget *widget)
{
    if (!layout)
        return false;
    if (layout->indexOf(widget) >= 0) {
        layout->removeWidget(widget);
        return true;
    }
    for (int i = 0; i < layout->count(); ++i)
        if (takeFrom(layout->itemAt(i)->layout(), widget))
            return true;
    return false;
}

} // namespace

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBar"));
    setAttribute(Qt::WA_StyledBackground);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(design::space::m, design::space::s, design::space::s,
                               design::space::s);
    layout->setSpacing(design::space::s);
    m_icon = new QLabel(this);
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(fontMetrics().averageCharWidth() * 24);
    m_progress->setTextVisible(false);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_close = new QToolButton(this);
    m_close->setAutoRaise(true);
    m_close->setIcon(design::icon(QStringLiteral("window-close")));
    m_close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &MessageBar::fadeOut);
    m_opacity = new QGraphicsOpacityEffect(this);
    m_opacity->setOpacity(1.0);
    m_opacity->setEnabled(false);
    setGraphicsEffect(m_opacity);
    m_fade = new QPropertyAnimation(m_opacity, "opacity", this);
    m_fade->setDuration(300);
    m_fade->setStartValue(1.0);
    m_fade->setEndValue(0.0);
    connect(m_fade, &QPropertyAnimation::finished, this, &MessageBar::clear);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        hideProgress();
        Q_EMIT cancelled();
    });
    connect(m_close, &QToolButton::clicked, this, &MessageBar::clear);
    connect(&design::ThemeManager::instance(), &design::ThemeManager::themeChanged, this, [this] {
        m_close->setIcon(design::icon(QStringLiteral("window-close")));
        if (isVisible())
            applyStyle();
    });
    hide();
}

void MessageBar::setNoticeDuration(int ms)
{
    m_noticeMs = ms;
}

void MessageBar::showMessage(Kind kind, const QString &text)
{
    m_inProgress = false;
    m_kind = kind;
    m_label->setText(text);
    m_progress->hide();
    m_cancel->hide();
    m_close->show();
    present();
    if (kind == Kind::Info)
        m_timer->start(m_noticeMs);
}

void MessageBar::showProgress(const QString &text)
{
    m_inProgress = true;
    m_kind = Kind::Info;
    m_label->setText(text);
    m_progress->show();
    m_cancel->show();
    m_close->hide();
    present();
}

void MessageBar::hideProgress()
{
    if (m_inProgress)
        clear();
}

void MessageBar::clear()
{
    m_timer->stop();
    m_fade->stop();
    m_opacity->setEnabled(false);
    m_opacity->setOpacity(1.0);
    m_inProgress = false;
    m_label->clear();
    hide();
}

QString MessageBar::text() const
{
    return isVisible() || !m_label->text().isEmpty() ? m_label->text() : QString();
}

void MessageBar::present()
{
    m_timer->stop();
    m_fade->stop();
    m_opacity->setEnabled(false);
    m_opacity->setOpacity(1.0);
    detachFromLayout();
    applyStyle();
    show();
    place();
    raise();
}

void MessageBar::detachFromLayout()
{
    QWidget *host = parentWidget();
    if (host != m_host) {
        if (m_host)
            m_host->removeEventFilter(this);
        m_host = host;
        if (host)
            host->installEventFilter(this);
    }
    if (host)
        takeFrom(host->layout(), this);
}

void MessageBar::place()
{
    if (!m_host)
        return;
    // Floats over the bottom of the page, centred, at most about 90 characters wide.
    const int margin = design::space::l;
    const QRect area = m_host->rect().adjusted(margin, margin, -margin, -margin);
    const int width = std::min(area.width(), fontMetrics().averageCharWidth() * 96);
    const int height
        = std::min(heightForWidth(width) > 0 ? heightForWidth(width) : sizeHint().height(),
                   std::max(area.height(), sizeHint().height()));
    setGeometry(area.center().x() - width / 2, area.bottom() - height + 1, width, height);
}

void MessageBar::applyStyle()
{
    const QPalette p = palette();
    const ThemeColors c = ThemeColors::fromPalette(p);
    const Status status = statusOf(m_kind);
    const QColor base = p.color(QPalette::Base);
    const int iconSize = fontMetrics().height();
    const char *iconName = m_kind == Kind::Error ? "dialog-error"
        : m_kind == Kind::Warning                ? "dialog-warning"
                                                 : "dialog-information";
    m_icon->setPixmap(design::icon(QLatin1String(iconName)).pixmap(iconSize, iconSize));
    m_icon->setVisible(!m_inProgress);
    setStyleSheet(
        QStringLiteral(
            "#messageBar { background: %1; border: 1px solid %2; border-left: 4px solid %3; "
            "border-radius: %4px; }")
            .arg(c.statusBackground(status, base).name(),
                 ThemeColors::mix(c.status(status), base, 0.35).name(), c.status(status).name())
            .arg(design::radius));
}

void MessageBar::fadeOut()
{
    // Being read (the pointer rests on it): try again later.
    if (underMouse() && rect().contains(mapFromGlobal(QCursor::pos()))) {
        m_timer->start(m_noticeMs / 2);
        return;
    }
    m_opacity->setEnabled(true);
    m_fade->start();
}

bool MessageBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_host
        && (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest)
        && isVisible())
        place();
    return QFrame::eventFilter(watched, event);
}

void MessageBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::ParentChange)
        detachFromLayout();
    QFrame::changeEvent(event);
}

} // namespace ts
