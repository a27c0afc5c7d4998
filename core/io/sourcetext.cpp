#include "io/sourcetext.h"

#include <algorithm>

namespace ts {

namespace {

bool isContinuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
}

// Length of the well-formed UTF-8 sequence at `p` (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 if it is not well-formed.
int sequenceLength(const unsigned char *p, qsizetype available)
{
    const unsigned char lead = p[0];
    if (lead < 0x80)
        return 1;
    int length = 0;
    unsigned char min = 0x80, max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            min = 0xA0;
        else if (lead == 0xED)
            max = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            min = 0x90;
        else if (lead == 0xF4)
            max = 0x8F;
    } else {
        return 0;
    }
    if (available < length)
        return 0;
    if (p[1] < min || p[1] > max)
        return 0;
    for (int i = 2; i < length; ++i) {
        if (!isContinuation(p[i]))
            return 0;
    }
    return length;
}

} // namespace

SourceText::SourceText(QByteArrayView bytes)
    : m_bytes(bytes)
{
    m_lineStarts.append(0);
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\n')
            m_lineStarts.append(i + 1);
    }
}

TextPosition SourceText::position(qsizetype offset) const
{
    offset = std::clamp<qsizetype>(offset, 0, m_bytes.size());
    const auto it = std::upper_bound(m_lineStarts.cbegin(), m_lineStarts.cend(), offset);
    const qsizetype lineIndex = (it - m_lineStarts.cbegin()) - 1;
    const qsizetype lineStart = m_lineStarts.at(lineIndex);
    int column = 1;
    for (qsizetype i = lineStart; i < offset; ++i) {
        if (!isContinuation(static_cast<unsigned char>(m_bytes[i])))
            ++column;
    }
    // A BOM on the first line is invisible in editors; do not count it.
    if (lineIndex == 0 && offset >= bomLength(m_bytes) && bomLength(m_bytes) > 0)
        --column;
    return TextPosition {int(lineIndex + 1), column};
}

qsizetype SourceText::firstInvalidUtf8(qsizetype from, qsizetype to) const
{
    const auto *data = reinterpret_cast<const unsigned char *>(m_bytes.data());
    qsizetype i = from;
    while (i < to) {
        if (data[i] < 0x80) {
            ++i;
            continue;
        }
        const int length = sequenceLength(data + i, to - i);
        if (length == 0)
            return i;
        i += length;
    }
    return -1;
}

qsizetype SourceText::bomLength(QByteArrayView bytes)
{
    return bytes.startsWith("\xEF\xBB\xBF") ? 3 : 0;
}

} // namespace ts
