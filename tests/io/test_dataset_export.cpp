#include "io/datasetexport.h"
#include "io/datasetimport.h"

#include <QTest>

using namespace ts;
using nlohmann::json;

namespace {

template<typename T> QByteArray why(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}

TestCaseData makeCase(json vars, std::optional<QString> expected = std::nullopt,
                      QStringList tags = {}, QString description = {})
{
    TestCaseData c;
    c.vars = std::move(vars);
    c.expected = std::move(expected);
    c.tags = std::move(tags);
    c.description = std::move(description);
    return c;
}

// Cases whose text exercises every quoting rule: commas, quotes, CR/LF, outer spaces, non-ASCII.
QList<TestCaseData> trickyStringCases()
{
    return {
        makeCase({{"question", "Say \"hi\", then stop"}, {"context", "line 1\nline 2\r\nline 3"}},
                 QStringLiteral("hi, there"),
                 {QStringLiteral("greeting"), QStringLiteral("quotes")},
                 QStringLiteral("comma, quote and newlines")),
        makeCase({{"question", "  padded  "}, {"context", "Zo\u00eb \u2014 \u65e5\u672c"}},
                 QStringLiteral("\"quoted\"")),
        makeCase({{"question", ""}, {"context", "plain"}}),
    };
}

} // namespace

class TestDatasetExport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void csvRoundTripKeepsEveryStringCase()
    {
        const QList<TestCaseData> cases = trickyStringCases();
        const QByteArray csv = toCsv(cases);
        const auto back = parseCsv(csv, QStringLiteral("export.csv"));
        QVERIFY2(back, why(back).constData());
        QCOMPARE(back->size(), cases.size());
        for (qsizetype i = 0; i < cases.size(); ++i) {
            QCOMPARE(back->at(i).vars.dump(), cases.at(i).vars.dump());
            QCOMPARE(back->at(i).expected, cases.at(i).expected);
            QCOMPARE(back->at(i).tags, cases.at(i).tags);
            QCOMPARE(back->at(i).description, cases.at(i).description);
            QCOMPARE(contentKey(back->at(i)), contentKey(cases.at(i)));
        }
    }

    void csvHeaderIsUnionInFirstSeenOrderWithSpecialColumnsOnlyWhenUsed()
    {
        const QList<TestCaseData> cases
            = {makeCase({{"b", "1"}}), makeCase({{"a", "2"}, {"b", "3"}}), makeCase({{"c", "4"}})};
        QCOMPARE(toCsv(cases), QByteArray("b,a,c\r\n1,,\r\n3,2,\r\n,,4\r\n"));

        const QList<TestCaseData> withTags
            = {makeCase({{"q", "x"}}, std::nullopt, {QStringLiteral("t1"), QStringLiteral("t2")})};
        QCOMPARE(toCsv(withTags), QByteArray("q,__tags\r\nx,\"t1,t2\"\r\n"));
    }

    void csvWritesNonStringValuesAsJsonText()
    {
        const QByteArray csv = toCsv({makeCase({{"n", 3}, {"list", json::array({1, "a"})}})});
        QCOMPARE(csv, QByteArray("list,n\r\n\"[1,\"\"a\"\"]\",3\r\n"));
        const auto back = parseCsv(csv, QStringLiteral("export.csv"));
        QVERIFY(back);
        QCOMPARE(back->at(0).vars["list"].get<std::string>(), std::string("[1,\"a\"]"));
    }

    void jsonlRoundTripKeepsTypesAndEverything()
    {
        QList<TestCaseData> cases = trickyStringCases();
        cases.append(makeCase(
            {{"n", 3.5}, {"flag", true}, {"shots", json::array({{{"q", "1"}}})}, {"none", nullptr}},
            QString(), {}, {}));
        // Variables named like promptfoo test keys must not turn into a promptfoo line.
        cases.append(makeCase({{"vars", {{"x", 1}}}}));
        cases.append(makeCase({{"vars", {{"x", 1}}}, {"description", "v"}}, QStringLiteral("e")));

        const QByteArray jsonl = toJsonl(cases);
        QCOMPARE(jsonl.count('\n'), cases.size());
        const auto back = parseJsonl(jsonl, QStringLiteral("export.jsonl"));
        QVERIFY2(back, why(back).constData());
        QCOMPARE(back->size(), cases.size());
        for (qsizetype i = 0; i < cases.size(); ++i) {
            QCOMPARE(back->at(i).vars.dump(), cases.at(i).vars.dump());
            QCOMPARE(back->at(i).expected, cases.at(i).expected); // empty expected stays present
            QCOMPARE(back->at(i).tags, cases.at(i).tags);
            QCOMPARE(back->at(i).description, cases.at(i).description);
            QVERIFY(back->at(i) == cases.at(i));
        }
    }

    void contentKeyIgnoresKeyAndTagOrderButNotContent()
    {
        const TestCaseData a
            = makeCase(json::parse(R"({"x": 1, "y": {"b": 2, "a": 1}})"), QStringLiteral("e"),
                       {QStringLiteral("t1"), QStringLiteral("t2")});
        const TestCaseData b
            = makeCase(json::parse(R"({"y": {"a": 1, "b": 2}, "x": 1})"), QStringLiteral("e"),
                       {QStringLiteral("t2"), QStringLiteral("t1")});
        QCOMPARE(contentKey(a), contentKey(b));
        QCOMPARE(contentKey(a).size(), 64);

        TestCaseData noExpected = a;
        noExpected.expected.reset();
        TestCaseData emptyExpected = a;
        emptyExpected.expected = QString();
        QVERIFY(contentKey(noExpected) != contentKey(emptyExpected));
        TestCaseData otherValue = a;
        otherValue.vars["x"] = "1"; // the string "1" is not the number 1
        QVERIFY(contentKey(otherValue) != contentKey(a));
        TestCaseData otherDescription = a;
        otherDescription.description = QStringLiteral("d");
        QVERIFY(contentKey(otherDescription) != contentKey(a));
    }
};

QTEST_GUILESS_MAIN(TestDatasetExport)
#include "test_dataset_export.moc"
