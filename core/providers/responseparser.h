#pragma once

#include "providers/chatresult.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace ts {

/// Incremental parser of one chat response body. Feed the bytes as they arrive (any
/// chunking), call finish() at end of input, then read result(). Pure: no I/O, no threads,
/// never throws. Use one parser per response; feed only 2xx bodies (see parseErrorBody()).
class ResponseParser
{
public:
    virtual ~ResponseParser();
    ResponseParser(const ResponseParser &) = delete;
    ResponseParser &operator=(const ResponseParser &) = delete;

    /// Feeds the next bytes of the body. Ignored after finish().
    void feed(QByteArrayView bytes);
    /// End of input. A response without its end marker is then marked incomplete.
    void finish();
    bool isFinished() const { return m_finished; }

    /// Everything extracted so far (valid before finish() too, for live views).
    ChatResult result() const;
    /// Text and reasoning of choice 0 added since the previous call.
    StreamDelta takeDelta();

    ProviderKind kind() const { return m_kind; }
    bool isStreaming() const { return m_stream; }

protected:
    ResponseParser(ProviderKind kind, bool stream);

    virtual void feedStream(QByteArrayView bytes) = 0;
    virtual void finishStream() = 0;
    /// A whole non-streaming body (or a whole body a server sent for a stream request).
    virtual void handleCompleteBody(const nlohmann::json &body) = 0;

    // Accumulation helpers for subclasses.
    ChatChoice &choice(int index);
    void appendText(int choiceIndex, QStringView text);
    void appendReasoning(int choiceIndex, QStringView text);
    void appendRefusal(int choiceIndex, QStringView text);
    void setFinishReason(int choiceIndex, const QString &native);
    /// The tool call with `toolIndex` in a choice, created on first use.
    ToolCall &toolCall(int choiceIndex, int toolIndex);
    void markToolCallsChanged(int choiceIndex);
    /// Appends token log probabilities (`entries`: objects with `key`) to a choice.
    void appendLogProbs(int choiceIndex, const nlohmann::json &entries, const char *key);
    void setError(ProviderError error);
    /// Records an error JSON received inside the stream; false when `json` holds none.
    bool takeErrorFrom(const nlohmann::json &json);
    void setProtocolError(const QString &message);

    ChatResult m_r; // working state; result() finalizes a copy

private:
    void parseBufferedBody();

    ProviderKind m_kind;
    bool m_stream;
    bool m_finished = false;
    QByteArray m_body; // non-streaming bodies are parsed whole at finish()
    StreamDelta m_delta;
};

/// The parser for a provider's wire format: SSE for OpenAI, Anthropic and Gemini (with
/// alt=sse), NDJSON for Ollama, a whole JSON body when stream is false.
std::unique_ptr<ResponseParser> makeResponseParser(ProviderKind kind, bool stream);

/// Convenience: parses a complete body in one go.
ChatResult parseChatResponse(ProviderKind kind, bool stream, QByteArrayView body);

} // namespace ts
