#pragma once

// Pieces shared by the trace and logs request decoders: protobuf values turned into canonical
// OTLP/JSON (what the file readers already understand), and the id checks both signals need.

#include "logs/receiver/otlptrace.pb.h"

#include <QtGlobal>

#include <nlohmann/json.hpp>

#include <string>

namespace ts::otlpwire {

/// Lower-case hex of binary bytes (trace and span ids).
std::string hex(const std::string &bytes);

/// Why a binary id is invalid, or nullptr: `size` bytes, not all zero.
const char *binaryIdProblem(const std::string &bytes, size_t size);

/// Why a JSON id is invalid, or nullptr: `bytes` bytes as hex digits (any case), or as base64
/// (what a generic protobuf JSON encoder writes; the readers accept both), not all zero.
const char *jsonIdProblem(const nlohmann::json *value, size_t bytes);

/// {"stringValue": ...}, {"intValue": "42"} (int64 as a string), {"arrayValue": {"values": []}}...
nlohmann::json anyValueJson(const otlp::AnyValue &value);
/// [{"key": ..., "value": <anyValueJson>}, ...]
nlohmann::json keyValuesJson(const google::protobuf::RepeatedPtrField<otlp::KeyValue> &values);
/// {"name", "version", "attributes"} of an instrumentation scope.
nlohmann::json scopeJson(const otlp::InstrumentationScope &scope);
/// {"attributes"} of a resource.
nlohmann::json resourceJson(const otlp::Resource &resource);

/// Sets `object[key]` only when `count` is not zero (OTLP/JSON leaves zero counts out).
void putCount(nlohmann::json &object, const char *key, quint32 count);

/// The member `camel` or `snake` of a JSON object, or nullptr.
nlohmann::json *member(nlohmann::json &object, const char *camel, const char *snake);

} // namespace ts::otlpwire
