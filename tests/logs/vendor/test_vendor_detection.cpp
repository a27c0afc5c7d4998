// Detection of the vendor formats from a file's first bytes: each sample is recognised as its
// own format and no other, OTLP files are left to the OpenTelemetry readers, and unknown files
// are refused. Also a gzip file and a first record larger than the 64 KiB head.

#include "collectingsink.h"

#include "logs/formats/vendorformats.h"

#include <QTest>

#include <zlib.h>

using namespace ts;
using namespace ts::test;

class TestVendorDetection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachSampleIsItsOwnFormat_data();
    void eachSampleIsItsOwnFormat();
    void otlpAndUnknownFilesAreNotVendorFormats_data();
    void otlpAndUnknownFilesAreNotVendorFormats();
    void firstRecordLargerThanTheHead();
    void gzipFile();
};

namespace {

QByteArray langfuseUi()
{
    return R"([{"id": "o1", "traceId": "t1", "type": "GENERATION", "startTime": "2026-08-12T16:00:00Z", "input": "hi", "output": "yo"}])";
}

QByteArray langsmithLine()
{
    return R"({"id": "r1", "run_type": "llm", "trace_id": "r1", "start_time": "2026-08-12T16:00:00", "inputs": {"messages": [{"role": "user", "content": "hi"}]}, "outputs": {"choices": [{"message": {"role": "assistant", "content": "yo"}}]}})"
           "\n";
}

} // namespace

void TestVendorDetection::eachSampleIsItsOwnFormat_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("format");

    QTest::newRow("langfuse array") << langfuseUi() << QStringLiteral("langfuse");
    QTest::newRow("langfuse jsonl") << QByteArray(
        R"({"id": "o1", "traceId": "t1", "type": "SPAN", "startTime": "2026-08-12T16:00:00Z"})"
        "\n") << QStringLiteral("langfuse");
    QTest::newRow("langfuse csv") << QByteArray("id,traceId,type,startTime,input\no1,t1,GENERATION,"
                                                "2026-08-12T16:00:00Z,hi\n")
                                  << QStringLiteral("langfuse");
    QTest::newRow("langfuse blob jsonl") << QByteArray(
        R"({"id": "o1", "trace_id": "t1", "project_id": "p", "type": "GENERATION", "parent_observation_id": "", "start_time": "2026-08-12 16:00:00.000000"})"
        "\n") << QStringLiteral("langfuse-blob");
    QTest::newRow("langfuse blob csv")
        << QByteArray("id,trace_id,project_id,environment,type,parent_observation_id,start_time\n"
                      "o1,t1,p,production,GENERATION,,2026-08-12 16:00:00.000000\n")
        << QStringLiteral("langfuse-blob");
    QTest::newRow("openai batch input") << QByteArray(
        R"({"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m", "messages": []}})"
        "\n") << QStringLiteral("openai-batch-input");
    QTest::newRow("openai batch output") << QByteArray(
        R"({"id": "b1", "custom_id": "r1", "response": {"status_code": 200, "body": {}}, "error": null})"
        "\n") << QStringLiteral("openai-batch");
    QTest::newRow("openai stored") << QByteArray(
        R"({"object": "list", "data": [{"object": "chat.completion", "id": "c1", "choices": []}], "has_more": false})")
                                   << QStringLiteral("openai-stored");
    QTest::newRow("openai pairs") << QByteArray(
        R"({"timestamp": 1786550500, "request": {"model": "m", "messages": []}, "response": {"choices": []}})"
        "\n") << QStringLiteral("openai-pairs");
    QTest::newRow("langsmith") << langsmithLine() << QStringLiteral("langsmith");
    // Keys sorted, so run_type comes after 70 KiB of inputs, beyond the head.
    QTest::newRow("langsmith sorted keys")
        << (QByteArray(
                R"({"dotted_order": "20260812T160000Z1", "end_time": null, "id": "r1", "inputs": {"messages": [{"role": "user", "content": ")")
            + QByteArray(70 * 1024, 'x')
            + QByteArray(
                R"("}]}, "run_type": "llm", "start_time": "2026-08-12T16:00:00", "trace_id": "r1"})"
                "\n"))
        << QStringLiteral("langsmith");
    QTest::newRow("promptfoo v3") << QByteArray(
        R"({"evalId": "e1", "results": {"version": 3, "timestamp": "2026-08-12T16:10:00Z", "results": [{"prompt": {"raw": "hi"}, "response": {"output": "yo"}}]}})")
                                  << QStringLiteral("promptfoo");
    QTest::newRow("promptfoo bare summary") << QByteArray(
        R"({"version": 2, "timestamp": "2024-03-01T09:00:00Z", "results": [{"prompt": {"raw": "hi"}, "response": {"output": "yo"}}]})")
                                            << QStringLiteral("promptfoo");
}

void TestVendorDetection::eachSampleIsItsOwnFormat()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, format);
    QStringList accepting;
    for (const LogFormat &f : vendorLogFormats())
        if (f.detect(content))
            accepting.append(f.name);
    QCOMPARE(accepting, QStringList {format});
    QTemporaryDir dir;
    QCOMPARE(detectedFormat(writeFile(dir, "sample", content)), format);
}

void TestVendorDetection::otlpAndUnknownFilesAreNotVendorFormats_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("otlp traces") << QByteArray(
        R"({"resourceSpans": [{"resource": {}, "scopeSpans": [{"spans": [{"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "chat", "startTimeUnixNano": "1544712660000000000", "kind": 3, "attributes": []}]}]}]})");
    QTest::newRow("otlp logs") << QByteArray(
        R"({"resourceLogs": [{"scopeLogs": [{"logRecords": [{"traceId": "5b8e", "spanId": "eee1", "timeUnixNano": "1", "body": {"stringValue": "x"}}]}]}]})");
    QTest::newRow("phoenix spans") << QByteArray(
        R"({"name": "ChatCompletion", "context": {"trace_id": "t", "span_id": "s"}, "span_kind": "LLM", "parent_id": null, "start_time": "2026-08-12T16:00:00+00:00", "end_time": "2026-08-12T16:00:01+00:00", "status_code": "OK", "attributes": {}})"
        "\n");
    QTest::newRow("plain text") << QByteArray("hello world\nnothing to see\n");
    QTest::newRow("other json lines") << QByteArray("{\"a\": 1}\n{\"a\": 2}\n");
    QTest::newRow("empty") << QByteArray();
}

void TestVendorDetection::otlpAndUnknownFilesAreNotVendorFormats()
{
    QFETCH(QByteArray, content);
    for (const LogFormat &f : vendorLogFormats())
        QVERIFY2(!f.detect(content), qPrintable(f.name));
}

void TestVendorDetection::firstRecordLargerThanTheHead()
{
    // A Langfuse observation whose input alone is 200 KiB: its keys before the input are enough.
    QByteArray big
        = R"([{"id": "o1", "traceId": "t1", "type": "GENERATION", "startTime": "2026-08-12T16:00:00Z", "input": ")";
    big += QByteArray(200 * 1024, 'x');
    big += R"(", "output": "done"}])";
    QTemporaryDir dir;
    const QString path = writeFile(dir, "big.json", big);
    QCOMPARE(detectedFormat(path), QStringLiteral("langfuse"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langfuse"), path, sink));
    QCOMPARE(sink.records.size(), 1);
    QCOMPARE(sink.records.at(0).messages.at(0).content->size(), 200 * 1024);
    QCOMPARE(sink.records.at(0).output, QStringLiteral("done"));
}

void TestVendorDetection::gzipFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("runs.jsonl.gz"));
    gzFile gz = gzopen(QFile::encodeName(path).constData(), "wb");
    QVERIFY(gz);
    const QByteArray line = langsmithLine();
    QCOMPARE(gzwrite(gz, line.constData(), unsigned(line.size())), int(line.size()));
    QCOMPARE(gzwrite(gz, line.constData(), unsigned(line.size())), int(line.size()));
    gzclose(gz);
    QCOMPARE(detectedFormat(path), QStringLiteral("langsmith"));
    CollectingSink sink;
    QVERIFY(readAs(QStringLiteral("langsmith"), path, sink));
    QCOMPARE(sink.records.size(), 2);
    QCOMPARE(sink.records.at(0).output, QStringLiteral("yo"));
}

QTEST_GUILESS_MAIN(TestVendorDetection)
#include "test_vendor_detection.moc"
