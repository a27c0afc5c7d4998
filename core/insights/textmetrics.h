#pragma once

// Drift metrics over plain texts: length PSI, vocabulary Jensen-Shannon divergence, the words
// most typical of each side, and output format conformance. Pure functions, no project.

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace ts {

class JsonSchemaValidator;

/// Length in Unicode code points (a surrogate pair counts once).
qsizetype codePointLength(QStringView text);

/// PSI bands: < 0.1 stable, 0.1-0.25 moderate, >= 0.25 major.
enum class PsiBand { Stable, Moderate, Major };
PsiBand psiBand(double psi);
QString psiBandName(PsiBand band); ///< "stable", "moderate", "major"

/// Bin edges from reference values: sort ascending; edge k = the value at rank ceil(k*n/10)
/// (1-based) for k = 1..9; duplicates removed. Empty when there are no values.
std::vector<double> decileEdges(std::vector<double> reference);

/// Population stability index of `current` against `reference`.
struct PsiResult
{
    double psi = 0;
    std::vector<double> edges; ///< bins (-inf,e1), [e1,e2), ..., [e_last,+inf)
    std::vector<double> referenceShares; ///< (count + 1) / (n + B)
    std::vector<double> currentShares;
};
/// PSI = sum over bins of (cur - ref) * ln(cur / ref), with edges from decileEdges(reference)
/// and add-one smoothed shares on each side. nullopt when either side is empty.
std::optional<PsiResult> populationStability(const std::vector<double> &reference,
                                             const std::vector<double> &current);
/// PSI against edges fixed beforehand (e.g. the whole reference's, for every window).
double populationStability(const std::vector<double> &edges, const std::vector<double> &reference,
                           const std::vector<double> &current);

/// Words: maximal runs of Unicode letters, decimal digits and underscore, lower-cased.
QStringList words(QStringView text);

/// Word ids shared by every text of one drift computation (an open-addressing table over
/// UTF-16 units: tokenizing 100,000 texts must not allocate a string per word).
class Vocabulary final
{
public:
    Vocabulary();
    /// Appends the ids of the words of `text` to `ids`, adding new words to the vocabulary.
    void tokenize(QStringView text, std::vector<int> &ids);
    int size() const { return int(m_words.size()); }
    const QString &word(int id) const { return m_words[id]; }
    std::optional<int> find(const QString &word) const;

private:
    int idOf(const char16_t *units, size_t length);
    int lookup(const char16_t *units, size_t length, quint64 hash) const;
    void grow();
    std::vector<int> m_slots; ///< word id or -1; size a power of two
    std::vector<quint64> m_hashes; ///< per word id
    QStringList m_words;
    std::vector<char16_t> m_buffer;
};

/// Jensen-Shannon divergence with base-2 logarithms (0 = same, 1 = disjoint) between the
/// relative frequencies of two count vectors indexed alike (the shorter is padded with 0).
/// nullopt when either side has no counts.
std::optional<double> jensenShannon(const std::vector<double> &countsP,
                                    const std::vector<double> &countsQ);

/// A word and its log-odds z-score: > 0 typical of the current side, < 0 of the reference.
struct TypicalWord
{
    QString word;
    double z = 0;
    double referenceCount = 0;
    double currentCount = 0;
};
/// Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 16,
/// 18-20), the prior being the pooled counts of both sides (alpha_w = y_w^ref + y_w^cur,
/// alpha_0 = n_ref + n_cur):
///   delta_w = ln((y_c + a_w) / (n_c + a_0 - y_c - a_w)) - ln((y_r + a_w) / (n_r + a_0 - y_r -
///   a_w)) var_w   = 1 / (y_c + a_w) + 1 / (y_r + a_w);   z_w = delta_w / sqrt(var_w)
/// Returns every word with a count, sorted by z descending (most typical of current first).
QList<TypicalWord> logOddsRanking(const std::vector<double> &referenceCounts,
                                  const std::vector<double> &currentCounts,
                                  const Vocabulary &vocabulary);
/// True for words that say nothing about a topic: single characters (the "e" of "e-bike") and
/// English function words ("the", "does", "from"). They still count in every metric; they are
/// only left out of the words shown to describe a side or a topic.
bool isFunctionWord(QStringView word);
/// The `top` words with the highest z (> 0) and the `top` with the lowest z (< 0), function
/// words left out.
struct TypicalWords
{
    QList<TypicalWord> reference; ///< most negative z first
    QList<TypicalWord> current; ///< most positive z first
};
TypicalWords typicalWords(const std::vector<double> &referenceCounts,
                          const std::vector<double> &currentCounts, const Vocabulary &vocabulary,
                          int top = 10);

/// An output as JSON: whitespace trimmed, then one enclosing Markdown code fence (```json ...
/// ```) removed and trimmed again. nullopt unless it parses as a JSON object or array.
std::optional<nlohmann::json> outputAsJson(QStringView output);
/// How an output conforms: JSON object/array, and whether it matches `schema` (nullopt
/// without a schema).
struct FormatCheck
{
    bool json = false;
    std::optional<bool> schema;
};
FormatCheck checkFormat(QStringView output, const JsonSchemaValidator *schema);

} // namespace ts
