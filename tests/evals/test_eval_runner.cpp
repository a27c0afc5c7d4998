#include "evalfixture.h"

#include "evals/evalplan.h"

using namespace ts;

namespace {

const QStringList kQuestions
    = {QStringLiteral("What is Paris"),       QStringLiteral("Where is Rome"),
       QStringLiteral("Who wrote Hamlet"),    QStringLiteral("Why is sky blue"),
       QStringLiteral("How tall is Everest"), QStringLiteral("When was 1066")};

} // namespace

class TestEvalRunner final : public QObject
{
    Q_OBJECT

private:
    EvalFixture f;
    qint64 m_v1 = 0; // "Question: ..." — passes `contains Question:`
    qint64 m_v2 = 0; // "Answer this: ..." — fails it
    qint64 m_small = 0;
    qint64 m_large = 0;
    qint64 m_dataset = 0;

    EvalConfig config() const
    {
        EvalConfig c;
        c.variants = {{m_v1, m_small}, {m_v1, m_large}, {m_v2, m_small}, {m_v2, m_large}};
        c.datasetId = m_dataset;
        c.concurrency = 3;
        c.useCache = false;
        c.resume = false;
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ts::EvalEstimate>();
        qRegisterMetaType<ts::EvalProgress>();
        QVERIFY(f.open(QStringLiteral("evals.touchstone")));
        m_v1 = f.addVersion(QStringLiteral("qa"), QStringLiteral("Question: {{question}}"));
        m_v2 = f.addVersion(QStringLiteral("qa"), QStringLiteral("Answer this: {{question}}"));
        m_small = f.addModel(QStringLiteral("small"), QStringLiteral("fake-small"), 1.0);
        m_large = f.addModel(QStringLiteral("large"), QStringLiteral("fake-large"));
        m_dataset = f.addDataset(QStringLiteral("qa"), kQuestions);
        AssertionStore assertions(f.db());
        // Passes for v1 only: the fake server echoes the prompt's words.
        QVERIFY(assertions.add(m_dataset, std::nullopt, {QStringLiteral("contains"), "Question:"}));
        // Passes everywhere: the question itself is echoed.
        QVERIFY(
            assertions.add(m_dataset, std::nullopt, {QStringLiteral("icontains"), "{{question}}"}));
        // One case-level assertion that fails on every variant.
        const qint64 firstCase = DatasetStore(f.db()).cases(m_dataset).value().first().id;
        QVERIFY(assertions.add(m_dataset, firstCase, {QStringLiteral("not-contains"), "Paris"}));
    }

    void estimateComesBeforeAnyCall()
    {
        EvalRunner runner(f.engine.get());
        QSignalSpy prepared(&runner, &EvalRunner::prepared);
        f.server->reset();
        runner.prepare(config());
        QVERIFY(prepared.wait(20000));
        const auto e = prepared.first().first().value<EvalEstimate>();
        QCOMPARE(e.cases, 6);
        QCOMPARE(e.variants, 4);
        QCOMPARE(e.generationCalls, 24);
        QCOMPARE(e.totalCalls, 24);
        QCOMPARE(e.alreadyDone, 0);
        QVERIFY(e.inputTokens > 0);
        QVERIFY(e.cost && *e.cost > 0);
        QCOMPARE(e.modelsWithoutPrices, QStringList {QStringLiteral("large")});
        QCOMPARE(f.server->requestCount(), 0);
        runner.cancel();
    }

    void matrixAssertionsAndStatistics()
    {
        EvalRunner runner(f.engine.get());
        QSignalSpy progress(&runner, &EvalRunner::progressed);
        QSignalSpy cells(&runner, &EvalRunner::cellsEvaluated);
        f.server->reset();
        QCOMPARE(f.run(runner, config()), QStringLiteral("completed"));
        QVERIFY(f.server->maxConcurrency() <= 3);
        QCOMPARE(f.server->requestCount(), 24);
        const auto last = progress.last().first().value<EvalProgress>();
        QCOMPARE(last.done, 24);
        QCOMPARE(last.total, 24);
        QCOMPARE(last.evaluated, 24);
        QCOMPARE(last.passed, 10); // v1 on cases 2..6, on both models
        int cellCount = 0;
        for (const auto &batch : cells)
            cellCount += int(batch.first().value<QList<EvalCellUpdate>>().size());
        QCOMPARE(cellCount, 24);

        const EvalResults r = f.results(runner.evalId());
        QCOMPARE(r.status, QStringLiteral("completed"));
        QCOMPARE(r.variants.size(), 4);
        QCOMPARE(r.variants[0].label, QStringLiteral("qa@1 · small"));
        QCOMPARE(r.variants[0].passRate.successes, 5);
        QCOMPARE(r.variants[0].passRate.trials, 6);
        QVERIFY(r.variants[0].passRate.ci.low < 5.0 / 6
                && r.variants[0].passRate.ci.high > 5.0 / 6);
        QCOMPARE(r.variants[2].passRate.successes, 0);
        QVERIFY(r.variants[0].cost > 0);

        // Case 1 carries its own failing assertion after the two dataset-level ones.
        const EvalSample &first = r.cell(0, 0).samples.first();
        QCOMPARE(first.assertions.size(), 3);
        QVERIFY(first.assertions[0].pass);
        QVERIFY(first.assertions[1].pass);
        QVERIFY(!first.assertions[2].pass);
        QVERIFY2(first.reason.contains(QStringLiteral("Paris")), qPrintable(first.reason));
        QVERIFY(first.output.startsWith(QStringLiteral("Echo: Question: What is Paris")));
        const EvalSample &v2 = r.cell(1, 2).samples.first();
        QVERIFY(!v2.pass);
        QVERIFY2(v2.assertions[0].reason.contains(QStringLiteral("Question:")),
                 qPrintable(v2.assertions[0].reason));
        QCOMPARE(f.count(QStringLiteral("SELECT count(*) FROM assertion_results")), 6 * 4 * 2 + 4);

        // v2 fails where v1 passed on 5 paired cases: McNemar exact p = 0.0625, not < 0.05.
        auto worse = r.compare(0, 2);
        QVERIFY(worse);
        QCOMPARE(worse->passFail.mcnemar.onlyFirst, 5);
        QCOMPARE(worse->passFail.pairedCases, 6);
        QVERIFY(!worse->passFail.repeated);
        QCOMPARE(worse->passFail.verdict, stats::ComparisonVerdict::NoSignificantDifference);
        QVERIFY2(worse->sentence.contains(QStringLiteral("No significant difference")),
                 qPrintable(worse->sentence));
        QVERIFY(worse->scores && worse->scores->meanDifference < 0);
        auto same = r.compare(0, 1);
        QVERIFY(same);
        QVERIFY(same->sentence.startsWith(
            QStringLiteral("qa@1 · large vs qa@1 · small: No significant difference")));

        QCOMPARE(r.rows(EvalResults::Filter::All).size(), 6);
        QCOMPARE(r.rows(EvalResults::Filter::FailuresOnly).size(), 6);
        QCOMPARE(r.rows(EvalResults::Filter::ChangedBetween, 0, 2), (QList<int> {1, 2, 3, 4, 5}));
        QCOMPARE(r.rows(EvalResults::Filter::ChangedBetween, 0, 1), QList<int> {});
        QCOMPARE(r.rows(EvalResults::Filter::FlakyOnly), QList<int> {});
    }

    void significantWithMoreCases()
    {
        // 12 cases where only the baseline passes: McNemar p = 0.00049, "Worse".
        const QStringList many
            = {QStringLiteral("a1"),  QStringLiteral("a2"),  QStringLiteral("a3"),
               QStringLiteral("a4"),  QStringLiteral("a5"),  QStringLiteral("a6"),
               QStringLiteral("a7"),  QStringLiteral("a8"),  QStringLiteral("a9"),
               QStringLiteral("a10"), QStringLiteral("a11"), QStringLiteral("a12")};
        const qint64 dataset = f.addDataset(QStringLiteral("many"), many);
        QVERIFY(AssertionStore(f.db()).add(dataset, std::nullopt,
                                           {QStringLiteral("contains"), "Question:"}));
        EvalConfig c = config();
        c.datasetId = dataset;
        c.variants = {{m_v1, m_small}, {m_v2, m_small}};
        EvalRunner runner(f.engine.get());
        QCOMPARE(f.run(runner, c), QStringLiteral("completed"));
        auto cmp = f.results(runner.evalId()).compare(0, 1);
        QVERIFY(cmp);
        QCOMPARE(cmp->passFail.verdict, stats::ComparisonVerdict::Worse);
        QVERIFY2(cmp->sentence.contains(QStringLiteral("Candidate is worse")),
                 qPrintable(cmp->sentence));
    }

    void samplesGivePassAtK()
    {
        EvalConfig c = config();
        c.variants = {{m_v1, m_small}};
        c.samples = 3;
        c.useCache = true;
        EvalRunner runner(f.engine.get());
        EvalEstimate e;
        QCOMPARE(f.run(runner, c, &e), QStringLiteral("completed"));
        QCOMPARE(e.generationCalls, 18);
        const EvalResults r = f.results(runner.evalId());
        QCOMPARE(r.samples, 3);
        QCOMPARE(r.variants[0].passRate.trials, 18);
        QCOMPARE(r.cell(0, 0).samples.size(), 3);
        QVERIFY(r.variants[0].passAtK);
        QCOMPARE(*r.variants[0].passAtK, 5.0 / 6);
        QCOMPARE(*r.variants[0].passHatK, 5.0 / 6);
        QVERIFY(r.variants[0].flakyCases.isEmpty());
        // The case is the unit: 6 cases, each with its 3 samples kept together.
        QCOMPARE(r.variants[0].passRate.method, stats::RateMethod::CaseBootstrap);
        QCOMPARE(r.variants[0].passRate.cases, 6);
        QCOMPARE(r.variants[0].passRate.successes, 15);
        QCOMPARE(r.variants[0].passRate.estimate, 5.0 / 6);
        QCOMPARE(r.variants[0].score.n, 6);
    }

    void droppedAndTruncatedAnswersAreRetriedNeverScored()
    {
        // Every distinct request is cut off once (connection dropped half-way through the
        // body, or a body that ends early), then answered in full on the retry.
        for (const char *fault : {"drop", "truncate"}) {
            const qint64 model = f.addModel(
                QStringLiteral("cut-%1").arg(QLatin1String(fault)),
                QStringLiteral("fake-small+fault=%1,times=1,each").arg(QLatin1String(fault)));
            EvalConfig c = config();
            c.variants = {{m_v1, model}};
            f.server->reset();
            EvalRunner runner(f.engine.get());
            QCOMPARE(f.run(runner, c), QStringLiteral("completed"));
            QCOMPARE(f.server->requestCount(), 12); // 6 cut short, 6 retried
            const EvalResults r = f.results(runner.evalId());
            QCOMPARE(r.variants[0].errors, 0);
            QCOMPARE(r.variants[0].passRate.trials, 6);
            QCOMPARE(r.variants[0].passRate.successes, 5);
            for (int i = 0; i < 6; ++i) {
                const EvalSample &s = r.cell(i, 0).samples.first();
                QVERIFY(s.hasVerdict());
                QVERIFY2(s.output.endsWith(QLatin1Char('.')) || s.output.size() > 20,
                         qPrintable(s.output));
                QVERIFY(s.output.startsWith(QStringLiteral("Echo: Question:")));
            }
            QCOMPARE(f.count(QStringLiteral("SELECT count(*) FROM generations WHERE run_id = %1 "
                                            "AND status != 'ok'")
                                 .arg(r.variants[0].runId)),
                     0);
        }
    }

    void answersCutShortEveryTimeAreErrorsWithoutText()
    {
        const qint64 model
            = f.addModel(QStringLiteral("always-cut"), QStringLiteral("fake-small+fault=truncate"));
        const qint64 dataset = f.addDataset(QStringLiteral("one"), {QStringLiteral("only")});
        EvalConfig c = config();
        c.datasetId = dataset;
        c.variants = {{m_v1, model}};
        f.server->reset();
        EvalRunner runner(f.engine.get());
        runner.setRetryBudget(kEvalMaxRetries, 5); // the same 7 attempts, quicker
        QCOMPARE(f.run(runner, c), QStringLiteral("completed"));
        QCOMPARE(f.server->requestCount(), 1 + kEvalMaxRetries);
        const EvalResults r = f.results(runner.evalId());
        const EvalSample &s = r.cell(0, 0).samples.first();
        QVERIFY(!s.hasVerdict());
        QVERIFY(s.output.isEmpty()); // the fragment is never scored nor kept as an answer
        QVERIFY2(s.error.contains(QStringLiteral("cut short")), qPrintable(s.error));
        QVERIFY2(s.error.contains(QStringLiteral("after 7 attempts")), qPrintable(s.error));
        QCOMPARE(r.variants[0].errors, 1);
        QCOMPARE(r.variants[0].passRate.trials, 0);
        QCOMPARE(f.count(QStringLiteral("SELECT count(*) FROM case_verdicts")),
                 f.count(QStringLiteral("SELECT count(*) FROM generations WHERE status = 'ok' "
                                        "AND run_id IN (SELECT run_id FROM eval_variants)")));
    }

    void failedCallsAreErrorsNotFailures()
    {
        // Case 3 answers HTTP 400 (not retried) to whichever variant asks first, once.
        const qint64 dataset
            = f.addDataset(QStringLiteral("flaky-wire"),
                           {QStringLiteral("q1"), QStringLiteral("q2"),
                            QStringLiteral("q3 [fake:fault=400,times=1]"), QStringLiteral("q4"),
                            QStringLiteral("q5"), QStringLiteral("q6")});
        QVERIFY(AssertionStore(f.db()).add(dataset, std::nullopt,
                                           {QStringLiteral("contains"), "Question:"}));
        EvalConfig c = config();
        c.datasetId = dataset;
        c.variants = {{m_v1, m_small}, {m_v2, m_small}};
        c.concurrency = 1; // v1 asks first
        f.server->reset();
        EvalRunner runner(f.engine.get());
        QSignalSpy progress(&runner, &EvalRunner::progressed);
        QCOMPARE(f.run(runner, c), QStringLiteral("completed"));
        const auto last = progress.last().first().value<EvalProgress>();
        QCOMPARE(last.done, 12);
        QCOMPARE(last.errors, 1);
        QCOMPARE(last.evaluated, 11); // the live rate leaves the error out too
        const EvalResults r = f.results(runner.evalId());
        // v1: 5 of 5 scored calls pass and 1 error — not "5 of 6 passed".
        QCOMPARE(r.variants[0].errors, 1);
        QCOMPARE(r.variants[0].passRate.successes, 5);
        QCOMPARE(r.variants[0].passRate.trials, 5);
        QCOMPARE(r.variants[0].passRate.cases, 5);
        QCOMPARE(r.variants[0].passRate.estimate, 1.0);
        QCOMPARE(r.variants[0].score.n, 5);
        QCOMPARE(r.variants[1].errors, 0);
        QCOMPARE(r.variants[1].passRate.trials, 6);
        QCOMPARE(r.errorCount, 1);
        QCOMPARE(r.rows(EvalResults::Filter::ErrorsOnly), QList<int> {2});
        QCOMPARE(evalErrorCount(f.db(), r.evalId).value(), 1);
        // The paired test uses the 5 cases both variants answered.
        auto cmp = r.compare(0, 1);
        QVERIFY(cmp);
        QCOMPARE(cmp->passFail.pairedCases, 5);
        QCOMPARE(cmp->passFail.unpairedCases, 1);
        QCOMPARE(cmp->passFail.mcnemar.onlyFirst, 5);
        QVERIFY2(cmp->sentence.contains(QStringLiteral("1 case left out")),
                 qPrintable(cmp->sentence));
        QVERIFY(cmp->scores && cmp->scores->n == 5);
    }

    void aCallWaitingToRetryLendsItsSlot()
    {
        // Concurrency 1; w1 is asked to come back in a second (HTTP 429). While it waits, the
        // eval's only slot goes to w2, and w1 takes a slot again when its wait is over.
        const qint64 dataset
            = f.addDataset(QStringLiteral("backoff"),
                           {QStringLiteral("w1 [fake:fault=429,retry-after=1,times=1]"),
                            QStringLiteral("w2"), QStringLiteral("w3")});
        QVERIFY(AssertionStore(f.db()).add(dataset, std::nullopt,
                                           {QStringLiteral("contains"), "Question:"}));
        EvalConfig c = config();
        c.datasetId = dataset;
        c.variants = {{m_v1, m_small}};
        c.concurrency = 1;
        f.server->reset();
        EvalRunner runner(f.engine.get());
        QCOMPARE(f.run(runner, c), QStringLiteral("completed"));
        const QList<test::FakeRequest> requests = f.server->requests();
        QCOMPARE(requests.size(), 4);
        QVERIFY(requests.at(0).body.contains("w1"));
        QVERIFY2(requests.at(1).body.contains("w2"), requests.at(1).body.constData());
        QCOMPARE(f.server->maxConcurrency(), 1);
        const EvalResults r = f.results(runner.evalId());
        QCOMPARE(r.errorCount, 0);
        QCOMPARE(r.variants[0].passRate.trials, 3);
        QCOMPARE(r.variants[0].passRate.successes, 3);
    }

    void retryErrorsCompletesTheEval()
    {
        // Case 2 fails for both variants (two 400s), then the server recovers.
        const qint64 dataset
            = f.addDataset(QStringLiteral("recovering"),
                           {QStringLiteral("r1"), QStringLiteral("r2 [fake:fault=400,times=2]"),
                            QStringLiteral("r3"), QStringLiteral("r4")});
        QVERIFY(AssertionStore(f.db()).add(dataset, std::nullopt,
                                           {QStringLiteral("contains"), "Question:"}));
        EvalConfig c = config();
        c.datasetId = dataset;
        c.variants = {{m_v1, m_small}, {m_v2, m_small}};
        c.resume = true;
        f.server->reset();
        EvalRunner first(f.engine.get());
        QCOMPARE(f.run(first, c), QStringLiteral("completed"));
        const qint64 evalId = first.evalId();
        EvalResults r = f.results(evalId);
        QCOMPARE(r.errorCount, 2);
        QCOMPARE(findResumableEval(f.db(), c).value(), evalId);

        // The same eval again asks only the two failed calls, and then it is whole. (No
        // server reset: that would re-arm the marker's "times=2".)
        const int before = f.server->requestCount();
        EvalRunner again(f.engine.get());
        EvalEstimate e;
        QCOMPARE(f.run(again, c, &e), QStringLiteral("completed"));
        QCOMPARE(again.evalId(), evalId);
        QVERIFY(e.resumed);
        QCOMPARE(e.alreadyDone, 6);
        QCOMPARE(e.totalCalls, 8);
        QCOMPARE(f.server->requestCount() - before, 2);
        r = f.results(evalId);
        QCOMPARE(r.errorCount, 0);
        QCOMPARE(evalErrorCount(f.db(), evalId).value(), 0);
        QCOMPARE(r.variants[0].passRate.trials, 4);
        QCOMPARE(r.variants[0].passRate.successes, 4);
        QCOMPARE(r.variants[1].passRate.trials, 4);
        // Nothing left to retry: the same config now starts a new eval.
        QCOMPARE(findResumableEval(f.db(), c).value(), 0);
    }

    void cancelThenResumeRepeatsNothing()
    {
        FakeServerConfigGuard guard {f.server.get()};
        test::FakeServerConfig slow;
        slow.latencyMs = 150;
        f.server->setConfig(slow);
        f.server->reset();
        EvalConfig c = config();
        c.concurrency = 2;
        c.resume = true;
        c.name = QStringLiteral("resumable");
        EvalRunner first(f.engine.get());
        QSignalSpy prepared(&first, &EvalRunner::prepared);
        QSignalSpy finished(&first, &EvalRunner::finished);
        int landed = 0;
        connect(&first, &EvalRunner::cellsEvaluated, this, [&](const QList<EvalCellUpdate> &cells) {
            landed += int(cells.size());
            if (landed >= 5)
                first.cancel();
        });
        first.prepare(c);
        QVERIFY(prepared.wait(20000));
        first.start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("cancelled"));
        const qint64 evalId = first.evalId();
        const qint64 done = f.count(
            QStringLiteral("SELECT count(*) FROM generations g JOIN eval_variants ev ON "
                           "ev.run_id = g.run_id WHERE g.status = 'ok' AND ev.eval_id = %1")
                .arg(evalId));
        QVERIFY(done >= 5 && done < 24);
        QCOMPARE(f.results(evalId).status, QStringLiteral("cancelled"));

        f.server->reset();
        EvalRunner second(f.engine.get());
        EvalEstimate e;
        QCOMPARE(f.run(second, c, &e), QStringLiteral("completed"));
        QCOMPARE(second.evalId(), evalId);
        QVERIFY(e.resumed);
        QCOMPARE(e.alreadyDone, int(done));
        QCOMPARE(f.server->requestCount(), 24 - int(done));
        QCOMPARE(
            f.count(QStringLiteral("SELECT count(*) FROM generations g JOIN eval_variants ev ON "
                                   "ev.run_id = g.run_id WHERE g.status = 'ok' AND ev.eval_id = %1")
                        .arg(evalId)),
            24);
        const EvalResults r = f.results(evalId);
        QCOMPARE(r.status, QStringLiteral("completed"));
        for (const EvalVariantSummary &v : r.variants) {
            QCOMPARE(v.passRate.trials, 6);
            QCOMPARE(v.missing, 0);
        }
    }

private:
    struct FakeServerConfigGuard
    {
        test::FakeLlmServer *server;
        ~FakeServerConfigGuard() { server->setConfig({}); }
    };
};

QTEST_GUILESS_MAIN(TestEvalRunner)
#include "test_eval_runner.moc"
