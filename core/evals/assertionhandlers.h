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
    const AssertionContext &ctx; ///< ctx.output is the transformed output
    nlohmann::json outputValue; ///< the transformed output as a value (a string unless the
                                ///< transform returned something else)
    nlohmann::json vars; ///< test variables plus `expected`

    QString notWord() const { return inverse ? QStringLiteral("not ") : QString(); }
};

using Handler = std::function<Result<AssertionOutcome>(const Call &)>;

/// The output an assertion looks at after its `transform` (promptfoo's outputString), and the
/// same as a JSON value (a transform may return an object; javascript/python see that).
struct Output
{
    QString text;
    nlohmann::json value;
};

/// Applies the spec's transform to the output (through node); the output unchanged if none.
Result<Output> transformedOutput(const AssertionSpec &spec, const AssertionContext &ctx,
                                 const nlohmann::json &vars);

/// The `context` promptfoo hands javascript/python code and transforms: {vars, prompt, test,
/// logProbs, providerResponse}.
nlohmann::json scriptContext(const AssertionContext &ctx, const nlohmann::json &vars);

// Families implemented in their own files.
Result<AssertionOutcome> handleFinishReason(const Call &call); // responsehandlers.cpp
Result<AssertionOutcome> handlePerplexity(const Call &call);
Result<AssertionOutcome> handleToolsCall(const Call &call);
Result<AssertionOutcome> handleScript(const Call &call);
Result<AssertionOutcome> handleModelGraded(const Call &call); // modelgraded.cpp
Result<AssertionOutcome> handleSimilar(const Call &call);
Result<AssertionOutcome> handleAnswerRelevance(const Call &call);

/// select-best over one case's outputs: the index the grading model picks.
Result<int> pickBest(const AssertionServices *services, const QString &criteria,
                     const QStringList &outputs);

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
