#include "fixturehelpers.h"

#include "providers/openaiparser.h"

using namespace ts;
using namespace ts::testing;

namespace {

QByteArray chunk(const char *choicesAndMore)
{
    return QByteArray("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",")
           + choicesAndMore + "}\n\n";
}

QByteArray delta(const char *deltaJson, const char *finish = "null")
{
    return chunk(QByteArray("\"choices\":[{\"index\":0,\"delta\":" + QByteArray(deltaJson)
                            + ",\"finish_reason\":" + finish + "}]")
                     .constData());
}

ChatResult parse(const QByteArray &body, Feed mode = Feed::Whole)
{
    return parseIn(ProviderKind::OpenAI, true, body, mode);
}

} // namespace

class TestOpenAIParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtures_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("mode");
        for (const char *name : {"openai_chat_stream_usage", "openai_chat_stream_tool_calls"}) {
            QTest::newRow(qPrintable(QStringLiteral("%1/whole").arg(QLatin1String(name))))
                << QString::fromLatin1(name) << int(Feed::Whole);
            QTest::newRow(qPrintable(QStringLiteral("%1/bytes").arg(QLatin1String(name))))
                << QString::fromLatin1(name) << int(Feed::ByteByByte);
            QTest::newRow(qPrintable(QStringLiteral("%1/random").arg(QLatin1String(name))))
                << QString::fromLatin1(name) << int(Feed::SmallRandom);
        }
    }
    void fixtures()
    {
        QFETCH(QString, name);
        QFETCH(int, mode);
        checkFixture(ProviderKind::OpenAI, true, name + QStringLiteral(".sse"),
                     name + QStringLiteral(".expect.json"), Feed(mode));
    }

    void toolCallFixtureNormalizesToToolCalls()
    {
        const auto r = parse(readData(QStringLiteral("openai_chat_stream_tool_calls.sse")));
        QCOMPARE(r.finish, FinishReason::ToolCalls);
        QCOMPARE(r.toolCalls.at(0).argumentsJson["city"].get<std::string>(), "New York City");
    }

    void liveDeltasCoverTheText()
    {
        OpenAIResponseParser p(true);
        p.feed(delta("{\"role\":\"assistant\",\"content\":\"Hel\"}"));
        QCOMPARE(p.takeDelta().text, QStringLiteral("Hel"));
        QVERIFY(p.takeDelta().isEmpty());
        p.feed(delta("{\"content\":\"lo\"}").left(20)); // half an event shows nothing yet
        QVERIFY(p.takeDelta().isEmpty());
    }

    void commentsBetweenEvents()
    {
        const QByteArray body = ": OPENROUTER PROCESSING\n\n" + delta("{\"content\":\"a\"}")
                                + ": OPENROUTER PROCESSING\n\n" + delta("{}", "\"stop\"")
                                + "data: [DONE]\n\n";
        const auto r = parse(body, Feed::ByteByByte);
        QCOMPARE(r.text, QStringLiteral("a"));
        QVERIFY(r.complete);
        QVERIFY(r.doneSentinel);
        QCOMPARE(r.finish, FinishReason::Stop);
    }

    void missingDoneMarksIncompleteButKeepsText()
    {
        const QByteArray body = delta("{\"content\":\"Hi\"}") + delta("{}", "\"stop\"");
        const auto r = parse(body);
        QCOMPARE(r.text, QStringLiteral("Hi"));
        QVERIFY(!r.doneSentinel);
        QVERIFY(r.incomplete);
        QCOMPARE(r.finishReason, QStringLiteral("stop"));
    }

    void streamCutMidEventKeepsOnlyWholeEvents()
    {
        const QByteArray full = delta("{\"content\":\"one \"}") + delta("{\"content\":\"two\"}");
        const QByteArray cut = full.left(full.size() - 10);
        const auto r = parse(cut);
        QCOMPARE(r.text, QStringLiteral("one "));
        QVERIFY(r.incomplete);
        QVERIFY(r.incompleteEventDiscardedAtEof);
        QCOMPARE(r.finish, FinishReason::Incomplete);
        QVERIFY(!r.error);
    }

    void lastEventWithoutBlankLineIsNotUsed()
    {
        QByteArray body = delta("{\"content\":\"a\"}") + delta("{\"content\":\"b\"}");
        body.chop(1); // "...}\n" without the blank line
        const auto r = parse(body);
        QCOMPARE(r.text, QStringLiteral("a"));
        QVERIFY(r.incompleteEventDiscardedAtEof);
        QVERIFY(r.incomplete);
    }

    void emptyChoicesChunksAreHarmless()
    {
        const QByteArray body
            = chunk("\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0}]")
              + delta("{\"content\":\"x\"}") + delta("{}", "\"stop\"")
              + chunk("\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,"
                      "\"total_tokens\":4}")
              + "data: [DONE]\n\n";
        const auto r = parse(body);
        QCOMPARE(r.text, QStringLiteral("x"));
        QCOMPARE(r.choices.size(), 1);
        QCOMPARE(r.inputTokens, std::optional<int>(3));
        QCOMPARE(r.totalTokens, std::optional<int>(4));
    }

    void midStreamErrorIsReported()
    {
        const QByteArray body = delta("{\"content\":\"partial\"}")
                                + "data: {\"error\":{\"message\":\"The server had an error\","
                                  "\"type\":\"server_error\",\"code\":null}}\n\n";
        const auto r = parse(body, Feed::ByteByByte);
        QCOMPARE(r.text, QStringLiteral("partial"));
        QVERIFY(r.error);
        QCOMPARE(r.error->type, QStringLiteral("server_error"));
        QCOMPARE(r.error->message, QStringLiteral("The server had an error"));
        QVERIFY(r.error->retryable);
        QCOMPARE(r.finish, FinishReason::Error);
        QVERIFY(!r.incomplete); // an error explains the end; it is not a cut
    }

    void emptyStringFinishReasonIsIgnored()
    {
        // Old Ollama /v1: role on every delta and finish_reason "" instead of null.
        const QByteArray body = delta("{\"role\":\"assistant\",\"content\":\"a\"}", "\"\"")
                                + delta("{\"role\":\"assistant\",\"content\":\"b\"}", "\"stop\"")
                                + "data: [DONE]\n\n";
        const auto r = parse(body);
        QCOMPARE(r.text, QStringLiteral("ab"));
        QCOMPARE(r.finishReason, QStringLiteral("stop"));
        const auto early = parse(delta("{\"content\":\"a\"}", "\"\"") + "data: [DONE]\n\n");
        QCOMPARE(early.finishReason, QString());
        QCOMPARE(early.finish, FinishReason::Unknown);
    }

    void usageAndTimingsOnFinishChunk()
    {
        // Old llama.cpp: usage and non-standard timings on the finish chunk.
        const QByteArray body
            = delta("{\"content\":\"x\"}")
              + chunk("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}],"
                      "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7},"
                      "\"timings\":{\"prompt_n\":5,\"predicted_n\":2,\"predicted_per_second\":41.5}")
              + "data: [DONE]\n\n";
        const auto r = parse(body);
        QCOMPARE(r.finish, FinishReason::Length);
        QCOMPARE(r.outputTokens, std::optional<int>(2));
        QCOMPARE(r.metadata["timings"]["predicted_per_second"].get<double>(), 41.5);
    }

    void cumulativeUsageTakesTheLast()
    {
        // vLLM continuous_usage_stats: usage on every chunk, cumulative.
        const QByteArray body
            = chunk("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"usage\":"
                    "{\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10}")
              + chunk("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"},\"finish_reason\":"
                      "\"stop\",\"stop_reason\":null}],\"usage\":{\"prompt_tokens\":9,"
                      "\"completion_tokens\":2,\"total_tokens\":11}")
              + "data: [DONE]\n\n";
        const auto r = parse(body);
        QCOMPARE(r.outputTokens, std::optional<int>(2));
        QCOMPARE(r.totalTokens, std::optional<int>(11));
    }

    void severalChoices()
    {
        const QByteArray body
            = chunk("\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B1\"}},"
                    "{\"index\":0,\"delta\":{\"content\":\"A1\"}}]")
              + chunk("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A2\"},\"finish_reason\":\"stop\"}]")
              + chunk("\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B2\"},\"finish_reason\":\"length\"}]")
              + "data: [DONE]\n\n";
        const auto r = parse(body);
        QCOMPARE(r.choices.size(), 2);
        QCOMPARE(r.choices[0].text, QStringLiteral("A1A2"));
        QCOMPARE(r.choices[1].text, QStringLiteral("B1B2"));
        QCOMPARE(r.choices[1].finish, FinishReason::Length);
        QCOMPARE(r.text, QStringLiteral("A1A2"));
        QCOMPARE(r.finish, FinishReason::Stop);
    }

    void refusalIsKeptApart()
    {
        const QByteArray body = delta("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"}")
                                + delta("{\"refusal\":\"I can't \"}")
                                + delta("{\"refusal\":\"help with that.\"}")
                                + delta("{}", "\"stop\"") + "data: [DONE]\n\n";
        const auto r = parse(body);
        QCOMPARE(r.refusal, QStringLiteral("I can't help with that."));
        QCOMPARE(r.text, QString());
    }

    void reasoningChannelsKeptApart()
    {
        const QByteArray body = delta("{\"reasoning_content\":\"think \"}")
                                + delta("{\"reasoning\":\"more\"}")
                                + delta("{\"content\":\"answer\"}", "\"stop\"")
                                + "data: [DONE]\n\n";
        OpenAIResponseParser p(true);
        p.feed(body);
        const StreamDelta d = p.takeDelta();
        QCOMPARE(d.reasoning, QStringLiteral("think more"));
        QCOMPARE(d.text, QStringLiteral("answer"));
        p.finish();
        QCOMPARE(p.result().reasoning, QStringLiteral("think more"));
        QCOMPARE(p.result().text, QStringLiteral("answer"));
    }

    void toolCallArgumentsAccumulatePerIndex()
    {
        const QByteArray body
            = delta("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}")
              + delta("{\"tool_calls\":[{\"index\":1,\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"y\\\"\"}}]}")
              + delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"x\\\":1}\"}}]}")
              + delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\":2}\"}}]}")
              + delta("{}", "\"tool_calls\"") + "data: [DONE]\n\n";
        const auto r = parse(body, Feed::ByteByByte);
        QCOMPARE(r.toolCalls.size(), 2);
        QCOMPARE(r.toolCalls[0].name, QStringLiteral("f"));
        QCOMPARE(r.toolCalls[0].arguments, QStringLiteral("{\"x\":1}"));
        QCOMPARE(r.toolCalls[1].id, QStringLiteral("b"));
        QCOMPARE(r.toolCalls[1].arguments, QStringLiteral("{\"y\":2}"));
        QCOMPARE(r.toolCalls[1].argumentsJson["y"].get<int>(), 2);
    }

    void lineSeparatorInsideJsonString()
    {
        const QByteArray body = QStringLiteral("data: {\"choices\":[{\"index\":0,\"delta\":"
                                               "{\"content\":\"a\u2028b\u2029c é\"}}]}\n\n"
                                               "data: [DONE]\n\n")
                                    .toUtf8();
        const auto r = parse(body, Feed::ByteByByte);
        QCOMPARE(r.text, QStringLiteral("a\u2028b\u2029c é"));
    }

    void unknownFieldsAndEventsIgnored()
    {
        const QByteArray body
            = "event: ping\ndata: {\"whatever\":1}\n\n"
              + chunk("\"obfuscation\":\"x\",\"service_tier\":\"default\",\"prompt_progress\":{},"
                      "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\",\"new_field\":[1]},"
                      "\"logprobs\":null,\"finish_reason\":\"stop\"}]")
              + "data: [DONE]\n\n";
        const auto r = parse(body);
        QCOMPARE(r.text, QStringLiteral("ok"));
        QVERIFY(!r.error);
        QVERIFY(r.complete);
    }

    void nonStreamingBody()
    {
        const QByteArray body =
            "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\","
            "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\","
            "\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},"
            "\"finish_reason\":\"tool_calls\"}],"
            "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6,"
            "\"prompt_tokens_details\":{\"cached_tokens\":2}}}";
        const auto r = parseIn(ProviderKind::OpenAI, false, body, Feed::ByteByByte);
        QCOMPARE(r.text, QStringLiteral("Hello"));
        QCOMPARE(r.toolCalls.size(), 1);
        QCOMPARE(r.toolCalls[0].argumentsJson["a"].get<int>(), 1);
        QCOMPARE(r.cachedInputTokens, std::optional<int>(2));
        QVERIFY(r.complete);
        QVERIFY(!r.incomplete);
    }

    void nonStreamingTruncatedBodyIsIncomplete()
    {
        const auto r = parseIn(ProviderKind::OpenAI, false, "{\"choices\":[{\"index\":0,\"mes",
                               Feed::Whole);
        QVERIFY(r.incomplete);
        QVERIFY(!r.complete);
        QCOMPARE(r.text, QString());
    }

    void streamRequestAnsweredWithWholeBody()
    {
        // Some compatible servers ignore stream:true and send one JSON document.
        const QByteArray body = "{\n  \"choices\": [{\"index\": 0, \"message\": {\"content\": "
                                "\"whole\"}, \"finish_reason\": \"stop\"}]\n}\n";
        const auto r = parse(body, Feed::ByteByByte);
        QCOMPARE(r.text, QStringLiteral("whole"));
        QVERIFY(r.complete);
    }

    void bareJsonErrorInsteadOfEvents()
    {
        const QByteArray body = "{\"error\":{\"message\":\"model not loaded\",\"type\":"
                                "\"invalid_request_error\",\"code\":null}}";
        const auto r = parse(body);
        QVERIFY(r.error);
        QCOMPARE(r.error->message, QStringLiteral("model not loaded"));
    }
};

QTEST_GUILESS_MAIN(TestOpenAIParser)
#include "test_openai_parser.moc"
