#include "io/datasetimport.h"

#include <QTest>

using namespace ts;
using nlohmann::json;

namespace {

template<typename T> QByteArray why(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}

QString errorOf(QByteArrayView bytes, const ImportOptions &options = {})
{
    const auto result = parseJsonl(bytes, QStringLiteral("data.jsonl"), options);
    return result ? QStringLiteral("<no error>") : result.error().message;
}

QString dump(const json &value)
{
    return QString::fromStdString(value.dump());
}

} // namespace

class TestJsonlImport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flatLinesKeepJsonTypes()
    {
        const auto cases
            = parseJsonl("{\"question\": \"2+2?\", \"n\": 3, \"shots\": [{\"q\": \"a\"}], "
                         "\"__expected\": \"4\", "
                         "\"__tags\": [\"math\", \"easy\"], \"__description\": \"adds\"}\n"
                         "{\"question\": \"hi\", \"__tags\": \"greeting, short\"}\n",
                         QStringLiteral("data.jsonl"));
        QVERIFY2(cases, why(cases).constData());
        QCOMPARE(cases->size(), 2);
        const TestCaseData &first = cases->at(0);
        QCOMPARE(dump(first.vars["question"]), dump(json("2+2?")));
        QCOMPARE(dump(first.vars["n"]), dump(json(3)));
        QVERIFY(first.vars["shots"].is_array());
        QCOMPARE(first.vars.size(), size_t(3)); // special keys are not variables
        QCOMPARE(first.expected, std::optional<QString>(QStringLiteral("4")));
        QCOMPARE(first.tags, (QStringList {QStringLiteral("math"), QStringLiteral("easy")}));
        QCOMPARE(first.description, QStringLiteral("adds"));
        QCOMPARE(cases->at(1).tags,
                 (QStringList {QStringLiteral("greeting"), QStringLiteral("short")}));
        QVERIFY(!cases->at(1).expected);
    }

    void nonStringExpectedBecomesJsonText()
    {
        const auto cases = parseJsonl(
            "{\"q\": \"x\", \"__expected\": {\"a\": 1}}\n{\"q\": \"y\", \"__expected\": 4}",
            QStringLiteral("data.jsonl"));
        QVERIFY2(cases, why(cases).constData());
        QCOMPARE(*cases->at(0).expected, QStringLiteral("{\"a\":1}"));
        QCOMPARE(*cases->at(1).expected, QStringLiteral("4"));
    }

    void blankLinesCrlfAndBomAccepted()
    {
        const auto cases = parseJsonl("\xEF\xBB\xBF{\"a\": \"1\"}\r\n\r\n   \n{\"a\": \"2\"}\r\n",
                                      QStringLiteral("data.jsonl"));
        QVERIFY2(cases, why(cases).constData());
        QCOMPARE(cases->size(), 2);
        QCOMPARE(dump(cases->at(1).vars["a"]), dump(json("2")));
    }

    void promptfooTestLines()
    {
        const auto cases
            = parseJsonl("{\"vars\": {\"language\": \"French\"}, \"description\": \"fr\", "
                         "\"assert\": [{\"type\": \"equals\", \"value\": \"Bonjour\"}], "
                         "\"metadata\": {\"category\": \"greeting\"}}\n",
                         QStringLiteral("data.jsonl"));
        QVERIFY2(cases, why(cases).constData());
        QCOMPARE(cases->size(), 1);
        QCOMPARE(dump(cases->at(0).vars), dump(json({{"language", "French"}})));
        QCOMPARE(cases->at(0).expected, std::optional<QString>(QStringLiteral("Bonjour")));
        QCOMPARE(cases->at(0).description, QStringLiteral("fr"));
        QCOMPARE(cases->at(0).tags, QStringList {QStringLiteral("category:greeting")});
    }

    void promptfooAssertionsADatasetCannotHoldAreNotDroppedSilently()
    {
        const QByteArray line
            = "{\"vars\": {\"q\": \"x\"}, \"assert\": [{\"type\": \"contains\", "
              "\"value\": \"y\"}, {\"type\": \"webhook\", \"value\": \"1\"}]}\n";
        QCOMPARE(errorOf(line),
                 QStringLiteral("data.jsonl:1: this line carries what a dataset cannot hold "
                                "(contains; test.assert[1]: assertion type \"webhook\" is not "
                                "supported); import the promptfoo config to keep it, or allow "
                                "dropping assertions"));
        ImportOptions drop;
        drop.dropAssertions = true;
        const auto cases = parseJsonl(line, QStringLiteral("data.jsonl"), drop);
        QVERIFY2(cases, why(cases).constData());
        QCOMPARE(dump(cases->at(0).vars), dump(json({{"q", "x"}})));

        QStringList unmapped;
        const auto tests = parseJsonlTests(line, QStringLiteral("tests.jsonl"), {}, unmapped);
        QVERIFY2(tests, why(tests).constData());
        QCOMPARE(tests->at(0).asserts.size(), 1);
        QCOMPARE(dump(tests->at(0).asserts.at(0)),
                 dump(json({{"type", "contains"}, {"value", "y"}})));
        QCOMPARE(
            unmapped,
            QStringList {QStringLiteral(
                "tests.jsonl:1: test.assert[1]: assertion type \"webhook\" is not supported")});
    }

    void invalidJsonNamesLineAndColumn()
    {
        // The column is where the parser gave up: the '}' that cannot follow "tru".
        const QString message = errorOf("{\"a\": 1}\n{\"a\": tru}\n");
        QVERIFY2(message.startsWith(QLatin1String("data.jsonl:2:10: invalid JSON: syntax error "
                                                  "while parsing value - invalid literal")),
                 qPrintable(message));
        // Columns count characters, not bytes.
        QVERIFY(errorOf("{\"\xC3\xA9\": 1,}\n")
                    .startsWith(QLatin1String("data.jsonl:1:9: invalid JSON: ")));
    }

    void nonObjectLines()
    {
        QCOMPARE(errorOf("{\"a\": 1}\n\n[1, 2]\n"),
                 QStringLiteral("data.jsonl:3:1: expected a JSON object, got array"));
        QCOMPARE(errorOf("\"just text\"\n"),
                 QStringLiteral("data.jsonl:1:1: expected a JSON object, got string"));
    }

    void invalidUtf8()
    {
        QCOMPARE(errorOf("{\"a\": \"ok\"}\n{\"a\": \"b\xC0\xAF\"}\n"),
                 QStringLiteral("data.jsonl:2:9: invalid UTF-8 byte 0xc0; save the file as UTF-8"));
    }

    void unknownSpecialKeyAndStrictVariables()
    {
        QCOMPARE(
            errorOf("{\"a\": 1, \"__expect\": \"x\"}\n"),
            QStringLiteral("data.jsonl:1: unknown special key \"__expect\" (known: __expected, "
                           "__tags, __description)"));
        ImportOptions strict;
        strict.knownVariables = QSet<QString> {QStringLiteral("a")};
        QCOMPARE(errorOf("{\"a\": 1}\n{\"a\": 2, \"b\": 3}\n", strict),
                 QStringLiteral("data.jsonl:2: \"b\" is not a variable of the prompt (known: a)"));
    }

    void allOrNothingWithAllErrors()
    {
        const QByteArray text = "{\"a\": 1}\n[]\n{\"a\": 2}\n{oops}\n";
        QVERIFY(!parseJsonl(text, QStringLiteral("data.jsonl")));
        ImportOptions all;
        all.reportAllErrors = true;
        const QStringList lines = errorOf(text, all).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0), QStringLiteral("data.jsonl:2:1: expected a JSON object, got array"));
        QVERIFY(lines.at(1).startsWith(QLatin1String("data.jsonl:4:2: invalid JSON: ")));
    }
};

QTEST_GUILESS_MAIN(TestJsonlImport)
#include "test_jsonl_import.moc"
