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
    // UTF-16 code units, as JavaScript counts them.
    QList<int> previous(b.size() + 1);
    QList<int> current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = int(i);
        const QChar ai = a.at(i - 1);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int cost = ai == b.at(j - 1) ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

QString jsToLowerCase(const QString &text)
{
    const QList<uint> cps = text.toUcs4();
    const auto cased = [](uint cp) {
        const auto cat = QChar::category(cp);
        return cat == QChar::Letter_Uppercase || cat == QChar::Letter_Lowercase
            || cat == QChar::Letter_Titlecase;
    };
    const auto caseIgnorable = [](uint cp) {
        switch (QChar::category(cp)) {
        case QChar::Mark_NonSpacing:
        case QChar::Mark_Enclosing:
        case QChar::Other_Format:
        case QChar::Letter_Modifier:
        case QChar::Symbol_Modifier:
            return true;
        default:
            break;
        }
        static const QList<uint> marks {0x27,   0x2E,   0x3A,   0xB7,   0x387,
                                        0x5F4,  0x2018, 0x2019, 0x2024, 0xFE13,
                                        0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A};
        return marks.contains(cp);
    };
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < cps.size(); ++i) {
        const uint cp = cps[i];
        if (cp == 0x03A3) { // Final_Sigma, the one context-sensitive rule JavaScript applies
            qsizetype before = i - 1;
            while (before >= 0 && caseIgnorable(cps[before]))
                --before;
            qsizetype after = i + 1;
            while (after < cps.size() && caseIgnorable(cps[after]))
                ++after;
            const bool final
                = before >= 0 && cased(cps[before]) && !(after < cps.size() && cased(cps[after]));
            out += QChar(final ? 0x03C2 : 0x03C3);
            continue;
        }
        if (cp < 0x80) {
            out += QChar(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            continue;
        }
        const char32_t one[1] = {char32_t(cp)};
        out += QString::fromUcs4(one, 1).toLower();
    }
    return out;
}

namespace {

bool isJsSpace(QChar c)
{
    switch (c.unicode()) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
        return true;
    default:
        return c.unicode() >= 0x2000 && c.unicode() <= 0x200A;
    }
}

// input.trim().replace(/\s+/g, ' ')
QString jsCollapseSpaces(const QString &input)
{
    QString out;
    bool pendingSpace = false;
    for (const QChar ch : input) {
        if (isJsSpace(ch)) {
            pendingSpace = !out.isEmpty();
            continue;
        }
        if (pendingSpace)
            out += QLatin1Char(' ');
        pendingSpace = false;
        out += ch;
    }
    return out;
}

bool isLetterOrNumberAt(const QString &text, qsizetype index)
{
    if (index < 0 || index >= text.size())
        return false;
    const QChar c = text.at(index);
    if (c.isHighSurrogate() && index + 1 < text.size())
        return QChar::isLetterOrNumber(QChar::surrogateToUcs4(c, text.at(index + 1)));
    return c.isLetterOrNumber();
}

} // namespace

QStringList treebankTokens(const QString &input)
{
    const QString text = jsCollapseSpaces(input);
    if (text.isEmpty())
        return {};

    // Classify paired double quotes before punctuation gets spaced out.
    QString parse;
    {
        static const QRegularExpression quotes(QStringLiteral("``|''|\""));
        static const QRegularExpression opener(QStringLiteral("[\\s(\\[{<]"));
        bool inside = false;
        qsizetype last = 0;
        for (auto it = quotes.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            const qsizetype index = m.capturedStart();
            const QString quote = m.captured();
            const bool opens
                = !inside && (index == 0 || opener.match(text.mid(index - 1, 1)).hasMatch());
            bool nextIsClosingPair = false;
            if (quote == QLatin1String("''") && index > 0 && isLetterOrNumberAt(text, index + 2)) {
                const auto next = quotes.match(text, index + 2);
                nextIsClosingPair = next.hasMatch() && next.captured() == QLatin1String("''");
            }
            inside = quote == QLatin1String("``")
                || (opens && (quote == QLatin1String("\"") || nextIsClosingPair));
            parse += text.mid(last, index - last);
            parse += inside ? QStringLiteral(" `` ") : QStringLiteral(" '' ");
            last = m.capturedEnd();
        }
        parse += text.mid(last);
    }

    static const QRegularExpression ellipsis(QStringLiteral("\\.{3}"));
    static const QRegularExpression commaColon(QStringLiteral("([:,])(?!\\d)"));
    static const QRegularExpression symbols(QStringLiteral("([;@#$%&])"));
    static const QRegularExpression finalPeriod(
        QStringLiteral("([^.])(?<!\\b[A-Za-z]\\.[A-Za-z])(\\.)([\\])}>'\\s]*)$"));
    static const QRegularExpression marks(QStringLiteral("([?!])"));
    static const QRegularExpression brackets(QStringLiteral("([\\][(){}<>])"));
    static const QRegularExpression closingQuote(QStringLiteral("([^'])' "));
    static const QRegularExpression shortContraction(QStringLiteral("'([sSmMdD]) "));
    static const QRegularExpression longContraction(
        QStringLiteral("('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "));
    static const QRegularExpression spaces(QStringLiteral(" {2,}"));
    static const QList<QRegularExpression> contractions = [] {
        QList<QRegularExpression> list;
        for (const char *p : {"\\b(can)(not)\\b", "\\b(d)('ye)\\b", "\\b(gim)(me)\\b",
                              "\\b(gon)(na)\\b", "\\b(got)(ta)\\b", "\\b(lem)(me)\\b",
                              "\\b(more)('n)\\b", "\\b(wan)(na) ", " ('t)(is)\\b", " ('t)(was)\\b"})
            list.append(
                QRegularExpression(QLatin1String(p), QRegularExpression::CaseInsensitiveOption));
        return list;
    }();

    parse.replace(ellipsis, QStringLiteral(" ... "));
    parse.replace(commaColon, QStringLiteral(" \\1 "));
    parse.replace(symbols, QStringLiteral(" \\1 "));
    parse.replace(finalPeriod, QStringLiteral("\\1 \\2\\3 "));
    parse.replace(marks, QStringLiteral(" \\1 "));
    parse.replace(brackets, QStringLiteral(" \\1 "));
    parse.replace(QStringLiteral("--"), QStringLiteral(" -- "));
    parse = QLatin1Char(' ') + parse + QLatin1Char(' ');
    parse.replace(closingQuote, QStringLiteral("\\1 ' "));
    parse.replace(shortContraction, QStringLiteral(" '\\1 "));
    parse.replace(longContraction, QStringLiteral(" \\1 "));
    for (const QRegularExpression &re : contractions) {
        // Each rule applies once (JavaScript's replace without the g flag).
        const QRegularExpressionMatch m = re.match(parse);
        if (m.hasMatch())
            parse.replace(m.capturedStart(), m.capturedLength(),
                          QLatin1Char(' ') + m.captured(1) + QLatin1Char(' ') + m.captured(2)
                              + QLatin1Char(' '));
    }
    parse.replace(spaces, QStringLiteral(" "));
    if (parse.startsWith(QLatin1Char(' ')))
        parse.remove(0, 1);
    if (parse.endsWith(QLatin1Char(' ')))
        parse.chop(1);
    return parse.split(QLatin1Char(' '));
}

double rougeN(const QString &candidate, const QString &reference, int n)
{
    static const QRegularExpression blank(QStringLiteral("^[\\s\\x{85}\\x{feff}]*$"),
                                          QRegularExpression::UseUnicodePropertiesOption);
    if (blank.match(candidate).hasMatch() || blank.match(reference).hasMatch())
        return 0.0;
    const QStringList candTokens = treebankTokens(jsToLowerCase(candidate));
    const QStringList refTokens = treebankTokens(jsToLowerCase(reference));
    if (candTokens.size() < n || refTokens.size() < n)
        return 0.0;
    const QStringList candGrams = nGrams(candTokens, n);
    const QStringList refGrams = nGrams(refTokens, n);
    QHash<QString, int> refCounts, candCounts;
    for (const QString &g : refGrams)
        ++refCounts[g];
    for (const QString &g : candGrams)
        ++candCounts[g];
    qsizetype overlap = 0;
    for (auto it = candCounts.cbegin(); it != candCounts.cend(); ++it)
        overlap += std::min(it.value(), refCounts.value(it.key()));
    if (overlap == 0)
        return 0.0;
    const double p = double(overlap) / double(candGrams.size());
    const double r = double(overlap) / double(refGrams.size());
    // js-rouge's fMeasure with beta = 1, in its order of operations.
    if (p == r)
        return p;
    if (p > r)
        return std::min(p, r * (2.0 / (1.0 + r / p)));
    return std::min(r, p * (2.0 / (1.0 + p / r)));
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
