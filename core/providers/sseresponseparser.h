#pragma once

#include "providers/responseparser.h"
#include "providers/ssedecoder.h"

namespace ts {

/// Shared base of the SSE-framed parsers: decodes events, parses their JSON, and watches
/// for bare JSON (an error body, or a whole response from a server that ignored
/// `stream: true`) sent without SSE framing.
class SseResponseParser : public ResponseParser
{
protected:
    SseResponseParser(ProviderKind kind, bool stream, bool lenientEofFlush);

    /// An event whose data parsed as JSON.
    virtual void handleEvent(const SseEvent &event, const nlohmann::json &data) = 0;
    /// An event whose data is not JSON (OpenAI's "[DONE]"); ignored by default.
    virtual void handleNonJsonEvent(const SseEvent &event);

    void feedStream(QByteArrayView bytes) override;
    void finishStream() override;

private:
    void onEvent(const SseEvent &event);
    void onStrayLine(QByteArrayView line);
    bool tryStrayJson();

    SseDecoder m_sse;
    QByteArray m_stray;
};

} // namespace ts
