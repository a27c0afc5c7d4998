#pragma once

#include "common/error.h"

#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>

#include <nlohmann/json.hpp>

namespace ts {

/// One way an instance breaks a schema, located by JSON pointer ("" is the whole value).
struct SchemaError
{
    QString path; ///< JSON pointer into the instance, e.g. "/items/2/name"
    QString message; ///< e.g. "expected string, got number"

    /// "/answer: expected string, got number" ("/" stands for the whole value).
    QString toString() const;
};

/// Validates JSON values against the part of JSON Schema (draft-07 and 2020-12) that real
/// response schemas use: type (a name or a list; "integer" accepts 3.0), enum, const,
/// properties, required, additionalProperties (bool or schema), patternProperties,
/// min/maxProperties, items (schema; the draft-07 array form acts like prefixItems),
/// prefixItems, additionalItems, min/maxItems, uniqueItems, contains, minimum, maximum,
/// exclusiveMinimum/Maximum (number, or draft-04 style boolean), multipleOf, min/maxLength
/// (in code points), pattern (unanchored search), anyOf/oneOf/allOf/not, if/then/else,
/// boolean schemas and local $ref ("#", "#/definitions/x", "#/$defs/x", any pointer).
/// `format`, `title`, `description` and other annotations are accepted and ignored.
class JsonSchemaValidator final
{
public:
    /// Checks the schema (see validateSchema) and prepares a validator for it.
    static Result<JsonSchemaValidator> create(nlohmann::json schema);

    /// Rejects what cannot be a schema: a value that is neither object nor boolean, an
    /// unknown type name, a pattern that does not compile, a keyword of the wrong kind
    /// (e.g. "required": "name"), a $ref that does not resolve inside the document. The
    /// message names where in the schema, e.g. `/properties/age/type: unknown type "int"`.
    static Result<void> validateSchema(const nlohmann::json &schema);

    /// The errors of `instance`; empty when it conforms. With `allErrors` false it stops at
    /// the first one.
    QList<SchemaError> validate(const nlohmann::json &instance, bool allErrors = true) const;

    bool isValid(const nlohmann::json &instance) const
    {
        return validate(instance, false).isEmpty();
    }

    const nlohmann::json &schema() const { return m_schema; }

private:
    explicit JsonSchemaValidator(nlohmann::json schema);

    struct Walk;
    bool check(const nlohmann::json &schema, const nlohmann::json &value, const QString &path,
               Walk &walk, int depth) const;
    bool checkObject(const nlohmann::json &schema, const nlohmann::json &value, const QString &path,
                     Walk &walk, int depth) const;
    bool checkArray(const nlohmann::json &schema, const nlohmann::json &value, const QString &path,
                    Walk &walk, int depth) const;
    bool checkCombinators(const nlohmann::json &schema, const nlohmann::json &value,
                          const QString &path, Walk &walk, int depth) const;
    const nlohmann::json *resolve(const std::string &ref) const;
    const QRegularExpression &regex(const std::string &pattern) const;

    nlohmann::json m_schema;
    mutable QHash<QString, QRegularExpression> m_regexCache;
};

} // namespace ts
