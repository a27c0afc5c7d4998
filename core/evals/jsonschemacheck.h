#pragma once

// Internal to core_evals: helpers shared by JsonSchemaValidator and its schema check.

#include "common/error.h"

#include <QString>

#include <nlohmann/json.hpp>

namespace ts::jsonschema {

QString qs(const std::string &s);
/// A key as a JSON pointer token: "~" -> "~0", "/" -> "~1".
QString escapePointerToken(const std::string &token);
/// The value as JSON text, cut to 80 characters.
QString shortDump(const nlohmann::json &value);
QString number(double d);
/// The JSON Schema type name of a value ("number" for every number).
QString typeOf(const nlohmann::json &value);
/// An integer in JSON Schema's sense: 3 and 3.0, not 3.5.
bool isIntegral(const nlohmann::json &value);
bool hasType(const nlohmann::json &value, const std::string &type);

/// Checks that `schema` is a usable schema; the message names the schema location.
Result<void> checkSchema(const nlohmann::json &schema);

} // namespace ts::jsonschema
