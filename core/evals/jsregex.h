#pragma once

#include <QRegularExpression>
#include <QString>

namespace ts {

/// A regular expression with JavaScript's meaning, as `new RegExp(pattern)` (no flags, the
/// web-compatible Annex B grammar) reads it, so that promptfoo's `regex` assertions give the
/// same verdicts here:
/// - patterns JavaScript rejects are rejected with its reason, e.g. the inline flag `(?i)`
///   ("Invalid group"), possessive `a++` and `{2}` at the start ("Nothing to repeat"),
///   `(?P<n>…)`, `(?#…)`, `(?>…)`, conditionals and recursion;
/// - what JavaScript reads differently from PCRE is translated: `\A`, `\Z`, `\z`, `\h`, `\p{L}`…
///   are identity escapes (the letter itself), `.` stops at \n \r U+2028 U+2029, `$` matches
///   only at the very end, `\s` is Unicode whitespace, `\d` `\w` `\b` stay ASCII, a lone `{`,
///   `}` or `]` is literal, `[]` matches nothing and `[^]` anything, `\8` is "8", `\1` before
///   its group exists is still a back reference, octal escapes are read as in Annex B.
class JsRegex final
{
public:
    explicit JsRegex(const QString &pattern);

    /// False when JavaScript would throw a SyntaxError (or, rarely, when PCRE cannot
    /// express a valid JavaScript pattern, e.g. an unbounded lookbehind).
    bool isValid() const { return m_error.isEmpty(); }
    /// "Invalid regular expression: /(?i)x/: Invalid group", as V8 words it.
    QString errorString() const { return m_error; }
    /// Searches (not anchored), as RegExp.prototype.test.
    bool test(const QString &text) const;
    /// The PCRE pattern used for matching (for diagnostics and tests).
    QString translated() const { return m_translated; }

private:
    QString m_error;
    QString m_translated;
    QRegularExpression m_re;
};

} // namespace ts
