#pragma once

#include "common/error.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <utility>

namespace ts {

/// One check on an output, named and valued as in promptfoo (0.123.1) so that a promptfoo user
/// gets the same verdict for the same assertion:
///
/// | type | value | passes when |
/// |---|---|---|
/// | equals | string, or object/array (compared to the output parsed as JSON) | output equals it |
/// | contains, icontains | string or number | output contains it (icontains: both sides lower-cased
/// as JavaScript's toLowerCase does, no case folding) |
/// | contains-any/-all, icontains-any/-all | list, or "a, b, \"c, d\"" | any / all are contained |
/// | starts-with, ends-with | string | output starts / ends with it |
/// | regex | JavaScript pattern (searched, not anchored) | the pattern matches; a pattern
/// JavaScript rejects, e.g. `(?i)`, fails both regex and not-regex | | is-json | optional JSON
/// Schema (object, or its JSON text) | output is JSON (conforming) | | contains-json | optional
/// JSON Schema | some embedded JSON object conforms | | is-xml, contains-xml | optional required
/// elements: "a.b, c", a list, or {requiredElements} | output is (contains) well-formed XML with
/// those element paths | | levenshtein | reference string | edit distance in UTF-16 units <=
/// threshold (default 5) | | rouge-n | reference string | ROUGE-1 F1 (lower-cased, clipped counts)
/// >= threshold (0.75) | | bleu | reference string or list | BLEU-4 >= threshold (default 0.5);
/// score = BLEU | | latency | none; threshold required (ms) | latencyMs <= threshold | | cost |
/// none; threshold required | cost <= threshold | | word-count, character-count (alias char-count),
/// sentence-count | n, or {min, max} | count in range | | finish-reason | "stop", "length",
/// "tool_calls", "content_filter" (any case) | the provider's finish reason, normalised, equals it
/// | | is-refusal | none | the output is empty or reads as a refusal (promptfoo's phrase list) | |
/// is-valid-openai-tools-call | none | every tool call names a declared tool and its arguments
/// conform to that tool's parameter schema | | perplexity, perplexity-score | none; optional
/// threshold | exp(-mean logprob) <= threshold, resp. 1/(1+exp(-mean logprob)) >= threshold; an
/// error without log probabilities | | javascript, python | inline code or file://path[:function] |
/// the code returns true, a number > 0 (or >= threshold), or {pass, score, reason}; run by node /
/// python3 with a time limit | | llm-rubric | rubric text | the grading model says the output meets
/// it (and score >= threshold when set) | | factuality, model-graded-factuality | reference answer
/// | the grading model finds the output consistent with it (category A, B, C or E) | |
/// model-graded-closedqa | criterion | the grading model answers Y | | answer-relevance | none |
/// mean cosine similarity between the question and questions the grading model derives from the
/// output >= threshold (default 0) | | similar | text or list of texts | embedding cosine
/// similarity >= threshold (default 0.75) with any of them; `{"value": …, "provider": "model"}`
/// embeds with that configured model (answer-relevance: `{"provider": "model"}`) | | select-best | criterion | this
/// output is the one the grading model picks among the case's outputs across variants (see
/// evaluateComparisons) | | max-score | optional {method: average|sum, weights: {type: w},
/// threshold} | this output has the highest score over the case's other assertions among the
/// variants |
///
/// Known differences from promptfoo: weight-0 outcomes keep their own pass/fail for display
/// (promptfoo reports them as passed) though neither affects the case; `not-levenshtein` is
/// inverted here (promptfoo ignores the `not-` on levenshtein).
///
/// `not-` before any type inverts the verdict; for graded types (rouge-n, bleu, similar,
/// model-graded types) the score becomes 1 - score, as in promptfoo. For equals,
/// levenshtein, rouge-n, bleu and factuality the value may be left out: the test case's
/// expected output is used instead. String values (and strings in lists) may name test
/// variables as `{{name}}` or `{{a.b}}`; `{{expected}}` is the expected output.
///
/// `transform` (promptfoo's assertion `transform`, or the test's `options.transform`, which
/// the importer copies onto each assertion of the test) is JavaScript run through node before
/// the check: inline (one line is an expression such as `output.trim()`; several lines are a
/// function body with `return`, as in promptfoo) or
/// `file://path.js[:function]`; it receives `output` and `context` and returns the new output.
struct AssertionSpec
{
    QString type;
    nlohmann::json value; ///< null when the type takes none
    double weight = 1; ///< 0 records the score but never fails the case
    std::optional<double> threshold;
    QString transform; ///< JavaScript applied to the output first; empty for none

    /// {"type":…, "value":…, "weight":…, "threshold":…, "transform":…}; default weight and
    /// absent value/threshold/transform are left out.
    nlohmann::json toJson() const;
    static Result<AssertionSpec> fromJson(const nlohmann::json &json);

    friend bool operator==(const AssertionSpec &, const AssertionSpec &) = default;
};

/// The outside world that model-graded, embedding and script assertions reach; the eval
/// runner supplies it. Calls are synchronous: evaluate such assertions off the UI thread.
struct AssertionServices
{
    using Messages = QList<std::pair<QString, QString>>; ///< (role, content)
    /// One call to the grading model; its text answer. Unset: model-graded types fail with
    /// "no grading model".
    std::function<Result<QString>(const Messages &messages)> grade;
    /// Embeddings for texts, in order, from the eval's embedding model. Unset: `similar` and
    /// answer-relevance are errors saying no embedding model is set.
    std::function<Result<QList<QList<double>>>(const QStringList &texts)> embed;
    /// Embeddings from a model the assertion names (`{"provider": "name"}` in its value, from
    /// promptfoo's assertion `provider`). Unset: such assertions are errors.
    std::function<Result<QList<QList<double>>>(const QString &model, const QStringList &texts)>
        embedWith;
    /// Time limit for one javascript / python / transform run.
    int scriptTimeoutMs = 10000;
    /// Where relative file:// references are looked up (the imported config's folder).
    QString baseDir;
};

/// What an assertion looks at.
struct AssertionContext
{
    QString output;
    std::optional<QString> expected;
    nlohmann::json vars = nlohmann::json::object();
    std::optional<double> latencyMs; ///< unknown for answers served from the cache
    std::optional<double> cost;
    QString prompt; ///< the rendered prompt (last user message), for model-graded types
    std::optional<QString> finishReason; ///< the provider's own value
    std::optional<QList<double>> logProbs; ///< per output token, when the provider returned them
    /// Why there are no log probabilities when the provider cannot give any (e.g. "Anthropic
    /// returns no log probabilities"); empty when unknown.
    QString noLogProbsReason;
    nlohmann::json toolCalls; ///< OpenAI-style [{id, type, function: {name, arguments}}] or null
    nlohmann::json tools; ///< the tools the prompt declared, OpenAI style, or null
    const AssertionServices *services = nullptr;
};

struct AssertionOutcome
{
    bool pass = false;
    double score = 0; ///< 0..1
    QString reason; ///< "Assertion passed" or what went wrong, e.g. `Expected output to contain
                    ///< "Paris"`
    /// select-best / max-score before evaluateComparisons() decided them; not counted.
    bool pending = false;
    /// Could not be evaluated because the run lacks what it needs (no or a refused embedding
    /// model, no log probabilities): neither a pass nor a failure. `pass` is false and
    /// `reason` says what is missing.
    bool error = false;
};

/// The verdict on one test case over all its assertions.
struct CaseVerdict
{
    bool pass = true;
    double score = 1; ///< sum(weight * score) / sum(weight); 0 if all weights are 0
    QList<AssertionOutcome> outcomes; ///< one per assertion, in order
    QString reason; ///< the first failure, or the threshold comparison
    /// The reason of the first assertion (weight > 0) that could not be evaluated (see
    /// AssertionOutcome::error); empty when every one was. An eval counts such a sample as an
    /// error, not a failure.
    QString error;
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
/// select-best and max-score come back `pending` and do not count until
/// evaluateComparisons() decides them.
CaseVerdict evaluateCase(const QList<AssertionSpec> &specs, const AssertionContext &ctx,
                         std::optional<double> caseThreshold = std::nullopt);

/// True for the types whose verdict compares one test case's outputs across variants
/// (select-best, max-score).
bool isComparisonAssertion(const QString &type);

/// Decides the comparison assertions of one test case once every variant's output is in:
/// `contexts[i]` and `verdicts[i]` (from evaluateCase) belong to variant i. The pending
/// outcomes are filled in (the chosen output passes, the others fail) and each verdict is
/// aggregated again. Verdicts without comparison assertions come back unchanged.
QList<CaseVerdict> evaluateComparisons(const QList<AssertionSpec> &specs,
                                       const QList<AssertionContext> &contexts,
                                       QList<CaseVerdict> verdicts,
                                       std::optional<double> caseThreshold = std::nullopt);

/// Replaces `{{name}}` / `{{ a.b }}` in the strings of `value` (a string or a list) with
/// test variables; unknown names become empty, as in Mustache.
nlohmann::json substituteVars(const nlohmann::json &value, const nlohmann::json &vars);

} // namespace ts
