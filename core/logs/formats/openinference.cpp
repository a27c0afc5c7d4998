// OpenInference (Arize Phoenix) semantic conventions: llm.input_messages.N.message.*,
// llm.output_messages.N.message.* with contents and tool_calls, llm.model_name,
// llm.token_count.*, llm.invocation_parameters, input.value / output.value.

#include "logs/formats/otlpmessages.h"
#include "logs/formats/otlpspan.h"

#include "logs/logrecord.h"

#include <QStringList>

namespace ts::otlp {

using nlohmann::json;

namespace {

// One OpenInference message node ({"message": {"role", "content", "contents": {"0": ...},
// "tool_calls": {"0": {"tool_call": ...}}}}) rewritten in the OpenAI shape the shared
// message reader understands.
json openAiShape(const json &node)
{
    const json *messagePtr = at(node, {"message"});
    const json &message = messagePtr ? *messagePtr : node;
    json out = json::object();
    if (const json *role = at(message, {"role"}))
        out["role"] = *role;
    if (const json *contents = at(message, {"contents"})) {
        json parts = json::array();
        for (const json *c : indexed(*contents)) {
            const json *contentPtr = at(*c, {"message_content"});
            const json &content = contentPtr ? *contentPtr : *c;
            const json *type = at(content, {"type"});
            const std::string kind = type && type->is_string() ? type->get<std::string>() : "text";
            if (kind == "image") {
                const json *url = at(content, {"image", "image", "url"});
                if (!url)
                    url = at(content, {"image", "url"});
                if (url && !isRedacted(*url))
                    parts.push_back({{"type", "image_url"}, {"image_url", {{"url", *url}}}});
            } else if (const json *text = at(content, {"text"})) {
                parts.push_back({{"type", "text"}, {"text", *text}});
            }
        }
        out["content"] = std::move(parts);
        if (const json *text = at(message, {"content"}); text && !isRedacted(*text))
            out["content"].insert(out["content"].begin(), json {{"type", "text"}, {"text", *text}});
        if (out["content"].empty())
            out["content"] = nullptr;
    } else if (const json *content = at(message, {"content"})) {
        out["content"] = *content;
    }
    if (const json *calls = at(message, {"tool_calls"})) {
        json list = json::array();
        for (const json *c : indexed(*calls)) {
            const json *callPtr = at(*c, {"tool_call"});
            list.push_back(callPtr ? *callPtr : *c);
        }
        out["tool_calls"] = std::move(list);
    }
    if (const json *id = at(message, {"tool_call_id"}))
        out["tool_call_id"] = *id;
    return out;
}

QString spanKind(const json &attrs, const QString &kind)
{
    if (!kind.isEmpty())
        return kind.toUpper();
    auto it = attrs.find("openinference.span.kind");
    if (it != attrs.end() && it->is_string())
        return QString::fromStdString(it->get<std::string>()).toUpper();
    return {};
}

// input.value when there are no messages: an OpenAI-style request body, or plain text.
QList<LogMessage> messagesFromInputValue(const json &value)
{
    if (value.is_null() || isRedacted(value))
        return {};
    const json parsed = parseIfJsonText(value);
    if (parsed.is_object()) {
        if (parsed.contains("messages"))
            return messagesFrom(parsed);
        for (const char *key : {"prompt", "input", "query", "question"})
            if (const json *text = at(parsed, {key}); text && text->is_string()) {
                LogMessage m {QStringLiteral("user"), contentText(*text), {}, {}};
                return {m};
            }
    }
    if (parsed.is_array())
        if (QList<LogMessage> messages = messagesFrom(parsed); !messages.isEmpty())
            return messages;
    LogMessage m {QStringLiteral("user"), contentText(value), {}, {}};
    return {m};
}

// output.value: a chat completion, an Anthropic message, or plain text. Fills what is unset.
void applyOutputValue(const json &value, LogRecord &r)
{
    if (value.is_null())
        return;
    const json parsed = parseIfJsonText(value);
    const bool needOutput = !r.output && r.outputToolCalls.isEmpty();
    if (parsed.is_object()) {
        if (const json *choices = at(parsed, {"choices"});
            choices && choices->is_array() && !choices->empty()) {
            const json &choice = choices->front();
            if (needOutput) {
                QStringList reasoning;
                const json *message = at(choice, {"message"});
                LogMessage m = messageFromJson(message ? *message : choice,
                                               QStringLiteral("assistant"), &reasoning);
                if (!message)
                    if (const json *text = at(choice, {"text"}))
                        m.content = contentText(*text);
                applyOutputMessage(m, reasoning, r);
            }
            if (!r.finishReason)
                if (const json *reason = at(choice, {"finish_reason"});
                    reason && reason->is_string())
                    r.finishReason = QString::fromStdString(reason->get<std::string>());
        } else if (parsed.contains("content") && needOutput) {
            QStringList reasoning;
            applyOutputMessage(messageFromJson(parsed, QStringLiteral("assistant"), &reasoning),
                               reasoning, r);
            if (!r.finishReason)
                if (const json *reason = at(parsed, {"stop_reason"}); reason && reason->is_string())
                    r.finishReason = QString::fromStdString(reason->get<std::string>());
        } else if (needOutput) {
            r.output = contentText(value);
        }
        if (const json *usage = at(parsed, {"usage"})) {
            if (!r.inputTokens)
                if (const json *n = at(*usage, {"prompt_tokens"}))
                    r.inputTokens = toInt64(*n);
            if (!r.outputTokens)
                if (const json *n = at(*usage, {"completion_tokens"}))
                    r.outputTokens = toInt64(*n);
        }
        return;
    }
    if (needOutput)
        r.output = contentText(value);
}

} // namespace

bool isOpenInference(const json &attrs, const QString &kind)
{
    if (!kind.isEmpty() || attrs.contains("openinference.span.kind"))
        return true;
    for (const char *key : {"llm.input_messages", "llm.output_messages", "llm.model_name",
                            "llm.token_count", "llm.invocation_parameters"})
        if (hasKeyOrPrefix(attrs, key))
            return true;
    return false;
}

bool isOpenInferenceLlm(const json &attrs, const QString &kind)
{
    const QString k = spanKind(attrs, kind);
    if (!k.isEmpty())
        return k == QLatin1String("LLM");
    for (const char *key : {"llm.input_messages", "llm.output_messages", "llm.model_name"})
        if (hasKeyOrPrefix(attrs, key))
            return true;
    return false;
}

void applyOpenInference(json &attrs, LogRecord &r)
{
    take(attrs, "openinference.span.kind");
    const json parameters = parseIfJsonText(take(attrs, "llm.invocation_parameters"));
    if (!parameters.is_null())
        attrs["llm.invocation_parameters"] = parameters; // as JSON, not JSON in a string
    if (!r.model)
        r.model = takeText(attrs, "llm.model_name");
    if (!r.model)
        if (const json *model = at(parameters, {"model"}); model && model->is_string())
            r.model = QString::fromStdString(model->get<std::string>());
    if (!r.provider) {
        const auto provider = takeText(attrs, "llm.provider");
        const auto system = takeText(attrs, "llm.system");
        r.provider = provider ? provider : system;
    }
    if (!r.inputTokens)
        r.inputTokens = takeInt(attrs, "llm.token_count.prompt");
    if (!r.outputTokens)
        r.outputTokens = takeInt(attrs, "llm.token_count.completion");
    if (!r.cost)
        r.cost = takeDouble(attrs, "llm.cost.total");
    if (!r.sessionId)
        r.sessionId = takeText(attrs, "session.id");
    if (!r.promptVersion)
        r.promptVersion = takeText(attrs, "llm.prompt_template.version");

    if (r.messages.isEmpty()) {
        const json tree = takeTree(attrs, "llm.input_messages", /*indexedOnly=*/true);
        for (const json *node : indexed(tree))
            r.messages << messageFromJson(openAiShape(*node));
    }
    if (!r.output && r.outputToolCalls.isEmpty()) {
        const json tree = takeTree(attrs, "llm.output_messages", true);
        QList<LogMessage> others;
        bool first = true;
        for (const json *node : indexed(tree)) {
            QStringList reasoning;
            LogMessage m
                = messageFromJson(openAiShape(*node), QStringLiteral("assistant"), &reasoning);
            if (first)
                applyOutputMessage(m, reasoning, r);
            else
                others << m;
            first = false;
        }
        if (!others.isEmpty())
            attrs["llm.output_messages.other_choices"] = messagesToJson(others);
    }
    // input.value / output.value repeat the messages when there are messages; they are the
    // input and output when there are none.
    const json inputValue = take(attrs, "input.value");
    take(attrs, "input.mime_type");
    if (r.messages.isEmpty())
        r.messages = messagesFromInputValue(inputValue);
    const json outputValue = take(attrs, "output.value");
    take(attrs, "output.mime_type");
    applyOutputValue(outputValue, r);
}

} // namespace ts::otlp
