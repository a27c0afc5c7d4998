#pragma once

#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

/// A tool call the model asked for (or that a message carries).
struct LogToolCall
{
    std::optional<QString> id;
    QString name;
    /// The arguments as a JSON value: an object when the source gave parseable JSON text,
    /// else the text itself as a JSON string; null when unknown.
    nlohmann::json arguments;
};

/// One input message of a logged call. System instructions are a first `system` message.
struct LogMessage
{
    QString role; ///< system, user, assistant, tool (as the source named it, lower-case)
    /// nullopt = unknown or redacted (never ""). Media parts are replaced by placeholders
    /// such as "[image/png, 48213 bytes]" (see mediaPlaceholder()).
    std::optional<QString> content;
    QList<LogToolCall> toolCalls;
    std::optional<QString> toolCallId;
};

/// One production LLM call as stored in `logs`. Every unknown value is nullopt (NULL in the
/// file), never 0 or "".
struct LogRecord
{
    qint64 id = 0; ///< 0 until stored
    std::optional<qint64> startMs; ///< Unix epoch milliseconds, UTC
    std::optional<qint64> endMs;
    std::optional<double> latencyMs; ///< computed from start/end when both are known
    std::optional<double> ttftMs;
    std::optional<QString> model; ///< response model when known, else request model
    std::optional<QString> provider;
    QList<LogMessage> messages;
    std::optional<QString> output;
    QList<LogToolCall> outputToolCalls;
    std::optional<QString> reasoning;
    std::optional<QString> finishReason;
    std::optional<qint64> inputTokens;
    std::optional<qint64> outputTokens;
    std::optional<double> cost;
    bool ok = true;
    std::optional<QString> error;
    std::optional<QString> traceId; ///< lower-case hex
    std::optional<QString> spanId;
    std::optional<QString> parentSpanId;
    std::optional<QString> sessionId;
    std::optional<QString> promptName;
    std::optional<QString> promptVersion;
    nlohmann::json metadata = nlohmann::json::object(); ///< every other attribute
    QString sourceFormat; ///< e.g. "otlp", "openinference", "langfuse", "openai-batch"
    std::optional<QString> sourceFile;
    QString importedAt; ///< ISO 8601 UTC, set by the store

    /// 'span:TRACE:SPAN' when both ids are known, else 'hash:' + SHA-256 of the content
    /// (messages, output, model, start time), so re-importing the same data adds nothing.
    QString dedupeKey() const;
    /// The input messages' contents joined with "\n" (unknown contents left out).
    QString inputText() const;
    bool hasToolCalls() const;
};

/// A span of a trace that is not an LLM call, kept so that a record's trace can be shown.
struct TraceSpan
{
    QString traceId;
    QString spanId;
    std::optional<QString> parentSpanId;
    QString name;
    std::optional<qint64> startMs;
    std::optional<qint64> endMs;
    std::optional<QString> status; ///< "ok", "error" or nullopt when unset
    std::optional<qint64> logId;   ///< set by LogStore::traceSpans() for stored LLM records
};

/// "[image/png, 48213 bytes]": what replaces inline media so it is never stored whole.
QString mediaPlaceholder(const QString &mimeType, qint64 bytes);
/// Size in bytes of base64 text (without decoding it).
qint64 base64DecodedSize(const QString &base64);

/// ISO 8601 UTC with milliseconds ("2026-11-30T12:00:00.123Z") for epoch milliseconds.
QString isoFromEpochMs(qint64 ms);
/// Parses ISO 8601 (with or without offset; no offset means UTC), a date alone (midnight
/// UTC), or epoch seconds/milliseconds as a number. nullopt when it is none of these.
std::optional<qint64> epochMsFromText(const QString &text);

/// JSON of the messages as stored in `logs.messages` and printed by `logs list --json`.
nlohmann::json messagesToJson(const QList<LogMessage> &messages);
QList<LogMessage> messagesFromJson(const nlohmann::json &json);
nlohmann::json toolCallsToJson(const QList<LogToolCall> &calls);
QList<LogToolCall> toolCallsFromJson(const nlohmann::json &json);

} // namespace ts
