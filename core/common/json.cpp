#include "common/json.h"

namespace ts {

std::optional<nlohmann::json> parseJson(const std::string &text)
{
    auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded())
        return std::nullopt;
    return json;
}

std::optional<nlohmann::json> parseJson(const QString &text)
{
    return parseJson(text.toStdString());
}

QString toJsonText(const nlohmann::json &json)
{
    return QString::fromStdString(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

QString jsonString(const nlohmann::json &object, const char *key, const QString &fallback)
{
    if (!object.is_object())
        return fallback;
    auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return fallback;
    return QString::fromStdString(it->get<std::string>());
}

} // namespace ts
