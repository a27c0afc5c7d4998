// OpenInference spans (Arize Phoenix's conventions) inside OTLP/JSON, and Phoenix's own span
// export JSON Lines.

#include "otelsupport.h"

#include "logs/formats/otlptraces.h"

#include <QTest>

using namespace ts;
using namespace ts::test;

class TestOpenInference : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void llmSpanInOtlp();
    void redactedContentIsUnknown();
    void inputAndOutputValueWithoutMessages();
    void messageOrderAndMediaContents();
    void spanKindsOtherThanLlmAreNotCalls();
    void phoenixExport();
    void phoenixNestedAttributesAndPages();
    void phoenixMalformedLines();
};

namespace {

json oiSpan(json attributes, const std::string &kind = "LLM")
{
    attributes.push_back(kv("openinference.span.kind", str(kind)));
    json s = span("409df945e0584829b240cfbdd2ff4488", "01fa961201b84358", std::move(attributes),
                  "ChatCompletion");
    s["parentSpanId"] = "2fe8a7932cf142d7";
    s["kind"] = 1;
    return s;
}

} // namespace

void TestOpenInference::llmSpanInOtlp()
{
    json attrs = {
        kv("llm.system", str("openai")),
        kv("llm.provider", str("openai")),
        kv("llm.model_name", str("gpt-4o-mini-2024-07-18")),
        kv("llm.invocation_parameters", str(R"({"model": "gpt-4o-mini", "temperature": 0.2})")),
        kv("input.value",
           str(R"({"messages": [{"role": "user", "content": "ignored: messages win"}]})")),
        kv("input.mime_type", str("application/json")),
        kv("output.value",
           str(R"({"choices": [{"index": 0, "message": {"role": "assistant", "content": null}, "finish_reason": "tool_calls"}]})")),
        kv("llm.input_messages.0.message.role", str("system")),
        kv("llm.input_messages.0.message.content", str("You are a support agent.")),
        kv("llm.input_messages.1.message.role", str("user")),
        kv("llm.input_messages.1.message.contents.0.message_content.type", str("text")),
        kv("llm.input_messages.1.message.contents.0.message_content.text",
           str("Where is my order?")),
        kv("llm.input_messages.1.message.contents.1.message_content.type", str("image")),
        kv("llm.input_messages.1.message.contents.1.message_content.image.image.url",
           str("__REDACTED__")),
        kv("llm.output_messages.0.message.role", str("assistant")),
        kv("llm.output_messages.0.message.tool_calls.0.tool_call.id", str("call_62136355")),
        kv("llm.output_messages.0.message.tool_calls.0.tool_call.function.name",
           str("lookup_order")),
        kv("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments",
           str(R"({"order_id": "4412"})")),
        kv("llm.token_count.prompt", integer(229)),
        kv("llm.token_count.completion", integer(21)),
        kv("llm.token_count.total", integer(250)),
        kv("session.id", str("26bcd3d2")),
        kv("user.id", str("u_9328ae73")),
        kv("tag.tags", array({str("prod"), str("support")})),
    };
    QTemporaryDir dir;
    const QString path
        = writeFile(dir, QStringLiteral("oi.jsonl"), line(tracesData({oiSpan(attrs)})));
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QString(), sink, join));
    QCOMPARE(findLogFormat(QStringLiteral("openinference"))->name, QStringLiteral("openinference"));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.sourceFormat, QStringLiteral("openinference"));
    QCOMPARE(r.model, QStringLiteral("gpt-4o-mini-2024-07-18"));
    QCOMPARE(r.provider, QStringLiteral("openai"));
    QCOMPARE(roles(r), QStringList({QStringLiteral("system"), QStringLiteral("user")}));
    QCOMPARE(r.messages[0].content, QStringLiteral("You are a support agent."));
    QCOMPARE(r.messages[1].content,
             QStringLiteral("Where is my order?")); // redacted image left out
    QVERIFY(!r.output);
    QCOMPARE(r.outputToolCalls.size(), 1);
    QCOMPARE(r.outputToolCalls[0].id, QStringLiteral("call_62136355"));
    QCOMPARE(r.outputToolCalls[0].name, QStringLiteral("lookup_order"));
    QVERIFY(r.outputToolCalls[0].arguments == json({{"order_id", "4412"}}));
    QCOMPARE(r.finishReason, QStringLiteral("tool_calls")); // from output.value
    QCOMPARE(r.inputTokens, std::optional<qint64>(229));
    QCOMPARE(r.outputTokens, std::optional<qint64>(21));
    QCOMPARE(r.sessionId, QStringLiteral("26bcd3d2"));
    QCOMPARE(r.parentSpanId, QStringLiteral("2fe8a7932cf142d7"));
    // Invocation parameters are kept as JSON; the rest of the attributes as they were.
    QVERIFY(r.metadata["llm.invocation_parameters"]["temperature"] == 0.2);
    QVERIFY(r.metadata["user.id"] == "u_9328ae73");
    QVERIFY(r.metadata["tag.tags"] == json({"prod", "support"}));
    QVERIFY(r.metadata["llm.token_count.total"] == 250);
    QVERIFY(!r.metadata.contains("input.value"));
    QVERIFY(!r.metadata.contains("llm.input_messages.0.message.role"));
}

void TestOpenInference::redactedContentIsUnknown()
{
    json attrs = {kv("llm.input_messages.0.message.role", str("user")),
                  kv("llm.input_messages.0.message.content", str("__REDACTED__")),
                  kv("llm.output_messages.0.message.role", str("assistant")),
                  kv("llm.output_messages.0.message.content", str("__REDACTED__")),
                  kv("input.value", str("__REDACTED__")),
                  kv("output.value", str("__REDACTED__"))};
    ListSink sink;
    QVERIFY(readTracesData(tracesData({oiSpan(attrs)}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.messages.size(), 1);
    QCOMPARE(r.messages[0].role, QStringLiteral("user"));
    QVERIFY(!r.messages[0].content);
    QVERIFY(!r.output);
}

void TestOpenInference::inputAndOutputValueWithoutMessages()
{
    // Plain text input and output.
    json text = oiSpan({kv("llm.model_name", str("llama3")), kv("input.value", str("What is 2+2?")),
                        kv("input.mime_type", str("text/plain")), kv("output.value", str("4"))});
    // An OpenAI request body and a chat completion as JSON.
    json body = oiSpan(
        {kv("input.value",
            str(R"({"model": "gpt-4o", "messages": [{"role": "system", "content": "Be exact."}, {"role": "user", "content": "2+2?"}]})")),
         kv("input.mime_type", str("application/json")),
         kv("output.value",
            str(R"({"choices": [{"message": {"role": "assistant", "content": "4"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 12, "completion_tokens": 1}})")),
         kv("llm.invocation_parameters", str(R"({"model": "gpt-4o"})"))});
    body["spanId"] = "01fa961201b84359";
    ListSink sink;
    QVERIFY(readTracesData(tracesData({text, body}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 2);
    const LogRecord &a = sink.records[0];
    QCOMPARE(a.messages.size(), 1);
    QCOMPARE(a.messages[0].role, QStringLiteral("user"));
    QCOMPARE(a.messages[0].content, QStringLiteral("What is 2+2?"));
    QCOMPARE(a.output, QStringLiteral("4"));
    const LogRecord &b = sink.records[1];
    QCOMPARE(roles(b), QStringList({QStringLiteral("system"), QStringLiteral("user")}));
    QCOMPARE(b.messages[1].content, QStringLiteral("2+2?"));
    QCOMPARE(b.output, QStringLiteral("4"));
    QCOMPARE(b.finishReason, QStringLiteral("stop"));
    QCOMPARE(b.model, QStringLiteral("gpt-4o")); // from the invocation parameters
    QCOMPARE(b.inputTokens, std::optional<qint64>(12));
    QCOMPARE(b.outputTokens, std::optional<qint64>(1));
}

void TestOpenInference::messageOrderAndMediaContents()
{
    json attrs = json::array();
    for (int i = 0; i <= 11; ++i) {
        const std::string prefix = "llm.input_messages." + std::to_string(i) + ".message.";
        attrs.push_back(kv(prefix + "role", str(i % 2 ? "assistant" : "user")));
        attrs.push_back(kv(prefix + "content", str("turn " + std::to_string(i))));
    }
    const std::string base64 = QByteArray(1500, 'z').toBase64().toStdString();
    attrs.push_back(kv("llm.input_messages.12.message.role", str("user")));
    attrs.push_back(
        kv("llm.input_messages.12.message.contents.0.message_content.type", str("image")));
    attrs.push_back(kv("llm.input_messages.12.message.contents.0.message_content.image.image.url",
                       str("data:image/webp;base64," + base64)));
    attrs.push_back(kv("llm.input_messages.13.message.role", str("tool")));
    attrs.push_back(kv("llm.input_messages.13.message.tool_call_id", str("call_7")));
    attrs.push_back(kv("llm.input_messages.13.message.content", str("42")));
    ListSink sink;
    QVERIFY(readTracesData(tracesData({oiSpan(attrs)}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.messages.size(), 14);
    for (int i = 0; i <= 11; ++i)
        QCOMPARE(r.messages[i].content, QStringLiteral("turn %1").arg(i));
    QCOMPARE(r.messages[12].content, QStringLiteral("[image/webp, 1500 bytes]"));
    QCOMPARE(r.messages[13].toolCallId, QStringLiteral("call_7"));
    QVERIFY(r.metadata.dump().find(base64.substr(0, 100)) == std::string::npos);
}

void TestOpenInference::spanKindsOtherThanLlmAreNotCalls()
{
    json chain
        = oiSpan({kv("input.value", str("question")), kv("output.value", str("answer"))}, "CHAIN");
    json retriever = oiSpan({kv("input.value", str("q"))}, "RETRIEVER");
    retriever["spanId"] = "01fa961201b84360";
    ListSink sink;
    QVERIFY(readTracesData(tracesData({chain, retriever}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 0);
    QCOMPARE(sink.others.size(), 2);
    QCOMPARE(sink.others[0].spanId, QStringLiteral("01fa961201b84358"));
    QCOMPARE(sink.others[0].parentSpanId, QStringLiteral("2fe8a7932cf142d7"));
}

void TestOpenInference::phoenixExport()
{
    const QByteArray text
        = R"({"id": "U3BhbjoxMjM0NQ==", "name": "ChatCompletion", "context": {"trace_id": "409DF945E0584829B240CFBDD2FF4488", "span_id": "01fa961201b84358"}, "span_kind": "LLM", "parent_id": "2fe8a7932cf142d7", "start_time": "2026-08-12T16:00:00.120000+00:00", "end_time": "2026-08-12T16:00:00.654000+00:00", "status_code": "OK", "status_message": "", "attributes": {"llm.system": "openai", "llm.model_name": "gpt-4o-mini", "llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": "Where is my order #4412?", "llm.output_messages.0.message.role": "assistant", "llm.output_messages.0.message.content": "It shipped.", "llm.token_count.prompt": 229, "llm.token_count.completion": 21, "metadata": "{\"release\": \"2026.08.3\"}"}, "events": []}
{"id": "U3BhbjoxMjM0Ng==", "name": "ChatCompletion", "context": {"trace_id": "8a3c60f7d188f8fa79d48a391a778fa6", "span_id": "53995c3f42cd8ad8"}, "span_kind": "LLM", "parent_id": null, "start_time": "2026-08-12T16:05:00.000000+00:00", "end_time": "2026-08-12T16:05:30.002000+00:00", "status_code": "ERROR", "status_message": "APITimeoutError: Request timed out.", "attributes": {"llm.model_name": "gpt-4o", "llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": "Summarize the contract.", "input.value": "Summarize the contract.", "input.mime_type": "text/plain"}, "events": [{"name": "exception", "timestamp": "2026-08-12T16:05:30.001000+00:00", "attributes": {"exception.type": "openai.APITimeoutError", "exception.message": "Request timed out.", "exception.escaped": false}}]}
{"name": "retrieve", "context": {"trace_id": "8a3c60f7d188f8fa79d48a391a778fa6", "span_id": "53995c3f42cd8ad9"}, "span_kind": "RETRIEVER", "parent_id": "53995c3f42cd8ad8", "start_time": "2026-08-12T16:05:00.000000+00:00", "end_time": "2026-08-12T16:05:00.100000+00:00", "status_code": "UNSET", "attributes": {"input.value": "contract"}, "events": []}
)";
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("spans.jsonl"), text);
    ListSink sink;
    LogJoinData join;
    QString error;
    QVERIFY2(readWith(path, QString(), sink, join, &error), qPrintable(error)); // detected
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.others.size(), 1);
    const LogRecord &ok = sink.records[0];
    QCOMPARE(ok.sourceFormat, QStringLiteral("phoenix"));
    QCOMPARE(ok.traceId, QStringLiteral("409df945e0584829b240cfbdd2ff4488"));
    QCOMPARE(ok.startMs, epochMsFromText(QStringLiteral("2026-08-12T16:00:00.120Z")));
    QCOMPARE(ok.latencyMs, std::optional<double>(534.0));
    QCOMPARE(ok.model, QStringLiteral("gpt-4o-mini"));
    QCOMPARE(ok.provider, QStringLiteral("openai"));
    QCOMPARE(ok.messages.size(), 1);
    QCOMPARE(ok.output, QStringLiteral("It shipped."));
    QCOMPARE(ok.inputTokens, std::optional<qint64>(229));
    QVERIFY(ok.ok);
    QVERIFY(ok.metadata["metadata"] == "{\"release\": \"2026.08.3\"}");
    const LogRecord &failed = sink.records[1];
    QVERIFY(!failed.ok);
    QCOMPARE(failed.error, QStringLiteral("APITimeoutError: Request timed out."));
    QVERIFY(!failed.parentSpanId);
    QCOMPARE(failed.messages.size(), 1);
    QCOMPARE(failed.messages[0].content, QStringLiteral("Summarize the contract."));
    QVERIFY(!failed.output);
    QCOMPARE(sink.others[0].parentSpanId, QStringLiteral("53995c3f42cd8ad8"));
    QVERIFY(!sink.others[0].status); // UNSET
}

void TestOpenInference::phoenixNestedAttributesAndPages()
{
    // Attributes nested as Phoenix stores them, and a REST page ({"data": [...]}) on one line.
    const json nested = {
        {"name", "llm"},
        {"context",
         {{"trace_id", "8a3c60f7d188f8fa79d48a391a778fa6"}, {"span_id", "53995c3f42cd8ad8"}}},
        {"span_kind", "LLM"},
        {"start_time", "2026-08-12T16:05:00Z"},
        {"end_time", "2026-08-12T16:05:01Z"},
        {"status_code", "OK"},
        {"attributes",
         {{"llm",
           {{"model_name", "claude-3-5-sonnet"},
            {"input_messages", {{{"message", {{"role", "user"}, {"content", "Hello"}}}}}},
            {"output_messages", {{{"message", {{"role", "assistant"}, {"content", "Hi there"}}}}}},
            {"token_count", {{"prompt", 5}, {"completion", 3}}}}},
          {"session", {{"id", "s-1"}}}}}};
    json chain = nested;
    chain["span_kind"] = "CHAIN";
    chain["context"]["span_id"] = "53995c3f42cd8ad7";
    const QByteArray text = QByteArray::fromStdString(
                                json({{"data", {nested, chain}}, {"next_cursor", nullptr}}).dump())
        + '\n';
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("page.jsonl"), text);
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QStringLiteral("phoenix"), sink, join));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.others.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.model, QStringLiteral("claude-3-5-sonnet"));
    QCOMPARE(r.messages.size(), 1);
    QCOMPARE(r.messages[0].content, QStringLiteral("Hello"));
    QCOMPARE(r.output, QStringLiteral("Hi there"));
    QCOMPARE(r.inputTokens, std::optional<qint64>(5));
    QCOMPARE(r.outputTokens, std::optional<qint64>(3));
    QCOMPARE(r.sessionId, QStringLiteral("s-1"));
    QCOMPARE(r.latencyMs, std::optional<double>(1000.0));
}

void TestOpenInference::phoenixMalformedLines()
{
    const QByteArray good
        = R"({"name": "llm", "context": {"trace_id": "8a3c60f7d188f8fa79d48a391a778fa6", "span_id": "53995c3f42cd8ad8"}, "span_kind": "LLM", "attributes": {"llm.model_name": "m"}})";
    const QByteArray badId
        = R"({"name": "llm", "context": {"trace_id": "nothex", "span_id": "53995c3f42cd8ad8"}, "span_kind": "LLM", "attributes": {}})";
    QTemporaryDir dir;
    const QString path
        = writeFile(dir, QStringLiteral("p.jsonl"),
                    good + "\nnot json\n\"a string\"\n" + badId + '\n' + good + '\n');
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QString(), sink, join));
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.bad.size(), 3);
    QCOMPARE(sink.bad[0].first, 2);
    QCOMPARE(sink.bad[1].first, 3);
    QCOMPARE(sink.bad[2].first, 4);
    QVERIFY(!sink.records[0].startMs); // no time given: unknown
}

QTEST_GUILESS_MAIN(TestOpenInference)
#include "test_openinference.moc"
