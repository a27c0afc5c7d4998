#pragma once

#include "providers/chattypes.h"

namespace ts {

/// Builds the HTTP request for a chat completion in the provider's own format:
/// - OpenAI: POST {base}/chat/completions, Bearer key, `max_completion_tokens` for
///   api.openai.com and `max_tokens` for compatible servers (see TokenLimitField), streams ask
///   for `stream_options.include_usage`, schema as `response_format` json_schema.
/// - Anthropic: POST {base}/v1/messages, x-api-key + anthropic-version, system messages
///   joined into the top-level `system`, `max_tokens` always set (kDefaultAnthropicMaxTokens),
///   schema as `output_config.format`.
/// - Gemini: POST {base}/v1beta/models/{model}:generateContent or
///   :streamGenerateContent?alt=sse, x-goog-api-key, `systemInstruction`, role "model" for
///   assistant turns, parameters in `generationConfig`.
/// - Ollama: POST {base}/api/chat with `options` {temperature, top_p, seed, num_predict, stop},
///   `format` for a schema, `stream` always explicit.
/// An empty key sends no auth header. params.extra is merge-patched into the body last.
HttpRequest buildChatRequest(const ChatRequest &request, const QString &apiKey);

/// The chat endpoint URL alone (what buildChatRequest() would use).
QByteArray chatEndpointUrl(const ChatRequest &request);

/// Anthropic requires max_tokens; this is sent when the parameters leave it unset.
inline constexpr int kDefaultAnthropicMaxTokens = 1024;

/// True when TokenLimitField::Auto resolves to max_completion_tokens for this base URL.
bool usesMaxCompletionTokens(const ChatRequest &request);

/// Base URL without trailing slashes, or the provider default when empty.
QString normalizedBaseUrl(ProviderKind kind, const QString &baseUrl);

} // namespace ts
