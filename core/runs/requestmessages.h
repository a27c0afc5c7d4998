#pragma once

#include <nlohmann/json.hpp>

namespace ts {

/// The messages of a stored request (`generations.request`: provider, url, model, body) as
/// [{role, content}] with each content's text parts joined — OpenAI, Anthropic (`system`),
/// Gemini (`systemInstruction`, `contents` with `parts`) and Ollama bodies.
nlohmann::json requestMessages(const nlohmann::json &request);

} // namespace ts
