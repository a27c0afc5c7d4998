#include "logs/formats/otlpspan.h"

#include "logs/formats/otlpmessages.h"
#include "logs/logformat.h"
#include "logs/logrecord.h"
#include "logs/logsink.h"

namespace ts::otlp {

using nlohmann::json;

namespace {

bool isMessageEvent(const SpanEvent &e)
{
    return e.name.compare(0, 7, "gen_ai.") == 0;
}

std::optional<QString> exceptionMessage(const QList<SpanEvent> &events)
{
    for (const SpanEvent &e : events) {
        if (e.name != "exception")
            continue;
        auto message = e.attributes.find("exception.message");
        if (message != e.attributes.end() && message->is_string()
            && !message->get_ref<const std::string &>().empty())
            return QString::fromStdString(message->get<std::string>());
        auto type = e.attributes.find("exception.type");
        if (type != e.attributes.end() && type->is_string())
            return QString::fromStdString(type->get<std::string>());
    }
    return std::nullopt;
}

json eventsMetadata(const QList<SpanEvent> &events)
{
    json out = json::array();
    for (const SpanEvent &e : events) {
        if (isMessageEvent(e))
            continue; // their content is the record's messages and output
        json item = {{"name", e.name}};
        if (e.timeMs)
            item["time"] = isoFromEpochMs(*e.timeMs).toStdString();
        if (!e.attributes.empty())
            item["attributes"] = e.attributes;
        out.push_back(std::move(item));
    }
    return out;
}

} // namespace

void emitSpan(SpanData span, LogSink &sink, const LogJoinData &join, const QString &sourceFormat)
{
    json &attrs = span.attributes;
    const bool openInference = isOpenInference(attrs, span.openInferenceKind);

    // GenAI events: the span's own, else the OTLP log records joined by trace and span id.
    QList<SpanEvent> genAiEvents;
    for (const SpanEvent &e : span.events)
        if (isMessageEvent(e))
            genAiEvents << e;
    if (genAiEvents.isEmpty() && span.traceId && span.spanId && !join.otlpEvents.isEmpty()) {
        const auto it = join.otlpEvents.constFind(*span.traceId + QLatin1Char(':') + *span.spanId);
        if (it != join.otlpEvents.constEnd())
            for (const json &logRecord : *it)
                if (auto event = genAiEventFromLogRecord(logRecord))
                    genAiEvents << *event;
    }

    const bool llm = openInference ? isOpenInferenceLlm(attrs, span.openInferenceKind)
                                   : isGenAiCall(attrs, genAiEvents);
    if (!llm) {
        TraceSpan other;
        other.traceId = span.traceId.value_or(QString());
        other.spanId = span.spanId.value_or(QString());
        other.parentSpanId = span.parentSpanId;
        other.name = span.name;
        other.startMs = span.startMs;
        other.endMs = span.endMs;
        if (span.status == StatusCode::Error)
            other.status = QStringLiteral("error");
        else if (span.status == StatusCode::Ok)
            other.status = QStringLiteral("ok");
        sink.otherSpan(std::move(other));
        return;
    }

    LogRecord r;
    r.traceId = span.traceId;
    r.spanId = span.spanId;
    r.parentSpanId = span.parentSpanId;
    r.startMs = span.startMs;
    r.endMs = span.endMs;
    if (r.startMs && r.endMs && *r.endMs >= *r.startMs)
        r.latencyMs = double(*r.endMs - *r.startMs);
    // OpenInference spans arriving as plain OTLP are named for their conventions.
    r.sourceFormat = openInference && sourceFormat == QLatin1String("otlp")
        ? QStringLiteral("openinference")
        : sourceFormat;

    if (openInference)
        applyOpenInference(attrs, r);
    applyGenAi(attrs, genAiEvents, r); // fills what OpenInference left unknown

    const bool errorType = attrs.contains("error.type");
    if (span.status == StatusCode::Error || errorType) {
        r.ok = false;
        if (span.statusMessage && !span.statusMessage->isEmpty())
            r.error = span.statusMessage;
        else if (auto message = exceptionMessage(span.events))
            r.error = message;
        else if (errorType)
            r.error = QString::fromStdString(attrs["error.type"].is_string()
                                                 ? attrs["error.type"].get<std::string>()
                                                 : attrs["error.type"].dump());
    }

    json otel = json::object();
    if (!span.name.isEmpty())
        otel["span_name"] = span.name.toStdString();
    if (!span.kind.isEmpty())
        otel["span_kind"] = span.kind.toStdString();
    if (!span.resource.empty())
        otel["resource"] = std::move(span.resource);
    if (!span.scope.empty())
        otel["scope"] = std::move(span.scope);
    if (json events = eventsMetadata(span.events); !events.empty())
        otel["events"] = std::move(events);
    r.metadata = std::move(attrs);
    if (!otel.empty())
        r.metadata["otel"] = std::move(otel);
    replaceInlineMedia(r.metadata);
    sink.record(std::move(r));
}

} // namespace ts::otlp
