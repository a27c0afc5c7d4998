#include "common/messagebar.h"

#include "common/themecolors.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace ts {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBar"));
    auto *layout = new QHBoxLayout(this);
    const int m = style()->pixelMetric(QStyle::PM_LayoutHorizontalSpacing);
    layout->setContentsMargins(m * 2, m, m, m);
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
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_label, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    layout->addWidget(m_close);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        hideProgress();
        Q_EMIT cancelled();
    });
    connect(m_close, &QToolButton::clicked, this, &MessageBar::clear);
    hide();
}

void MessageBar::showMessage(Kind kind, const QString &text)
{
    m_inProgress = false;
    m_kind = kind;
    m_label->setText(text);
    m_progress->hide();
    m_cancel->hide();
    m_close->show();
    applyStyle();
    show();
}

void MessageBar::showProgress(const QString &text)
{
    m_inProgress = true;
    m_kind = Kind::Info;
    m_label->setText(text);
    m_progress->show();
    m_cancel->show();
    m_close->hide();
    applyStyle();
    show();
}

void MessageBar::hideProgress()
{
    if (m_inProgress)
        clear();
}

void MessageBar::clear()
{
    m_inProgress = false;
    m_label->clear();
    hide();
}

QString MessageBar::text() const
{
    return isVisible() || !m_label->text().isEmpty() ? m_label->text() : QString();
}

void MessageBar::applyStyle()
{
    const ThemeColors c = ThemeColors::fromPalette(palette());
    const QColor base = palette().color(QPalette::Base);
    QColor accent = palette().color(QPalette::Highlight);
    if (m_kind == Kind::Error)
        accent = c.error;
    else if (m_kind == Kind::Warning)
        accent = QColor(0xd4, 0x8a, 0x00);
    const QColor background = ThemeColors::mix(accent, base, c.dark ? 0.25 : 0.12);
    setStyleSheet(QStringLiteral("#messageBar { background: %1; border: 1px solid %2; border-radius: 4px; }")
                      .arg(background.name(), ThemeColors::mix(accent, base, 0.5).name()));
}

} // namespace ts
