#pragma once

// Spans the receiver tests send: an LLM call written with the current OpenTelemetry GenAI
// conventions and an HTTP span that is not an LLM call, as OTLP/JSON and as protobuf.

#include "logs/receiver/otlptrace.pb.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace otlptest {

using nlohmann::json;

struct LlmCall
{
    QString traceId; ///< 32 hex digits
    QString spanId; ///< 16 hex digits
    QString parentSpanId;
    QString model = QStringLiteral("gpt-4o-mini");
    QString user = QStringLiteral("Where is my parcel?");
    QString answer = QStringLiteral("It left the depot this morning.");
    qint64 inputTokens = 12;
    qint64 outputTokens = 7;
    quint64 startNs = 1767225600123000000ull; // 2026-01-01T00:00:00.123Z
    quint64 endNs = 1767225601623000000ull; // 1.5 s later
};

inline std::string inputMessages(const LlmCall &c)
{
    return json::array(
               {{{"role", "user"},
                 {"parts", json::array({{{"type", "text"}, {"content", c.user.toStdString()}}})}}})
        .dump();
}

inline std::string outputMessages(const LlmCall &c)
{
    return json::array(
               {{{"role", "assistant"},
                 {"parts", json::array({{{"type", "text"}, {"content", c.answer.toStdString()}}})},
                 {"finish_reason", "stop"}}})
        .dump();
}

inline json stringAttr(const char *key, const std::string &value)
{
    return {{"key", key}, {"value", {{"stringValue", value}}}};
}

inline json intAttr(const char *key, qint64 value)
{
    return {{"key", key}, {"value", {{"intValue", std::to_string(value)}}}};
}

inline json jsonLlmSpan(const LlmCall &c)
{
    json span = {
        {"traceId", c.traceId.toStdString()},
        {"spanId", c.spanId.toStdString()},
        {"name", "chat " + c.model.toStdString()},
        {"kind", 3},
        {"startTimeUnixNano", std::to_string(c.startNs)},
        {"endTimeUnixNano", std::to_string(c.endNs)},
        {"attributes",
         json::array({stringAttr("gen_ai.operation.name", "chat"),
                      stringAttr("gen_ai.provider.name", "openai"),
                      stringAttr("gen_ai.request.model", c.model.toStdString()),
                      stringAttr("gen_ai.response.model", c.model.toStdString()),
                      stringAttr("gen_ai.input.messages", inputMessages(c)),
                      stringAttr("gen_ai.output.messages", outputMessages(c)),
                      intAttr("gen_ai.usage.input_tokens", c.inputTokens),
                      intAttr("gen_ai.usage.output_tokens", c.outputTokens)})},
        {"status", {{"code", 1}}},
    };
    if (!c.parentSpanId.isEmpty())
        span["parentSpanId"] = c.parentSpanId.toStdString();
    return span;
}

inline json jsonHttpSpan(const QString &traceId, const QString &spanId, const char *name)
{
    return {{"traceId", traceId.toStdString()},
            {"spanId", spanId.toStdString()},
            {"name", name},
            {"kind", 2},
            {"startTimeUnixNano", "1767225600000000000"},
            {"endTimeUnixNano", "1767225602000000000"},
            {"attributes",
             json::array({stringAttr("http.request.method", "POST"),
                          intAttr("http.response.status_code", 200)})}};
}

inline json jsonRequest(const json &spans)
{
    return {{"resourceSpans",
             json::array({{{"resource",
                            {{"attributes", json::array({stringAttr("service.name", "shop")})}}},
                           {"scopeSpans",
                            json::array({{{"scope", {{"name", "test"}, {"version", "1.0"}}},
                                          {"spans", spans}}})}}})}};
}

inline QByteArray jsonBody(const json &request)
{
    return QByteArray::fromStdString(request.dump());
}

inline std::string bytesFromHex(const QString &hex)
{
    return QByteArray::fromHex(hex.toLatin1()).toStdString();
}

inline void addString(google::protobuf::RepeatedPtrField<ts::otlp::KeyValue> *attrs,
                      const char *key, const std::string &value)
{
    ts::otlp::KeyValue *kv = attrs->Add();
    kv->set_key(key);
    kv->mutable_value()->set_string_value(value);
}

inline void addInt(google::protobuf::RepeatedPtrField<ts::otlp::KeyValue> *attrs, const char *key,
                   qint64 value)
{
    ts::otlp::KeyValue *kv = attrs->Add();
    kv->set_key(key);
    kv->mutable_value()->set_int_value(value);
}

/// A request with one resource and one scope; spans are added with the functions below.
inline ts::otlp::ExportTraceServiceRequest protoRequest()
{
    ts::otlp::ExportTraceServiceRequest request;
    ts::otlp::ResourceSpans *rs = request.add_resource_spans();
    addString(rs->mutable_resource()->mutable_attributes(), "service.name", "shop");
    ts::otlp::ScopeSpans *ss = rs->add_scope_spans();
    ss->mutable_scope()->set_name("test");
    ss->mutable_scope()->set_version("1.0");
    return request;
}

inline ts::otlp::Span *addProtoLlmSpan(ts::otlp::ExportTraceServiceRequest &request,
                                       const LlmCall &c)
{
    ts::otlp::Span *span = request.mutable_resource_spans(0)->mutable_scope_spans(0)->add_spans();
    span->set_trace_id(bytesFromHex(c.traceId));
    span->set_span_id(bytesFromHex(c.spanId));
    if (!c.parentSpanId.isEmpty())
        span->set_parent_span_id(bytesFromHex(c.parentSpanId));
    span->set_name("chat " + c.model.toStdString());
    span->set_kind(ts::otlp::Span::SPAN_KIND_CLIENT);
    span->set_start_time_unix_nano(c.startNs);
    span->set_end_time_unix_nano(c.endNs);
    auto *attrs = span->mutable_attributes();
    addString(attrs, "gen_ai.operation.name", "chat");
    addString(attrs, "gen_ai.provider.name", "openai");
    addString(attrs, "gen_ai.request.model", c.model.toStdString());
    addString(attrs, "gen_ai.response.model", c.model.toStdString());
    addString(attrs, "gen_ai.input.messages", inputMessages(c));
    addString(attrs, "gen_ai.output.messages", outputMessages(c));
    addInt(attrs, "gen_ai.usage.input_tokens", c.inputTokens);
    addInt(attrs, "gen_ai.usage.output_tokens", c.outputTokens);
    span->mutable_status()->set_code(ts::otlp::Status::STATUS_CODE_OK);
    return span;
}

inline ts::otlp::Span *addProtoHttpSpan(ts::otlp::ExportTraceServiceRequest &request,
                                        const QString &traceId, const QString &spanId,
                                        const char *name)
{
    ts::otlp::Span *span = request.mutable_resource_spans(0)->mutable_scope_spans(0)->add_spans();
    span->set_trace_id(bytesFromHex(traceId));
    span->set_span_id(bytesFromHex(spanId));
    span->set_name(name);
    span->set_kind(ts::otlp::Span::SPAN_KIND_SERVER);
    span->set_start_time_unix_nano(1767225600000000000ull);
    span->set_end_time_unix_nano(1767225602000000000ull);
    addString(span->mutable_attributes(), "http.request.method", "POST");
    addInt(span->mutable_attributes(), "http.response.status_code", 200);
    return span;
}

inline QByteArray protoBody(const ts::otlp::ExportTraceServiceRequest &request)
{
    return QByteArray::fromStdString(request.SerializeAsString());
}

/// A fresh 32-digit trace id / 16-digit span id from a number (never all zero).
inline QString traceId(quint64 n)
{
    return QStringLiteral("%1%2")
        .arg(0xabcdefULL, 16, 16, QLatin1Char('0'))
        .arg(n + 1, 16, 16, QLatin1Char('0'));
}

inline QString spanId(quint64 n)
{
    return QStringLiteral("%1").arg(n + 1, 16, 16, QLatin1Char('0'));
}

} // namespace otlptest
