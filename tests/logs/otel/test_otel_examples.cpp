// The example files of each OpenTelemetry-family format (tests/logs/otel/data, copied from the
// specification-shaped examples the issue was written against), imported as a user would.

#include "otelsupport.h"

#include <QTest>

using namespace ts;
using namespace ts::test;

class TestOtelExamples : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void genAiTraces();
    void legacyEventsInALogsFile();
    void openInferenceTraces();
    void phoenixExport();
};

namespace {

QString data(const char *name)
{
    return QStringLiteral(TOUCHSTONE_TEST_DATA "/data/") + QLatin1String(name);
}

const LogFormat *detected(const QString &path)
{
    auto file = InputFile::open(path);
    return file ? detectLogFormat(file->head()) : nullptr;
}

} // namespace

void TestOtelExamples::genAiTraces()
{
    const QString path = data("otel_genai.traces.jsonl");
    QCOMPARE(detected(path)->name, QStringLiteral("otlp"));
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QString(), sink, join));
    QVERIFY(sink.bad.isEmpty());
    QCOMPARE(sink.records.size(), 3);

    const LogRecord &first = sink.records[0];
    QCOMPARE(first.model, QStringLiteral("gpt-4o-mini-2024-07-18"));
    QCOMPARE(roles(first), QStringList({QStringLiteral("system"), QStringLiteral("user")}));
    QCOMPARE(first.messages[0].content,
             QStringLiteral("You are a concise support agent for Acme."));
    QCOMPARE(first.output,
             QStringLiteral("Order #4412 shipped yesterday and should arrive Friday."));
    QCOMPARE(first.inputTokens, std::optional<qint64>(38));
    QCOMPARE(first.sessionId, QStringLiteral("conv_5j66UpCpwteGg4YSxUnt7lPY"));
    QCOMPARE(first.latencyMs, std::optional<double>(1340.0));

    const LogRecord &second = sink.records[1];
    QCOMPARE(
        roles(second),
        QStringList({QStringLiteral("user"), QStringLiteral("assistant"), QStringLiteral("tool")}));
    QCOMPARE(second.messages[1].toolCalls[0].name, QStringLiteral("get_weather"));
    QCOMPARE(second.messages[2].toolCallId, QStringLiteral("call_VSPygqKTWdrhaFErNvMV18Yl"));
    QCOMPARE(second.messages[2].content, QStringLiteral("rainy, 57°F"));
    QCOMPARE(second.output, QStringLiteral("It is rainy in Paris, 57°F."));
    QCOMPARE(second.model, QStringLiteral("gpt-4o-mini")); // request model: no response model

    const LogRecord &failed = sink.records[2];
    QVERIFY(!failed.ok);
    QCOMPARE(failed.error, QStringLiteral("Request timed out."));
    QCOMPARE(failed.latencyMs, std::optional<double>(30002.0));
    QVERIFY(!failed.output);
    QVERIFY(!failed.outputTokens);
}

void TestOtelExamples::legacyEventsInALogsFile()
{
    const QString logs = data("otel_genai_legacy_events.logs.jsonl");
    const QString traces = data("otel_genai_legacy_events.traces.jsonl");
    QCOMPARE(detected(logs)->name, QStringLiteral("otlp-logs"));
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(logs, QString(), sink, join));
    QVERIFY(readWith(traces, QString(), sink, join));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.provider, QStringLiteral("openai"));
    QCOMPARE(roles(r), QStringList({QStringLiteral("system"), QStringLiteral("user")}));
    QCOMPARE(r.messages[1].content, QStringLiteral("Where is my order #4412?"));
    QCOMPARE(r.output, QStringLiteral("Order #4412 shipped yesterday and should arrive Friday."));
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
}

void TestOtelExamples::openInferenceTraces()
{
    const QString path = data("openinference.traces.jsonl");
    QCOMPARE(detected(path)->name, QStringLiteral("openinference"));
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QString(), sink, join));
    QCOMPARE(sink.records.size(), 1);
    const LogRecord &r = sink.records[0];
    QCOMPARE(r.sourceFormat, QStringLiteral("openinference"));
    QCOMPARE(r.messages.size(), 2);
    QCOMPARE(r.messages[1].content, QStringLiteral("Where is my order #4412? Photo attached."));
    QCOMPARE(r.outputToolCalls.size(), 1);
    QCOMPARE(r.outputToolCalls[0].name, QStringLiteral("lookup_order"));
    QCOMPARE(r.finishReason, QStringLiteral("tool_calls"));
    QCOMPARE(r.inputTokens, std::optional<qint64>(229));
    QVERIFY(r.metadata["metadata"] == "{\"release\": \"2026.08.3\"}");
    QVERIFY(r.metadata["otel"]["resource"]["openinference.project.name"] == "support-bot-prod");
}

void TestOtelExamples::phoenixExport()
{
    const QString path = data("phoenix_spans_export.jsonl");
    QCOMPARE(detected(path)->name, QStringLiteral("phoenix"));
    ListSink sink;
    LogJoinData join;
    QVERIFY(readWith(path, QString(), sink, join));
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.records[0].outputToolCalls.size(), 1);
    QCOMPARE(sink.records[0].startMs, epochMsFromText(QStringLiteral("2026-08-12T16:00:00.120Z")));
    QVERIFY(!sink.records[1].ok);
    QCOMPARE(sink.records[1].error, QStringLiteral("APITimeoutError: Request timed out."));
}

QTEST_GUILESS_MAIN(TestOtelExamples)
#include "test_otel_examples.moc"
