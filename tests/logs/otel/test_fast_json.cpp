// The OTLP import parses with simdjson and falls back to nlohmann: whatever the text, the value
// (or the refusal) must be the one nlohmann alone gives, or records would change with the parser.

#include "logs/formats/fastjson.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

using nlohmann::json;

class TestFastJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameValueAsNlohmann_data();
    void sameValueAsNlohmann();
    void notJsonIsDiscarded();
};

void TestFastJson::sameValueAsNlohmann_data()
{
    QTest::addColumn<QString>("text");
    const std::vector<std::pair<const char *, std::string>> cases = {
        {"span", R"({"traceId":"5B8EFFF798038103D269B633813FC60C","kind":3,"attributes":[{"key":
            "gen_ai.usage.input_tokens","value":{"intValue":"120"}}],"status":{}})"},
        {"repeated key keeps the last", R"({"a":1,"b":[true,false,null],"a":"two"})"},
        {"negative and unsigned", R"([-5, 0, 18446744073709551615, -9223372036854775808])"},
        {"past 64 bits", R"({"n":18446744073709551616,"m":-9223372036854775809})"},
        {"floats", R"([0.1, 1e-7, -2.5E+3, 1.0, 100000000000000000000000.5])"},
        {"escapes and unicode", R"(["tab\tquote\"slash\/", "\u00e9\ud83d\ude00", "日本語"])"},
        {"byte order mark", "\xef\xbb\xbf{\"a\":1}"},
        {"deep nesting", std::string(2000, '[') + std::string(2000, ']')},
        {"scalar", "  42  "},
        {"empty containers", R"({"o":{},"a":[]})"},
    };
    for (const auto &[name, text] : cases)
        QTest::newRow(name) << QString::fromStdString(text);
}

void TestFastJson::sameValueAsNlohmann()
{
    QFETCH(QString, text);
    const std::string utf8 = text.toStdString();
    const json expected = json::parse(utf8, nullptr, false);
    const json actual = ts::otlp::parseJsonFast(utf8);
    QVERIFY(!expected.is_discarded());
    QCOMPARE(actual.dump(), expected.dump());
    QVERIFY(actual == expected);
}

void TestFastJson::notJsonIsDiscarded()
{
    for (const std::string text : {"{\"a\":1", "{\"a\":\"raw\ttab\"}", "[1,]", "\"\\ud800\"",
                                   "{} trailing", "", "nul", "01"}) {
        QVERIFY2(json::parse(text, nullptr, false).is_discarded(), text.c_str());
        QVERIFY2(ts::otlp::parseJsonFast(text).is_discarded(), text.c_str());
    }
}

QTEST_APPLESS_MAIN(TestFastJson)
#include "test_fast_json.moc"
