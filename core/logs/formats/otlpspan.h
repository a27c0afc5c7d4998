#pragma once

#include "logs/formats/otlpjson.h"

#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace ts {

class LogSink;
struct LogJoinData;
struct LogRecord;

namespace otlp {

/// An event of a span, or an OTLP log record joined to it, with plain attribute values.
struct SpanEvent
{
    std::string name;
    std::optional<qint64> timeMs;
    nlohmann::json attributes = nlohmann::json::object();
    nlohmann::json body; ///< log records only; null for span events
};

/// One span in a source-neutral shape: OTLP spans and Phoenix rows are both read into it.
struct SpanData
{
    std::optional<QString> traceId; ///< lower-case hex
    std::optional<QString> spanId;
    std::optional<QString> parentSpanId;
    QString name;
    QString kind; ///< "client", "internal", ... or ""
    std::optional<qint64> startMs;
    std::optional<qint64> endMs;
    StatusCode status = StatusCode::Unset;
    std::optional<QString> statusMessage;
    /// Attributes as one object, dotted keys flattened ("llm.input_messages.0.message.role").
    nlohmann::json attributes = nlohmann::json::object();
    QList<SpanEvent> events;
    /// Resource and scope, kept in the record's metadata under "otel".
    nlohmann::json resource = nlohmann::json::object();
    nlohmann::json scope = nlohmann::json::object();
    /// OpenInference span kind given outside the attributes (Phoenix's `span_kind` column).
    QString openInferenceKind;
};

/// The GenAI event an OTLP log record carries (name from `eventName` or the `event.name`
/// attribute; body and attributes plain), or nullopt when it is not a `gen_ai.*` event.
std::optional<SpanEvent> genAiEventFromLogRecord(const nlohmann::json &logRecord);

/// Hands `span` to the sink: a record when it is an LLM call (OpenTelemetry GenAI conventions
/// in any version, OpenLLMetry, OpenInference), else a trace span. `sourceFormat` names the
/// records, except that OpenInference spans read as "otlp" are named "openinference".
void emitSpan(SpanData span, LogSink &sink, const LogJoinData &join, const QString &sourceFormat);

/// Fills the record from GenAI semantic-convention attributes and events (fields already set
/// are kept), consuming the attributes it maps.
void applyGenAi(nlohmann::json &attrs, const QList<SpanEvent> &events, LogRecord &record);
/// True when the attributes and events describe a model call by GenAI conventions.
bool isGenAiCall(const nlohmann::json &attrs, const QList<SpanEvent> &events);

/// OpenInference: is the span written with its conventions, is it an LLM span, and the mapping.
bool isOpenInference(const nlohmann::json &attrs, const QString &kind);
bool isOpenInferenceLlm(const nlohmann::json &attrs, const QString &kind);
void applyOpenInference(nlohmann::json &attrs, LogRecord &record);

} // namespace otlp
} // namespace ts
