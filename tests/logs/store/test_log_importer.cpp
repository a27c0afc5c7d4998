// The importer end to end over real format readers: detection, joins across files, gzip,
// --strict, cancel and re-import, refusals.

#include "logs/logimporter.h"
#include "logs/logstore.h"
#include "storage/project.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

using namespace ts;

class TestLogImporter final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;

    QString write(const QString &name, const QByteArray &content);
    static QByteArray span(int i, const char *question = "Where is my order?");
    LogImportSummary import(const QStringList &files, LogImportOptions options = {});

private Q_SLOTS:
    void init();
    void importsGzipAndReimportAddsNothing();
    void malformedLinesAreReportedAndStrictImportsNothing();
    void cancelKeepsWhatWasCommittedAndReimportContinues();
    void batchInputAloneIsExplainedAndJoinsWithItsOutput();
    void unknownFormatNamesWhatWasTried();
};

QString TestLogImporter::write(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(content);
    return path;
}

/// One OTLP/JSON Lines line with one GenAI chat span.
QByteArray TestLogImporter::span(int i, const char *question)
{
    const QByteArray n = QByteArray::number(i);
    const QByteArray spanId = QByteArray::number(0x1000 + i, 16).rightJustified(16, '0');
    return R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":")"
        + spanId + R"(","name":"chat gpt-4o-mini","startTimeUnixNano":"17865504001200)"
        + n.rightJustified(5, '0')
        + R"(","endTimeUnixNano":"1786550401460000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},{"key":"gen_ai.input.messages","value":{"stringValue":"[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\")"
        + QByteArray(question) + " " + n
        + R"(\"}]}]"}},{"key":"gen_ai.output.messages","value":{"stringValue":"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"On its way.\"}],\"finish_reason\":\"stop\"}]"}}]}]}]}]})"
        + "\n";
}

LogImportSummary TestLogImporter::import(const QStringList &files, LogImportOptions options)
{
    LogImporter importer(m_project->db());
    auto summary = importer.run(files, options);
    if (!summary)
        qWarning() << summary.error().message;
    return summary.value_or(LogImportSummary {});
}

void TestLogImporter::init()
{
    static int n = 0;
    auto project = Project::create(m_dir.filePath(QStringLiteral("i%1.touchstone").arg(++n)));
    QVERIFY(project);
    m_project.emplace(std::move(*project));
}

void TestLogImporter::importsGzipAndReimportAddsNothing()
{
    QByteArray lines;
    for (int i = 0; i < 50; ++i)
        lines += span(i);
    const QString path = m_dir.filePath(QStringLiteral("traces.jsonl.gz"));
    gzFile gz = gzopen(QFile::encodeName(path).constData(), "wb");
    gzwrite(gz, lines.constData(), unsigned(lines.size()));
    gzclose(gz);
    LogImportOptions options;
    options.batchSize = 7; // several batches through the writer thread
    const auto first = import({path}, options);
    QCOMPARE(first.imported, 50);
    QCOMPARE(first.formats, QStringList {QStringLiteral("otlp")});
    const auto again = import({path}, options);
    QCOMPARE(again.imported, 0);
    QCOMPARE(again.duplicates, 50);
    LogFilter f;
    f.search = QStringLiteral("order 49");
    QCOMPARE(*LogStore(m_project->db()).count(f), qint64(1));
}

void TestLogImporter::malformedLinesAreReportedAndStrictImportsNothing()
{
    const QString path = write(QStringLiteral("mixed.jsonl"),
                               span(1) + "{not json\n" + span(2) + "[1, 2]\n" + span(3));
    LogImportOptions strict;
    strict.strict = true;
    const auto rejected = import({path}, strict);
    QVERIFY(rejected.rolledBack);
    QCOMPARE(rejected.imported, 0);
    QCOMPARE(rejected.malformed, 2);
    QCOMPARE(*LogStore(m_project->db()).count({}), qint64(0)); // nothing imported
    const auto lenient = import({path});
    QCOMPARE(lenient.imported, 3);
    QCOMPARE(lenient.malformed, 2);
    QVERIFY2(lenient.problems.first().startsWith(path + QStringLiteral(":2: ")),
             qPrintable(lenient.problems.first()));
    QVERIFY(lenient.problems.last().startsWith(path + QStringLiteral(":4: ")));
}

void TestLogImporter::cancelKeepsWhatWasCommittedAndReimportContinues()
{
    QByteArray lines;
    for (int i = 0; i < 400; ++i)
        lines += span(i);
    const QString path = write(QStringLiteral("many.jsonl"), lines);
    std::atomic_bool cancel = false;
    LogImportOptions options;
    options.batchSize = 50;
    options.cancel = &cancel;
    // Cancel as soon as the first progress report arrives (after the first batch).
    options.progress = [&cancel](qint64, qint64) {
        cancel = true;
    };
    const auto cut = import({path}, options);
    QVERIFY(cut.cancelled);
    QVERIFY(cut.imported > 0 && cut.imported < 400);
    const qint64 kept = *LogStore(m_project->db()).count({});
    QCOMPARE(kept, qint64(cut.imported));
    const auto rest = import({path});
    QCOMPARE(rest.imported, 400 - cut.imported);
    QCOMPARE(rest.duplicates, cut.imported);
}

void TestLogImporter::batchInputAloneIsExplainedAndJoinsWithItsOutput()
{
    const QString input = write(
        QStringLiteral("batch_input.jsonl"),
        R"({"custom_id":"r1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"What is 2+2?"}]}})"
        "\n");
    const QString output = write(
        QStringLiteral("batch_output.jsonl"),
        R"({"id":"batch_req_1","custom_id":"r1","response":{"status_code":200,"request_id":"req_1","body":{"id":"chatcmpl-1","object":"chat.completion","created":1786550400,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"4"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":1}}},"error":null})"
        "\n");
    LogImporter importer(m_project->db());
    auto alone = importer.run({input}, {});
    QVERIFY(!alone);
    QVERIFY2(alone.error().message.contains(QStringLiteral("together")),
             qPrintable(alone.error().message));
    const auto both = import({output, input}); // any order: the input is read first
    QCOMPARE(both.imported, 1);
    auto record = LogStore(m_project->db()).records({}, LogSort::TimeAscending, 1);
    QCOMPARE(record->first().messages.first().content, QStringLiteral("What is 2+2?"));
    QCOMPARE(*record->first().output, QStringLiteral("4"));
}

void TestLogImporter::unknownFormatNamesWhatWasTried()
{
    const QString path = write(QStringLiteral("notes.txt"), "hello\nworld\n");
    LogImporter importer(m_project->db());
    auto result = importer.run({path}, {});
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
    QVERIFY(result.error().message.contains(QStringLiteral("otlp")));
    QVERIFY(result.error().message.contains(QStringLiteral("langfuse")));
    QVERIFY(result.error().message.contains(path));
    LogImportOptions forced;
    forced.format = QStringLiteral("nope");
    QVERIFY(!importer.run({path}, forced));
    QCOMPARE(*LogStore(m_project->db()).count({}), qint64(0));
}

QTEST_GUILESS_MAIN(TestLogImporter)
#include "test_log_importer.moc"
