#pragma once

#include "providers/chatresult.h"

#include <QByteArrayView>
#include <QDateTime>

#include <optional>

namespace ts {


/// Reads an error out of a JSON value in any provider's shape: OpenAI/Ollama-v1
/// {"error":{message,type,code,param}}, Anthropic {"type":"error","error":{type,message}},
/// Gemini {"error":{code,message,status}} (also wrapped in an array), Ollama {"error":"..."},
/// vLLM {"object":"error",message,type,code}. nullopt when it holds no error.
/// httpStatus is 0 for errors that arrived inside a 200 stream.
std::optional<ProviderError> errorFromJson(ProviderKind kind, int httpStatus,
                                           const nlohmann::json &json);

/// Interprets the body of a non-2xx response (JSON or not) and classifies it: retryable for
/// 408, 409, 429 (except insufficient_quota), 5xx including Anthropic's 529, and overload
/// errors; category Auth, ModelNotFound, RateLimited, QuotaExceeded, ServerError, Timeout
/// or InvalidArgument.
ProviderError parseErrorBody(ProviderKind kind, int httpStatus, QByteArrayView body);

/// Sets retryable/category from httpStatus, type, code and status (used by both entry points).
void classifyProviderError(ProviderError &error);

/// Parses rate-limit reset durations such as "120ms", "3.89s", "6m0s", "1h2m3s" to ms.
std::optional<qint64> parseDurationMs(QByteArrayView text);

} // namespace ts
