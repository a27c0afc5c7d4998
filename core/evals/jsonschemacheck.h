#pragma once

// Internal to core_evals: helpers shared by JsonSchemaValidator and its schema check.

#include "common/error.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <functional>

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
/// `$ref` targets are checked by JsonSchemaValidator::create, which knows the base URIs.
Result<void> checkSchema(const nlohmann::json &schema);

/// Calls `visit(node, pointer)` for every schema object in `schema` (the root and every
/// subschema reached through schema keywords, not through enum/const data).
void forEachSubschema(const nlohmann::json &schema, const QString &pointer,
                      const std::function<void(const nlohmann::json &, const QString &)> &visit);

/// The keywords whose values hold subschemas: a single schema, a list of them, or a map.
enum class SubschemaShape { None, One, List, Map, OneOrList, MapOrLists };
SubschemaShape subschemaShape(const std::string &keyword);

/// The draft-07 meta-schema as JSON text.
const char *draft07MetaSchema();

} // namespace ts::jsonschema
