// Langfuse UI export (JSON array, JSON Lines, CSV) and blob-storage observations_v2 export.

#include "collectingsink.h"

#include <QTest>

using namespace ts;
using namespace ts::test;

class TestLangfuseImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void uiJsonArray();
    void uiJsonLinesWithMalformedLine();
    void uiCsvWithMultilineCells();
    void blobJsonLines();
    void blobCsv();
    void multimodalInputBecomesPlaceholders();
    void cancelStopsReading();
    void traceDownload();
};

namespace {

// The UI export of the observations table: a generation, a failed generation, a span.
const QByteArray uiArray = R"json([
  {"id": "obs_3f1c9a7e", "traceId": "trace_7d2e41b0", "projectId": "clx9proj01",
   "environment": "production", "type": "GENERATION", "name": "openai-chat",
   "startTime": "2026-08-12T16:00:00.120Z", "endTime": "2026-08-12T16:00:01.460Z",
   "completionStartTime": "2026-08-12T16:00:00.610Z", "model": "gpt-4o-mini",
   "modelParameters": {"temperature": 0.2, "max_tokens": 256},
   "input": [{"role": "system", "content": "You are a concise support agent for Acme."},
             {"role": "user", "content": "Where is my order #4412?"}],
   "output": {"role": "assistant", "content": "Order #4412 shipped yesterday and should arrive Friday."},
   "metadata": {"customer_tier": "pro"}, "parentObservationId": null, "level": "DEFAULT",
   "statusMessage": null, "version": "2026.08.3", "promptId": "prm_11",
   "promptName": "support-answer", "promptVersion": 7,
   "usageDetails": {"input": 38, "output": 14, "total": 52},
   "costDetails": {"input": 5.7e-06, "output": 8.4e-06, "total": 1.41e-05},
   "totalCost": 1.41e-05, "latency": 1.34, "timeToFirstToken": 0.49,
   "traceName": "support-chat", "traceTags": ["prod", "support"], "userId": "u_9328ae73",
   "scores": {}, "comments": []},
  {"id": "obs_9a0b11c2", "traceId": "trace_8e3f52c1", "type": "GENERATION", "name": "openai-chat",
   "startTime": "2026-08-12T16:05:00.000Z", "endTime": "2026-08-12T16:05:30.002Z",
   "completionStartTime": null, "model": "gpt-4o", "modelParameters": {"temperature": 0},
   "input": [{"role": "user", "content": "Summarize the attached contract."}], "output": null,
   "metadata": {}, "parentObservationId": "obs_root_8e3f", "level": "ERROR",
   "statusMessage": "APITimeoutError: Request timed out.", "version": null, "promptId": null,
   "promptName": null, "promptVersion": null, "usageDetails": {}, "costDetails": {},
   "totalCost": 0, "latency": 30.002, "timeToFirstToken": null},
  {"id": "obs_root_8e3f", "traceId": "trace_8e3f52c1", "type": "SPAN", "name": "summarize",
   "startTime": "2026-08-12T16:04:59.900Z", "endTime": "2026-08-12T16:05:30.100Z",
   "parentObservationId": null, "level": "ERROR", "input": "contract.pdf", "output": null}
]
)json";

const QByteArray blobLines =
    R"json({"id": "obs_3f1c9a7e", "trace_id": "trace_7d2e41b0", "project_id": "clx9proj01", "environment": "production", "type": "GENERATION", "parent_observation_id": "", "start_time": "2026-08-12 16:00:00.120000", "end_time": "2026-08-12 16:00:01.460000", "name": "openai-chat", "metadata": {"customer_tier": "pro"}, "level": "DEFAULT", "status_message": "", "version": "2026.08.3", "input": "[{\"role\": \"system\", \"content\": \"You are a concise support agent for Acme.\"}, {\"role\": \"user\", \"content\": \"Where is my order #4412?\"}]", "output": "{\"role\": \"assistant\", \"content\": \"Order #4412 shipped yesterday and should arrive Friday.\"}", "provided_model_name": "gpt-4o-mini", "model_parameters": "{\"temperature\": 0.2, \"max_tokens\": 256}", "usage_details": {"input": 38, "output": 14, "total": 52}, "cost_details": {"input": 5.7e-06, "output": 8.4e-06, "total": 1.41e-05}, "completion_start_time": "2026-08-12 16:00:00.610000", "prompt_name": "support-answer", "prompt_version": 7, "total_cost": 1.41e-05, "latency": 1.34, "time_to_first_token": 0.49, "session_id": "sess_41", "user_id": "u_9328ae73", "tags": ["prod", "support"]}
{"id": "obs_7c7d0a01", "trace_id": "trace_a1b2c3d4", "project_id": "clx9proj01", "type": "GENERATION", "parent_observation_id": "", "start_time": "2026-08-12 16:02:10.000000", "end_time": "2026-08-12 16:02:11.250000", "name": "tool-router", "metadata": {}, "level": "DEFAULT", "status_message": "", "input": "[{\"role\": \"user\", \"content\": \"Cancel order #4412\"}]", "output": "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"cancel_order\", \"arguments\": \"{\\\"order_id\\\":\\\"4412\\\"}\"}}]}", "provided_model_name": "gpt-4o-mini", "usage_details": {"input": 120, "output": 22, "total": 142}, "cost_details": {}, "completion_start_time": null, "prompt_name": "", "prompt_version": null, "total_cost": null}
{"id": "obs_span1", "trace_id": "trace_a1b2c3d4", "type": "TOOL", "parent_observation_id": "obs_7c7d0a01", "start_time": "2026-08-12 16:02:11.300000", "end_time": "2026-08-12 16:02:11.400000", "name": "cancel_order", "level": "DEFAULT"}
)json";

} // namespace

void TestLangfuseImport::uiJsonArray()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "observations.json", uiArray);
    QCOMPARE(detectedFormat(path), QStringLiteral("langfuse"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langfuse"), path, sink));
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.spans.size(), 1);
    QVERIFY(sink.malformedLines.isEmpty());

    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.sourceFormat, QStringLiteral("langfuse"));
    QCOMPARE(r.messages.size(), 2);
    QCOMPARE(r.messages.at(0).role, QStringLiteral("system"));
    QCOMPARE(r.messages.at(0).content, QStringLiteral("You are a concise support agent for Acme."));
    QCOMPARE(r.messages.at(1).role, QStringLiteral("user"));
    QCOMPARE(r.output, QStringLiteral("Order #4412 shipped yesterday and should arrive Friday."));
    QCOMPARE(r.model, QStringLiteral("gpt-4o-mini"));
    QCOMPARE(r.inputTokens, 38);
    QCOMPARE(r.outputTokens, 14);
    QVERIFY(r.cost && qFuzzyCompare(*r.cost, 1.41e-05));
    QCOMPARE(r.startMs, utcMs("2026-08-12T16:00:00.120Z"));
    QCOMPARE(r.endMs, utcMs("2026-08-12T16:00:01.460Z"));
    QCOMPARE(r.latencyMs, 1340.0);
    QCOMPARE(r.ttftMs, 490.0);
    QCOMPARE(r.promptName, QStringLiteral("support-answer"));
    QCOMPARE(r.promptVersion, QStringLiteral("7"));
    QCOMPARE(r.traceId, QStringLiteral("trace_7d2e41b0"));
    QCOMPARE(r.spanId, QStringLiteral("obs_3f1c9a7e"));
    QVERIFY(!r.parentSpanId);
    QVERIFY(r.ok);
    QVERIFY(!r.error);
    QVERIFY(meta(r, {"customer_tier"}) == "pro");
    QVERIFY(meta(r, {"parameters", "max_tokens"}) == 256);
    QVERIFY(meta(r, {"userId"}) == "u_9328ae73");

    const LogRecord &failed = sink.records.at(1);
    QVERIFY(!failed.ok);
    QCOMPARE(failed.error, QStringLiteral("APITimeoutError: Request timed out."));
    QVERIFY(!failed.output);
    QVERIFY(!failed.inputTokens);
    QVERIFY(!failed.outputTokens);
    QVERIFY(!failed.cost); // totalCost 0 with no cost details is unknown, not free
    QVERIFY(!failed.ttftMs);
    QVERIFY(!failed.promptName);
    QVERIFY(!failed.promptVersion);
    QCOMPARE(failed.parentSpanId, QStringLiteral("obs_root_8e3f"));
    QCOMPARE(failed.latencyMs, 30002.0);

    const TraceSpan &span = sink.spans.at(0);
    QCOMPARE(span.traceId, QStringLiteral("trace_8e3f52c1"));
    QCOMPARE(span.spanId, QStringLiteral("obs_root_8e3f"));
    QCOMPARE(span.name, QStringLiteral("summarize"));
    QCOMPARE(span.status, QStringLiteral("error"));
    QCOMPARE(span.startMs, utcMs("2026-08-12T16:04:59.900Z"));
}

void TestLangfuseImport::uiJsonLinesWithMalformedLine()
{
    const QByteArray lines
        = R"json({"id": "o1", "traceId": "t1", "type": "GENERATION", "startTime": "2026-08-12T16:00:00Z", "input": "Hello there", "output": "Hi!", "model": "gpt-4o"}
{"id": "o2", "traceId": "t1", "type": "GENERATION", "startTime": "2026-08-12T16:00:01Z", "input": [{"role": "user"
{"id": "o3", "traceId": "t1", "startTime": "2026-08-12T16:00:02Z"}

{"id": "o4", "traceId": "t1", "type": "GENERATION", "startTime": "2026-08-12T16:00:03Z", "input": {"question": "2+2?"}, "output": {"answer": 4}}
)json";
    QTemporaryDir dir;
    const QString path = writeFile(dir, "observations.jsonl", lines);
    QCOMPARE(detectedFormat(path), QStringLiteral("langfuse"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langfuse"), path, sink));
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.malformedLines, (QList<qint64> {2, 3}));

    const LogRecord &plain = sink.records.at(0);
    QCOMPARE(plain.messages.size(), 1);
    QCOMPARE(plain.messages.at(0).role, QStringLiteral("user"));
    QCOMPARE(plain.messages.at(0).content, QStringLiteral("Hello there"));
    QCOMPARE(plain.output, QStringLiteral("Hi!"));
    QVERIFY(!plain.endMs);
    QVERIFY(!plain.latencyMs);
    QVERIFY(!plain.inputTokens);

    // Inputs and outputs that are not chat messages are kept as their JSON text.
    const LogRecord &structured = sink.records.at(1);
    QCOMPARE(structured.messages.at(0).content, QStringLiteral(R"({"question":"2+2?"})"));
    QCOMPARE(structured.output, QStringLiteral(R"({"answer":4})"));
}

void TestLangfuseImport::uiCsvWithMultilineCells()
{
    // CSV cells hold JSON text; a quoted cell spans two lines; the last row (line 6) lacks cells.
    const QByteArray csv
        = "id,traceId,type,name,startTime,endTime,model,input,output,usageDetails,promptName,"
          "promptVersion,level,statusMessage,metadata\n"
          "obs_1,trace_1,GENERATION,chat,2026-08-12T16:00:00.120Z,2026-08-12T16:00:01.460Z,"
          "gpt-4o-mini,\"[{\"\"role\"\": \"\"user\"\",\n"
          "\"\"content\"\": \"\"Line one\\nline two\"\"}]\",\"{\"\"role\"\": \"\"assistant\"\", "
          "\"\"content\"\": \"\"Done, "
          "\\\"\"quoted\\\"\".\"\"}\",\"{\"\"input\"\": 12, \"\"output\"\": 3}\",greeter,2,"
          "DEFAULT,,\"{\"\"team\"\": \"\"web\"\"}\"\n"
          "obs_2,trace_1,SPAN,route,2026-08-12T16:00:00.000Z,2026-08-12T16:00:02.000Z,,,,,,,"
          "DEFAULT,,\n"
          "obs_3,trace_2,GENERATION,chat,2026-08-12T17:00:00.000Z,,gpt-4o,Hi,,,,,ERROR,"
          "Boom: upstream 500,\n"
          "obs_4,trace_2,GENERATION,chat\n";
    QTemporaryDir dir;
    const QString path = writeFile(dir, "observations.csv", csv);
    QCOMPARE(detectedFormat(path), QStringLiteral("langfuse"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langfuse"), path, sink));
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.spans.size(), 1);
    QCOMPARE(sink.malformedLines, (QList<qint64> {6}));

    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.messages.size(), 1);
    QCOMPARE(r.messages.at(0).content, QStringLiteral("Line one\nline two"));
    QCOMPARE(r.output, QStringLiteral("Done, \"quoted\"."));
    QCOMPARE(r.inputTokens, 12);
    QCOMPARE(r.outputTokens, 3);
    QCOMPARE(r.promptName, QStringLiteral("greeter"));
    QCOMPARE(r.promptVersion, QStringLiteral("2"));
    QCOMPARE(r.startMs, utcMs("2026-08-12T16:00:00.120Z"));
    QVERIFY(meta(r, {"team"}) == "web");

    const LogRecord &failed = sink.records.at(1);
    QVERIFY(!failed.ok);
    QCOMPARE(failed.error, QStringLiteral("Boom: upstream 500"));
    QCOMPARE(failed.messages.at(0).content, QStringLiteral("Hi"));
    QVERIFY(!failed.output);
    QVERIFY(!failed.endMs);
    QVERIFY(!failed.promptVersion);
}

void TestLangfuseImport::blobJsonLines()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "observations_v2.jsonl", blobLines);
    QCOMPARE(detectedFormat(path), QStringLiteral("langfuse-blob"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langfuse-blob"), path, sink));
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.spans.size(), 1);

    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.sourceFormat, QStringLiteral("langfuse-blob"));
    QCOMPARE(r.messages.size(), 2);
    QCOMPARE(r.messages.at(0).role, QStringLiteral("system"));
    QCOMPARE(r.output, QStringLiteral("Order #4412 shipped yesterday and should arrive Friday."));
    // "YYYY-MM-DD HH:MM:SS.ffffff" is UTC.
    QCOMPARE(r.startMs, utcMs("2026-08-12T16:00:00.120Z"));
    QCOMPARE(r.ttftMs, 490.0);
    QCOMPARE(r.promptName, QStringLiteral("support-answer"));
    QCOMPARE(r.promptVersion, QStringLiteral("7"));
    QCOMPARE(r.sessionId, QStringLiteral("sess_41"));
    QVERIFY(!r.parentSpanId); // "" is a root observation
    QVERIFY(meta(r, {"parameters", "temperature"}) == 0.2);

    const LogRecord &tool = sink.records.at(1);
    QVERIFY(!tool.output);
    QCOMPARE(tool.outputToolCalls.size(), 1);
    QCOMPARE(tool.outputToolCalls.at(0).id, QStringLiteral("call_1"));
    QCOMPARE(tool.outputToolCalls.at(0).name, QStringLiteral("cancel_order"));
    QVERIFY(tool.outputToolCalls.at(0).arguments == nlohmann::json({{"order_id", "4412"}}));
    QVERIFY(!tool.promptName);
    QVERIFY(!tool.promptVersion);
    QVERIFY(!tool.cost);
    QVERIFY(!tool.ttftMs);
    QCOMPARE(tool.inputTokens, 120);

    QCOMPARE(sink.spans.at(0).parentSpanId, QStringLiteral("obs_7c7d0a01"));
    QVERIFY(!sink.spans.at(0).status);
}

void TestLangfuseImport::blobCsv()
{
    const QByteArray csv
        = "id,trace_id,project_id,type,parent_observation_id,start_time,end_time,name,metadata,"
          "level,status_message,input,output,provided_model_name,usage_details,cost_details,"
          "completion_start_time,prompt_name,prompt_version,total_cost,tool_calls,session_id\n"
          "obs_3f1c9a7e,trace_7d2e41b0,clx9proj01,GENERATION,,2026-08-12 16:00:00.120000,"
          "2026-08-12 16:00:01.460000,openai-chat,\"{\"\"customer_tier\"\": \"\"pro\"\"}\","
          "DEFAULT,,\"[{\"\"role\"\": \"\"user\"\", \"\"content\"\": \"\"Where is my order "
          "#4412?\"\"}]\",\"{\"\"role\"\": \"\"assistant\"\", \"\"content\"\": \"\"Shipped.\"\"}\","
          "gpt-4o-mini,\"{\"\"input\"\": 38, \"\"output\"\": 14, \"\"total\"\": 52}\","
          "\"{\"\"total\"\": 1.41e-05}\",2026-08-12 16:00:00.610000,support-answer,7,1.41e-05,[],"
          "sess_41\n"
          "obs_7c7d0a01,trace_a1b2c3d4,clx9proj01,GENERATION,,2026-08-12 16:02:10.000000,"
          "2026-08-12 16:02:11.250000,tool-router,,ERROR,rate limited,Cancel order #4412,,"
          "gpt-4o-mini,,,,,,,\"[\"\"{\\\"\"id\\\"\": \\\"\"call_9\\\"\", \\\"\"function\\\"\": "
          "{\\\"\"name\\\"\": \\\"\"cancel_order\\\"\", \\\"\"arguments\\\"\": "
          "\\\"\"{}\\\"\"}}\"\"]\","
          "\n";
    QTemporaryDir dir;
    const QString path = writeFile(dir, "observations_v2.csv", csv);
    QCOMPARE(detectedFormat(path), QStringLiteral("langfuse-blob"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langfuse-blob"), path, sink));
    QCOMPARE(sink.reasons, QStringList());
    QCOMPARE(sink.records.size(), 2);

    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.messages.at(0).content, QStringLiteral("Where is my order #4412?"));
    QCOMPARE(r.output, QStringLiteral("Shipped."));
    QCOMPARE(r.startMs, utcMs("2026-08-12T16:00:00.120Z"));
    QCOMPARE(r.endMs, utcMs("2026-08-12T16:00:01.460Z"));
    QCOMPARE(r.inputTokens, 38);
    QVERIFY(r.cost && qFuzzyCompare(*r.cost, 1.41e-05));
    QCOMPARE(r.promptVersion, QStringLiteral("7"));
    QVERIFY(meta(r, {"customer_tier"}) == "pro");
    QCOMPARE(r.sessionId, QStringLiteral("sess_41"));

    const LogRecord &failed = sink.records.at(1);
    QVERIFY(!failed.ok);
    QCOMPARE(failed.error, QStringLiteral("rate limited"));
    QCOMPARE(failed.messages.at(0).content, QStringLiteral("Cancel order #4412"));
    QCOMPARE(failed.outputToolCalls.size(), 1);
    QCOMPARE(failed.outputToolCalls.at(0).name, QStringLiteral("cancel_order"));
    QVERIFY(!failed.inputTokens);
    QVERIFY(!failed.sessionId);
}

void TestLangfuseImport::multimodalInputBecomesPlaceholders()
{
    // 12 base64 characters with one '=' of padding decode to 8 bytes; "UklGRg==" to 4.
    const QByteArray line
        = R"json({"id": "o1", "traceId": "t1", "type": "GENERATION", "startTime": "2026-08-12T16:00:00Z", "input": [{"role": "user", "content": [{"type": "text", "text": "What is in this picture?"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}, {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}, {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}]}], "output": "A cat."}
)json";
    QTemporaryDir dir;
    const QString path = writeFile(dir, "media.jsonl", line);
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langfuse"), path, sink));
    QCOMPARE(sink.records.size(), 1);
    const QString content = sink.records.at(0).messages.at(0).content.value_or(QString());
    QCOMPARE(content,
             QStringLiteral("What is in this picture?\n")
                 + mediaPlaceholder(QStringLiteral("image/png"), 8) + QStringLiteral("\n")
                 + mediaPlaceholder(QStringLiteral("audio/wav"), 4)
                 + QStringLiteral("\n[image: https://example.com/cat.jpg]"));
    QVERIFY(!content.contains(QLatin1String("iVBORw0KGgo")));
}

void TestLangfuseImport::cancelStopsReading()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "observations.json", uiArray);
    CollectingSink sink;
    sink.stopAfter = 1;
    QVERIFY(readAs(QStringLiteral("langfuse"), path, sink));
    QCOMPARE(sink.records.size(), 1);
    QVERIFY(sink.spans.isEmpty());
}

void TestLangfuseImport::traceDownload()
{
    // One trace downloaded from the UI: the trace's own fields, then its observations.
    const QByteArray trace
        = R"json({"id": "trace_1", "name": "support-chat", "timestamp": "2026-08-12T16:00:00.000Z",
  "input": {"question": "Where is my order?"}, "sessionId": "sess_9", "scores": [],
  "observations": [
    {"id": "span_1", "traceId": "trace_1", "type": "SPAN", "name": "handler", "startTime": "2026-08-12T16:00:00.000Z", "endTime": "2026-08-12T16:00:02.000Z", "parentObservationId": null},
    {"id": "gen_1", "traceId": "trace_1", "type": "GENERATION", "name": "chat", "startTime": "2026-08-12T16:00:00.500Z", "endTime": "2026-08-12T16:00:01.500Z", "parentObservationId": "span_1", "model": "gpt-4o", "input": [{"role": "user", "content": "Where is my order?"}], "output": {"role": "assistant", "content": "On its way."}, "usageDetails": {"input": 7, "output": 4}}
  ]}
)json";
    QTemporaryDir dir;
    const QString path = writeFile(dir, "trace-trace_1.json", trace);
    QCOMPARE(detectedFormat(path), QStringLiteral("langfuse"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langfuse"), path, sink));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.spans.size(), 1);
    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.output, QStringLiteral("On its way."));
    QCOMPARE(r.parentSpanId, QStringLiteral("span_1"));
    QCOMPARE(r.latencyMs, 1000.0);
    QCOMPARE(r.outputTokens, 4);
}

QTEST_GUILESS_MAIN(TestLangfuseImport)
#include "test_langfuse_import.moc"
