#pragma once

#include <QString>

#include <nlohmann/json.hpp>

class QTextDocument;

namespace ts {

/// Where the finished part of streaming Markdown ends: just after the last blank line that is
/// not inside a fenced code block. Text before it no longer changes how it renders (blocks
/// are closed); the rest is the unfinished last block.
qsizetype stableMarkdownPrefix(const QString &text);

/// Shows Markdown that is still arriving in a QTextDocument without re-rendering (and
/// re-laying out) all of it on every update: finished blocks are appended once, only the
/// unfinished last block is replaced. The final show() renders everything in one piece, so
/// what stays on screen is exactly what cmark makes of the whole output.
class StreamingMarkdown final
{
public:
    explicit StreamingMarkdown(QTextDocument *document);

    /// `streaming`: more text will follow (incremental); otherwise a full render.
    void show(const QString &text, const nlohmann::json &toolCalls, bool streaming);
    void clear();

private:
    QTextDocument *m_document;
    QString m_stable;      ///< the Markdown already in the document as finished blocks
    int m_stableEnd = 0;   ///< document position where the unfinished block starts
    bool m_incremental = false;
};

} // namespace ts
