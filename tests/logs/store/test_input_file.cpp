#include "logs/inputfile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <zlib.h>

using namespace ts;

namespace {

void writeGzip(const QString &path, const QByteArray &content)
{
    gzFile gz = gzopen(QFile::encodeName(path).constData(), "wb");
    QVERIFY(gz);
    QCOMPARE(gzwrite(gz, content.constData(), unsigned(content.size())), int(content.size()));
    gzclose(gz);
}

void writePlain(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
}

} // namespace

class TestInputFile final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void linesFromPlainAndGzipAreTheSame_data()
    {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }

    void linesFromPlainAndGzipAreTheSame()
    {
        QFETCH(bool, gzip);
        // A BOM, CRLF endings, a blank line and no newline at the end.
        const QByteArray content = "\xEF\xBB\xBF{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}";
        const QString path = m_dir.filePath(gzip ? QStringLiteral("x.jsonl.gz") : QStringLiteral("x.jsonl"));
        gzip ? writeGzip(path, content) : writePlain(path, content);
        auto file = InputFile::open(path);
        QVERIFY(file);
        QVERIFY(file->head().startsWith("{\"a\":1}"));
        QCOMPARE(*file->readLine(), QByteArray("{\"a\":1}"));
        QCOMPARE(file->lineNumber(), 1);
        QCOMPARE(*file->readLine(), QByteArray());
        QCOMPARE(*file->readLine(), QByteArray("{\"b\":2}"));
        QCOMPARE(*file->readLine(), QByteArray("{\"c\":3}"));
        QCOMPARE(file->lineNumber(), 4);
        QVERIFY(!file->readLine());
        QVERIFY(!file->failed());
    }

    void longFilesStreamAcrossChunks()
    {
        // 40,000 lines of ~60 bytes: several internal chunks, lines split across them.
        QByteArray content;
        for (int i = 0; i < 40000; ++i)
            content += "{\"n\":" + QByteArray::number(i) + ",\"pad\":\"" + QByteArray(40, 'x') + "\"}\n";
        const QString path = m_dir.filePath(QStringLiteral("long.jsonl.gz"));
        writeGzip(path, content);
        auto file = InputFile::open(path);
        QVERIFY(file);
        int n = 0;
        while (auto line = file->readLine()) {
            auto json = nlohmann::json::parse(line->constData(), line->constData() + line->size(), nullptr, false);
            QVERIFY(!json.is_discarded());
            QCOMPARE(json["n"].get<int>(), n);
            ++n;
        }
        QCOMPARE(n, 40000);
        QCOMPARE(file->position(), file->size());
    }

    void oneDocumentAsAStream()
    {
        const QString path = m_dir.filePath(QStringLiteral("doc.json.gz"));
        QByteArray doc = "[";
        for (int i = 0; i < 50000; ++i)
            doc += (i ? "," : "") + QByteArray::number(i);
        doc += "]";
        writeGzip(path, doc);
        auto file = InputFile::open(path);
        QVERIFY(file);
        auto json = nlohmann::json::parse(file->stream(), nullptr, false);
        QVERIFY(!json.is_discarded());
        QCOMPARE(json.size(), size_t(50000));
        QCOMPARE(json.back().get<int>(), 49999);
    }

    void truncatedGzipIsReportedNotSilentlyShort()
    {
        QByteArray content;
        for (int i = 0; i < 20000; ++i)
            content += "{\"n\":" + QByteArray::number(i) + "}\n";
        const QString whole = m_dir.filePath(QStringLiteral("whole.gz"));
        writeGzip(whole, content);
        QFile f(whole);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const QString cut = m_dir.filePath(QStringLiteral("cut.gz"));
        writePlain(cut, bytes.left(bytes.size() / 2));
        auto file = InputFile::open(cut);
        QVERIFY(file);
        while (file->readLine()) {
        }
        QVERIFY(file->failed());
        QVERIFY(!file->errorString().isEmpty());
    }

    void missingFileSaysSo()
    {
        auto file = InputFile::open(m_dir.filePath(QStringLiteral("nope.jsonl")));
        QVERIFY(!file);
        QVERIFY(file.error().message.contains(QStringLiteral("nope.jsonl")));
    }

    void bytesInMemory()
    {
        InputFile file = InputFile::fromBytes("a\nb", QStringLiteral("request body"));
        QCOMPARE(file.path(), QStringLiteral("request body"));
        QCOMPARE(*file.readLine(), QByteArray("a"));
        QCOMPARE(*file.readLine(), QByteArray("b"));
        QVERIFY(!file.readLine());
    }
};

QTEST_GUILESS_MAIN(TestInputFile)
#include "test_input_file.moc"
