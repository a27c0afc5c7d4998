#pragma once

#include "template/mustache.h"

#include <QPlainTextEdit>

#include <optional>

namespace ts {

class MustacheHighlighter;

/// A plain-text editor for one Mustache template: monospace, highlighted, the parse error
/// underlined with a wavy line (its message as tooltip), and as tall as its text up to a limit.
class TemplateTextEdit final : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit TemplateTextEdit(QWidget *parent = nullptr);

    void setTemplateError(const std::optional<TemplateError> &error);
    std::optional<TemplateError> templateError() const { return m_error; }
    /// The document range the error underline covers (empty when there is no error).
    QTextCursor errorCursor() const { return m_errorCursor; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateHeight();
    int wrappedLineCount() const;
    MustacheHighlighter *m_highlighter = nullptr;
    std::optional<TemplateError> m_error;
    QTextCursor m_errorCursor;
};

} // namespace ts
