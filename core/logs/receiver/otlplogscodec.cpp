#include "logs/receiver/otlplogscodec.h"

#include "logs/receiver/otlplogs.pb.h"
#include "logs/receiver/otlpprotojson.h"

#include <google/protobuf/arena.h>

#include <string_view>

namespace ts {

namespace {

using nlohmann::json;
using namespace otlpwire;

constexpr int maxProblems = 20; ///< reasons kept per request; the count stays exact

void reject(OtlpLogsRequest &request, const QString &reason)
{
    ++request.rejected;
    if (request.problems.size() < maxProblems)
        request.problems.append(
            QStringLiteral("log record %1: %2").arg(request.logRecords).arg(reason));
}

/// Why an optional binary id is invalid, or nullptr. Ids are optional for logs, and all zeroes
/// means none (as the file reader takes it).
const char *optionalIdProblem(const std::string &bytes, size_t size)
{
    const char *problem = bytes.empty() ? nullptr : binaryIdProblem(bytes, size);
    return problem && std::string_view(problem) == "is all zeroes" ? nullptr : problem;
}

json logRecordJson(const otlp::LogRecord &r)
{
    json out = json::object();
    if (r.time_unix_nano())
        out["timeUnixNano"] = std::to_string(r.time_unix_nano());
    if (r.observed_time_unix_nano())
        out["observedTimeUnixNano"] = std::to_string(r.observed_time_unix_nano());
    if (r.severity_number())
        out["severityNumber"] = r.severity_number();
    if (!r.severity_text().empty())
        out["severityText"] = r.severity_text();
    if (r.has_body())
        out["body"] = anyValueJson(r.body());
    out["attributes"] = keyValuesJson(r.attributes());
    putCount(out, "droppedAttributesCount", r.dropped_attributes_count());
    if (r.flags())
        out["flags"] = r.flags();
    if (!r.trace_id().empty())
        out["traceId"] = hex(r.trace_id());
    if (!r.span_id().empty())
        out["spanId"] = hex(r.span_id());
    if (!r.event_name().empty())
        out["eventName"] = r.event_name();
    return out;
}

Result<OtlpLogsRequest> decodeProtobuf(const QByteArray &body)
{
    google::protobuf::Arena arena;
    auto *request = google::protobuf::Arena::CreateMessage<otlp::ExportLogsServiceRequest>(&arena);
    if (!request->ParseFromArray(body.constData(), int(body.size())))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the body is not a protobuf ExportLogsServiceRequest"));
    OtlpLogsRequest out;
    json resourceLogs = json::array();
    for (const otlp::ResourceLogs &rl : request->resource_logs()) {
        json scopeLogs = json::array();
        for (const otlp::ScopeLogs &sl : rl.scope_logs()) {
            json records = json::array();
            for (const otlp::LogRecord &r : sl.log_records()) {
                ++out.logRecords;
                if (const char *p = optionalIdProblem(r.trace_id(), 16)) {
                    reject(out,
                           QStringLiteral("traceId %1 (it must be empty or 16 bytes)")
                               .arg(QLatin1String(p)));
                    continue;
                }
                if (const char *p = optionalIdProblem(r.span_id(), 8)) {
                    reject(out,
                           QStringLiteral("spanId %1 (it must be empty or 8 bytes)")
                               .arg(QLatin1String(p)));
                    continue;
                }
                records.push_back(logRecordJson(r));
            }
            json entry {{"scope", scopeJson(sl.scope())}, {"logRecords", std::move(records)}};
            if (!sl.schema_url().empty())
                entry["schemaUrl"] = sl.schema_url();
            scopeLogs.push_back(std::move(entry));
        }
        json entry {{"resource", resourceJson(rl.resource())}, {"scopeLogs", std::move(scopeLogs)}};
        if (!rl.schema_url().empty())
            entry["schemaUrl"] = rl.schema_url();
        resourceLogs.push_back(std::move(entry));
    }
    out.logsData = json {{"resourceLogs", std::move(resourceLogs)}};
    return out;
}

/// The same for an id in JSON: missing, "" and all zeroes are no id.
const char *optionalJsonIdProblem(json *value, size_t bytes)
{
    if (!value || value->is_null()
        || (value->is_string() && value->get_ref<std::string &>().empty()))
        return nullptr;
    const char *problem = jsonIdProblem(value, bytes);
    return problem && std::string_view(problem) == "is all zeroes" ? nullptr : problem;
}

Result<OtlpLogsRequest> decodeJson(const QByteArray &body)
{
    json doc = json::parse(body.constData(), body.constData() + body.size(), nullptr, false);
    if (doc.is_discarded())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("the body is not valid JSON"));
    if (!doc.is_object())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the body is not an ExportLogsServiceRequest (a JSON object "
                                   "with \"resourceLogs\")"));
    auto notOtlp = [](const QString &where, const char *what) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the body is not an ExportLogsServiceRequest: %1 is not %2")
                        .arg(where, QLatin1String(what)));
    };
    OtlpLogsRequest out;
    json *resourceLogs = member(doc, "resourceLogs", "resource_logs");
    if (resourceLogs && !resourceLogs->is_null()) {
        if (!resourceLogs->is_array())
            return notOtlp(QStringLiteral("resourceLogs"), "an array");
        for (size_t i = 0; i < resourceLogs->size(); ++i) {
            json &rl = (*resourceLogs)[i];
            const QString rlPath = QStringLiteral("resourceLogs[%1]").arg(i);
            if (!rl.is_object())
                return notOtlp(rlPath, "an object");
            json *scopeLogs = member(rl, "scopeLogs", "scope_logs");
            if (!scopeLogs || scopeLogs->is_null())
                continue;
            if (!scopeLogs->is_array())
                return notOtlp(rlPath + QStringLiteral(".scopeLogs"), "an array");
            for (size_t j = 0; j < scopeLogs->size(); ++j) {
                json &sl = (*scopeLogs)[j];
                const QString slPath = rlPath + QStringLiteral(".scopeLogs[%1]").arg(j);
                if (!sl.is_object())
                    return notOtlp(slPath, "an object");
                json *records = member(sl, "logRecords", "log_records");
                if (!records || records->is_null())
                    continue;
                if (!records->is_array())
                    return notOtlp(slPath + QStringLiteral(".logRecords"), "an array");
                json kept = json::array();
                for (json &record : *records) {
                    ++out.logRecords;
                    if (!record.is_object()) {
                        reject(out, QStringLiteral("not a JSON object"));
                        continue;
                    }
                    if (const char *p
                        = optionalJsonIdProblem(member(record, "traceId", "trace_id"), 16)) {
                        reject(out,
                               QStringLiteral("traceId %1 (it must be empty or 32 hex "
                                              "digits)")
                                   .arg(QLatin1String(p)));
                        continue;
                    }
                    if (const char *p
                        = optionalJsonIdProblem(member(record, "spanId", "span_id"), 8)) {
                        reject(out,
                               QStringLiteral("spanId %1 (it must be empty or 16 hex "
                                              "digits)")
                                   .arg(QLatin1String(p)));
                        continue;
                    }
                    kept.push_back(std::move(record));
                }
                *records = std::move(kept);
            }
        }
    }
    out.logsData = std::move(doc);
    return out;
}

} // namespace

Result<OtlpLogsRequest> decodeOtlpLogsRequest(const QByteArray &body, OtlpEncoding encoding)
{
    return encoding == OtlpEncoding::Json ? decodeJson(body) : decodeProtobuf(body);
}

QByteArray otlpLogsExportResponse(OtlpEncoding encoding, qint64 rejectedLogRecords,
                                  const QString &errorMessage)
{
    if (encoding == OtlpEncoding::Protobuf) {
        otlp::ExportLogsServiceResponse response;
        if (rejectedLogRecords > 0 || !errorMessage.isEmpty()) {
            response.mutable_partial_success()->set_rejected_log_records(rejectedLogRecords);
            response.mutable_partial_success()->set_error_message(errorMessage.toStdString());
        }
        return QByteArray::fromStdString(response.SerializeAsString());
    }
    json response = json::object();
    if (rejectedLogRecords > 0 || !errorMessage.isEmpty())
        response["partialSuccess"]
            = json {{"rejectedLogRecords", std::to_string(rejectedLogRecords)},
                    {"errorMessage", errorMessage.toStdString()}};
    return QByteArray::fromStdString(response.dump(-1, ' ', false, json::error_handler_t::replace));
}

} // namespace ts
