#include "clirunner.h"
#include "fakeserverprocess.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestCliModels final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;
    std::unique_ptr<FakeServerProcess> m_server;

    QStringList complete(const QString &provider, const QString &baseUrl, const QString &model,
                         const QStringList &extra = {})
    {
        return QStringList{QStringLiteral("complete"), QStringLiteral("--provider"), provider,
                           QStringLiteral("--base-url"), baseUrl, QStringLiteral("--model"), model,
                           QStringLiteral("--system"), QStringLiteral("Be brief."),
                           QStringLiteral("--message"), QStringLiteral("Tell me about bicycles")}
               + extra;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<FakeServerProcess>();
        QVERIFY(!m_server->url().isEmpty());
        m_file = m_dir.filePath(QStringLiteral("models.touchstone"));
        QCOMPARE(runCli({QStringLiteral("init"), m_file, QStringLiteral("--demo")}).exitCode, 0);
    }

    void completePrintsOneJsonObjectPerProvider_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<bool>("stream");
        for (const char *p : {"openai", "anthropic", "gemini", "ollama"}) {
            const QString suffix = QLatin1String(p) == QLatin1String("openai") ? QStringLiteral("/v1") : QString();
            QTest::newRow(QByteArray(QByteArray(p) + " stream").constData()) << QString::fromLatin1(p) << suffix << true;
            QTest::newRow(QByteArray(QByteArray(p) + " whole").constData()) << QString::fromLatin1(p) << suffix << false;
        }
    }

    void completePrintsOneJsonObjectPerProvider()
    {
        QFETCH(QString, provider);
        QFETCH(QString, suffix);
        QFETCH(bool, stream);
        const CliResult r = runCli(complete(provider, m_server->url() + suffix, QStringLiteral("fake-small"),
                                            {stream ? QStringLiteral("--stream") : QStringLiteral("--no-stream")}));
        QCOMPARE(r.exitCode, 0);
        const auto json = r.json();
        QVERIFY2(json.is_object(), qPrintable(r.out));
        QVERIFY(json["text"].get<std::string>().find("bicycles") != std::string::npos);
        QVERIFY(json["error"].is_null());
        QVERIFY(json["input_tokens"].get<int>() > 0);
        QVERIFY(json["output_tokens"].get<int>() > 0);
        QVERIFY(json.contains("finish_reason") && json.contains("reasoning") && json.contains("tool_calls"));
        QVERIFY(json["ttft_ms"].is_number() && json["latency_ms"].is_number());
    }

    void completeFailureStillPrintsJson()
    {
        const CliResult r = runCli(complete(QStringLiteral("openai"), m_server->url() + QStringLiteral("/v1"),
                                            QStringLiteral("fake-small+fault=401")));
        QCOMPARE(r.exitCode, 1);
        const auto json = r.json();
        QVERIFY(json["error"]["type"] == "auth");
        QVERIFY(json["error"]["status"] == 401);
        QVERIFY(json["error"]["message"].get<std::string>().find("API key rejected") != std::string::npos);

        const CliResult missingKey = runCli(complete(QStringLiteral("openai"), m_server->url() + QStringLiteral("/v1"),
                                                     QStringLiteral("fake-small"),
                                                     {QStringLiteral("--api-key-env"), QStringLiteral("TS_NO_SUCH_VAR_X")}));
        QCOMPARE(missingKey.exitCode, 1);
        QVERIFY(missingKey.json()["error"]["message"].get<std::string>().find("TS_NO_SUCH_VAR_X") != std::string::npos);

        QCOMPARE(runCli({QStringLiteral("complete"), QStringLiteral("--provider"), QStringLiteral("cohere"),
                         QStringLiteral("--model"), QStringLiteral("x"), QStringLiteral("--message"), QStringLiteral("hi")}).exitCode, 2);
    }

    void modelAddListTestRemove()
    {
        CliResult r = runCli({QStringLiteral("model"), QStringLiteral("add"), m_file, QStringLiteral("local"),
                              QStringLiteral("--provider"), QStringLiteral("ollama"), QStringLiteral("--base-url"), m_server->url(),
                              QStringLiteral("--model"), QStringLiteral("fake-small"), QStringLiteral("--price-in"), QStringLiteral("1"),
                              QStringLiteral("--price-out"), QStringLiteral("2"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.json()["provider"] == "ollama");
        r = runCli({QStringLiteral("model"), QStringLiteral("add"), m_file, QStringLiteral("compat"),
                    QStringLiteral("--preset"), QStringLiteral("custom"), QStringLiteral("--base-url"), m_server->url() + QStringLiteral("/v1"),
                    QStringLiteral("--model"), QStringLiteral("fake-large")});
        QCOMPARE(r.exitCode, 0);
        r = runCli({QStringLiteral("model"), QStringLiteral("list"), m_file, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.json().size() >= 6); // four demo presets and ours
        r = runCli({QStringLiteral("model"), QStringLiteral("test"), m_file, QStringLiteral("local")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("OK: local")));
        // The demo's OpenAI preset names an environment variable that is not set here.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("OPENAI_API_KEY"));
        r = runCli({QStringLiteral("model"), QStringLiteral("test"), m_file, QStringLiteral("GPT-4o mini")}, {}, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("OPENAI_API_KEY is not set")), qPrintable(r.err));
        r = runCli({QStringLiteral("model"), QStringLiteral("add"), m_file, QStringLiteral("bad"),
                    QStringLiteral("--preset"), QStringLiteral("openai"), QStringLiteral("--base-url"), QStringLiteral("ftp://x")});
        QCOMPARE(r.exitCode, 2);
        r = runCli({QStringLiteral("models"), m_file, QStringLiteral("--remote"), QStringLiteral("--model"), QStringLiteral("compat"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.json()[0]["available"].size() >= 2);
        QCOMPARE(runCli({QStringLiteral("model"), QStringLiteral("remove"), m_file, QStringLiteral("compat")}).exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("model"), QStringLiteral("remove"), m_file, QStringLiteral("compat")}).exitCode, 2);
    }

    void runStoresGenerationsAndUsesTheCache()
    {
        runCli({QStringLiteral("model"), QStringLiteral("add"), m_file, QStringLiteral("runner"),
                QStringLiteral("--provider"), QStringLiteral("anthropic"), QStringLiteral("--base-url"), m_server->url(),
                QStringLiteral("--model"), QStringLiteral("fake-small")});
        const QStringList args = {QStringLiteral("run"), m_file, QStringLiteral("--prompt"), QStringLiteral("support-reply@production"),
                                  QStringLiteral("--model"), QStringLiteral("runner"), QStringLiteral("--var"), QStringLiteral("shop=Spoke"),
                                  QStringLiteral("--var"), QStringLiteral("message=Where is my order?"),
                                  QStringLiteral("--samples"), QStringLiteral("2"), QStringLiteral("--json")};
        CliResult r = runCli(args);
        QCOMPARE(r.exitCode, 0);
        QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        auto first = nlohmann::json::parse(lines[0].toStdString());
        QVERIFY(first["text"].get<std::string>().find("Where is my order?") != std::string::npos);
        QVERIFY(first["version"] == 2);
        QVERIFY(first["cached"] == false);
        r = runCli(args);
        lines = r.out.trimmed().split(QLatin1Char('\n'));
        QVERIFY(nlohmann::json::parse(lines[0].toStdString())["cached"] == true);
        // A missing variable renders empty; a bad reference is bad input.
        QCOMPARE(runCli({QStringLiteral("run"), m_file, QStringLiteral("--prompt"), QStringLiteral("nope"),
                         QStringLiteral("--model"), QStringLiteral("runner")}).exitCode, 2);
        r = runCli({QStringLiteral("prompt"), QStringLiteral("history"), m_file, QStringLiteral("support-reply"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
    }

    void judgesAreAddedAndListed()
    {
        runCli({QStringLiteral("model"), QStringLiteral("add"), m_file, QStringLiteral("judge-model"),
                QStringLiteral("--provider"), QStringLiteral("openai"), QStringLiteral("--base-url"), m_server->url() + QStringLiteral("/v1"),
                QStringLiteral("--model"), QStringLiteral("fake-small")});
        CliResult r = runCli({QStringLiteral("judge"), QStringLiteral("add"), m_file, QStringLiteral("tone"),
                              QStringLiteral("--model"), QStringLiteral("judge-model"), QStringLiteral("--rubric"),
                              QStringLiteral("Friendly and concise"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.json()["kind"] == "pointwise");
        // Its prompt is an ordinary versioned prompt.
        r = runCli({QStringLiteral("prompt"), QStringLiteral("show"), m_file, QStringLiteral("tone-judge")});
        QCOMPARE(r.exitCode, 0);
        r = runCli({QStringLiteral("judge"), QStringLiteral("list"), m_file, QStringLiteral("--json")});
        QVERIFY(r.json().size() == 1 && r.json()[0]["name"] == "tone");
        QCOMPARE(runCli({QStringLiteral("judge"), QStringLiteral("add"), m_file, QStringLiteral("x"),
                         QStringLiteral("--kind"), QStringLiteral("vibes"), QStringLiteral("--model"), QStringLiteral("judge-model")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("judge"), QStringLiteral("add"), m_file, QStringLiteral("x"),
                         QStringLiteral("--model"), QStringLiteral("no-such-model")}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliModels)
#include "test_cli_models.moc"
