#pragma once

// Internal to core_evals: the per-type implementations behind evaluateAssertion().

#include "evals/assertion.h"
#include "evals/jsonschema.h"

#include <functional>

namespace ts::assertions {

/// One assertion being run, its value already filled in with test variables.
struct Call
{
    QString type; ///< as written, for messages
    QString base; ///< without `not-`
    bool inverse = false;
    nlohmann::json value;
    const AssertionSpec &spec;
    const AssertionContext &ctx;

    QString notWord() const { return inverse ? QStringLiteral("not ") : QString(); }
};

using Handler = std::function<Result<AssertionOutcome>(const Call &)>;

/// The implementation of a base type; nullptr when there is none.
const Handler *handlerFor(const QString &baseType);
/// Every base type, sorted.
QStringList baseTypes();

/// A list value: JSON array items, or "a, b, \"c, d\"" split as promptfoo does.
Result<QStringList> stringList(const nlohmann::json &value);
/// The JSON Schema in an is-json / contains-json value (an object, boolean or JSON text);
/// nullopt when none is given.
Result<std::optional<JsonSchemaValidator>> schemaOf(const nlohmann::json &value);

} // namespace ts::assertions
