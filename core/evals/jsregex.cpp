#include "evals/jsregex.h"

#include <QSet>

namespace ts {

namespace {

// JavaScript's \s: WhiteSpace and LineTerminator code points.
const char *const kJsSpaceItems = "\\t\\n\\x{0B}\\f\\r\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}"
                                  "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

QString hexChar(uint codePoint)
{
    return QStringLiteral("\\x{%1}").arg(codePoint, 0, 16);
}

bool isDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}
bool isOctal(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('7');
}
int hexValue(QChar c)
{
    if (isDigit(c))
        return c.unicode() - '0';
    if (c >= QLatin1Char('a') && c <= QLatin1Char('f'))
        return c.unicode() - 'a' + 10;
    if (c >= QLatin1Char('A') && c <= QLatin1Char('F'))
        return c.unicode() - 'A' + 10;
    return -1;
}
bool isAsciiLetter(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
        || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
}

struct SyntaxError
{
    QString message;
};

class Translator
{
public:
    explicit Translator(const QString &p)
        : s(p)
    {
        countGroups();
    }

    // Returns the PCRE pattern; sets `error` on a JavaScript SyntaxError.
    QString run(QString *error)
    {
        QString out;
        if (!disjunction(out, 0, error))
            return {};
        if (pos < s.size()) { // only a stray ')' stops the top level early
            *error = QStringLiteral("Unmatched ')'");
            return {};
        }
        return out;
    }

private:
    const QString &s;
    qsizetype pos = 0;
    int groupCount = 0;
    QSet<QString> groupNames;
    bool duplicateName = false;

    QChar peek(qsizetype ahead = 0) const
    {
        return pos + ahead < s.size() ? s.at(pos + ahead) : QChar();
    }
    bool atEnd() const { return pos >= s.size(); }

    // Group names (for \k) and the number of capturing groups (for \N), counted up front
    // because a back reference may precede its group.
    void countGroups()
    {
        bool inClass = false;
        for (qsizetype i = 0; i < s.size(); ++i) {
            const QChar c = s.at(i);
            if (c == QLatin1Char('\\')) {
                ++i;
            } else if (inClass) {
                inClass = c != QLatin1Char(']');
            } else if (c == QLatin1Char('[')) {
                inClass = true;
            } else if (c == QLatin1Char('(')) {
                if (s.mid(i + 1, 1) != QLatin1String("?")) {
                    ++groupCount;
                } else if (s.mid(i + 2, 1) == QLatin1String("<")
                           && s.mid(i + 3, 1) != QLatin1String("=")
                           && s.mid(i + 3, 1) != QLatin1String("!")) {
                    ++groupCount;
                    const qsizetype close = s.indexOf(QLatin1Char('>'), i + 3);
                    if (close > 0) {
                        const QString name = s.mid(i + 3, close - i - 3);
                        duplicateName = duplicateName || groupNames.contains(name);
                        groupNames.insert(name);
                    }
                }
            }
        }
    }

    // {n}, {n,} or {n,m} at pos; sets `length` and the bounds.
    bool bracedQuantifier(qsizetype at, qsizetype *length, qint64 *min, qint64 *max) const
    {
        if (at >= s.size() || s.at(at) != QLatin1Char('{'))
            return false;
        qsizetype i = at + 1;
        const auto number = [&](qint64 *value) {
            const qsizetype start = i;
            qint64 v = 0;
            while (i < s.size() && isDigit(s.at(i))) {
                v = std::min<qint64>(v * 10 + (s.at(i).unicode() - '0'), qint64(1) << 40);
                ++i;
            }
            *value = v;
            return i > start;
        };
        if (!number(min))
            return false;
        *max = *min;
        if (i < s.size() && s.at(i) == QLatin1Char(',')) {
            ++i;
            *max = -1;
            if (i < s.size() && isDigit(s.at(i)))
                number(max);
        }
        if (i >= s.size() || s.at(i) != QLatin1Char('}'))
            return false;
        *length = i + 1 - at;
        return true;
    }

    bool startsQuantifier(qsizetype at) const
    {
        if (at >= s.size())
            return false;
        const QChar c = s.at(at);
        if (c == QLatin1Char('*') || c == QLatin1Char('+') || c == QLatin1Char('?'))
            return true;
        qsizetype len = 0;
        qint64 lo = 0, hi = 0;
        return bracedQuantifier(at, &len, &lo, &hi);
    }

    bool disjunction(QString &out, int depth, QString *error)
    {
        while (true) {
            if (!alternative(out, depth, error))
                return false;
            if (peek() == QLatin1Char('|')) {
                out += QLatin1Char('|');
                ++pos;
                continue;
            }
            return true;
        }
    }

    bool alternative(QString &out, int depth, QString *error)
    {
        while (!atEnd()) {
            const QChar c = peek();
            if (c == QLatin1Char('|'))
                return true;
            if (c == QLatin1Char(')')) {
                if (depth == 0) {
                    *error = QStringLiteral("Unmatched ')'");
                    return false;
                }
                return true;
            }
            if (!term(out, depth, error))
                return false;
        }
        return true;
    }

    bool nothingToRepeat(QString *error)
    {
        *error = QStringLiteral("Nothing to repeat");
        return false;
    }

    bool term(QString &out, int depth, QString *error)
    {
        const QChar c = peek();
        QString atom;
        bool quantifiable = true;
        bool lookbehind = false;
        if (c == QLatin1Char('^')) {
            ++pos;
            atom = QStringLiteral("^");
            quantifiable = false;
        } else if (c == QLatin1Char('$')) {
            ++pos;
            atom = QStringLiteral("(?!(?s:.))"); // the very end, never before a final \n
            quantifiable = false;
        } else if (c == QLatin1Char('\\')
                   && (peek(1) == QLatin1Char('b') || peek(1) == QLatin1Char('B'))) {
            atom = s.mid(pos, 2);
            pos += 2;
            quantifiable = false;
        } else if (c == QLatin1Char('(')) {
            if (!group(atom, depth, error, &quantifiable))
                return false;
            lookbehind = !quantifiable;
        } else if (c == QLatin1Char('[')) {
            if (!characterClass(atom, error))
                return false;
        } else if (c == QLatin1Char('.')) {
            ++pos;
            atom = QStringLiteral("[^\\n\\r\\x{2028}\\x{2029}]");
        } else if (c == QLatin1Char('\\')) {
            if (!atomEscape(atom, error))
                return false;
        } else if (c == QLatin1Char('*') || c == QLatin1Char('+') || c == QLatin1Char('?')) {
            return nothingToRepeat(error);
        } else if (c == QLatin1Char('{')) {
            if (startsQuantifier(pos))
                return nothingToRepeat(error);
            ++pos;
            atom = QStringLiteral("\\{");
        } else {
            atom = literal();
        }

        if (!startsQuantifier(pos)) {
            out += atom;
            return true;
        }
        if (lookbehind) {
            *error = QStringLiteral("Invalid quantifier");
            return false;
        }
        if (!quantifiable)
            return nothingToRepeat(error);
        QString quantifier;
        const QChar q = peek();
        if (q == QLatin1Char('{')) {
            qsizetype len = 0;
            qint64 lo = 0, hi = 0;
            bracedQuantifier(pos, &len, &lo, &hi);
            if (hi >= 0 && lo > hi) {
                *error = QStringLiteral("numbers out of order in {} quantifier");
                return false;
            }
            // PCRE caps repeat counts at 65535; JavaScript allows more.
            if (lo > 65535 || hi > 65535) {
                *error = QStringLiteral("repeat count above 65535 cannot be evaluated here");
                return false;
            }
            quantifier = s.mid(pos, len);
            pos += len;
        } else {
            quantifier = q;
            ++pos;
        }
        if (peek() == QLatin1Char('?')) {
            quantifier += QLatin1Char('?');
            ++pos;
        }
        if (startsQuantifier(pos))
            return nothingToRepeat(error);
        out += QStringLiteral("(?:") + atom + QLatin1Char(')') + quantifier;
        return true;
    }

    bool group(QString &atom, int depth, QString *error, bool *quantifiable)
    {
        ++pos; // (
        QString open;
        if (peek() != QLatin1Char('?')) {
            open = QStringLiteral("(");
        } else if (peek(1) == QLatin1Char(':')) {
            open = QStringLiteral("(?:");
            pos += 2;
        } else if (peek(1) == QLatin1Char('=') || peek(1) == QLatin1Char('!')) {
            open = s.mid(pos - 1, 3);
            pos += 2;
        } else if (peek(1) == QLatin1Char('<')
                   && (peek(2) == QLatin1Char('=') || peek(2) == QLatin1Char('!'))) {
            open = s.mid(pos - 1, 4);
            pos += 3;
            *quantifiable = false; // lookbehinds take no quantifier
        } else if (peek(1) == QLatin1Char('<')) {
            const qsizetype close = s.indexOf(QLatin1Char('>'), pos + 2);
            const QString name = close < 0 ? QString() : s.mid(pos + 2, close - pos - 2);
            static const QRegularExpression identifier(
                QStringLiteral("^[A-Za-z_$][A-Za-z0-9_$]*$"));
            if (name.isEmpty() || !identifier.match(name).hasMatch()) {
                *error = QStringLiteral("Invalid capture group name");
                return false;
            }
            if (duplicateName) {
                *error = QStringLiteral("Duplicate capture group name");
                return false;
            }
            open = QStringLiteral("(?<") + name + QLatin1Char('>');
            pos = close + 1;
        } else {
            *error = QStringLiteral("Invalid group");
            return false;
        }
        QString inner;
        if (!disjunction(inner, depth + 1, error))
            return false;
        if (peek() != QLatin1Char(')')) {
            *error = QStringLiteral("Unterminated group");
            return false;
        }
        ++pos;
        atom = open + inner + QLatin1Char(')');
        return true;
    }

    QString literal()
    {
        const QChar c = peek();
        if (c.isHighSurrogate() && peek(1).isLowSurrogate()) {
            const uint cp = QChar::surrogateToUcs4(c, peek(1));
            pos += 2;
            return hexChar(cp);
        }
        ++pos;
        if (c.isSurrogate())
            return QStringLiteral("(?!)"); // a lone surrogate cannot occur in valid text
        if (c.isLetterOrNumber() && c.unicode() < 128)
            return QString(c);
        return hexChar(c.unicode());
    }

    // Legacy octal (Annex B): up to three octal digits, at most \377.
    uint legacyOctal()
    {
        uint value = 0;
        int digits = 0;
        while (digits < 3 && isOctal(peek())) {
            const uint next = value * 8 + uint(peek().unicode() - '0');
            if (next > 0377)
                break;
            value = next;
            ++pos;
            ++digits;
        }
        return value;
    }

    // A character escape shared by atoms and classes (after the backslash); false when `c`
    // is not one.
    bool characterEscape(QString &out, bool inClass)
    {
        const QChar c = peek();
        switch (c.unicode()) {
        case 'f':
            out = QStringLiteral("\\f");
            ++pos;
            return true;
        case 'n':
            out = QStringLiteral("\\n");
            ++pos;
            return true;
        case 'r':
            out = QStringLiteral("\\r");
            ++pos;
            return true;
        case 't':
            out = QStringLiteral("\\t");
            ++pos;
            return true;
        case 'v':
            out = hexChar(0x0B);
            ++pos;
            return true;
        case 'c': {
            const QChar l = peek(1);
            const bool control
                = isAsciiLetter(l) || (inClass && (isDigit(l) || l == QLatin1Char('_')));
            if (control) {
                out = hexChar(l.unicode() % 32);
                pos += 2;
            } else { // "\c" itself: a backslash, then the c is read on its own
                out = QStringLiteral("\\\\");
            }
            return true;
        }
        case 'x':
            if (hexValue(peek(1)) >= 0 && hexValue(peek(2)) >= 0) {
                out = hexChar(uint(hexValue(peek(1)) * 16 + hexValue(peek(2))));
                pos += 3;
            } else {
                out = QStringLiteral("x");
                ++pos;
            }
            return true;
        case 'u':
            if (hexValue(peek(1)) >= 0 && hexValue(peek(2)) >= 0 && hexValue(peek(3)) >= 0
                && hexValue(peek(4)) >= 0) {
                const uint cp = uint(hexValue(peek(1)) << 12 | hexValue(peek(2)) << 8
                                     | hexValue(peek(3)) << 4 | hexValue(peek(4)));
                pos += 5;
                out = (cp >= 0xD800 && cp <= 0xDFFF) ? QStringLiteral("(?!)") : hexChar(cp);
                if (inClass && out.startsWith(QLatin1Char('(')))
                    out.clear(); // a lone surrogate in a class matches nothing
            } else {
                out = QStringLiteral("u");
                ++pos;
            }
            return true;
        default:
            return false;
        }
    }

    bool atomEscape(QString &atom, QString *error)
    {
        ++pos; // backslash
        if (atEnd()) {
            *error = QStringLiteral("\\ at end of pattern");
            return false;
        }
        const QChar c = peek();
        if (c == QLatin1Char('d') || c == QLatin1Char('D') || c == QLatin1Char('w')
            || c == QLatin1Char('W')) {
            atom = QLatin1Char('\\') + c;
            ++pos;
            return true;
        }
        if (c == QLatin1Char('s') || c == QLatin1Char('S')) {
            atom = QStringLiteral("[%1%2]").arg(c == QLatin1Char('S') ? QStringLiteral("^")
                                                                      : QString(),
                                                QLatin1String(kJsSpaceItems));
            ++pos;
            return true;
        }
        if (c == QLatin1Char('0') && !isDigit(peek(1))) {
            atom = hexChar(0);
            ++pos;
            return true;
        }
        if (isDigit(c)) {
            qsizetype i = pos;
            qint64 n = 0;
            while (i < s.size() && isDigit(s.at(i)) && n < 100000)
                n = n * 10 + (s.at(i++).unicode() - '0');
            if (c != QLatin1Char('0') && n <= groupCount) {
                // An unset group matches the empty string in JavaScript; PCRE would fail.
                atom = QStringLiteral("(?(%1)\\g{%1}|)").arg(n);
                pos = i;
                return true;
            }
            if (c == QLatin1Char('8') || c == QLatin1Char('9')) {
                atom = QString(c);
                ++pos;
                return true;
            }
            atom = hexChar(legacyOctal());
            return true;
        }
        if (c == QLatin1Char('k')) {
            if (groupNames.isEmpty()) {
                atom = QStringLiteral("k");
                ++pos;
                return true;
            }
            const qsizetype close = s.indexOf(QLatin1Char('>'), pos);
            const QString name = (peek(1) == QLatin1Char('<') && close > 0)
                ? s.mid(pos + 2, close - pos - 2)
                : QString();
            if (!groupNames.contains(name)) {
                *error = QStringLiteral("Invalid named capture referenced");
                return false;
            }
            atom = QStringLiteral("(?(<%1>)\\k<%1>|)").arg(name);
            pos = close + 1;
            return true;
        }
        if (characterEscape(atom, false))
            return true;
        // Identity escape: the character itself (\A is "A", \p is "p", \. is ".").
        atom = literal();
        return true;
    }

    // One class atom: a single code point (returned in *cp) or a class escape (*cp = -1).
    bool classAtom(QString &item, qint64 *cp, QString *error)
    {
        *cp = -1;
        if (peek() != QLatin1Char('\\')) {
            const QChar c = peek();
            if (c.isHighSurrogate() && peek(1).isLowSurrogate()) {
                *cp = QChar::surrogateToUcs4(c, peek(1));
                pos += 2;
            } else {
                *cp = c.unicode();
                ++pos;
            }
            item = (*cp >= 0xD800 && *cp <= 0xDFFF) ? QString() : hexChar(uint(*cp));
            return true;
        }
        ++pos;
        if (atEnd()) {
            *error = QStringLiteral("\\ at end of pattern");
            return false;
        }
        const QChar c = peek();
        if (c == QLatin1Char('d') || c == QLatin1Char('D') || c == QLatin1Char('w')
            || c == QLatin1Char('W') || c == QLatin1Char('S')) {
            item = QLatin1Char('\\') + c;
            ++pos;
            return true;
        }
        if (c == QLatin1Char('s')) {
            item = QLatin1String(kJsSpaceItems);
            ++pos;
            return true;
        }
        if (c == QLatin1Char('b')) {
            *cp = 8;
            ++pos;
        } else if (c == QLatin1Char('-')) {
            *cp = '-';
            ++pos;
        } else if (isDigit(c)) {
            if (c == QLatin1Char('8') || c == QLatin1Char('9')) {
                *cp = c.unicode();
                ++pos;
            } else {
                *cp = legacyOctal();
            }
        } else if (c == QLatin1Char('c')
                   && !(isAsciiLetter(peek(1)) || isDigit(peek(1))
                        || peek(1) == QLatin1Char('_'))) {
            *cp = '\\'; // "\c" in a class: a backslash; the c follows as its own atom
        } else {
            QString escaped;
            if (characterEscape(escaped, true)) {
                // Recover the code point for range checks.
                if (escaped == QLatin1String("\\f"))
                    *cp = 0x0C;
                else if (escaped == QLatin1String("\\n"))
                    *cp = 0x0A;
                else if (escaped == QLatin1String("\\r"))
                    *cp = 0x0D;
                else if (escaped == QLatin1String("\\t"))
                    *cp = 0x09;
                else if (escaped == QLatin1String("x") || escaped == QLatin1String("u"))
                    *cp = escaped.at(0).unicode();
                else if (escaped.startsWith(QLatin1String("\\x{")))
                    *cp = escaped.mid(3, escaped.size() - 4).toLongLong(nullptr, 16);
                item = escaped;
                if (*cp >= 0 && !escaped.startsWith(QLatin1String("\\x{")))
                    item = hexChar(uint(*cp));
                return true;
            }
            // identity escape
            if (c.isHighSurrogate() && peek(1).isLowSurrogate()) {
                *cp = QChar::surrogateToUcs4(c, peek(1));
                pos += 2;
            } else {
                *cp = c.unicode();
                ++pos;
            }
        }
        item = (*cp >= 0xD800 && *cp <= 0xDFFF) ? QString() : hexChar(uint(*cp));
        return true;
    }

    bool characterClass(QString &atom, QString *error)
    {
        ++pos; // [
        bool negated = false;
        if (peek() == QLatin1Char('^')) {
            negated = true;
            ++pos;
        }
        if (peek() == QLatin1Char(']')) {
            ++pos;
            atom = negated ? QStringLiteral("[\\s\\S]") : QStringLiteral("(?!)");
            return true;
        }
        QString body;
        while (true) {
            if (atEnd()) {
                *error = QStringLiteral("Unterminated character class");
                return false;
            }
            if (peek() == QLatin1Char(']')) {
                ++pos;
                break;
            }
            QString first;
            qint64 from = -1;
            if (!classAtom(first, &from, error))
                return false;
            if (peek() == QLatin1Char('-') && peek(1) != QLatin1Char(']') && pos + 1 < s.size()) {
                ++pos; // -
                QString second;
                qint64 to = -1;
                if (!classAtom(second, &to, error))
                    return false;
                if (from >= 0 && to >= 0) {
                    if (from > to) {
                        *error = QStringLiteral("Range out of order in character class");
                        return false;
                    }
                    body += hexChar(uint(from)) + QLatin1Char('-') + hexChar(uint(to));
                } else { // a class escape at either end: both atoms and a literal '-'
                    body += first + hexChar('-') + second;
                }
                continue;
            }
            body += first;
        }
        if (body.isEmpty())
            atom = negated ? QStringLiteral("[\\s\\S]") : QStringLiteral("(?!)");
        else
            atom = QStringLiteral("[%1%2]").arg(negated ? QStringLiteral("^") : QString(), body);
        return true;
    }
};

} // namespace

JsRegex::JsRegex(const QString &pattern)
{
    Translator translator(pattern);
    QString error;
    m_translated = translator.run(&error);
    if (!error.isEmpty()) {
        m_error = QStringLiteral("Invalid regular expression: /%1/: %2").arg(pattern, error);
        return;
    }
    m_re = QRegularExpression(m_translated);
    if (!m_re.isValid())
        m_error = QStringLiteral("Invalid regular expression: /%1/: cannot be evaluated here (%2)")
                      .arg(pattern, m_re.errorString());
}

bool JsRegex::test(const QString &text) const
{
    return isValid() && m_re.match(text).hasMatch();
}

} // namespace ts
