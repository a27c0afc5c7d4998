// touchstone-cli drift end to end: a project filled with a prompt, a dataset and log records
// through the stores, then the built binary run as a user would.
#include "../cli/clirunner.h"
#include "../cli/fakeserverprocess.h"

#include "datasets/datasetstore.h"
#include "logs/logstore.h"
#include "prompts/promptstore.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace ts;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

const QList<QStringList> topics {
    {s("invoice"), s("refund"), s("charge"), s("payment"), s("card"), s("bill")},
    {s("package"), s("delivery"), s("tracking"), s("courier"), s("parcel"), s("address")},
    {s("password"), s("login"), s("email"), s("username"), s("reset"), s("locked")},
    {s("kubernetes"), s("pod"), s("helm"), s("ingress"), s("deployment"), s("container")},
};

QString question(int topic, std::mt19937 &rng)
{
    std::uniform_int_distribution<int> pick(0, 5);
    const QStringList filler {s("hello"), s("please"), s("help"), s("me"), s("with"), s("my")};
    QStringList w;
    for (int i = 0; i < 3; ++i)
        w.append(filler[pick(rng)]);
    for (int i = 0; i < 6; ++i)
        w.append(topics[topic][pick(rng)]);
    std::shuffle(w.begin(), w.end(), rng);
    return w.join(QLatin1Char(' '));
}

LogRecord logRecord(qint64 startMs, const QString &question, const QString &output)
{
    LogRecord r;
    r.startMs = startMs;
    r.endMs = startMs + 800;
    r.model = s("gpt-test");
    r.messages = {LogMessage {s("system"), s("You answer support questions."), {}, {}},
                  LogMessage {s("user"), question, {}, {}}};
    r.output = output;
    r.promptName = s("support");
    r.promptVersion = s("1");
    r.sourceFormat = s("otlp");
    return r;
}

} // namespace

class TestDriftCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;
    QList<qint64> m_plantedIds;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_file = m_dir.filePath(s("drift.touchstone"));
        auto project = Project::create(m_file);
        QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
        PromptStore prompts(project->db());
        auto prompt = prompts.createPrompt(s("support"));
        QVERIFY(prompt);
        PromptContent content;
        content.messages
            = {{s("system"), s("You answer support questions.")}, {s("user"), s("{{question}}")}};
        content.responseSchema
            = nlohmann::json::parse(R"({"type": "object", "required": ["answer"]})");
        QVERIFY(prompts.saveVersion(prompt->id, content, s("first"), s("test")));

        std::mt19937 rng(7);
        DatasetStore datasets(project->db());
        auto dataset = datasets.createDataset(s("tickets"));
        QVERIFY(dataset);
        QList<TestCaseData> cases;
        for (int i = 0; i < 150; ++i) {
            TestCaseData c;
            c.vars = {{"question", question(i % 3, rng).toStdString()}};
            c.expected = s("{\"answer\": \"case %1\"}").arg(i);
            cases.append(c);
        }
        QVERIFY(datasets.importCases(dataset->id, cases));

        LogStore logs(project->db());
        QList<LogRecord> records;
        // 2026-11-20 and 2026-11-21: like the dataset, JSON answers.
        const qint64 nov20 = 1795132800000; // 2026-11-20T00:00:00Z
        for (int i = 0; i < 300; ++i)
            records.append(logRecord(nov20 + (i < 150 ? 0 : 86400000) + i * 1000,
                                     question(i % 3, rng), s("{\"answer\": \"ok %1\"}").arg(i % 10)));
        // 2026-11-29 and 2026-11-30: a new topic (one in four), and plain-text answers.
        const qint64 nov29 = nov20 + 9 * 86400000LL;
        for (int i = 0; i < 240; ++i) {
            const bool planted = i % 4 == 3;
            records.append(logRecord(nov29 + (i < 120 ? 0 : 86400000) + i * 1000,
                                     question(planted ? 3 : i % 3, rng),
                                     i % 2 ? s("Sure, here is the answer %1.").arg(i)
                                           : s("{\"answer\": \"ok %1\"}").arg(i)));
        }
        auto added = logs.add(records);
        QVERIFY(added);
        QCOMPARE(added->added, 540);
        for (int i = 0; i < 240; ++i)
            if (i % 4 == 3)
                m_plantedIds.append(added->ids[300 + i]);
    }

    void datasetReferenceAgainstShiftedLogsAlerts()
    {
        const CliResult r = runCli(
            {s("drift"), m_file, s("--reference"), s("dataset:tickets@support@1"), s("--current"),
             s("logs:2026-11-29..2026-11-30"), s("--window"), s("day"), s("--json")});
        QVERIFY2(r.exitCode == 1, qPrintable(r.err));
        const nlohmann::json j = r.json();
        QVERIFY2(!j.is_discarded(), qPrintable(r.out));
        QCOMPARE(j["reference"]["n"].get<int>(), 150);
        QCOMPARE(j["current"]["n"].get<int>(), 240); // "2026-11-30" as TO includes that day
        QVERIFY(QString::fromStdString(j["representation"].get<std::string>())
                    .startsWith(s("tfidf-svd-")));
        const nlohmann::json &m = j["metrics"];
        QCOMPARE(m["output_json_rate_reference"].get<double>(), 1.0);
        QCOMPARE(m["output_json_rate_current"].get<double>(), 0.5);
        // The prompt version's schema requires "answer": every JSON answer here has one.
        QCOMPARE(m["output_schema_rate_reference"].get<double>(), 1.0);
        QCOMPARE(m["output_schema_rate_current"].get<double>(), 0.5);
        QVERIFY(m["domain_auc"].get<double>() > m["domain_auc_threshold"].get<double>());
        QCOMPARE(j["windows"].size(), size_t(2));
        QCOMPARE(j["windows"][0]["start"].get<std::string>(), "2026-11-29T00:00:00.000Z");
        QCOMPARE(j["windows"][0]["n"].get<int>(), 120);
        QCOMPARE(j["windows"][1]["n"].get<int>(), 120);

        bool newTopic = false;
        for (const auto &c : j["clusters"]) {
            if (!c["new_topic"].get<bool>())
                continue;
            newTopic = true;
            QVERIFY(c["drift_ratio"].get<double>() >= 0.8);
            for (const auto &id : c["examples"])
                QVERIFY2(m_plantedIds.contains(id.get<qint64>()),
                         "a new topic's examples are planted records");
            bool kube = false;
            for (const auto &w : c["words"])
                kube = kube || topics[3].contains(QString::fromStdString(w.get<std::string>()));
            QVERIFY(kube);
        }
        QVERIFY(newTopic);
        QVERIFY(topics[3].contains(
            QString::fromStdString(j["typical_words"]["current"][0]["word"].get<std::string>())));
        QStringList alertMetrics;
        for (const auto &a : j["alerts"])
            alertMetrics.append(QString::fromStdString(a["metric"].get<std::string>()));
        QVERIFY(alertMetrics.contains(s("new_topic")));
        QVERIFY(alertMetrics.contains(s("output_json_rate_current")));
        QVERIFY(alertMetrics.contains(s("domain_auc")));
    }

    void humanOutputIsATableWithBands()
    {
        const CliResult r
            = runCli({s("drift"), m_file, s("--reference"), s("dataset:tickets@support@1"),
                      s("--current"), s("logs:2026-11-29..")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.contains(s("Input length PSI")));
        QVERIFY(r.out.contains(s("JSON outputs")));
        QVERIFY(r.out.contains(s("100.0% -> 50.0%")));
        QVERIFY(r.out.contains(s("NEW TOPIC")));
        QVERIFY(r.out.contains(s("stable")) || r.out.contains(s("moderate"))
                || r.out.contains(s("major")));
        QVERIFY(r.out.contains(s("ALERT")));
    }

    void sameDistributionLogsHaveNoAlert()
    {
        const CliResult r
            = runCli({s("drift"), m_file, s("--reference"), s("logs:2026-11-20..2026-11-20"),
                      s("--current"), s("logs:2026-11-21T00:00:00Z..2026-11-22")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(r.out.contains(s("(150 records)")));
        QVERIFY(r.out.contains(s("No alerts.")));
    }

    void badInputIsAUsageError()
    {
        CliResult r = runCli({s("drift"), m_file, s("--reference"), s("logs:..2026-11-21"),
                              s("--current"), s("dataset:tickets@support")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(s("--current must be logs:FROM..TO")));
        r = runCli({s("drift"), m_file, s("--reference"), s("logs:yesterday.."), s("--current"),
                    s("logs:..")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(s("\"yesterday\"")));
        r = runCli({s("drift"), m_file, s("--reference"), s("dataset:nope@support"), s("--current"),
                    s("logs:..")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(s("nope")));
        r = runCli({s("drift"), m_file, s("--reference"), s("logs:..2026-11-21"), s("--current"),
                    s("logs:2027-01-01..")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(s("No log records")));
    }

    void embeddingModelVectorsAreCached()
    {
#ifdef TOUCHSTONE_FAKE_SERVER_PATH
        FakeServerProcess server;
        QVERIFY(!server.url().isEmpty());
        CliResult r
            = runCli({s("model"), s("add"), m_file, s("embedder"), s("--provider"), s("openai"),
                      s("--base-url"), server.url() + s("/v1"), s("--model"), s("fake-embed")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList args {s("drift"),         m_file,
                                s("--reference"),   s("logs:..2026-11-21"),
                                s("--current"),     s("logs:2026-11-29.."),
                                s("--embed-model"), s("embedder")};
        r = runCli(args);
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(r.err));
        QVERIFY2(r.err.contains(
                     s("Embedded 540 texts with openai:fake-embed (0 from the project's cache)")),
                 qPrintable(r.err));
        QVERIFY(r.out.contains(s("Representation: embedding:openai:fake-embed")));
        r = runCli(args);
        QVERIFY2(r.err.contains(s("(540 from the project's cache)")), qPrintable(r.err));
        r = runCli(args + QStringList {s("--json")});
        QCOMPARE(r.json()["representation"].get<std::string>(), "embedding:openai:fake-embed");
#else
        QSKIP("built without the fake server");
#endif
    }
};

QTEST_GUILESS_MAIN(TestDriftCli)
#include "test_drift_cli.moc"
