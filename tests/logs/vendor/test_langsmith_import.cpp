// LangSmith runs (JSON Lines): llm runs become records, other runs are spans.

#include "collectingsink.h"

#include <QTest>

using namespace ts;
using namespace ts::test;

class TestLangSmithImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openAiWrappedRuns();
    void langChainMessagesAndGenerations();
    void malformedLinesAreSkipped();
};

namespace {

const QByteArray runs
    = R"json({"id": "0e01bf50-474d-4536-810f-67d3ee7ea3e7", "name": "support_agent", "run_type": "chain", "start_time": "2026-08-12T16:00:00.100000", "end_time": "2026-08-12T16:00:01.500000", "inputs": {"question": "Where is my order #4412?"}, "outputs": {"output": "Order #4412 shipped."}, "error": null, "extra": {"metadata": {"release": "2026.08.3"}}, "trace_id": "0e01bf50-474d-4536-810f-67d3ee7ea3e7", "parent_run_id": null, "status": "success", "session_id": "1ffd059c-17ea-40a8-8aef-70fd0307db82", "prompt_tokens": 38, "completion_tokens": 14}
{"id": "a8024e23-5b82-47fd-970e-f6a5ba3f5097", "name": "ChatOpenAI", "run_type": "llm", "start_time": "2026-08-12T16:00:00.120000", "end_time": "2026-08-12T16:00:01.460000", "inputs": {"messages": [{"role": "system", "content": "You are a concise support agent for Acme."}, {"role": "user", "content": "Where is my order #4412?"}], "model": "gpt-4o-mini", "temperature": 0.2}, "outputs": {"id": "chatcmpl-9x1AbCdEf", "object": "chat.completion", "model": "gpt-4o-mini-2024-07-18", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Order #4412 shipped yesterday and should arrive Friday."}, "finish_reason": "stop"}], "usage_metadata": {"input_tokens": 38, "output_tokens": 14, "total_tokens": 52}}, "error": null, "extra": {"metadata": {"ls_provider": "openai", "ls_model_type": "chat", "ls_model_name": "gpt-4o-mini", "release": "2026.08.3"}, "invocation_params": {"model": "gpt-4o-mini", "temperature": 0.2, "max_tokens": 256}}, "events": [{"name": "new_token", "time": "2026-08-12T16:00:00.610000"}], "tags": ["prod"], "trace_id": "0e01bf50-474d-4536-810f-67d3ee7ea3e7", "parent_run_id": "0e01bf50-474d-4536-810f-67d3ee7ea3e7", "status": "success", "session_id": "1ffd059c-17ea-40a8-8aef-70fd0307db82", "prompt_tokens": 38, "completion_tokens": 14, "total_cost": 1.41e-05, "first_token_time": null}
{"id": "0ec6b845-18b9-4aa1-8f1b-6ba3f9fdefd6", "name": "ChatOpenAI", "run_type": "llm", "start_time": "2026-08-12T16:05:00.000000", "end_time": "2026-08-12T16:05:30.002000", "inputs": {"messages": [{"role": "user", "content": "Summarize the attached contract."}], "model": "gpt-4o"}, "outputs": null, "error": "APITimeoutError('Request timed out.')", "extra": {"metadata": {"ls_provider": "openai", "ls_model_name": "gpt-4o", "thread_id": "thread-77"}}, "events": [], "trace_id": "0ec6b845-18b9-4aa1-8f1b-6ba3f9fdefd6", "parent_run_id": null, "status": "error", "session_id": "1ffd059c-17ea-40a8-8aef-70fd0307db82", "prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "total_cost": null, "first_token_time": null}
)json";

// A LangChain chat model run: serialized messages in one batch, generations with an AIMessage
// that calls a tool, times with an explicit offset.
const QByteArray langChainRun
    = R"json({"id": "r-1", "trace_id": "t-1", "run_type": "llm", "name": "ChatAnthropic", "start_time": "2026-08-12T18:00:00.000+02:00", "end_time": "2026-08-12T18:00:02.500+02:00", "inputs": {"messages": [[{"lc": 1, "type": "constructor", "id": ["langchain", "schema", "messages", "SystemMessage"], "kwargs": {"content": "Be brief.", "type": "system"}}, {"lc": 1, "type": "constructor", "id": ["langchain", "schema", "messages", "HumanMessage"], "kwargs": {"content": [{"type": "text", "text": "Weather in Paris?"}, {"type": "image", "source_type": "base64", "mime_type": "image/png", "data": "AAAA"}], "type": "human"}}, {"type": "ai", "data": {"content": "", "tool_calls": [{"name": "weather", "args": {"city": "Paris"}, "id": "tc1"}]}}, {"type": "tool", "content": "18C", "tool_call_id": "tc1"}]]}, "outputs": {"generations": [[{"text": "", "generation_info": {"finish_reason": "tool_use"}, "type": "ChatGeneration", "message": {"lc": 1, "type": "constructor", "id": ["langchain", "schema", "messages", "AIMessage"], "kwargs": {"content": "", "type": "ai", "tool_calls": [{"name": "forecast", "args": {"city": "Paris", "days": 3}, "id": "tc2", "type": "tool_call"}], "response_metadata": {"model_name": "claude-3-5-sonnet-20241022"}, "usage_metadata": {"input_tokens": 120, "output_tokens": 40, "total_tokens": 160}}}}]], "llm_output": null}, "extra": {"invocation_params": {"model": "claude-3-5-sonnet-latest"}}, "error": null}
{"id": "r-2", "trace_id": "t-1", "run_type": "llm", "start_time": 1786550400000, "inputs": {"prompts": ["Complete: roses are"]}, "outputs": {"generations": [[{"text": " red", "generation_info": {"finish_reason": "stop"}}]], "llm_output": {"token_usage": {"prompt_tokens": 5, "completion_tokens": 1}, "model_name": "gpt-3.5-turbo-instruct"}}}
)json";

} // namespace

void TestLangSmithImport::openAiWrappedRuns()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "runs.jsonl", runs);
    QCOMPARE(detectedFormat(path), QStringLiteral("langsmith"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langsmith"), path, sink));
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.spans.size(), 1);
    QVERIFY(sink.malformedLines.isEmpty());

    const TraceSpan &chain = sink.spans.at(0);
    QCOMPARE(chain.traceId, QStringLiteral("0e01bf50-474d-4536-810f-67d3ee7ea3e7"));
    QCOMPARE(chain.spanId, QStringLiteral("0e01bf50-474d-4536-810f-67d3ee7ea3e7"));
    QCOMPARE(chain.name, QStringLiteral("support_agent"));
    QCOMPARE(chain.status, QStringLiteral("ok"));
    QCOMPARE(chain.startMs, utcMs("2026-08-12T16:00:00.100Z"));

    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.sourceFormat, QStringLiteral("langsmith"));
    QCOMPARE(r.messages.size(), 2);
    QCOMPARE(r.messages.at(0).role, QStringLiteral("system"));
    QCOMPARE(r.output, QStringLiteral("Order #4412 shipped yesterday and should arrive Friday."));
    QCOMPARE(r.model, QStringLiteral("gpt-4o-mini-2024-07-18"));
    QCOMPARE(r.provider, QStringLiteral("openai"));
    QCOMPARE(r.inputTokens, 38);
    QCOMPARE(r.outputTokens, 14);
    QVERIFY(r.cost && qFuzzyCompare(*r.cost, 1.41e-05));
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
    // No time zone means UTC.
    QCOMPARE(r.startMs, utcMs("2026-08-12T16:00:00.120Z"));
    QCOMPARE(r.endMs, utcMs("2026-08-12T16:00:01.460Z"));
    QCOMPARE(r.latencyMs, 1340.0);
    QCOMPARE(r.ttftMs, 490.0);
    QCOMPARE(r.traceId, QStringLiteral("0e01bf50-474d-4536-810f-67d3ee7ea3e7"));
    QCOMPARE(r.spanId, QStringLiteral("a8024e23-5b82-47fd-970e-f6a5ba3f5097"));
    QCOMPARE(r.parentSpanId, QStringLiteral("0e01bf50-474d-4536-810f-67d3ee7ea3e7"));
    QCOMPARE(r.sessionId, QStringLiteral("1ffd059c-17ea-40a8-8aef-70fd0307db82"));
    QVERIFY(meta(r, {"release"}) == "2026.08.3");
    QVERIFY(meta(r, {"invocation_params", "max_tokens"}) == 256);
    QVERIFY(r.ok);

    const LogRecord &failed = sink.records.at(1);
    QVERIFY(!failed.ok);
    QCOMPARE(failed.error, QStringLiteral("APITimeoutError('Request timed out.')"));
    QVERIFY(!failed.output);
    QVERIFY(!failed.inputTokens); // LangSmith's 0 counts mean unknown here
    QVERIFY(!failed.outputTokens);
    QVERIFY(!failed.cost);
    QVERIFY(!failed.ttftMs);
    QCOMPARE(failed.model, QStringLiteral("gpt-4o")); // extra.metadata.ls_model_name
    QVERIFY(!failed.parentSpanId);
    QCOMPARE(failed.sessionId, QStringLiteral("thread-77")); // the conversation thread
    QCOMPARE(failed.latencyMs, 30002.0);
}

void TestLangSmithImport::langChainMessagesAndGenerations()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "runs.jsonl", langChainRun);
    QCOMPARE(detectedFormat(path), QStringLiteral("langsmith"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langsmith"), path, sink));
    QCOMPARE(sink.records.size(), 2);

    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.messages.size(), 4);
    QCOMPARE(r.messages.at(0).role, QStringLiteral("system"));
    QCOMPARE(r.messages.at(0).content, QStringLiteral("Be brief."));
    QCOMPARE(r.messages.at(1).role, QStringLiteral("user"));
    QCOMPARE(r.messages.at(1).content,
             QStringLiteral("Weather in Paris?\n")
                 + mediaPlaceholder(QStringLiteral("image/png"), 3));
    QCOMPARE(r.messages.at(2).role, QStringLiteral("assistant"));
    QVERIFY(!r.messages.at(2).content);
    QCOMPARE(r.messages.at(2).toolCalls.size(), 1);
    QVERIFY(r.messages.at(2).toolCalls.at(0).arguments == nlohmann::json({{"city", "Paris"}}));
    QCOMPARE(r.messages.at(3).role, QStringLiteral("tool"));
    QCOMPARE(r.messages.at(3).toolCallId, QStringLiteral("tc1"));
    QCOMPARE(r.messages.at(3).content, QStringLiteral("18C"));
    QVERIFY(!r.output);
    QCOMPARE(r.outputToolCalls.size(), 1);
    QCOMPARE(r.outputToolCalls.at(0).id, QStringLiteral("tc2"));
    QCOMPARE(r.outputToolCalls.at(0).name, QStringLiteral("forecast"));
    QVERIFY(r.outputToolCalls.at(0).arguments == nlohmann::json({{"city", "Paris"}, {"days", 3}}));
    QCOMPARE(r.finishReason, QStringLiteral("tool_use"));
    QCOMPARE(r.model, QStringLiteral("claude-3-5-sonnet-20241022"));
    QCOMPARE(r.inputTokens, 120);
    QCOMPARE(r.outputTokens, 40);
    QCOMPARE(r.startMs, utcMs("2026-08-12T16:00:00.000Z")); // +02:00 honoured
    QCOMPARE(r.latencyMs, 2500.0);
    QVERIFY(!r.provider);
    QVERIFY(!r.cost);

    const LogRecord &completion = sink.records.at(1);
    QCOMPARE(completion.messages.size(), 1);
    QCOMPARE(completion.messages.at(0).content, QStringLiteral("Complete: roses are"));
    QCOMPARE(completion.output, QStringLiteral(" red"));
    QCOMPARE(completion.model, QStringLiteral("gpt-3.5-turbo-instruct"));
    QCOMPARE(completion.inputTokens, 5);
    QCOMPARE(completion.startMs, qint64(1786550400000)); // epoch milliseconds
    QVERIFY(!completion.endMs);
    QVERIFY(!completion.latencyMs);
}

void TestLangSmithImport::malformedLinesAreSkipped()
{
    const QByteArray text = runs.split('\n').at(1) + "\n[1, 2]\n{\"id\": \"x\", \"inputs\": {}}\n"
        + runs.split('\n').at(2) + "\n";
    QTemporaryDir dir;
    const QString path = writeFile(dir, "runs.jsonl", text);
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langsmith"), path, sink));
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.malformedLines, (QList<qint64> {2, 3}));
}

QTEST_GUILESS_MAIN(TestLangSmithImport)
#include "test_langsmith_import.moc"
