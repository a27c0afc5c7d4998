#include "logs/formats/otlpmessages.h"

#include "logs/formats/fastjson.h"
#include "logs/formats/otlpjson.h"

#include <QStringList>

#include <algorithm>

namespace ts::otlp {

using nlohmann::json;

namespace {

std::optional<QString> stringField(const json &object, std::initializer_list<const char *> keys)
{
    if (!object.is_object())
        return std::nullopt;
    for (const char *key : keys) {
        auto it = object.find(key);
        if (it != object.end() && it->is_string() && !it->get_ref<const std::string &>().empty())
            return QString::fromStdString(it->get<std::string>());
    }
    return std::nullopt;
}

const json *field(const json &object, std::initializer_list<const char *> keys)
{
    if (!object.is_object())
        return nullptr;
    for (const char *key : keys) {
        auto it = object.find(key);
        if (it != object.end() && !it->is_null())
            return &*it;
    }
    return nullptr;
}

bool isDigits(std::string_view s)
{
    return !s.empty()
        && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// JSON text that is a list of typed content parts (what OpenLLMetry writes for multi-part
// content) rather than a user's text that happens to be JSON.
bool isPartList(const json &value)
{
    return value.is_array() && !value.empty()
        && std::all_of(value.begin(), value.end(), [](const json &p) {
               return p.is_object() && p.contains("type") && p["type"].is_string();
           });
}

// "[image/png: https://example.com/a.png]" for media known only by reference.
QString mediaReference(const std::optional<QString> &kind, const QString &reference)
{
    return QStringLiteral("[%1: %2]").arg(kind.value_or(QStringLiteral("media")), reference);
}

std::optional<QString> mediaFromBase64(const json *data, const std::optional<QString> &mime)
{
    const QString type = mime.value_or(QStringLiteral("application/octet-stream"));
    if (data && data->is_string()) {
        const auto &text = data->get_ref<const std::string &>();
        if (auto media = mediaText(text); media && text.compare(0, 5, "data:") == 0)
            return media;
        return mediaPlaceholder(type, base64DecodedSize(QString::fromStdString(text)));
    }
    return QStringLiteral("[%1]").arg(type);
}

std::optional<QString> mediaFromUrl(const json *url, const std::optional<QString> &kind)
{
    if (!url || !url->is_string() || isRedacted(*url))
        return std::nullopt;
    const auto &text = url->get_ref<const std::string &>();
    if (auto media = mediaText(text))
        return media;
    return mediaReference(kind, QString::fromStdString(text));
}

void appendText(QStringList &texts, const std::optional<QString> &text)
{
    if (text && !text->isEmpty())
        texts << *text;
}

} // namespace

json take(json &attrs, std::string_view key)
{
    if (!attrs.is_object())
        return nullptr;
    auto it = attrs.find(key);
    if (it == attrs.end())
        return nullptr;
    json value = std::move(*it);
    attrs.erase(it);
    return value;
}

std::optional<QString> takeText(json &attrs, std::string_view key)
{
    json value = take(attrs, key);
    if (value.is_string()) {
        if (value.get_ref<const std::string &>().empty())
            return std::nullopt;
        return QString::fromStdString(value.get<std::string>());
    }
    if (value.is_number() || value.is_boolean())
        return QString::fromStdString(value.dump());
    if (value.is_array() && !value.empty() && value[0].is_string())
        return QString::fromStdString(value[0].get<std::string>());
    return std::nullopt;
}

std::optional<qint64> takeInt(json &attrs, std::string_view key)
{
    return toInt64(take(attrs, key));
}

std::optional<double> takeDouble(json &attrs, std::string_view key)
{
    return toDouble(take(attrs, key));
}

bool hasKeyOrPrefix(const json &attrs, std::string_view key)
{
    if (!attrs.is_object())
        return false;
    const auto &map = attrs.get_ref<const json::object_t &>();
    auto it = map.lower_bound(std::string(key));
    if (it == map.end())
        return false;
    if (it->first == key)
        return true;
    const std::string prefix = std::string(key) + '.';
    it = map.lower_bound(prefix);
    return it != map.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

json takeTree(json &attrs, std::string_view prefix, bool indexedOnly)
{
    json tree = json::object();
    if (!attrs.is_object())
        return tree;
    auto &map = attrs.get_ref<json::object_t &>();
    const std::string start = std::string(prefix) + '.';
    auto it = map.lower_bound(start);
    while (it != map.end() && it->first.compare(0, start.size(), start) == 0) {
        const std::string rest = it->first.substr(start.size());
        if (indexedOnly && !isDigits(rest.substr(0, rest.find('.')))) {
            ++it;
            continue;
        }
        json *node = &tree;
        size_t from = 0;
        bool placed = true;
        while (true) {
            const size_t dot = rest.find('.', from);
            const std::string segment
                = rest.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
            if (!node->is_object() && !node->is_null()) {
                placed = false; // "a.b" = x beside "a.b.c" = y: keep the leaf, drop the deeper one
                break;
            }
            if (dot == std::string::npos) {
                json &slot = (*node)[segment];
                if (slot.is_object())
                    placed = false;
                else
                    slot = std::move(it->second);
                break;
            }
            node = &(*node)[segment];
            from = dot + 1;
        }
        // A key that cannot be placed stays an ordinary attribute (metadata), not lost.
        it = placed ? map.erase(it) : std::next(it);
    }
    return tree;
}

std::vector<const json *> indexed(const json &node)
{
    std::vector<const json *> out;
    if (node.is_array()) {
        for (const json &e : node)
            out.push_back(&e);
        return out;
    }
    if (!node.is_object())
        return out;
    std::vector<std::pair<qint64, const json *>> items;
    for (auto it = node.begin(); it != node.end(); ++it)
        if (isDigits(it.key()) && it.key().size() < 18)
            items.emplace_back(std::stoll(it.key()), &*it);
    std::sort(items.begin(), items.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &item : items)
        out.push_back(item.second);
    return out;
}

const json *at(const json &node, std::initializer_list<const char *> path)
{
    const json *current = &node;
    for (const char *key : path) {
        if (!current->is_object())
            return nullptr;
        auto it = current->find(key);
        if (it == current->end())
            return nullptr;
        current = &*it;
    }
    return current;
}

json parseIfJsonText(const json &value)
{
    if (!value.is_string())
        return value;
    const auto &text = value.get_ref<const std::string &>();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || (text[first] != '{' && text[first] != '['))
        return value;
    json parsed = parseJsonFast(text);
    return parsed.is_discarded() ? value : parsed;
}

json toolArguments(const json &value)
{
    if (value.is_null())
        return nullptr;
    if (value.is_string()) {
        json parsed = parseIfJsonText(value);
        if (parsed.is_structured()) {
            replaceInlineMedia(parsed);
            return parsed;
        }
        return value;
    }
    json copy = value;
    replaceInlineMedia(copy);
    return copy;
}

bool isRedacted(const json &value)
{
    return value.is_string()
        && (value.get_ref<const std::string &>() == "__REDACTED__"
            || value.get_ref<const std::string &>().empty());
}

std::optional<QString> contentText(const json &value)
{
    if (value.is_null() || isRedacted(value))
        return std::nullopt;
    if (value.is_string()) {
        const auto &text = value.get_ref<const std::string &>();
        if (auto media = mediaText(text))
            return media;
        return QString::fromStdString(text);
    }
    json copy = value;
    replaceInlineMedia(copy);
    return QString::fromStdString(copy.dump(-1, ' ', false, json::error_handler_t::replace));
}

QList<LogToolCall> toolCallsFrom(const json &value)
{
    QList<LogToolCall> calls;
    const json list = parseIfJsonText(value);
    for (const json *item : indexed(list)) {
        if (!item->is_object())
            continue;
        LogToolCall call;
        call.id = stringField(*item, {"id", "tool_call_id", "call_id"});
        const json *function = field(*item, {"function", "function_call"});
        const json &source = function && function->is_object() ? *function : *item;
        call.name = stringField(source, {"name"}).value_or(QString());
        const json *args = field(source, {"arguments", "input", "args"});
        call.arguments = args ? toolArguments(*args) : json(nullptr);
        if (call.name.isEmpty() && !call.id && call.arguments.is_null())
            continue;
        calls << call;
    }
    return calls;
}

void applyParts(const json &parts, LogMessage &message, QStringList *reasoning)
{
    QStringList texts;
    if (message.content)
        texts << *message.content;
    for (const json *partPtr : indexed(parts)) {
        const json &part = *partPtr;
        if (part.is_string()) {
            appendText(texts, contentText(part));
            continue;
        }
        if (!part.is_object())
            continue;
        const QString type = stringField(part, {"type"}).value_or(QString()).toLower();
        const auto mime = stringField(part, {"mime_type", "media_type", "mimeType", "mediaType"});
        const auto modality = stringField(part, {"modality"});
        if (type == QLatin1String("text") || type == QLatin1String("input_text")
            || type == QLatin1String("output_text")) {
            const json *text = field(part, {"content", "text"});
            appendText(texts, text ? contentText(*text) : std::nullopt);
        } else if (type == QLatin1String("reasoning") || type == QLatin1String("thinking")) {
            const json *text = field(part, {"content", "text", "thinking"});
            if (reasoning && text)
                appendText(*reasoning, contentText(*text));
        } else if (type == QLatin1String("tool_call") || type == QLatin1String("tool_use")
                   || type == QLatin1String("function_call")) {
            message.toolCalls << toolCallsFrom(json::array({part}));
        } else if (type == QLatin1String("tool_call_response")
                   || type == QLatin1String("tool_result")
                   || type == QLatin1String("function_call_output")) {
            if (auto id = stringField(part, {"id", "tool_use_id", "call_id"}))
                message.toolCallId = id;
            const json *response = field(part, {"response", "result", "content", "output"});
            if (response && (response->is_array() && isPartList(*response))) {
                LogMessage inner;
                applyParts(*response, inner);
                appendText(texts, inner.content);
            } else {
                appendText(texts, response ? contentText(*response) : std::nullopt);
            }
        } else if (type == QLatin1String("blob")) {
            appendText(
                texts,
                mediaFromBase64(field(part, {"content", "data", "blob"}), mime ? mime : modality));
        } else if (type == QLatin1String("uri")) {
            appendText(texts, mediaFromUrl(field(part, {"uri", "url"}), mime ? mime : modality));
        } else if (type == QLatin1String("file")) {
            const auto id = stringField(part, {"file_id", "fileId", "id"});
            appendText(
                texts,
                mediaReference(mime ? mime : modality.value_or(QStringLiteral("file")),
                               QStringLiteral("file ") + id.value_or(QStringLiteral("unknown"))));
        } else if (type == QLatin1String("image_url")) {
            const json *url = field(part, {"image_url"});
            if (url && url->is_object())
                url = field(*url, {"url"});
            appendText(texts, mediaFromUrl(url, QStringLiteral("image")));
        } else if (type == QLatin1String("input_audio")) {
            const json *audio = field(part, {"input_audio"});
            const auto format = audio ? stringField(*audio, {"format"}) : std::nullopt;
            appendText(texts,
                       mediaFromBase64(audio ? field(*audio, {"data"}) : nullptr,
                                       QStringLiteral("audio/")
                                           + format.value_or(QStringLiteral("unknown"))));
        } else if (type == QLatin1String("image") || type == QLatin1String("audio")
                   || type == QLatin1String("document")) {
            const json *source = field(part, {"source"});
            if (source && source->is_object()) {
                const auto sourceMime = stringField(*source, {"media_type", "mime_type"});
                if (const json *data = field(*source, {"data"}))
                    appendText(texts, mediaFromBase64(data, sourceMime ? sourceMime : mime));
                else
                    appendText(texts, mediaFromUrl(field(*source, {"url"}), type));
            } else if (const json *url = field(part, {"url", "image_url", "uri"})) {
                appendText(texts,
                           mediaFromUrl(url->is_object() ? field(*url, {"url"}) : url, type));
            } else if (const json *data = field(part, {"data", "content"})) {
                appendText(texts, mediaFromBase64(data, mime ? mime : type));
            }
        } else if (const json *text = field(part, {"content", "text"})) {
            appendText(texts, contentText(*text));
        }
    }
    if (!texts.isEmpty())
        message.content = texts.join(QLatin1Char('\n'));
}

LogMessage messageFromJson(const json &messageJson, const QString &defaultRole,
                           QStringList *reasoning)
{
    LogMessage message;
    message.role = defaultRole;
    const json value = parseIfJsonText(messageJson);
    if (!value.is_object()) {
        message.content = contentText(value);
        return message;
    }
    if (auto role = stringField(value, {"role"}))
        message.role = role->toLower();
    if (const json *parts = field(value, {"parts"})) {
        applyParts(*parts, message, reasoning);
    } else if (const json *content = field(value, {"content"})) {
        const json parsed = parseIfJsonText(*content);
        if (parsed.is_array() && isPartList(parsed))
            applyParts(parsed, message, reasoning);
        else if (content->is_array())
            applyParts(*content, message, reasoning);
        else
            message.content = contentText(*content);
    }
    if (const json *text = field(value, {"reasoning_content", "reasoning"}); reasoning && text)
        appendText(*reasoning, contentText(*text));
    if (const json *calls = field(value, {"tool_calls", "toolCalls"}))
        message.toolCalls << toolCallsFrom(*calls);
    if (const json *call = field(value, {"function_call"}); call && call->is_object())
        message.toolCalls << toolCallsFrom(json::array({*call}));
    if (auto id = stringField(value, {"tool_call_id", "toolCallId"}))
        message.toolCallId = id;
    else if (message.role == QLatin1String("tool"))
        if (auto id = stringField(value, {"id"}))
            message.toolCallId = id;
    return message;
}

QList<LogMessage> messagesFrom(const json &value)
{
    QList<LogMessage> messages;
    json list = parseIfJsonText(value);
    if (list.is_object() && list.contains("messages"))
        list = list["messages"];
    if (!list.is_array())
        return messages;
    for (const json &item : list)
        messages << messageFromJson(item);
    return messages;
}

void applyOutputMessage(const LogMessage &message, const QStringList &reasoning, LogRecord &record)
{
    if (!record.output)
        record.output = message.content;
    if (record.outputToolCalls.isEmpty())
        record.outputToolCalls = message.toolCalls;
    if (!record.reasoning && !reasoning.isEmpty())
        record.reasoning = reasoning.join(QLatin1Char('\n'));
}

} // namespace ts::otlp
