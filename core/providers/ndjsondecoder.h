#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

namespace ts {

/// Incremental newline-delimited JSON splitter (Ollama's application/x-ndjson). Lines end in
/// LF (a CR before it is dropped); blank lines are skipped. Only LF bytes split, so UTF-8
/// split across reads and U+2028 inside strings are safe.
class NdjsonDecoder final
{
public:
    using LineHandler = std::function<void(QByteArrayView)>;

    /// Called with each complete non-blank line (without its line end), inside feed().
    void setLineHandler(LineHandler handler) { m_onLine = std::move(handler); }

    void feed(QByteArrayView bytes);
    /// End of input: a last line without LF is delivered when it is a complete JSON value,
    /// otherwise dropped and reported by incompleteLineDiscarded().
    void finish();
    void reset();

    int lineCount() const { return m_lineCount; }
    bool incompleteLineDiscarded() const { return m_discarded; }

private:
    void deliver(QByteArrayView line);

    LineHandler m_onLine;
    QByteArray m_pending;
    int m_lineCount = 0;
    bool m_discarded = false;
};

} // namespace ts
