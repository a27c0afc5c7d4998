#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <functional>
#include <optional>

namespace ts {

/// One dispatched server-sent event.
struct SseEvent
{
    QByteArray type;        ///< the `event:` field; empty means the default "message"
    QByteArray data;        ///< `data:` lines joined with "\n" (raw UTF-8 bytes)
    QByteArray lastEventId; ///< the last `id:` seen so far in the stream
};

/// Incremental text/event-stream decoder following the WHATWG rules: CR, LF and CRLF line
/// ends (mixed, and a CR LF pair split across reads), `:` comments, one space after the
/// colon stripped, data lines joined with "\n", `event`, `id` and `retry` fields, a leading
/// BOM dropped. Lines are split on CR/LF bytes only, so UTF-8 split across reads survives.
/// An event with no blank line after it is discarded at finish() (the strict rule).
class SseDecoder final
{
public:
    using EventHandler = std::function<void(const SseEvent &)>;
    using LineHandler = std::function<void(QByteArrayView)>;

    /// Called for each dispatched event, inside feed().
    void setEventHandler(EventHandler handler) { m_onEvent = std::move(handler); }
    /// Called for lines that are not SSE (unknown field names such as `{` or `"error": {`),
    /// so a parser can recognise a bare JSON error body sent instead of events.
    void setStrayLineHandler(LineHandler handler) { m_onStrayLine = std::move(handler); }
    /// At finish(), dispatch a pending event that lacks its blank line instead of dropping it.
    void setLenientEofFlush(bool on) { m_lenientEof = on; }

    /// Feeds the next bytes read from the connection, in any chunking.
    void feed(QByteArrayView bytes);
    /// Signals end of input: drops (or, when lenient, dispatches) an unterminated event.
    void finish();
    /// Forgets all state, as for a new connection.
    void reset();

    int eventCount() const { return m_eventCount; }
    int commentCount() const { return m_commentCount; }
    /// finish() found an event (data) without its terminating blank line and dropped it.
    bool incompleteEventDiscarded() const { return m_discarded; }
    /// finish() dispatched an unterminated event because lenient EOF flush was on.
    bool lenientlyFlushed() const { return m_flushed; }
    /// The last `retry:` value in milliseconds, if any.
    std::optional<qint64> retryMs() const { return m_retry; }
    QByteArray lastEventId() const { return m_lastId; }

    /// Decodes a whole body at once (strict); convenient for tests and small bodies.
    static QList<SseEvent> decodeAll(QByteArrayView body);

private:
    void processLine(QByteArrayView line);
    void dispatch();

    EventHandler m_onEvent;
    LineHandler m_onStrayLine;
    QByteArray m_line;   // bytes of an unterminated line
    QByteArray m_data;
    QByteArray m_type;
    QByteArray m_lastId;
    std::optional<qint64> m_retry;
    int m_eventCount = 0;
    int m_commentCount = 0;
    bool m_skipLf = false;    // the previous read ended in CR: a leading LF belongs to it
    bool m_firstLine = true;
    bool m_lenientEof = false;
    bool m_discarded = false;
    bool m_flushed = false;
};

} // namespace ts
