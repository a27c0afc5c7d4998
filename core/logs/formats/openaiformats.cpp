#include "logs/formats/openaiformats.h"

#include "logs/formats/openaichat.h"
#include "logs/formats/vendorreaders.h"
#include "logs/inputfile.h"
#include "logs/logsink.h"

#include <algorithm>

namespace ts {

namespace {

using namespace vendor;

const QString kProvider = QStringLiteral("openai");

// A completion id names one call wherever it was logged (batch output, stored completions,
// request/response pairs), so it is both trace and span id: the same call imported from two
// sources is stored once.
void setCompletionIds(const json &body, LogRecord &record)
{
    if (const std::optional<QString> id = text(body, "id")) {
        record.traceId = id;
        record.spanId = id;
    }
}

void setCreated(const json &body, LogRecord &record)
{
    if (!record.startMs)
        record.startMs = timeMs(member(body, "created"));
    if (!record.startMs) // Responses API
        record.startMs = timeMs(member(body, "created_at"));
}

// ---- Batch input ---------------------------------------------------------------------------

bool detectBatchInput(const QByteArray &head)
{
    const HeadInfo info = inspectHead(head);
    return info.first == '{' && info.has("custom_id") && info.has("body")
        && (info.has("method") || info.has("url"));
}

Result<void> collectBatchInput(InputFile &file, LogSink &sink, LogJoinData &join)
{
    return readObjects(file, sink, [&](json &&line, qint64 number) {
        const std::optional<QString> customId = text(line, "custom_id");
        const json *body = member(line, "body");
        if (!customId) {
            sink.malformed(number, QStringLiteral("a Batch input line without custom_id"));
            return;
        }
        if (!body || !body->is_object()) {
            sink.malformed(number, QStringLiteral("a Batch input line without a request body"));
            return;
        }
        join.batchRequests.insert(*customId, compactRequestBody(std::move(line["body"])));
    });
}

// ---- Batch output --------------------------------------------------------------------------

bool detectBatchOutput(const QByteArray &head)
{
    const HeadInfo info = inspectHead(head);
    return info.first == '{' && info.has("custom_id") && !info.has("body")
        && (info.has("response") || info.has("error"));
}

bool isEmbeddingList(const json &body)
{
    const json *data = member(body, "data");
    return text(body, "object") == QLatin1String("list") && data && data->is_array()
        && !data->empty() && text(data->front(), "object") == QLatin1String("embedding");
}

Result<void> readBatchOutput(InputFile &file, LogSink &sink, const LogJoinData &join)
{
    return readObjects(file, sink, [&](json &&line, qint64 number) {
        const std::optional<QString> customId = text(line, "custom_id");
        const json *response = member(line, "response");
        const json *error = member(line, "error");
        if (!customId || (!response && !error)) {
            sink.malformed(number,
                           QStringLiteral("not a Batch output line (it needs custom_id "
                                          "and response or error)"));
            return;
        }
        const std::optional<QString> lineId = text(line, "id");
        const json *body = response ? member(*response, "body") : nullptr;
        if (body && isEmbeddingList(*body)) {
            TraceSpan span;
            span.traceId = lineId.value_or(*customId);
            span.spanId = *customId;
            span.name = QStringLiteral("embeddings");
            span.status = QStringLiteral("ok");
            sink.otherSpan(std::move(span));
            return;
        }

        LogRecord record;
        record.sourceFormat = QStringLiteral("openai-batch");
        record.provider = kProvider;
        record.sourceFile = file.path();
        record.metadata["custom_id"] = customId->toStdString();
        putMeta(record.metadata, "batch_request_id", line.value("id", json()));
        if (const auto it = join.batchRequests.constFind(*customId);
            it != join.batchRequests.cend())
            applyRequest(*it, record);
        if (response) {
            putMeta(record.metadata, "request_id", response->value("request_id", json()));
            const std::optional<qint64> status = integer(*response, "status_code");
            putMeta(record.metadata, "status_code", status ? json(*status) : json());
            if (body && (member(*body, "error") || (status && *status >= 400))) {
                record.ok = false;
                record.error = errorMessage(*body).value_or(
                    QStringLiteral("HTTP status %1").arg(status.value_or(0)));
            } else if (body) {
                applyResponse(*body, record);
                setCreated(*body, record);
                setCompletionIds(*body, record);
            }
        }
        if (error) {
            record.ok = false;
            record.error = errorMessage(*error);
            putMeta(record.metadata, "error_code", error->value("code", json()));
        }
        if (!record.traceId && lineId) {
            record.traceId = lineId;
            record.spanId = customId;
        }
        sink.record(std::move(record));
    });
}

// ---- Stored completions --------------------------------------------------------------------

bool detectStored(const QByteArray &head)
{
    const HeadInfo info = inspectHead(head);
    return info.first == '{' && info.text("object") == QLatin1String("list")
        && (info.text("data[].object") == QLatin1String("chat.completion")
            || info.has("data[].choices"));
}

// ---- Stored completion messages -----------------------------------------------------------

bool detectStoredMessages(const QByteArray &head)
{
    const HeadInfo info = inspectHead(head);
    return info.first == '{' && info.text("object") == QLatin1String("list")
        && info.has("data[].role") && !info.has("data[].choices");
}

// "chatcmpl-AyPN...-3" -> ("chatcmpl-AyPN...", 3): a stored message's id is its completion's
// id and its index in the conversation.
std::optional<std::pair<QString, qint64>> storedMessageKey(const QString &id)
{
    const qsizetype dash = id.lastIndexOf(QLatin1Char('-'));
    bool numeric = false;
    const qint64 index = dash > 0 ? id.mid(dash + 1).toLongLong(&numeric) : 0;
    if (!numeric)
        return std::nullopt;
    return std::pair {id.left(dash), index};
}

// One `GET /chat/completions/{id}/messages` response per file (as saved, pretty-printed or
// not), or several in JSON Lines, one per line.
Result<void> collectStoredMessages(InputFile &file, LogSink &sink, LogJoinData &join)
{
    auto take = [&](json &&message, qint64 where) {
        const std::optional<QString> id = text(message, "id");
        const auto key = id ? storedMessageKey(*id) : std::nullopt;
        if (!key) {
            sink.malformed(where,
                           QStringLiteral("a stored message whose id (\"%1\") names no "
                                          "completion (expected COMPLETION_ID-N)")
                               .arg(id.value_or(QString())));
            return;
        }
        join.storedMessages[key->first].append(std::pair {key->second, std::move(message)});
    };
    const QByteArray head = file.head();
    const qsizetype end = head.indexOf('\n');
    const QByteArray firstLine = (end < 0 ? QByteArray() : head.left(end)).trimmed();
    const bool jsonLines = !firstLine.isEmpty() && json::accept(firstLine.toStdString());
    if (!jsonLines)
        return readDocumentArray(file, sink, "data", nullptr, take);
    return readObjects(file, sink, [&](json &&list, qint64 line) {
        json *data = list.is_object() && list.contains("data") ? &list["data"] : nullptr;
        if (!data || !data->is_array()) {
            sink.malformed(line, QStringLiteral("not a list of stored messages (no \"data\")"));
            return;
        }
        for (json &message : *data)
            take(std::move(message), line);
    });
}

Result<void> readStored(InputFile &file, LogSink &sink, const LogJoinData &join)
{
    return readDocumentArray(file, sink, "data", nullptr, [&](json &&completion, qint64 index) {
        if (!completion.is_object() || !member(completion, "choices")) {
            sink.malformed(index, QStringLiteral("not a chat completion (no choices)"));
            return;
        }
        LogRecord record;
        record.sourceFormat = QStringLiteral("openai-stored");
        record.provider = kProvider;
        record.sourceFile = file.path();
        applyResponse(completion, record);
        setCreated(completion, record);
        setCompletionIds(completion, record);
        // Its input messages, when their list was imported with it, in conversation order.
        if (record.traceId && record.messages.isEmpty()) {
            if (auto found = join.storedMessages.constFind(*record.traceId);
                found != join.storedMessages.cend()) {
                QList<std::pair<qint64, json>> ordered = *found;
                std::stable_sort(ordered.begin(), ordered.end(),
                                 [](const auto &a, const auto &b) { return a.first < b.first; });
                json list = json::array();
                for (auto &[index, message] : ordered)
                    list.push_back(std::move(message));
                record.messages = messages(list);
            }
        }
        // The request's parameters are stored beside the completion.
        json parameters = json::object();
        for (const char *key : {"temperature", "top_p", "seed", "presence_penalty",
                                "frequency_penalty", "tools", "tool_choice", "response_format"})
            putMeta(parameters, key, completion.value(key, json()));
        putMeta(record.metadata, "parameters", parameters);
        putMeta(record.metadata, "request_id", completion.value("request_id", json()));
        putMeta(record.metadata, "input_user", completion.value("input_user", json()));
        if (const json *metadata = member(completion, "metadata"))
            mergeMeta(record.metadata, *metadata);
        sink.record(std::move(record));
    });
}

// ---- Request/response pairs ----------------------------------------------------------------

bool detectPairs(const QByteArray &head)
{
    const HeadInfo info = inspectHead(head);
    return (info.first == '{' || info.first == '[') && info.has("request")
        && (info.has("response") || info.has("error"))
        && (info.has("request.messages") || info.has("request.input") || info.has("request.model"));
}

Result<void> readPairs(InputFile &file, LogSink &sink, const LogJoinData &)
{
    return readObjects(file, sink, [&](json &&pair, qint64 line) {
        const json *request = member(pair, "request");
        const json *response = member(pair, "response");
        const json *error = member(pair, "error");
        if (!request || !request->is_object()) {
            sink.malformed(line, QStringLiteral("no \"request\" object"));
            return;
        }
        if (response && !response->is_object()) {
            sink.malformed(line, QStringLiteral("\"response\" is not an object"));
            return;
        }
        LogRecord record;
        record.sourceFormat = QStringLiteral("openai-pairs");
        record.provider = kProvider;
        record.sourceFile = file.path();
        applyRequest(*request, record);
        const json *timestamp = member(pair, "timestamp");
        if (timestamp) {
            record.startMs = timeMs(timestamp);
            if (!record.startMs) {
                sink.malformed(line,
                               QStringLiteral("\"timestamp\" is not ISO 8601 or epoch "
                                              "seconds"));
                return;
            }
        }
        if (response) {
            applyResponse(*response, record);
            setCreated(*response, record);
            setCompletionIds(*response, record);
            if (const json *responseError = member(*response, "error")) {
                record.ok = false;
                record.error = errorMessage(*responseError);
            }
        }
        if (error) {
            record.ok = false;
            record.error = errorMessage(*error);
            if (error->is_object())
                putMeta(record.metadata, "status_code", error->value("status", json()));
        }
        if (const std::optional<double> latency = number(pair, "latency_ms")) {
            record.latencyMs = latency;
            if (record.startMs)
                record.endMs = *record.startMs + qint64(*latency);
        }
        for (auto it = pair.begin(); it != pair.end(); ++it) {
            const std::string &key = it.key();
            if (key != "request" && key != "response" && key != "error" && key != "timestamp"
                && key != "latency_ms" && key != "metadata")
                putMeta(record.metadata, key, it.value());
        }
        if (const json *metadata = member(pair, "metadata"))
            mergeMeta(record.metadata, *metadata);
        sink.record(std::move(record));
    });
}

} // namespace

QList<LogFormat> openAiLogFormats()
{
    LogFormat batchInput;
    batchInput.name = QStringLiteral("openai-batch-input");
    batchInput.description = QStringLiteral("OpenAI Batch API input file (JSON Lines; joined to "
                                            "its output by custom_id)");
    batchInput.detect = detectBatchInput;
    batchInput.auxiliary = true;
    batchInput.collect = collectBatchInput;

    LogFormat batchOutput;
    batchOutput.name = QStringLiteral("openai-batch");
    batchOutput.description = QStringLiteral("OpenAI Batch API output file (JSON Lines)");
    batchOutput.detect = detectBatchOutput;
    batchOutput.read = readBatchOutput;

    LogFormat stored;
    stored.name = QStringLiteral("openai-stored");
    stored.description = QStringLiteral("OpenAI stored chat completions list (JSON)");
    stored.detect = detectStored;
    stored.read = readStored;

    LogFormat storedMessages;
    storedMessages.name = QStringLiteral("openai-stored-messages");
    storedMessages.description
        = QStringLiteral("OpenAI stored completion messages (JSON; joined to the stored "
                         "completions list by completion id)");
    storedMessages.detect = detectStoredMessages;
    storedMessages.auxiliary = true;
    storedMessages.collect = collectStoredMessages;

    LogFormat pairs;
    pairs.name = QStringLiteral("openai-pairs");
    pairs.description = QStringLiteral("OpenAI request/response pairs (JSON Lines)");
    pairs.detect = detectPairs;
    pairs.read = readPairs;

    return {batchInput, batchOutput, stored, storedMessages, pairs};
}

} // namespace ts
