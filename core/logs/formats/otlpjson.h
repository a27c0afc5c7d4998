#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace ts::otlp {

/// The member spelled `camel` (canonical OTLP/JSON) or `snake` (protobuf field name), or
/// nullptr when `object` is not an object or has neither.
const nlohmann::json *member(const nlohmann::json &object, std::string_view camel,
                             std::string_view snake);

/// A 64-bit integer given as a JSON number or as decimal text ("1786550400120000000").
std::optional<qint64> toInt64(const nlohmann::json &value);
/// A number given as a JSON number or as text ("0.25", "NaN").
std::optional<double> toDouble(const nlohmann::json &value);
/// Text as a QString, or nullopt when `value` is not a string.
std::optional<QString> toText(const nlohmann::json &value);

/// A trace id (16 bytes) or span id (8 bytes) as lower-case hex. Accepts hex in any case (the
/// OTLP/JSON rule) and base64 (what generic protobuf JSON printers write). nullopt for an
/// empty or all-zero id (invalid by the specification, so "none"). Sets `*invalid` when the
/// value is present but neither.
std::optional<QString> normalizeId(const nlohmann::json *value, int bytes, bool *invalid);

/// An OTLP `AnyValue` ({"stringValue": ...}, {"intValue": "5"}, {"arrayValue": {"values": []}},
/// {"kvlistValue": {"values": [{"key", "value"}]}}, bytes as base64 text) as plain JSON. A value
/// that is not an AnyValue object (a producer that wrote plain JSON) is returned as it is.
nlohmann::json plainValue(const nlohmann::json &anyValue);
/// An OTLP attribute list ([{"key": k, "value": AnyValue}]) as one JSON object key -> plain
/// value. An object given instead of a list is taken as already plain.
nlohmann::json plainAttributes(const nlohmann::json *attributes);

enum class StatusCode { Unset, Ok, Error };
/// A status code as an integer (0, 1, 2) or by name ("STATUS_CODE_ERROR", "ERROR", "Error").
StatusCode statusCode(const nlohmann::json *code);
/// A span kind (integer or "SPAN_KIND_CLIENT") as a lower-case name ("client"), or "" when unset.
QString spanKindName(const nlohmann::json *kind);

/// Unix nanoseconds (number or text) as Unix milliseconds; nullopt when absent or zero.
std::optional<qint64> nanosToMs(const nlohmann::json *nanos);

/// Replaces inline media in `value` (recursively): "data:<mime>;base64,..." URIs and long
/// base64 runs become mediaPlaceholder() text, so no blob is stored whole.
void replaceInlineMedia(nlohmann::json &value);
/// The placeholder for one text when it is inline media (a data URI or a long base64 run).
std::optional<QString> mediaText(const std::string &text);

} // namespace ts::otlp
