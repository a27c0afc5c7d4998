#pragma once

#include "prompts/promptdiff.h"

#include <QPlainTextEdit>

namespace ts {

/// A read-only, coloured view of a PromptDiff: one block per part of the prompt, added lines
/// green and removed lines red with old and new line numbers; unchanged parts fold to one line.
class DiffView final : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit DiffView(QWidget *parent = nullptr);

    void setDiff(const PromptDiff &diff);
    /// Shows a hint instead of a diff.
    void setPlaceholder(const QString &text);
    int addedLines() const { return m_added; }
    int removedLines() const { return m_removed; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    std::optional<PromptDiff> m_diff;
    QString m_placeholder;
    int m_added = 0;
    int m_removed = 0;
};

} // namespace ts
