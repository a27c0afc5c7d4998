#pragma once

#include "providers/sseresponseparser.h"

namespace ts {

/// Gemini generateContent / streamGenerateContent?alt=sse responses: every chunk is a whole
/// GenerateContentResponse; text parts appended, `thought: true` parts go to reasoning,
/// functionCall parts become tool calls, usageMetadata is cumulative (last wins), a blocked
/// prompt (promptFeedback.blockReason) ends the generation. A last event lacking its blank
/// line is still used when its JSON is complete (lenientEofFlush).
class GeminiResponseParser final : public SseResponseParser
{
public:
    explicit GeminiResponseParser(bool stream);

protected:
    void handleEvent(const SseEvent &event, const nlohmann::json &data) override;
    void handleCompleteBody(const nlohmann::json &body) override;

private:
    void handleResponse(const nlohmann::json &response);
};

} // namespace ts
