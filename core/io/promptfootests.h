#pragma once

#include "common/error.h"
#include "io/importedtest.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace ts {

/// True for the promptfoo assertion types Touchstone maps (with or without a `not-` prefix):
/// equals contains icontains contains-any contains-all icontains-any icontains-all starts-with
/// ends-with regex is-json contains-json is-xml contains-xml levenshtein rouge-n bleu latency
/// cost word-count finish-reason is-refusal perplexity perplexity-score
/// is-valid-openai-tools-call javascript python llm-rubric factuality model-graded-factuality
/// model-graded-closedqa answer-relevance similar select-best max-score.
bool isMappedAssertType(const QString &type);

/// True for the types that use a grading or embedding provider (promptfoo's `provider`):
/// similar, answer-relevance and the model-graded ones (with or without `not-`).
bool usesPromptfooProvider(const QString &type);

/// Maps one promptfoo assertion object ({type, value, weight, threshold, transform, ...}) found
/// at `where`. Returns the neutral assertion, or a null json if its type is not mapped; every
/// type or key left behind is appended to `unmapped` as "<where>: ...". Malformed entries are
/// errors. file:// references of javascript/python values and transforms are made absolute
/// against `baseDir` (the config's folder).
Result<nlohmann::json> mapPromptfooAssert(const nlohmann::json &assertion, const QString &where,
                                          QStringList &unmapped, const QString &baseDir = {});

/// Parses promptfoo's CSV assertion shorthand (`__expected` cells): `[not-]type[(threshold)]:value`
/// for a known type, `grade:` as llm-rubric, anything else as `equals` on the whole text.
/// Returns the raw assertion object, to be passed through mapPromptfooAssert().
nlohmann::json assertionFromString(const QString &text);

/// Maps one promptfoo test object ({vars, assert, description, threshold, metadata, options})
/// found at `where`. Arrays in vars expand to one test per combination, as promptfoo does,
/// when `expandVars` is true and the test does not set options.disableVarExpansion.
/// `metadata` becomes tags "key:value". `options.transform` (JavaScript) is copied onto every
/// assertion of the test, which applies it before checking. Unmapped keys and assertions go to
/// `unmapped`.
Result<QList<ImportedTest>> mapPromptfooTest(const nlohmann::json &test, const QString &where,
                                             bool expandVars, QStringList &unmapped,
                                             const QString &baseDir = {});

/// Reads a promptfoo CSV test file: columns are variables (strings) except `__expected` and
/// `__expected<N>` (assertion shorthand, see assertionFromString()), `__description`,
/// `__threshold` and `__metadata:<key>` (a "key:value" tag). Other `__` columns are listed in
/// `unmapped` once each. CSV errors fail the whole file with "file:line[:col]: ...".
Result<QList<ImportedTest>> parsePromptfooCsvTests(QByteArrayView bytes, const QString &fileName,
                                                   QStringList &unmapped,
                                                   const QString &baseDir = {});

} // namespace ts
