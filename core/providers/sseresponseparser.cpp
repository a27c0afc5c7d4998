#include "providers/sseresponseparser.h"

#include "providers/jsonutil.h"

namespace ts {

namespace {
constexpr qsizetype kMaxStrayBytes = 1 << 20;
}

SseResponseParser::SseResponseParser(ProviderKind kind, bool stream, bool lenientEofFlush)
    : ResponseParser(kind, stream)
{
    m_sse.setLenientEofFlush(lenientEofFlush);
    m_sse.setEventHandler([this](const SseEvent &e) { onEvent(e); });
    m_sse.setStrayLineHandler([this](QByteArrayView line) { onStrayLine(line); });
}

void SseResponseParser::handleNonJsonEvent(const SseEvent &) {}

void SseResponseParser::feedStream(QByteArrayView bytes)
{
    m_sse.feed(bytes);
}

void SseResponseParser::finishStream()
{
    m_sse.finish();
    m_r.sseEvents = m_sse.eventCount();
    m_r.incompleteEventDiscardedAtEof = m_r.incompleteEventDiscardedAtEof || m_sse.incompleteEventDiscarded();
    if (!m_stray.trimmed().isEmpty())
        tryStrayJson();
}

void SseResponseParser::onEvent(const SseEvent &event)
{
    m_r.sseEvents = m_sse.eventCount();
    if (isFinished()) // only finish() dispatches an unterminated (lenient) event
        m_r.lenientEofFlush = true;
    const QByteArray &d = event.data;
    const auto j = jsonutil::parse(std::string_view(d.constData(), size_t(d.size())));
    if (j.is_discarded()) {
        if (m_r.lenientEofFlush) {
            // A cut-off last event: it was not really delivered.
            m_r.lenientEofFlush = false;
            m_r.incompleteEventDiscardedAtEof = true;
            return;
        }
        handleNonJsonEvent(event);
        return;
    }
    handleEvent(event, j);
}

void SseResponseParser::onStrayLine(QByteArrayView line)
{
    if (m_stray.size() + line.size() > kMaxStrayBytes)
        return;
    m_stray.append(line.data(), line.size());
    m_stray.append('\n');
    const QByteArrayView t = line.trimmed();
    if (t.endsWith('}') || t.endsWith(']'))
        tryStrayJson();
}

bool SseResponseParser::tryStrayJson()
{
    const auto j = jsonutil::parse(std::string_view(m_stray.constData(), size_t(m_stray.size())));
    if (j.is_discarded())
        return false;
    m_stray.clear();
    if (takeErrorFrom(j))
        return true;
    if (m_sse.eventCount() == 0 && (j.is_object() || j.is_array()))
        handleCompleteBody(j);
    return true;
}

} // namespace ts
