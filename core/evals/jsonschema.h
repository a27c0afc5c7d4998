#pragma once

#include "common/error.h"

#include <QHash>
#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <memory>

namespace ts {

/// One way an instance breaks a schema, located by JSON pointer ("" is the whole value).
struct SchemaError
{
    QString path; ///< JSON pointer into the instance, e.g. "/items/2/name"
    QString message; ///< e.g. "expected string, got number"

    /// "/answer: expected string, got number" ("/" stands for the whole value).
    QString toString() const;
};

/// Validates JSON values against JSON Schema draft-07 (the whole of the official test suite's
/// required tests) and the draft 2020-12 keywords response schemas use. Keywords: type (a
/// name or a list; "integer" accepts 3.0), enum, const, properties, required,
/// additionalProperties, patternProperties, propertyNames, min/maxProperties, dependencies
/// (lists and schemas), dependentRequired, dependentSchemas, items (schema or the draft-07
/// array form), prefixItems, additionalItems, min/maxItems, uniqueItems, contains,
/// min/maxContains, minimum, maximum, exclusiveMinimum/Maximum (number, or draft-04 style
/// boolean), multipleOf, min/maxLength (in code points), pattern (ECMA-262, searched, not
/// anchored), anyOf/oneOf/allOf/not, if/then/else, boolean schemas, and for 2019-09/2020-12
/// schemas unevaluatedProperties and unevaluatedItems.
///
/// References: `$ref` by JSON pointer (with ~0, ~1 and percent escapes), by `$id` (absolute,
/// relative, URN, or a "#name" plain-name fragment) and `$anchor`, resolved against the base
/// URI that enclosing `$id`s set; the draft-07 meta-schema resolves built in, and other
/// documents resolve when given to create(). A schema whose `$schema` names draft 2019-09 or
/// 2020-12 evaluates the keywords beside a `$ref`; otherwise, as draft-07 says, a `$ref`
/// replaces its siblings. `format`, `title`, `description` and other annotations are accepted
/// and not enforced.
class JsonSchemaValidator final
{
public:
    /// Checks the schema (see validateSchema) and prepares a validator for it.
    static Result<JsonSchemaValidator> create(nlohmann::json schema);
    /// The same, with other schema documents `$ref` may name, by absolute URI (e.g.
    /// "http://localhost:1234/integer.json"). Nothing is ever fetched from the network.
    static Result<JsonSchemaValidator> create(nlohmann::json schema,
                                              const QHash<QString, nlohmann::json> &documents);

    /// Rejects what cannot be a schema: a value that is neither object nor boolean, an
    /// unknown type name, a pattern that does not compile, a keyword of the wrong kind
    /// (e.g. "required": "name"), a $ref that resolves nowhere. The message names where in
    /// the schema, e.g. `/properties/age/type: unknown type "int"`.
    static Result<void> validateSchema(const nlohmann::json &schema);

    /// The errors of `instance`; empty when it conforms. With `allErrors` false it stops at
    /// the first one.
    QList<SchemaError> validate(const nlohmann::json &instance, bool allErrors = true) const;

    bool isValid(const nlohmann::json &instance) const
    {
        return validate(instance, false).isEmpty();
    }

    const nlohmann::json &schema() const;

    struct Impl; // public only so that the .cpp's helpers can name it

private:
    explicit JsonSchemaValidator(std::shared_ptr<const Impl> impl);

    std::shared_ptr<const Impl> d;
};

} // namespace ts
