#include "providers/ssedecoder.h"

namespace ts {

namespace {

// The first CR or LF in [p, end), or end.
const char *findLineEnd(const char *p, const char *end)
{
    while (p < end) {
        const char c = *p;
        if (c == '\n' || c == '\r')
            return p;
        ++p;
    }
    return end;
}

struct Field
{
    QByteArrayView name;
    QByteArrayView value;
};

Field splitField(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return {line, {}};
    QByteArrayView value = line.sliced(colon + 1);
    if (!value.isEmpty() && value.front() == ' ')
        value = value.sliced(1);
    return {line.first(colon), value};
}

bool allDigits(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (char c : v) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

} // namespace

void SseDecoder::feed(QByteArrayView bytes)
{
    const char *p = bytes.data();
    const char *const end = p + bytes.size();
    if (m_skipLf && p < end) {
        if (*p == '\n')
            ++p;
        m_skipLf = false;
    }
    while (p < end) {
        const char *q = findLineEnd(p, end);
        if (q == end) {
            m_line.append(p, end - p);
            break;
        }
        if (m_line.isEmpty()) {
            processLine(QByteArrayView(p, q - p));
        } else {
            m_line.append(p, q - p);
            const QByteArray line = std::exchange(m_line, QByteArray());
            processLine(line);
        }
        if (*q == '\r') {
            if (q + 1 < end) {
                if (q[1] == '\n')
                    ++q;
            } else {
                m_skipLf = true;
            }
        }
        p = q + 1;
    }
}

void SseDecoder::processLine(QByteArrayView line)
{
    if (m_firstLine) {
        m_firstLine = false;
        if (line.startsWith("\xEF\xBB\xBF"))
            line = line.sliced(3);
    }
    if (line.isEmpty()) {
        dispatch();
        return;
    }
    if (line.front() == ':') {
        ++m_commentCount;
        return;
    }
    const Field f = splitField(line);
    if (f.name == "data") {
        m_data.append(f.value.data(), f.value.size());
        m_data.append('\n');
    } else if (f.name == "event") {
        m_type = f.value.toByteArray();
    } else if (f.name == "id") {
        if (!f.value.contains('\0'))
            m_lastId = f.value.toByteArray();
    } else if (f.name == "retry") {
        if (allDigits(f.value) && f.value.size() < 18)
            m_retry = f.value.toByteArray().toLongLong();
    } else if (m_onStrayLine) {
        m_onStrayLine(line);
    }
}

void SseDecoder::dispatch()
{
    if (m_data.isEmpty()) {
        m_type.clear();
        return;
    }
    m_data.chop(1); // the LF appended after the last data line
    SseEvent event{std::exchange(m_type, QByteArray()), std::exchange(m_data, QByteArray()),
                   m_lastId};
    ++m_eventCount;
    if (m_onEvent)
        m_onEvent(event);
}

void SseDecoder::finish()
{
    m_skipLf = false;
    bool pendingData = !m_data.isEmpty();
    if (!m_line.isEmpty()) {
        const QByteArray line = std::exchange(m_line, QByteArray());
        const Field f = splitField(line);
        const bool known = f.name == "data" || f.name == "event" || f.name == "id"
                           || f.name == "retry" || line.startsWith(':');
        if (m_lenientEof || !known) {
            processLine(line); // strays still reach the stray handler
        }
        pendingData = pendingData || f.name == "data";
    }
    if (pendingData) {
        if (m_lenientEof) {
            if (m_data.isEmpty())
                m_data.append('\n'); // a bare "data" line is an empty-data event
            dispatch();
            m_flushed = true;
        } else {
            m_discarded = true;
        }
    }
    m_data.clear();
    m_type.clear();
}

void SseDecoder::reset()
{
    auto onEvent = std::move(m_onEvent);
    auto onStray = std::move(m_onStrayLine);
    const bool lenient = m_lenientEof;
    *this = SseDecoder();
    m_onEvent = std::move(onEvent);
    m_onStrayLine = std::move(onStray);
    m_lenientEof = lenient;
}

QList<SseEvent> SseDecoder::decodeAll(QByteArrayView body)
{
    QList<SseEvent> events;
    SseDecoder decoder;
    decoder.setEventHandler([&events](const SseEvent &e) { events.append(e); });
    decoder.feed(body);
    decoder.finish();
    return events;
}

} // namespace ts
