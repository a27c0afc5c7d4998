// OpenAI Batch API output joined with its input file, stored completions, request/response pairs.

#include "collectingsink.h"

#include <QTest>

using namespace ts;
using namespace ts::test;

class TestOpenAiImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchJoinedWithInput();
    void batchOutputAlone();
    void storedCompletions();
    void storedCompletionsJoinedWithTheirMessages();
    void requestResponsePairs();
};

namespace {

const QByteArray batchInput
    = R"json({"custom_id": "request-1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o-mini", "messages": [{"role": "system", "content": "You are a concise support agent for Acme."}, {"role": "user", "content": "Where is my order #4412?"}], "max_tokens": 256}}
{"custom_id": "request-2", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "What is 2+2?"}]}}
{"custom_id": "request-3", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o", "messages": [{"role": "user", "content": [{"type": "text", "text": "Describe"}, {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,QUJDREVGR0g="}}]}]}}
{"method": "POST", "url": "/v1/chat/completions", "body": {}}
)json";

const QByteArray batchOutput
    = R"json({"id": "batch_req_wnaDys", "custom_id": "request-1", "response": {"status_code": 200, "request_id": "req_c187b3", "body": {"id": "chatcmpl-9758Iw", "object": "chat.completion", "created": 1786550401, "model": "gpt-4o-mini-2024-07-18", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Order #4412 shipped yesterday and should arrive Friday.", "refusal": null, "tool_calls": null}, "logprobs": null, "finish_reason": "stop"}], "usage": {"prompt_tokens": 38, "completion_tokens": 14, "total_tokens": 52}, "system_fingerprint": "fp_50cad350e4"}}, "error": null}
{"id": "batch_req_q1ZtXk", "custom_id": "request-2", "response": {"status_code": 400, "request_id": "req_a93f10", "body": {"error": {"message": "Invalid value for 'max_tokens'.", "type": "invalid_request_error", "param": "max_tokens", "code": null}}}, "error": null}
{"id": "batch_req_x3", "custom_id": "request-3", "response": {"status_code": 200, "request_id": "req_3", "body": {"id": "chatcmpl-3", "object": "chat.completion", "created": 1786550402, "model": "gpt-4o-2024-08-06", "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": [{"id": "call_7", "type": "function", "function": {"name": "lookup", "arguments": "{\"sku\": \"A-1\", \"qty\": 2}"}}, {"id": "call_8", "type": "function", "function": {"name": "note", "arguments": "not json"}}]}, "finish_reason": "tool_calls"}], "usage": {"prompt_tokens": 900, "completion_tokens": 30}}}, "error": null}
{"id": "batch_req_x4", "custom_id": "request-4", "response": null, "error": {"code": "batch_expired", "message": "This request could not be executed before the completion window expired."}}
{"id": "batch_req_x5", "response": null}
)json";

const QByteArray storedList = R"json({
  "object": "list",
  "data": [
    {"object": "chat.completion", "id": "chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2",
     "model": "gpt-4o-2024-08-06", "created": 1738960610,
     "request_id": "req_ded8ab984ec4bf840f37566c1011c417", "tool_choice": null,
     "usage": {"total_tokens": 31, "completion_tokens": 18, "prompt_tokens": 13},
     "seed": 4944116822809979520, "top_p": 1.0, "temperature": 1.0,
     "metadata": {"app": "support-bot"},
     "choices": [{"index": 0, "message": {"content": "Mind of circuits hum,  \nLearning patterns in silence\u2014  \nFuture's quiet spark.", "role": "assistant", "tool_calls": null, "function_call": null}, "finish_reason": "stop", "logprobs": null}]},
    42,
    {"object": "chat.completion", "id": "chatcmpl-2", "model": "gpt-4o-mini", "created": 1738960700,
     "choices": [{"index": 0, "message": {"role": "assistant", "content": "Second"}, "finish_reason": "length"}]}
  ],
  "first_id": "chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2",
  "last_id": "chatcmpl-2",
  "has_more": false
}
)json";

const QByteArray pairs
    = R"json({"timestamp": "2026-08-12T16:00:00.120Z", "latency_ms": 1340, "request_id": "req_ded8", "request": {"model": "gpt-4o-mini", "messages": [{"role": "system", "content": "You are a concise support agent for Acme."}, {"role": "user", "content": "Where is my order #4412?"}], "temperature": 0.2, "max_tokens": 256, "metadata": {"app": "support-bot"}}, "response": {"id": "chatcmpl-9x1AbCdEf", "object": "chat.completion", "created": 1786550401, "model": "gpt-4o-mini-2024-07-18", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Order #4412 shipped yesterday and should arrive Friday."}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 38, "completion_tokens": 14, "total_tokens": 52}}, "error": null}
{"timestamp": "2026-08-12T16:05:00.000Z", "latency_ms": 30002, "request_id": null, "request": {"model": "gpt-4o", "messages": [{"role": "user", "content": "Summarize the attached contract."}]}, "response": null, "error": {"status": 429, "body": {"error": {"message": "Rate limit reached for gpt-4o", "type": "requests", "code": "rate_limit_exceeded"}}}}

{"timestamp": 1786550500, "request": {"model": "gpt-4o-audio-preview", "messages": [{"role": "user", "content": [{"type": "text", "text": "Transcribe this"}, {"type": "input_audio", "input_audio": {"data": "AAAAAAAA", "format": "mp3"}}]}, {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}]}, {"role": "tool", "tool_call_id": "call_1", "content": "12:00"}]}, "response": {"model": "gpt-4o-audio-preview", "choices": [{"message": {"role": "assistant", "content": "Hello at noon."}, "finish_reason": "stop"}]}}
{"timestamp": "2026-08-12T16:20:00Z", "request": {"model": "gpt-4.1", "instructions": "Be terse.", "input": "Hi"}, "response": {"id": "resp_1", "object": "response", "created_at": 1786550600, "model": "gpt-4.1-2025-04-14", "status": "completed", "output": [{"type": "reasoning", "summary": [{"type": "summary_text", "text": "A greeting."}]}, {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Hello."}]}, {"type": "function_call", "call_id": "fc_1", "name": "wave", "arguments": "{\"times\": 2}"}], "usage": {"input_tokens": 10, "output_tokens": 5}}}
{"request": "not an object", "response": {}}
{"timestamp": "yesterday", "request": {"messages": []}, "response": null}
{"request": {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}
)json";

} // namespace

void TestOpenAiImport::batchJoinedWithInput()
{
    QTemporaryDir dir;
    const QString inputPath = writeFile(dir, "batch_input.jsonl", batchInput);
    const QString outputPath = writeFile(dir, "batch_output.jsonl", batchOutput);
    QCOMPARE(detectedFormat(inputPath), QStringLiteral("openai-batch-input"));
    QCOMPARE(detectedFormat(outputPath), QStringLiteral("openai-batch"));
    QVERIFY(findLogFormat(QStringLiteral("openai-batch-input"))->auxiliary);

    CollectingSink inputSink;
    LogJoinData join;
    QVERIFY(collectAs(QStringLiteral("openai-batch-input"), inputPath, inputSink, join));
    QCOMPARE(join.batchRequests.size(), 3);
    QCOMPARE(inputSink.malformedLines, (QList<qint64> {4}));
    // The image is not held in memory for the join, only its placeholder.
    QVERIFY(!QString::fromStdString(join.batchRequests.value(QStringLiteral("request-3")).dump())
                 .contains(QLatin1String("QUJDREVGR0g")));

    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("openai-batch"), outputPath, sink, join));
    QCOMPARE(sink.records.size(), 4);
    QCOMPARE(sink.malformedLines, (QList<qint64> {5}));

    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.sourceFormat, QStringLiteral("openai-batch"));
    QCOMPARE(r.provider, QStringLiteral("openai"));
    QCOMPARE(r.messages.size(), 2);
    QCOMPARE(r.messages.at(0).role, QStringLiteral("system"));
    QCOMPARE(r.messages.at(1).content, QStringLiteral("Where is my order #4412?"));
    QCOMPARE(r.output, QStringLiteral("Order #4412 shipped yesterday and should arrive Friday."));
    QCOMPARE(r.model, QStringLiteral("gpt-4o-mini-2024-07-18")); // the response model wins
    QCOMPARE(r.inputTokens, 38);
    QCOMPARE(r.outputTokens, 14);
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
    QCOMPARE(r.startMs, qint64(1786550401) * 1000);
    QVERIFY(!r.endMs);
    QVERIFY(!r.latencyMs);
    QVERIFY(!r.cost);
    QCOMPARE(r.traceId, QStringLiteral("chatcmpl-9758Iw"));
    QCOMPARE(r.spanId, QStringLiteral("chatcmpl-9758Iw"));
    QVERIFY(meta(r, {"custom_id"}) == "request-1");
    QVERIFY(meta(r, {"parameters", "max_tokens"}) == 256);
    QVERIFY(r.ok);

    const LogRecord &rejected = sink.records.at(1);
    QVERIFY(!rejected.ok);
    QCOMPARE(rejected.error, QStringLiteral("Invalid value for 'max_tokens'."));
    QCOMPARE(rejected.messages.size(), 1);
    QCOMPARE(rejected.model, QStringLiteral("gpt-4o-mini")); // the request model
    QVERIFY(!rejected.output);
    QVERIFY(!rejected.inputTokens);
    QVERIFY(!rejected.startMs);
    QCOMPARE(rejected.traceId, QStringLiteral("batch_req_q1ZtXk"));
    QCOMPARE(rejected.spanId, QStringLiteral("request-2"));

    const LogRecord &tools = sink.records.at(2);
    QVERIFY(!tools.output);
    QCOMPARE(tools.messages.at(0).content,
             QStringLiteral("Describe\n") + mediaPlaceholder(QStringLiteral("image/jpeg"), 8));
    QCOMPARE(tools.outputToolCalls.size(), 2);
    QCOMPARE(tools.outputToolCalls.at(0).id, QStringLiteral("call_7"));
    QCOMPARE(tools.outputToolCalls.at(0).name, QStringLiteral("lookup"));
    QVERIFY(tools.outputToolCalls.at(0).arguments == nlohmann::json({{"sku", "A-1"}, {"qty", 2}}));
    QVERIFY(tools.outputToolCalls.at(1).arguments == nlohmann::json("not json"));
    QCOMPARE(tools.finishReason, QStringLiteral("tool_calls"));
    QVERIFY(tools.hasToolCalls());

    const LogRecord &expired = sink.records.at(3);
    QVERIFY(!expired.ok);
    QCOMPARE(expired.error,
             QStringLiteral("This request could not be executed before the completion window "
                            "expired."));
    QVERIFY(expired.messages.isEmpty()); // request-4 is not in the input file
    QVERIFY(!expired.model);
}

void TestOpenAiImport::batchOutputAlone()
{
    QTemporaryDir dir;
    const QString outputPath = writeFile(dir, "batch_output.jsonl", batchOutput);
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("openai-batch"), outputPath, sink));
    QCOMPARE(sink.records.size(), 4);
    const LogRecord &r = sink.records.at(0);
    QVERIFY(r.messages.isEmpty());
    QCOMPARE(r.output, QStringLiteral("Order #4412 shipped yesterday and should arrive Friday."));
    QCOMPARE(r.model, QStringLiteral("gpt-4o-mini-2024-07-18"));
    QVERIFY(!sink.records.at(1).model);
}

void TestOpenAiImport::storedCompletions()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "stored.json", storedList);
    QCOMPARE(detectedFormat(path), QStringLiteral("openai-stored"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("openai-stored"), path, sink));
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.malformedLines, (QList<qint64> {2})); // the element's index in "data"

    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.sourceFormat, QStringLiteral("openai-stored"));
    QVERIFY(r.messages.isEmpty());
    QCOMPARE(r.output,
             QStringLiteral("Mind of circuits hum,  \nLearning patterns in silence\u2014  "
                            "\nFuture's quiet spark."));
    QCOMPARE(r.model, QStringLiteral("gpt-4o-2024-08-06"));
    QCOMPARE(r.inputTokens, 13);
    QCOMPARE(r.outputTokens, 18);
    QCOMPARE(r.startMs, qint64(1738960610) * 1000);
    QCOMPARE(r.traceId, QStringLiteral("chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2"));
    QVERIFY(meta(r, {"app"}) == "support-bot");
    QVERIFY(meta(r, {"parameters", "temperature"}) == 1.0);

    const LogRecord &second = sink.records.at(1);
    QCOMPARE(second.finishReason, QStringLiteral("length"));
    QVERIFY(!second.inputTokens);
    QVERIFY(!second.outputTokens);
}

void TestOpenAiImport::storedCompletionsJoinedWithTheirMessages()
{
    // GET /chat/completions/{id}/messages as saved: one response pretty-printed (messages out
    // of order), and JSON Lines with one response per line.
    const QByteArray firstMessages = R"json({
  "object": "list",
  "data": [
    {"id": "chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2-1", "role": "user",
     "content": "Write a haiku about AI", "name": null, "content_parts": null},
    {"id": "chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2-0", "role": "system",
     "content": "You write haiku.", "name": null, "content_parts": null}
  ],
  "first_id": "chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2-0",
  "last_id": "chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2-1",
  "has_more": false
}
)json";
    const QByteArray moreMessages
        = R"json({"object": "list", "data": [{"id": "chatcmpl-2-0", "role": "user", "content": "Say something"}, {"id": "no-index-here", "role": "user", "content": "lost"}], "has_more": false}
)json";
    QTemporaryDir dir;
    const QString storedPath = writeFile(dir, "stored.json", storedList);
    const QString firstPath = writeFile(dir, "messages-1.json", firstMessages);
    const QString morePath = writeFile(dir, "messages.jsonl", moreMessages);
    QCOMPARE(detectedFormat(firstPath), QStringLiteral("openai-stored-messages"));
    QCOMPARE(detectedFormat(morePath), QStringLiteral("openai-stored-messages"));
    LogJoinData join;
    CollectingSink auxiliary;
    QVERIFY(collectAs(QStringLiteral("openai-stored-messages"), firstPath, auxiliary, join));
    QVERIFY(collectAs(QStringLiteral("openai-stored-messages"), morePath, auxiliary, join));
    QCOMPARE(auxiliary.malformedLines, (QList<qint64> {1})); // the id without "-N"
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("openai-stored"), storedPath, sink, join));
    QCOMPARE(sink.records.size(), 2);
    const LogRecord &first = sink.records.at(0);
    QCOMPARE(first.messages.size(), 2);
    QCOMPARE(first.messages[0].role, QStringLiteral("system"));
    QCOMPARE(first.messages[0].content, QStringLiteral("You write haiku."));
    QCOMPARE(first.messages[1].role, QStringLiteral("user"));
    QCOMPARE(first.messages[1].content, QStringLiteral("Write a haiku about AI"));
    QVERIFY(first.output);
    const LogRecord &second = sink.records.at(1);
    QCOMPARE(second.messages.size(), 1);
    QCOMPARE(second.messages[0].content, QStringLiteral("Say something"));
}

void TestOpenAiImport::requestResponsePairs()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "pairs.jsonl", pairs);
    QCOMPARE(detectedFormat(path), QStringLiteral("openai-pairs"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("openai-pairs"), path, sink));
    QCOMPARE(sink.records.size(), 4);
    // Line 3 is blank; 6 has no request object; 7 a bad timestamp; 8 is cut short.
    QCOMPARE(sink.malformedLines, (QList<qint64> {6, 7, 8}));

    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.sourceFormat, QStringLiteral("openai-pairs"));
    QCOMPARE(r.messages.size(), 2);
    QCOMPARE(r.output, QStringLiteral("Order #4412 shipped yesterday and should arrive Friday."));
    QCOMPARE(r.startMs, utcMs("2026-08-12T16:00:00.120Z"));
    QCOMPARE(r.endMs, utcMs("2026-08-12T16:00:01.460Z"));
    QCOMPARE(r.latencyMs, 1340.0);
    QCOMPARE(r.model, QStringLiteral("gpt-4o-mini-2024-07-18"));
    QCOMPARE(r.traceId, QStringLiteral("chatcmpl-9x1AbCdEf"));
    QVERIFY(meta(r, {"app"}) == "support-bot");
    QVERIFY(meta(r, {"request_id"}) == "req_ded8");
    QVERIFY(meta(r, {"parameters", "temperature"}) == 0.2);

    const LogRecord &limited = sink.records.at(1);
    QVERIFY(!limited.ok);
    QCOMPARE(limited.error, QStringLiteral("Rate limit reached for gpt-4o"));
    QCOMPARE(limited.model, QStringLiteral("gpt-4o"));
    QVERIFY(!limited.output);
    QVERIFY(!limited.traceId);
    QVERIFY(!limited.spanId);
    QCOMPARE(limited.latencyMs, 30002.0);

    const LogRecord &audio = sink.records.at(2);
    QCOMPARE(audio.startMs, qint64(1786550500) * 1000); // epoch seconds
    QVERIFY(!audio.latencyMs);
    QCOMPARE(audio.messages.size(), 3);
    QCOMPARE(audio.messages.at(0).content,
             QStringLiteral("Transcribe this\n")
                 + mediaPlaceholder(QStringLiteral("audio/mp3"), 6));
    QVERIFY(!audio.messages.at(1).content);
    QCOMPARE(audio.messages.at(1).toolCalls.size(), 1);
    QCOMPARE(audio.messages.at(1).toolCalls.at(0).name, QStringLiteral("get_time"));
    QVERIFY(audio.messages.at(1).toolCalls.at(0).arguments == nlohmann::json::object());
    QCOMPARE(audio.messages.at(2).role, QStringLiteral("tool"));
    QCOMPARE(audio.messages.at(2).toolCallId, QStringLiteral("call_1"));
    QCOMPARE(audio.output, QStringLiteral("Hello at noon."));

    // The Responses API: instructions first, output items, reasoning summary, function calls.
    const LogRecord &responses = sink.records.at(3);
    QCOMPARE(responses.messages.size(), 2);
    QCOMPARE(responses.messages.at(0).role, QStringLiteral("system"));
    QCOMPARE(responses.messages.at(0).content, QStringLiteral("Be terse."));
    QCOMPARE(responses.messages.at(1).role, QStringLiteral("user"));
    QCOMPARE(responses.messages.at(1).content, QStringLiteral("Hi"));
    QCOMPARE(responses.output, QStringLiteral("Hello."));
    QCOMPARE(responses.reasoning, QStringLiteral("A greeting."));
    QCOMPARE(responses.outputToolCalls.size(), 1);
    QCOMPARE(responses.outputToolCalls.at(0).id, QStringLiteral("fc_1"));
    QVERIFY(responses.outputToolCalls.at(0).arguments == nlohmann::json({{"times", 2}}));
    QCOMPARE(responses.finishReason, QStringLiteral("tool_calls"));
    QCOMPARE(responses.model, QStringLiteral("gpt-4.1-2025-04-14"));
    QCOMPARE(responses.inputTokens, 10);
    QCOMPARE(responses.outputTokens, 5);
    QCOMPARE(responses.startMs, utcMs("2026-08-12T16:20:00.000Z"));
    QCOMPARE(responses.traceId, QStringLiteral("resp_1"));
}

QTEST_GUILESS_MAIN(TestOpenAiImport)
#include "test_openai_import.moc"
