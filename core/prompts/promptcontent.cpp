#include "prompts/promptcontent.h"

#include "common/json.h"

#include <QCryptographicHash>

namespace ts {

bool isValidRole(const QString &role)
{
    return role == QLatin1String("system") || role == QLatin1String("user")
           || role == QLatin1String("assistant");
}

nlohmann::json PromptContent::messagesJson() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const PromptMessage &m : messages)
        list.push_back({{"role", sstr(m.role)}, {"template", sstr(m.text)}});
    return list;
}

QList<PromptMessage> PromptContent::messagesFromJson(const nlohmann::json &json)
{
    QList<PromptMessage> result;
    if (!json.is_array())
        return result;
    for (const auto &item : json)
        result.append(PromptMessage{jsonString(item, "role", QStringLiteral("user")),
                                    jsonString(item, "template")});
    return result;
}

nlohmann::json PromptContent::toJson() const
{
    nlohmann::json json = {{"messages", messagesJson()}, {"params", params.toJson()}};
    json["response_schema"] = responseSchema ? *responseSchema : nlohmann::json();
    json["tools"] = tools ? *tools : nlohmann::json();
    return json;
}

PromptContent PromptContent::fromJson(const nlohmann::json &json)
{
    PromptContent c;
    if (!json.is_object())
        return c;
    if (auto it = json.find("messages"); it != json.end())
        c.messages = messagesFromJson(*it);
    if (auto it = json.find("params"); it != json.end())
        c.params = ModelParameters::fromJson(*it);
    if (auto it = json.find("response_schema"); it != json.end() && !it->is_null())
        c.responseSchema = *it;
    if (auto it = json.find("tools"); it != json.end() && !it->is_null())
        c.tools = *it;
    return c;
}

bool PromptContent::operator==(const PromptContent &other) const
{
    return messages == other.messages && params == other.params
           && responseSchema == other.responseSchema && tools == other.tools;
}

PromptContent PromptContent::snippet(const QString &text)
{
    PromptContent c;
    c.messages = {{QString::fromLatin1(snippetRole), text}};
    return c;
}

QString PromptContent::snippetText() const
{
    return messages.size() == 1 && messages.first().role == QLatin1String(snippetRole)
               ? messages.first().text
               : QString();
}

QString PromptContent::contentHash() const
{
    // nlohmann::json keeps object keys sorted, so dump() is canonical.
    nlohmann::json json = toJson();
    if (!snippets.isEmpty()) {
        nlohmann::json used = nlohmann::json::object();
        for (auto it = snippets.cbegin(); it != snippets.cend(); ++it)
            used[sstr(it.key())] = sstr(it.value());
        json["snippets"] = used;
    }
    const std::string canonical = json.dump();
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArrayView(canonical.data(), qsizetype(canonical.size())),
                                 QCryptographicHash::Sha256)
            .toHex());
}

} // namespace ts
