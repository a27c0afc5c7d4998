#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

/// Parses JSON text without throwing; nullopt on a syntax error.
std::optional<nlohmann::json> parseJson(const QString &text);
std::optional<nlohmann::json> parseJson(const std::string &text);

/// Compact JSON text (keys sorted, as nlohmann::json stores them): stable for hashing.
QString toJsonText(const nlohmann::json &json);

inline QString qstr(const std::string &s) { return QString::fromStdString(s); }
inline std::string sstr(const QString &s) { return s.toStdString(); }

/// A string member, or `fallback` when absent or not a string.
QString jsonString(const nlohmann::json &object, const char *key, const QString &fallback = {});

} // namespace ts
