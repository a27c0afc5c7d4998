#include "logs/formats/openaichat.h"

#include "logs/formats/vendorreaders.h"

#include <QStringList>

#include <string_view>

namespace ts::vendor {

namespace {

// Decoded size of base64 text without decoding it (whitespace ignored, padding subtracted).
qint64 base64Bytes(std::string_view data)
{
    qint64 chars = 0;
    qint64 padding = 0;
    for (char c : data) {
        if (c == '=')
            ++padding;
        else if (c != '\n' && c != '\r' && c != ' ')
            ++chars;
    }
    return (chars + padding) / 4 * 3 - padding;
}

// A data: URL as a placeholder; any other URL as "[kind: url]".
QString urlPlaceholder(const std::string &url, const QString &kind)
{
    if (url.rfind("data:", 0) == 0) {
        const size_t comma = url.find(',');
        const std::string_view meta = std::string_view(url).substr(
            5, comma == std::string::npos ? std::string::npos : comma - 5);
        const size_t semicolon = meta.find(';');
        QString mime = QString::fromUtf8(meta.substr(0, semicolon).data(),
                                         qsizetype(meta.substr(0, semicolon).size()));
        if (mime.isEmpty())
            mime = QStringLiteral("application/octet-stream");
        const bool base64 = meta.find(";base64") != std::string_view::npos;
        const std::string_view payload = comma == std::string::npos
            ? std::string_view()
            : std::string_view(url).substr(comma + 1);
        return mediaPlaceholder(mime, base64 ? base64Bytes(payload) : qint64(payload.size()));
    }
    return QStringLiteral("[%1: %2]").arg(kind, QString::fromStdString(url));
}

QString base64Placeholder(const json &data, const QString &mime)
{
    const std::string &s = data.get_ref<const std::string &>();
    if (s.rfind("data:", 0) == 0)
        return urlPlaceholder(s, mime);
    return mediaPlaceholder(mime, base64Bytes(s));
}

struct Part
{
    std::optional<QString> text;
    bool media = false;
};

const json *stringMember(const json &v, const char *key)
{
    const json *m = member(v, key);
    return m && m->is_string() ? m : nullptr;
}

// The text of one content part, or its media placeholder.
Part contentPart(const json &part)
{
    if (part.is_string())
        return {QString::fromStdString(part.get<std::string>()), false};
    if (!part.is_object())
        return {};
    const std::string type = part.value("type", std::string());
    // Images: OpenAI image_url ({url} or a string), Responses input_image, Anthropic and
    // LangChain base64 sources.
    if (type == "image_url" || type == "input_image") {
        const json *url = member(part, "image_url");
        if (url && url->is_object())
            url = stringMember(*url, "url");
        if (url && url->is_string())
            return {urlPlaceholder(url->get<std::string>(), QStringLiteral("image")), true};
        if (const json *id = stringMember(part, "file_id"))
            return {
                QStringLiteral("[image: %1]").arg(QString::fromStdString(id->get<std::string>())),
                true};
        return {};
    }
    if (type == "input_audio") {
        const json *audio = member(part, "input_audio");
        if (audio && audio->is_object()) {
            const QString format = text(*audio, "format").value_or(QStringLiteral("octet-stream"));
            if (const json *data = stringMember(*audio, "data"))
                return {base64Placeholder(*data, QStringLiteral("audio/") + format), true};
        }
        return {};
    }
    if (type == "file" || type == "input_file") {
        const json &file = member(part, "file") ? part.at("file") : part;
        if (const json *data = stringMember(file, "file_data"))
            return {base64Placeholder(*data, QStringLiteral("application/octet-stream")), true};
        if (const std::optional<QString> id = text(file, "file_id"))
            return {QStringLiteral("[file: %1]").arg(*id), true};
        if (const std::optional<QString> name = text(file, "filename"))
            return {QStringLiteral("[file: %1]").arg(*name), true};
        return {};
    }
    if (type == "image" || type == "audio" || type == "video" || type == "document") {
        const QString fallbackMime = QStringLiteral("%1/*").arg(QString::fromStdString(type));
        const json *source = member(part, "source");
        const json &src = source && source->is_object() ? *source : part;
        const QString mime
            = text(src, "media_type").value_or(text(src, "mime_type").value_or(fallbackMime));
        if (const json *data = stringMember(src, "data"))
            return {base64Placeholder(*data, mime), true};
        if (const json *data = stringMember(src, "base64"))
            return {base64Placeholder(*data, mime), true};
        if (const json *url = stringMember(src, "url"))
            return {urlPlaceholder(url->get<std::string>(), QString::fromStdString(type)), true};
        if (const json *url = stringMember(part, "image_url"))
            return {urlPlaceholder(url->get<std::string>(), QString::fromStdString(type)), true};
        return {};
    }
    if (type == "refusal")
        return {text(part, "refusal"), false};
    if (type == "tool_result") {
        const json *content = member(part, "content");
        return {content ? contentText(*content) : std::nullopt, false};
    }
    // Reasoning, tool use and other structural parts carry no message text.
    if (type == "reasoning" || type == "thinking" || type == "tool_use" || type == "function_call"
        || type == "tool_call")
        return {};
    if (const json *t = member(part, "text")) {
        if (t->is_string())
            return {text(t), false};
        if (t->is_object()) // Assistants API: {"text": {"value": ...}}
            return {text(*t, "value"), false};
    }
    return {};
}

QString lower(const std::optional<QString> &s)
{
    return s ? s->toLower() : QString();
}

// Role of a LangChain message from its class name or type.
QString langChainRole(const QString &name)
{
    const QString n = name.toLower();
    if (n.startsWith(QLatin1String("human")) || n == QLatin1String("user"))
        return QStringLiteral("user");
    if (n.startsWith(QLatin1String("ai")) || n == QLatin1String("assistant"))
        return QStringLiteral("assistant");
    if (n.startsWith(QLatin1String("system")))
        return QStringLiteral("system");
    if (n.startsWith(QLatin1String("tool")))
        return QStringLiteral("tool");
    if (n.startsWith(QLatin1String("function")))
        return QStringLiteral("function");
    if (n.startsWith(QLatin1String("developer")))
        return QStringLiteral("developer");
    return QString();
}

json argumentsValue(const json *arguments)
{
    if (!arguments)
        return nullptr;
    if (arguments->is_string()) {
        const std::string &s = arguments->get_ref<const std::string &>();
        if (s.empty())
            return nullptr;
        json parsed = json::parse(s, nullptr, false);
        return parsed.is_discarded() ? *arguments : parsed;
    }
    return *arguments;
}

} // namespace

std::optional<QString> contentText(const json &content)
{
    if (content.is_string()) {
        const std::string &s = content.get_ref<const std::string &>();
        if (s.empty())
            return std::nullopt;
        return QString::fromStdString(s);
    }
    if (content.is_array()) {
        QStringList texts;
        for (const json &part : content)
            if (const Part p = contentPart(part); p.text && !p.text->isEmpty())
                texts.append(*p.text);
        if (texts.isEmpty())
            return std::nullopt;
        return texts.join(QLatin1Char('\n'));
    }
    if (content.is_object()) // a single part
        return contentPart(content).text;
    return std::nullopt;
}

LogToolCall toolCall(const json &call)
{
    LogToolCall out;
    out.id = text(call, "id");
    if (const std::optional<QString> callId = text(call, "call_id")) // Responses items
        out.id = callId;
    if (const json *function = member(call, "function"); function && function->is_object()) {
        out.name = text(*function, "name").value_or(QString());
        out.arguments = argumentsValue(member(*function, "arguments"));
    } else {
        out.name = text(call, "name").value_or(QString());
        const json *arguments = member(call, "arguments");
        if (!arguments)
            arguments = member(call, "args");
        if (!arguments)
            arguments = member(call, "input"); // Anthropic tool_use
        out.arguments = argumentsValue(arguments);
    }
    return out;
}

QList<LogToolCall> toolCalls(const json *calls)
{
    QList<LogToolCall> out;
    if (!calls || !calls->is_array())
        return out;
    for (const json &call : *calls)
        if (call.is_object())
            out.append(toolCall(call));
    return out;
}

std::optional<LogMessage> message(const json &value)
{
    if (value.is_string()) {
        LogMessage m;
        m.role = QStringLiteral("user");
        m.content = contentText(value);
        return m;
    }
    if (!value.is_object())
        return std::nullopt;

    const json *fields = &value;
    QString role = lower(text(value, "role"));
    const std::optional<QString> type = text(value, "type");
    if (const json *kwargs = member(value, "kwargs");
        kwargs && kwargs->is_object() && member(value, "lc")) {
        // LangChain serialized: {"lc": 1, "type": "constructor", "id": [..., "HumanMessage"],
        // "kwargs": {...}}
        fields = kwargs;
        const json *id = member(value, "id");
        if (id && id->is_array() && !id->empty() && id->back().is_string())
            role = langChainRole(QString::fromStdString(id->back().get<std::string>()));
        if (role.isEmpty())
            role = langChainRole(lower(text(*kwargs, "type")));
        if (const std::optional<QString> r = text(*kwargs, "role"))
            role = r->toLower();
    } else if (role.isEmpty() && type) {
        if (*type == QLatin1String("function_call")) { // Responses API item
            LogMessage m;
            m.role = QStringLiteral("assistant");
            m.toolCalls.append(toolCall(value));
            return m;
        }
        if (*type == QLatin1String("function_call_output")) {
            LogMessage m;
            m.role = QStringLiteral("tool");
            m.toolCallId = text(value, "call_id");
            if (const json *output = member(value, "output"))
                m.content = output->is_string()
                    ? contentText(*output)
                    : std::optional(QString::fromStdString(dumpJson(*output)));
            return m;
        }
        // LangChain to_dict ({"type": "human", "data": {...}}) or a plain LangChain dict.
        if (const json *data = member(value, "data"); data && data->is_object())
            fields = data;
        role = langChainRole(*type);
        if (const std::optional<QString> r = text(*fields, "role"))
            role = r->toLower();
    }
    if (role.isEmpty())
        return std::nullopt;

    LogMessage m;
    m.role = role;
    if (const json *content = member(*fields, "content"))
        m.content = contentText(*content);
    else if (const json *t = member(*fields, "text"))
        m.content = contentText(*t);
    if (!m.content && role == QLatin1String("assistant"))
        m.content = text(*fields, "refusal");
    m.toolCalls = toolCalls(member(*fields, "tool_calls"));
    if (m.toolCalls.isEmpty())
        if (const json *extra = member(*fields, "additional_kwargs"))
            m.toolCalls = toolCalls(member(*extra, "tool_calls"));
    if (m.toolCalls.isEmpty())
        if (const json *function = member(*fields, "function_call");
            function && function->is_object())
            m.toolCalls.append(toolCall(json {{"function", *function}}));
    m.toolCallId = text(*fields, "tool_call_id");
    return m;
}

QList<LogMessage> messages(const json &value)
{
    QList<LogMessage> out;
    if (!value.is_array())
        return out;
    for (const json &item : value)
        if (std::optional<LogMessage> m = message(item))
            out.append(std::move(*m));
    return out;
}

void applyRequest(const json &body, LogRecord &record)
{
    if (!body.is_object())
        return;
    QList<LogMessage> msgs;
    // Instructions outside the messages (Responses "instructions", Anthropic "system") come
    // first as a system message.
    for (const char *key : {"instructions", "system"}) {
        if (const json *instructions = member(body, key)) {
            LogMessage system;
            system.role = QStringLiteral("system");
            system.content = contentText(*instructions);
            if (system.content)
                msgs.append(system);
        }
    }
    if (const json *list = member(body, "messages"))
        msgs += messages(*list);
    if (const json *input = member(body, "input")) {
        if (input->is_array())
            msgs += messages(*input);
        else if (std::optional<LogMessage> m = message(*input))
            msgs.append(*m);
    }
    if (const json *prompt = member(body, "prompt"); prompt && prompt->is_string())
        msgs.append(*message(*prompt));
    record.messages += msgs;
    if (!record.model)
        record.model = text(body, "model");

    json parameters = json::object();
    for (auto it = body.begin(); it != body.end(); ++it) {
        const std::string &key = it.key();
        if (key == "messages" || key == "input" || key == "instructions" || key == "system"
            || key == "prompt" || key == "model" || key == "metadata")
            continue;
        putMeta(parameters, key, it.value());
    }
    putMeta(record.metadata, "parameters", parameters);
    if (const json *metadata = member(body, "metadata"))
        mergeMeta(record.metadata, *metadata);
}

void applyUsage(const json &usage, LogRecord &record)
{
    if (!usage.is_object())
        return;
    for (const char *key : {"prompt_tokens", "input_tokens", "input", "promptTokens"})
        if (const std::optional<qint64> n = integer(usage, key)) {
            record.inputTokens = n;
            break;
        }
    for (const char *key : {"completion_tokens", "output_tokens", "output", "completionTokens"})
        if (const std::optional<qint64> n = integer(usage, key)) {
            record.outputTokens = n;
            break;
        }
}

void applyResponse(const json &body, LogRecord &record)
{
    if (!body.is_object())
        return;
    if (const std::optional<QString> model = text(body, "model"))
        record.model = model;
    if (const json *usage = member(body, "usage"))
        applyUsage(*usage, record);
    putMeta(record.metadata, "system_fingerprint", body.value("system_fingerprint", json()));
    putMeta(record.metadata, "service_tier", body.value("service_tier", json()));

    if (const json *choices = member(body, "choices"); choices && choices->is_array()) {
        if (choices->empty() || !choices->front().is_object())
            return;
        const json &choice = choices->front();
        record.finishReason = text(choice, "finish_reason");
        if (const json *msg = member(choice, "message"); msg && msg->is_object()) {
            if (const json *content = member(*msg, "content"))
                record.output = contentText(*content);
            if (!record.output)
                record.output = text(*msg, "refusal");
            record.outputToolCalls = toolCalls(member(*msg, "tool_calls"));
            if (record.outputToolCalls.isEmpty())
                if (const json *function = member(*msg, "function_call"))
                    record.outputToolCalls.append(toolCall(json {{"function", *function}}));
            for (const char *key : {"reasoning_content", "reasoning"})
                if (const std::optional<QString> reasoning = text(*msg, key)) {
                    record.reasoning = reasoning;
                    break;
                }
        } else {
            record.output = text(choice, "text"); // legacy completions
        }
        if (choices->size() > 1)
            record.metadata["choices"] = choices->size();
        return;
    }

    if (const json *output = member(body, "output"); output && output->is_array()) {
        // Responses API: message, function_call and reasoning items.
        QStringList texts;
        QStringList reasoning;
        for (const json &item : *output) {
            const std::string type = item.is_object() ? item.value("type", std::string()) : "";
            if (type == "message") {
                if (const json *content = member(item, "content"))
                    if (const std::optional<QString> t = contentText(*content))
                        texts.append(*t);
            } else if (type == "function_call") {
                record.outputToolCalls.append(toolCall(item));
            } else if (type == "reasoning") {
                if (const json *summary = member(item, "summary"))
                    if (const std::optional<QString> t = contentText(*summary))
                        reasoning.append(*t);
            }
        }
        if (!texts.isEmpty())
            record.output = texts.join(QLatin1Char('\n'));
        if (!reasoning.isEmpty())
            record.reasoning = reasoning.join(QLatin1Char('\n'));
        if (const json *incomplete = member(body, "incomplete_details"))
            record.finishReason = text(*incomplete, "reason");
        else if (!record.outputToolCalls.isEmpty())
            record.finishReason = QStringLiteral("tool_calls");
        else
            record.finishReason = text(body, "status");
        if (const json *error = member(body, "error")) {
            record.ok = false;
            record.error = errorMessage(*error);
        }
    }
}

std::optional<QString> errorMessage(const json &value)
{
    if (value.is_string())
        return text(&value);
    if (!value.is_object())
        return std::nullopt;
    if (const std::optional<QString> m = text(value, "message"))
        return m;
    for (const char *key : {"error", "body"})
        if (const json *inner = member(value, key))
            if (std::optional<QString> m = errorMessage(*inner))
                return m;
    if (value.empty())
        return std::nullopt;
    return QString::fromStdString(dumpJson(value));
}

json compactRequestBody(json body)
{
    auto compactParts = [](json &content) {
        if (!content.is_array())
            return;
        for (json &part : content) {
            const Part p = contentPart(part);
            if (p.media && p.text)
                part = json {{"type", "text"}, {"text", p.text->toStdString()}};
        }
    };
    for (const char *key : {"messages", "input"}) {
        json *list = body.is_object() && body.contains(key) ? &body[key] : nullptr;
        if (!list || !list->is_array())
            continue;
        for (json &msg : *list)
            if (msg.is_object() && msg.contains("content"))
                compactParts(msg["content"]);
    }
    return body;
}

std::pair<std::optional<QString>, std::optional<QString>> splitProviderId(const QString &id)
{
    const QStringList parts = id.split(QLatin1Char(':'));
    if (parts.size() < 2)
        return {std::nullopt, id.isEmpty() ? std::nullopt : std::optional(id)};
    static const QStringList kinds = {
        QStringLiteral("chat"),      QStringLiteral("completion"), QStringLiteral("responses"),
        QStringLiteral("messages"),  QStringLiteral("embedding"),  QStringLiteral("embeddings"),
        QStringLiteral("assistant"), QStringLiteral("realtime"),   QStringLiteral("completions")};
    const int skip = parts.size() > 2 && kinds.contains(parts.at(1)) ? 2 : 1;
    const QString model = parts.mid(skip).join(QLatin1Char(':'));
    return {parts.first(), model.isEmpty() ? std::nullopt : std::optional(model)};
}

} // namespace ts::vendor
