// OpenTelemetry GenAI semantic conventions in every shape found in the wild: the current
// gen_ai.input.messages / output.messages / system_instructions attributes (JSON text or
// structured), the per-message events of v1.36 and earlier (on the span or as OTLP log
// records), the v1.26 gen_ai.content.prompt/completion events, and OpenLLMetry's flattened
// gen_ai.prompt.N.* / gen_ai.completion.N.* attributes.

#include "logs/formats/otlpmessages.h"
#include "logs/formats/otlpspan.h"

#include "logs/logrecord.h"

#include <QSet>
#include <QStringList>

namespace ts::otlp {

using nlohmann::json;

namespace {

const char *const kOperationDetails = "gen_ai.client.inference.operation.details";

QString roleOfEvent(const std::string &name)
{
    if (name == "gen_ai.system.message")
        return QStringLiteral("system");
    if (name == "gen_ai.user.message")
        return QStringLiteral("user");
    if (name == "gen_ai.assistant.message")
        return QStringLiteral("assistant");
    if (name == "gen_ai.tool.message")
        return QStringLiteral("tool");
    return {};
}

// The JSON an event carries: its body (log records), else the `gen_ai.event.content`
// attribute some SDKs write with the body as JSON text, else its attributes.
json eventContent(const SpanEvent &event)
{
    if (!event.body.is_null())
        return parseIfJsonText(event.body);
    if (auto it = event.attributes.find("gen_ai.event.content"); it != event.attributes.end())
        return parseIfJsonText(*it);
    return event.attributes;
}

std::optional<QString> finishReasonOf(const json &value)
{
    const json parsed = parseIfJsonText(value);
    if (parsed.is_array()) {
        for (const json &e : parsed)
            if (e.is_string() && !e.get_ref<const std::string &>().empty())
                return QString::fromStdString(e.get<std::string>());
        return std::nullopt;
    }
    if (parsed.is_string() && !parsed.get_ref<const std::string &>().empty())
        return QString::fromStdString(parsed.get<std::string>());
    return std::nullopt;
}

// The first output choice becomes the record's output; further choices are kept in metadata.
void applyChoices(const std::vector<const json *> &choices, json &attrs, LogRecord &record,
                  const char *messageKey = nullptr)
{
    QList<LogMessage> others;
    bool first = true;
    for (const json *choice : choices) {
        const json &value = *choice;
        const json *message = messageKey ? at(value, {messageKey}) : nullptr;
        QStringList reasoning;
        LogMessage m
            = messageFromJson(message ? *message : value, QStringLiteral("assistant"), &reasoning);
        if (first) {
            applyOutputMessage(m, reasoning, record);
            if (!record.finishReason)
                if (const json *reason = at(value, {"finish_reason"}))
                    record.finishReason = finishReasonOf(*reason);
            first = false;
        } else {
            others << m;
        }
    }
    if (!others.isEmpty())
        attrs["gen_ai.output.other_choices"] = messagesToJson(others);
}

QList<LogMessage> systemInstructions(const json &value)
{
    if (value.is_null())
        return {};
    const json parsed = parseIfJsonText(value);
    LogMessage system;
    system.role = QStringLiteral("system");
    if (parsed.is_array() || parsed.is_object()) {
        applyParts(parsed.is_object() && parsed.contains("parts") ? parsed["parts"] : parsed,
                   system);
    } else {
        system.content = contentText(parsed);
    }
    if (!system.content)
        return {};
    return {system};
}

} // namespace

std::optional<SpanEvent> genAiEventFromLogRecord(const json &logRecord)
{
    if (!logRecord.is_object())
        return std::nullopt;
    SpanEvent event;
    event.attributes = plainAttributes(member(logRecord, "attributes", "attributes"));
    if (const json *name = member(logRecord, "eventName", "event_name"); name && name->is_string())
        event.name = name->get<std::string>();
    if (event.name.empty()) {
        auto it = event.attributes.find("event.name");
        if (it != event.attributes.end() && it->is_string())
            event.name = it->get<std::string>();
    }
    if (event.name.compare(0, 7, "gen_ai.") != 0)
        return std::nullopt;
    if (const json *body = member(logRecord, "body", "body"))
        event.body = parseIfJsonText(plainValue(*body));
    event.timeMs = nanosToMs(member(logRecord, "timeUnixNano", "time_unix_nano"));
    if (!event.timeMs)
        event.timeMs
            = nanosToMs(member(logRecord, "observedTimeUnixNano", "observed_time_unix_nano"));
    return event;
}

bool isGenAiCall(const json &attrs, const QList<SpanEvent> &events)
{
    static const QSet<QString> callOperations
        = {QStringLiteral("chat"), QStringLiteral("text_completion"),
           QStringLiteral("generate_content"), QStringLiteral("completion")};
    if (auto it = attrs.find("gen_ai.operation.name"); it != attrs.end() && it->is_string())
        return callOperations.contains(QString::fromStdString(it->get<std::string>()).toLower());
    // OpenLLMetry names the request type instead.
    if (auto it = attrs.find("llm.request.type"); it != attrs.end() && it->is_string())
        return callOperations.contains(QString::fromStdString(it->get<std::string>()).toLower());
    for (const char *key : {"gen_ai.request.model", "gen_ai.response.model",
                            "gen_ai.input.messages", "gen_ai.output.messages"})
        if (attrs.contains(key))
            return true;
    for (const char *prefix : {"gen_ai.prompt.0", "gen_ai.completion.0"})
        if (hasKeyOrPrefix(attrs, prefix))
            return true;
    for (const SpanEvent &e : events)
        if (!roleOfEvent(e.name).isEmpty() || e.name == "gen_ai.choice"
            || e.name == kOperationDetails)
            return true;
    return false;
}

void applyGenAi(json &attrs, const QList<SpanEvent> &events, LogRecord &r)
{
    // v1.37+ may put the content on a gen_ai.client.inference.operation.details event.
    for (const SpanEvent &e : events) {
        if (e.name != kOperationDetails)
            continue;
        const json source = e.attributes.empty() && e.body.is_object() ? e.body : e.attributes;
        for (const char *key :
             {"gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions"})
            if (!attrs.contains(key) && source.contains(key))
                attrs[key] = source[key];
    }

    if (!r.model) {
        const auto response = takeText(attrs, "gen_ai.response.model");
        const auto request = takeText(attrs, "gen_ai.request.model");
        r.model = response ? response : request;
        if (response && request && *response != *request)
            attrs["gen_ai.request.model"] = request->toStdString(); // worth seeing beside it
    }
    if (!r.provider) {
        const auto provider = takeText(attrs, "gen_ai.provider.name");
        const auto system = takeText(attrs, "gen_ai.system");
        r.provider = provider ? provider : system;
    }
    if (!r.inputTokens) {
        const auto current = takeInt(attrs, "gen_ai.usage.input_tokens");
        const auto deprecated = takeInt(attrs, "gen_ai.usage.prompt_tokens");
        r.inputTokens = current ? current : deprecated;
    }
    if (!r.outputTokens) {
        const auto current = takeInt(attrs, "gen_ai.usage.output_tokens");
        const auto deprecated = takeInt(attrs, "gen_ai.usage.completion_tokens");
        r.outputTokens = current ? current : deprecated;
    }
    if (!r.cost)
        if (auto it = attrs.find("gen_ai.usage.cost"); it != attrs.end() && it->is_number())
            r.cost = takeDouble(attrs, "gen_ai.usage.cost");
    if (!r.finishReason)
        r.finishReason = finishReasonOf(take(attrs, "gen_ai.response.finish_reasons"));
    if (!r.ttftMs)
        if (auto seconds = takeDouble(attrs, "gen_ai.response.time_to_first_chunk"))
            r.ttftMs = *seconds * 1000.0;
    if (!r.sessionId) {
        const auto conversation = takeText(attrs, "gen_ai.conversation.id");
        const auto session = takeText(attrs, "session.id");
        r.sessionId = conversation ? conversation : session;
    }
    // Prompt management: Langfuse's and Traceloop's attribute names.
    for (const auto &[name, version] :
         {std::pair {"langfuse.observation.prompt.name", "langfuse.observation.prompt.version"},
          std::pair {"traceloop.prompt.key", "traceloop.prompt.version"},
          std::pair {"gen_ai.prompt.name", "gen_ai.prompt.version"}}) {
        if (!r.promptName && attrs.contains(name)) {
            r.promptName = takeText(attrs, name);
            if (!r.promptVersion)
                r.promptVersion = takeText(attrs, version);
        }
    }

    // Input messages, from the most current shape to the oldest.
    if (r.messages.isEmpty()) {
        const QList<LogMessage> system
            = systemInstructions(take(attrs, "gen_ai.system_instructions"));
        QList<LogMessage> input = messagesFrom(take(attrs, "gen_ai.input.messages"));
        if (input.isEmpty()) {
            const json tree = takeTree(attrs, "gen_ai.prompt", /*indexedOnly=*/true);
            for (const json *node : indexed(tree))
                input << messageFromJson(*node, QStringLiteral("user"));
        }
        if (input.isEmpty() && attrs.contains("gen_ai.prompt"))
            input = messagesFrom(take(attrs, "gen_ai.prompt"));
        if (input.isEmpty()) {
            for (const SpanEvent &e : events) {
                if (e.name == "gen_ai.content.prompt") {
                    if (auto it = e.attributes.find("gen_ai.prompt"); it != e.attributes.end())
                        input << messagesFrom(*it);
                    continue;
                }
                const QString role = roleOfEvent(e.name);
                if (!role.isEmpty())
                    input << messageFromJson(eventContent(e), role);
            }
        }
        r.messages = system + input;
    }

    // Output: the first choice.
    if (!r.output && r.outputToolCalls.isEmpty()) {
        const json output = parseIfJsonText(take(attrs, "gen_ai.output.messages"));
        if (output.is_array() && !output.empty()) {
            applyChoices(indexed(output), attrs, r);
        } else if (const json tree = takeTree(attrs, "gen_ai.completion", true); !tree.empty()) {
            applyChoices(indexed(tree), attrs, r);
        } else if (attrs.contains("gen_ai.completion")) {
            const json legacy = parseIfJsonText(take(attrs, "gen_ai.completion"));
            if (legacy.is_array())
                applyChoices(indexed(legacy), attrs, r);
            else
                r.output = contentText(legacy);
        } else {
            std::vector<std::pair<qint64, json>> choices;
            for (const SpanEvent &e : events) {
                if (e.name == "gen_ai.content.completion") {
                    if (auto it = e.attributes.find("gen_ai.completion");
                        it != e.attributes.end()) {
                        const json legacy = parseIfJsonText(*it);
                        for (const json *c : indexed(legacy))
                            choices.emplace_back(qint64(choices.size()), *c);
                    }
                } else if (e.name == "gen_ai.choice") {
                    json content = eventContent(e);
                    const json *index = at(content, {"index"});
                    const auto i = index ? toInt64(*index) : std::nullopt;
                    // A choice without a "message" member is the message itself (some SDKs).
                    if (content.is_object() && !content.contains("message")) {
                        json wrapped = {{"message", content}};
                        if (content.contains("finish_reason"))
                            wrapped["finish_reason"] = content["finish_reason"];
                        content = std::move(wrapped);
                    }
                    choices.emplace_back(i.value_or(qint64(choices.size())), std::move(content));
                }
            }
            std::stable_sort(choices.begin(), choices.end(),
                             [](const auto &a, const auto &b) { return a.first < b.first; });
            std::vector<const json *> ordered;
            for (const auto &c : choices)
                ordered.push_back(&c.second);
            // gen_ai.content.completion entries are messages; gen_ai.choice bodies wrap one.
            if (!ordered.empty())
                applyChoices(ordered, attrs, r,
                             ordered.front()->contains("message") ? "message" : nullptr);
        }
    }
}

} // namespace ts::otlp
