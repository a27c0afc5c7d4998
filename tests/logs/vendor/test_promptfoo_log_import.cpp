// promptfoo eval output (results.json, version 3 and 2), streamed.

#include "collectingsink.h"

#include <QTest>

using namespace ts;
using namespace ts::test;

class TestPromptfooImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void version3();
    void version2WithAssertionFailure();
    void truncatedFileKeepsEarlierResults();
    void notPromptfooIsAnError();
};

namespace {

const QByteArray v3 = R"json({
  "evalId": "eval-2Xk-2026-08-12T16:10:00",
  "results": {
    "version": 3,
    "timestamp": "2026-08-12T16:10:00.000Z",
    "results": [
      {"id": "b1c0f6f0-1a2b-4c3d-9e8f-001122334455", "promptIdx": 0, "testIdx": 0, "promptId": "a3f9c1",
       "testCase": {"vars": {"question": "Where is my order #4412?"}, "assert": [{"type": "icontains", "value": "shipped"}]},
       "provider": {"id": "openai:chat:gpt-4o-mini", "label": ""},
       "prompt": {"raw": "[{\"role\": \"system\", \"content\": \"You are a concise support agent for Acme.\"}, {\"role\": \"user\", \"content\": \"Where is my order #4412?\"}]", "label": "support-answer v7"},
       "vars": {"question": "Where is my order #4412?"},
       "response": {"output": "Order #4412 shipped yesterday and should arrive Friday.", "tokenUsage": {"total": 52, "prompt": 38, "completion": 14, "cached": 0, "numRequests": 1}, "cached": false, "cost": 1.41e-05, "finishReason": "stop", "latencyMs": 1340},
       "error": null, "failureReason": 0, "success": true, "score": 1, "latencyMs": 1340,
       "gradingResult": {"pass": true, "score": 1, "reason": "All assertions passed"},
       "namedScores": {}, "cost": 1.41e-05, "metadata": {}},
      {"id": "c2d1e7a1-2b3c-4d5e-8f90-112233445566", "promptIdx": 0, "testIdx": 1, "promptId": "a3f9c1",
       "testCase": {"vars": {"question": "Summarize the attached contract."}},
       "provider": {"id": "openai:chat:gpt-4o-mini", "label": ""},
       "prompt": {"raw": "[{\"role\": \"user\", \"content\": \"Summarize the attached contract.\"}]", "label": "support-answer v7"},
       "vars": {"question": "Summarize the attached contract."},
       "response": {"error": "API error: 429 Too Many Requests", "tokenUsage": {}},
       "error": "API error: 429 Too Many Requests", "failureReason": 2, "success": false, "score": 0,
       "latencyMs": 0, "gradingResult": null, "namedScores": {}, "cost": 0, "metadata": {}}
    ],
    "prompts": [{"id": "a3f9c1", "raw": "...", "label": "support-answer v7", "provider": "openai:chat:gpt-4o-mini"}],
    "stats": {"successes": 1, "failures": 0, "errors": 1}
  },
  "config": {"description": "support regression"},
  "shareableUrl": null,
  "metadata": {"promptfooVersion": "0.118.0", "exportedAt": "2026-08-12T16:10:05.000Z"}
}
)json";

const QByteArray v2
    = R"json({"evalId": "eval-old", "results": {"version": 2, "timestamp": "2024-03-01T09:00:00.000Z", "results": [
  {"provider": {"id": "anthropic:messages:claude-3-haiku-20240307", "label": "haiku"},
   "prompt": {"raw": "Translate to French: {{text}}", "display": "translate"},
   "vars": {"text": "cheese"},
   "response": {"output": "le fromage", "tokenUsage": {"total": 12, "prompt": 9, "completion": 3}},
   "success": false, "score": 0, "latencyMs": 420,
   "error": "Expected output to equal \"fromage\"",
   "gradingResult": {"pass": false, "score": 0, "reason": "Expected output to equal \"fromage\""}},
  {"provider": {"id": "openai:gpt-4o", "label": ""},
   "prompt": {"raw": "Weather?", "display": "weather"},
   "vars": {},
   "response": {"output": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
   "success": true, "score": 1, "latencyMs": 800}
], "stats": {"successes": 1, "failures": 1}, "table": {"head": {"prompts": [], "vars": []}, "body": []}}}
)json";

} // namespace

void TestPromptfooImport::version3()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "results.json", v3);
    QCOMPARE(detectedFormat(path), QStringLiteral("promptfoo"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("promptfoo"), path, sink));
    QCOMPARE(sink.records.size(), 2);
    QVERIFY(sink.malformedLines.isEmpty());

    const LogRecord &r = sink.records.at(0);
    QCOMPARE(r.sourceFormat, QStringLiteral("promptfoo"));
    QCOMPARE(r.messages.size(), 2);
    QCOMPARE(r.messages.at(0).role, QStringLiteral("system"));
    QCOMPARE(r.messages.at(1).content, QStringLiteral("Where is my order #4412?"));
    QCOMPARE(r.output, QStringLiteral("Order #4412 shipped yesterday and should arrive Friday."));
    QCOMPARE(r.provider, QStringLiteral("openai"));
    QCOMPARE(r.model, QStringLiteral("gpt-4o-mini"));
    QCOMPARE(r.inputTokens, 38);
    QCOMPARE(r.outputTokens, 14);
    QVERIFY(r.cost && qFuzzyCompare(*r.cost, 1.41e-05));
    QCOMPARE(r.latencyMs, 1340.0);
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
    QCOMPARE(r.startMs, utcMs("2026-08-12T16:10:00.000Z"));
    QCOMPARE(r.traceId, QStringLiteral("eval-2Xk-2026-08-12T16:10:00"));
    QCOMPARE(r.spanId, QStringLiteral("b1c0f6f0-1a2b-4c3d-9e8f-001122334455"));
    QVERIFY(meta(r, {"vars", "question"}) == "Where is my order #4412?");
    QVERIFY(meta(r, {"prompt_label"}) == "support-answer v7");
    QVERIFY(r.ok);

    const LogRecord &failed = sink.records.at(1);
    QVERIFY(!failed.ok);
    QCOMPARE(failed.error, QStringLiteral("API error: 429 Too Many Requests"));
    QVERIFY(!failed.output);
    QVERIFY(!failed.inputTokens);
    QVERIFY(!failed.outputTokens);
    QVERIFY(!failed.cost); // 0 on a failed call is unknown
    QVERIFY(!failed.latencyMs); // so is a latency of 0
    QCOMPARE(failed.messages.size(), 1);
}

void TestPromptfooImport::version2WithAssertionFailure()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "results.json", v2);
    QCOMPARE(detectedFormat(path), QStringLiteral("promptfoo"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("promptfoo"), path, sink));
    QCOMPARE(sink.records.size(), 2);

    const LogRecord &r = sink.records.at(0);
    // A failed assertion is a verdict on a call that worked.
    QVERIFY(r.ok);
    QVERIFY(!r.error);
    QVERIFY(meta(r, {"assertion_error"}) == "Expected output to equal \"fromage\"");
    QCOMPARE(r.messages.size(), 1);
    QCOMPARE(r.messages.at(0).role, QStringLiteral("user"));
    QCOMPARE(r.messages.at(0).content, QStringLiteral("Translate to French: {{text}}"));
    QCOMPARE(r.output, QStringLiteral("le fromage"));
    QCOMPARE(r.provider, QStringLiteral("anthropic"));
    QCOMPARE(r.model, QStringLiteral("claude-3-haiku-20240307"));
    QCOMPARE(r.inputTokens, 9);
    QCOMPARE(r.startMs, utcMs("2024-03-01T09:00:00.000Z"));
    QVERIFY(!r.traceId); // version 2 results have no id: deduplicated by content
    QVERIFY(!r.spanId);
    QVERIFY(meta(r, {"vars", "text"}) == "cheese");
    QVERIFY(meta(r, {"prompt_label"}) == "translate");

    const LogRecord &tools = sink.records.at(1);
    QCOMPARE(tools.provider, QStringLiteral("openai"));
    QCOMPARE(tools.model, QStringLiteral("gpt-4o"));
    QVERIFY(!tools.output);
    QCOMPARE(tools.outputToolCalls.size(), 1);
    QCOMPARE(tools.outputToolCalls.at(0).name, QStringLiteral("get_weather"));
    QVERIFY(tools.outputToolCalls.at(0).arguments == nlohmann::json({{"city", "Paris"}}));
}

void TestPromptfooImport::truncatedFileKeepsEarlierResults()
{
    // The file ends inside the second result.
    const QByteArray cut = v3.left(v3.indexOf("\"c2d1e7a1") + 30);
    QTemporaryDir dir;
    const QString path = writeFile(dir, "results.json", cut);
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("promptfoo"), path, sink));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.malformedLines, (QList<qint64> {2}));
}

void TestPromptfooImport::notPromptfooIsAnError()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "other.json", R"({"results": {"version": 3}})");
    CollectingSink sink;
    const Result<void> result = readAs(QStringLiteral("promptfoo"), path, sink);
    QVERIFY(!result);
    QVERIFY(result.error().message.contains(QLatin1String("results.results")));
    QVERIFY(sink.records.isEmpty());
}

QTEST_GUILESS_MAIN(TestPromptfooImport)
#include "test_promptfoo_log_import.moc"
