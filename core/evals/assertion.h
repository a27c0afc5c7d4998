#pragma once

#include "common/error.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

/// One deterministic check on an output, named and valued as in promptfoo so that a
/// promptfoo user gets the same verdict for the same assertion:
///
/// | type | value | passes when |
/// |---|---|---|
/// | equals | string, or object/array (compared to the output parsed as JSON) | output equals it |
/// | contains, icontains | string or number | output contains it (icontains: any case) |
/// | contains-any/-all, icontains-any/-all | list, or "a, b, \"c, d\"" | any / all are contained |
/// | starts-with | string | output starts with it |
/// | regex | pattern (PCRE; searched, not anchored) | the pattern matches |
/// | is-json | optional JSON Schema (object, or its JSON text) | output is JSON (conforming) |
/// | contains-json | optional JSON Schema | some embedded JSON object conforms |
/// | levenshtein | reference string | edit distance <= threshold (default 5) |
/// | rouge-n | reference string | ROUGE-1 recall >= threshold (default 0.75); score = recall |
/// | bleu | reference string or list | BLEU-4 >= threshold (default 0.5); score = BLEU |
/// | latency | none; threshold required (ms) | latencyMs <= threshold |
/// | cost | none; threshold required | cost <= threshold |
/// | word-count, character-count (alias char-count), sentence-count | n, or {min, max} | count in
/// range |
///
/// Known differences from promptfoo: levenshtein threshold 0 means "identical" (promptfoo
/// reads 0 as the default 5); weight-0 outcomes keep their own pass/fail for display
/// (promptfoo reports them as passed) though neither affects the case; ROUGE tokenizes with
/// a compact Treebank-style tokenizer, so exotic punctuation may score slightly differently.
///
/// `not-` before any type inverts the verdict; for graded types (rouge-n, bleu) the score
/// becomes 1 - score, as in promptfoo. For equals, levenshtein, rouge-n and bleu the value
/// may be left out: the test case's expected output is used instead. String values (and
/// strings in lists) may name test variables as `{{name}}` or `{{a.b}}`; `{{expected}}` is
/// the expected output.
struct AssertionSpec
{
    QString type;
    nlohmann::json value; ///< null when the type takes none
    double weight = 1; ///< 0 records the score but never fails the case
    std::optional<double> threshold;

    /// {"type":…, "value":…, "weight":…, "threshold":…}; default weight and absent
    /// value/threshold are left out.
    nlohmann::json toJson() const;
    static Result<AssertionSpec> fromJson(const nlohmann::json &json);

    friend bool operator==(const AssertionSpec &, const AssertionSpec &) = default;
};

/// What an assertion looks at.
struct AssertionContext
{
    QString output;
    std::optional<QString> expected;
    nlohmann::json vars = nlohmann::json::object();
    std::optional<double> latencyMs; ///< unknown for answers served from the cache
    std::optional<double> cost;
};

struct AssertionOutcome
{
    bool pass = false;
    double score = 0; ///< 0..1
    QString reason; ///< "Assertion passed" or what went wrong, e.g. `Expected output to contain
                    ///< "Paris"`
};

/// The verdict on one test case over all its assertions.
struct CaseVerdict
{
    bool pass = true;
    double score = 1; ///< sum(weight * score) / sum(weight); 0 if all weights are 0
    QList<AssertionOutcome> outcomes; ///< one per assertion, in order
    QString reason; ///< the first failure, or the threshold comparison
};

/// The base assertion types, without the `not-` prefix.
QStringList assertionTypes();

/// Checks an assertion before it is saved: a known type, a value of the right kind, a regex
/// that compiles (its error and offset are reported), a valid JSON Schema, a threshold
/// where one is required, weight >= 0. The message says what to fix.
Result<void> validateAssertion(const AssertionSpec &spec);

/// Runs one assertion. A malformed assertion fails with the reason (never throws).
AssertionOutcome evaluateAssertion(const AssertionSpec &spec, const AssertionContext &ctx);

/// Runs every assertion and aggregates as promptfoo does: the case passes when every
/// assertion with weight > 0 passes or, when `caseThreshold` is set, when the weighted
/// score reaches it (individual failures then no longer decide). No assertions: pass, 1.
CaseVerdict evaluateCase(const QList<AssertionSpec> &specs, const AssertionContext &ctx,
                         std::optional<double> caseThreshold = std::nullopt);

/// Replaces `{{name}}` / `{{ a.b }}` in the strings of `value` (a string or a list) with
/// test variables; unknown names become empty, as in Mustache.
nlohmann::json substituteVars(const nlohmann::json &value, const nlohmann::json &vars);

} // namespace ts
