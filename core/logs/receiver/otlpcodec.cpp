#include "logs/receiver/otlpcodec.h"

#include "logs/receiver/otlpprotojson.h"
#include "logs/receiver/otlptrace.pb.h"

#include <google/protobuf/arena.h>

#include <zlib.h>

#include <cstring>

namespace ts {

namespace {

using nlohmann::json;
using namespace otlpwire;

constexpr int maxProblems = 20; ///< reasons kept per request; the count stays exact

void reject(OtlpTraceRequest &request, const QString &reason)
{
    ++request.rejected;
    if (request.problems.size() < maxProblems)
        request.problems.append(QStringLiteral("span %1: %2").arg(request.spans).arg(reason));
}

json spanJson(const otlp::Span &span)
{
    json out = json::object();
    out["traceId"] = hex(span.trace_id());
    out["spanId"] = hex(span.span_id());
    if (!span.trace_state().empty())
        out["traceState"] = span.trace_state();
    if (!span.parent_span_id().empty())
        out["parentSpanId"] = hex(span.parent_span_id());
    if (span.flags())
        out["flags"] = span.flags();
    out["name"] = span.name();
    out["kind"] = int(span.kind());
    out["startTimeUnixNano"] = std::to_string(span.start_time_unix_nano());
    out["endTimeUnixNano"] = std::to_string(span.end_time_unix_nano());
    out["attributes"] = keyValuesJson(span.attributes());
    putCount(out, "droppedAttributesCount", span.dropped_attributes_count());
    if (span.events_size() > 0) {
        json events = json::array();
        for (const otlp::Span::Event &e : span.events()) {
            json event {{"timeUnixNano", std::to_string(e.time_unix_nano())},
                        {"name", e.name()},
                        {"attributes", keyValuesJson(e.attributes())}};
            putCount(event, "droppedAttributesCount", e.dropped_attributes_count());
            events.push_back(std::move(event));
        }
        out["events"] = std::move(events);
    }
    putCount(out, "droppedEventsCount", span.dropped_events_count());
    if (span.links_size() > 0) {
        json links = json::array();
        for (const otlp::Span::Link &l : span.links()) {
            json link {{"traceId", hex(l.trace_id())},
                       {"spanId", hex(l.span_id())},
                       {"attributes", keyValuesJson(l.attributes())}};
            if (!l.trace_state().empty())
                link["traceState"] = l.trace_state();
            putCount(link, "droppedAttributesCount", l.dropped_attributes_count());
            if (l.flags())
                link["flags"] = l.flags();
            links.push_back(std::move(link));
        }
        out["links"] = std::move(links);
    }
    putCount(out, "droppedLinksCount", span.dropped_links_count());
    if (span.has_status()) {
        json status {{"code", int(span.status().code())}};
        if (!span.status().message().empty())
            status["message"] = span.status().message();
        out["status"] = std::move(status);
    }
    return out;
}

Result<OtlpTraceRequest> decodeProtobuf(const QByteArray &body)
{
    google::protobuf::Arena arena;
    auto *request = google::protobuf::Arena::CreateMessage<otlp::ExportTraceServiceRequest>(&arena);
    if (!request->ParseFromArray(body.constData(), int(body.size())))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the body is not a protobuf ExportTraceServiceRequest"));
    OtlpTraceRequest out;
    json resourceSpans = json::array();
    for (const otlp::ResourceSpans &rs : request->resource_spans()) {
        json resource = resourceJson(rs.resource());
        json scopeSpans = json::array();
        for (const otlp::ScopeSpans &ss : rs.scope_spans()) {
            json spans = json::array();
            for (const otlp::Span &span : ss.spans()) {
                ++out.spans;
                if (const char *p = binaryIdProblem(span.trace_id(), 16)) {
                    reject(out,
                           QStringLiteral("traceId %1 (it must be 16 bytes, not all zero)")
                               .arg(QLatin1String(p)));
                    continue;
                }
                if (const char *p = binaryIdProblem(span.span_id(), 8)) {
                    reject(out,
                           QStringLiteral("spanId %1 (it must be 8 bytes, not all zero)")
                               .arg(QLatin1String(p)));
                    continue;
                }
                spans.push_back(spanJson(span));
            }
            json entry {{"scope", scopeJson(ss.scope())}, {"spans", std::move(spans)}};
            if (!ss.schema_url().empty())
                entry["schemaUrl"] = ss.schema_url();
            scopeSpans.push_back(std::move(entry));
        }
        json entry {{"resource", std::move(resource)}, {"scopeSpans", std::move(scopeSpans)}};
        if (!rs.schema_url().empty())
            entry["schemaUrl"] = rs.schema_url();
        resourceSpans.push_back(std::move(entry));
    }
    out.tracesData = json {{"resourceSpans", std::move(resourceSpans)}};
    return out;
}

// ---- OTLP/JSON: structure check and span validation ----

Result<OtlpTraceRequest> decodeJson(const QByteArray &body)
{
    json doc = json::parse(body.constData(), body.constData() + body.size(), nullptr, false);
    if (doc.is_discarded())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("the body is not valid JSON"));
    if (!doc.is_object())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the body is not an ExportTraceServiceRequest (a JSON object "
                                   "with \"resourceSpans\")"));
    auto notOtlp = [](const QString &where, const char *what) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the body is not an ExportTraceServiceRequest: %1 is not %2")
                        .arg(where, QLatin1String(what)));
    };
    OtlpTraceRequest out;
    json *resourceSpans = member(doc, "resourceSpans", "resource_spans");
    if (resourceSpans && !resourceSpans->is_null()) {
        if (!resourceSpans->is_array())
            return notOtlp(QStringLiteral("resourceSpans"), "an array");
        for (size_t i = 0; i < resourceSpans->size(); ++i) {
            json &rs = (*resourceSpans)[i];
            const QString rsPath = QStringLiteral("resourceSpans[%1]").arg(i);
            if (!rs.is_object())
                return notOtlp(rsPath, "an object");
            json *scopeSpans = member(rs, "scopeSpans", "scope_spans");
            if (!scopeSpans || scopeSpans->is_null())
                continue;
            if (!scopeSpans->is_array())
                return notOtlp(rsPath + QStringLiteral(".scopeSpans"), "an array");
            for (size_t j = 0; j < scopeSpans->size(); ++j) {
                json &ss = (*scopeSpans)[j];
                const QString ssPath = rsPath + QStringLiteral(".scopeSpans[%1]").arg(j);
                if (!ss.is_object())
                    return notOtlp(ssPath, "an object");
                json *spans = member(ss, "spans", "spans");
                if (!spans || spans->is_null())
                    continue;
                if (!spans->is_array())
                    return notOtlp(ssPath + QStringLiteral(".spans"), "an array");
                json kept = json::array();
                for (json &span : *spans) {
                    ++out.spans;
                    if (!span.is_object()) {
                        reject(out, QStringLiteral("not a JSON object"));
                        continue;
                    }
                    if (const char *p = jsonIdProblem(member(span, "traceId", "trace_id"), 16)) {
                        reject(out,
                               QStringLiteral("traceId %1 (it must be 32 hex digits, not "
                                              "all zero)")
                                   .arg(QLatin1String(p)));
                        continue;
                    }
                    if (const char *p = jsonIdProblem(member(span, "spanId", "span_id"), 8)) {
                        reject(out,
                               QStringLiteral("spanId %1 (it must be 16 hex digits, not "
                                              "all zero)")
                                   .arg(QLatin1String(p)));
                        continue;
                    }
                    kept.push_back(std::move(span));
                }
                *spans = std::move(kept);
            }
        }
    }
    out.tracesData = std::move(doc);
    return out;
}

} // namespace

Result<OtlpTraceRequest> decodeOtlpTraceRequest(const QByteArray &body, OtlpEncoding encoding)
{
    return encoding == OtlpEncoding::Json ? decodeJson(body) : decodeProtobuf(body);
}

Result<QByteArray> gunzip(const QByteArray &body, qint64 maxBytes)
{
    z_stream zs;
    std::memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return fail(ErrorCode::Unknown, QStringLiteral("zlib could not start"));
    QByteArray out;
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(body.constData()));
    zs.avail_in = uInt(body.size());
    auto corrupt = [&](const QString &why) {
        inflateEnd(&zs);
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the gzip body cannot be decompressed: %1").arg(why));
    };
    if (body.isEmpty())
        return corrupt(QStringLiteral("it is empty"));
    constexpr qsizetype chunk = 256 * 1024;
    for (;;) {
        const qsizetype before = out.size();
        out.resize(before + chunk);
        zs.next_out = reinterpret_cast<Bytef *>(out.data() + before);
        zs.avail_out = uInt(chunk);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        out.resize(out.size() - qsizetype(zs.avail_out));
        if (out.size() > maxBytes) {
            inflateEnd(&zs);
            return fail(ErrorCode::QuotaExceeded,
                        QStringLiteral("the decompressed body exceeds the limit of %1 bytes")
                            .arg(maxBytes));
        }
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0)
                break;
            // Another gzip member may follow (concatenated streams are valid gzip).
            if (zs.avail_in < 2 || zs.next_in[0] != 0x1f || zs.next_in[1] != 0x8b)
                return corrupt(QStringLiteral("unexpected bytes after the gzip stream"));
            inflateReset(&zs);
            continue;
        }
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0)
            return corrupt(QStringLiteral("the stream is truncated"));
        return corrupt(zs.msg ? QString::fromLatin1(zs.msg)
                              : QStringLiteral("zlib error %1").arg(rc));
    }
    inflateEnd(&zs);
    return out;
}

QByteArray gzip(const QByteArray &data)
{
    z_stream zs;
    std::memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY)
        != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&zs, uLong(data.size()))) + 32, Qt::Uninitialized);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? out : QByteArray();
}

QByteArray otlpExportResponse(OtlpEncoding encoding, qint64 rejectedSpans,
                              const QString &errorMessage)
{
    if (encoding == OtlpEncoding::Protobuf) {
        otlp::ExportTraceServiceResponse response;
        if (rejectedSpans > 0 || !errorMessage.isEmpty()) {
            response.mutable_partial_success()->set_rejected_spans(rejectedSpans);
            response.mutable_partial_success()->set_error_message(errorMessage.toStdString());
        }
        return QByteArray::fromStdString(response.SerializeAsString());
    }
    json response = json::object();
    if (rejectedSpans > 0 || !errorMessage.isEmpty())
        // int64 as a decimal string, as the OTLP/JSON mapping writes it
        response["partialSuccess"] = json {{"rejectedSpans", std::to_string(rejectedSpans)},
                                           {"errorMessage", errorMessage.toStdString()}};
    return QByteArray::fromStdString(response.dump(-1, ' ', false, json::error_handler_t::replace));
}

QByteArray otlpErrorStatus(OtlpEncoding encoding, int code, const QString &message)
{
    if (encoding == OtlpEncoding::Protobuf) {
        otlp::RpcStatus status;
        status.set_code(code);
        status.set_message(message.toStdString());
        return QByteArray::fromStdString(status.SerializeAsString());
    }
    const json status {{"code", code}, {"message", message.toStdString()}};
    return QByteArray::fromStdString(status.dump(-1, ' ', false, json::error_handler_t::replace));
}

QByteArray otlpContentType(OtlpEncoding encoding)
{
    return encoding == OtlpEncoding::Json ? QByteArrayLiteral("application/json")
                                          : QByteArrayLiteral("application/x-protobuf");
}

} // namespace ts
