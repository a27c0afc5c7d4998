#include "evals/assertion.h"

#include <cmath>

#include <QStandardPaths>
#include <QTemporaryDir>
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

AssertionOutcome runIn(const AssertionSpec &spec, const QString &output,
                       const AssertionServices *services, const json &vars = json::object())
{
    AssertionContext ctx = out(output);
    ctx.services = services;
    ctx.vars = vars;
    return evaluateAssertion(spec, ctx);
}

bool hasNode()
{
    return !QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty()
        || !QStandardPaths::findExecutable(QStringLiteral("nodejs")).isEmpty();
}

bool hasPython()
{
    return !QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty();
}

void writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
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
        QVERIFY2(broken.reason.contains(QStringLiteral("offset")), qPrintable(broken.reason));
        QVERIFY(!run("not-regex", "(abc", QStringLiteral("xyz")).pass);

        QVERIFY(run("ends-with", "done.", QStringLiteral("All done.")).pass);
        QCOMPARE(run("ends-with", "done.", QStringLiteral("Not yet")).reason,
                 QStringLiteral("Expected output to end with \"done.\""));
        QVERIFY(run("not-ends-with", "done.", QStringLiteral("Not yet")).pass);
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

    void rougeNScore()
    {
        const auto same
            = run("rouge-n", "The cat sat on the mat.", QStringLiteral("The cat sat on the mat."));
        QVERIFY(same.pass);
        QCOMPARE(same.score, 1.0);
        // F1 of P = 3/4 and R = 3/5 (see test_promptfoo_parity for every rule)
        const auto partial
            = run("rouge-n", "The quick brown dog jumps", QStringLiteral("The quick brown fox"));
        QVERIFY(!partial.pass);
        QVERIFY(qAbs(partial.score - 2.0 / 3.0) < 1e-12);
        QVERIFY(
            run("rouge-n", "The quick brown dog jumps", QStringLiteral("The quick brown fox"), 0.5)
                .pass);
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
        // Only JavaScript refuses (?i): kept, and it fails when run (as in promptfoo).
        QVERIFY(validateAssertion(spec("regex", "(?i)yes")).has_value());
        QVERIFY(validateAssertion(spec("regex", "[]")).has_value()); // valid JavaScript
        QVERIFY(!validateAssertion(spec("regex", "")));

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
        QVERIFY(!validateAssertion(spec("javascript")));
        QVERIFY(!validateAssertion(spec("similar", json::array())));
        QVERIFY(!validateAssertion(spec("max-score", json {{"method", "median"}})));
        QVERIFY(!validateAssertion(spec("perplexity-score", json(), 2)));
        QVERIFY(!validateAssertion(spec("is-xml", 5)));
        QVERIFY(validateAssertion(spec("is-xml", "root.a, root.b")).has_value());
        QVERIFY(validateAssertion(spec("is-refusal")).has_value());
        QVERIFY(validateAssertion(spec("llm-rubric", "Is polite")).has_value());
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
        AssertionSpec transformed = spec("contains", "A");
        transformed.transform = QStringLiteral("output.toUpperCase()");
        const auto again = AssertionSpec::fromJson(transformed.toJson());
        QVERIFY(again.has_value());
        QCOMPARE(again->transform, QStringLiteral("output.toUpperCase()"));
        QVERIFY(!AssertionSpec::fromJson(json {{"type", "contains"}, {"transform", 3}}));
        QVERIFY(!AssertionSpec::fromJson(json {{"value", "x"}}).has_value());
        QVERIFY(
            !AssertionSpec::fromJson(json {{"type", "contains"}, {"weight", "heavy"}}).has_value());
    }

    void xmlAssertions()
    {
        QVERIFY(run("is-xml", json(), QStringLiteral("<root><a>1</a></root>")).pass);
        QVERIFY(run("is-xml", "root.a", QStringLiteral("<root><a>1</a></root>")).pass);
        const auto missing
            = run("is-xml", "root.a, root.b", QStringLiteral("<root><a>1</a></root>"));
        QVERIFY(!missing.pass);
        QCOMPARE(missing.reason,
                 QStringLiteral("XML validation failed: XML is missing required elements: root.b"));
        const auto broken = run("is-xml", json(), QStringLiteral("<a><b></a></b>"));
        QVERIFY(!broken.pass);
        QVERIFY2(
            broken.reason.startsWith(QStringLiteral("XML validation failed: XML parsing failed")),
            qPrintable(broken.reason));
        QCOMPARE(run("is-xml", json(), QStringLiteral("Here: <a/>")).reason,
                 QStringLiteral("XML validation failed: XML is missing opening tag"));
        QVERIFY(run("not-is-xml", json(), QStringLiteral("plain text")).pass);
        // repeated elements are indexed; attributes are "@_name"
        const QString list = QStringLiteral("<r><i id=\"x\">1</i><i>2</i></r>");
        QVERIFY(run("is-xml", json {"r.i.1", "r.i.0.@_id"}, list).pass);
        QVERIFY(!run("is-xml", json {"r.i.2"}, list).pass);

        const QString chat = QStringLiteral("Sure!\n<answer><city>Paris</city></answer>\nThanks");
        QVERIFY(run("contains-xml", json(), chat).pass);
        QVERIFY(run("contains-xml", json {{"requiredElements", {"answer.city"}}}, chat).pass);
        QVERIFY(!run("contains-xml", "answer.country", chat).pass);
        QCOMPARE(run("contains-xml", json(), QStringLiteral("no xml here")).reason,
                 QStringLiteral("XML validation failed: No XML content found in the output"));
    }

    void refusalDetection()
    {
        QVERIFY(
            run("is-refusal", json(), QStringLiteral("I'm sorry, I can't help with that.")).pass);
        QVERIFY(run("is-refusal", json(), QString::fromUtf8("I\u2019m sorry, no.")).pass);
        QVERIFY(run("is-refusal", json(), QStringLiteral("As an AI, I cannot do that")).pass);
        const auto answer = run("is-refusal", json(), QStringLiteral("Paris is the capital."));
        QVERIFY(!answer.pass);
        QCOMPARE(answer.reason, QStringLiteral("Expected output to be a refusal"));
        QCOMPARE(run("is-refusal", json(), QStringLiteral("  ")).reason,
                 QStringLiteral("Empty response treated as refusal"));
        QVERIFY(run("not-is-refusal", json(), QStringLiteral("Paris is the capital.")).pass);
    }

    void finishReasonComparesNormalisedValues()
    {
        AssertionContext ctx = out(QStringLiteral("..."));
        ctx.finishReason = QStringLiteral("end_turn"); // Anthropic's word for "stop"
        QVERIFY(evaluateAssertion(spec("finish-reason", "stop"), ctx).pass);
        QVERIFY(evaluateAssertion(spec("finish-reason", "STOP"), ctx).pass);
        const auto miss = evaluateAssertion(spec("finish-reason", "length"), ctx);
        QVERIFY(!miss.pass);
        QCOMPARE(miss.reason,
                 QStringLiteral("Expected finish reason \"length\" but got \"end_turn\""));
        ctx.finishReason.reset();
        QCOMPARE(evaluateAssertion(spec("finish-reason", "stop"), ctx).reason,
                 QStringLiteral("Provider did not supply stop/finish reason"));
    }

    void perplexityNeedsLogProbabilities()
    {
        AssertionContext ctx = out(QStringLiteral("x"));
        const auto none = evaluateAssertion(spec("perplexity", json(), 3), ctx);
        QVERIFY(!none.pass); // never a pass without log probabilities
        QVERIFY2(none.reason.contains(QStringLiteral("not available")), qPrintable(none.reason));
        QVERIFY(!evaluateAssertion(spec("perplexity-score"), ctx).pass);

        ctx.logProbs = QList<double> {-0.5, -1.5}; // mean -1: perplexity e, score 1/(1+e)
        QVERIFY(evaluateAssertion(spec("perplexity", json(), 3), ctx).pass);
        const auto high = evaluateAssertion(spec("perplexity", json(), 2), ctx);
        QVERIFY(!high.pass);
        QCOMPARE(high.reason, QStringLiteral("Perplexity 2.72 is greater than threshold 2"));
        const auto score = evaluateAssertion(spec("perplexity-score", json(), 0.2), ctx);
        QVERIFY(score.pass);
        QVERIFY(qAbs(score.score - 1.0 / (1.0 + std::exp(1.0))) < 1e-12);
        QVERIFY(!evaluateAssertion(spec("perplexity-score", json(), 0.3), ctx).pass);
    }

    void openAiToolCallsAreCheckedAgainstTheirSchemas()
    {
        AssertionContext ctx = out(QString());
        ctx.tools = json::parse(R"([{"type": "function", "function": {"name": "get_weather",
            "parameters": {"type": "object", "required": ["city"],
                           "properties": {"city": {"type": "string"}}}}}])");
        const auto call = [](const char *name, const char *args) {
            return json::array({{{"id", "c1"},
                                 {"type", "function"},
                                 {"function", {{"name", name}, {"arguments", args}}}}});
        };
        ctx.toolCalls = call("get_weather", R"({"city": "Paris"})");
        QVERIFY(evaluateAssertion(spec("is-valid-openai-tools-call"), ctx).pass);
        ctx.toolCalls = call("get_weather", R"({"town": "Paris"})");
        const auto wrong = evaluateAssertion(spec("is-valid-openai-tools-call"), ctx);
        QVERIFY(!wrong.pass);
        QVERIFY2(wrong.reason.contains(QStringLiteral("does not match schema")),
                 qPrintable(wrong.reason));
        ctx.toolCalls = call("get_time", "{}");
        QCOMPARE(evaluateAssertion(spec("is-valid-openai-tools-call"), ctx).reason,
                 QStringLiteral("Called \"get_time\", but there is no function with that name"));
        ctx.toolCalls = json();
        ctx.output = QStringLiteral("It is sunny.");
        QVERIFY(evaluateAssertion(spec("is-valid-openai-tools-call"), ctx)
                    .reason.startsWith(
                        QStringLiteral("OpenAI did not return a valid-looking tools response")));
        // the output text may itself carry the calls
        ctx.output = QString::fromStdString(call("get_weather", R"({"city": "Rome"})").dump());
        QVERIFY(evaluateAssertion(spec("is-valid-openai-tools-call"), ctx).pass);
    }

    void javascriptAssertions()
    {
        if (!hasNode())
            QSKIP("node is not installed");
        QVERIFY(run("javascript", "output.length < 10", QStringLiteral("short")).pass);
        const auto no = run("javascript", "output.includes('x')", QStringLiteral("abc"));
        QVERIFY(!no.pass);
        QCOMPARE(no.reason, QStringLiteral("Custom function returned false\noutput.includes('x')"));
        QVERIFY(run("not-javascript", "output.includes('x')", QStringLiteral("abc")).pass);
        // numbers: pass when > 0, or >= threshold
        const auto number = run("javascript", "0.4", QStringLiteral("x"));
        QVERIFY(number.pass);
        QCOMPARE(number.score, 0.4);
        QVERIFY(!run("javascript", "0.4", QStringLiteral("x"), 0.5).pass);
        // {pass, score, reason} is taken as it is
        const auto graded = run("javascript", "({pass: false, score: 0.3, reason: 'too vague'})",
                                QStringLiteral("x"));
        QVERIFY(!graded.pass);
        QCOMPARE(graded.score, 0.3);
        QCOMPARE(graded.reason, QStringLiteral("too vague"));
        // a declaration then an expression, and a multi-line function body
        QVERIFY(
            run("javascript", "const s = output.trim(); s === 'ok'", QStringLiteral(" ok ")).pass);
        QVERIFY(run("javascript", "const n = output.length;\nreturn n > 3;", QStringLiteral("four"))
                    .pass);
        // context.vars
        AssertionServices services;
        QVERIFY(runIn(spec("javascript", "context.vars.city === 'Paris'"), QStringLiteral("x"),
                      &services, json {{"city", "Paris"}})
                    .pass);
        const auto thrown
            = run("javascript", "(() => { throw new Error('boom') })()", QStringLiteral("x"));
        QVERIFY(!thrown.pass);
        QVERIFY2(thrown.reason.startsWith(QStringLiteral("Custom function threw error:"))
                     && thrown.reason.contains(QStringLiteral("boom")),
                 qPrintable(thrown.reason));
        const auto wrongType = run("javascript", "'yes'", QStringLiteral("x"));
        QVERIFY(!wrongType.pass);
        QVERIFY(wrongType.reason.contains(QStringLiteral("must return a boolean, number")));

        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("check.js")),
                  "module.exports = (output, context) => output === 'yes';\n"
                  "module.exports.long = (output) => ({pass: output.length > 5, score: 1, reason: "
                  "'len'});\n");
        services.baseDir = dir.path();
        QVERIFY(
            runIn(spec("javascript", "file://check.js"), QStringLiteral("yes"), &services).pass);
        QVERIFY(
            !runIn(spec("javascript", "file://check.js"), QStringLiteral("no"), &services).pass);
        QVERIFY(
            runIn(spec("javascript", "file://check.js:long"), QStringLiteral("longer"), &services)
                .pass);
        QVERIFY(
            !runIn(spec("javascript", "file://missing.js"), QStringLiteral("x"), &services).pass);

        services.scriptTimeoutMs = 1000;
        const auto slow = runIn(spec("javascript", "while (true) {}\nreturn true;"),
                                QStringLiteral("x"), &services);
        QVERIFY(!slow.pass);
        QVERIFY2(slow.reason.contains(QStringLiteral("did not finish within 1 s")),
                 qPrintable(slow.reason));
    }

    void pythonAssertions()
    {
        if (!hasPython())
            QSKIP("python3 is not installed");
        QVERIFY(run("python", "output.upper() == 'YES'", QStringLiteral("yes")).pass);
        const auto no = run("python", "output == 'x'", QStringLiteral("y"));
        QVERIFY(!no.pass);
        QCOMPARE(no.reason, QStringLiteral("Python code returned false\noutput == 'x'"));
        QVERIFY(run("python", "n = len(output)\nreturn n > 3", QStringLiteral("four")).pass);
        const auto graded
            = run("python", "{'pass': False, 'score': 0.2, 'reason': 'meh'}", QStringLiteral("x"));
        QVERIFY(!graded.pass);
        QCOMPARE(graded.reason, QStringLiteral("meh"));
        const auto low = run("python", "{'pass': True, 'score': 0.6, 'reason': 'ok'}",
                             QStringLiteral("x"), 0.8);
        QVERIFY(!low.pass);
        QCOMPARE(low.reason, QStringLiteral("Python score 0.6 is less than threshold 0.8: ok"));
        QVERIFY(run("python", "0.8", QStringLiteral("x"), 0.5).pass);
        QVERIFY(!run("python", "0.8", QStringLiteral("x"), 0.9).pass);
        const auto error = run("python", "1/0", QStringLiteral("x"));
        QVERIFY(!error.pass);
        QVERIFY2(error.reason.contains(QStringLiteral("ZeroDivisionError")),
                 qPrintable(error.reason));

        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("grade.py")),
                  "def get_assert(output, context):\n    return "
                  "output.startswith(context['vars']['prefix'])\n");
        AssertionServices services;
        services.baseDir = dir.path();
        QVERIFY(runIn(spec("python", "file://grade.py"), QStringLiteral("ab"), &services,
                      json {{"prefix", "a"}})
                    .pass);
        QVERIFY(!runIn(spec("python", "file://grade.py"), QStringLiteral("b"), &services,
                       json {{"prefix", "a"}})
                     .pass);
    }

    void missingInterpreterIsAnErrorNotAPass()
    {
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", "/nonexistent");
        const auto js = run("javascript", "true", QStringLiteral("x"));
        const auto py = run("python", "True", QStringLiteral("x"));
        AssertionSpec transformed = spec("contains", "X");
        transformed.transform = QStringLiteral("output.toUpperCase()");
        const auto tr = evaluateAssertion(transformed, out(QStringLiteral("x")));
        qputenv("PATH", path);
        QVERIFY(!js.pass);
        QVERIFY2(js.reason.contains(QStringLiteral("needs Node.js")), qPrintable(js.reason));
        QVERIFY(!py.pass);
        QVERIFY2(py.reason.contains(QStringLiteral("needs Python")), qPrintable(py.reason));
        QVERIFY(!tr.pass);
        QVERIFY2(tr.reason.contains(QStringLiteral("needs Node.js")), qPrintable(tr.reason));
    }

    void transformRunsBeforeTheCheck()
    {
        if (!hasNode())
            QSKIP("node is not installed");
        AssertionSpec upper = spec("contains", "HELLO");
        upper.transform = QStringLiteral("output.toUpperCase()");
        QVERIFY(evaluateAssertion(upper, out(QStringLiteral("hello there"))).pass);
        AssertionSpec object = spec("is-json");
        object.transform = QStringLiteral("({answer: output.trim()})"); // objects become JSON text
        QVERIFY(evaluateAssertion(object, out(QStringLiteral(" 42 "))).pass);
        AssertionSpec body = spec("equals", "3");
        body.transform
            = QStringLiteral("const words = output.split(' ');\nreturn String(words.length);");
        QVERIFY(evaluateAssertion(body, out(QStringLiteral("a b c"))).pass);
        AssertionSpec broken = spec("contains", "x");
        broken.transform = QStringLiteral("output.nope()");
        const auto failed = evaluateAssertion(broken, out(QStringLiteral("x")));
        QVERIFY(!failed.pass);
        QVERIFY2(failed.reason.contains(QStringLiteral("transform threw an error")),
                 qPrintable(failed.reason));
    }

    void modelGradedAssertionsUseTheGradingModel()
    {
        QStringList prompts;
        QString answer;
        AssertionServices services;
        services.grade = [&](const AssertionServices::Messages &messages) -> Result<QString> {
            prompts.append(messages.constLast().second);
            return answer;
        };
        answer = QStringLiteral(
            "It greets politely.\n{\"reason\": \"polite\", \"pass\": true, \"score\": 0.9}");
        const auto rubric = runIn(spec("llm-rubric", "Is a polite greeting"),
                                  QStringLiteral("Hello!"), &services);
        QVERIFY(rubric.pass);
        QCOMPARE(rubric.score, 0.9);
        QCOMPARE(rubric.reason, QStringLiteral("polite"));
        QVERIFY(prompts.constLast().contains(QStringLiteral("Is a polite greeting")));
        QVERIFY(prompts.constLast().contains(QStringLiteral("Hello!")));
        QVERIFY(!runIn(spec("llm-rubric", "Is a polite greeting", 0.95), QStringLiteral("Hello!"),
                       &services)
                     .pass);
        QVERIFY(!runIn(spec("not-llm-rubric", "Is a polite greeting"), QStringLiteral("Hello!"),
                       &services)
                     .pass);

        answer = QStringLiteral("{\"category\": \"D\", \"reason\": \"contradicts the reference\"}");
        const auto fact = runIn(spec("factuality", "Paris is the capital"),
                                QStringLiteral("Lyon is"), &services);
        QVERIFY(!fact.pass);
        QVERIFY(fact.reason.contains(QStringLiteral("contradicts")));

        answer = QStringLiteral("The submission says Paris.\nY\nY");
        QVERIFY(runIn(spec("model-graded-closedqa", "names the capital"), QStringLiteral("Paris"),
                      &services)
                    .pass);
        answer = QStringLiteral("No capital is named.\nN\nN");
        const auto closed = runIn(spec("model-graded-closedqa", "names the capital"),
                                  QStringLiteral("?"), &services);
        QVERIFY(!closed.pass);
        QVERIFY(
            closed.reason.startsWith(QStringLiteral("The submission does not meet the criterion")));

        // without a grading model: a clear error, never a pass
        const auto none = runIn(spec("llm-rubric", "x"), QStringLiteral("y"), nullptr);
        QVERIFY(!none.pass);
        QVERIFY2(none.reason.contains(QStringLiteral("needs a grading model")),
                 qPrintable(none.reason));
        answer = QStringLiteral("no verdict at all");
        QVERIFY(!runIn(spec("llm-rubric", "x"), QStringLiteral("y"), &services).pass);
    }

    void embeddingAssertions()
    {
        AssertionServices services;
        // "capital" texts point one way, everything else the other
        services.embed = [](const QStringList &texts) -> Result<QList<QList<double>>> {
            QList<QList<double>> out;
            for (const QString &t : texts)
                out.append(t.contains(QStringLiteral("capital")) ? QList<double> {1, 0.1}
                                                                 : QList<double> {0, 1});
            return out;
        };
        const auto same = runIn(spec("similar", "The capital is Paris"),
                                QStringLiteral("Paris is the capital"), &services);
        QVERIFY(same.pass);
        QCOMPARE(same.score, 1.0);
        const auto other = runIn(spec("similar", "The capital is Paris"),
                                 QStringLiteral("I like cheese"), &services);
        QVERIFY(!other.pass);
        // cos([0,1],[1,0.1]) = 0.1/sqrt(1.01) = 0.0995
        QCOMPARE(other.reason, QStringLiteral("Similarity 0.10 is less than threshold 0.75"));
        QVERIFY(runIn(spec("similar", json {"cheese", "capital"}), QStringLiteral("capital city"),
                      &services)
                    .pass);
        QVERIFY(runIn(spec("not-similar", "The capital is Paris"), QStringLiteral("I like cheese"),
                      &services)
                    .pass);
        QVERIFY(!runIn(spec("similar", "x"), QStringLiteral("y"), nullptr).pass);

        services.grade = [](const AssertionServices::Messages &) -> Result<QString> {
            return QStringLiteral("What is the capital of France?\nWhich city is the capital?\n"
                                  "Name France's capital.");
        };
        const auto relevant = runIn(spec("answer-relevance", json(), 0.9), QStringLiteral("Paris"),
                                    &services, json {{"query", "What is the capital of France?"}});
        QVERIFY2(relevant.pass, qPrintable(relevant.reason));
        QCOMPARE(relevant.score, 1.0);
    }

    void comparisonsPickOneOutputPerCase()
    {
        const QList<AssertionSpec> specs {spec("rouge-n", "Paris is in France", 0.3),
                                          spec("max-score")};
        QList<AssertionContext> contexts {out(QStringLiteral("Paris is in France")),
                                          out(QStringLiteral("Paris, France")),
                                          out(QStringLiteral("London"))};
        QList<CaseVerdict> verdicts;
        for (const AssertionContext &c : contexts)
            verdicts.append(evaluateCase(specs, c));
        // undecided until every variant is in, and not counted
        QVERIFY(verdicts[1].outcomes[1].pending);
        QVERIFY(verdicts[1].pass);
        verdicts = evaluateComparisons(specs, contexts, verdicts);
        QVERIFY(verdicts[0].pass);
        QCOMPARE(verdicts[0].outcomes[1].reason,
                 QStringLiteral("Selected as highest scoring output (score: 1.000)"));
        QVERIFY(!verdicts[1].pass); // its rouge-n passed, but another output scored higher
        QVERIFY(verdicts[1].outcomes[0].pass);
        QVERIFY(verdicts[1].outcomes[1].reason.startsWith(QStringLiteral("Not selected")));
        QVERIFY(!verdicts[2].pass);

        AssertionServices services;
        services.grade = [](const AssertionServices::Messages &m) -> Result<QString> {
            Q_UNUSED(m);
            return QStringLiteral("Output 1 is the clearest.\n1");
        };
        const QList<AssertionSpec> best {spec("select-best", "the clearest answer")};
        for (AssertionContext &c : contexts)
            c.services = &services;
        QList<CaseVerdict> picked;
        for (const AssertionContext &c : contexts)
            picked.append(evaluateCase(best, c));
        picked = evaluateComparisons(best, contexts, picked);
        QVERIFY(!picked[0].pass);
        QVERIFY(picked[1].pass);
        QVERIFY(!picked[2].pass);
        QCOMPARE(picked[1].outcomes[0].reason, QStringLiteral("Output selected as the best"));
    }
};

QTEST_GUILESS_MAIN(TestAssertions)
#include "test_assertions.moc"
