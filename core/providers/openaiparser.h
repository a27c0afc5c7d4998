#pragma once

#include "providers/sseresponseparser.h"

namespace ts {

/// Chat Completions responses from OpenAI and OpenAI-compatible servers (vLLM, llama.cpp,
/// LM Studio, Ollama /v1, OpenRouter...): chunks accumulated per choice and per tool-call
/// index, `reasoning_content` / `reasoning` kept apart, last usage wins, llama.cpp `timings`
/// kept in metadata, a top-level `error` in a data event reported as an error.
class OpenAIResponseParser final : public SseResponseParser
{
public:
    explicit OpenAIResponseParser(bool stream);

protected:
    void handleEvent(const SseEvent &event, const nlohmann::json &data) override;
    void handleNonJsonEvent(const SseEvent &event) override;
    void handleCompleteBody(const nlohmann::json &body) override;

private:
    void handleChoice(const nlohmann::json &choiceJson, int position, bool streamed);
    void handleToolCalls(int choiceIndex, const nlohmann::json &calls);
    void handleEnvelope(const nlohmann::json &chunk);
};

} // namespace ts
