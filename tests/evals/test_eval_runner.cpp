#include "evalfixture.h"

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
        QCOMPARE(worse->passFail.baselineOnlyPasses, 5);
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
