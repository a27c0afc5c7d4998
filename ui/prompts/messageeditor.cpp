#include "prompts/messageeditor.h"

#include "common/themecolors.h"
#include "prompts/templatetextedit.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace ts {

namespace {
QToolButton *toolButton(QWidget *parent, QStyle::StandardPixmap icon, const QString &tip)
{
    auto *b = new QToolButton(parent);
    b->setAutoRaise(true);
    b->setIcon(parent->style()->standardIcon(icon));
    b->setToolTip(tip);
    return b;
}
} // namespace

MessageEditor::MessageEditor(QWidget *parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(this);
    auto *header = new QHBoxLayout;
    m_role = new QComboBox(this);
    m_role->addItem(tr("System"), QStringLiteral("system"));
    m_role->addItem(tr("User"), QStringLiteral("user"));
    m_role->addItem(tr("Assistant"), QStringLiteral("assistant"));
    m_role->setToolTip(tr("Who says this message. Assistant turns between user turns are few-shot examples."));
    m_up = toolButton(this, QStyle::SP_ArrowUp, tr("Move up"));
    m_down = toolButton(this, QStyle::SP_ArrowDown, tr("Move down"));
    m_remove = toolButton(this, QStyle::SP_TrashIcon, tr("Remove this message (Ctrl+Z brings it back)"));
    header->addWidget(m_role);
    header->addStretch(1);
    header->addWidget(m_up);
    header->addWidget(m_down);
    header->addWidget(m_remove);
    m_text = new TemplateTextEdit(this);
    setSnippetMode(false);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addLayout(header);
    layout->addWidget(m_text);
    layout->addWidget(m_error);

    connect(m_role, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_loading)
            Q_EMIT edited();
    });
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_loading)
            Q_EMIT edited();
    });
    connect(m_up, &QToolButton::clicked, this, &MessageEditor::moveUpClicked);
    connect(m_down, &QToolButton::clicked, this, &MessageEditor::moveDownClicked);
    connect(m_remove, &QToolButton::clicked, this, &MessageEditor::removeClicked);
}

void MessageEditor::setMessage(const PromptMessage &message)
{
    m_loading = true;
    int index = m_role->findData(message.role);
    if (index < 0) {
        m_role->addItem(message.role, message.role);
        index = m_role->count() - 1;
    }
    m_role->setCurrentIndex(index);
    if (m_text->toPlainText() != message.text)
        m_text->setPlainText(message.text);
    m_loading = false;
}

PromptMessage MessageEditor::message() const
{
    return {m_role->currentData().toString(), m_text->toPlainText()};
}

void MessageEditor::setTemplateError(const std::optional<TemplateError> &error)
{
    m_text->setTemplateError(error);
    if (!error) {
        m_error->hide();
        return;
    }
    QPalette p = m_error->palette();
    p.setColor(QPalette::WindowText, ThemeColors::fromPalette(palette()).error);
    m_error->setPalette(p);
    m_error->setText(tr("Line %1, column %2: %3").arg(error->line).arg(error->column).arg(error->message));
    m_error->show();
}

void MessageEditor::setSnippetMode(bool snippet)
{
    m_role->setVisible(!snippet);
    m_up->setVisible(!snippet);
    m_down->setVisible(!snippet);
    m_remove->setVisible(!snippet);
    m_text->setPlaceholderText(
        snippet ? tr("Write the snippet. Prompts include it with {{> name}}; it can use the "
                     "prompt's {{variables}} and other snippets.")
                : tr("Write the message. Use {{variable}} for inputs, "
                     "{{#examples}}…{{/examples}} for lists, {{> snippet}} for a shared snippet."));
}

void MessageEditor::setPosition(int index, int count)
{
    m_up->setEnabled(index > 0);
    m_down->setEnabled(index + 1 < count);
}

} // namespace ts
