#include "fixturehelpers.h"

#include "providers/geminiparser.h"

using namespace ts;
using namespace ts::testing;

namespace {

QByteArray ev(const char *json)
{
    return QByteArray("data: ") + json + "\r\n\r\n";
}

ChatResult parse(const QByteArray &body, Feed mode = Feed::Whole)
{
    return parseIn(ProviderKind::Gemini, true, body, mode);
}

} // namespace

class TestGeminiParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void streamFixture_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("whole") << int(Feed::Whole);
        QTest::newRow("bytes") << int(Feed::ByteByByte);
        QTest::newRow("random") << int(Feed::SmallRandom);
    }
    void streamFixture()
    {
        QFETCH(int, mode);
        checkFixture(ProviderKind::Gemini, true, QStringLiteral("gemini_stream_basic.sse"),
                     QStringLiteral("gemini_stream_basic.expect.json"), Feed(mode));
    }

    void nonStreamingFixture_data() { streamFixture_data(); }
    void nonStreamingFixture()
    {
        QFETCH(int, mode);
        checkFixture(ProviderKind::Gemini, false, QStringLiteral("gemini_generate_content.json"),
                     QStringLiteral("gemini_generate_content.expect.json"), Feed(mode));
    }

    void thoughtsAndFunctionCalls()
    {
        const QByteArray body
            = ev("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Let me think\",\"thought\":true}],"
                 "\"role\":\"model\"}}]}")
              + ev("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
                   "\"args\":{\"city\":\"Paris\"}},\"thoughtSignature\":\"sig\"}],\"role\":\"model\"},"
                   "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,"
                   "\"candidatesTokenCount\":5,\"totalTokenCount\":20,\"thoughtsTokenCount\":12}}");
        const auto r = parse(body, Feed::ByteByByte);
        QCOMPARE(r.reasoning, QStringLiteral("Let me think"));
        QCOMPARE(r.text, QString());
        QCOMPARE(r.toolCalls.size(), 1);
        QCOMPARE(r.toolCalls[0].name, QStringLiteral("get_weather"));
        QCOMPARE(r.toolCalls[0].argumentsJson["city"].get<std::string>(), "Paris");
        QCOMPARE(r.finish, FinishReason::ToolCalls); // STOP with a function call
        QCOMPARE(r.reasoningTokens, std::optional<int>(12));
        QCOMPARE(r.totalTokens, std::optional<int>(20));
    }

    void bareMultiLineJsonErrorMidStream()
    {
        const QByteArray body = ev("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Par\"}]}}]}")
                                + "{\n  \"error\": {\n    \"code\": 503,\n    \"message\": \"The model "
                                  "is overloaded.\",\n    \"status\": \"UNAVAILABLE\"\n  }\n}\n";
        const auto r = parse(body, Feed::ByteByByte);
        QCOMPARE(r.text, QStringLiteral("Par"));
        QVERIFY(r.error);
        QCOMPARE(r.error->status, QStringLiteral("UNAVAILABLE"));
        QCOMPARE(r.error->code, QStringLiteral("503"));
        QVERIFY(r.error->retryable);
        QCOMPARE(r.finish, FinishReason::Error);
    }

    void errorAsDataEvent()
    {
        const auto r = parse(ev("{\"error\":{\"code\":429,\"message\":\"Quota\",\"status\":"
                                "\"RESOURCE_EXHAUSTED\"}}"));
        QVERIFY(r.error);
        QCOMPARE(r.error->category, ErrorCode::RateLimited);
    }

    void promptBlocked()
    {
        const auto r = parse(ev("{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},"
                                "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}}"));
        QCOMPARE(r.finishReason, QStringLiteral("SAFETY"));
        QCOMPARE(r.finish, FinishReason::ContentFilter);
        QVERIFY(r.complete);
        QCOMPARE(r.text, QString());
    }

    void lastEventWithoutBlankLineIsFlushedWhenComplete()
    {
        QByteArray body = readData(QStringLiteral("gemini_stream_basic.sse"));
        body.chop(4); // drop the final "\r\n\r\n"
        const auto r = parse(body, Feed::ByteByByte);
        QCOMPARE(r.text, QStringLiteral("The capital of Wyoming is **Cheyenne**.\n"));
        QVERIFY(r.lenientEofFlush);
        QVERIFY(r.complete);
        QVERIFY(!r.incompleteEventDiscardedAtEof);
    }

    void truncatedLastEventIsNotInvented()
    {
        QByteArray body = readData(QStringLiteral("gemini_stream_basic.sse"));
        body.chop(60);
        const auto r = parse(body);
        QCOMPARE(r.text, QStringLiteral("The capital of Wyoming"));
        QVERIFY(r.incomplete);
        QVERIFY(r.incompleteEventDiscardedAtEof);
        QVERIFY(!r.lenientEofFlush);
        QCOMPARE(r.finish, FinishReason::Incomplete);
    }

    void recitationAndLength()
    {
        const auto r = parse(ev("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]},"
                                "\"finishReason\":\"RECITATION\"}]}"));
        QCOMPARE(r.finish, FinishReason::ContentFilter);
        const auto l = parse(ev("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]},"
                                "\"finishReason\":\"MAX_TOKENS\"}]}"));
        QCOMPARE(l.finish, FinishReason::Length);
    }

    void jsonArrayStreamWithoutAltSse()
    {
        const QByteArray body = "[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]},\n"
                                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},"
                                "\"finishReason\":\"STOP\"}]}]";
        const auto r = parseIn(ProviderKind::Gemini, false, body, Feed::Whole);
        QCOMPARE(r.text, QStringLiteral("ab"));
        QVERIFY(r.complete);
    }
};

QTEST_GUILESS_MAIN(TestGeminiParser)
#include "test_gemini_parser.moc"
