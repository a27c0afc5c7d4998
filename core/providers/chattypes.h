#pragma once

#include "common/error.h"
#include "common/httprequest.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>
#include <utility>

namespace ts {

/// The wire protocol a model speaks. OpenAI covers every OpenAI-compatible server too.
enum class ProviderKind { OpenAI, Anthropic, Gemini, Ollama };

/// Stable lowercase name for storage and JSON: "openai", "anthropic", "gemini", "ollama".
QString providerKindName(ProviderKind kind);
/// Human name for messages: "OpenAI", "Anthropic", "Gemini", "Ollama".
QString providerDisplayName(ProviderKind kind);
/// Parses a stored name (case-insensitive; "google" is accepted for Gemini).
std::optional<ProviderKind> parseProviderKind(QStringView name);
/// The base URL used when a model configuration leaves it empty.
QString defaultBaseUrl(ProviderKind kind);

/// One conversation turn. role is "system", "user" or "assistant" ("developer" is read as system).
struct ChatMessage
{
    QString role;
    QString content;

    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};

/// Sampling parameters common to every provider; each builder maps them to its own names.
struct GenerationParams
{
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    std::optional<double> topP;
    std::optional<qint64> seed;
    QStringList stop;
    /// A JSON Schema the answer must follow (or OpenAI's wrapper {name, schema, strict}), or
    /// the string "json" for plain JSON mode (not available on Anthropic).
    std::optional<nlohmann::json> responseSchema;
    /// Ask for the log probability of each output token (OpenAI `logprobs`, Gemini
    /// `responseLogprobs`, Ollama `logprobs`; Anthropic has none and ignores it). Set only when
    /// something needs them (perplexity assertions), so other requests and their cache keys
    /// stay as they were.
    bool logprobs = false;
    /// Merged into the request body last (RFC 7386 merge patch: null removes a key).
    nlohmann::json extra = nlohmann::json::object();

    /// {"temperature":..,"max_tokens":..,"top_p":..,"seed":..,"stop":[..],"response_schema":..,
    /// "extra":{..}}; absent values are left out.
    nlohmann::json toJson() const;
    /// Reads what toJson() wrote; unknown keys are ignored, wrong types are an error.
    static Result<GenerationParams> fromJson(const nlohmann::json &json);

    friend bool operator==(const GenerationParams &, const GenerationParams &) = default;
};

/// How an OpenAI-style builder names the output token limit.
enum class TokenLimitField {
    Auto,                ///< max_completion_tokens for api.openai.com, max_tokens elsewhere
    MaxTokens,           ///< local servers (Ollama /v1, llama.cpp, vLLM, LM Studio) and most proxies
    MaxCompletionTokens, ///< OpenAI itself (o-series models reject max_tokens)
};

/// Everything needed to build one chat request.
struct ChatRequest
{
    ProviderKind kind = ProviderKind::OpenAI;
    QString baseUrl; ///< empty means defaultBaseUrl(kind)
    QString model;
    QList<ChatMessage> messages;
    GenerationParams params;
    bool stream = true;
    TokenLimitField tokenLimitField = TokenLimitField::Auto;
};


} // namespace ts
