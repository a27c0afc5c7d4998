#include "insights/textmetrics.h"

#include "evals/jsonschema.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

void appendCodePoint(QString &s, char32_t c)
{
    if (QChar::requiresSurrogates(c)) {
        s.append(QChar(QChar::highSurrogate(c)));
        s.append(QChar(QChar::lowSurrogate(c)));
    } else {
        s.append(QChar(char16_t(c)));
    }
}

/// Calls `word(const QString &)` for every word of `text`, reusing `buffer`.
template<typename F> void forEachWord(QStringView text, QString &buffer, F &&word)
{
    buffer.truncate(0);
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < n && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        }
        if (isWordCodePoint(c)) {
            appendCodePoint(buffer, lowerCodePoint(c));
        } else if (!buffer.isEmpty()) {
            word(std::as_const(buffer));
            buffer.truncate(0);
        }
    }
    if (!buffer.isEmpty())
        word(std::as_const(buffer));
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
    QString buffer;
    forEachWord(text, buffer, [&](const QString &w) { out.append(w); });
    return out;
}

void Vocabulary::tokenize(QStringView text, std::vector<int> &ids)
{
    forEachWord(text, m_buffer, [&](const QString &w) { ids.push_back(idOf(w)); });
}

int Vocabulary::idOf(const QString &word)
{
    const auto it = m_index.constFind(word);
    if (it != m_index.constEnd())
        return it.value();
    const int id = int(m_words.size());
    m_words.append(word);
    m_index.insert(m_words.last(), id);
    return id;
}

std::optional<int> Vocabulary::find(const QString &word) const
{
    const auto it = m_index.constFind(word);
    if (it == m_index.constEnd())
        return std::nullopt;
    return it.value();
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

TypicalWords typicalWords(const std::vector<double> &referenceCounts,
                          const std::vector<double> &currentCounts, const Vocabulary &vocabulary,
                          int top)
{
    const QList<TypicalWord> ranked = logOddsRanking(referenceCounts, currentCounts, vocabulary);
    TypicalWords out;
    for (qsizetype i = 0; i < ranked.size() && out.current.size() < top && ranked[i].z > 0; ++i)
        out.current.append(ranked[i]);
    for (qsizetype i = ranked.size() - 1; i >= 0 && out.reference.size() < top && ranked[i].z < 0;
         --i)
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
