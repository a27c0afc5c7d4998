#include "../cli/clirunner.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "datasets/judgestore.h"
#include "fakellmserver.h"
#include "insights/monitor.h"
#include "insights/monitorjudge.h"
#include "logs/logstore.h"
#include "models/modelstore.h"
#include "net/networkclient.h"
#include "prompts/promptstore.h"
#include "runs/runengine.h"
#include "storage/project.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

/// `n` records on `day` (UTC), the first `passing` of them mentioning a refund.
QList<LogRecord> records(const QString &day, int n, int passing, const QString &model = s("m1"),
                         const QString &tag = {})
{
    QList<LogRecord> list;
    const qint64 start = *epochMsFromText(day);
    for (int i = 0; i < n; ++i) {
        LogRecord r;
        r.startMs = start + 60000 * (i + 1);
        r.model = model;
        r.messages
            = {{s("user"), QStringLiteral("Where is my money? %1 %2").arg(i).arg(tag), {}, {}}};
        r.output = i < passing ? QStringLiteral("Your refund is on its way (%1).").arg(i)
                               : QStringLiteral("Please wait (%1).").arg(i);
        r.sourceFormat = s("test");
        list.append(r);
    }
    return list;
}

/// An OTLP/JSON export of chat spans (GenAI conventions) on 2024-06-05, one per output.
QByteArray otlpExport(const QStringList &outputs)
{
    auto attr = [](const char *key, const std::string &value) {
        return nlohmann::json {{"key", key}, {"value", {{"stringValue", value}}}};
    };
    nlohmann::json spans = nlohmann::json::array();
    for (int i = 0; i < outputs.size(); ++i) {
        const qint64 startNs = (1717545600LL + i) * 1000000000LL;
        const nlohmann::json input = nlohmann::json::array(
            {{{"role", "user"}, {"parts", {{{"type", "text"}, {"content", "question"}}}}}});
        const nlohmann::json output = nlohmann::json::array(
            {{{"role", "assistant"},
              {"parts", {{{"type", "text"}, {"content", outputs[i].toStdString()}}}}}});
        char spanId[17];
        std::snprintf(spanId, sizeof spanId, "%016x", i + 1);
        spans.push_back(
            {{"traceId", "5b8efff798038103d269b633813fc60c"},
             {"spanId", spanId},
             {"name", "chat m1"},
             {"kind", 3},
             {"startTimeUnixNano", std::to_string(startNs)},
             {"endTimeUnixNano", std::to_string(startNs + 500000000LL)},
             {"attributes",
              {attr("gen_ai.operation.name", "chat"), attr("gen_ai.request.model", "m1"),
               attr("gen_ai.input.messages", input.dump()),
               attr("gen_ai.output.messages", output.dump())}}});
    }
    const nlohmann::json doc
        = {{"resourceSpans",
            {{{"resource", {{"attributes", nlohmann::json::array()}}},
              {"scopeSpans", {{{"scope", nlohmann::json::object()}, {"spans", spans}}}}}}}};
    return QByteArray::fromStdString(doc.dump()) + '\n';
}

} // namespace

class TestMonitors final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static qint64 addDataset(Database &db, const QString &name, bool withAssertion)
    {
        const qint64 id = DatasetStore(db).createDataset(name).value().id;
        if (withAssertion) {
            AssertionSpec spec;
            spec.type = s("icontains");
            spec.value = "refund";
            AssertionStore(db).add(id, std::nullopt, spec).value();
        }
        return id;
    }

private Q_SLOTS:
    void windowsAlertsAndIncrementalRuns()
    {
        auto project = Project::create(m_dir.filePath(s("monitors.touchstone")));
        QVERIFY(project);
        Database &db = project->db();
        const qint64 dataset = addDataset(db, s("support"), true);
        LogStore logs(db);
        // Day 1: 19 of 20 pass (95%); day 2: 10 of 20 (50%); day 3: 1 of 2.
        QVERIFY(logs.add(records(s("2024-06-01"), 20, 19)));
        QVERIFY(logs.add(records(s("2024-06-02"), 20, 10)));
        QVERIFY(logs.add(records(s("2024-06-03"), 2, 1)));
        // Another model's failures are not this monitor's business.
        QVERIFY(logs.add(records(s("2024-06-01"), 3, 0, s("m2"))));
        // A failed call has no output: no verdict, in no rate.
        LogRecord failed;
        failed.startMs = *epochMsFromText(s("2024-06-01T12:00:00Z"));
        failed.model = s("m1");
        failed.ok = false;
        failed.error = s("HTTP 500");
        failed.sourceFormat = s("test");
        QVERIFY(logs.add({failed}));

        MonitorConfig m;
        m.name = s("refunds");
        m.datasetId = dataset;
        m.model = s("m1");
        m.threshold = 0.9;
        auto added = MonitorStore(db).add(m);
        QVERIFY2(added, qPrintable(added ? QString() : added.error().message));
        QCOMPARE(added->datasetName, s("support"));

        auto run = runMonitorAssertions(db, *added);
        QVERIFY(run);
        QCOMPARE(run->checked, 43);
        QCOMPARE(run->passed, 30);
        QCOMPARE(run->failed, 12);
        QCOMPARE(run->noVerdict, 1);

        auto windows = monitorWindows(db, *added);
        QVERIFY(windows);
        QCOMPARE(windows->size(), 3);
        const MonitorWindowStats &d1 = windows->at(0);
        QCOMPARE(d1.start, s("2024-06-01"));
        QCOMPARE(d1.end, s("2024-06-02"));
        QCOMPARE(d1.records, 20);
        QCOMPARE(d1.noVerdict, 1);
        QCOMPARE(d1.rate.successes, 19);
        QVERIFY(!d1.alert); // 95% is above 90%
        // 10/20 = 50%, Wilson [0.2993, 0.7007]: entirely below 90%.
        const MonitorWindowStats &d2 = windows->at(1);
        QCOMPARE(d2.rate.estimate, 0.5);
        QVERIFY(std::abs(d2.rate.ci.high - 0.7007) < 5e-4);
        QVERIFY(d2.alert);
        // 1/2 = 50% but Wilson [0.0945, 0.9055] reaches above 90%: two records do not alert.
        const MonitorWindowStats &d3 = windows->at(2);
        QCOMPARE(d3.records, 2);
        QVERIFY(d3.rate.ci.high > 0.9);
        QVERIFY(!d3.alert);

        auto statuses = monitorStatuses(db);
        QVERIFY(statuses);
        QCOMPARE(statuses->size(), 1);
        QCOMPARE(statuses->first().latest->start, s("2024-06-03"));
        QVERIFY(!statuses->first().alert());
        QCOMPARE(statuses->first().checked, 43);
        QCOMPARE(statuses->first().failures, 12);

        auto failures = monitorFailures(db, *added, s("2024-06-02"));
        QVERIFY(failures);
        QCOMPARE(failures->size(), 10);
        auto output = logs.record(failures->first().logId);
        QVERIFY(output);
        QVERIFY(output->output->startsWith(s("Please wait")));
        QVERIFY(failures->first().reason.contains(s("refund")));
        QCOMPARE(monitorFailures(db, *added)->size(), 12);

        // Nothing new: nothing checked again.
        QCOMPARE(runMonitorAssertions(db, *added)->checked, 0);
        // 18 failing records arrive on day 3: only they are checked, and day 3 now alerts.
        QVERIFY(logs.add(records(s("2024-06-03"), 18, 0, s("m1"), s("late"))));
        run = runMonitorAssertions(db, *added);
        QCOMPARE(run->checked, 18);
        QCOMPARE(run->failed, 18);
        statuses = monitorStatuses(db);
        QCOMPARE(statuses->first().latest->records, 20);
        QCOMPARE(statuses->first().latest->rate.successes, 1);
        QVERIFY(statuses->first().alert());
        QCOMPARE(db.queryInt(s("SELECT count(*) FROM monitor_results")).value(), 61);

        // A weekly monitor on every model: Sat 1 and Sun 2 June 2024 are in the week of Mon 27
        // May; Mon 3 June starts the next.
        MonitorConfig weekly;
        weekly.name = s("weekly");
        weekly.datasetId = dataset;
        weekly.window = MonitorWindow::Week;
        weekly.threshold = 0.5;
        auto w = MonitorStore(db).add(weekly);
        QVERIFY(w);
        QCOMPARE(runMonitorAssertions(db, *w)->checked, 64);
        windows = monitorWindows(db, *w);
        QCOMPARE(windows->size(), 2);
        QCOMPARE(windows->at(0).start, s("2024-05-27"));
        QCOMPARE(windows->at(0).end, s("2024-06-03"));
        QCOMPARE(windows->at(0).records, 43); // 20 + 20 + 3 of m2
        QCOMPARE(windows->at(0).rate.successes, 29);
        QCOMPARE(windows->at(1).start, s("2024-06-03"));
        QCOMPARE(windows->at(1).records, 20);
    }

    void refusals()
    {
        auto project = Project::create(m_dir.filePath(s("refusals.touchstone")));
        QVERIFY(project);
        Database &db = project->db();
        const qint64 empty = addDataset(db, s("empty"), false);
        MonitorStore store(db);
        MonitorConfig m;
        m.name = s("x");
        m.datasetId = empty;
        auto r = store.add(m);
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(s("no assertion")));
        const qint64 graded = addDataset(db, s("graded"), false);
        AssertionSpec rubric;
        rubric.type = s("llm-rubric");
        rubric.value = "polite";
        QVERIFY(AssertionStore(db).add(graded, std::nullopt, rubric));
        m.datasetId = graded;
        r = store.add(m);
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(s("--judge")));
        m.datasetId = addDataset(db, s("ok"), true);
        m.threshold = 1.5;
        QVERIFY(!store.add(m));
        m.threshold = 0.9;
        m.promptVersion = s("3");
        QVERIFY(!store.add(m));
        m.promptVersion.reset();
        QVERIFY(store.add(m));
        QCOMPARE(store.add(m).error().code, ErrorCode::AlreadyExists);
    }

    void judgeSampleIsStableAndProportional()
    {
        int in = 0;
        for (qint64 id = 1; id <= 10000; ++id) {
            const bool a = inJudgeSample(7, id, 0.1);
            QCOMPARE(inJudgeSample(7, id, 0.1), a);
            in += a ? 1 : 0;
        }
        QVERIFY2(in > 900 && in < 1100, qPrintable(QString::number(in)));
        QVERIFY(inJudgeSample(7, 5, 1.0));
        QVERIFY(!inJudgeSample(7, 5, 0.0));
    }

    void judgeOnSampledRecordsWithCostCap()
    {
        test::FakeLlmServer server;
        QVERIFY(server.listen());
        auto project = Project::create(m_dir.filePath(s("judge.touchstone")));
        QVERIFY(project);
        Database &db = project->db();
        ModelConfig model;
        model.name = s("judge-model");
        model.provider = ProviderKind::OpenAI;
        model.baseUrl = server.baseUrl() + s("/v1");
        model.modelId = s("fake-large+tokens=64");
        model.priceInputPerMTok = 1000;
        model.priceOutputPerMTok = 1000;
        const qint64 modelId = ModelStore(db).add(model).value().id;
        // The fake server echoes the prompt, so a judge prompt of just {{output}} answers with
        // the verdict the logged output carries.
        PromptStore prompts(db);
        const qint64 promptId = prompts.createPrompt(s("echo-judge")).value().id;
        PromptContent content;
        content.messages = {{s("user"), s("{{output}}")}};
        QVERIFY(prompts.saveVersion(promptId, content, {}, s("test")));
        JudgeConfig j;
        j.name = s("tone");
        j.kind = JudgeKind::Pointwise;
        j.promptId = promptId;
        j.modelId = modelId;
        const qint64 judgeId = JudgeStore(db).add(j).value().id;

        QList<LogRecord> list;
        for (int i = 0; i < 4; ++i) {
            LogRecord r;
            r.startMs = *epochMsFromText(s("2024-06-01T10:00:00Z")) + i;
            r.model = s("m1");
            r.messages = {{s("user"), QStringLiteral("question %1").arg(i), {}, {}}};
            r.output = i < 2 ? s("{\"pass\": true, \"score\": 1, \"reason\": \"kind\"}")
                             : s("{\"pass\": false, \"score\": 0, \"reason\": \"rude\"}");
            r.sourceFormat = s("test");
            list.append(r);
        }
        QVERIFY(LogStore(db).add(list));

        // No assertions: the judge alone decides.
        MonitorConfig m;
        m.name = s("tone");
        m.datasetId = addDataset(db, s("none"), false);
        m.judgeId = judgeId;
        m.judgeFraction = 1.0;
        auto added = MonitorStore(db).add(m);
        QVERIFY2(added, qPrintable(added ? QString() : added.error().message));
        QCOMPARE(runMonitorAssertions(db, *added)->passed, 4);

        NetworkClient network;
        RunEngine engine(nullptr, &network);
        {
            MonitorJudge judge(db, &engine);
            QSignalSpy done(&judge, &MonitorJudge::finished);
            QVERIFY(judge.start(*added));
            QVERIFY(done.wait(20000));
            const auto summary = done.first().first().value<MonitorJudgeSummary>();
            QCOMPARE(summary.judged, 4);
            QCOMPARE(summary.failed, 2);
            QCOMPARE(summary.errors, 0);
            QVERIFY(summary.cost > 0);
        }
        auto windows = monitorWindows(db, *added);
        QCOMPARE(windows->first().rate.successes, 2);
        auto failures = monitorFailures(db, *added);
        QCOMPARE(failures->size(), 2);
        QCOMPARE(failures->first().reason, s("Judge tone: rude"));
        QCOMPARE(failures->first().judgePass, std::optional<bool>(false));
        // Judged records are not judged again.
        {
            MonitorJudge judge(db, &engine);
            QSignalSpy done(&judge, &MonitorJudge::finished);
            QVERIFY(judge.start(*added));
            QVERIFY(done.wait(20000));
            QCOMPARE(done.first().first().value<MonitorJudgeSummary>().judged, 0);
        }
        QCOMPARE(server.requestCount(), 4);

        // A cap below one call's cost: one call, the rest left for the next run.
        m.name = s("capped");
        m.judgeCostCap = 1e-9;
        added = MonitorStore(db).add(m);
        QVERIFY(added);
        QVERIFY(runMonitorAssertions(db, *added));
        MonitorJudge judge(db, &engine);
        QSignalSpy done(&judge, &MonitorJudge::finished);
        QVERIFY(judge.start(*added));
        QVERIFY(done.wait(20000));
        const auto summary = done.first().first().value<MonitorJudgeSummary>();
        QCOMPARE(summary.judged, 1);
        QCOMPARE(summary.skippedByCap, 3);
    }

    void logsImportRunsMonitors()
    {
        const QString file = m_dir.filePath(s("import.touchstone"));
        {
            auto project = Project::create(file);
            QVERIFY(project);
            addDataset(project->db(), s("support"), true);
        }
        QVERIFY(runCli({s("monitor"), s("add"), file, s("refunds"), s("--dataset"), s("support")})
                    .exitCode
                == 0);
        QFile traces(m_dir.filePath(s("traces.jsonl")));
        QVERIFY(traces.open(QIODevice::WriteOnly));
        traces.write(otlpExport({s("A refund is coming."), s("No."), s("No idea.")}));
        traces.close();
        CliResult r = runCli({s("logs"), s("import"), file, traces.fileName(), s("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        nlohmann::json j = r.json();
        QVERIFY2(!j.is_discarded(), qPrintable(r.out));
        QCOMPARE(j["imported"].get<int>(), 3);
        QCOMPARE(j["monitors"].size(), size_t(1));
        QCOMPARE(j["monitors"][0]["checked"].get<int>(), 3);
        QCOMPARE(j["monitors"][0]["failed"].get<int>(), 2);
        QCOMPARE(j["monitors"][0]["latest"]["start"].get<std::string>(), "2024-06-05");
        // Nothing left for `monitor run` to check.
        r = runCli({s("monitor"), s("run"), file, s("--json")});
        QCOMPARE(r.json()["monitors"][0]["run"]["checked"].get<int>(), 0);
    }

    void cliAddListRunExitCodes()
    {
        const QString file = m_dir.filePath(s("cli.touchstone"));
        {
            auto project = Project::create(file);
            QVERIFY(project);
            addDataset(project->db(), s("support"), true);
            QVERIFY(LogStore(project->db()).add(records(s("2024-06-01"), 20, 19)));
        }
        CliResult r = runCli({s("monitor"), s("add"), file, s("refunds"), s("--dataset"),
                              s("support"), s("--model"), s("m1"), s("--threshold"), s("0.9")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({s("monitor"), s("add"), file, s("bad"), s("--dataset"), s("support"),
                    s("--window"), s("month")});
        QCOMPARE(r.exitCode, 2);
        r = runCli({s("monitor"), s("run"), file, s("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        nlohmann::json j = r.json();
        QCOMPARE(j["alert"].get<bool>(), false);
        QCOMPARE(j["monitors"][0]["run"]["checked"].get<int>(), 20);
        QCOMPARE(j["monitors"][0]["latest"]["passed"].get<int>(), 19);

        {
            auto project = Project::open(file);
            QVERIFY(project);
            QVERIFY(LogStore(project->db()).add(records(s("2024-06-02"), 20, 10)));
        }
        r = runCli({s("monitor"), s("run"), file, s("--json")});
        QCOMPARE(r.exitCode, 1);
        j = r.json();
        QVERIFY2(!j.is_discarded(), qPrintable(r.out));
        QCOMPARE(j["alert"].get<bool>(), true);
        const nlohmann::json &mon = j["monitors"][0];
        QCOMPARE(mon["run"]["checked"].get<int>(), 20);
        QCOMPARE(mon["latest"]["start"].get<std::string>(), "2024-06-02");
        QCOMPARE(mon["latest"]["pass_rate"].get<double>(), 0.5);
        QCOMPARE(mon["failing_log_ids"].size(), size_t(10));

        r = runCli({s("monitor"), s("list"), file, s("--json")});
        QCOMPARE(r.exitCode, 0);
        j = r.json();
        QCOMPARE(j["monitors"][0]["name"].get<std::string>(), "refunds");
        QCOMPARE(j["monitors"][0]["alert"].get<bool>(), true);
        QCOMPARE(j["monitors"][0]["checked"].get<int>(), 40);
        r = runCli({s("monitor"), s("list"), file});
        QVERIFY(r.out.contains(s("ALERT")));
    }
};

QTEST_GUILESS_MAIN(TestMonitors)
#include "test_monitors.moc"
