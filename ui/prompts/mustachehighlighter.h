#pragma once

#include "common/themecolors.h"

#include <QSyntaxHighlighter>

namespace ts {

/// Colours Mustache tags in a template: variables, sections, partials and comments each in their
/// own colour, the braces muted. Comments may span lines.
class MustacheHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit MustacheHighlighter(QTextDocument *document);

    /// Re-reads the palette (after a light/dark switch).
    void setColors(const ThemeColors &colors);

protected:
    void highlightBlock(const QString &text) override;

private:
    enum State { Normal = -1, InComment = 1 };
    ThemeColors m_colors;
};

} // namespace ts
