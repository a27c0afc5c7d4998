// Reading a large eval in parts (issue 13): the SQL counts equal what the loaded cells give,
// pages hold what the whole eval holds, the statistics are cached once and recomputed when the
// results change, and the streamed --json / --junit equal the in-memory documents. Over a
// hand-built eval whose numbers are worked out below.

#include "datasets/datasetstore.h"
#include "evals/evalcounts.h"
#include "evals/evalreport.h"
#include "evals/evalresults.h"
#include "evals/evalstatistics.h"
#include "prompts/promptstore.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace ts;

namespace {

/// Two variants x four cases x three samples, written row by row:
///
/// variant 0: case 1 passes 3/3 (scores 1, 1, 1); case 2 passes 1/3 (1, 0, 0.5); case 3:
///   sample 0 failed, then a retry passed (1); sample 1 failed (an error); sample 2 failed its
///   assertions (0); case 4 never ran.
/// variant 1: case 1 fails 3/3 (0, 0.2, 0; sample 0's ok answer was followed by a failed
///   repeat, which does not replace it); case 2 passes 3/3 (1, 0.8, 1; sample 0 from the
///   cache, latency 5 ms, left out of the mean latency); case 3: sample 0 passed its
///   assertions (1) but the judge failed it (0), score (1 + 0) / 2; sample 1 passed with the
///   judge (1, 1); sample 2's judge call failed on the wire (an error); case 4 was cancelled.
/// Every generation costs 0.001 and takes 100 ms.
struct HandBuiltEval
{
    QTemporaryDir dir;
    std::optional<Project> project;
    qint64 evalId = 0;
    qint64 runs[2] = {0, 0};
    QList<qint64> cases;
    qint64 judgeId = 0;
    qint64 judgeRun = 0;

    Database &db() { return project->db(); }

    bool exec(const QString &sql)
    {
        auto ok = db().exec(sql);
        if (!ok)
            qWarning("%s: %s", qPrintable(sql), qPrintable(ok.error().message));
        return bool(ok);
    }

    qint64 generation(int variant, int caseNo, int sample, const char *status, double score,
                      bool pass, bool cacheHit = false)
    {
        const bool ok = QByteArray(status) == "ok";
        auto stmt = db().prepare(QStringLiteral(
            "INSERT INTO generations(run_id, test_case_id, sample_index, output, status, "
            "latency_ms, cost, error_code, error_message, cache_hit, created_at) VALUES "
            "(?, ?, ?, ?, ?, ?, 0.001, ?, ?, ?, '2026-11-30T10:00:00Z')"));
        stmt->bind(1, runs[variant])
            .bind(2, cases[caseNo - 1])
            .bind(3, sample)
            .bind(4, QStringLiteral("answer %1.%2.%3").arg(variant).arg(caseNo).arg(sample))
            .bind(5, status)
            .bind(6, cacheHit ? 5.0 : 100.0)
            .bind(7, ok ? std::optional<QString>() : QStringLiteral("server_error"))
            .bind(8, ok ? std::optional<QString>() : QStringLiteral("HTTP 503 from the model"))
            .bind(9, cacheHit);
        if (!stmt->run())
            return 0;
        const qint64 id = db().lastInsertId();
        if (ok) {
            auto cv = db().prepare(QStringLiteral("INSERT INTO case_verdicts(generation_id, pass, "
                                                  "score, reason) VALUES (?, ?, ?, ?)"));
            cv->bind(1, id).bind(2, pass).bind(3, score).bind(
                4, pass ? QString() : QStringLiteral("Expected output to contain \"x\""));
            if (!cv->run())
                return 0;
            auto ar = db().prepare(QStringLiteral(
                "INSERT INTO assertion_results(generation_id, position, type, value, weight, pass, "
                "score, reason) VALUES (?, 0, 'contains', '\"x\"', 1, ?, ?, '')"));
            ar->bind(1, id).bind(2, pass).bind(3, score);
            if (!ar->run())
                return 0;
        }
        return id;
    }

    bool judgment(qint64 generationId, std::optional<bool> pass, std::optional<double> score,
                  bool callFailed)
    {
        qint64 judgeGeneration = 0;
        if (callFailed) {
            if (!exec(QStringLiteral("INSERT INTO generations(run_id, status, error_message, "
                                     "created_at) VALUES (%1, 'error', 'timeout', 'now')")
                          .arg(judgeRun)))
                return false;
            judgeGeneration = db().lastInsertId();
        }
        auto stmt = db().prepare(QStringLiteral(
            "INSERT INTO judgments(eval_id, judge_id, generation_id, judge_generation_id, "
            "verdict, pass, score, reason, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "'now')"));
        stmt->bind(1, evalId)
            .bind(2, judgeId)
            .bind(3, generationId)
            .bind(4, judgeGeneration ? std::optional<qint64>(judgeGeneration) : std::nullopt)
            .bind(5, callFailed ? std::optional<QString>() : QStringLiteral("{\"pass\": true}"))
            .bind(6, pass)
            .bind(7, score)
            .bind(8, QStringLiteral("polite enough"))
            .bind(9,
                  callFailed ? std::optional<QString>(QStringLiteral("the call timed out"))
                             : std::nullopt);
        return bool(stmt->run());
    }

    bool build()
    {
        auto created = Project::create(dir.filePath(QStringLiteral("hand.touchstone")));
        if (!created)
            return false;
        project.emplace(std::move(*created));
        DatasetStore datasets(db());
        const qint64 dataset = datasets.createDataset(QStringLiteral("tickets")).value().id;
        for (const char *q : {"where is my order", "refund please", "change address", "cancel"}) {
            TestCaseData data;
            data.vars = {{"question", q}};
            data.description = QString::fromUtf8(q);
            cases << datasets.addCase(dataset, data).value().id;
        }
        const qint64 judgePrompt
            = PromptStore(db()).createPrompt(QStringLiteral("polite-judge")).value().id;
        if (!exec(QStringLiteral("INSERT INTO judges(name, kind, prompt_id, created_at) VALUES "
                                 "('polite', 'pointwise', %1, 'now')")
                      .arg(judgePrompt)))
            return false;
        judgeId = db().lastInsertId();
        if (!exec(QStringLiteral("INSERT INTO evals(name, dataset_id, samples, status, "
                                 "created_at) VALUES ('hand', %1, 3, 'completed', 'now')")
                      .arg(dataset)))
            return false;
        evalId = db().lastInsertId();
        for (int v = 0; v < 2; ++v) {
            if (!exec(QStringLiteral("INSERT INTO runs(kind, model_snapshot, dataset_id, samples, "
                                     "status, created_at) VALUES ('eval', '{\"name\": \"m%1\"}', "
                                     "%2, 3, 'completed', 'now')")
                          .arg(v + 1)
                          .arg(dataset)))
                return false;
            runs[v] = db().lastInsertId();
            if (!exec(QStringLiteral("INSERT INTO eval_variants(eval_id, position, run_id) "
                                     "VALUES (%1, %2, %3)")
                          .arg(evalId)
                          .arg(v)
                          .arg(runs[v])))
                return false;
        }
        if (!exec(QStringLiteral("INSERT INTO runs(kind, samples, status, created_at) VALUES "
                                 "('judge', 1, 'completed', 'now')")))
            return false;
        judgeRun = db().lastInsertId();

        bool ok = true;
        // Variant 0.
        ok = ok && generation(0, 1, 0, "ok", 1, true) && generation(0, 1, 1, "ok", 1, true)
            && generation(0, 1, 2, "ok", 1, true);
        ok = ok && generation(0, 2, 0, "ok", 1, true) && generation(0, 2, 1, "ok", 0, false)
            && generation(0, 2, 2, "ok", 0.5, false);
        ok = ok && generation(0, 3, 0, "error", 0, false) && generation(0, 3, 0, "ok", 1, true)
            && generation(0, 3, 1, "error", 0, false) && generation(0, 3, 2, "ok", 0, false);
        // Variant 1.
        ok = ok && generation(1, 1, 0, "ok", 0, false) && generation(1, 1, 0, "error", 0, false)
            && generation(1, 1, 1, "ok", 0.2, false) && generation(1, 1, 2, "ok", 0, false);
        ok = ok && generation(1, 2, 0, "ok", 1, true, true) && generation(1, 2, 1, "ok", 0.8, true)
            && generation(1, 2, 2, "ok", 1, true);
        const qint64 judgedFail = generation(1, 3, 0, "ok", 1, true);
        const qint64 judgedPass = generation(1, 3, 1, "ok", 1, true);
        const qint64 judgeLost = generation(1, 3, 2, "ok", 1, true);
        ok = ok && judgedFail && judgedPass && judgeLost && judgment(judgedFail, false, 0.0, false)
            && judgment(judgedPass, true, 1.0, false)
            && judgment(judgeLost, std::nullopt, std::nullopt, true)
            && generation(1, 4, 0, "cancelled", 0, false);
        return ok;
    }
};

QString page(const EvalResults &r, int c, int v)
{
    QStringList parts;
    for (const EvalSample &s : r.cell(c, v).samples)
        parts << QStringLiteral("%1:%2:%3:%4:%5")
                     .arg(s.sampleIndex)
                     .arg(s.hasVerdict())
                     .arg(s.pass)
                     .arg(s.score)
                     .arg(s.output);
    return parts.join(QLatin1Char('|'));
}

} // namespace

class TestEvalScale final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sqlCountsEqualTheLoadedCells()
    {
        HandBuiltEval e;
        QVERIFY(e.build());
        const EvalResults full = EvalResults::load(e.db(), e.evalId).value();
        const EvalResults counts = EvalCounts::load(e.db(), e.evalId).value();
        QVERIFY(counts.statisticsPending);
        QCOMPARE(counts.variants.size(), 2);

        // The numbers worked out by hand (see HandBuiltEval).
        const struct
        {
            int successes, trials, errors, missing, cases;
            double rate, score, cost, passAtK, passHatK;
            QList<int> flaky;
        } expected[2] = {
            {5,
             8,
             1,
             3,
             3,
             (1.0 + 1.0 / 3 + 0.5) / 3,
             (1.0 + 0.5 + 0.5) / 3,
             0.009,
             1.0,
             0.5,
             {1, 2}},
            {4,
             8,
             1,
             3,
             3,
             (0.0 + 1.0 + 0.5) / 3,
             (0.2 / 3 + 2.8 / 3 + 0.75) / 3,
             0.009,
             0.5,
             0.5,
             {2}},
        };
        for (int v = 0; v < 2; ++v) {
            for (const EvalResults *r : {&full, &counts}) {
                const EvalVariantSummary &s = r->variants[v];
                const QByteArray where = r == &full ? "in memory" : "SQL";
                QVERIFY2(s.passRate.successes == expected[v].successes, where);
                QVERIFY2(s.passRate.trials == expected[v].trials, where);
                QVERIFY2(s.errors == expected[v].errors, where);
                QVERIFY2(s.missing == expected[v].missing, where);
                QVERIFY2(s.passRate.cases == expected[v].cases, where);
                QVERIFY2(s.passRate.method == stats::RateMethod::CaseBootstrap, where);
                QVERIFY2(qFuzzyCompare(s.passRate.estimate, expected[v].rate), where);
                QVERIFY2(s.score.n == 3, where);
                QVERIFY2(qFuzzyCompare(s.score.mean, expected[v].score), where);
                QVERIFY2(qFuzzyCompare(s.cost, expected[v].cost), where);
                QVERIFY2(s.meanLatencyMs && qFuzzyCompare(*s.meanLatencyMs, 100.0), where);
                QVERIFY2(s.passAtK && qFuzzyCompare(*s.passAtK, expected[v].passAtK), where);
                QVERIFY2(s.passHatK && qFuzzyCompare(*s.passHatK, expected[v].passHatK), where);
                QVERIFY2(s.flakyCases == expected[v].flaky, where);
            }
        }
        QCOMPARE(counts.passedSamples, 9);
        QCOMPARE(counts.scoredSamples, 16);
        QCOMPARE(counts.errorCount, 2);
        QCOMPARE(full.passedSamples, 9);
        QCOMPARE(full.errorCount, 2);
        QVERIFY(counts.checked && full.checked);
        // The intervals are the background's: SQL gives none yet, the loaded cells do.
        QVERIFY(full.variants[0].passRate.ci.high > full.variants[0].passRate.ci.low);
    }

    void pagesAndVerdictsHoldWhatTheWholeEvalHolds()
    {
        HandBuiltEval e;
        QVERIFY(e.build());
        const EvalResults full = EvalResults::load(e.db(), e.evalId).value();
        const QList<qint64> ids = EvalResults::caseIds(e.db(), e.evalId).value();
        QCOMPARE(ids, e.cases);

        EvalLoadOptions options;
        options.caseIds = QList<qint64> {e.cases[2], e.cases[3]};
        options.statistics = false;
        const EvalResults pageOf = EvalResults::load(e.db(), e.evalId, options).value();
        QCOMPARE(pageOf.cases.size(), 2);
        for (int v = 0; v < 2; ++v) {
            QCOMPARE(page(pageOf, 0, v), page(full, 2, v));
            QCOMPARE(page(pageOf, 1, v), page(full, 3, v));
        }
        // Details come with a page: assertions, judge verdicts with reasons, error messages.
        QCOMPARE(pageOf.cell(0, 1).samples[0].judgments.size(), 1);
        QCOMPARE(pageOf.cell(0, 1).samples[0].reason,
                 QStringLiteral("Judge polite: polite enough"));
        QCOMPARE(pageOf.cell(0, 0).samples[1].error, QStringLiteral("HTTP 503 from the model"));
        QCOMPARE(pageOf.cell(0, 0).samples[0].assertions.size(), 1);

        // Verdicts only: no text, the same verdicts and statistics.
        EvalLoadOptions verdictsOnly;
        verdictsOnly.details = false;
        const EvalResults verdicts = EvalResults::load(e.db(), e.evalId, verdictsOnly).value();
        for (int c = 0; c < 4; ++c)
            for (int v = 0; v < 2; ++v)
                for (int s = 0; s < full.cell(c, v).samples.size(); ++s) {
                    const EvalSample &a = full.cell(c, v).samples[s];
                    const EvalSample &b = verdicts.cell(c, v).samples[s];
                    QCOMPARE(b.generationId, a.generationId);
                    QCOMPARE(b.pass, a.pass);
                    QCOMPARE(b.score, a.score);
                    QCOMPARE(b.hasVerdict(), a.hasVerdict());
                    QVERIFY(b.output.isEmpty());
                }
        QCOMPARE(verdicts.variants[1].passRate.ci.low, full.variants[1].passRate.ci.low);
        QCOMPARE(verdicts.variants[1].score.ci.high, full.variants[1].score.ci.high);
        QCOMPARE(verdicts.rows(EvalResults::Filter::ErrorsOnly), QList<int>({2}));
        QCOMPARE(verdicts.rows(EvalResults::Filter::FlakyOnly),
                 full.rows(EvalResults::Filter::FlakyOnly));
    }

    void statisticsAreCachedOnceAndRecomputedWhenResultsChange()
    {
        HandBuiltEval e;
        QVERIFY(e.build());
        auto first = EvalStatistics::summary(e.db(), e.evalId).value();
        QVERIFY(!first.fromCache);
        QVERIFY(first.scores);
        QCOMPARE(e.db().queryInt(QStringLiteral("SELECT count(*) FROM eval_statistics")).value(),
                 1);

        auto second = EvalStatistics::summary(e.db(), e.evalId).value();
        QVERIFY(second.fromCache);
        QVERIFY(!second.scores); // nothing was read but the header
        for (int v = 0; v < 2; ++v) {
            const EvalVariantSummary &a = first.results->variants[v];
            const EvalVariantSummary &b = second.results->variants[v];
            QCOMPARE(b.passRate.estimate, a.passRate.estimate);
            QCOMPARE(b.passRate.ci.low, a.passRate.ci.low);
            QCOMPARE(b.passRate.ci.high, a.passRate.ci.high);
            QCOMPARE(b.score.ci.low, a.score.ci.low);
            QCOMPARE(b.flakyCases, a.flakyCases);
            QCOMPARE(b.errors, a.errors);
            QCOMPARE(b.passAtK, a.passAtK);
        }
        QCOMPARE(second.results->errorCount, 2);
        QVERIFY(second.results->checked);

        const auto compared = EvalStatistics::compare(e.db(), e.evalId, 0, 1, nullptr).value();
        QCOMPARE(e.db().queryInt(QStringLiteral("SELECT count(*) FROM eval_statistics")).value(),
                 2);
        const auto again = EvalStatistics::compare(e.db(), e.evalId, 0, 1, nullptr).value();
        QCOMPARE(again.sentence, compared.sentence);
        QCOMPARE(again.passFail.pValue, compared.passFail.pValue);
        QVERIFY(compared.sentence.contains(QStringLiteral("paired bootstrap")));

        // Retry errors: the failed sample 1 of case 3 on variant 0 now passes.
        QVERIFY(e.generation(0, 3, 1, "ok", 1, true));
        auto retried = EvalStatistics::summary(e.db(), e.evalId).value();
        QVERIFY(!retried.fromCache);
        QCOMPARE(retried.results->variants[0].errors, 0);
        QCOMPARE(retried.results->variants[0].passRate.successes, 6);
        QCOMPARE(retried.results->errorCount, 1);
        QVERIFY(EvalStatistics::summary(e.db(), e.evalId).value().fromCache);

        // A report loads the eval whole and takes the cached statistics: the same numbers as
        // computing them from its cells, and a cache row that is not current is not used.
        const EvalResults computed = EvalResults::load(e.db(), e.evalId).value();
        EvalLoadOptions unsummarized;
        unsummarized.summarize = false;
        EvalResults whole = EvalResults::load(e.db(), e.evalId, unsummarized).value();
        QVERIFY(EvalStatistics::summarize(e.db(), whole));
        for (int v = 0; v < 2; ++v) {
            QCOMPARE(whole.variants[v].passRate.ci.low, computed.variants[v].passRate.ci.low);
            QCOMPARE(whole.variants[v].score.ci.high, computed.variants[v].score.ci.high);
            QCOMPARE(whole.variants[v].flakyCases, computed.variants[v].flakyCases);
        }
        QCOMPARE(EvalStatistics::loadWhole(e.db(), e.evalId).value().variants[0].passRate.successes,
                 6);
        QVERIFY(e.db().exec(QStringLiteral("DELETE FROM eval_statistics")));
        EvalResults uncached = EvalResults::load(e.db(), e.evalId, unsummarized).value();
        QVERIFY(!EvalStatistics::summarize(e.db(), uncached));
        QCOMPARE(uncached.variants[0].passRate.ci.low, computed.variants[0].passRate.ci.low);
        QVERIFY(EvalStatistics::summary(e.db(), e.evalId).value().fromCache); // kept again
    }

    void streamedJsonAndJunitEqualTheInMemoryOnes()
    {
        HandBuiltEval e;
        QVERIFY(e.build());
        const EvalResults full = EvalResults::load(e.db(), e.evalId).value();
        QList<VariantComparisonResult> comparisons {full.compare(0, 1).value()};
        const nlohmann::json inMemory = evalReportJson(full, comparisons);

        EvalLoadOptions verdictsOnly;
        verdictsOnly.details = false;
        const EvalResults verdicts = EvalResults::load(e.db(), e.evalId, verdictsOnly).value();
        QBuffer json;
        QVERIFY(json.open(QIODevice::WriteOnly));
        // Two cases a page, so the records cross pages.
        QVERIFY(writeEvalReportJson(e.db(), verdicts, comparisons, json, 2));
        const auto streamed = nlohmann::json::parse(json.data().toStdString(), nullptr, false);
        QVERIFY(!streamed.is_discarded());
        QCOMPARE(streamed["results"].size(), size_t(18)); // the samples that ran (none cancelled)
        QVERIFY(streamed == inMemory);
        // Formatted as the in-memory document is.
        QCOMPARE(json.data(), QByteArray::fromStdString(inMemory.dump(2) + "\n"));

        QBuffer xml;
        QVERIFY(xml.open(QIODevice::WriteOnly));
        QVERIFY(writeEvalJunitXml(e.db(), verdicts, xml, 2));
        QCOMPARE(xml.data(), evalJunitXml(full));

        // The CSV export the same way: byte for byte, a row per sample that ran.
        QBuffer csv;
        QVERIFY(csv.open(QIODevice::WriteOnly));
        QVERIFY(writeEvalResultsCsv(e.db(), verdicts, csv, 2));
        QCOMPARE(csv.data(), evalResultsCsv(full));
        QCOMPARE(csv.data().count("\r\n"), 1 + 18);
        QXmlStreamReader reader(xml.data());
        int testcases = 0, errors = 0, failures = 0;
        while (!reader.atEnd()) {
            reader.readNext();
            if (reader.isStartElement()) {
                testcases += reader.name() == QLatin1String("testcase");
                errors += reader.name() == QLatin1String("error");
                failures += reader.name() == QLatin1String("failure");
            }
        }
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
        QCOMPARE(testcases, 6); // three cases ran on each variant
        QCOMPARE(errors, 2); // case 3 on both variants
        QCOMPARE(failures, 2); // case 2 on variant 0, case 1 on variant 1
    }

    void onePassWritesBothReportsAsTheInMemoryOnesWithAwkwardText()
    {
        // The CLI writes --json and --junit in one pass, the JSON records as text of their own:
        // quotes, backslashes, control characters, markup, accents and emoji come out as
        // nlohmann and QXmlStreamWriter write them.
        HandBuiltEval e;
        QVERIFY(e.build());
        const QString awkward
            = QStringLiteral("say \"hi\" \\ <b>&amp;</b>\ttab\r\nnew é 😀 ") + QChar(0x7f);
        auto text = e.db().prepare(
            QStringLiteral("UPDATE generations SET output = ?1 || output WHERE status = 'ok'"));
        QVERIFY(text && text->bind(1, awkward).run());
        auto description = e.db().prepare(QStringLiteral(
            "UPDATE test_cases SET description = ?1, expected = ?1, vars = ?2 WHERE id = ?3"));
        QVERIFY(description
                && description->bind(1, awkward)
                       .bind(2, QStringLiteral("{\"q\": \"a\\u0001b\\u001f\", \"n\": 1.5e-7}"))
                       .bind(3, e.cases[1])
                       .run());
        auto reason = e.db().prepare(
            QStringLiteral("UPDATE assertion_results SET reason = ?1 WHERE id % 2 = 0"));
        QVERIFY(reason
                && reason
                       ->bind(1,
                              QStringLiteral("bell ") + QChar(0x07) + QStringLiteral(" esc ")
                                  + QChar(0x1b) + QStringLiteral(" \x08\f"))
                       .run());

        const EvalResults full = EvalResults::load(e.db(), e.evalId).value();
        QList<VariantComparisonResult> comparisons {full.compare(0, 1).value()};
        EvalLoadOptions verdictsOnly;
        verdictsOnly.details = false;
        const EvalResults verdicts = EvalResults::load(e.db(), e.evalId, verdictsOnly).value();
        for (int pageSize : {1, 3, 500}) {
            QBuffer json, xml;
            QVERIFY(json.open(QIODevice::WriteOnly) && xml.open(QIODevice::WriteOnly));
            // The statistics come last, as the CLI computes them meanwhile.
            EvalLoadOptions countsOnly = verdictsOnly;
            countsOnly.summarize = false;
            const EvalResults cells = EvalResults::load(e.db(), e.evalId, countsOnly).value();
            QCOMPARE(cells.errorCount, verdicts.errorCount);
            QCOMPARE(cells.passedSamples, verdicts.passedSamples);
            QCOMPARE(cells.scoredSamples, verdicts.scoredSamples);
            QVERIFY(writeEvalReports(
                e.db(), cells, [&] { return evalSummaryJson(verdicts, comparisons); }, &json, &xml,
                pageSize));
            QCOMPARE(json.data(),
                     QByteArray::fromStdString(evalReportJson(full, comparisons).dump(2) + "\n"));
            QVERIFY(json.data().contains("\\u0001b\\u001f"));
            QVERIFY(json.data().contains("bell \\u0007 esc \\u001b \\b\\f"));
            QCOMPARE(xml.data(), evalJunitXml(full));
            QVERIFY(xml.data().contains("&lt;b&gt;&amp;amp;&lt;/b&gt;"));
            QBuffer csv;
            QVERIFY(csv.open(QIODevice::WriteOnly));
            QVERIFY(writeEvalResultsCsv(e.db(), verdicts, csv, pageSize));
            QCOMPARE(csv.data(), evalResultsCsv(full));
            QVERIFY(csv.data().contains("\"say \"\"hi\"\" \\ <b>&amp;</b>\ttab\r\nnew"));
        }
        // A variant with no test case closes its suite empty, as the single writer does.
        QVERIFY(e.exec(QStringLiteral("DELETE FROM generations WHERE run_id = %1").arg(e.runs[1])));
        const EvalResults one = EvalResults::load(e.db(), e.evalId).value();
        const EvalResults oneVerdicts = EvalResults::load(e.db(), e.evalId, verdictsOnly).value();
        QBuffer xml;
        QVERIFY(xml.open(QIODevice::WriteOnly));
        QVERIFY(writeEvalReports(e.db(), oneVerdicts, {}, nullptr, &xml, 2));
        QCOMPARE(xml.data(), evalJunitXml(one));
        QVERIFY(xml.data().contains("tests=\"0\" failures=\"0\" errors=\"0\" time=\"0.000\"/>"));
    }
};

QTEST_GUILESS_MAIN(TestEvalScale)
#include "test_eval_scale.moc"
