#include "fixturehelpers.h"

#include "providers/ollamaparser.h"

using namespace ts;
using namespace ts::testing;

namespace {

ChatResult parse(const QByteArray &body, Feed mode = Feed::Whole)
{
    return parseIn(ProviderKind::Ollama, true, body, mode);
}

} // namespace

class TestOllamaParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixture_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("whole") << int(Feed::Whole);
        QTest::newRow("bytes") << int(Feed::ByteByByte);
        QTest::newRow("random") << int(Feed::SmallRandom);
    }
    void fixture()
    {
        QFETCH(int, mode);
        checkFixture(ProviderKind::Ollama, true, QStringLiteral("ollama_chat_stream.ndjson"),
                     QStringLiteral("ollama_chat_stream.expect.json"), Feed(mode));
    }

    void thinkingKeptApartAndToolCalls()
    {
        const QByteArray body
            = "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"hm\"},\"done\":false}\n"
              "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":"
              "[{\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Tokyo\"}}}]},\"done\":false}\n"
              "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
              "\"done_reason\":\"stop\",\"eval_count\":4}\n";
        const auto r = parse(body, Feed::ByteByByte);
        QCOMPARE(r.reasoning, QStringLiteral("hm"));
        QCOMPARE(r.toolCalls.size(), 1);
        QCOMPARE(r.toolCalls[0].argumentsJson["city"].get<std::string>(), "Tokyo");
        QCOMPARE(r.finish, FinishReason::ToolCalls);
        QVERIFY(!r.inputTokens); // prompt_eval_count omitted when the prompt was cached
    }

    void errorLineMidStream()
    {
        const QByteArray body
            = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}\n"
              "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n";
        const auto r = parse(body, Feed::SmallRandom);
        QCOMPARE(r.text, QStringLiteral("Hel"));
        QVERIFY(r.error);
        QVERIFY(r.error->message.contains(QStringLiteral("unexpected EOF")));
        QCOMPARE(r.finish, FinishReason::Error);
    }

    void cutStreamIsIncomplete()
    {
        QByteArray body = readData(QStringLiteral("ollama_chat_stream.ndjson"));
        body.truncate(body.lastIndexOf("{\"model\"") + 30);
        const auto r = parse(body);
        QCOMPARE(r.text, QStringLiteral("Hello!"));
        QVERIFY(r.incomplete);
        QVERIFY(r.incompleteEventDiscardedAtEof);
        QCOMPARE(r.finish, FinishReason::Incomplete);
    }

    void lastLineWithoutNewlineIsUsedWhenComplete()
    {
        QByteArray body = readData(QStringLiteral("ollama_chat_stream.ndjson"));
        while (body.endsWith('\n'))
            body.chop(1);
        const auto r = parse(body);
        QVERIFY(r.complete);
        QCOMPARE(r.outputTokens, std::optional<int>(3));
    }

    void lengthAndNonStreaming()
    {
        const QByteArray body
            = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi there\"},"
              "\"done\":true,\"done_reason\":\"length\",\"prompt_eval_count\":2,\"eval_count\":2}";
        const auto r = parseIn(ProviderKind::Ollama, false, body, Feed::SmallRandom);
        QCOMPARE(r.text, QStringLiteral("Hi there"));
        QCOMPARE(r.finish, FinishReason::Length);
        QCOMPARE(r.totalTokens, std::optional<int>(4));
        QVERIFY(r.complete);
    }
};

QTEST_GUILESS_MAIN(TestOllamaParser)
#include "test_ollama_parser.moc"
