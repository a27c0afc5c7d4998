#pragma once

#include "common/error.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

/// Text measures behind the deterministic assertions. Each follows the definition promptfoo
/// uses, so a user moving over gets the same numbers for the same texts.
namespace ts::textmetrics {

/// Edit distance (insertions, deletions, substitutions) counted in UTF-16 code units, as
/// JavaScript strings (and promptfoo's fastest-levenshtein) count them: an emoji outside the
/// Basic Multilingual Plane is two units, so replacing it costs 2.
int levenshtein(const QString &a, const QString &b);

/// JavaScript's String.prototype.toLowerCase: the full Unicode lowercase mapping (İ becomes
/// "i̇", capital sigma becomes final ς at the end of a word and σ elsewhere), never case
/// folding: ς and σ stay different letters, as do ß and "ss".
QString jsToLowerCase(const QString &text);

/// Word tokens as js-rouge's Penn Treebank tokenizer makes them: whitespace collapsed,
/// double quotes become `` and '', punctuation and the common English contractions
/// ('s, n't, 're, can|not, gon|na…) become tokens of their own, a final period is split off
/// unless it ends an acronym such as "U.S.".
QStringList treebankTokens(const QString &text);

/// ROUGE-N as promptfoo computes it: both texts lower-cased (jsToLowerCase), tokenized with
/// treebankTokens, n-grams matched with clipped counts (a repeated word matches as often as
/// it occurs on both sides), score = F1 of n-gram precision and recall. An output identical
/// to the reference scores 1. 0 when either text is blank or has fewer than n tokens.
double rougeN(const QString &candidate, const QString &reference, int n = 1);

/// BLEU-4 (uniform weights) with brevity penalty against the closest reference length;
/// lowercased, whitespace tokens, zero precisions smoothed to 1e-7 (promptfoo's choice).
/// Fails on an empty candidate or no references.
Result<double> bleu(const QString &candidate, const QStringList &references);

/// Words separated by whitespace.
int wordCount(const QString &text);
/// Unicode code points (an emoji counts once).
int characterCount(const QString &text);
/// Sentences: non-empty stretches ended by '.', '!' or '?' followed by whitespace or the
/// end of text; trailing text without a terminator counts as a sentence too.
int sentenceCount(const QString &text);

/// Splits "a, b, \"c, d\"" into {a, b, "c, d"}: fields trimmed, empty fields skipped,
/// double quotes protect commas (\" or "" inside quotes is a literal quote).
Result<QStringList> parseCommaSeparated(const QString &value);

/// A JSON value found in free text and where: text.mid(start, end - start) is its source.
struct JsonSpan
{
    nlohmann::json value;
    qsizetype start = 0;
    qsizetype end = 0;
};

/// Every top-level JSON object and array embedded in free text, in order. A bracket whose
/// balanced stretch does not parse is skipped and scanning goes on inside it. Comments
/// (// and /* */) inside a candidate are tolerated.
QList<JsonSpan> findJsonSpans(const QString &text);

/// Every JSON object embedded in free text, in order of appearance (as promptfoo's
/// contains-json scans for them), plus top-level arrays whose elements include an object
/// or array. Comments (// and /* */) inside a candidate are tolerated.
QList<nlohmann::json> extractJsonValues(const QString &text);

/// JSON.parse-like strict parse of a whole string; nullopt when it is not JSON.
std::optional<nlohmann::json> parseJson(const QString &text);

/// A JSON scalar as JavaScript's String() would print it ("42", "1.5", "true").
QString jsString(const nlohmann::json &value);

} // namespace ts::textmetrics
