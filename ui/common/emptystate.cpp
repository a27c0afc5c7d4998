#include "common/emptystate.h"

#include "common/designsystem.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ts {

EmptyState::EmptyState(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("emptyState"));
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(2);
    auto *column = new QVBoxLayout;
    column->setSpacing(design::space::s);
    m_icon = new QLabel(this);
    m_icon->setAlignment(Qt::AlignCenter);
    m_title = new QLabel(this);
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setWordWrap(true);
    design::setTextRole(m_title, design::TextRole::SectionTitle);
    m_text = new QLabel(this);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    design::setTextRole(m_text, design::TextRole::Secondary);
    // Wide enough for a sentence or two, never so narrow that words are clipped.
    const int readable = fontMetrics().averageCharWidth() * 60;
    m_title->setMaximumWidth(readable);
    m_text->setMaximumWidth(readable);
    m_action = new QPushButton(this);
    m_action->setProperty("primary", true);
    m_action->hide();
    // Wrapped text takes the width there is, up to the readable width, centred: aligning the
    // labels themselves would give them their narrow size hint and clip the wrapped lines.
    auto centred = [this](QLabel *label) {
        auto *row = new QHBoxLayout;
        row->addStretch(1);
        row->addWidget(label, 1000);
        row->addStretch(1);
        label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
        return row;
    };
    column->addWidget(m_icon, 0, Qt::AlignHCenter);
    column->addSpacing(design::space::xs);
    column->addLayout(centred(m_title));
    column->addLayout(centred(m_text));
    column->addSpacing(design::space::m);
    column->addWidget(m_action, 0, Qt::AlignHCenter);
    outer->addLayout(column);
    outer->addStretch(3);
    connect(m_action, &QPushButton::clicked, this, &EmptyState::actionTriggered);
    connect(&design::ThemeManager::instance(), &design::ThemeManager::themeChanged, this,
            &EmptyState::updateIcon);
}

void EmptyState::setContent(const QString &iconName, const QString &title, const QString &text)
{
    m_iconName = iconName;
    m_title->setText(title);
    m_text->setText(text);
    m_text->setVisible(!text.isEmpty());
    updateIcon();
}

void EmptyState::setAction(const QString &text)
{
    m_action->setText(text);
    m_action->setVisible(!text.isEmpty());
}

QString EmptyState::title() const
{
    return m_title->text();
}

QString EmptyState::text() const
{
    return m_text->text();
}

void EmptyState::updateIcon()
{
    const int size = fontMetrics().height() * 3;
    const QIcon icon = m_iconName.isEmpty() ? QIcon() : design::icon(m_iconName);
    m_icon->setPixmap(icon.isNull() ? QPixmap() : icon.pixmap(size, size, QIcon::Disabled));
    m_icon->setVisible(!icon.isNull());
}

} // namespace ts
