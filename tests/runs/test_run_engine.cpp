#include "fakellmserver.h"
#include "models/modelstore.h"
#include "net/networkclient.h"
#include "runs/generationwriter.h"
#include "runs/runengine.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;
using ts::test::FakeLlmServer;
using ts::test::FakeServerConfig;

class TestRunEngine final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<FakeLlmServer> m_server;
    std::unique_ptr<NetworkClient> m_network;
    std::unique_ptr<GenerationWriter> m_writer;
    std::unique_ptr<RunEngine> m_engine;
    qint64 m_runId = 0;

    ModelConfig model(ProviderKind kind, const QString &modelId) const
    {
        ModelConfig m;
        m.name = providerKindName(kind) + QLatin1Char('-') + modelId;
        m.provider = kind;
        m.modelId = modelId;
        m.baseUrl = kind == ProviderKind::OpenAI ? m_server->baseUrl() + QStringLiteral("/v1")
                                                 : m_server->baseUrl();
        m.priceInputPerMTok = 1.0;
        m.priceOutputPerMTok = 2.0;
        m.maxConcurrency = 8;
        return m;
    }

    GenerationSpec spec(const ModelConfig &m, const QString &question, int sample = 0) const
    {
        GenerationSpec s;
        s.model = m;
        s.messages = {{QStringLiteral("system"), QStringLiteral("Answer briefly.")},
                      {QStringLiteral("user"), question}};
        s.runId = m_runId;
        s.sampleIndex = sample;
        s.variables = {{"question", question.toStdString()}};
        return s;
    }

    Generation runToEnd(const GenerationSpec &s, int timeoutMs = 20000)
    {
        GenerationJob *job = m_engine->start(s);
        QSignalSpy finished(job, &GenerationJob::finished);
        if (!finished.wait(timeoutMs))
            qFatal("generation did not finish");
        return finished.first().first().value<Generation>();
    }

    void flush()
    {
        bool done = false;
        m_writer->flush(this, [&](Result<void>) { done = true; });
        QTRY_VERIFY(done);
    }

    qint64 count(const char *sql)
    {
        auto db = Database::open(m_path, Database::Access::ReadOnly);
        return db->queryInt(QString::fromUtf8(sql)).value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ts::Generation>();
        m_path = m_dir.filePath(QStringLiteral("runs.touchstone"));
        QVERIFY(Project::create(m_path));
        m_server = std::make_unique<FakeLlmServer>();
        QVERIFY(m_server->listen());
        m_network = std::make_unique<NetworkClient>();
        m_writer = std::make_unique<GenerationWriter>(m_path);
        m_engine = std::make_unique<RunEngine>(m_writer.get(), m_network.get());
        RunRecord run;
        run.kind = QStringLiteral("playground");
        bool done = false;
        m_writer->createRun(run, this, [&](Result<qint64> id) {
            QVERIFY(id);
            m_runId = *id;
            done = true;
        });
        QTRY_VERIFY(done);
    }

    void cleanup()
    {
        FakeServerConfig config;
        m_server->setConfig(config);
        m_server->reset();
    }

    void eachProviderEndToEnd_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("stream");
        for (ProviderKind k : {ProviderKind::OpenAI, ProviderKind::Anthropic, ProviderKind::Gemini, ProviderKind::Ollama}) {
            QTest::newRow(qPrintable(providerKindName(k) + QStringLiteral(" stream"))) << int(k) << true;
            QTest::newRow(qPrintable(providerKindName(k) + QStringLiteral(" whole"))) << int(k) << false;
        }
    }

    void eachProviderEndToEnd()
    {
        QFETCH(int, kind);
        QFETCH(bool, stream);
        GenerationSpec s = spec(model(ProviderKind(kind), QStringLiteral("fake-small")),
                                QStringLiteral("Why is the sky blue %1 %2").arg(kind).arg(stream));
        s.stream = stream;
        s.useCache = false;
        QList<QString> deltas;
        GenerationJob *job = m_engine->start(s);
        connect(job, &GenerationJob::progress, this, [&](const QString &t, const QString &) { deltas << t; });
        QSignalSpy finished(job, &GenerationJob::finished);
        QVERIFY(finished.wait(20000));
        const Generation g = finished.first().first().value<Generation>();
        QVERIFY2(g.ok(), qPrintable(g.error ? g.error->message : QString()));
        QVERIFY(!g.output.isEmpty());
        QCOMPARE(deltas.join(QString()), g.output);
        QCOMPARE(g.finish, FinishReason::Stop);
        QVERIFY(g.inputTokens.value_or(0) > 0);
        QCOMPARE(g.outputTokens.value_or(0), 16);
        QVERIFY(g.ttftMs.has_value());
        QVERIFY(g.latencyMs.value_or(-1) >= g.ttftMs.value_or(0));
        QVERIFY(g.cost.value_or(0) > 0);
        QVERIFY(g.request["provider"] == providerKindName(ProviderKind(kind)).toStdString());
        QVERIFY(!g.cacheHit);
    }

    void generationsArePersistedWithTheirFields()
    {
        const Generation g = runToEnd(spec(model(ProviderKind::OpenAI, QStringLiteral("fake-large")),
                                           QStringLiteral("persist me")));
        QVERIFY(g.ok());
        flush();
        auto db = Database::open(m_path, Database::Access::ReadOnly);
        auto stmt = db->prepare(QStringLiteral("SELECT output, status, input_tokens, output_tokens, cost, "
                                               "ttft_ms, latency_ms, run_id, request, variables FROM generations "
                                               "WHERE variables LIKE '%persist me%'"));
        QVERIFY(stmt && stmt->step().value());
        QCOMPARE(stmt->text(0), g.output);
        QCOMPARE(stmt->text(1), QStringLiteral("ok"));
        QCOMPARE(stmt->int64(3), 16);
        QVERIFY(stmt->real(4) > 0);
        QCOMPARE(stmt->int64(7), m_runId);
        QVERIFY(stmt->text(8).contains(QStringLiteral("persist me")));
    }

    void cacheAnswersIdenticalRequests()
    {
        const ModelConfig m = model(ProviderKind::Anthropic, QStringLiteral("fake-small"));
        const Generation first = runToEnd(spec(m, QStringLiteral("cache question")));
        QVERIFY(first.ok() && !first.cacheHit);
        const int requestsBefore = m_server->requestCount();
        const Generation second = runToEnd(spec(m, QStringLiteral("cache question")));
        QVERIFY(second.cacheHit);
        QCOMPARE(second.output, first.output);
        QCOMPARE(second.cost.value_or(-1), 0.0);
        QCOMPARE(m_server->requestCount(), requestsBefore);
        // Another sample index or a bypass goes to the model.
        const Generation other = runToEnd(spec(m, QStringLiteral("cache question"), 1));
        QVERIFY(!other.cacheHit);
        GenerationSpec fresh = spec(m, QStringLiteral("cache question"));
        fresh.useCache = false;
        QVERIFY(!runToEnd(fresh).cacheHit);
        QCOMPARE(m_server->requestCount(), requestsBefore + 2);
        flush();
        QVERIFY(count("SELECT count(*) FROM generations WHERE cache_hit = 1") >= 1);
    }

    void cancelKeepsPartialTextMarkedCancelled()
    {
        GenerationSpec s = spec(model(ProviderKind::OpenAI, QStringLiteral("fake-small+fault=trickle,trickle-ms=100,tokens=40")),
                                QStringLiteral("slow one"));
        s.useCache = false;
        GenerationJob *job = m_engine->start(s);
        QSignalSpy progress(job, &GenerationJob::progress);
        QSignalSpy finished(job, &GenerationJob::finished);
        QVERIFY(progress.wait(10000));
        job->cancel();
        QVERIFY(finished.count() == 1 || finished.wait(1000)); // promptly
        const Generation g = finished.first().first().value<Generation>();
        QCOMPARE(g.status, GenerationStatus::Cancelled);
        QVERIFY(!g.output.isEmpty());
        QVERIFY(g.output.split(QLatin1Char(' ')).size() < 40);
        flush();
        QVERIFY(count("SELECT count(*) FROM generations WHERE status = 'cancelled' AND output <> ''") >= 1);
    }

    void errorsAreSpecific_data()
    {
        QTest::addColumn<QString>("modelId");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("401") << QStringLiteral("fake-small+fault=401") << int(ErrorCode::Auth) << QStringLiteral("API key rejected");
        QTest::newRow("404") << QStringLiteral("fake-small+fault=404") << int(ErrorCode::ModelNotFound) << QStringLiteral("Model not found");
        QTest::newRow("quota") << QStringLiteral("fake-small+fault=quota") << int(ErrorCode::QuotaExceeded) << QStringLiteral("Quota");
        QTest::newRow("400") << QStringLiteral("fake-small+fault=400") << int(ErrorCode::InvalidArgument) << QStringLiteral("Request rejected");
    }

    void errorsAreSpecific()
    {
        QFETCH(QString, modelId);
        QFETCH(int, code);
        QFETCH(QString, phrase);
        GenerationSpec s = spec(model(ProviderKind::OpenAI, modelId), QStringLiteral("err"));
        GenerationJob *job = m_engine->start(s);
        QSignalSpy retrying(job, &GenerationJob::retrying);
        QSignalSpy finished(job, &GenerationJob::finished);
        QVERIFY(finished.wait(20000));
        const Generation g = finished.first().first().value<Generation>();
        QCOMPARE(g.status, GenerationStatus::Error);
        QVERIFY(g.error);
        QCOMPARE(int(g.error->code), code);
        QVERIFY2(g.error->message.contains(phrase), qPrintable(g.error->message));
        QCOMPARE(retrying.count(), 0); // none of these is worth retrying
        QCOMPARE(m_server->requestCount(), 1);
    }

    void rateLimitIsRetriedThenSucceeds()
    {
        GenerationSpec s = spec(model(ProviderKind::OpenAI, QStringLiteral("fake-small+fault=429,retry-after-ms=50,times=2")),
                                QStringLiteral("retry me"));
        GenerationJob *job = m_engine->start(s);
        QSignalSpy retrying(job, &GenerationJob::retrying);
        QSignalSpy finished(job, &GenerationJob::finished);
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.first().first().value<Generation>().ok());
        QCOMPARE(retrying.count(), 2);
        QCOMPARE(retrying.first().at(1).toInt(), 50); // the server's retry-after-ms
    }

    void overloadMidStreamBeforeTextIsRetried()
    {
        GenerationSpec s = spec(model(ProviderKind::Anthropic, QStringLiteral("fake-small+fault=stream-error,after=0,times=1")),
                                QStringLiteral("overloaded"));
        GenerationJob *job = m_engine->start(s);
        QSignalSpy retrying(job, &GenerationJob::retrying);
        QSignalSpy finished(job, &GenerationJob::finished);
        QVERIFY(finished.wait(20000));
        const Generation g = finished.first().first().value<Generation>();
        QVERIFY2(g.ok(), qPrintable(g.error ? g.error->message : QString()));
        QCOMPARE(retrying.count(), 1);
        QVERIFY(retrying.first().at(2).toString().contains(QStringLiteral("overloaded")));
    }

    void droppedStreamKeepsTextMarkedIncomplete()
    {
        GenerationSpec s = spec(model(ProviderKind::OpenAI, QStringLiteral("fake-small+fault=drop,after=3")),
                                QStringLiteral("drop me"));
        const Generation g = runToEnd(s);
        QCOMPARE(g.status, GenerationStatus::Incomplete);
        QVERIFY(!g.output.isEmpty());
        QVERIFY(g.error);
        QVERIFY(g.cacheKey.isEmpty());
    }

    void concurrencyLimitPerModel()
    {
        ModelConfig m = model(ProviderKind::OpenAI, QStringLiteral("fake-small+latency-ms=150"));
        m.maxConcurrency = 2;
        QList<GenerationJob *> jobs;
        int done = 0;
        for (int i = 0; i < 6; ++i) {
            GenerationSpec s = spec(m, QStringLiteral("parallel %1").arg(i));
            s.useCache = false;
            GenerationJob *job = m_engine->start(s);
            connect(job, &GenerationJob::finished, this, [&] { ++done; });
            jobs << job;
        }
        QTRY_COMPARE_WITH_TIMEOUT(done, 6, 20000);
        QCOMPARE(m_server->maxConcurrency(), 2);
    }

    void apiKeyIsSentButNeverStored()
    {
        const QByteArray secret = "sk-test-SECRET-4242-never-store";
        qputenv("TS_TEST_KEY", secret);
        FakeServerConfig config;
        config.expectedKey = secret;
        m_server->setConfig(config);
        for (ProviderKind k : {ProviderKind::OpenAI, ProviderKind::Anthropic, ProviderKind::Gemini}) {
            ModelConfig m = model(k, QStringLiteral("fake-small"));
            m.keyRef = QStringLiteral("env:TS_TEST_KEY");
            GenerationSpec s = spec(m, QStringLiteral("keyed"));
            s.useCache = false;
            const Generation g = runToEnd(s);
            QVERIFY2(g.ok(), qPrintable(g.error ? g.error->message : QString()));
            // And a wrong key is rejected by the server with a clear message.
        }
        qputenv("TS_TEST_KEY", "wrong");
        ModelConfig m = model(ProviderKind::OpenAI, QStringLiteral("fake-small"));
        m.keyRef = QStringLiteral("env:TS_TEST_KEY");
        GenerationSpec s = spec(m, QStringLiteral("keyed wrong"));
        s.useCache = false;
        // The writer caches resolved keys per reference, so use a new reference name.
        qputenv("TS_TEST_KEY2", "wrong");
        s.model.keyRef = QStringLiteral("env:TS_TEST_KEY2");
        const Generation bad = runToEnd(s);
        QCOMPARE(bad.status, GenerationStatus::Error);
        QVERIFY(bad.error->message.contains(QStringLiteral("API key rejected")));

        {
            auto project = Project::open(m_path);
            QVERIFY(project);
            ModelStore store(project->db());
            ModelConfig stored = m;
            stored.name = QStringLiteral("keyed model");
            stored.keyRef = QStringLiteral("env:TS_TEST_KEY");
            QVERIFY(store.add(stored));
            stored.name = QStringLiteral("bad");
            stored.keyRef = QString::fromLatin1(secret); // a key pasted where a reference belongs
            QVERIFY(!store.add(stored));
        }
        flush();
        for (const QString &file : QStringList{m_path, m_path + QStringLiteral("-wal")}) {
            QFile f(file);
            if (!f.open(QIODevice::ReadOnly))
                continue;
            QVERIFY2(!f.readAll().contains(secret), qPrintable(file));
        }
    }

    void missingKeyIsExplained()
    {
        ModelConfig m = model(ProviderKind::OpenAI, QStringLiteral("fake-small"));
        m.keyRef = QStringLiteral("env:TS_DEFINITELY_UNSET_KEY");
        const Generation g = runToEnd(spec(m, QStringLiteral("no key")));
        QCOMPARE(g.status, GenerationStatus::Error);
        QCOMPARE(g.error->code, ErrorCode::Auth);
        QVERIFY(g.error->message.contains(QStringLiteral("TS_DEFINITELY_UNSET_KEY is not set")));
        QCOMPARE(m_server->requestCount(), 0);
    }

    void unreachableHostIsExplained()
    {
        ModelConfig m = model(ProviderKind::Ollama, QStringLiteral("fake-small"));
        m.baseUrl = QStringLiteral("http://127.0.0.1:9");
        GenerationSpec s = spec(m, QStringLiteral("nobody home"));
        s.useCache = false;
        const Generation g = runToEnd(s, 60000);
        QCOMPARE(g.status, GenerationStatus::Error);
        QCOMPARE(g.error->code, ErrorCode::Network);
        QVERIFY2(g.error->message.contains(QStringLiteral("127.0.0.1:9")), qPrintable(g.error->message));
    }
};

QTEST_GUILESS_MAIN(TestRunEngine)
#include "test_run_engine.moc"
