#pragma once

#include "prompts/promptcontent.h"
#include "template/mustache.h"

#include <QFrame>

#include <optional>

class QComboBox;
class QLabel;
class QToolButton;

namespace ts {

class TemplateTextEdit;

/// One chat message of a prompt: its role, its template editor, and a line for its parse error.
class MessageEditor final : public QFrame
{
    Q_OBJECT

public:
    explicit MessageEditor(QWidget *parent = nullptr);

    void setMessage(const PromptMessage &message);
    PromptMessage message() const;
    void setTemplateError(const std::optional<TemplateError> &error);
    /// Enables the move buttons that make sense at `index` of `count`.
    void setPosition(int index, int count);
    /// A snippet is one text: no role, nothing to move or remove.
    void setSnippetMode(bool snippet);

    TemplateTextEdit *textEdit() const { return m_text; }
    QToolButton *removeButton() const { return m_remove; }
    QToolButton *moveDownButton() const { return m_down; }
    QLabel *errorLabel() const { return m_error; }

Q_SIGNALS:
    void edited();
    void moveUpClicked();
    void moveDownClicked();
    void removeClicked();

private:
    QComboBox *m_role = nullptr;
    TemplateTextEdit *m_text = nullptr;
    QLabel *m_error = nullptr;
    QToolButton *m_up = nullptr;
    QToolButton *m_down = nullptr;
    QToolButton *m_remove = nullptr;
    bool m_loading = false;
};

} // namespace ts
