#pragma once

#include "providers/chattypes.h"

#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

/// Why a generation ended, normalized across providers.
enum class FinishReason {
    Stop,          ///< natural end or a stop sequence
    Length,        ///< token limit reached
    ToolCalls,     ///< the model asked for a tool
    ContentFilter, ///< blocked by a safety system
    Refusal,       ///< the model refused
    Error,         ///< the provider reported an error
    Cancelled,     ///< the user stopped it (set by the caller, never by a parser)
    Incomplete,    ///< the stream ended before the provider said it was done
    Unknown,       ///< no reason given, or one we do not know
};

/// Stable lowercase name: "stop", "length", "tool_calls", ...
QString finishReasonName(FinishReason reason);
/// Maps a provider's native value (e.g. "end_turn", "MAX_TOKENS", "tool_calls") to FinishReason.
FinishReason normalizeFinishReason(ProviderKind kind, const QString &native);

/// A function call requested by the model.
struct ToolCall
{
    int index = 0;         ///< position within its choice (OpenAI index, Anthropic block order)
    QString id;            ///< empty where the provider gives none (Gemini, Ollama)
    QString name;
    QString arguments;     ///< raw JSON text as accumulated from the wire
    nlohmann::json argumentsJson; ///< parsed arguments; null when they are not valid JSON
};

/// An error reported by a provider, either as an HTTP error body or inside a stream.
struct ProviderError
{
    ProviderKind provider = ProviderKind::OpenAI;
    int httpStatus = 0;  ///< 0 when it arrived inside a 200 stream
    QString type;        ///< e.g. "rate_limit_exceeded", "overloaded_error", "insufficient_quota"
    QString code;        ///< provider code as text ("429", "insufficient_quota"), may be empty
    QString status;      ///< Gemini status such as "RESOURCE_EXHAUSTED"
    QString message;     ///< the provider's own words
    bool retryable = false; ///< worth retrying after a back-off
    ErrorCode category = ErrorCode::ServerError;

    /// A sentence a person can act on, e.g. "Rate limited by OpenAI: <message>".
    QString displayMessage() const;
    /// The same as a ts::Error.
    Error toError() const { return Error{category, displayMessage()}; }
};

/// One choice (OpenAI n > 1) or candidate; index 0 is what the UI shows.
struct ChatChoice
{
    int index = 0;
    QString text;
    QString reasoning;     ///< thinking channel, kept apart from text
    QString refusal;
    QString finishReason;  ///< provider-native value, empty when none arrived
    FinishReason finish = FinishReason::Unknown;
    QList<ToolCall> toolCalls;
    /// Log probability of each output token, in order, when the request asked for them and
    /// the server sent them (OpenAI `logprobs.content[].logprob`, Gemini
    /// `logprobsResult.chosenCandidates[].logProbability`, Ollama `logprobs[].logprob`).
    std::optional<QList<double>> logProbs;
};

/// What a parser extracted from a whole response. Top-level text/reasoning/... mirror choice 0.
struct ChatResult
{
    QString text;
    QString reasoning;
    QString refusal;
    QString finishReason;
    FinishReason finish = FinishReason::Unknown;
    QList<ToolCall> toolCalls;
    std::optional<QList<double>> logProbs; ///< choice 0's, see ChatChoice::logProbs
    QList<ChatChoice> choices; ///< every choice seen, ordered by index (empty if none arrived)

    std::optional<int> inputTokens;
    std::optional<int> outputTokens;
    std::optional<int> totalTokens;   ///< as reported, or input + output when both are known
    std::optional<int> reasoningTokens;
    std::optional<int> cachedInputTokens;

    std::optional<ProviderError> error;

    QString responseId;
    QString model;             ///< as reported by the server (may differ from the request)
    /// Provider extras kept verbatim: llama.cpp "timings", Ollama "*_duration" (ns),
    /// Gemini "promptFeedback", Anthropic "stop_sequence", ...
    nlohmann::json metadata = nlohmann::json::object();

    bool complete = false;     ///< saw the provider's end marker ([DONE], message_stop, done:true, finishReason)
    bool incomplete = false;   ///< input ended (finish()) before the end marker and without an error
    bool doneSentinel = false; ///< OpenAI "data: [DONE]" seen
    int sseEvents = 0;         ///< events dispatched by the SSE decoder (0 for NDJSON / non-streaming)
    bool incompleteEventDiscardedAtEof = false; ///< bytes after the last complete event were dropped
    bool lenientEofFlush = false; ///< a last event without its blank line was used (Gemini only)
};

/// Text added since the previous takeDelta(), for live display of choice 0.
struct StreamDelta
{
    QString text;
    QString reasoning;
    bool toolCallsChanged = false;

    bool isEmpty() const { return text.isEmpty() && reasoning.isEmpty() && !toolCallsChanged; }
};

} // namespace ts
