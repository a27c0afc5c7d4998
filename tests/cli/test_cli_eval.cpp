#include "clirunner.h"
#include "fakellmserver.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QXmlStreamReader>

#include <sqlite3.h>

#include <csignal>

// nlohmann::json values do not go through QCOMPARE's toString machinery.
#define JCOMPARE(actual, expected) QVERIFY2((actual) == (expected), (actual).dump().c_str())

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

} // namespace

class TestCliEval final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;
    ts::test::FakeLlmServer m_server;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString write(const QString &name, const QByteArray &content) const
    {
        QFile f(path(name));
        f.open(QIODevice::WriteOnly);
        f.write(content);
        return f.fileName();
    }

    /// Reads one integer with a private read-only connection (the CLI may be writing).
    qint64 query(const char *sql) const
    {
        sqlite3 *db = nullptr;
        qint64 value = -1;
        if (sqlite3_open_v2(m_file.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr)
            == SQLITE_OK) {
            sqlite3_busy_timeout(db, 2000);
            sqlite3_stmt *stmt = nullptr;
            if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK
                && sqlite3_step(stmt) == SQLITE_ROW)
                value = sqlite3_column_int64(stmt, 0);
            sqlite3_finalize(stmt);
        }
        sqlite3_close(db);
        return value;
    }

    CliResult eval(const QStringList &extra)
    {
        return runCli(QStringList {s("eval"), m_file, s("--dataset"), s("qa"), s("--model"),
                                   s("small"), s("--quiet")}
                      + extra);
    }

    QByteArray questionsCsv(int n, const char *prefix) const
    {
        QByteArray csv = "question,__description\n";
        for (int i = 1; i <= n; ++i)
            csv += QByteArray(prefix) + ' ' + QByteArray::number(i) + ",case "
                + QByteArray::number(i) + '\n';
        return csv;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.listen());
        m_file = path(s("eval.touchstone"));
        QCOMPARE(runCli({s("init"), m_file}).exitCode, 0);
        QCOMPARE(runCli({s("prompt"), s("add"), m_file, s("qa"), s("--user"),
                         s("Question: {{question}}")})
                     .exitCode,
                 0);
        QCOMPARE(runCli({s("prompt"), s("add"), m_file, s("qa"), s("--user"),
                         s("Answer this: {{question}}")})
                     .exitCode,
                 0);
        QCOMPARE(runCli({s("prompt"), s("add"), m_file, s("qa"), s("--user"),
                         s("Question: {{question}} please")})
                     .exitCode,
                 0);
        QCOMPARE(runCli({s("prompt"), s("label"), m_file, s("qa@1"), s("production")}).exitCode, 0);
        const CliResult m = runCli({s("model"), s("add"), m_file, s("small"), s("--provider"),
                                    s("openai"), s("--base-url"), m_server.baseUrl() + s("/v1"),
                                    s("--model"), s("fake-small"), s("--concurrency"), s("8")});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        CliResult r = runCli({s("dataset"), s("import"), m_file, s("--dataset"), s("qa"),
                              s("--create"), write(s("qa.csv"), questionsCsv(12, "What is item"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(s("Imported 12 cases")));
        // The fake server echoes the prompt: "Question:" appears for qa@1 and qa@3 only.
        r = runCli({s("dataset"), s("assert"), m_file, s("--dataset"), s("qa"), s("--type"),
                    s("contains"), s("--value"), s("Question:")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void usageAndInputErrors()
    {
        QCOMPARE(runCli({s("eval"), m_file, s("--dataset"), s("qa")}).exitCode, 2);
        QCOMPARE(eval({s("--prompt"), s("qa@1"), s("--fail-under"), s("lots")}).exitCode, 2);
        QCOMPARE(eval({s("--prompt"), s("nope")}).exitCode, 2);
        QCOMPARE(runCli({s("eval"), m_file, s("--dataset"), s("missing"), s("--model"), s("small"),
                         s("--prompt"), s("qa")})
                     .exitCode,
                 2);
        CliResult r = runCli({s("dataset"), s("assert"), m_file, s("--dataset"), s("qa"),
                              s("--type"), s("regex"), s("--value"), s("(unclosed")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(s("regex")), qPrintable(r.err));
        // A broken file imports nothing, not even the good rows before the error.
        r = runCli({s("dataset"), s("import"), m_file, s("--dataset"), s("qa"),
                    write(s("broken.csv"), "question\nfine row\n\"unterminated\n")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(s("broken.csv:3")), qPrintable(r.err));
        r = runCli({s("dataset"), s("list"), m_file, s("--json")});
        JCOMPARE(r.json()[0]["cases"], 12);
        JCOMPARE(r.json()[0]["assertions"], 1);
        r = runCli({s("dataset"), s("import"), m_file, s("--dataset"), s("elsewhere"),
                    write(s("ok.csv"), "q\n1\n")});
        QCOMPARE(r.exitCode, 2); // no --create
    }

    void passingEvalWritesJsonAndJunit()
    {
        const QString json = path(s("pass.json"));
        const QString junit = path(s("pass.xml"));
        const CliResult r = eval({s("--prompt"), s("qa@1"), s("--json"), json, s("--junit"), junit,
                                  s("--fail-under"), s("90%")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(s("qa@1 · small  12/12 100.0%")), qPrintable(r.out));
        QVERIFY(r.out.contains(s("[75.8, 100.0]"))); // Wilson 95% for 12/12

        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto report = nlohmann::json::parse(f.readAll().toStdString());
        QCOMPARE(report["results"].size(), 12u);
        const auto &first = report["results"][0];
        JCOMPARE(first["prompt"], "qa");
        JCOMPARE(first["prompt_version"], 1);
        JCOMPARE(first["model"], "small");
        JCOMPARE(first["description"], "case 1");
        JCOMPARE(first["vars"]["question"], "What is item 1");
        JCOMPARE(first["sample_index"], 0);
        JCOMPARE(first["pass"], true);
        JCOMPARE(first["assertions"][0]["type"], "contains");
        JCOMPARE(first["assertions"][0]["value"], "Question:");
        JCOMPARE(first["assertions"][0]["pass"], true);
        QVERIFY(first["output"].get<std::string>().rfind("Echo: Question: What is item 1", 0) == 0);
        JCOMPARE(report["summary"]["variants"][0]["pass_rate"]["passes"], 12);

        QFile x(junit);
        QVERIFY(x.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&x);
        int testcases = 0, failures = 0;
        QString suiteTests;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == QLatin1String("testsuite"))
                suiteTests = xml.attributes().value(QLatin1String("tests")).toString();
            testcases += xml.name() == QLatin1String("testcase") ? 1 : 0;
            failures += xml.name() == QLatin1String("failure") ? 1 : 0;
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(suiteTests, s("12"));
        QCOMPARE(testcases, 12);
        QCOMPARE(failures, 0);
    }

    void failUnderAndJunitFailures()
    {
        const QString junit = path(s("fail.xml"));
        CliResult r = eval({s("--prompt"), s("qa@2"), s("--junit"), junit});
        QCOMPARE(r.exitCode, 0); // failures alone do not fail the command without a gate
        r = eval({s("--prompt"), s("qa@2"), s("--junit"), junit, s("--fail-under"), s("0.5")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(s("under the required 50.0%")), qPrintable(r.err));
        QFile x(junit);
        QVERIFY(x.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&x);
        QStringList messages;
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement
                && xml.name() == QLatin1String("failure"))
                messages << xml.attributes().value(QLatin1String("message")).toString();
        QCOMPARE(messages.size(), 12);
        QVERIFY2(messages.first().contains(s("Question:")), qPrintable(messages.first()));
    }

    void baselineGate()
    {
        CliResult r = eval({s("--prompt"), s("qa@2"), s("--baseline"), s("qa@production")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(s("qa@2 · small vs qa@1 · small: Candidate is worse")),
                 qPrintable(r.out));
        QVERIFY2(r.err.contains(s("significantly worse than the baseline")), qPrintable(r.err));
        r = eval({s("--prompt"), s("qa@3"), s("--baseline"), s("qa@production")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(s("qa@3 · small vs qa@1 · small: No significant difference")),
                 qPrintable(r.out));
    }

    void killedEvalResumesWithoutRepeatingCalls()
    {
        QCOMPARE(runCli({s("dataset"), s("import"), m_file, s("--dataset"), s("slow"),
                         s("--create"), write(s("slow.csv"), questionsCsv(16, "Slow question"))})
                     .exitCode,
                 0);
        ts::test::FakeServerConfig slow;
        slow.latencyMs = 250;
        m_server.setConfig(slow);
        m_server.reset();
        const QStringList args {s("eval"),          m_file,     s("--dataset"), s("slow"),
                                s("--model"),       s("small"), s("--prompt"),  s("qa@1"),
                                s("--concurrency"), s("2"),     s("--no-cache")};
        const char *okCount
            = "SELECT count(*) FROM generations WHERE status = 'ok' AND run_id IN "
              "(SELECT run_id FROM eval_variants ev JOIN evals e ON e.id = ev.eval_id "
              "WHERE e.dataset_id = (SELECT id FROM datasets WHERE name = 'slow'))";
        QProcess p;
        p.start(s(TOUCHSTONE_CLI_PATH), args);
        QVERIFY(p.waitForStarted());
        QDeadlineTimer deadline(30000);
        while (query(okCount) < 4 && !deadline.hasExpired())
            QThread::msleep(20);
        p.kill(); // SIGKILL: no chance to clean up
        QVERIFY(p.waitForFinished(10000));
        const qint64 done = query(okCount);
        QVERIFY2(done >= 4 && done < 16, qPrintable(QString::number(done)));

        m_server.reset();
        m_server.setConfig({});
        const CliResult r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(
            r.err.contains(QStringLiteral("Resuming: %1 of 16 calls were already done").arg(done)),
            qPrintable(r.err));
        QCOMPARE(m_server.requestCount(), 16 - int(done));
        QCOMPARE(query(okCount), 16);
        QCOMPARE(
            query(
                "SELECT count(*) FROM (SELECT run_id, test_case_id, sample_index FROM generations "
                "WHERE status = 'ok' GROUP BY 1, 2, 3 HAVING count(*) > 1)"),
            0);
        QVERIFY(r.out.contains(s("16/16 100.0%")));
    }

    void ctrlCCancelsCleanlyAndResumes()
    {
        QCOMPARE(runCli({s("dataset"), s("import"), m_file, s("--dataset"), s("interrupted"),
                         s("--create"),
                         write(s("interrupted.csv"), questionsCsv(12, "Interrupted question"))})
                     .exitCode,
                 0);
        ts::test::FakeServerConfig slow;
        slow.latencyMs = 250;
        m_server.setConfig(slow);
        const QStringList args {s("eval"),          m_file,     s("--dataset"), s("interrupted"),
                                s("--model"),       s("small"), s("--prompt"),  s("qa@1"),
                                s("--concurrency"), s("2"),     s("--no-cache")};
        const char *okCount
            = "SELECT count(*) FROM generations WHERE status = 'ok' AND run_id IN "
              "(SELECT run_id FROM eval_variants ev JOIN evals e ON e.id = ev.eval_id "
              "WHERE e.dataset_id = (SELECT id FROM datasets WHERE name = 'interrupted'))";
        QProcess p;
        p.start(s(TOUCHSTONE_CLI_PATH), args);
        QVERIFY(p.waitForStarted());
        QDeadlineTimer deadline(30000);
        while (query(okCount) < 2 && !deadline.hasExpired())
            QThread::msleep(20);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(s("was cancelled; run the same command again to resume")),
                 qPrintable(err));
        QCOMPARE(query("SELECT count(*) FROM evals WHERE status = 'cancelled'"), 1);
        const qint64 done = query(okCount);
        QVERIFY(done >= 2 && done < 12);

        m_server.setConfig({});
        m_server.reset();
        const CliResult r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(m_server.requestCount(), 12 - int(done));
        QCOMPARE(query(okCount), 12);
    }

    void failedCallsAreErrorsAndRetryErrorsFinishTheEval()
    {
        // Case 5 is refused once with HTTP 400 (not retried): an error, not a failure.
        QByteArray csv = "question,__description\n";
        for (int i = 1; i <= 12; ++i)
            csv += (i == 5 ? QByteArray("\"Wire question 5 [fake:fault=400,times=1]\"")
                           : "Wire question " + QByteArray::number(i))
                + ",case " + QByteArray::number(i) + '\n';
        QCOMPARE(runCli({s("dataset"), s("import"), m_file, s("--dataset"), s("wire"),
                         s("--create"), write(s("wire.csv"), csv)})
                     .exitCode,
                 0);
        m_server.reset();
        const QString json = path(s("wire.json"));
        const QStringList args {
            s("eval"),     m_file,    s("--dataset"), s("wire"),   s("--model"), s("small"),
            s("--prompt"), s("qa@1"), s("--quiet"),   s("--json"), json};
        CliResult r = runCli(args);
        QCOMPARE(r.exitCode, 1); // CI notices the failed call
        QVERIFY2(r.out.contains(s("qa@1 · small  11/11 100.0%")), qPrintable(r.out));
        QVERIFY2(r.out.contains(s("Calls that failed are errors, left out of every rate")),
                 qPrintable(r.out));
        QVERIFY2(r.err.contains(s("1 call of eval #")), qPrintable(r.err));
        QVERIFY2(r.err.contains(s("--retry-errors")), qPrintable(r.err));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto report = nlohmann::json::parse(f.readAll().toStdString());
        JCOMPARE(report["format"], "touchstone-eval/2");
        JCOMPARE(report["unit_of_analysis"], "case");
        JCOMPARE(report["errors"], 1);
        const auto &rate = report["summary"]["variants"][0]["pass_rate"];
        JCOMPARE(rate["passes"], 11);
        JCOMPARE(rate["trials"], 11);
        JCOMPARE(rate["errors"], 1);
        JCOMPARE(rate["cases"], 11);
        JCOMPARE(rate["method"], "wilson");
        JCOMPARE(rate["rate"], 1.0);
        JCOMPARE(report["results"][4]["status"], "error");
        JCOMPARE(report["results"][4]["scored"], false);
        JCOMPARE(report["results"][3]["scored"], true);
        QCOMPARE(m_server.requestCount(), 12);

        // --retry-errors with no other option: the newest eval with errors, that call only.
        r = runCli({s("eval"), m_file, s("--retry-errors"), s("--quiet")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(s("qa@1 · small  12/12 100.0%")), qPrintable(r.out));
        QCOMPARE(m_server.requestCount(), 13);
        r = runCli({s("eval"), m_file, s("--retry-errors")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(s("nothing to retry")), qPrintable(r.err));
        QCOMPARE(runCli({s("eval"), m_file, s("--retry-errors"), s("--fresh")}).exitCode, 2);
        // The same command again: nothing failed any more, so it is a new eval.
        r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!r.err.contains(s("Resuming")));
    }

    void samplesAreComparedCaseByCase()
    {
        const QString json = path(s("samples.json"));
        const CliResult r = eval({s("--prompt"), s("qa@1"), s("--prompt"), s("qa@2"),
                                  s("--samples"), s("3"), s("--json"), json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // 12 cases, not 36 pairs: McNemar on per-case majority verdicts is 12 vs 0.
        QVERIFY2(r.out.contains(s("qa@2 · small vs qa@1 · small: Candidate is worse (paired "
                                  "bootstrap over 12 cases: pass share -1.000")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(s("McNemar exact on per-case majority verdicts p < 0.001, 0 vs "
                                  "12 discordant cases")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(s("the pass rate is the mean per-case pass share")),
                 qPrintable(r.out));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto report = nlohmann::json::parse(f.readAll().toStdString());
        JCOMPARE(report["summary"]["variants"][0]["pass_rate"]["method"], "case_bootstrap");
        JCOMPARE(report["summary"]["variants"][0]["pass_rate"]["trials"], 36);
        JCOMPARE(report["summary"]["variants"][0]["pass_rate"]["cases"], 12);
        JCOMPARE(report["summary"]["variants"][0]["score"]["n"], 12);
        const auto &c = report["summary"]["comparisons"][0];
        JCOMPARE(c["test"], "paired_bootstrap_cases");
        JCOMPARE(c["unit"], "case");
        JCOMPARE(c["paired_cases"], 12);
        JCOMPARE(c["mcnemar_on"], "case_majority_verdicts");
        JCOMPARE(c["baseline_only_passes"], 12);
        JCOMPARE(c["verdict"], "worse");
        QVERIFY(std::abs(c["mcnemar_p"].get<double>() - 2.0 / 4096) < 1e-9);
        QVERIFY(std::abs(c["pass_share_difference"]["mean"].get<double>() + 1.0) < 1e-9);
    }

    void importPromptfooListsWhatItCouldNotMap()
    {
        const QString yaml = write(s("promptfooconfig.yaml"), R"(description: Greeting checks
prompts:
  - "Say hello to {{name}}"
providers:
  - openai:gpt-4o-mini
  - id: anthropic:messages:claude-3-5-haiku-latest
    config:
      temperature: 0.2
      apiKey: sk-never-copy-this
  - python:my_provider.py
defaultTest:
  assert:
    - type: icontains
      value: hello
tests:
  - vars:
      name: Ada
    assert:
      - type: contains
        value: Ada
      - type: javascript
        value: output.length < 100
  - vars:
      name: Linus
    threshold: 0.5
    assert:
      - type: regex
        value: "L.*s"
)");
        const QString project = path(s("imported.touchstone"));
        CliResult r = runCli({s("import-promptfoo"), yaml, project, s("--create"), s("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto j = r.json();
        QCOMPARE(j["prompts"].size(), 1u);
        JCOMPARE(j["prompts"][0]["version"], 1);
        QCOMPARE(j["models"].size(), 2u);
        JCOMPARE(j["dataset"], "promptfooconfig");
        JCOMPARE(j["cases_added"], 2);
        JCOMPARE(j["dataset_assertions"], 1);
        JCOMPARE(j["case_assertions"], 3); // javascript assertions are mapped too now
        const std::string unmapped = j["unmapped"].dump();
        QVERIFY2(unmapped.find("javascript") == std::string::npos, unmapped.c_str());
        QVERIFY2(unmapped.find("python") != std::string::npos, unmapped.c_str());
        QFile file(project);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("sk-never-copy-this"));

        r = runCli({s("model"), s("list"), project, s("--json")});
        QVERIFY2(r.out.contains(s("env:ANTHROPIC_API_KEY")), qPrintable(r.out));
        // Importing again changes nothing and says so.
        r = runCli({s("import-promptfoo"), yaml, project});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(s("(unchanged)")) && r.out.contains(s("2 duplicates skipped")),
                 qPrintable(r.out));
        QVERIFY(r.out.contains(s("Not imported")));
        QCOMPARE(runCli({s("import-promptfoo"), path(s("missing.yaml")), project}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliEval)
#include "test_cli_eval.moc"
