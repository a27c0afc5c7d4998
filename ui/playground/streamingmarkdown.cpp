#include "playground/streamingmarkdown.h"

#include "common/markdown.h"
#include "playground/outputformat.h"

#include <QTextCursor>
#include <QTextDocument>

namespace ts {

namespace {

bool isFence(QStringView line)
{
    qsizetype i = 0;
    while (i < line.size() && i < 3 && line[i] == QLatin1Char(' '))
        ++i;
    const QStringView rest = line.mid(i);
    return rest.startsWith(QLatin1String("```")) || rest.startsWith(QLatin1String("~~~"));
}

} // namespace

qsizetype stableMarkdownPrefix(const QString &text)
{
    qsizetype stable = 0;
    bool inFence = false;
    bool previousBlank = false;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            break; // the last line is still being written
        const QStringView line = QStringView(text).mid(start, end - start);
        if (isFence(line))
            inFence = !inFence;
        const bool blank = line.trimmed().isEmpty();
        if (blank && !inFence && !previousBlank && start > 0)
            stable = end + 1;
        previousBlank = blank;
        start = end + 1;
    }
    return stable;
}

StreamingMarkdown::StreamingMarkdown(QTextDocument *document)
    : m_document(document)
{}

void StreamingMarkdown::clear()
{
    m_document->clear();
    m_stable.clear();
    m_stableEnd = 0;
    m_incremental = false;
}

void StreamingMarkdown::show(const QString &text, const nlohmann::json &toolCalls, bool streaming)
{
    // JSON is pretty-printed only as a whole, and a finished answer is rendered in one piece.
    if (!streaming || text.trimmed().startsWith(QLatin1Char('{')) || text.trimmed().startsWith(QLatin1Char('['))) {
        m_document->setHtml(outputHtml(text, toolCalls));
        m_stable.clear();
        m_stableEnd = 0;
        m_incremental = false;
        return;
    }
    if (!m_incremental || !text.startsWith(m_stable)) {
        m_document->clear();
        m_stable.clear();
        m_stableEnd = 0;
        m_incremental = true;
    }
    QTextCursor cursor(m_document);
    cursor.beginEditBlock();
    cursor.setPosition(m_stableEnd);
    cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    const qsizetype stable = stableMarkdownPrefix(text);
    if (stable > m_stable.size()) {
        cursor.insertHtml(markdownToHtml(text.mid(m_stable.size(), stable - m_stable.size())));
        cursor.insertBlock(); // the unfinished block starts on its own
        m_stable = text.left(stable);
        m_stableEnd = cursor.position();
    }
    cursor.insertHtml(markdownToHtml(text.mid(m_stable.size())));
    cursor.endEditBlock();
}

} // namespace ts
