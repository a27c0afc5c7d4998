#include "prompts/mustachehighlighter.h"

#include <QGuiApplication>

namespace ts {

MustacheHighlighter::MustacheHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
    , m_colors(ThemeColors::fromPalette(QGuiApplication::palette()))
{
}

void MustacheHighlighter::setColors(const ThemeColors &colors)
{
    m_colors = colors;
    rehighlight();
}

void MustacheHighlighter::highlightBlock(const QString &text)
{
    QTextCharFormat braces;
    braces.setForeground(m_colors.delimiter);
    QTextCharFormat comment;
    comment.setForeground(m_colors.comment);
    comment.setFontItalic(true);

    setCurrentBlockState(Normal);
    qsizetype pos = 0;
    if (previousBlockState() == InComment) {
        const qsizetype end = text.indexOf(QLatin1String("}}"));
        if (end < 0) {
            setFormat(0, int(text.size()), comment);
            setCurrentBlockState(InComment);
            return;
        }
        setFormat(0, int(end + 2), comment);
        pos = end + 2;
    }

    while (pos < text.size()) {
        const qsizetype open = text.indexOf(QLatin1String("{{"), pos);
        if (open < 0)
            break;
        const QChar sigil = open + 2 < text.size() ? text.at(open + 2) : QChar();
        const bool triple = sigil == QLatin1Char('{');
        const QLatin1String closer(triple ? "}}}" : "}}");
        const qsizetype close = text.indexOf(closer, open + 2);

        if (sigil == QLatin1Char('!')) {
            if (close < 0) {
                setFormat(int(open), int(text.size() - open), comment);
                setCurrentBlockState(InComment);
                return;
            }
            setFormat(int(open), int(close + 2 - open), comment);
            pos = close + 2;
            continue;
        }

        QTextCharFormat name;
        int sigilLength = 0;
        if (sigil == QLatin1Char('#') || sigil == QLatin1Char('^') || sigil == QLatin1Char('/')) {
            name.setForeground(m_colors.section);
            name.setFontWeight(QFont::DemiBold);
            sigilLength = 1;
        } else if (sigil == QLatin1Char('>')) {
            name.setForeground(m_colors.partial);
            sigilLength = 1;
        } else if (sigil == QLatin1Char('=')) {
            name.setForeground(m_colors.comment);
            sigilLength = 1;
        } else {
            name.setForeground(m_colors.variable);
            sigilLength = (triple || sigil == QLatin1Char('&')) ? 1 : 0;
        }
        const qsizetype end = close < 0 ? text.size() : close;
        const int openLength = 2 + sigilLength;
        setFormat(int(open), openLength, braces);
        QTextCharFormat sigilFormat = braces;
        sigilFormat.setForeground(name.foreground());
        if (sigilLength)
            setFormat(int(open + 2), 1, sigilFormat);
        setFormat(int(open + openLength), int(end - open - openLength), name);
        if (close < 0)
            break;
        setFormat(int(close), int(closer.size()), braces);
        pos = close + closer.size();
    }
}

} // namespace ts
