#include "logs/formats/phoenix.h"

#include "logs/formats/otlpjson.h"
#include "logs/formats/otlpspan.h"
#include "logs/inputfile.h"
#include "logs/logrecord.h"
#include "logs/logsink.h"

namespace ts {

using nlohmann::json;

namespace {

// Nested attributes ({"llm": {"input_messages": [{"message": {...}}]}}) as the dotted keys
// OpenTelemetry uses ("llm.input_messages.0.message.role"). Lists of scalars stay lists.
void flatten(const json &value, const std::string &prefix, json &out)
{
    if (value.is_object() && !value.empty()) {
        for (auto it = value.begin(); it != value.end(); ++it)
            flatten(*it, prefix.empty() ? it.key() : prefix + '.' + it.key(), out);
        return;
    }
    if (value.is_array() && !value.empty()
        && std::all_of(value.begin(), value.end(), [](const json &e) { return e.is_object(); })) {
        for (size_t i = 0; i < value.size(); ++i)
            flatten(value[i], prefix + '.' + std::to_string(i), out);
        return;
    }
    if (!prefix.empty())
        out[prefix] = value;
}

std::optional<qint64> timeOf(const json &row, const char *key)
{
    auto it = row.find(key);
    if (it == row.end())
        return std::nullopt;
    if (it->is_string())
        return epochMsFromText(QString::fromStdString(it->get<std::string>()));
    if (it->is_number())
        return epochMsFromText(QString::fromStdString(it->dump()));
    return std::nullopt;
}

const json *idField(const json &row, const char *snake, const char *camel)
{
    if (const json *context = otlp::member(row, "context", "context");
        context && context->is_object())
        if (const json *id = otlp::member(*context, camel, snake))
            return id;
    return otlp::member(row, camel, snake);
}

std::optional<QString> readSpan(const json &row, LogSink &sink, const LogJoinData &join)
{
    if (!row.is_object())
        return QStringLiteral("span is not a JSON object");
    otlp::SpanData span;
    bool invalid = false;
    const json *traceId = idField(row, "trace_id", "traceId");
    span.traceId = otlp::normalizeId(traceId, 16, &invalid);
    if (invalid)
        return QStringLiteral("trace_id %1 is not a 16-byte id in hex")
            .arg(QString::fromStdString(traceId->dump()));
    const json *spanId = idField(row, "span_id", "spanId");
    span.spanId = otlp::normalizeId(spanId, 8, &invalid);
    if (invalid)
        return QStringLiteral("span_id %1 is not an 8-byte id in hex")
            .arg(QString::fromStdString(spanId->dump()));
    span.parentSpanId = otlp::normalizeId(otlp::member(row, "parent_id", "parent_id"), 8, &invalid);
    if (!span.parentSpanId)
        span.parentSpanId
            = otlp::normalizeId(otlp::member(row, "parentId", "parent_span_id"), 8, &invalid);
    if (auto name = row.find("name"); name != row.end() && name->is_string())
        span.name = QString::fromStdString(name->get<std::string>());
    if (const json *kind = otlp::member(row, "spanKind", "span_kind"); kind && kind->is_string()) {
        span.openInferenceKind = QString::fromStdString(kind->get<std::string>()).toUpper();
        if (span.openInferenceKind == QLatin1String("UNKNOWN"))
            span.openInferenceKind.clear();
    }
    span.startMs = timeOf(row, "start_time");
    if (!span.startMs)
        span.startMs = timeOf(row, "startTime");
    span.endMs = timeOf(row, "end_time");
    if (!span.endMs)
        span.endMs = timeOf(row, "endTime");
    span.status = otlp::statusCode(otlp::member(row, "statusCode", "status_code"));
    if (const json *message = otlp::member(row, "statusMessage", "status_message"))
        if (auto text = otlp::toText(*message); text && !text->isEmpty())
            span.statusMessage = text;
    if (auto attrs = row.find("attributes"); attrs != row.end()) {
        const json plain = otlp::plainAttributes(&*attrs); // tolerate OTLP-style lists too
        flatten(plain, std::string(), span.attributes);
    }
    if (auto events = row.find("events"); events != row.end() && events->is_array()) {
        for (const json &e : *events) {
            if (!e.is_object())
                continue;
            otlp::SpanEvent event;
            if (auto name = e.find("name"); name != e.end() && name->is_string())
                event.name = name->get<std::string>();
            event.timeMs = timeOf(e, "timestamp");
            if (auto attrs = e.find("attributes"); attrs != e.end())
                event.attributes = otlp::plainAttributes(&*attrs);
            span.events << std::move(event);
        }
    }
    otlp::emitSpan(std::move(span), sink, join, QStringLiteral("phoenix"));
    return std::nullopt;
}

} // namespace

Result<void> readPhoenixFile(InputFile &file, LogSink &sink, const LogJoinData &join)
{
    while (auto line = file.readLine()) {
        if (sink.cancelled())
            return {};
        const qint64 number = file.lineNumber();
        const QByteArray trimmed = line->trimmed();
        if (trimmed.isEmpty())
            continue;
        const json row = json::parse(trimmed.constData(), trimmed.constData() + trimmed.size(),
                                     nullptr, false);
        if (row.is_discarded()) {
            sink.malformed(number, QStringLiteral("not valid JSON"));
            continue;
        }
        if (!row.is_object()) {
            sink.malformed(number, QStringLiteral("not a JSON object"));
            continue;
        }
        if (auto data = row.find("data"); data != row.end() && data->is_array()) {
            for (const json &span : *data) {
                if (sink.cancelled())
                    return {};
                if (auto reason = readSpan(span, sink, join))
                    sink.malformed(number, *reason);
            }
            continue;
        }
        if (auto reason = readSpan(row, sink, join))
            sink.malformed(number, *reason);
    }
    if (file.failed())
        return fail(ErrorCode::Io, QStringLiteral("%1: %2").arg(file.path(), file.errorString()));
    return {};
}

bool looksLikePhoenixSpans(const QByteArray &head)
{
    const QByteArray trimmed = head.trimmed();
    if (!trimmed.startsWith('{') || head.contains("\"resourceSpans\""))
        return false;
    return head.contains("\"span_kind\"") && head.contains("\"context\"")
        && (head.contains("\"span_id\"") || head.contains("\"trace_id\""));
}

} // namespace ts
