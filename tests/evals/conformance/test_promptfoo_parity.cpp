// Rule-by-rule parity with promptfoo 0.123.1 for the assertion types whose verdicts differed:
// rouge-n, the icontains family, levenshtein and regex. Expected values are what promptfoo
// (JavaScript) computes; the JavaScript ones were checked with node.

#include "evals/assertion.h"
#include "evals/jsregex.h"
#include "evals/textmetrics.h"

#include <QtTest>

using namespace ts;
using json = nlohmann::json;

namespace {

AssertionOutcome run(const char *type, json value, const QString &output,
                     std::optional<double> threshold = {})
{
    AssertionContext ctx;
    ctx.output = output;
    return evaluateAssertion(
        AssertionSpec {QString::fromLatin1(type), std::move(value), 1, threshold}, ctx);
}

QString u(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

} // namespace

class TestPromptfooParity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // ---- rouge-n: clipped counts, lower-cased, F1, js-rouge's Treebank tokens -------------

    void rougeIdenticalTextScoresOneEvenWithRepeatedWords()
    {
        // Counting distinct n-grams gave 0.8 here (4 distinct of 5); promptfoo clips counts.
        const auto r = run("rouge-n", "the cat and the hat", u("the cat and the hat"));
        QVERIFY(r.pass);
        QCOMPARE(r.score, 1.0);
        QCOMPARE(r.reason, u("ROUGE-N score 1.00 is greater than or equal to threshold 0.75"));
    }

    void rougeIgnoresCase()
    {
        QCOMPARE(run("rouge-n", "the quick brown fox", u("The Quick Brown FOX")).score, 1.0);
    }

    void rougeIsTheF1OfClippedPrecisionAndRecall()
    {
        // output 4 tokens, reference 5, overlap 3: P = 3/4, R = 3/5, F1 = 2PR/(P+R) = 2/3
        const auto r = run("rouge-n", "The quick brown dog jumps", u("The quick brown fox"));
        QVERIFY(!r.pass);
        QVERIFY(qAbs(r.score - 2.0 / 3.0) < 1e-12);
        QCOMPARE(r.reason, u("ROUGE-N score 0.67 is less than threshold 0.75"));
        const auto inverted
            = run("not-rouge-n", "The quick brown dog jumps", u("The quick brown fox"));
        QVERIFY(inverted.pass);
        QVERIFY(qAbs(inverted.score - 1.0 / 3.0) < 1e-12);
        // a repeated output word matches only as often as the reference has it: "the" x3 vs x1
        // output [the, the, the] P = 1/3, reference [the, end] R = 1/2 -> F1 = 0.4
        QVERIFY(qAbs(run("rouge-n", "the end", u("the the the")).score - 0.4) < 1e-12);
    }

    void rougeCountsPunctuationAsTokens()
    {
        // output [hello , world !] against [hello world]: P = 2/4, R = 1 -> F1 = 2/3
        QVERIFY(qAbs(run("rouge-n", "Hello world", u("Hello, world!")).score - 2.0 / 3.0) < 1e-12);
    }

    void rougeOfBlankTextIsZeroNotAnError()
    {
        const auto r = run("rouge-n", "reference", u("   \n"));
        QVERIFY(!r.pass);
        QCOMPARE(r.score, 0.0);
        QCOMPARE(r.reason, u("ROUGE-N score 0.00 is less than threshold 0.75"));
    }

    void treebankTokensFollowJsRouge()
    {
        using textmetrics::treebankTokens;
        QCOMPARE(treebankTokens(u("He said, \"hi there.\"")),
                 QStringList(
                     {u("He"), u("said"), u(","), u("``"), u("hi"), u("there"), u("."), u("''")}));
        QCOMPARE(treebankTokens(u("I can't go")),
                 QStringList({u("I"), u("ca"), u("n't"), u("go")}));
        QCOMPARE(treebankTokens(u("We're gonna win")),
                 QStringList({u("We"), u("'re"), u("gon"), u("na"), u("win")}));
        QCOMPARE(treebankTokens(u("I cannot stay.")),
                 QStringList({u("I"), u("can"), u("not"), u("stay"), u(".")}));
        // a final period that ends an acronym stays on it
        QCOMPARE(treebankTokens(u("I live in the U.S.")),
                 QStringList({u("I"), u("live"), u("in"), u("the"), u("U.S.")}));
        QCOMPARE(treebankTokens(u("Wait... what?")),
                 QStringList({u("Wait"), u("..."), u("what"), u("?")}));
        QCOMPARE(treebankTokens(u("1,000 items: $5 (each)")),
                 QStringList(
                     {u("1,000"), u("items"), u(":"), u("$"), u("5"), u("("), u("each"), u(")")}));
    }

    // ---- icontains family: JavaScript toLowerCase, no case folding -------------------------

    void jsToLowerCaseMatchesJavaScript()
    {
        using textmetrics::jsToLowerCase;
        // node: "İSTANBUL ΟΔΟΣ ß K".toLowerCase() === "i̇stanbul οδος ß k"
        QCOMPARE(jsToLowerCase(u("İSTANBUL ΟΔΟΣ ß K")), u("i̇stanbul οδος ß k"));
        QCOMPARE(jsToLowerCase(u("ΣΑΣ")), u("σας")); // medial σ, final ς
        QCOMPARE(jsToLowerCase(u("Σ")), u("σ")); // no letter before it: not final
    }

    void icontainsKeepsFinalSigmaDistinct()
    {
        // "ΟΔΟΣ".toLowerCase() ends in ς, so it does not contain "οδοσ" (Unicode case folding
        // would have said it does).
        QVERIFY(!run("icontains", u("οδοσ").toStdString(), u("ΟΔΟΣ")).pass);
        QVERIFY(run("icontains", u("οδος").toStdString(), u("ΟΔΟΣ")).pass);
        QVERIFY(run("icontains", u("ΟΔΟΣ").toStdString(), u("η οδος")).pass);
        QVERIFY(!run("icontains-any", json {u("οδοσ").toStdString(), "x"}, u("ΟΔΟΣ")).pass);
        const auto all = run("icontains-all",
                             json {u("οδος").toStdString(), u("σας").toStdString()}, u("ΟΔΟΣ ΣΑΣ"));
        QVERIFY2(all.pass, qPrintable(all.reason));
        QVERIFY(run("not-icontains", u("οδοσ").toStdString(), u("ΟΔΟΣ")).pass);
    }

    void icontainsDoesNotFoldSharpSOrDottedI()
    {
        QVERIFY(!run("icontains", "SS", u("Straße")).pass); // "ss" is not in "straße"
        QVERIFY(run("icontains", u("STRASSE").toStdString(), u("strasse")).pass);
        // "İ".toLowerCase() is "i" + U+0307, so "istanbul" is not contained
        QVERIFY(!run("icontains", "istanbul", u("İSTANBUL")).pass);
        QVERIFY(run("icontains", "PARIS", u("in paris")).pass);
    }

    // ---- levenshtein: UTF-16 code units ------------------------------------------------------

    void levenshteinCountsUtf16Units()
    {
        QCOMPARE(textmetrics::levenshtein(u("hi"), u("hi😀")), 2); // an emoji is two units
        QCOMPARE(textmetrics::levenshtein(u("café"), u("cafe")), 1);
        const auto r = run("levenshtein", "hi", u("hi😀"), 1);
        QVERIFY(!r.pass);
        QCOMPARE(r.reason, u("Levenshtein distance 2 is greater than threshold 1"));
        QVERIFY(run("levenshtein", "hi", u("hi😀"), 2).pass);
    }

    // ---- regex: JavaScript's RegExp ------------------------------------------------------------

    void regexRejectedByJavaScriptFailsBothWays()
    {
        const auto r = run("regex", "(?i)yes", u("YES"));
        QVERIFY(!r.pass);
        QCOMPARE(r.reason,
                 u("Invalid regex pattern: Invalid regular expression: /(?i)yes/: Invalid group"));
        const auto inverse = run("not-regex", "(?i)yes", u("no"));
        QVERIFY(!inverse.pass);
        QCOMPARE(inverse.reason, r.reason);
        // still saved: an imported config keeps the assertion, and its verdict
        QVERIFY(validateAssertion(AssertionSpec {u("regex"), "(?i)yes"}).has_value());
    }

    void javaScriptSyntaxErrorsAreReported_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("reason");
        // node: new RegExp(pattern) throws with these messages
        QTest::newRow("inline flag") << u("(?i)yes") << u("Invalid group");
        QTest::newRow("python named") << u("(?P<n>x)") << u("Invalid group");
        QTest::newRow("comment") << u("(?#c)x") << u("Invalid group");
        QTest::newRow("atomic") << u("(?>a)") << u("Invalid group");
        QTest::newRow("possessive") << u("a++") << u("Nothing to repeat");
        QTest::newRow("braces first") << u("{2}") << u("Nothing to repeat");
        QTest::newRow("order") << u("a{2,1}") << u("numbers out of order in {} quantifier");
        QTest::newRow("range") << u("[z-a]") << u("Range out of order in character class");
        QTest::newRow("unmatched") << u("a)") << u("Unmatched ')'");
        QTest::newRow("lookbehind quantified") << u("(?<=a)+b") << u("Invalid quantifier");
        QTest::newRow("open group") << u("(abc") << u("Unterminated group");
        QTest::newRow("open class") << u("[abc") << u("Unterminated character class");
    }
    void javaScriptSyntaxErrorsAreReported()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, reason);
        const JsRegex re(pattern);
        QVERIFY(!re.isValid());
        QCOMPARE(re.errorString(),
                 QStringLiteral("Invalid regular expression: /%1/: %2").arg(pattern, reason));
    }

    void regexMatchesAsJavaScriptDoes_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("matches");
        // each row checked with node: new RegExp(pattern).test(text)
        QTest::newRow("\\A is the letter A") << u("\\Aabc") << u("abc") << false;
        QTest::newRow("\\A literal") << u("\\Aabc") << u("xAabc") << true;
        QTest::newRow("$ not before final newline") << u("end$") << u("the end\n") << false;
        QTest::newRow("\\s is Unicode space") << u("a\\sb") << u("a\u00a0b") << true;
        QTest::newRow("\\d is ASCII") << u("\\d") << u("\u0661") << false;
        QTest::newRow("\\w is ASCII") << u("^\\w+$") << u("héllo") << false;
        QTest::newRow("lone brace") << u("a{") << u("a{") << true;
        QTest::newRow("named backreference") << u("(?<y>\\d{4})-\\k<y>") << u("2020-2020") << true;
        QTest::newRow("[^] matches all") << u("[^]") << u("\n") << true;
        QTest::newRow(". stops at CR") << u(".") << u("\r") << false;
        QTest::newRow("\\8 is 8") << u("\\8") << u("8") << true;
        QTest::newRow("\\p is p") << u("\\p{L}") << u("p{L}") << true;
        QTest::newRow("backreference before group") << u("\\1(a)") << u("a") << true;
        QTest::newRow("class escape range") << u("[\\d-z]") << u("-") << true;
        QTest::newRow("control escape") << u("\\cJ") << u("\n") << true;
        QTest::newRow("lazy") << u("x*?y") << u("xxy") << true;
        QTest::newRow("quantified lookahead") << u("(?=a)*a") << u("a") << true;
        QTest::newRow("[\\b] is backspace") << u("[\\b]") << u("\b") << true;
        QTest::newRow("\\u escape") << u("\\u0041") << u("A") << true;
        QTest::newRow("short \\x is x") << u("\\x4") << u("x4") << true;
        QTest::newRow("legacy octal") << u("\\012") << u("\n") << true;
        QTest::newRow("search, not anchored") << u("\\d{3}-\\d{4}") << u("call 555-1234") << true;
    }
    void regexMatchesAsJavaScriptDoes()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(bool, matches);
        const JsRegex re(pattern);
        QVERIFY2(re.isValid(), qPrintable(re.errorString()));
        QCOMPARE(re.test(text), matches);
        QCOMPARE(run("regex", pattern.toStdString(), text).pass, matches);
        QCOMPARE(run("not-regex", pattern.toStdString(), text).pass, !matches);
    }
};

QTEST_GUILESS_MAIN(TestPromptfooParity)
#include "test_promptfoo_parity.moc"
