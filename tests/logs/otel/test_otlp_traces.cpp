// OTLP/JSON traces with the OpenTelemetry GenAI conventions in every shape, read from files
// the tests write: what a user importing their exporter's output sees.

#include "otelsupport.h"

#include "logs/formats/otlptraces.h"

#include <QTest>

using namespace ts;
using namespace ts::test;

class TestOtlpTraces : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonStringMessagesAndUsage();
    void structuredMessagesWithToolCalls();
    void errorSpanFromStatusAndErrorType();
    void snakeCaseUpperHexNumbersAndEnumNames();
    void base64IdsAreConvertedToHex();
    void structuredSystemInstructionsBecomeFirstMessage();
    void blobAndDataUriPartsBecomePlaceholders();
    void reasoningAndFileAndUriParts();
    void legacyEventsOnTheSpan();
    void legacyContentEventsOfVersion126();
    void openLlmetryIndexedAttributesInNumericOrder();
    void deprecatedTokenNamesAndTimeToFirstChunk();
    void promptNameAndVersion();
    void unknownValuesStayUnknown();
    void nonLlmSpansAreCountedAndLinkable();
    void malformedLinesAreReportedAndSkipped();
    void oneBigDocumentIsStreamed();
    void cancellationStopsReading();
    void readTracesDataForTheReceiver();
    void detection();
};

void TestOtlpTraces::jsonStringMessagesAndUsage()
{
    QTemporaryDir dir;
    json attrs = {
        kv("gen_ai.operation.name", str("chat")),
        kv("gen_ai.provider.name", str("openai")),
        kv("gen_ai.request.model", str("gpt-4o-mini")),
        kv("gen_ai.response.model", str("gpt-4o-mini-2024-07-18")),
        kv("gen_ai.request.temperature", dbl(0.2)),
        kv("gen_ai.response.finish_reasons", array({str("stop")})),
        kv("gen_ai.usage.input_tokens", integer(38)),
        kv("gen_ai.usage.output_tokens", integer(14)),
        kv("gen_ai.conversation.id", str("conv_5j66")),
        kv("gen_ai.system_instructions",
           str(R"([{"type": "text", "content": "You are a concise support agent."}])")),
        kv("gen_ai.input.messages",
           str(R"([{"role": "user", "parts": [{"type": "text", "content": "Where is my order #4412?"}]}])")),
        kv("gen_ai.output.messages",
           str(R"([{"role": "assistant", "parts": [{"type": "text", "content": "It shipped."}], "finish_reason": "stop"}])")),
        kv("server.address", str("api.openai.com")),
    };
    json s
        = span("5B8EFFF798038103D269B633813FC60C", "EEE19B7EC3C1B174", attrs, "chat gpt-4o-mini");
    s["parentSpanId"] = "eee19b7ec3c1b173";
    const QString path = writeFile(dir, QStringLiteral("t.jsonl"), line(tracesData({s})));

    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QString(), sink, join));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.sourceFormat, QStringLiteral("otlp"));
    QCOMPARE(r.traceId, QStringLiteral("5b8efff798038103d269b633813fc60c"));
    QCOMPARE(r.spanId, QStringLiteral("eee19b7ec3c1b174"));
    QCOMPARE(r.parentSpanId, QStringLiteral("eee19b7ec3c1b173"));
    QCOMPARE(r.startMs, std::optional<qint64>(1786550400120));
    QCOMPARE(r.endMs, std::optional<qint64>(1786550401460));
    QCOMPARE(r.latencyMs, std::optional<double>(1340.0));
    QCOMPARE(r.model, QStringLiteral("gpt-4o-mini-2024-07-18")); // response model wins
    QCOMPARE(r.provider, QStringLiteral("openai"));
    QCOMPARE(roles(r), QStringList({QStringLiteral("system"), QStringLiteral("user")}));
    QCOMPARE(r.messages[0].content, QStringLiteral("You are a concise support agent."));
    QCOMPARE(r.messages[1].content, QStringLiteral("Where is my order #4412?"));
    QCOMPARE(r.output, QStringLiteral("It shipped."));
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
    QCOMPARE(r.inputTokens, std::optional<qint64>(38));
    QCOMPARE(r.outputTokens, std::optional<qint64>(14));
    QCOMPARE(r.sessionId, QStringLiteral("conv_5j66"));
    QVERIFY(r.ok);
    QVERIFY(!r.error);
    // Every attribute not mapped to a column is kept; the mapped ones are not repeated.
    QVERIFY(r.metadata.value("server.address", "") == "api.openai.com");
    QCOMPARE(r.metadata["gen_ai.request.temperature"].get<double>(), 0.2);
    QVERIFY(r.metadata.value("gen_ai.request.model", "") == "gpt-4o-mini");
    QVERIFY(!r.metadata.contains("gen_ai.input.messages"));
    QVERIFY(!r.metadata.contains("gen_ai.usage.input_tokens"));
    QVERIFY(r.metadata["otel"]["resource"].value("service.name", "") == "support-bot");
    QVERIFY(r.metadata["otel"]["span_name"] == "chat gpt-4o-mini");
    QVERIFY(r.metadata["otel"]["scope"].value("name", "") == "test.instrumentation");
}

void TestOtlpTraces::structuredMessagesWithToolCalls()
{
    QTemporaryDir dir;
    auto part = [](std::initializer_list<json> fields) {
        return kvlist(fields);
    };
    json input = array({
        kvlist({kv("role", str("user")),
                kv("parts",
                   array({part(
                       {kv("type", str("text")), kv("content", str("Weather in Paris?"))})}))}),
        kvlist({kv("role", str("assistant")),
                kv("parts",
                   array({part({kv("type", str("tool_call")), kv("id", str("call_1")),
                                kv("name", str("get_weather")),
                                kv("arguments", kvlist({kv("location", str("Paris"))}))})}))}),
        kvlist({kv("role", str("tool")),
                kv("parts",
                   array({part({kv("type", str("tool_call_response")), kv("id", str("call_1")),
                                kv("response", str("rainy, 57°F"))})}))}),
    });
    json output
        = array({kvlist({kv("role", str("assistant")),
                         kv("parts",
                            array({part({kv("type", str("tool_call")), kv("id", str("call_2")),
                                         kv("name", str("get_forecast")),
                                         kv("arguments", str(R"({"days": 3})"))})})),
                         kv("finish_reason", str("tool_call"))})});
    json s
        = span("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
               {kv("gen_ai.operation.name", str("chat")), kv("gen_ai.request.model", str("gpt-4o")),
                kv("gen_ai.input.messages", input), kv("gen_ai.output.messages", output)});
    const QString path = writeFile(dir, QStringLiteral("t.jsonl"), line(tracesData({s})));
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QStringLiteral("otlp"), sink, join));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.model, QStringLiteral("gpt-4o"));
    QCOMPARE(
        roles(r),
        QStringList({QStringLiteral("user"), QStringLiteral("assistant"), QStringLiteral("tool")}));
    QCOMPARE(r.messages[1].toolCalls.size(), 1);
    QCOMPARE(r.messages[1].toolCalls[0].id, QStringLiteral("call_1"));
    QCOMPARE(r.messages[1].toolCalls[0].name, QStringLiteral("get_weather"));
    QVERIFY(r.messages[1].toolCalls[0].arguments == json({{"location", "Paris"}}));
    QVERIFY(!r.messages[1].content); // only a tool call: no text, unknown rather than ""
    QCOMPARE(r.messages[2].toolCallId, QStringLiteral("call_1"));
    QCOMPARE(r.messages[2].content, QStringLiteral("rainy, 57°F"));
    QVERIFY(!r.output);
    QCOMPARE(r.outputToolCalls.size(), 1);
    QCOMPARE(r.outputToolCalls[0].name, QStringLiteral("get_forecast"));
    QVERIFY(r.outputToolCalls[0].arguments == json({{"days", 3}})); // JSON text parsed
    QCOMPARE(r.finishReason, QStringLiteral("tool_call"));
    QVERIFY(r.hasToolCalls());
}

void TestOtlpTraces::errorSpanFromStatusAndErrorType()
{
    QTemporaryDir dir;
    json failed
        = span("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
               {kv("gen_ai.operation.name", str("chat")), kv("gen_ai.request.model", str("gpt-4o")),
                kv("error.type", str("timeout"))});
    failed["status"] = {{"code", 2}, {"message", "Request timed out."}};
    json typeOnly
        = span("0af7651916cd43dd8448eb211c80319d", "b7ad6b7169203332",
               {kv("gen_ai.operation.name", str("chat")), kv("error.type", str("rate_limit"))});
    json exceptionOnly = span("0af7651916cd43dd8448eb211c80319e", "b7ad6b7169203333",
                              {kv("gen_ai.operation.name", str("chat"))});
    exceptionOnly["status"] = {{"code", "STATUS_CODE_ERROR"}};
    exceptionOnly["events"] = {
        {{"name", "exception"},
         {"timeUnixNano", "1786550401000000000"},
         {"attributes",
          {kv("exception.type", str("APIError")), kv("exception.message", str("Bad gateway"))}}}};
    const QString path
        = writeFile(dir, QStringLiteral("t.jsonl"),
                    line(tracesData({failed})) + line(tracesData({typeOnly, exceptionOnly})));
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QString(), sink, join));
    QCOMPARE(sink.records.size(), 3);
    QVERIFY(!sink.records[0].ok);
    QCOMPARE(sink.records[0].error, QStringLiteral("Request timed out."));
    QVERIFY(!sink.records[0].output);
    QVERIFY(!sink.records[1].ok);
    QCOMPARE(sink.records[1].error, QStringLiteral("rate_limit"));
    QVERIFY(!sink.records[2].ok);
    QCOMPARE(sink.records[2].error, QStringLiteral("Bad gateway"));
    QVERIFY(sink.records[2].metadata["otel"]["events"][0]["name"] == "exception");
}

void TestOtlpTraces::snakeCaseUpperHexNumbersAndEnumNames()
{
    // Protobuf field names, upper-case hex, integers as numbers, enums by name, pretty-printed
    // over many lines (one document, read as a stream).
    const QByteArray text = R"({
  "resource_spans": [ {
    "resource": { "attributes": [ { "key": "service.name", "value": { "string_value": "bot" } } ] },
    "scope_spans": [ {
      "scope": { "name": "manual" },
      "spans": [ {
        "trace_id": "4BF92F3577B34DA6A3CE929D0E0E4736",
        "span_id": "00F067AA0BA902B7",
        "parent_span_id": "",
        "name": "chat",
        "kind": "SPAN_KIND_CLIENT",
        "start_time_unix_nano": 1786550400120000000,
        "end_time_unix_nano": 1786550400620000000,
        "attributes": [
          { "key": "gen_ai.operation.name", "value": { "string_value": "chat" } },
          { "key": "gen_ai.request.model", "value": { "string_value": "claude-sonnet" } },
          { "key": "gen_ai.usage.input_tokens", "value": { "int_value": 120 } },
          { "key": "gen_ai.usage.output_tokens", "value": { "int_value": "9007199254740993" } },
          { "key": "gen_ai.input.messages", "value": { "string_value": "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]" } }
        ],
        "status": { "code": "STATUS_CODE_ERROR", "message": "overloaded" }
      } ]
    } ]
  } ]
}
)";
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("doc.json"), text);
    ListSink sink;
    LogJoinData join;
    QString error;
    QVERIFY2(readWith(path, QString(), sink, join, &error), qPrintable(error));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.traceId, QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736"));
    QCOMPARE(r.spanId, QStringLiteral("00f067aa0ba902b7"));
    QVERIFY(!r.parentSpanId);
    QCOMPARE(r.latencyMs, std::optional<double>(500.0));
    QCOMPARE(r.inputTokens, std::optional<qint64>(120));
    QCOMPARE(r.outputTokens,
             std::optional<qint64>(9007199254740993LL)); // beyond a double's precision
    QCOMPARE(r.messages.size(), 1);
    QCOMPARE(r.messages[0].content, QStringLiteral("Hi"));
    QVERIFY(!r.ok);
    QCOMPARE(r.error, QStringLiteral("overloaded"));
    QVERIFY(r.metadata["otel"]["span_kind"] == "client");
    QVERIFY(r.metadata["otel"]["resource"]["service.name"] == "bot");
}

void TestOtlpTraces::base64IdsAreConvertedToHex()
{
    // Generic protobuf JSON printers write bytes as base64.
    json s = span(QByteArray::fromHex("5b8efff798038103d269b633813fc60c").toBase64().toStdString(),
                  QByteArray::fromHex("eee19b7ec3c1b174").toBase64().toStdString(),
                  {kv("gen_ai.operation.name", str("chat"))});
    ListSink sink;
    QVERIFY(readTracesData(tracesData({s}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.records[0].traceId, QStringLiteral("5b8efff798038103d269b633813fc60c"));
    QCOMPARE(sink.records[0].spanId, QStringLiteral("eee19b7ec3c1b174"));
}

void TestOtlpTraces::structuredSystemInstructionsBecomeFirstMessage()
{
    json s = span(
        "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
        {kv("gen_ai.operation.name", str("chat")),
         kv("gen_ai.system_instructions",
            array({kvlist({kv("type", str("text")), kv("content", str("Be brief."))}),
                   kvlist({kv("type", str("text")), kv("content", str("Answer in French."))})})),
         kv("gen_ai.input.messages",
            array({kvlist(
                {kv("role", str("user")),
                 kv("parts",
                    array({kvlist({kv("type", str("text")), kv("content", str("Hello"))})}))})}))});
    ListSink sink;
    QVERIFY(readTracesData(tracesData({s}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(roles(r), QStringList({QStringLiteral("system"), QStringLiteral("user")}));
    QCOMPARE(r.messages[0].content, QStringLiteral("Be brief.\nAnswer in French."));
    QCOMPARE(r.messages[1].content, QStringLiteral("Hello"));
}

void TestOtlpTraces::blobAndDataUriPartsBecomePlaceholders()
{
    const QByteArray image(3000, 'x');
    const std::string base64 = image.toBase64().toStdString();
    json input = json::array({{{"role", "user"},
                               {"parts",
                                {{{"type", "text"}, {"content", "What is in this picture?"}},
                                 {{"type", "blob"},
                                  {"modality", "image"},
                                  {"mime_type", "image/png"},
                                  {"content", base64}},
                                 {{"type", "uri"},
                                  {"modality", "image"},
                                  {"uri", "data:image/jpeg;base64," + base64}}}}}});
    json s = span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
                  {kv("gen_ai.operation.name", str("chat")),
                   kv("gen_ai.input.messages", str(input.dump())),
                   kv("debug.raw_image", str(base64))});
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("t.jsonl"), line(tracesData({s})));
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QString(), sink, join));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.messages[0].content,
             QStringLiteral("What is in this picture?\n[image/png, 3000 bytes]\n"
                            "[image/jpeg, 3000 bytes]"));
    // The picture is nowhere in the record, not even in metadata.
    const std::string everything = messagesToJson(r.messages).dump() + r.metadata.dump();
    QVERIFY(everything.find(base64.substr(0, 200)) == std::string::npos);
    QVERIFY(r.metadata["debug.raw_image"] == "[application/octet-stream, 3000 bytes]");
}

void TestOtlpTraces::reasoningAndFileAndUriParts()
{
    json output = json::array({{{"role", "assistant"},
                                {"parts",
                                 {{{"type", "reasoning"}, {"content", "The user wants a summary."}},
                                  {{"type", "text"}, {"content", "Here is the summary."}}}},
                                {"finish_reason", "stop"}}});
    json input = json::array(
        {{{"role", "user"},
          {"parts",
           {{{"type", "file"},
             {"modality", "document"},
             {"mime_type", "application/pdf"},
             {"file_id", "file-abc"}},
            {{"type", "uri"}, {"modality", "image"}, {"uri", "https://example.com/cat.png"}}}}}});
    json s = span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
                  {kv("gen_ai.operation.name", str("generate_content")),
                   kv("gen_ai.input.messages", str(input.dump())),
                   kv("gen_ai.output.messages", str(output.dump()))});
    ListSink sink;
    QVERIFY(readTracesData(tracesData({s}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.messages[0].content,
             QStringLiteral("[application/pdf: file file-abc]\n"
                            "[image: https://example.com/cat.png]"));
    QCOMPARE(r.output, QStringLiteral("Here is the summary."));
    QCOMPARE(r.reasoning, QStringLiteral("The user wants a summary."));
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
}

void TestOtlpTraces::legacyEventsOnTheSpan()
{
    // v1.36 and earlier: one event per message; content in a gen_ai.event.content attribute
    // (as the Azure AI Inference SDK writes it) or in plain attributes.
    json s = span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
                  {kv("gen_ai.operation.name", str("chat")),
                   kv("gen_ai.system", str("az.ai.inference")),
                   kv("gen_ai.request.model", str("gpt-4o"))});
    auto event = [](const std::string &name, const std::string &content) {
        return json {{"name", name},
                     {"timeUnixNano", "1786550400200000000"},
                     {"attributes",
                      {kv("gen_ai.system", str("az.ai.inference")),
                       kv("gen_ai.event.content", str(content))}}};
    };
    s["events"] = {
        event("gen_ai.system.message", R"({"role": "system", "content": "Be kind."})"),
        event("gen_ai.user.message", R"({"content": "What's the weather?"})"),
        event(
            "gen_ai.assistant.message",
            R"({"tool_calls": [{"id": "call_9", "type": "function", "function": {"name": "weather", "arguments": "{\"city\": \"Oslo\"}"}}]})"),
        event("gen_ai.tool.message", R"({"id": "call_9", "content": "sunny"})"),
        event(
            "gen_ai.choice",
            R"({"index": 0, "finish_reason": "stop", "message": {"content": "It is sunny in Oslo."}})"),
    };
    ListSink sink;
    QVERIFY(readTracesData(tracesData({s}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.provider, QStringLiteral("az.ai.inference")); // deprecated gen_ai.system
    QCOMPARE(roles(r),
             QStringList({QStringLiteral("system"), QStringLiteral("user"),
                          QStringLiteral("assistant"), QStringLiteral("tool")}));
    QCOMPARE(r.messages[0].content, QStringLiteral("Be kind."));
    QCOMPARE(r.messages[1].content, QStringLiteral("What's the weather?"));
    QCOMPARE(r.messages[2].toolCalls.size(), 1);
    QVERIFY(r.messages[2].toolCalls[0].arguments == json({{"city", "Oslo"}}));
    QCOMPARE(r.messages[3].toolCallId, QStringLiteral("call_9"));
    QCOMPARE(r.messages[3].content, QStringLiteral("sunny"));
    QCOMPARE(r.output, QStringLiteral("It is sunny in Oslo."));
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
    QVERIFY(!r.metadata["otel"].contains("events")); // message events are the messages
}

void TestOtlpTraces::legacyContentEventsOfVersion126()
{
    json s = span(
        "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
        {kv("gen_ai.system", str("openai")), kv("gen_ai.request.model", str("gpt-3.5-turbo"))});
    s["events"] = {
        {{"name", "gen_ai.content.prompt"},
         {"attributes", {kv("gen_ai.prompt", str(R"([{"role": "user", "content": "Say hi"}])"))}}},
        {{"name", "gen_ai.content.completion"},
         {"attributes",
          {kv("gen_ai.completion", str(R"([{"role": "assistant", "content": "Hi!"}])"))}}},
    };
    ListSink sink;
    QVERIFY(readTracesData(tracesData({s}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.records[0].messages.size(), 1);
    QCOMPARE(sink.records[0].messages[0].content, QStringLiteral("Say hi"));
    QCOMPARE(sink.records[0].output, QStringLiteral("Hi!"));
}

void TestOtlpTraces::openLlmetryIndexedAttributesInNumericOrder()
{
    json attrs = {kv("llm.request.type", str("chat")), kv("gen_ai.system", str("OpenAI")),
                  kv("gen_ai.request.model", str("gpt-4o")),
                  kv("traceloop.workflow.name", str("support"))};
    for (int i = 0; i <= 11; ++i) {
        const std::string prefix = "gen_ai.prompt." + std::to_string(i);
        attrs.push_back(kv(prefix + ".role",
                           str(i == 0      ? "system"
                                   : i % 2 ? "user"
                                           : "assistant")));
        attrs.push_back(kv(prefix + ".content", str("message " + std::to_string(i))));
    }
    attrs.push_back(kv("gen_ai.completion.0.role", str("assistant")));
    attrs.push_back(kv("gen_ai.completion.0.finish_reason", str("tool_calls")));
    attrs.push_back(kv("gen_ai.completion.0.tool_calls.0.id", str("call_a")));
    attrs.push_back(kv("gen_ai.completion.0.tool_calls.0.name", str("search")));
    attrs.push_back(kv("gen_ai.completion.0.tool_calls.0.arguments", str(R"({"q": "otel"})")));
    attrs.push_back(kv("gen_ai.completion.1.content", str("second choice")));
    json s = span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", attrs, "openai.chat");
    ListSink sink;
    QVERIFY(readTracesData(tracesData({s}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.messages.size(), 12);
    for (int i = 0; i <= 11; ++i)
        QCOMPARE(r.messages[i].content, QStringLiteral("message %1").arg(i)); // 10 after 9
    QCOMPARE(r.messages[0].role, QStringLiteral("system"));
    QCOMPARE(r.provider, QStringLiteral("OpenAI"));
    QVERIFY(!r.output);
    QCOMPARE(r.outputToolCalls.size(), 1);
    QCOMPARE(r.outputToolCalls[0].id, QStringLiteral("call_a"));
    QVERIFY(r.outputToolCalls[0].arguments == json({{"q", "otel"}}));
    QCOMPARE(r.finishReason, QStringLiteral("tool_calls"));
    QVERIFY(r.metadata["gen_ai.output.other_choices"][0]["content"] == "second choice");
    QVERIFY(r.metadata["traceloop.workflow.name"] == "support");
    QVERIFY(!r.metadata.contains("gen_ai.prompt.10.content"));
}

void TestOtlpTraces::deprecatedTokenNamesAndTimeToFirstChunk()
{
    json s = span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
                  {kv("gen_ai.operation.name", str("text_completion")),
                   kv("gen_ai.usage.prompt_tokens", integer(11)),
                   kv("gen_ai.usage.completion_tokens", {{"intValue", 7}}),
                   kv("gen_ai.response.time_to_first_chunk", dbl(0.25)),
                   kv("gen_ai.response.finish_reasons", array({str("length"), str("stop")}))});
    ListSink sink;
    QVERIFY(readTracesData(tracesData({s}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.inputTokens, std::optional<qint64>(11));
    QCOMPARE(r.outputTokens, std::optional<qint64>(7));
    QCOMPARE(r.ttftMs, std::optional<double>(250.0));
    QCOMPARE(r.finishReason, QStringLiteral("length")); // the first choice's
}

void TestOtlpTraces::promptNameAndVersion()
{
    json s = span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
                  {kv("gen_ai.operation.name", str("chat")),
                   kv("langfuse.observation.prompt.name", str("support-answer")),
                   kv("langfuse.observation.prompt.version", integer(3))});
    ListSink sink;
    QVERIFY(readTracesData(tracesData({s}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.records[0].promptName, QStringLiteral("support-answer"));
    QCOMPARE(sink.records[0].promptVersion, QStringLiteral("3"));
}

void TestOtlpTraces::unknownValuesStayUnknown()
{
    json s = span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
                  {kv("gen_ai.operation.name", str("chat"))});
    s.erase("endTimeUnixNano");
    ListSink sink;
    QVERIFY(readTracesData(tracesData({s}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QVERIFY(r.startMs);
    QVERIFY(!r.endMs);
    QVERIFY(!r.latencyMs);
    QVERIFY(!r.ttftMs);
    QVERIFY(!r.model);
    QVERIFY(!r.provider);
    QVERIFY(!r.inputTokens);
    QVERIFY(!r.outputTokens);
    QVERIFY(!r.cost);
    QVERIFY(!r.output);
    QVERIFY(!r.finishReason);
    QVERIFY(!r.sessionId);
    QVERIFY(!r.promptName);
    QVERIFY(!r.parentSpanId);
    QVERIFY(r.messages.isEmpty());
    QVERIFY(r.ok);
}

void TestOtlpTraces::nonLlmSpansAreCountedAndLinkable()
{
    json http = span("5b8efff798038103d269b633813fc60c", "aaaaaaaaaaaaaaa1",
                     {kv("http.request.method", str("POST")), kv("url.full", str("https://x"))},
                     "POST /answer");
    http["status"] = {{"code", 2}};
    json embeddings = span("5b8efff798038103d269b633813fc60c", "aaaaaaaaaaaaaaa2",
                           {kv("gen_ai.operation.name", str("embeddings")),
                            kv("gen_ai.request.model", str("text-embedding-3-small"))});
    json tool = span(
        "5b8efff798038103d269b633813fc60c", "aaaaaaaaaaaaaaa3",
        {kv("gen_ai.operation.name", str("execute_tool")), kv("gen_ai.tool.name", str("search"))});
    json call = span("5b8efff798038103d269b633813fc60c", "aaaaaaaaaaaaaaa4",
                     {kv("gen_ai.operation.name", str("chat"))});
    call["parentSpanId"] = "aaaaaaaaaaaaaaa1";
    ListSink sink;
    QVERIFY(readTracesData(tracesData({http, embeddings, tool, call}), sink, LogJoinData()));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.others.size(), 3);
    QCOMPARE(sink.others[0].traceId, QStringLiteral("5b8efff798038103d269b633813fc60c"));
    QCOMPARE(sink.others[0].spanId, QStringLiteral("aaaaaaaaaaaaaaa1"));
    QCOMPARE(sink.others[0].name, QStringLiteral("POST /answer"));
    QCOMPARE(sink.others[0].status, QStringLiteral("error"));
    QCOMPARE(sink.others[0].startMs, std::optional<qint64>(1786550400120));
    QVERIFY(!sink.others[1].status);
    QCOMPARE(sink.records[0].parentSpanId, QStringLiteral("aaaaaaaaaaaaaaa1"));
}

void TestOtlpTraces::malformedLinesAreReportedAndSkipped()
{
    json good = span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
                     {kv("gen_ai.operation.name", str("chat"))});
    json badId = span("not-hex", "eee19b7ec3c1b175", {kv("gen_ai.operation.name", str("chat"))});
    const QByteArray text = line(tracesData({good})) // 1
        + "{\"resourceSpans\": [ {\n" // 2: cut off
        + "\n" // 3: blank
        + "[1, 2, 3]\n" // 4: not an object
        + line(tracesData({badId, good})) // 5: one bad span, one good
        + "{\"resourceSpans\": 5}\n" // 6: not an array
        + line(tracesData({good})); // 7
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("t.jsonl"), text);
    ListSink sink;
    LogJoinData join;
    QString error;
    QVERIFY2(readWith(path, QString(), sink, join, &error), qPrintable(error));
    QCOMPARE(sink.records.size(), 3);
    QCOMPARE(sink.bad.size(), 4);
    QCOMPARE(sink.bad[0].first, 2);
    QCOMPARE(sink.bad[1].first, 4);
    QCOMPARE(sink.bad[2].first, 5);
    QVERIFY2(sink.bad[2].second.contains(QStringLiteral("traceId")),
             qPrintable(sink.bad[2].second));
    QCOMPARE(sink.bad[3].first, 6);
}

void TestOtlpTraces::oneBigDocumentIsStreamed()
{
    // One TracesData document, pretty-printed, with many resources and spans: every span
    // arrives with its own resource, and a syntax error at the end is reported after the
    // spans before it.
    json resourceSpans = json::array();
    for (int r = 0; r < 20; ++r) {
        json spans = json::array();
        for (int i = 0; i < 100; ++i) {
            char spanId[17];
            std::snprintf(spanId, sizeof spanId, "%016x", r * 1000 + i + 1);
            spans.push_back(
                span("5b8efff798038103d269b633813fc60c", spanId,
                     {kv("gen_ai.operation.name", str(i % 10 == 0 ? "embeddings" : "chat")),
                      kv("gen_ai.input.messages",
                         str(R"([{"role":"user","parts":[{"type":"text","content":"q)"
                             + std::to_string(i) + R"("}]}])"))}));
        }
        resourceSpans.push_back(
            {{"resource", {{"attributes", {kv("service.name", str("svc" + std::to_string(r)))}}}},
             {"scopeSpans", {{{"scope", {{"name", "s"}}}, {"spans", spans}}}}});
    }
    const json doc = {{"resourceSpans", resourceSpans}};
    QTemporaryDir dir;
    const QString path
        = writeFile(dir, QStringLiteral("big.json"), QByteArray::fromStdString(doc.dump(2)));
    ListSink sink;
    LogJoinData join;
    QString error;
    QVERIFY2(readWith(path, QString(), sink, join, &error), qPrintable(error));
    QCOMPARE(sink.records.size(), 1800);
    QCOMPARE(sink.others.size(), 200);
    QVERIFY(sink.bad.isEmpty());
    QVERIFY(sink.records.last().metadata["otel"]["resource"]["service.name"] == "svc19");
    QCOMPARE(sink.records.last().messages[0].content, QStringLiteral("q99"));

    // The same document cut short: what came before the error is read, the error reported.
    std::string cut = doc.dump(2);
    cut.resize(cut.size() / 2);
    const QString cutPath
        = writeFile(dir, QStringLiteral("cut.json"), QByteArray::fromStdString(cut));
    ListSink partial;
    QVERIFY(readWith(cutPath, QStringLiteral("otlp"), partial, join, &error));
    QVERIFY(partial.records.size() > 500);
    QVERIFY(partial.records.size() < 1800);
    QCOMPARE(partial.bad.size(), 1);

    // Not OTLP at all: refused as a whole.
    const QString junk = writeFile(dir, QStringLiteral("junk.json"), "[1, 2, 3]");
    ListSink none;
    QVERIFY(!readWith(junk, QStringLiteral("otlp"), none, join, &error));
    QVERIFY(error.contains(QStringLiteral("not OTLP/JSON")));
}

void TestOtlpTraces::cancellationStopsReading()
{
    json spans = json::array();
    for (int i = 0; i < 50; ++i) {
        char spanId[17];
        std::snprintf(spanId, sizeof spanId, "%016x", i + 1);
        spans.push_back(span("5b8efff798038103d269b633813fc60c", spanId,
                             {kv("gen_ai.operation.name", str("chat"))}));
    }
    QTemporaryDir dir;
    const QString doc = writeFile(dir, QStringLiteral("doc.json"),
                                  QByteArray::fromStdString(tracesData(spans).dump(1)));
    ListSink sink;
    sink.cancelAfter = 10;
    LogJoinData join;
    QVERIFY(readWith(doc, QString(), sink, join));
    QCOMPARE(sink.records.size(), 10);

    QByteArray lines;
    for (const json &s : spans)
        lines += line(tracesData({s}));
    const QString jsonl = writeFile(dir, QStringLiteral("t.jsonl"), lines);
    ListSink lineSink;
    lineSink.cancelAfter = 10;
    QVERIFY(readWith(jsonl, QString(), lineSink, join));
    QCOMPARE(lineSink.records.size(), 10);
}

void TestOtlpTraces::readTracesDataForTheReceiver()
{
    ListSink sink;
    QVERIFY(!readTracesData(json::array(), sink, LogJoinData()));
    QVERIFY(!readTracesData(json {{"resourceSpans", "x"}}, sink, LogJoinData()));
    QVERIFY(readTracesData(json::object(), sink, LogJoinData())); // an empty export
    json s = span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174",
                  {kv("gen_ai.operation.name", str("chat"))});
    QVERIFY(readTracesData(tracesData({s, 42}), sink, LogJoinData(), QStringLiteral("otlp-http")));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.records[0].sourceFormat, QStringLiteral("otlp-http"));
    QCOMPARE(sink.bad.size(), 1);
    QCOMPARE(sink.bad[0].first, 2); // the second span of the request
}

void TestOtlpTraces::detection()
{
    QCOMPARE(detectLogFormat(R"({"resourceSpans":[{"scopeSpans":[]}]})")->name,
             QStringLiteral("otlp"));
    QCOMPARE(detectLogFormat("  {\n \"resource_spans\": []}")->name, QStringLiteral("otlp"));
    QCOMPARE(detectLogFormat(R"({"resourceLogs":[]})")->name, QStringLiteral("otlp-logs"));
    QVERIFY(findLogFormat(QStringLiteral("otlp-logs"))->auxiliary);
    QCOMPARE(
        detectLogFormat(
            R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"openinference.span.kind"}]}]}]}]})")
            ->name,
        QStringLiteral("openinference"));
    QCOMPARE(detectLogFormat(
                 R"({"name":"x","context":{"trace_id":"a","span_id":"b"},"span_kind":"LLM"})")
                 ->name,
             QStringLiteral("phoenix"));
    const LogFormat *other = detectLogFormat(R"({"run_type": "llm", "trace_id": "x"})");
    QVERIFY(!other || other->name != QStringLiteral("phoenix"));
}

QTEST_GUILESS_MAIN(TestOtlpTraces)
#include "test_otlp_traces.moc"
