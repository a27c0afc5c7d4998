#include "evals/textmetrics.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace ts::textmetrics {

namespace {

QStringList whitespaceSplit(const QString &text)
{
    QStringList words;
    QString current;
    for (const QChar ch : text) {
        if (ch.isSpace()) {
            if (!current.isEmpty())
                words.append(current);
            current.clear();
        } else {
            current.append(ch);
        }
    }
    if (!current.isEmpty())
        words.append(current);
    return words;
}

QStringList nGrams(const QStringList &tokens, int n)
{
    QStringList grams;
    for (qsizetype i = 0; i + n <= tokens.size(); ++i)
        grams.append(tokens.mid(i, n).join(QLatin1Char(' ')));
    return grams;
}

// Index just past the bracket that closes the one at `start`, honouring JSON strings;
// -1 when the text ends first.
qsizetype balancedEnd(const QString &text, qsizetype start)
{
    const QChar open = text.at(start);
    const QChar close = open == QLatin1Char('{') ? QLatin1Char('}') : QLatin1Char(']');
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (qsizetype i = start; i < text.size(); ++i) {
        const QChar ch = text.at(i);
        if (inString) {
            if (escaped)
                escaped = false;
            else if (ch == QLatin1Char('\\'))
                escaped = true;
            else if (ch == QLatin1Char('"'))
                inString = false;
            continue;
        }
        if (ch == QLatin1Char('"'))
            inString = true;
        else if (ch == open)
            ++depth;
        else if (ch == close && --depth == 0)
            return i + 1;
    }
    return -1;
}

std::optional<nlohmann::json> parseLenient(const QString &text)
{
    const std::string utf8 = text.toStdString();
    nlohmann::json parsed = nlohmann::json::parse(utf8, nullptr, false, /*ignore_comments=*/true);
    if (parsed.is_discarded())
        return std::nullopt;
    return parsed;
}

} // namespace

int levenshtein(const QString &a, const QString &b)
{
    const QList<uint> s = a.toUcs4();
    const QList<uint> t = b.toUcs4();
    QList<int> previous(t.size() + 1);
    QList<int> current(t.size() + 1);
    for (qsizetype j = 0; j <= t.size(); ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= s.size(); ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= t.size(); ++j) {
            const int cost = s[i - 1] == t[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
        }
        std::swap(previous, current);
    }
    return previous[t.size()];
}

QStringList treebankTokens(const QString &text)
{
    QString parse = whitespaceSplit(text).join(QLatin1Char(' '));
    if (parse.isEmpty())
        return {};
    static const QRegularExpression ellipsis(QStringLiteral("\\.{3}"));
    static const QRegularExpression commaColon(QStringLiteral("[:,](?!\\d)"));
    static const QRegularExpression symbols(QStringLiteral("[;@#$%&\"]"));
    static const QRegularExpression finalPeriod(QStringLiteral("([^.])(\\.)([\\])}>\"']*)\\s*$"));
    static const QRegularExpression marks(QStringLiteral("[?!]"));
    static const QRegularExpression brackets(QStringLiteral("[\\][(){}<>]"));
    static const QRegularExpression closingQuote(QStringLiteral("([^'])' "));
    static const QRegularExpression shortContraction(QStringLiteral("'([sSmMdD]) "));
    static const QRegularExpression longContraction(
        QStringLiteral("('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "));
    static const QRegularExpression spaces(QStringLiteral(" {2,}"));

    parse.replace(ellipsis, QStringLiteral(" ... "));
    parse.replace(commaColon, QStringLiteral(" \\0 "));
    parse.replace(symbols, QStringLiteral(" \\0 "));
    parse.replace(finalPeriod, QStringLiteral("\\1 \\2\\3 "));
    parse.replace(marks, QStringLiteral(" \\0 "));
    parse.replace(brackets, QStringLiteral(" \\0 "));
    parse.replace(QStringLiteral("--"), QStringLiteral(" -- "));
    parse = QLatin1Char(' ') + parse + QLatin1Char(' ');
    parse.replace(closingQuote, QStringLiteral("\\1 ' "));
    parse.replace(shortContraction, QStringLiteral(" '\\1 "));
    parse.replace(longContraction, QStringLiteral(" \\1 "));
    parse.replace(spaces, QStringLiteral(" "));
    return parse.trimmed().split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

double rougeN(const QString &candidate, const QString &reference, int n)
{
    const QStringList candGrams = nGrams(treebankTokens(candidate), n);
    const QStringList refGrams = nGrams(treebankTokens(reference), n);
    if (candGrams.isEmpty() || refGrams.isEmpty())
        return 0.0;
    const QSet<QString> candSet(candGrams.cbegin(), candGrams.cend());
    const QSet<QString> refSet(refGrams.cbegin(), refGrams.cend());
    qsizetype matches = 0;
    for (const QString &gram : candSet)
        matches += refSet.contains(gram) ? 1 : 0;
    return double(matches) / double(refGrams.size());
}

Result<double> bleu(const QString &candidate, const QStringList &references)
{
    if (candidate.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("BLEU needs a non-empty output"));
    if (references.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("BLEU needs a reference"));

    const auto words = [](const QString &s) {
        QStringList w = whitespaceSplit(s.toLower());
        // JavaScript's ''.split(/\s+/) yields one empty token; keep lengths comparable.
        if (w.isEmpty())
            w.append(QString());
        return w;
    };
    const QStringList cand = words(candidate);
    QList<QStringList> refs;
    for (const QString &r : references)
        refs.append(words(r));

    qsizetype closest = refs.first().size();
    for (const QStringList &r : refs) {
        if (std::abs(r.size() - cand.size()) < std::abs(closest - cand.size()))
            closest = r.size();
    }

    double logSum = 0.0;
    for (int n = 1; n <= 4; ++n) {
        const QStringList candGrams = nGrams(cand, n);
        QHash<QString, int> candCounts;
        for (const QString &g : candGrams)
            ++candCounts[g];
        int maxClipped = 0;
        for (const QStringList &r : refs) {
            QHash<QString, int> refCounts;
            for (const QString &g : nGrams(r, n))
                ++refCounts[g];
            int clipped = 0;
            for (auto it = candCounts.cbegin(); it != candCounts.cend(); ++it)
                clipped += std::min(it.value(), refCounts.value(it.key()));
            maxClipped = std::max(maxClipped, clipped);
        }
        const double precision = candGrams.isEmpty() ? 0.0 : double(maxClipped) / candGrams.size();
        logSum += 0.25 * std::log(precision == 0.0 ? 1e-7 : precision);
    }
    const double bp = cand.size() > closest ? 1.0 : std::exp(1.0 - double(cand.size()) / closest);
    return bp * std::exp(logSum);
}

int wordCount(const QString &text)
{
    return int(whitespaceSplit(text).size());
}

int characterCount(const QString &text)
{
    return int(text.toUcs4().size());
}

int sentenceCount(const QString &text)
{
    int count = 0;
    bool hasContent = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text.at(i);
        const bool terminator
            = ch == QLatin1Char('.') || ch == QLatin1Char('!') || ch == QLatin1Char('?');
        if (terminator) {
            const bool atBoundary = i + 1 == text.size() || text.at(i + 1).isSpace();
            if (atBoundary && hasContent) {
                ++count;
                hasContent = false;
            }
        } else if (ch.isLetterOrNumber()) {
            hasContent = true;
        }
    }
    return hasContent ? count + 1 : count;
}

Result<QStringList> parseCommaSeparated(const QString &value)
{
    QStringList fields;
    qsizetype i = 0;
    const qsizetype size = value.size();
    while (i < size) {
        while (i < size && (value.at(i).isSpace() || value.at(i) == QLatin1Char(',')))
            ++i;
        if (i >= size)
            break;
        if (value.at(i) == QLatin1Char('"')) {
            QString field;
            bool terminated = false;
            ++i;
            while (i < size) {
                const QChar ch = value.at(i);
                const QChar next = i + 1 < size ? value.at(i + 1) : QChar();
                if (ch == QLatin1Char('\\')
                    && (next == QLatin1Char('"') || next == QLatin1Char('\\'))) {
                    field.append(next);
                    i += 2;
                } else if (ch == QLatin1Char('"') && next == QLatin1Char('"')) {
                    field.append(QLatin1Char('"'));
                    i += 2;
                } else if (ch == QLatin1Char('"')) {
                    ++i;
                    terminated = true;
                    break;
                } else {
                    field.append(ch);
                    ++i;
                }
            }
            if (!terminated)
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("unterminated quoted field in \"%1\"").arg(value));
            while (i < size && value.at(i).isSpace())
                ++i;
            if (i < size && value.at(i) != QLatin1Char(','))
                return fail(
                    ErrorCode::InvalidArgument,
                    QStringLiteral("expected a comma after a quoted field in \"%1\"").arg(value));
            fields.append(field);
        } else {
            const qsizetype start = i;
            while (i < size && value.at(i) != QLatin1Char(','))
                ++i;
            fields.append(value.mid(start, i - start).trimmed());
        }
    }
    return fields;
}

QList<JsonSpan> findJsonSpans(const QString &text)
{
    QList<JsonSpan> found;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text.at(i);
        if (ch != QLatin1Char('{') && ch != QLatin1Char('['))
            continue;
        const qsizetype end = balancedEnd(text, i);
        if (end < 0)
            continue;
        auto parsed = parseLenient(text.mid(i, end - i));
        if (!parsed)
            continue;
        found.append(JsonSpan {std::move(*parsed), i, end});
        i = end - 1;
    }
    return found;
}

QList<nlohmann::json> extractJsonValues(const QString &text)
{
    QList<nlohmann::json> found;
    for (JsonSpan &span : findJsonSpans(text)) {
        if (span.value.is_array()) {
            // "[1]" in prose is a citation, not structured output
            const bool structured
                = std::any_of(span.value.begin(), span.value.end(),
                              [](const auto &e) { return e.is_object() || e.is_array(); });
            if (!structured)
                continue;
        }
        found.append(std::move(span.value));
    }
    return found;
}

std::optional<nlohmann::json> parseJson(const QString &text)
{
    nlohmann::json parsed = nlohmann::json::parse(text.toStdString(), nullptr, false);
    if (parsed.is_discarded())
        return std::nullopt;
    return parsed;
}

QString jsString(const nlohmann::json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::isfinite(d) && std::floor(d) == d && std::abs(d) < 1e21)
            return QString::number(d, 'f', 0);
    }
    return QString::fromStdString(value.dump());
}

} // namespace ts::textmetrics
