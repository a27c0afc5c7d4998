// End to end: `touchstone-cli logs import|list|show|to-dataset` on files the test writes.

#include "../../cli/clirunner.h"

#include "datasets/datasetstore.h"
#include "storage/project.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <set>

using nlohmann::json;

namespace {

json str(const std::string &s)
{
    return {{"stringValue", s}};
}
json integer(qint64 i)
{
    return {{"intValue", std::to_string(i)}};
}
json kv(const std::string &key, json value)
{
    return {{"key", key}, {"value", std::move(value)}};
}

/// An OTLP span of a chat call (current GenAI conventions), starting `second` seconds into
/// 2026-08-12T00:00:00Z and lasting 1.5 s.
json chatSpan(const std::string &spanId, int second, const std::string &model,
              const std::string &customer, const std::string &ticket, const json &output,
              bool error = false)
{
    const qint64 startNs = (1786492800LL + second) * 1000000000LL;
    json attrs = json::array({
        kv("gen_ai.operation.name", str("chat")),
        kv("gen_ai.provider.name", str("openai")),
        kv("gen_ai.request.model", str(model)),
        kv("gen_ai.usage.input_tokens", integer(40 + second)),
        kv("gen_ai.usage.output_tokens", integer(9)),
        kv("gen_ai.system_instructions",
           str(R"([{"type":"text","content":"You answer support tickets."}])")),
        kv("gen_ai.input.messages",
           str(json::array({{{"role", "user"},
                             {"parts",
                              {{{"type", "text"},
                                {"content", "Ticket from " + customer + ": " + ticket}}}}}})
                   .dump())),
    });
    if (!output.is_null())
        attrs.push_back(kv("gen_ai.output.messages", str(output.dump())));
    if (error)
        attrs.push_back(kv("error.type", str("RateLimitError")));
    return {{"traceId", "5b8efff798038103d269b633813fc60c"},
            {"spanId", spanId},
            {"name", "chat " + model},
            {"kind", 3},
            {"startTimeUnixNano", std::to_string(startNs)},
            {"endTimeUnixNano", std::to_string(startNs + 1500000000LL)},
            {"attributes", attrs},
            {"status",
             error ? json {{"code", 2}, {"message", "429 Too Many Requests"}} : json::object()}};
}

json textOutput(const std::string &text)
{
    return json::array(
        {{{"role", "assistant"}, {"parts", {{{"type", "text"}, {"content", text}}}}}});
}

/// Records stored so far, read as another process would (the import is writing).
qint64 countLogs(const QString &project)
{
    sqlite3 *db = nullptr;
    qint64 n = -1;
    if (sqlite3_open_v2(project.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr)
        == SQLITE_OK) {
        sqlite3_busy_timeout(db, 2000);
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM logs", -1, &st, nullptr) == SQLITE_OK
            && sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

QByteArray tracesLine(const json &span)
{
    const json doc = {{"resourceSpans",
                       {{{"resource", {{"attributes", {kv("service.name", str("shop"))}}}},
                         {"scopeSpans", {{{"spans", {span}}}}}}}}};
    return QByteArray::fromStdString(doc.dump()) + '\n';
}

} // namespace

class TestCliLogs final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;
    QString m_traces;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString write(const QString &name, const QByteArray &content) const
    {
        QFile f(path(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(content);
        return f.fileName();
    }
    QString newProject(const QString &name) const
    {
        const QString file = path(name);
        const CliResult r = runCli({QStringLiteral("init"), file});
        return r.exitCode == 0 ? file : QString();
    }
    CliResult logs(const QStringList &args) const
    {
        return runCli(QStringList {QStringLiteral("logs")} + args);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_project = newProject(QStringLiteral("logs.touchstone"));
        QVERIFY(!m_project.isEmpty());
        // Written out of time order; one malformed line; one span that is not an LLM call.
        const json toolCall = json::array({{{"role", "assistant"},
                                            {"parts",
                                             {{{"type", "tool_call"},
                                               {"id", "call_1"},
                                               {"name", "lookup_order"},
                                               {"arguments", {{"order", 4412}}}}}}}});
        QByteArray file = tracesLine(
            chatSpan("00000000000000b2", 20, "gpt-4o", "Bob", "refund for order 7", toolCall));
        file += tracesLine(chatSpan("00000000000000a1", 10, "gpt-4o-mini", "Ann", "refund please",
                                    textOutput("Refund sent.")));
        file += "{\"resourceSpans\": [ this is not json\n";
        json http = {{"traceId", "5b8efff798038103d269b633813fc60c"},
                     {"spanId", "00000000000000f0"},
                     {"name", "GET /orders"},
                     {"startTimeUnixNano", "1786492805000000000"},
                     {"endTimeUnixNano", "1786492806000000000"},
                     {"attributes", {kv("http.request.method", str("GET"))}}};
        file += tracesLine(http);
        file += tracesLine(chatSpan("00000000000000c3", 30, "gpt-4o-mini", "Cy",
                                    "where is my parcel", nullptr, true));
        m_traces = write(QStringLiteral("traces.jsonl"), file);
    }

    void importSummarizesAndListsMalformedLines()
    {
        CliResult r = logs({QStringLiteral("import"), m_project, m_traces});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("Imported 3 records (0 duplicates skipped, 1 "
                                               "malformed, 1 not an LLM call)")),
                 qPrintable(r.out));
        QVERIFY2(r.err.contains(m_traces + QStringLiteral(":3: ")), qPrintable(r.err));

        // The same file again adds nothing.
        r = logs({QStringLiteral("import"), m_project, m_traces, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const json summary = r.json();
        QCOMPARE(summary.value("imported", -1), 0);
        QCOMPARE(summary.value("duplicates", -1), 3);
        QCOMPARE(summary.value("malformed", -1), 1);
        QCOMPARE(summary.value("not_llm_calls", -1), 1);
        QVERIFY(summary["formats"] == json::array({"otlp"}));
        QCOMPARE(summary["problems"].size(), size_t(1));
    }

    void strictImportsNothing()
    {
        const QString project = newProject(QStringLiteral("strict.touchstone"));
        CliResult r
            = logs({QStringLiteral("import"), project, m_traces, QStringLiteral("--strict")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral(":3: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("nothing was imported")), qPrintable(r.err));
        r = logs({QStringLiteral("list"), project, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.json() == json::array());
    }

    void unknownFormatsAreRefused()
    {
        const QString project = newProject(QStringLiteral("unknown.touchstone"));
        const QString text = write(QStringLiteral("notes.txt"), "Dear diary, nothing to see.\n");
        CliResult r = logs({QStringLiteral("import"), project, text});
        QCOMPARE(r.exitCode, 2);
        // The message names the formats it tried.
        for (const char *format : {"otlp", "openinference", "langfuse", "langsmith", "promptfoo"})
            QVERIFY2(r.err.contains(QLatin1String(format)), qPrintable(r.err));
        r = logs({QStringLiteral("import"), project, m_traces, QStringLiteral("--format"),
                  QStringLiteral("nosuch")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("nosuch")), qPrintable(r.err));
        r = logs({QStringLiteral("list"), project, QStringLiteral("--json")});
        QVERIFY(r.json() == json::array());
    }

    void listIsAnAlignedTableOldestFirst()
    {
        const CliResult r = logs({QStringLiteral("list"), m_project});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QVERIFY2(lines[0].contains(QRegularExpression(
                     QStringLiteral("ID +TIME +MODEL +STATUS +TOKENS +LATENCY +INPUT"))),
                 qPrintable(lines[0]));
        QVERIFY(lines[1].contains(QStringLiteral("2026-08-12T00:00:10.000Z")));
        QVERIFY(lines[1].contains(QStringLiteral("Ticket from Ann: refund please")));
        QVERIFY(lines[1].contains(QStringLiteral("50/9")));
        QVERIFY(lines[1].contains(QStringLiteral("1500 ms")));
        QVERIFY(lines[2].contains(QStringLiteral("Bob")));
        QVERIFY(lines[3].contains(QStringLiteral("error")));
        // Aligned: text columns start where their header does, numbers end where it ends.
        for (const char *header : {"MODEL", "STATUS", "INPUT"}) {
            const qsizetype column = lines[0].indexOf(QLatin1String(header));
            for (int i = 1; i < lines.size(); ++i)
                QVERIFY2(
                    lines[i].at(column - 1) == QLatin1Char(' ')
                        && lines[i].at(column) != QLatin1Char(' '),
                    qPrintable(QStringLiteral("%1 in: %2").arg(QLatin1String(header), lines[i])));
        }
        for (const char *header : {"TOKENS", "LATENCY"}) {
            const qsizetype end
                = lines[0].indexOf(QLatin1String(header)) + qsizetype(strlen(header));
            for (int i = 1; i < lines.size(); ++i)
                QVERIFY2(
                    lines[i].at(end - 1) != QLatin1Char(' ')
                        && lines[i].at(end) == QLatin1Char(' '),
                    qPrintable(QStringLiteral("%1 in: %2").arg(QLatin1String(header), lines[i])));
        }
    }

    void listJsonHasExactlyTheDocumentedKeys()
    {
        const CliResult r = logs({QStringLiteral("list"), m_project, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const json records = r.json();
        QVERIFY(records.is_array());
        QCOMPARE(records.size(), size_t(3));
        const std::set<std::string> expected {"id",
                                              "time",
                                              "end_time",
                                              "source_format",
                                              "trace_id",
                                              "span_id",
                                              "model",
                                              "provider",
                                              "messages",
                                              "output",
                                              "output_tool_calls",
                                              "input_tokens",
                                              "output_tokens",
                                              "latency_ms",
                                              "ttft_ms",
                                              "status",
                                              "error",
                                              "finish_reason",
                                              "prompt",
                                              "metadata"};
        for (const json &rec : records) {
            std::set<std::string> keys;
            for (const auto &item : rec.items())
                keys.insert(item.key());
            QVERIFY2(keys == expected, rec.dump().c_str());
        }
        const json &ann = records[0];
        QVERIFY(ann["time"] == "2026-08-12T00:00:10.000Z");
        QVERIFY(ann["end_time"] == "2026-08-12T00:00:11.500Z");
        QVERIFY(ann["source_format"] == "otlp");
        QVERIFY(ann["span_id"] == "00000000000000a1");
        QVERIFY(ann["model"] == "gpt-4o-mini");
        QVERIFY(
            ann["messages"]
            == json::array({{{"role", "system"}, {"content", "You answer support tickets."}},
                            {{"role", "user"}, {"content", "Ticket from Ann: refund please"}}}));
        QVERIFY(ann["output"] == "Refund sent.");
        QVERIFY(ann["output_tool_calls"] == json::array());
        QVERIFY(ann["input_tokens"] == 50);
        QVERIFY(ann["latency_ms"] == 1500.0);
        QVERIFY(ann["ttft_ms"].is_null()); // unknown is null, never 0
        QVERIFY(ann["status"] == "ok");
        QVERIFY(ann["error"].is_null());
        QVERIFY(ann["prompt"].is_null());
        QVERIFY(ann["metadata"].is_object());

        const json &bob = records[1];
        QVERIFY(bob["output"].is_null());
        QVERIFY2(bob["output_tool_calls"]
                     == json::array({{{"id", "call_1"},
                                      {"name", "lookup_order"},
                                      {"arguments", {{"order", 4412}}}}}),
                 bob["output_tool_calls"].dump().c_str());
        const json &cy = records[2];
        QVERIFY(cy["status"] == "error");
        QVERIFY(cy["error"].is_string());
    }

    void listFilters()
    {
        auto ids = [&](const QStringList &extra) {
            const CliResult r = logs(
                QStringList {QStringLiteral("list"), m_project, QStringLiteral("--json")} + extra);
            QStringList spans;
            for (const json &rec : r.json())
                spans << QString::fromStdString(rec["span_id"].get<std::string>()).right(2);
            return spans;
        };
        QCOMPARE(ids({QStringLiteral("--status"), QStringLiteral("error")}),
                 QStringList {QStringLiteral("c3")});
        QCOMPARE(ids({QStringLiteral("--model"), QStringLiteral("gpt-4o")}),
                 QStringList {QStringLiteral("b2")});
        QCOMPARE(ids({QStringLiteral("--search"), QStringLiteral("refund")}),
                 (QStringList {QStringLiteral("a1"), QStringLiteral("b2")}));
        QCOMPARE(ids({QStringLiteral("--since"), QStringLiteral("2026-08-12T00:00:15Z")}),
                 (QStringList {QStringLiteral("b2"), QStringLiteral("c3")}));
        QCOMPARE(ids({QStringLiteral("--until"), QStringLiteral("2026-08-12T00:00:15Z")}),
                 QStringList {QStringLiteral("a1")});
        QCOMPARE(ids({QStringLiteral("--limit"), QStringLiteral("1"), QStringLiteral("--offset"),
                      QStringLiteral("1")}),
                 QStringList {QStringLiteral("b2")});
        QCOMPARE(ids({QStringLiteral("--prompt"), QStringLiteral("support")}), QStringList());

        // A full page says there is more.
        const CliResult page = logs(
            {QStringLiteral("list"), m_project, QStringLiteral("--limit"), QStringLiteral("2")});
        QCOMPARE(page.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), 3);
        QVERIFY2(page.err.contains(QStringLiteral("--offset 2")), qPrintable(page.err));

        QCOMPARE(logs({QStringLiteral("list"), m_project, QStringLiteral("--status"),
                       QStringLiteral("maybe")})
                     .exitCode,
                 2);
        QCOMPARE(logs({QStringLiteral("list"), m_project, QStringLiteral("--since"),
                       QStringLiteral("yesterday-ish")})
                     .exitCode,
                 2);
        QCOMPARE(
            logs({QStringLiteral("list"), path(QStringLiteral("missing.touchstone"))}).exitCode, 2);
    }

    void showReadsLikeAConversation()
    {
        const json records
            = logs({QStringLiteral("list"), m_project, QStringLiteral("--json")}).json();
        const QString bobId = QString::number(records[1]["id"].get<qint64>());
        CliResult r = logs({QStringLiteral("show"), m_project, bobId});
        QCOMPARE(r.exitCode, 0);
        const qsizetype system = r.out.indexOf(QStringLiteral("--- system ---"));
        const qsizetype user = r.out.indexOf(QStringLiteral("--- user ---"));
        const qsizetype output = r.out.indexOf(QStringLiteral("--- output ---"));
        QVERIFY2(system > 0 && system < user && user < output, qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("Ticket from Bob: refund for order 7")));
        QVERIFY(r.out.contains(QStringLiteral("-> tool call lookup_order (call_1)")));
        QVERIFY(r.out.contains(QStringLiteral("\"order\": 4412"))); // arguments pretty-printed
        QVERIFY(r.out.contains(QStringLiteral("gpt-4o (openai)")));
        QVERIFY(r.out.contains(QStringLiteral("tokens 60 in, 9 out")));
        QVERIFY(r.out.contains(QStringLiteral("--- metadata ---")));
        QVERIFY(r.out.contains(QStringLiteral("--- trace ---"))); // the HTTP span is shown
        QVERIFY(r.out.contains(QStringLiteral("GET /orders")));

        r = logs({QStringLiteral("show"), m_project, bobId, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const json j = r.json();
        QVERIFY(j["id"] == records[1]["id"]);
        QVERIFY(j["messages"] == records[1]["messages"]);
        QVERIFY(j["trace"].is_array());
        QVERIFY(j["trace"].size() >= 2);

        QCOMPARE(logs({QStringLiteral("show"), m_project, QStringLiteral("999999")}).exitCode, 2);
        QCOMPARE(logs({QStringLiteral("show"), m_project, QStringLiteral("abc")}).exitCode, 2);
    }

    void toDatasetRecoversVariablesAndKeepsProductionOutput()
    {
        CliResult r = runCli(
            {QStringLiteral("prompt"), QStringLiteral("add"), m_project, QStringLiteral("support"),
             QStringLiteral("--system"), QStringLiteral("You answer support tickets."),
             QStringLiteral("--user"), QStringLiteral("Ticket from {{customer}}: {{ticket}}")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        r = logs({QStringLiteral("to-dataset"), m_project, QStringLiteral("--dataset"),
                  QStringLiteral("missing")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--create")), qPrintable(r.err));

        r = logs({QStringLiteral("to-dataset"), m_project, QStringLiteral("--dataset"),
                  QStringLiteral("prod"), QStringLiteral("--create"), QStringLiteral("--prompt"),
                  QStringLiteral("support@1"), QStringLiteral("--status"), QStringLiteral("ok")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("Added 2 cases to \"prod\"")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("Every variable of support@1 was recovered")),
                 qPrintable(r.out));

        {
            auto project = ts::Project::open(m_project);
            QVERIFY(project);
            ts::DatasetStore store(project->db());
            auto cases = store.cases(store.dataset(QStringLiteral("prod")).value().id);
            QVERIFY(cases);
            QCOMPARE(cases->size(), 2);
            QVERIFY(cases->at(0).data.vars
                    == json({{"customer", "Ann"}, {"ticket", "refund please"}}));
            QCOMPARE(cases->at(0).source, ts::CaseSource::Log);
            QCOMPARE(cases->at(0).productionOutput,
                     std::optional<QString>(QStringLiteral("Refund sent.")));
            QVERIFY(cases->at(0).logId.has_value());
            QVERIFY(!cases->at(0).data.expected);
        }

        // Without a prompt, the user message is `input`; the expected answer only when asked.
        r = logs({QStringLiteral("to-dataset"), m_project, QStringLiteral("--dataset"),
                  QStringLiteral("raw"), QStringLiteral("--create"), QStringLiteral("--search"),
                  QStringLiteral("Ann"), QStringLiteral("--expected-from-output"),
                  QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json().value("added", -1), 1);
        r = runCli({QStringLiteral("dataset"), QStringLiteral("export"), m_project,
                    QStringLiteral("--dataset"), QStringLiteral("raw")});
        QCOMPARE(r.exitCode, 0);
        const json exported = json::parse(r.out.trimmed().toStdString(), nullptr, false);
        QVERIFY2(exported
                     == json({{"input", "Ticket from Ann: refund please"},
                              {"__expected", "Refund sent."}}),
                 qPrintable(r.out));
    }

    void toDatasetSampleIsSeeded()
    {
        auto sample = [&](const QString &dataset, const QString &seed) {
            const CliResult r = logs(
                {QStringLiteral("to-dataset"), m_project, QStringLiteral("--dataset"), dataset,
                 QStringLiteral("--create"), QStringLiteral("--sample"), QStringLiteral("2"),
                 QStringLiteral("--seed"), seed, QStringLiteral("--json")});
            const CliResult e = runCli({QStringLiteral("dataset"), QStringLiteral("export"),
                                        m_project, QStringLiteral("--dataset"), dataset});
            return qMakePair(r.json().value("added", -1), e.out);
        };
        const auto a = sample(QStringLiteral("s1"), QStringLiteral("7"));
        const auto b = sample(QStringLiteral("s2"), QStringLiteral("7"));
        QCOMPARE(a.first, 2);
        QCOMPARE(a.second, b.second); // the same seed picks the same records

        const CliResult bad
            = logs({QStringLiteral("to-dataset"), m_project, QStringLiteral("--dataset"),
                    QStringLiteral("s3"), QStringLiteral("--seed"), QStringLiteral("1")});
        QCOMPARE(bad.exitCode, 2);
        const CliResult noSuchPrompt
            = logs({QStringLiteral("to-dataset"), m_project, QStringLiteral("--dataset"),
                    QStringLiteral("s4"), QStringLiteral("--create"), QStringLiteral("--prompt"),
                    QStringLiteral("nosuch@1")});
        QCOMPARE(noSuchPrompt.exitCode, 2);
    }

    void toDatasetByIdsReportsUnrecovered()
    {
        CliResult r
            = runCli({QStringLiteral("prompt"), QStringLiteral("add"), m_project,
                      QStringLiteral("fewshot"), QStringLiteral("--system"),
                      QStringLiteral("You answer support tickets."), QStringLiteral("--user"),
                      QStringLiteral("{{#examples}}{{q}}\n{{/examples}}Ticket: {{ticket}}")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const json records
            = logs({QStringLiteral("list"), m_project, QStringLiteral("--json")}).json();
        const QString ids = QStringLiteral("%1,%2")
                                .arg(records[0]["id"].get<qint64>())
                                .arg(records[2]["id"].get<qint64>());
        r = logs({QStringLiteral("to-dataset"), m_project, QStringLiteral("--dataset"),
                  QStringLiteral("picked"), QStringLiteral("--create"), QStringLiteral("--ids"),
                  ids, QStringLiteral("--prompt"), QStringLiteral("fewshot@1")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("Added 2 cases")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("Could not recover 'examples' in 2 records")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("'ticket' took a whole message in 2 records")),
                 qPrintable(r.out));

        r = logs({QStringLiteral("to-dataset"), m_project, QStringLiteral("--dataset"),
                  QStringLiteral("picked"), QStringLiteral("--ids"), QStringLiteral("999999")});
        QCOMPARE(r.exitCode, 2);
    }

    void ctrlCKeepsCommittedBatchesAndReimportContinues()
    {
        // Enough records that the import is still running when the first batch is committed.
        const int total = 30000;
        QByteArray file;
        for (int i = 0; i < total; ++i) {
            char spanId[17];
            std::snprintf(spanId, sizeof spanId, "%016x", i + 1);
            file += tracesLine(chatSpan(spanId, i, "gpt-4o-mini", "C" + std::to_string(i),
                                        "short question", textOutput("short answer")));
        }
        const QString big = write(QStringLiteral("big.jsonl"), file);
        file.clear();
        const QString project = newProject(QStringLiteral("cancel.touchstone"));

        QProcess import;
        import.start(QStringLiteral(TOUCHSTONE_CLI_PATH),
                     {QStringLiteral("logs"), QStringLiteral("import"), project, big});
        QVERIFY(import.waitForStarted());
        qint64 stored = 0;
        // Wait for the first committed batch, then press Ctrl+C.
        for (int i = 0; i < 1200 && stored == 0 && import.state() == QProcess::Running; ++i) {
            QTest::qWait(25);
            stored = countLogs(project);
        }
        QVERIFY2(stored > 0, "no batch was committed while the import ran");
        QCOMPARE(import.state(), QProcess::Running);
        ::kill(pid_t(import.processId()), SIGINT);
        QVERIFY(import.waitForFinished(60000));
        QCOMPARE(import.exitStatus(), QProcess::NormalExit);
        QCOMPARE(import.exitCode(), 1);
        QVERIFY(
            QString::fromUtf8(import.readAllStandardError()).contains(QStringLiteral("cancelled")));
        const qint64 kept = countLogs(project);
        QVERIFY2(kept > 0 && kept < total, qPrintable(QString::number(kept)));

        // The same command again imports the rest and skips what was kept.
        const CliResult r
            = logs({QStringLiteral("import"), project, big, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json().value("imported", -1), total - int(kept));
        QCOMPARE(r.json().value("duplicates", -1), int(kept));
        QCOMPARE(countLogs(project), qint64(total));
    }

    void helpAndUsage()
    {
        for (const char *sub : {"import", "list", "show", "to-dataset"}) {
            const CliResult h = logs({QLatin1String(sub), QStringLiteral("--help")});
            QCOMPARE(h.exitCode, 0);
            QVERIFY2(h.out.startsWith(QStringLiteral("Usage: touchstone-cli logs ")
                                      + QLatin1String(sub)),
                     qPrintable(h.out));
        }
        QCOMPARE(logs({}).exitCode, 2);
        QCOMPARE(logs({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(logs({QStringLiteral("import"), m_project}).exitCode, 2); // no source
    }
};

QTEST_GUILESS_MAIN(TestCliLogs)
#include "test_cli_logs.moc"
