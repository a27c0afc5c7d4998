#include "logs/formats/langsmithformat.h"

#include "logs/formats/openaichat.h"
#include "logs/formats/vendorreaders.h"
#include "logs/inputfile.h"
#include "logs/logsink.h"

namespace ts {

namespace {

using namespace vendor;

// The fields of a LangChain message: serialized ({"lc": 1, "kwargs": {...}}), to_dict
// ({"type", "data": {...}}) or plain.
const json &messageFields(const json &m)
{
    if (const json *kwargs = member(m, "kwargs"); kwargs && kwargs->is_object())
        return *kwargs;
    if (const json *data = member(m, "data"); data && data->is_object())
        return *data;
    return m;
}

void applyGenerations(const json &outputs, LogRecord &record)
{
    const json *generations = member(outputs, "generations");
    if (!generations || !generations->is_array() || generations->empty())
        return;
    // One list of generations per prompt: [[...]]; the first answer of the first prompt.
    const json *first = &generations->front();
    if (first->is_array()) {
        if (first->empty())
            return;
        first = &first->front();
    }
    if (!first->is_object())
        return;
    const json &generation = *first;
    if (const json *msg = member(generation, "message")) {
        if (std::optional<LogMessage> m = message(*msg)) {
            record.output = m->content;
            record.outputToolCalls = m->toolCalls;
        }
        const json &fields = messageFields(*msg);
        if (const json *usage = member(fields, "usage_metadata"))
            applyUsage(*usage, record);
        if (const json *meta = member(fields, "response_metadata")) {
            if (!record.finishReason)
                record.finishReason = text(*meta, "finish_reason");
            if (!record.finishReason)
                record.finishReason = text(*meta, "stop_reason");
            if (const std::optional<QString> model = text(*meta, "model_name"))
                record.model = model;
            else if (const std::optional<QString> model2 = text(*meta, "model"))
                record.model = model2;
        }
    }
    if (!record.output)
        record.output = text(generation, "text");
    if (const json *info = member(generation, "generation_info")) {
        if (const std::optional<QString> finish = text(*info, "finish_reason"))
            record.finishReason = finish;
        if (!record.model)
            record.model = text(*info, "model_name");
    }
    if (const json *llmOutput = member(outputs, "llm_output")) {
        if (!record.inputTokens && !record.outputTokens) {
            if (const json *usage = member(*llmOutput, "token_usage"))
                applyUsage(*usage, record);
            else if (const json *usage2 = member(*llmOutput, "usage"))
                applyUsage(*usage2, record);
        }
        if (!record.model)
            record.model = text(*llmOutput, "model_name");
    }
}

void applyOutputs(const json &outputs, LogRecord &record)
{
    if (!outputs.is_object())
        return;
    if (member(outputs, "choices") || (member(outputs, "output") && member(outputs, "object")))
        applyResponse(outputs, record);
    else if (member(outputs, "generations"))
        applyGenerations(outputs, record);
    else if (std::optional<LogMessage> m = message(outputs)) {
        record.output = m->content;
        record.outputToolCalls = m->toolCalls;
    } else if (const json *output = member(outputs, "output")) {
        if (std::optional<LogMessage> om = output->is_object() ? message(*output) : std::nullopt) {
            record.output = om->content;
            record.outputToolCalls = om->toolCalls;
        } else {
            record.output = output->is_string()
                ? text(output)
                : std::optional(QString::fromStdString(dumpJson(*output)));
        }
    }
    if (const json *usage = member(outputs, "usage_metadata"))
        applyUsage(*usage, record);
}

void applyInputs(json inputs, LogRecord &record)
{
    if (!inputs.is_object())
        return;
    // LangChain chat models log one list of messages per prompt: [[...]].
    if (json *list = inputs.contains("messages") ? &inputs["messages"] : nullptr;
        list && list->is_array() && !list->empty() && list->front().is_array()) {
        json first = std::move(list->front());
        *list = std::move(first);
    }
    // LangChain LLMs (not chat models) log their prompts as strings.
    if (const json *prompts = member(inputs, "prompts");
        prompts && prompts->is_array() && !member(inputs, "messages")) {
        for (const json &prompt : *prompts)
            if (std::optional<LogMessage> m = message(prompt))
                record.messages.append(*m);
        inputs.erase("prompts");
    }
    applyRequest(inputs, record);
    if (record.messages.isEmpty())
        if (const json *input = member(inputs, "input"); input && input->is_string())
            record.messages.append(*message(*input));
}

void readRun(json &&run, qint64 line, InputFile &file, LogSink &sink)
{
    const std::optional<QString> runType = text(run, "run_type");
    if (!runType) {
        sink.malformed(line, QStringLiteral("not a LangSmith run (no run_type)"));
        return;
    }
    const std::optional<QString> id = text(run, "id");
    const std::optional<QString> traceId = text(run, "trace_id");
    const std::optional<qint64> start = timeMs(member(run, "start_time"));
    const std::optional<qint64> end = timeMs(member(run, "end_time"));
    if (member(run, "start_time") && !start) {
        sink.malformed(line, QStringLiteral("start_time is not a time"));
        return;
    }
    const std::optional<QString> error = text(run, "error");
    const bool failed = error || text(run, "status") == QLatin1String("error");

    if (*runType != QLatin1String("llm")) {
        TraceSpan span;
        span.traceId = traceId.value_or(id.value_or(QString()));
        span.spanId = id.value_or(QString());
        span.parentSpanId = text(run, "parent_run_id");
        span.name = text(run, "name").value_or(*runType);
        span.startMs = start;
        span.endMs = end;
        if (failed)
            span.status = QStringLiteral("error");
        else if (text(run, "status") == QLatin1String("success") || end)
            span.status = QStringLiteral("ok");
        sink.otherSpan(std::move(span));
        return;
    }

    LogRecord record;
    record.sourceFormat = QStringLiteral("langsmith");
    record.sourceFile = file.path();
    record.traceId = traceId ? traceId : id;
    record.spanId = id;
    record.parentSpanId = text(run, "parent_run_id");
    record.startMs = start;
    record.endMs = end;
    if (start && end)
        record.latencyMs = double(*end - *start);

    const json *extra = member(run, "extra");
    const json *extraMetadata = extra ? member(*extra, "metadata") : nullptr;
    const json *invocation = extra ? member(*extra, "invocation_params") : nullptr;

    // The response model first, then what the run says it asked for.
    if (const json *outputs = member(run, "outputs"))
        applyOutputs(*outputs, record);
    if (!record.model && extraMetadata)
        record.model = text(*extraMetadata, "ls_model_name");
    if (!record.model && invocation) {
        record.model = text(*invocation, "model");
        if (!record.model)
            record.model = text(*invocation, "model_name");
    }
    if (const json *inputs = member(run, "inputs"))
        applyInputs(*inputs, record);
    if (extraMetadata) {
        record.provider = text(*extraMetadata, "ls_provider");
        if (!record.inputTokens && !record.outputTokens)
            if (const json *usage = member(*extraMetadata, "usage_metadata"))
                applyUsage(*usage, record);
    }
    if (!record.inputTokens && !record.outputTokens) {
        // Run-level counts are 0 when LangSmith knows none.
        const std::optional<qint64> in = integer(run, "prompt_tokens");
        const std::optional<qint64> out = integer(run, "completion_tokens");
        if ((in && *in > 0) || (out && *out > 0)) {
            record.inputTokens = in;
            record.outputTokens = out;
        }
    }
    record.cost = number(run, "total_cost");

    std::optional<qint64> firstToken = timeMs(member(run, "first_token_time"));
    if (!firstToken)
        if (const json *events = member(run, "events"); events && events->is_array())
            for (const json &event : *events)
                if (text(event, "name") == QLatin1String("new_token")) {
                    firstToken = timeMs(member(event, "time"));
                    break;
                }
    if (firstToken && start)
        record.ttftMs = double(*firstToken - *start);

    if (failed) {
        record.ok = false;
        record.error = error.value_or(QStringLiteral("status error"));
    }

    // A conversation thread when the application names one; else the run's session.
    if (extraMetadata)
        for (const char *key : {"thread_id", "session_id", "conversation_id"})
            if (const std::optional<QString> thread = text(*extraMetadata, key)) {
                record.sessionId = thread;
                break;
            }
    if (!record.sessionId)
        record.sessionId = text(run, "session_id");

    putMeta(record.metadata, "name", run.value("name", json()));
    putMeta(record.metadata, "tags", run.value("tags", json()));
    putMeta(record.metadata, "session_name", run.value("session_name", json()));
    putMeta(record.metadata, "reference_example_id", run.value("reference_example_id", json()));
    if (invocation)
        putMeta(record.metadata, "invocation_params", *invocation);
    if (extraMetadata)
        mergeMeta(record.metadata, *extraMetadata);
    sink.record(std::move(record));
}

bool detect(const QByteArray &head)
{
    const HeadInfo info = inspectHead(head);
    // Exports that sort keys put run_type after a possibly huge "inputs"; dotted_order is as
    // telling and comes first then.
    return (info.first == '{' || info.first == '[')
        && (info.has("run_type") || info.has("dotted_order"))
        && (info.has("trace_id") || info.has("id"))
        && (info.has("inputs") || info.has("start_time") || info.has("dotted_order"));
}

Result<void> read(InputFile &file, LogSink &sink, const LogJoinData &)
{
    return readObjects(file, sink,
                       [&](json &&run, qint64 line) { readRun(std::move(run), line, file, sink); });
}

} // namespace

LogFormat langSmithLogFormat()
{
    LogFormat format;
    format.name = QStringLiteral("langsmith");
    format.description = QStringLiteral("LangSmith runs (JSON Lines)");
    format.detect = detect;
    format.read = read;
    return format;
}

} // namespace ts
