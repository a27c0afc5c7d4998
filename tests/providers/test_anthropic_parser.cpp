#include "fixturehelpers.h"

#include "providers/anthropicparser.h"

using namespace ts;
using namespace ts::testing;

namespace {

QByteArray ev(const char *type, const char *data)
{
    return QByteArray("event: ") + type + "\ndata: " + data + "\n\n";
}

const QByteArray kStart = ev("message_start",
                             "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":"
                             "\"claude\",\"content\":[],\"usage\":{\"input_tokens\":10,"
                             "\"output_tokens\":1,\"cache_read_input_tokens\":4}}}");

ChatResult parse(const QByteArray &body, Feed mode = Feed::Whole)
{
    return parseIn(ProviderKind::Anthropic, true, body, mode);
}

} // namespace

class TestAnthropicParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtures_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("mode");
        for (const char *name :
             {"anthropic_messages_stream_basic", "anthropic_messages_stream_tool_use"}) {
            for (auto [label, mode] : {std::pair{"whole", Feed::Whole},
                                       std::pair{"chunks", Feed::FixtureChunks},
                                       std::pair{"bytes", Feed::ByteByByte},
                                       std::pair{"random", Feed::SmallRandom}}) {
                QTest::newRow(qPrintable(QStringLiteral("%1/%2").arg(QLatin1String(name),
                                                                     QLatin1String(label))))
                    << QString::fromLatin1(name) << int(mode);
            }
        }
    }
    void fixtures()
    {
        QFETCH(QString, name);
        QFETCH(int, mode);
        const QString chunks = name == QLatin1String("anthropic_messages_stream_basic")
                                   ? name + QStringLiteral(".chunks.json")
                                   : QString();
        checkFixture(ProviderKind::Anthropic, true, name + QStringLiteral(".sse"),
                     name + QStringLiteral(".expect.json"), Feed(mode), chunks);
    }

    void normalizedFinishReasons()
    {
        const auto basic = parse(readData(QStringLiteral("anthropic_messages_stream_basic.sse")));
        QCOMPARE(basic.finish, FinishReason::Stop);
        const auto tool = parse(readData(QStringLiteral("anthropic_messages_stream_tool_use.sse")));
        QCOMPARE(tool.finish, FinishReason::ToolCalls);
    }

    void thinkingIsKeptApart()
    {
        const QByteArray body
            = kStart
              + ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                                          "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}")
              + ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                                          "{\"type\":\"thinking_delta\",\"thinking\":\"27*453 = \"}}")
              + ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                                          "{\"type\":\"signature_delta\",\"signature\":\"EqQB\"}}")
              + ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
              + ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
                                          "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
              + ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
                                          "{\"type\":\"text_delta\",\"text\":\"12231\"}}")
              + ev("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                                    "\"end_turn\"},\"usage\":{\"output_tokens\":30}}")
              + ev("message_stop", "{\"type\":\"message_stop\"}");
        const auto r = parse(body, Feed::ByteByByte);
        QCOMPARE(r.reasoning, QStringLiteral("27*453 = "));
        QCOMPARE(r.text, QStringLiteral("12231"));
        QCOMPARE(r.metadata["thinking_signature"].get<std::string>(), "EqQB");
        QCOMPARE(r.cachedInputTokens, std::optional<int>(4));
        QCOMPARE(r.totalTokens, std::optional<int>(40));
    }

    void overloadedErrorMidStream()
    {
        const QByteArray body
            = kStart
              + ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                                          "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
              + ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                                          "{\"type\":\"text_delta\",\"text\":\"Par\"}}")
              + ev("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                            "\"message\":\"Overloaded\"}}");
        const auto r = parse(body, Feed::SmallRandom);
        QCOMPARE(r.text, QStringLiteral("Par"));
        QVERIFY(r.error);
        QCOMPARE(r.error->type, QStringLiteral("overloaded_error"));
        QCOMPARE(r.error->message, QStringLiteral("Overloaded"));
        QVERIFY(r.error->retryable);
        QCOMPARE(r.finish, FinishReason::Error);
        QVERIFY(!r.complete);
    }

    void cutBeforeMessageStopIsIncomplete()
    {
        QByteArray body = readData(QStringLiteral("anthropic_messages_stream_basic.sse"));
        body.truncate(body.indexOf("event: message_delta"));
        const auto r = parse(body);
        QCOMPARE(r.text, QStringLiteral("Hello!"));
        QVERIFY(r.incomplete);
        QCOMPARE(r.finish, FinishReason::Incomplete);
        QCOMPARE(r.outputTokens, std::optional<int>(1)); // only message_start's count arrived
    }

    void lastEventWithoutBlankLineIsDiscarded()
    {
        QByteArray body = readData(QStringLiteral("anthropic_messages_stream_basic.sse"));
        while (body.endsWith('\n'))
            body.chop(1);
        body.append('\n');
        const auto r = parse(body);
        QVERIFY(r.incompleteEventDiscardedAtEof);
        QVERIFY(!r.complete); // message_stop never dispatched
        QVERIFY(r.incomplete);
        QCOMPARE(r.finishReason, QStringLiteral("end_turn"));
    }

    void unknownEventsAndPingsIgnored()
    {
        const QByteArray body
            = kStart + ev("ping", "{\"type\":\"ping\"}")
              + ev("brand_new_event", "{\"type\":\"brand_new_event\",\"x\":[1,2]}")
              + ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                                          "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
              + ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                                          "{\"type\":\"citations_delta\",\"citation\":{}}}")
              + ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                                          "{\"type\":\"text_delta\",\"text\":\"ok\"}}")
              + ev("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                                    "\"refusal\"},\"usage\":{\"output_tokens\":2}}")
              + ev("message_stop", "{\"type\":\"message_stop\"}");
        const auto r = parse(body);
        QCOMPARE(r.text, QStringLiteral("ok"));
        QVERIFY(!r.error);
        QVERIFY(r.complete);
        QCOMPARE(r.finish, FinishReason::Refusal);
    }

    void nonStreamingMessage()
    {
        const QByteArray body
            = "{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\","
              "\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"s\"},"
              "{\"type\":\"text\",\"text\":\"Hi\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\","
              "\"name\":\"get_weather\",\"input\":{\"location\":\"SF\"}}],"
              "\"stop_reason\":\"max_tokens\",\"stop_sequence\":null,"
              "\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}";
        const auto r = parseIn(ProviderKind::Anthropic, false, body, Feed::SmallRandom);
        QCOMPARE(r.text, QStringLiteral("Hi"));
        QCOMPARE(r.reasoning, QStringLiteral("hmm"));
        QCOMPARE(r.toolCalls.size(), 1);
        QCOMPARE(r.toolCalls[0].argumentsJson["location"].get<std::string>(), "SF");
        QCOMPARE(r.finish, FinishReason::Length);
        QCOMPARE(r.totalTokens, std::optional<int>(12));
        QVERIFY(r.complete);
    }

    void nonStreamingErrorBody()
    {
        const QByteArray body = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                                "\"message\":\"Overloaded\"}}";
        const auto r = parseIn(ProviderKind::Anthropic, false, body, Feed::Whole);
        QVERIFY(r.error);
        QCOMPARE(r.error->type, QStringLiteral("overloaded_error"));
    }
};

QTEST_GUILESS_MAIN(TestAnthropicParser)
#include "test_anthropic_parser.moc"
