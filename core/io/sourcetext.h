#pragma once

#include <QByteArrayView>
#include <QList>

namespace ts {

/// A line and column in a text file, both 1-based; the column counts characters
/// (Unicode code points), not bytes, so it matches what an editor shows.
struct TextPosition
{
    int line = 1;
    int column = 1;
};

/// Byte-offset bookkeeping over a UTF-8 buffer for error messages: maps offsets to
/// line:column and finds invalid UTF-8. The viewed bytes must outlive this object.
class SourceText final
{
public:
    explicit SourceText(QByteArrayView bytes);

    /// Position of the byte at `offset` (an offset at the end maps past the last character).
    TextPosition position(qsizetype offset) const;

    /// Offset of the first byte in [from, to) that is not well-formed UTF-8, or -1.
    qsizetype firstInvalidUtf8(qsizetype from, qsizetype to) const;

    /// Number of leading bytes that are a UTF-8 byte-order mark (0 or 3).
    static qsizetype bomLength(QByteArrayView bytes);

    QByteArrayView bytes() const { return m_bytes; }

private:
    QByteArrayView m_bytes;
    QList<qsizetype> m_lineStarts;
};

} // namespace ts
