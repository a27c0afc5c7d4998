#pragma once

#include "providers/ndjsondecoder.h"
#include "providers/responseparser.h"

namespace ts {

/// Ollama native /api/chat responses: NDJSON lines {message:{content, thinking, tool_calls},
/// done, done_reason, prompt_eval_count, eval_count, *_duration (ns)}, or one object when
/// stream is false; an {"error": "..."} line is a mid-stream error.
class OllamaResponseParser final : public ResponseParser
{
public:
    explicit OllamaResponseParser(bool stream);

protected:
    void feedStream(QByteArrayView bytes) override;
    void finishStream() override;
    void handleCompleteBody(const nlohmann::json &body) override;

private:
    void handleLine(QByteArrayView line);

    NdjsonDecoder m_lines;
};

} // namespace ts
