// `touchstone-cli collect` end to end: the built binary receives a request on a free port,
// stores it, and stops cleanly on Ctrl+C (SIGINT) or SIGTERM with a summary.

#include "otlptestspans.h"

#include "logs/logstore.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace ts;
using namespace otlptest;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

struct Finished
{
    int exitCode = -1;
    QString out;
    QString err;
};

Finished runToEnd(const QStringList &args)
{
    QProcess p;
    p.start(s(TOUCHSTONE_CLI_PATH), args);
    p.waitForStarted();
    if (!p.waitForFinished(30000))
        p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

/// Reads stdout until `pattern` matches; returns the match (empty on timeout).
QRegularExpressionMatch waitForOutput(QProcess &p, QString &seen, const QRegularExpression &pattern)
{
    QDeadlineTimer deadline(20000);
    for (;;) {
        const QRegularExpressionMatch m = pattern.match(seen);
        if (m.hasMatch() || deadline.hasExpired() || p.state() == QProcess::NotRunning)
            return m;
        p.waitForReadyRead(100);
        seen += QString::fromUtf8(p.readAllStandardOutput());
    }
}

} // namespace

class TestCollectCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_file = m_dir.filePath(s("collect.touchstone"));
        QVERIFY(Project::create(m_file));
    }

    void receivesStoresAndStopsOnSignal_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<bool>("protobuf");
        QTest::newRow("SIGINT, JSON") << int(SIGINT) << false;
        QTest::newRow("SIGTERM, protobuf") << int(SIGTERM) << true;
    }

    void receivesStoresAndStopsOnSignal()
    {
        QFETCH(int, signal);
        QFETCH(bool, protobuf);
        static quint64 next = 100;
        LlmCall call {traceId(next), spanId(next)};
        ++next;
        call.user = QStringLiteral("Is the store open on Sunday?");

        QProcess p;
        p.start(s(TOUCHSTONE_CLI_PATH), {s("collect"), m_file, s("--port"), s("0")});
        QVERIFY(p.waitForStarted());
        QString out;
        const QRegularExpressionMatch banner = waitForOutput(
            p, out,
            QRegularExpression(s(
                R"(Receiving OTLP/HTTP traces on http://127\.0\.0\.1:(\d+)/v1/traces \(and GenAI events on http://127\.0\.0\.1:\d+/v1/logs\) — Ctrl\+C to stop)")));
        QVERIFY2(banner.hasMatch(), qPrintable(out + QString::fromUtf8(p.readAllStandardError())));
        const int port = banner.captured(1).toInt();
        QVERIFY(port > 0);

        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(s("http://127.0.0.1:%1/v1/traces").arg(port)));
        QByteArray body;
        if (protobuf) {
            auto proto = protoRequest();
            addProtoLlmSpan(proto, call);
            addProtoHttpSpan(proto, call.traceId, spanId(999), "POST /chat");
            body = protoBody(proto);
            request.setRawHeader("Content-Type", "application/x-protobuf");
        } else {
            body = jsonBody(jsonRequest(json::array(
                {jsonLlmSpan(call), jsonHttpSpan(call.traceId, spanId(999), "POST /chat")})));
            request.setRawHeader("Content-Type", "application/json");
        }
        QNetworkReply *reply = nam.post(request, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();

        // One line for the batch.
        QVERIFY2(waitForOutput(
                     p, out, QRegularExpression(s(R"(\+1 record, 1 span that is not an LLM call)")))
                     .hasMatch(),
                 qPrintable(out));

        ::kill(pid_t(p.processId()), signal);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        out += QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(out.contains(s("Stopped. 1 record stored, 0 duplicates skipped, 1 span that is "
                                "not an LLM call, 0 rejected spans.")),
                 qPrintable(out));

        auto project = Project::open(m_file);
        QVERIFY(project);
        LogStore store(project->db());
        auto id = store.findBySpan(call.traceId, call.spanId);
        QVERIFY(id && *id);
        auto record = store.record(**id);
        QVERIFY(record);
        QCOMPARE(record->messages.value(0).content, std::optional<QString>(call.user));
        auto status = project->db().prepare(
            s("SELECT status, imported FROM log_imports ORDER BY id DESC LIMIT 1"));
        QVERIFY(status);
        QVERIFY(status->step().value_or(false));
        QCOMPARE(status->text(0), s("completed"));
        QCOMPARE(status->int64(1), 1);
    }

    void portInUseIsARuntimeError()
    {
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        const Finished r
            = runToEnd({s("collect"), m_file, s("--port"), QString::number(occupier.serverPort())});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(s("already in use")), qPrintable(r.err));
        QVERIFY2(r.err.contains(s("--port")), qPrintable(r.err));
        QVERIFY(!r.out.contains(s("Receiving")));
    }

    void badInputIsExit2()
    {
        const QString notAProject = m_dir.filePath(s("notes.txt"));
        QFile f(notAProject);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("these are notes, not a project\n");
        f.close();
        Finished r = runToEnd({s("collect"), notAProject, s("--port"), s("0")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!r.err.isEmpty());

        r = runToEnd({s("collect"), m_dir.filePath(s("missing.touchstone")), s("--port"), s("0")});
        QCOMPARE(r.exitCode, 2);

        r = runToEnd({s("collect"), m_file, s("--port"), s("70000")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(s("--port")), qPrintable(r.err));

        r = runToEnd({s("collect"), m_file, s("--host"), s("not an address"), s("--port"), s("0")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(s("not an IP address")), qPrintable(r.err));
    }

private:
    QTemporaryDir m_dir;
    QString m_file;
};

QTEST_GUILESS_MAIN(TestCollectCli)
#include "test_collect_cli.moc"
