#include "logs/formats/otlptraces.h"

#include "logs/formats/otlpfastspans.h"
#include "logs/formats/otlpjson.h"
#include "logs/formats/otlpspan.h"
#include "logs/formats/otlpstream.h"
#include "logs/inputfile.h"
#include "logs/logsink.h"

namespace ts {

using nlohmann::json;

namespace {

// One OTLP/JSON span in the source-neutral shape, or the reason it cannot be read.
std::variant<otlp::SpanData, QString> spanFromOtlp(const json &span, const json &resource,
                                                   const json &scope)
{
    if (!span.is_object())
        return QStringLiteral("span is not a JSON object");
    otlp::SpanData out;
    bool invalid = false;
    const json *traceId = otlp::member(span, "traceId", "trace_id");
    out.traceId = otlp::normalizeId(traceId, 16, &invalid);
    if (invalid)
        return QStringLiteral("traceId %1 is not a 16-byte id in hex")
            .arg(QString::fromStdString(traceId->dump()));
    const json *spanId = otlp::member(span, "spanId", "span_id");
    out.spanId = otlp::normalizeId(spanId, 8, &invalid);
    if (invalid)
        return QStringLiteral("spanId %1 is not an 8-byte id in hex")
            .arg(QString::fromStdString(spanId->dump()));
    // A broken parent link loses only the link, not the call.
    out.parentSpanId
        = otlp::normalizeId(otlp::member(span, "parentSpanId", "parent_span_id"), 8, &invalid);
    if (const json *name = otlp::member(span, "name", "name"); name && name->is_string())
        out.name = QString::fromStdString(name->get<std::string>());
    out.kind = otlp::spanKindName(otlp::member(span, "kind", "kind"));
    out.startMs = otlp::nanosToMs(otlp::member(span, "startTimeUnixNano", "start_time_unix_nano"));
    out.endMs = otlp::nanosToMs(otlp::member(span, "endTimeUnixNano", "end_time_unix_nano"));
    if (const json *status = otlp::member(span, "status", "status");
        status && status->is_object()) {
        out.status = otlp::statusCode(otlp::member(*status, "code", "code"));
        if (const json *message = otlp::member(*status, "message", "message"))
            if (auto text = otlp::toText(*message); text && !text->isEmpty())
                out.statusMessage = text;
    }
    const json *attributes = otlp::member(span, "attributes", "attributes");
    if (attributes && !attributes->is_array() && !attributes->is_object() && !attributes->is_null())
        return QStringLiteral("span attributes are not a list");
    out.attributes = otlp::plainAttributes(attributes);
    if (const json *events = otlp::member(span, "events", "events"); events && events->is_array()) {
        for (const json &e : *events) {
            if (!e.is_object())
                continue;
            otlp::SpanEvent event;
            if (const json *name = otlp::member(e, "name", "name"); name && name->is_string())
                event.name = name->get<std::string>();
            event.timeMs = otlp::nanosToMs(otlp::member(e, "timeUnixNano", "time_unix_nano"));
            event.attributes = otlp::plainAttributes(otlp::member(e, "attributes", "attributes"));
            out.events << std::move(event);
        }
    }
    out.resource = resource;
    out.scope = scope;
    return out;
}

bool handleSpan(const json &span, const json &resource, const json &scope, qint64 where,
                LogSink &sink, const LogJoinData &join, const QString &sourceFormat)
{
    if (sink.cancelled())
        return false;
    auto parsed = spanFromOtlp(span, resource, scope);
    if (auto *reason = std::get_if<QString>(&parsed))
        sink.malformed(where, *reason);
    else
        otlp::emitSpan(std::move(std::get<otlp::SpanData>(parsed)), sink, join, sourceFormat);
    return true;
}

} // namespace

Result<void> readTracesData(const json &tracesData, LogSink &sink, const LogJoinData &join,
                            const QString &sourceFormat)
{
    auto result = otlp::walkDocument(
        tracesData, otlp::Signal::Traces,
        [&](const json &span, const json &resource, const json &scope, qint64 index) {
            return handleSpan(span, resource, scope, index, sink, join, sourceFormat);
        });
    if (!result)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("not an OTLP TracesData: %1").arg(result.error().message));
    return {};
}

Result<void> readOtlpTracesFile(InputFile &file, LogSink &sink, const LogJoinData &join)
{
    const QString format = QStringLiteral("otlp");
    otlp::FastSpanReader fast(sink, join, format);
    return otlp::readOtlpFile(
        file, otlp::Signal::Traces, sink,
        [&](const json &span, const json &resource, const json &scope, qint64 where) {
            return handleSpan(span, resource, scope, where, sink, join, format);
        },
        [&fast](std::string_view line, qint64 number) { return fast.read(line, number); });
}

bool looksLikeOtlpTraces(const QByteArray &head)
{
    return otlp::looksLikeOtlp(head, otlp::Signal::Traces);
}

bool looksLikeOpenInferenceTraces(const QByteArray &head)
{
    return looksLikeOtlpTraces(head)
        && (head.contains("\"openinference.span.kind\"") || head.contains("\"llm.input_messages.")
            || head.contains("\"llm.model_name\""));
}

} // namespace ts
