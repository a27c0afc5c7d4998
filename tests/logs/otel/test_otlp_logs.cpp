// GenAI events in a separate OTLP/JSON logs file, joined to the spans of the same import by
// trace and span id (OpenTelemetry GenAI v1.36 and earlier).

#include "otelsupport.h"

#include "logs/formats/otlptraces.h"

#include <QTest>

using namespace ts;
using namespace ts::test;

class TestOtlpLogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventsJoinBySpan();
    void eventNameAttributeAndJsonTextBody();
    void eventsOnTheSpanWinOverJoinedOnes();
    void malformedLogLinesAreReported();
};

namespace {

json logRecord(const std::string &event, const std::string &traceId, const std::string &spanId,
               json body)
{
    return {{"eventName", event},     {"timeUnixNano", "1786550400120000000"},
            {"severityNumber", 9},    {"traceId", traceId},
            {"spanId", spanId},       {"attributes", {kv("gen_ai.system", str("openai"))}},
            {"body", std::move(body)}};
}

json logsData(json records)
{
    return {{"resourceLogs",
             {{{"resource", {{"attributes", {kv("service.name", str("support-bot"))}}}},
               {"scopeLogs",
                {{{"scope", {{"name", "openai_v2"}}}, {"logRecords", std::move(records)}}}}}}}};
}

} // namespace

void TestOtlpLogs::eventsJoinBySpan()
{
    QTemporaryDir dir;
    // Upper-case ids in the logs, lower-case in the traces: the join ignores the case.
    const std::string trace = "4BF92F3577B34DA6A3CE929D0E0E4736";
    const std::string spanId = "00F067AA0BA902B7";
    json records = {
        logRecord("gen_ai.system.message", trace, spanId,
                  kvlist({kv("content", str("Be concise."))})),
        logRecord("gen_ai.user.message", trace, spanId,
                  kvlist({kv("content", str("Where is #4412?"))})),
        logRecord(
            "gen_ai.assistant.message", trace, spanId,
            kvlist({kv("tool_calls",
                       array({kvlist({kv("id", str("call_1")), kv("type", str("function")),
                                      kv("function",
                                         kvlist({kv("name", str("lookup")),
                                                 kv("arguments", str(R"({"id": 4412})"))}))})}))})),
        logRecord("gen_ai.tool.message", trace, spanId,
                  kvlist({kv("id", str("call_1")), kv("content", str("shipped"))})),
        logRecord("gen_ai.choice", trace, spanId,
                  kvlist({kv("index", integer(0)), kv("finish_reason", str("stop")),
                          kv("message",
                             kvlist({kv("role", str("assistant")),
                                     kv("content", str("It shipped yesterday."))}))})),
        // Not a GenAI event, and an event of another span: neither lands on this call.
        {{"timeUnixNano", "1786550400120000000"},
         {"traceId", trace},
         {"spanId", spanId},
         {"body", str("GET /health 200")}},
        logRecord("gen_ai.user.message", trace, "00f067aa0ba902b8",
                  kvlist({kv("content", str("other"))})),
    };
    const QString logsPath
        = writeFile(dir, QStringLiteral("events.logs.jsonl"), line(logsData(records)));
    json s = span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                  {kv("gen_ai.operation.name", str("chat")), kv("gen_ai.system", str("openai")),
                   kv("gen_ai.request.model", str("gpt-4o-mini"))});
    const QString tracesPath
        = writeFile(dir, QStringLiteral("events.traces.jsonl"), line(tracesData({s})));

    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(logsPath, QString(), sink, join)); // detected as otlp-logs
    QCOMPARE(join.otlpEvents.size(), 2);
    QCOMPARE(
        join.otlpEvents.value(QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7"))
            .size(),
        5);
    QVERIFY(readWith(tracesPath, QString(), sink, join));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(roles(r),
             QStringList({QStringLiteral("system"), QStringLiteral("user"),
                          QStringLiteral("assistant"), QStringLiteral("tool")}));
    QCOMPARE(r.messages[0].content, QStringLiteral("Be concise."));
    QCOMPARE(r.messages[1].content, QStringLiteral("Where is #4412?"));
    QCOMPARE(r.messages[2].toolCalls.size(), 1);
    QCOMPARE(r.messages[2].toolCalls[0].name, QStringLiteral("lookup"));
    QVERIFY(r.messages[2].toolCalls[0].arguments == json({{"id", 4412}}));
    QCOMPARE(r.messages[3].toolCallId, QStringLiteral("call_1"));
    QCOMPARE(r.output, QStringLiteral("It shipped yesterday."));
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
    QCOMPARE(r.provider, QStringLiteral("openai"));

    // Without the logs file the span is still a call, with no messages (unknown, not empty text).
    ListSink alone;
    LogJoinData none;
    QVERIFY(readWith(tracesPath, QString(), alone, none));
    QCOMPARE(alone.records.size(), 1);
    QVERIFY(alone.records[0].messages.isEmpty());
    QVERIFY(!alone.records[0].output);
}

void TestOtlpLogs::eventNameAttributeAndJsonTextBody()
{
    // Older SDKs name the event with an `event.name` attribute; some write the body as JSON text
    // or put it in a `gen_ai.event.content` attribute.
    QTemporaryDir dir;
    const std::string trace = "0af7651916cd43dd8448eb211c80319c";
    const std::string spanId = "b7ad6b7169203331";
    json user = {{"traceId", trace},
                 {"spanId", spanId},
                 {"attributes", {kv("event.name", str("gen_ai.user.message"))}},
                 {"body", str(R"({"content": "Translate: chat"})")}};
    json choice
        = {{"traceId", trace},
           {"spanId", spanId},
           {"attributes",
            {kv("event.name", str("gen_ai.choice")),
             kv("gen_ai.event.content",
                str(R"({"index": 0, "finish_reason": "stop", "message": {"content": "cat"}})"))}}};
    // One pretty-printed LogsData document, read as a stream.
    const QString logsPath = writeFile(dir, QStringLiteral("logs.json"),
                                       QByteArray::fromStdString(logsData({user, choice}).dump(2)));
    json s = span(trace, spanId, {kv("gen_ai.operation.name", str("chat"))});
    ListSink sink;
    LogJoinData join;
    QString error;
    QVERIFY2(readWith(logsPath, QStringLiteral("otlp-logs"), sink, join, &error),
             qPrintable(error));
    QVERIFY(readTracesData(tracesData({s}), sink, join));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.records[0].messages.size(), 1);
    QCOMPARE(sink.records[0].messages[0].role, QStringLiteral("user"));
    QCOMPARE(sink.records[0].messages[0].content, QStringLiteral("Translate: chat"));
    QCOMPARE(sink.records[0].output, QStringLiteral("cat"));
}

void TestOtlpLogs::eventsOnTheSpanWinOverJoinedOnes()
{
    const std::string trace = "0af7651916cd43dd8448eb211c80319c";
    const std::string spanId = "b7ad6b7169203331";
    LogJoinData join;
    join.otlpEvents[QStringLiteral("0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331")]
        << logRecord("gen_ai.user.message", trace, spanId,
                     kvlist({kv("content", str("from logs"))}));
    json s = span(trace, spanId, {kv("gen_ai.operation.name", str("chat"))});
    s["events"]
        = {{{"name", "gen_ai.user.message"},
            {"attributes", {kv("gen_ai.event.content", str(R"({"content": "from span"})"))}}}};
    ListSink sink;
    QVERIFY(readTracesData(tracesData({s}), sink, join));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.records[0].messages.size(), 1);
    QCOMPARE(sink.records[0].messages[0].content, QStringLiteral("from span"));
}

void TestOtlpLogs::malformedLogLinesAreReported()
{
    QTemporaryDir dir;
    const std::string trace = "0af7651916cd43dd8448eb211c80319c";
    json good = logsData({logRecord("gen_ai.user.message", trace, "b7ad6b7169203331",
                                    kvlist({kv("content", str("hi"))}))});
    json badId = logsData({logRecord("gen_ai.user.message", "xyz", "b7ad6b7169203331",
                                     kvlist({kv("content", str("hi"))}))});
    const QString path = writeFile(dir, QStringLiteral("l.jsonl"),
                                   line(good) + "{oops\n" + line(badId) + line(good));
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QString(), sink, join));
    QCOMPARE(sink.bad.size(), 2);
    QCOMPARE(sink.bad[0].first, 2);
    QCOMPARE(sink.bad[1].first, 3);
    QCOMPARE(
        join.otlpEvents.value(QStringLiteral("0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331"))
            .size(),
        2);
}

QTEST_GUILESS_MAIN(TestOtlpLogs)
#include "test_otlp_logs.moc"
