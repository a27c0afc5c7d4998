// Streamed dataset export (issue 13): DatasetStore writes a dataset case by case to a file or
// to standard output, and the bytes are exactly those the in-memory export wrote before it
// streamed (captured from touchstone-cli 2026-11-30 and written below), for CSV and JSONL, from
// the store and from `touchstone-cli dataset export` (to a file and to standard output). A
// failed export leaves no file behind.

#include "datasets/datasetstore.h"
#include "storage/project.h"

#include <QBuffer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

// Quotes, commas, a line break, outer spaces, non-ASCII text, JSON values of every kind, a
// variable named like promptfoo's `vars`, cases that lack some variables.
const QByteArray input = "{\"question\": \"What is 2+2?\", \"n\": 4, \"__expected\": \"4\", "
                         "\"__tags\": [\"math\", \"easy\"]}\n"
                         "{\"question\": \"Say \\\"hi\\\", politely\", \"lang\": \"en\", "
                         "\"__description\": \"quotes and comma\"}\n"
                         "{\"question\": \"Line one\\nline two\", \"list\": [1, \"two\", "
                         "{\"three\": 3}], \"__expected\": \"\"}\n"
                         "{\"question\": \"  padded  \", \"vars\": {\"a\": 1}}\n"
                         "{\"question\": \"Ünïcödé ✓ 日本語\", \"n\": null, \"flag\": true, "
                         "\"__tags\": [\"intl\"]}\n"
                         "{\"zeta\": \"only here\", \"__expected\": \"z\"}\n";

// What the export wrote before it streamed.
const QByteArray expectedCsv
    = "n,question,lang,list,vars,flag,zeta,__expected,__tags,__description\r\n"
      "4,What is 2+2?,,,,,,4,\"math,easy\",\r\n"
      ",\"Say \"\"hi\"\", politely\",en,,,,,,,quotes and comma\r\n"
      ",\"Line one\n"
      "line two\",,\"[1,\"\"two\"\",{\"\"three\"\":3}]\",,,,,,\r\n"
      ",\"  padded  \",,,\"{\"\"a\"\":1}\",,,,,\r\n"
      "null,Ünïcödé ✓ 日本語,,,,true,,,intl,\r\n"
      ",,,,,,only here,z,,\r\n";

const QByteArray expectedJsonl
    = "{\"__expected\":\"4\",\"__tags\":[\"math\",\"easy\"],\"n\":4,\"question\":\"What is "
      "2+2?\"}\n"
      "{\"__description\":\"quotes and comma\",\"lang\":\"en\",\"question\":\"Say "
      "\\\"hi\\\", politely\"}\n"
      "{\"__expected\":\"\",\"list\":[1,\"two\",{\"three\":3}],\"question\":\"Line "
      "one\\nline two\"}\n"
      "{\"question\":\"  padded  \",\"vars\":{\"a\":1}}\n"
      "{\"__tags\":[\"intl\"],\"flag\":true,\"n\":null,\"question\":\"Ünïcödé ✓ 日本語\"}\n"
      "{\"__expected\":\"z\",\"zeta\":\"only here\"}\n";

struct Cli
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Cli runCli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(TOUCHSTONE_CLI_PATH), args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestDatasetExportStream final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    qint64 m_dataset = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_path = m_dir.filePath(QStringLiteral("export.touchstone"));
        auto project = Project::create(m_path);
        QVERIFY(project);
        const QString source = m_dir.filePath(QStringLiteral("cases.jsonl"));
        QFile file(source);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(input);
        file.close();
        DatasetStore store(project->db());
        m_dataset = store.createDataset(QStringLiteral("mixed")).value().id;
        auto imported = store.importFile(m_dataset, source);
        QVERIFY2(imported, imported ? "" : qPrintable(imported.error().message));
        QCOMPARE(imported->added, 6);
    }

    void storeStreamsTheSameBytesAsBefore_data()
    {
        QTest::addColumn<bool>("csv");
        QTest::newRow("csv") << true;
        QTest::newRow("jsonl") << false;
    }

    void storeStreamsTheSameBytesAsBefore()
    {
        QFETCH(bool, csv);
        auto project = Project::open(m_path);
        QVERIFY(project);
        DatasetStore store(project->db());
        const ExportFormat format = csv ? ExportFormat::Csv : ExportFormat::Jsonl;
        const QByteArray &expected = csv ? expectedCsv : expectedJsonl;
        const QString path
            = m_dir.filePath(csv ? QStringLiteral("store.csv") : QStringLiteral("store.jsonl"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            auto written = store.exportCases(m_dataset, format, file);
            QVERIFY(written);
            QCOMPARE(*written, 6);
        }
        QCOMPARE(readFile(path), expected);
        QCOMPARE(store.exportCases(m_dataset, format).value(), expected); // in memory, the same
    }

    void cancelledExportSaysSo()
    {
        auto project = Project::open(m_path);
        QVERIFY(project);
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        int polls = 0;
        auto written
            = DatasetStore(project->db()).exportCases(m_dataset, ExportFormat::Jsonl, buffer, [&] {
                  return ++polls >= 2;
              });
        QVERIFY(!written);
        QCOMPARE(written.error().code, ErrorCode::Cancelled);
        QCOMPARE(bytes.count('\n'), 2); // stopped after the second case
    }

    void cliWritesTheSameBytesToAFileAndToStandardOutput_data()
    {
        storeStreamsTheSameBytesAsBefore_data();
    }

    void cliWritesTheSameBytesToAFileAndToStandardOutput()
    {
        QFETCH(bool, csv);
        const QString format = csv ? QStringLiteral("csv") : QStringLiteral("jsonl");
        const QByteArray &expected = csv ? expectedCsv : expectedJsonl;
        const QString output = m_dir.filePath(QStringLiteral("cli.") + format);
        const Cli toFile
            = runCli({QStringLiteral("dataset"), QStringLiteral("export"), m_path,
                      QStringLiteral("--dataset"), QStringLiteral("mixed"),
                      QStringLiteral("--format"), format, QStringLiteral("--output"), output});
        QCOMPARE(toFile.exitCode, 0);
        QCOMPARE(readFile(output), expected);
        QVERIFY2(toFile.err.contains("Exported 6 cases"), toFile.err.constData());

        const Cli toStdout = runCli({QStringLiteral("dataset"), QStringLiteral("export"), m_path,
                                     QStringLiteral("--dataset"), QStringLiteral("mixed"),
                                     QStringLiteral("--format"), format});
        QCOMPARE(toStdout.exitCode, 0);
        QCOMPARE(toStdout.out, expected);
    }

    void cliExportThatCannotWriteLeavesNoFile()
    {
        const QString output = m_dir.filePath(QStringLiteral("missing-folder/out.jsonl"));
        const Cli result = runCli({QStringLiteral("dataset"), QStringLiteral("export"), m_path,
                                   QStringLiteral("--dataset"), QStringLiteral("mixed"),
                                   QStringLiteral("--output"), output});
        QVERIFY(result.exitCode != 0);
        QVERIFY2(result.err.contains("Cannot write"), result.err.constData());
        QVERIFY(!QFile::exists(output));
    }
};

QTEST_GUILESS_MAIN(TestDatasetExportStream)
#include "test_dataset_export_stream.moc"
