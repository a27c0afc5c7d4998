#include "providers/ndjsondecoder.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace ts {

void NdjsonDecoder::feed(QByteArrayView bytes)
{
    const char *p = bytes.data();
    const char *const end = p + bytes.size();
    while (p < end) {
        const auto *q = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (!q) {
            m_pending.append(p, end - p);
            break;
        }
        if (m_pending.isEmpty()) {
            deliver(QByteArrayView(p, q - p));
        } else {
            m_pending.append(p, q - p);
            const QByteArray line = std::exchange(m_pending, QByteArray());
            deliver(line);
        }
        p = q + 1;
    }
}

void NdjsonDecoder::deliver(QByteArrayView line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty())
        return;
    ++m_lineCount;
    if (m_onLine)
        m_onLine(line);
}

void NdjsonDecoder::finish()
{
    if (m_pending.trimmed().isEmpty()) {
        m_pending.clear();
        return;
    }
    const QByteArray line = std::exchange(m_pending, QByteArray());
    if (nlohmann::json::accept(line.constData(), line.constData() + line.size()))
        deliver(line);
    else
        m_discarded = true;
}

void NdjsonDecoder::reset()
{
    m_pending.clear();
    m_lineCount = 0;
    m_discarded = false;
}

} // namespace ts
