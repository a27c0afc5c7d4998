#include "logs/formats/langfuseformats.h"

#include "logs/formats/openaichat.h"
#include "logs/formats/vendorreaders.h"
#include "logs/inputfile.h"
#include "logs/logsink.h"

#include <set>

namespace ts {

namespace {

using namespace vendor;

// One Langfuse field under its camelCase (UI export) or snake_case (blob export) name.
struct Field
{
    const char *camel;
    const char *snake;
};

const json *field(const json &row, Field f)
{
    if (const json *v = member(row, f.camel))
        return v;
    return member(row, f.snake);
}

// Object-valued cells are JSON text in CSV (and some are in the blob export's JSON too).
json fieldValue(const json &row, Field f)
{
    const json *v = field(row, f);
    return v ? unwrapJsonText(*v) : json();
}

const Field kId {"id", "id"};
const Field kTraceId {"traceId", "trace_id"};
const Field kType {"type", "type"};
const Field kParent {"parentObservationId", "parent_observation_id"};
const Field kName {"name", "name"};
const Field kStart {"startTime", "start_time"};
const Field kEnd {"endTime", "end_time"};
const Field kCompletionStart {"completionStartTime", "completion_start_time"};
const Field kModel {"model", "provided_model_name"};
const Field kModelParameters {"modelParameters", "model_parameters"};
const Field kInput {"input", "input"};
const Field kOutput {"output", "output"};
const Field kMetadata {"metadata", "metadata"};
const Field kLevel {"level", "level"};
const Field kStatusMessage {"statusMessage", "status_message"};
const Field kPromptName {"promptName", "prompt_name"};
const Field kPromptVersion {"promptVersion", "prompt_version"};
const Field kUsageDetails {"usageDetails", "usage_details"};
const Field kCostDetails {"costDetails", "cost_details"};
const Field kTotalCost {"totalCost", "total_cost"};
const Field kSessionId {"sessionId", "session_id"};
const Field kToolCalls {"toolCalls", "tool_calls"};

// Fields read into the record's own columns, or not worth keeping (recomputed, internal ids,
// prices of the model definition at export time).
const std::set<std::string> &consumedKeys()
{
    static const std::set<std::string> keys = {"id",
                                               "traceId",
                                               "trace_id",
                                               "type",
                                               "parentObservationId",
                                               "parent_observation_id",
                                               "startTime",
                                               "start_time",
                                               "endTime",
                                               "end_time",
                                               "completionStartTime",
                                               "completion_start_time",
                                               "model",
                                               "provided_model_name",
                                               "modelParameters",
                                               "model_parameters",
                                               "input",
                                               "output",
                                               "metadata",
                                               "statusMessage",
                                               "status_message",
                                               "promptName",
                                               "prompt_name",
                                               "promptVersion",
                                               "prompt_version",
                                               "usageDetails",
                                               "usage_details",
                                               "costDetails",
                                               "cost_details",
                                               "totalCost",
                                               "total_cost",
                                               "sessionId",
                                               "session_id",
                                               "toolCalls",
                                               "tool_calls",
                                               "projectId",
                                               "project_id",
                                               "createdAt",
                                               "created_at",
                                               "updatedAt",
                                               "updated_at",
                                               "latency",
                                               "timeToFirstToken",
                                               "time_to_first_token",
                                               "internalModelId",
                                               "model_id",
                                               "modelId",
                                               "inputPrice",
                                               "outputPrice",
                                               "totalPrice",
                                               "input_price",
                                               "output_price",
                                               "total_price",
                                               "inputUsage",
                                               "outputUsage",
                                               "totalUsage",
                                               "inputCost",
                                               "outputCost",
                                               "promptTokens",
                                               "completionTokens",
                                               "totalTokens",
                                               "unit",
                                               "calculatedInputCost",
                                               "calculatedOutputCost",
                                               "calculatedTotalCost",
                                               "providedUsageDetails",
                                               "providedCostDetails",
                                               "usagePricingTierId",
                                               "usage_pricing_tier_id",
                                               "toolCallNames",
                                               "tool_call_names"};
    return keys;
}

void applyInput(const json &input, LogRecord &record)
{
    if (input.is_null())
        return;
    if (input.is_array()) {
        record.messages = messages(input);
    } else if (input.is_object()) {
        if (member(input, "messages") || member(input, "instructions")) {
            applyRequest(input, record);
        } else if (std::optional<LogMessage> m = message(input)) {
            record.messages.append(*m);
        } else {
            LogMessage asText;
            asText.role = QStringLiteral("user");
            asText.content = QString::fromStdString(dumpJson(input));
            record.messages.append(asText);
        }
    } else {
        LogMessage m;
        m.role = QStringLiteral("user");
        m.content = text(&input);
        if (m.content)
            record.messages.append(m);
    }
}

void applyOutput(const json &output, LogRecord &record)
{
    if (output.is_null())
        return;
    if (output.is_object() && (member(output, "choices") || member(output, "output"))) {
        const std::optional<QString> model = record.model;
        applyResponse(output, record);
        if (model) // Langfuse's own model field is what the user chose to record
            record.model = model;
        return;
    }
    const json *candidate = &output;
    if (output.is_array()) {
        // A list of messages: the last assistant one is the answer.
        candidate = nullptr;
        for (const json &item : output)
            if (std::optional<LogMessage> m = message(item);
                m && m->role == QLatin1String("assistant"))
                candidate = &item;
    }
    if (candidate && candidate->is_object()) {
        if (std::optional<LogMessage> m = message(*candidate)) {
            record.output = m->content;
            record.outputToolCalls = m->toolCalls;
            record.reasoning = text(*candidate, "reasoning_content");
            return;
        }
    }
    if (output.is_string())
        record.output = text(&output);
    else
        record.output = QString::fromStdString(dumpJson(output));
}

std::optional<double> costOf(const json &row)
{
    const json costs = fieldValue(row, kCostDetails);
    if (costs.is_object() && !costs.empty()) {
        if (const std::optional<double> total = number(costs, "total"))
            return total;
        double sum = 0;
        bool any = false;
        for (const char *key : {"input", "output"})
            if (const std::optional<double> part = number(costs, key)) {
                sum += *part;
                any = true;
            }
        if (any)
            return sum;
    }
    // Langfuse writes 0 when it has no price for the model: that is unknown, not free.
    const std::optional<double> total = number(field(row, kTotalCost));
    if (total && *total > 0)
        return total;
    return std::nullopt;
}

void readObservation(json &&row, qint64 line, const QString &format, InputFile &file, LogSink &sink)
{
    const std::optional<QString> type = text(field(row, kType));
    if (!type) {
        sink.malformed(line, QStringLiteral("not a Langfuse observation (no \"type\")"));
        return;
    }
    const std::optional<QString> id = text(field(row, kId));
    const std::optional<QString> traceId = text(field(row, kTraceId));
    std::optional<qint64> start = timeMs(field(row, kStart));
    std::optional<qint64> end = timeMs(field(row, kEnd));
    if (field(row, kStart) && !start) {
        sink.malformed(line,
                       QStringLiteral("start time \"%1\" is not a time")
                           .arg(text(field(row, kStart)).value_or(QString())));
        return;
    }
    const bool error = text(field(row, kLevel)) == QLatin1String("ERROR");

    if (type->compare(QLatin1String("GENERATION"), Qt::CaseInsensitive) != 0) {
        TraceSpan span;
        span.traceId = traceId.value_or(QString());
        span.spanId = id.value_or(QString());
        span.parentSpanId = text(field(row, kParent));
        span.name = text(field(row, kName)).value_or(*type);
        span.startMs = start;
        span.endMs = end;
        if (error)
            span.status = QStringLiteral("error");
        sink.otherSpan(std::move(span));
        return;
    }

    LogRecord record;
    record.sourceFormat = format;
    record.sourceFile = file.path();
    record.traceId = traceId;
    record.spanId = id;
    record.parentSpanId = text(field(row, kParent));
    record.sessionId = text(field(row, kSessionId));
    record.startMs = start;
    record.endMs = end;
    if (start && end)
        record.latencyMs = double(*end - *start);
    if (const std::optional<qint64> first = timeMs(field(row, kCompletionStart)); first && start)
        record.ttftMs = double(*first - *start);
    record.model = text(field(row, kModel));
    record.promptName = text(field(row, kPromptName));
    record.promptVersion = text(field(row, kPromptVersion));

    applyInput(fieldValue(row, kInput), record);
    applyOutput(fieldValue(row, kOutput), record);
    if (record.outputToolCalls.isEmpty()) {
        // The blob export lists the response's tool calls as JSON text, one per element.
        const json calls = fieldValue(row, kToolCalls);
        if (calls.is_array())
            for (const json &call : calls)
                if (const json parsed = unwrapJsonText(call); parsed.is_object())
                    record.outputToolCalls.append(toolCall(parsed));
    }

    const json usage = fieldValue(row, kUsageDetails);
    applyUsage(usage, record);
    if (!usage.is_object() || usage.empty()) {
        // Older UI exports: promptTokens/completionTokens, 0 when unknown.
        const std::optional<qint64> in = integer(row, "promptTokens");
        const std::optional<qint64> out = integer(row, "completionTokens");
        if ((in && *in > 0) || (out && *out > 0)) {
            record.inputTokens = in;
            record.outputTokens = out;
        }
    }
    record.cost = costOf(row);

    const std::optional<QString> statusMessage = text(field(row, kStatusMessage));
    if (error) {
        record.ok = false;
        record.error = statusMessage.value_or(QStringLiteral("level ERROR"));
    } else {
        putMeta(record.metadata, "status_message",
                statusMessage ? json(statusMessage->toStdString()) : json());
    }

    for (auto it = row.begin(); it != row.end(); ++it) {
        if (consumedKeys().count(it.key()))
            continue;
        if (it.key() == "level" && it.value() == "DEFAULT")
            continue;
        putMeta(record.metadata, it.key(), unwrapJsonText(it.value()));
    }
    putMeta(record.metadata, "parameters", fieldValue(row, kModelParameters));
    if (const std::optional<QString> promptId = text(row, "promptId"))
        record.metadata["prompt_id"] = promptId->toStdString();
    else if (const std::optional<QString> snakePromptId = text(row, "prompt_id"))
        record.metadata["prompt_id"] = snakePromptId->toStdString();
    mergeMeta(record.metadata, fieldValue(row, kMetadata));
    sink.record(std::move(record));
}

// The UI's "Download JSON" of one trace: {"id", ..., "observations": [...], "scores": [...]}.
bool isTraceDownload(const HeadInfo &info)
{
    return info.first == '{' && info.has("observations[].type")
        && (info.has("observations[].startTime") || info.has("observations[].traceId"));
}

Result<void> readLangfuse(InputFile &file, LogSink &sink, const QString &format)
{
    const ObjectHandler handle = [&](json &&row, qint64 line) {
        readObservation(std::move(row), line, format, file, sink);
    };
    const HeadInfo info = inspectHead(file.head());
    if (isTraceDownload(info))
        return readDocumentArray(file, sink, "observations", nullptr, handle);
    if (info.first == '{' || info.first == '[')
        return readObjects(file, sink, handle);
    return readCsvObjects(file, sink, handle);
}

bool hasAll(const HeadInfo &info, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const bool present = info.first == '{' || info.first == '['
            ? info.has(key)
            : info.csvHeader.contains(QLatin1String(key));
        if (!present)
            return false;
    }
    return true;
}

bool hasAny(const HeadInfo &info, std::initializer_list<const char *> keys)
{
    for (const char *key : keys)
        if (hasAll(info, {key}))
            return true;
    return false;
}

bool detectUi(const QByteArray &head)
{
    const HeadInfo info = inspectHead(head);
    return hasAll(info, {"id", "traceId", "type", "startTime"}) || isTraceDownload(info);
}

bool detectBlob(const QByteArray &head)
{
    const HeadInfo info = inspectHead(head);
    return hasAll(info, {"id", "trace_id", "type", "start_time"})
        && hasAny(info,
                  {"parent_observation_id", "provided_model_name", "project_id", "usage_details"});
}

Result<void> readUi(InputFile &file, LogSink &sink, const LogJoinData &)
{
    return readLangfuse(file, sink, QStringLiteral("langfuse"));
}

Result<void> readBlob(InputFile &file, LogSink &sink, const LogJoinData &)
{
    return readLangfuse(file, sink, QStringLiteral("langfuse-blob"));
}

} // namespace

QList<LogFormat> langfuseLogFormats()
{
    LogFormat ui;
    ui.name = QStringLiteral("langfuse");
    ui.description = QStringLiteral("Langfuse UI export of observations (JSON, JSON Lines, CSV)");
    ui.detect = detectUi;
    ui.read = readUi;

    LogFormat blob;
    blob.name = QStringLiteral("langfuse-blob");
    blob.description = QStringLiteral("Langfuse blob-storage export, observations_v2 (JSON Lines, "
                                      "JSON, CSV)");
    blob.detect = detectBlob;
    blob.read = readBlob;
    return {ui, blob};
}

} // namespace ts
