#pragma once

// Small helpers shared by the provider .cpp files (not public API).

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace ts::jsonutil {

using json = nlohmann::json;

/// Parses text without throwing; a discarded value (is_discarded()) on failure.
inline json parse(std::string_view text)
{
    return json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

inline QString toQString(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

/// The member `key` of an object, or nullptr when `j` is no object or lacks it.
inline const json *member(const json &j, const char *key)
{
    if (!j.is_object())
        return nullptr;
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

/// A string member as QString; empty when absent or not a string.
inline QString str(const json &j, const char *key)
{
    const json *v = member(j, key);
    return v && v->is_string() ? toQString(v->get_ref<const std::string &>()) : QString();
}

/// A string member, or a number member written as text (error codes come both ways).
inline QString strOrNumber(const json &j, const char *key)
{
    const json *v = member(j, key);
    if (!v)
        return {};
    if (v->is_string())
        return toQString(v->get_ref<const std::string &>());
    if (v->is_number_integer())
        return QString::number(v->get<qint64>());
    return {};
}

/// An integer member; tolerates integral floats ("7.0") that some servers send.
inline std::optional<int> optInt(const json &j, const char *key)
{
    const json *v = member(j, key);
    if (!v)
        return std::nullopt;
    if (v->is_number_integer())
        return int(v->get<qint64>());
    if (v->is_number_float())
        return int(v->get<double>());
    return std::nullopt;
}

inline std::optional<qint64> optInt64(const json &j, const char *key)
{
    const json *v = member(j, key);
    if (v && v->is_number())
        return v->is_number_float() ? qint64(v->get<double>()) : v->get<qint64>();
    return std::nullopt;
}

inline bool isTrue(const json &j, const char *key)
{
    const json *v = member(j, key);
    return v && v->is_boolean() && v->get<bool>();
}

} // namespace ts::jsonutil
