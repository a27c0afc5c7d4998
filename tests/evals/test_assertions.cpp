#include "evals/assertion.h"

#include <QtTest>

using namespace ts;
using json = nlohmann::json;

namespace {

AssertionSpec spec(const char *type, json value = json(), std::optional<double> threshold = {},
                   double weight = 1)
{
    return AssertionSpec {QString::fromLatin1(type), std::move(value), weight, threshold};
}

AssertionContext out(const QString &output)
{
    AssertionContext ctx;
    ctx.output = output;
    return ctx;
}

AssertionOutcome run(const char *type, json value, const QString &output,
                     std::optional<double> threshold = {})
{
    return evaluateAssertion(spec(type, std::move(value), threshold), out(output));
}

} // namespace

class TestAssertions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void equalsComparesTextExactly()
    {
        QVERIFY(run("equals", "Hello, World!", QStringLiteral("Hello, World!")).pass);
        const auto miss = run("equals", "Hello, World!", QStringLiteral("Hello"));
        QVERIFY(!miss.pass);
        QCOMPARE(miss.score, 0.0);
        QCOMPARE(miss.reason,
                 QStringLiteral("Expected output \"Hello\" to equal \"Hello, World!\""));
        QVERIFY(run("not-equals", "Hello", QStringLiteral("Hello, World!")).pass);
        QVERIFY(!run("not-equals", "Hello", QStringLiteral("Hello")).pass);
        QVERIFY(run("equals", 42, QStringLiteral("42")).pass); // numbers compare as text
    }

    void equalsParsesJsonForObjectValues()
    {
        QVERIFY(run("equals", json {{"a", 1}, {"b", {1, 2}}},
                    QStringLiteral(R"({ "b": [1,2], "a": 1 })"))
                    .pass);
        QVERIFY(!run("equals", json {{"a", 1}}, QStringLiteral(R"({"a": 2})")).pass);
        QVERIFY(!run("equals", json {{"a", 1}}, QStringLiteral("not json")).pass);
        QVERIFY(run("not-equals", json {{"a", 1}}, QStringLiteral("not json")).pass);
    }

    void equalsFallsBackToExpectedOutput()
    {
        AssertionContext ctx = out(QStringLiteral("Paris"));
        ctx.expected = QStringLiteral("Paris");
        QVERIFY(evaluateAssertion(spec("equals"), ctx).pass);
        const auto noExpected = evaluateAssertion(spec("equals"), out(QStringLiteral("Paris")));
        QVERIFY(!noExpected.pass);
        QVERIFY(noExpected.reason.contains(QStringLiteral("expected output")));
    }

    void containsFamily()
    {
        const auto miss = run("contains", "Paris", QStringLiteral("The capital is Lyon"));
        QVERIFY(!miss.pass);
        QCOMPARE(miss.reason, QStringLiteral("Expected output to contain \"Paris\""));
        QVERIFY(run("contains", "Paris", QStringLiteral("It is Paris.")).pass);
        QVERIFY(!run("contains", "paris", QStringLiteral("It is Paris.")).pass);
        QVERIFY(run("icontains", "paris", QStringLiteral("It is PARIS.")).pass);
        const auto notMiss = run("not-contains", "Paris", QStringLiteral("It is Paris."));
        QVERIFY(!notMiss.pass);
        QCOMPARE(notMiss.reason, QStringLiteral("Expected output to not contain \"Paris\""));
        QVERIFY(run("not-icontains", "paris", QStringLiteral("Lyon")).pass);
        QVERIFY(run("contains", 42, QStringLiteral("answer: 42")).pass);
    }

    void containsAnyAndAll()
    {
        QVERIFY(run("contains-any", json {"Paris", "Lyon"}, QStringLiteral("in Lyon")).pass);
        QVERIFY(!run("contains-any", json {"Paris", "Lyon"}, QStringLiteral("in Nice")).pass);
        QVERIFY(run("contains-any", "Paris, Lyon", QStringLiteral("in Lyon")).pass);
        QVERIFY(run("not-contains-any", "Paris, Lyon", QStringLiteral("in Nice")).pass);
        QVERIFY(run("icontains-any", "paris,lyon", QStringLiteral("LYON")).pass);
        // a quoted field keeps its comma
        QVERIFY(
            run("contains-any", R"("New York, NY", Boston)", QStringLiteral("from New York, NY"))
                .pass);
        QVERIFY(!run("contains-any", R"("New York, NY", Boston)", QStringLiteral("from New York"))
                     .pass);

        const auto all
            = run("contains-all", json {"red", "green", "blue"}, QStringLiteral("red and blue"));
        QVERIFY(!all.pass);
        QCOMPARE(all.reason,
                 QStringLiteral(
                     "Expected output to contain all of [red, green, blue]. Missing: [green]"));
        QVERIFY(run("contains-all", "red, blue", QStringLiteral("red and blue")).pass);
        QVERIFY(run("icontains-all", json {"RED", "Blue"}, QStringLiteral("red and blue")).pass);
        QVERIFY(run("not-contains-all", json {"red", "green"}, QStringLiteral("red only")).pass);
        QVERIFY(!run("not-icontains-all", json {"RED"}, QStringLiteral("red only")).pass);
    }

    void startsWithAndRegex()
    {
        QVERIFY(run("starts-with", "Yes", QStringLiteral("Yes, indeed")).pass);
        const auto miss = run("starts-with", "Yes", QStringLiteral("No"));
        QCOMPARE(miss.reason, QStringLiteral("Expected output to start with \"Yes\""));
        QVERIFY(run("not-starts-with", "Yes", QStringLiteral("No")).pass);

        QVERIFY(run("regex", R"(\d{3}-\d{4})", QStringLiteral("call 555-1234 now")).pass);
        QVERIFY(!run("regex", R"(^\d{3}-\d{4}$)", QStringLiteral("call 555-1234 now")).pass);
        QVERIFY(run("not-regex", "error", QStringLiteral("all good")).pass);
        const auto broken = run("regex", "(abc", QStringLiteral("abc"));
        QVERIFY(!broken.pass);
        QVERIFY(broken.reason.contains(QStringLiteral("offset")));
    }

    void isJsonWithAndWithoutSchema()
    {
        QVERIFY(run("is-json", json(), QStringLiteral(R"({"answer": "Paris"})")).pass);
        const auto notJson = run("is-json", json(), QStringLiteral("Sure! {\"answer\": 1}"));
        QVERIFY(!notJson.pass);
        QCOMPARE(notJson.reason, QStringLiteral("Expected output to be valid JSON"));
        QVERIFY(run("not-is-json", json(), QStringLiteral("plain words")).pass);

        const json schema = {{"type", "object"},
                             {"required", {"answer"}},
                             {"properties", {{"answer", {{"type", "string"}}}}}};
        QVERIFY(run("is-json", schema, QStringLiteral(R"({"answer": "Paris"})")).pass);
        const auto wrong = run("is-json", schema, QStringLiteral(R"({"answer": 3})"));
        QVERIFY(!wrong.pass);
        QVERIFY2(wrong.reason.contains(QStringLiteral("/answer: expected string, got number")),
                 qPrintable(wrong.reason));
        // the schema may also be given as JSON text
        QVERIFY(run("is-json", schema.dump(), QStringLiteral(R"({"answer": "x"})")).pass);
        QVERIFY(run("not-is-json", schema, QStringLiteral(R"({"answer": 3})")).pass);
    }

    void containsJsonFindsEmbeddedObjects()
    {
        QVERIFY(
            run("contains-json", json(), QStringLiteral("Here it is: {\"city\": \"Paris\"} enjoy"))
                .pass);
        QVERIFY(run("contains-json", json(), QStringLiteral("```json\n[{\"a\": 1}]\n```")).pass);
        QVERIFY(!run("contains-json", json(), QStringLiteral("no json, just {braces")).pass);
        QVERIFY(run("not-contains-json", json(), QStringLiteral("citation [1] only")).pass);
        const json schema = {{"type", "object"}, {"required", {"city"}}};
        QVERIFY(
            run("contains-json", schema, QStringLiteral("{\"x\": 1} and then {\"city\": \"Rome\"}"))
                .pass);
        const auto bad = run("contains-json", schema, QStringLiteral("{\"x\": 1}"));
        QVERIFY(!bad.pass);
        QVERIFY(bad.reason.contains(QStringLiteral("missing required property \"city\"")));
    }

    void levenshteinDistance()
    {
        QVERIFY(run("levenshtein", "kitten", QStringLiteral("sitting")).pass); // 3 <= 5
        const auto strict = run("levenshtein", "kitten", QStringLiteral("sitting"), 2);
        QVERIFY(!strict.pass);
        QCOMPARE(strict.reason,
                 QStringLiteral("Levenshtein distance 3 is greater than threshold 2"));
        QVERIFY(run("not-levenshtein", "kitten", QStringLiteral("sitting"), 2).pass);
    }

    void rougeNRecall()
    {
        const auto same
            = run("rouge-n", "The cat sat on the mat.", QStringLiteral("The cat sat on the mat."));
        QVERIFY(same.pass);
        QCOMPARE(same.score, 1.0);
        // reference has 5 unigrams, 3 of them appear in the output: recall 0.6
        const auto partial
            = run("rouge-n", "The quick brown dog jumps", QStringLiteral("The quick brown fox"));
        QVERIFY(!partial.pass);
        QCOMPARE(partial.score, 0.6);
        QCOMPARE(partial.reason, QStringLiteral("ROUGE-N score 0.60 is less than threshold 0.75"));
        QVERIFY(
            run("rouge-n", "The quick brown dog jumps", QStringLiteral("The quick brown fox"), 0.5)
                .pass);
        const auto inverted = run("not-rouge-n", "The quick brown dog jumps",
                                  QStringLiteral("The quick brown fox"));
        QVERIFY(inverted.pass);
        QVERIFY(qFuzzyCompare(inverted.score, 0.4));
    }

    void bleuScore()
    {
        // hand-computed: precisions 5/6, 3/5, 2/4, 1/3, no brevity penalty -> 0.08333^(1/4)
        const auto r
            = run("bleu", "the cat sat on a mat", QStringLiteral("the cat sat on the mat"));
        QVERIFY(r.pass);
        QVERIFY(qAbs(r.score - 0.537285) < 1e-5);
        QVERIFY(!run("bleu", "the cat sat on a mat", QStringLiteral("the cat sat on the mat"), 0.6)
                     .pass);
        const auto inv = run("not-bleu", "the cat sat on a mat",
                             QStringLiteral("the cat sat on the mat"), 0.6);
        QVERIFY(inv.pass);
        QVERIFY(qAbs(inv.score - (1 - 0.537285)) < 1e-5);
        // best of several references
        QVERIFY(run("bleu", json {"completely different words here", "the cat sat on the mat"},
                    QStringLiteral("the cat sat on the mat"))
                    .score
                > 0.999);
        QVERIFY(!run("bleu", "a b c d", QString()).pass); // empty output cannot be scored
    }

    void latencyAndCost()
    {
        AssertionContext ctx = out(QStringLiteral("x"));
        ctx.latencyMs = 1500;
        ctx.cost = 0.002;
        QVERIFY(evaluateAssertion(spec("latency", json(), 2000), ctx).pass);
        const auto slow = evaluateAssertion(spec("latency", json(), 1000), ctx);
        QVERIFY(!slow.pass);
        QCOMPARE(slow.reason, QStringLiteral("Latency 1500ms is greater than threshold 1000ms"));
        QVERIFY(evaluateAssertion(spec("not-latency", json(), 1000), ctx).pass);
        QVERIFY(evaluateAssertion(spec("cost", json(), 0.01), ctx).pass);
        QVERIFY(!evaluateAssertion(spec("cost", json(), 0.001), ctx).pass);
        // a cached answer has no latency: the assertion cannot pass silently
        QVERIFY(!evaluateAssertion(spec("latency", json(), 1000), out(QStringLiteral("x"))).pass);
    }

    void countRanges()
    {
        QVERIFY(run("word-count", json {{"min", 2}, {"max", 4}}, QStringLiteral("one two  three"))
                    .pass);
        const auto tooMany = run("word-count", json {{"max", 2}}, QStringLiteral("one two three"));
        QCOMPARE(tooMany.reason, QStringLiteral("Word count 3 is greater than maximum 2"));
        QVERIFY(run("word-count", 3, QStringLiteral("one two three")).pass);
        QVERIFY(run("not-word-count", json {{"min", 5}}, QStringLiteral("one two three")).pass);
        QVERIFY(run("character-count", json {{"max", 5}}, QStringLiteral("héllo")).pass);
        QVERIFY(run("char-count", 2, QStringLiteral("a😀")).pass); // an emoji counts once
        QVERIFY(
            run("sentence-count", 3, QStringLiteral("Hi there. How are you? Fine, thanks!")).pass);
        QVERIFY(run("sentence-count", 2, QStringLiteral("It costs 3.50 dollars. Really")).pass);
        QVERIFY(!run("sentence-count", json {{"max", 1}}, QStringLiteral("One. Two.")).pass);
    }

    void variablesAreSubstituted()
    {
        AssertionContext ctx = out(QStringLiteral("The capital of France is Paris."));
        ctx.vars = {{"city", "Paris"}, {"country", {{"name", "France"}}}};
        QVERIFY(evaluateAssertion(spec("contains", "{{city}}"), ctx).pass);
        QVERIFY(evaluateAssertion(spec("contains", "{{ country.name }}"), ctx).pass);
        QVERIFY(evaluateAssertion(spec("contains-all", json {"{{city}}", "{{country.name}}"}), ctx)
                    .pass);
        ctx.expected = QStringLiteral("Paris");
        QVERIFY(evaluateAssertion(spec("icontains", "{{expected}}"), ctx).pass);
        QCOMPARE(substituteVars("a {{missing}} b", json::object()), json("a  b"));
    }

    void caseAggregationFollowsPromptfoo()
    {
        const AssertionContext ctx = out(QStringLiteral("Paris is lovely"));
        const QList<AssertionSpec> specs {spec("contains", "Paris", {}, 1),
                                          spec("contains", "Rome", {}, 2),
                                          spec("icontains", "LOVELY", {}, 1)};
        const CaseVerdict strict = evaluateCase(specs, ctx, std::nullopt);
        QVERIFY(!strict.pass);
        QCOMPARE(strict.score, 0.5); // (1 + 0 + 1) / 4
        QCOMPARE(strict.outcomes.size(), 3);
        QCOMPARE(strict.reason, QStringLiteral("Expected output to contain \"Rome\""));
        QVERIFY(evaluateCase(specs, ctx, 0.5).pass);
        const CaseVerdict high = evaluateCase(specs, ctx, 0.6);
        QVERIFY(!high.pass);
        QCOMPARE(high.reason, QStringLiteral("Aggregate score 0.50 < 0.6 threshold"));

        // weight 0: reported, but neither fails the case nor moves the score
        const CaseVerdict informative
            = evaluateCase({spec("contains", "Paris"), spec("contains", "Rome", {}, 0)}, ctx);
        QVERIFY(informative.pass);
        QCOMPARE(informative.score, 1.0);
        QVERIFY(!informative.outcomes[1].pass);

        const CaseVerdict none = evaluateCase({}, ctx);
        QVERIFY(none.pass);
        QCOMPARE(none.score, 1.0);
    }

    void validationRejectsBadAssertions()
    {
        QVERIFY(validateAssertion(spec("contains", "x")).has_value());
        QVERIFY(validateAssertion(spec("not-regex", "^a+$")).has_value());

        const auto unknown = validateAssertion(spec("containz", "x"));
        QVERIFY(!unknown);
        QVERIFY(unknown.error().message.contains(QStringLiteral("containz")));

        const auto regex = validateAssertion(spec("regex", "(abc"));
        QVERIFY(!regex);
        QVERIFY2(regex.error().message.contains(QStringLiteral("offset 4")),
                 qPrintable(regex.error().message));

        const auto schema = validateAssertion(spec("is-json", json {{"type", "strng"}}));
        QVERIFY(!schema);
        QVERIFY(schema.error().message.contains(QStringLiteral("strng")));

        QVERIFY(!validateAssertion(spec("contains"))); // missing value
        QVERIFY(!validateAssertion(spec("contains-any", json::array())));
        QVERIFY(!validateAssertion(spec("contains-any", "\"open")));
        QVERIFY(!validateAssertion(spec("latency"))); // threshold required
        QVERIFY(!validateAssertion(spec("word-count", json {{"min", 5}, {"max", 2}})));
        QVERIFY(!validateAssertion(spec("rouge-n", "ref", 1.5)));
        QVERIFY(!validateAssertion(spec("contains", "x", {}, -1))); // negative weight
        QVERIFY(validateAssertion(spec("equals")).has_value()); // uses the expected output
        QVERIFY(validateAssertion(spec("regex", "{{pattern}}")).has_value()); // filled in per case
    }

    void specRoundTripsThroughJson()
    {
        const AssertionSpec original = spec("not-contains-any", json {"a", "b"}, 0.5, 2);
        const json j = original.toJson();
        QCOMPARE(j["type"], json("not-contains-any"));
        auto back = AssertionSpec::fromJson(j);
        QVERIFY(back.has_value());
        QVERIFY(*back == original);
        QCOMPARE(spec("is-json").toJson(), json({{"type", "is-json"}}));
        QVERIFY(!AssertionSpec::fromJson(json {{"value", "x"}}).has_value());
        QVERIFY(
            !AssertionSpec::fromJson(json {{"type", "contains"}, {"weight", "heavy"}}).has_value());
    }
};

QTEST_GUILESS_MAIN(TestAssertions)
#include "test_assertions.moc"
