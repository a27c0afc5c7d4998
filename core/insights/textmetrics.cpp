#include "insights/textmetrics.h"

#include "evals/jsonschema.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <string_view>

namespace ts {

namespace {

bool isWordCodePoint(char32_t c)
{
    if (c < 128)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '_';
    return QChar::isLetter(c) || QChar::isDigit(c);
}

char32_t lowerCodePoint(char32_t c)
{
    if (c < 128)
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return QChar::toLower(c);
}

void appendCodePoint(std::vector<char16_t> &s, char32_t c)
{
    if (QChar::requiresSurrogates(c)) {
        s.push_back(QChar::highSurrogate(c));
        s.push_back(QChar::lowSurrogate(c));
    } else {
        s.push_back(char16_t(c));
    }
}

/// Calls `word(const char16_t *, size_t)` for every lower-cased word of `text`.
template<typename F> void forEachWord(QStringView text, std::vector<char16_t> &buffer, F &&word)
{
    buffer.clear();
    const qsizetype n = text.size();
    const QChar *data = text.data();
    for (qsizetype i = 0; i < n; ++i) {
        char32_t c = data[i].unicode();
        if (c < 128) {
            // ASCII fast path.
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                buffer.push_back(char16_t(c));
                continue;
            }
            if (c >= 'A' && c <= 'Z') {
                buffer.push_back(char16_t(c + 32));
                continue;
            }
        } else {
            if (QChar::isHighSurrogate(c) && i + 1 < n && data[i + 1].isLowSurrogate()) {
                c = QChar::surrogateToUcs4(data[i], data[i + 1]);
                ++i;
            }
            if (isWordCodePoint(c)) {
                appendCodePoint(buffer, lowerCodePoint(c));
                continue;
            }
        }
        if (!buffer.empty()) {
            word(buffer.data(), buffer.size());
            buffer.clear();
        }
    }
    if (!buffer.empty())
        word(buffer.data(), buffer.size());
}

quint64 hashUnits(const char16_t *units, size_t length)
{
    quint64 h = 1469598103934665603ULL; // FNV-1a
    for (size_t i = 0; i < length; ++i) {
        h ^= units[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

double sum(const std::vector<double> &v)
{
    double s = 0;
    for (double x : v)
        s += x;
    return s;
}

std::vector<double> smoothedShares(const std::vector<double> &edges,
                                   const std::vector<double> &values)
{
    const size_t bins = edges.size() + 1;
    std::vector<double> counts(bins, 0.0);
    for (double v : values) {
        // bin i holds [e_i, e_{i+1}): the number of edges <= v
        const size_t bin = size_t(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
        counts[bin] += 1;
    }
    const double denominator = double(values.size()) + double(bins);
    for (double &c : counts)
        c = (c + 1) / denominator;
    return counts;
}

double psiOf(const std::vector<double> &ref, const std::vector<double> &cur)
{
    double psi = 0;
    for (size_t i = 0; i < ref.size(); ++i)
        psi += (cur[i] - ref[i]) * std::log(cur[i] / ref[i]);
    return psi;
}

} // namespace

qsizetype codePointLength(QStringView text)
{
    qsizetype n = text.size();
    for (qsizetype i = 0; i + 1 < text.size(); ++i)
        if (text[i].isHighSurrogate() && text[i + 1].isLowSurrogate()) {
            --n;
            ++i;
        }
    return n;
}

PsiBand psiBand(double psi)
{
    if (psi < 0.1)
        return PsiBand::Stable;
    return psi < 0.25 ? PsiBand::Moderate : PsiBand::Major;
}

QString psiBandName(PsiBand band)
{
    switch (band) {
    case PsiBand::Stable:
        return QStringLiteral("stable");
    case PsiBand::Moderate:
        return QStringLiteral("moderate");
    case PsiBand::Major:
        break;
    }
    return QStringLiteral("major");
}

std::vector<double> decileEdges(std::vector<double> reference)
{
    std::vector<double> edges;
    const size_t n = reference.size();
    if (n == 0)
        return edges;
    std::sort(reference.begin(), reference.end());
    for (size_t k = 1; k <= 9; ++k) {
        const size_t rank = (k * n + 9) / 10; // ceil(k * n / 10), 1-based
        const double e = reference[rank - 1];
        if (edges.empty() || edges.back() != e)
            edges.push_back(e);
    }
    return edges;
}

std::optional<PsiResult> populationStability(const std::vector<double> &reference,
                                             const std::vector<double> &current)
{
    if (reference.empty() || current.empty())
        return std::nullopt;
    PsiResult r;
    r.edges = decileEdges(reference);
    r.referenceShares = smoothedShares(r.edges, reference);
    r.currentShares = smoothedShares(r.edges, current);
    r.psi = psiOf(r.referenceShares, r.currentShares);
    return r;
}

double populationStability(const std::vector<double> &edges, const std::vector<double> &reference,
                           const std::vector<double> &current)
{
    return psiOf(smoothedShares(edges, reference), smoothedShares(edges, current));
}

QStringList words(QStringView text)
{
    QStringList out;
    std::vector<char16_t> buffer;
    forEachWord(text, buffer, [&](const char16_t *units, size_t length) {
        out.append(QString(reinterpret_cast<const QChar *>(units), qsizetype(length)));
    });
    return out;
}

Vocabulary::Vocabulary()
    : m_slots(1024, -1)
{
}

void Vocabulary::tokenize(QStringView text, std::vector<int> &ids)
{
    forEachWord(text, m_buffer,
                [&](const char16_t *units, size_t length) { ids.push_back(idOf(units, length)); });
}

int Vocabulary::lookup(const char16_t *units, size_t length, quint64 hash) const
{
    const size_t mask = m_slots.size() - 1;
    for (size_t i = size_t(hash) & mask;; i = (i + 1) & mask) {
        const int id = m_slots[i];
        if (id < 0)
            return -1 - int(i); // the free slot where it would go
        if (m_hashes[size_t(id)] == hash) {
            const QString &w = m_words[id];
            if (size_t(w.size()) == length
                && std::equal(units, units + length,
                              reinterpret_cast<const char16_t *>(w.constData())))
                return id;
        }
    }
}

int Vocabulary::idOf(const char16_t *units, size_t length)
{
    const quint64 hash = hashUnits(units, length);
    int found = lookup(units, length, hash);
    if (found >= 0)
        return found;
    if ((m_words.size() + 1) * 2 > qsizetype(m_slots.size())) {
        grow();
        found = lookup(units, length, hash);
    }
    const int id = int(m_words.size());
    m_words.append(QString(reinterpret_cast<const QChar *>(units), qsizetype(length)));
    m_hashes.push_back(hash);
    m_slots[size_t(-1 - found)] = id;
    return id;
}

void Vocabulary::grow()
{
    std::vector<int> slots(m_slots.size() * 2, -1);
    const size_t mask = slots.size() - 1;
    for (int id = 0; id < int(m_words.size()); ++id) {
        size_t i = size_t(m_hashes[size_t(id)]) & mask;
        while (slots[i] >= 0)
            i = (i + 1) & mask;
        slots[i] = id;
    }
    m_slots = std::move(slots);
}

std::optional<int> Vocabulary::find(const QString &word) const
{
    const auto *units = reinterpret_cast<const char16_t *>(word.constData());
    const int id = lookup(units, size_t(word.size()), hashUnits(units, size_t(word.size())));
    return id >= 0 ? std::optional<int>(id) : std::nullopt;
}

std::optional<double> jensenShannon(const std::vector<double> &countsP,
                                    const std::vector<double> &countsQ)
{
    const double np = sum(countsP);
    const double nq = sum(countsQ);
    if (np <= 0 || nq <= 0)
        return std::nullopt;
    const size_t n = std::max(countsP.size(), countsQ.size());
    double jsd = 0;
    for (size_t i = 0; i < n; ++i) {
        const double p = i < countsP.size() ? countsP[i] / np : 0.0;
        const double q = i < countsQ.size() ? countsQ[i] / nq : 0.0;
        const double m = (p + q) / 2;
        if (p > 0)
            jsd += 0.5 * p * std::log2(p / m);
        if (q > 0)
            jsd += 0.5 * q * std::log2(q / m);
    }
    return std::clamp(jsd, 0.0, 1.0);
}

QList<TypicalWord> logOddsRanking(const std::vector<double> &referenceCounts,
                                  const std::vector<double> &currentCounts,
                                  const Vocabulary &vocabulary)
{
    const size_t n = std::max(referenceCounts.size(), currentCounts.size());
    const double nr = sum(referenceCounts);
    const double nc = sum(currentCounts);
    const double a0 = nr + nc;
    QList<TypicalWord> out;
    if (nr <= 0 || nc <= 0)
        return out;
    for (size_t w = 0; w < n && int(w) < vocabulary.size(); ++w) {
        const double yr = w < referenceCounts.size() ? referenceCounts[w] : 0.0;
        const double yc = w < currentCounts.size() ? currentCounts[w] : 0.0;
        const double a = yr + yc;
        if (a <= 0)
            continue;
        const double delta
            = std::log((yc + a) / (nc + a0 - yc - a)) - std::log((yr + a) / (nr + a0 - yr - a));
        const double variance = 1 / (yc + a) + 1 / (yr + a);
        out.append({vocabulary.word(int(w)), delta / std::sqrt(variance), yr, yc});
    }
    std::stable_sort(out.begin(), out.end(), [](const TypicalWord &x, const TypicalWord &y) {
        return x.z != y.z ? x.z > y.z : x.word < y.word;
    });
    return out;
}

bool isFunctionWord(QStringView word)
{
    if (word.size() <= 1)
        return true;
    // Sorted: looked up by binary search. Pronouns, articles, auxiliaries, prepositions,
    // conjunctions and the contractions' pieces the tokenizer leaves ("don" of "don't").
    static constexpr std::string_view kWords[] = {
        "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are",
        "aren", "as", "at", "be", "because", "been", "before", "being", "below", "between",
        "both", "but", "by", "can", "could", "couldn", "did", "didn", "do", "does", "doesn",
        "doing", "don", "down", "during", "each", "few", "for", "from", "further", "had", "hadn",
        "has", "hasn", "have", "haven", "having", "he", "her", "here", "hers", "herself", "him",
        "himself", "his", "how", "if", "in", "into", "is", "isn", "it", "its", "itself", "just",
        "ll", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
        "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "re",
        "same", "she", "should", "shouldn", "so", "some", "such", "than", "that", "the", "their",
        "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "ve", "very", "was", "wasn", "we",
        "were", "weren", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
        "with", "won", "would", "wouldn", "you", "your", "yours", "yourself", "yourselves"};
    if (word.size() > 10)
        return false;
    char ascii[16];
    for (qsizetype i = 0; i < word.size(); ++i) {
        const char16_t c = word[i].unicode();
        if (c >= 0x80)
            return false;
        ascii[i] = char(c);
    }
    return std::binary_search(std::begin(kWords), std::end(kWords),
                              std::string_view(ascii, size_t(word.size())));
}

TypicalWords typicalWords(const std::vector<double> &referenceCounts,
                          const std::vector<double> &currentCounts, const Vocabulary &vocabulary,
                          int top)
{
    const QList<TypicalWord> ranked = logOddsRanking(referenceCounts, currentCounts, vocabulary);
    TypicalWords out;
    for (qsizetype i = 0; i < ranked.size() && out.current.size() < top && ranked[i].z > 0; ++i)
        if (!isFunctionWord(ranked[i].word))
            out.current.append(ranked[i]);
    for (qsizetype i = ranked.size() - 1; i >= 0 && out.reference.size() < top && ranked[i].z < 0;
         --i)
        if (!isFunctionWord(ranked[i].word))
            out.reference.append(ranked[i]);
    return out;
}

std::optional<nlohmann::json> outputAsJson(QStringView output)
{
    QStringView text = output.trimmed();
    if (text.startsWith(QLatin1String("```"))) {
        const qsizetype eol = text.indexOf(QLatin1Char('\n'));
        if (eol < 0)
            return std::nullopt;
        text = text.mid(eol + 1);
        if (text.endsWith(QLatin1String("```")))
            text.chop(3);
        text = text.trimmed();
    }
    if (text.isEmpty() || (text.front() != QLatin1Char('{') && text.front() != QLatin1Char('[')))
        return std::nullopt;
    nlohmann::json parsed = nlohmann::json::parse(text.toUtf8().toStdString(), nullptr, false);
    if (parsed.is_discarded() || !(parsed.is_object() || parsed.is_array()))
        return std::nullopt;
    return parsed;
}

FormatCheck checkFormat(QStringView output, const JsonSchemaValidator *schema)
{
    FormatCheck check;
    const std::optional<nlohmann::json> parsed = outputAsJson(output);
    check.json = parsed.has_value();
    if (schema)
        check.schema = parsed && schema->isValid(*parsed);
    return check;
}

} // namespace ts
