#include "logs/formats/promptfooformat.h"

#include "logs/formats/openaichat.h"
#include "logs/formats/vendorreaders.h"
#include "logs/inputfile.h"
#include "logs/logsink.h"

namespace ts {

namespace {

using namespace vendor;

// promptfoo's ResultFailureReason: 0 none, 1 assertion failed, 2 the call failed.
constexpr qint64 kFailureError = 2;

void applyPrompt(const json &prompt, LogRecord &record)
{
    const json *raw = prompt.is_object() ? member(prompt, "raw") : &prompt;
    if (!raw)
        return;
    // A chat prompt's raw text is its JSON message list.
    const json parsed = unwrapJsonText(*raw);
    if (parsed.is_array()) {
        record.messages = messages(parsed);
        if (!record.messages.isEmpty())
            return;
    }
    if (std::optional<LogMessage> m = raw->is_string() ? message(*raw) : std::nullopt) {
        if (m->content)
            record.messages.append(*m);
    }
}

void applyOutput(const json &output, LogRecord &record)
{
    if (output.is_string()) {
        record.output = text(&output);
        return;
    }
    // With tools, an OpenAI provider answers the tool calls themselves, or {content, tool_calls}.
    if (output.is_array() && !output.empty() && output.front().is_object()
        && member(output.front(), "function")) {
        record.outputToolCalls = toolCalls(&output);
        return;
    }
    if (output.is_object() && member(output, "tool_calls")) {
        if (const json *content = member(output, "content"))
            record.output = contentText(*content);
        record.outputToolCalls = toolCalls(member(output, "tool_calls"));
        return;
    }
    if (!output.is_null())
        record.output = QString::fromStdString(dumpJson(output));
}

void applyTokens(const json &usage, LogRecord &record)
{
    if (!usage.is_object())
        return;
    record.inputTokens = integer(usage, "prompt");
    record.outputTokens = integer(usage, "completion");
}

void readResult(json &&result, qint64 index, const std::map<std::string, json> &scalars,
                const std::string &prefix, InputFile &file, LogSink &sink)
{
    if (!result.is_object()) {
        sink.malformed(index, QStringLiteral("a result that is not a JSON object"));
        return;
    }
    const json *response = member(result, "response");
    if (!member(result, "prompt") && !response) {
        sink.malformed(index, QStringLiteral("not a promptfoo result (no prompt or response)"));
        return;
    }
    LogRecord record;
    record.sourceFormat = QStringLiteral("promptfoo");
    record.sourceFile = file.path();

    if (const auto it = scalars.find(prefix + "timestamp"); it != scalars.end())
        record.startMs = timeMs(&it->second);
    const auto evalId = scalars.find("evalId");
    const std::optional<QString> resultId = text(result, "id");
    if (evalId != scalars.end() && resultId) {
        record.traceId = text(&evalId->second);
        if (record.traceId)
            record.spanId = resultId;
    }

    if (const json *prompt = member(result, "prompt")) {
        applyPrompt(*prompt, record);
        if (prompt->is_object()) {
            putMeta(record.metadata, "prompt_label", prompt->value("label", json()));
            if (!record.metadata.contains("prompt_label"))
                putMeta(record.metadata, "prompt_label", prompt->value("display", json()));
        }
    }
    if (const json *provider = member(result, "provider")) {
        const std::optional<QString> id
            = provider->is_object() ? text(*provider, "id") : text(provider);
        if (id) {
            const auto [providerName, model] = splitProviderId(*id);
            record.provider = providerName;
            record.model = model;
            record.metadata["provider_id"] = id->toStdString();
        }
        if (provider->is_object())
            putMeta(record.metadata, "provider_label", provider->value("label", json()));
    }

    std::optional<QString> callError;
    if (response && response->is_object()) {
        if (const json *output = member(*response, "output"))
            applyOutput(*output, record);
        if (const json *usage = member(*response, "tokenUsage"))
            applyTokens(*usage, record);
        record.cost = number(*response, "cost");
        record.finishReason = text(*response, "finishReason");
        callError = text(*response, "error");
        putMeta(record.metadata, "cached", response->value("cached", json()));
    }
    if (!record.inputTokens && !record.outputTokens)
        if (const json *usage = member(result, "tokenUsage"))
            applyTokens(*usage, record);
    if (!record.cost)
        record.cost = number(result, "cost");
    const std::optional<double> latency = number(result, "latencyMs");
    if (latency && *latency > 0)
        record.latencyMs = latency;

    // result.error also holds the reason an assertion failed; only a failed call is an error.
    const std::optional<QString> resultError = text(result, "error");
    const std::optional<qint64> failureReason = integer(result, "failureReason");
    if (failureReason == kFailureError)
        callError = callError ? callError : resultError;
    else if (!failureReason && !callError && resultError && !record.output
             && record.outputToolCalls.isEmpty())
        callError = resultError;
    if (callError) {
        record.ok = false;
        record.error = callError;
        // Nothing was spent on a call that failed, whatever the counters say.
        if (record.inputTokens.value_or(0) == 0 && record.outputTokens.value_or(0) == 0) {
            record.inputTokens.reset();
            record.outputTokens.reset();
        }
        if (record.cost == 0.0)
            record.cost.reset();
    } else if (resultError) {
        record.metadata["assertion_error"] = resultError->toStdString();
    }

    putMeta(record.metadata, "vars", result.value("vars", json()));
    putMeta(record.metadata, "success", result.value("success", json()));
    putMeta(record.metadata, "score", result.value("score", json()));
    if (const json *grading = member(result, "gradingResult"))
        putMeta(record.metadata, "grading_reason", grading->value("reason", json()));
    if (const json *testCase = member(result, "testCase"))
        putMeta(record.metadata, "test_description", testCase->value("description", json()));
    putMeta(record.metadata, "prompt_idx", result.value("promptIdx", json()));
    putMeta(record.metadata, "test_idx", result.value("testIdx", json()));
    if (evalId != scalars.end())
        putMeta(record.metadata, "eval_id", evalId->second);
    if (const json *metadata = member(result, "metadata"))
        mergeMeta(record.metadata, *metadata);
    sink.record(std::move(record));
}

// The output file wraps the summary ({"evalId", "results": {"version", "results": [...]}}); a
// bare summary has the results array at the top.
bool isWrapped(const HeadInfo &info)
{
    return info.has("results.results") || info.has("results.version");
}

bool detect(const QByteArray &head)
{
    const HeadInfo info = inspectHead(head);
    if (info.first != '{')
        return false;
    if (isWrapped(info))
        return info.has("evalId") || info.has("results.timestamp")
            || info.has("results.results[].prompt") || info.has("results.results[].response");
    return info.has("version") && info.has("timestamp")
        && (info.has("results[].prompt") || info.has("results[].response"));
}

Result<void> read(InputFile &file, LogSink &sink, const LogJoinData &)
{
    const bool wrapped = isWrapped(inspectHead(file.head()));
    const std::string prefix = wrapped ? "results." : "";
    std::map<std::string, json> scalars;
    // Versions 2 and 3 share the fields read here; the version is not needed.
    return readDocumentArray(file, sink, prefix + "results", &scalars,
                             [&](json &&result, qint64 index) {
                                 readResult(std::move(result), index, scalars, prefix, file, sink);
                             });
}

} // namespace

LogFormat promptfooLogFormat()
{
    LogFormat format;
    format.name = QStringLiteral("promptfoo");
    format.description = QStringLiteral("promptfoo eval output (results.json, version 2 or 3)");
    format.detect = detect;
    format.read = read;
    return format;
}

} // namespace ts
