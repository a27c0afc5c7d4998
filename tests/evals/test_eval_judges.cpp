#include "evalfixture.h"

using namespace ts;

// The fake server answers "Echo: " + the first words of the last user message, so a judge
// prompt (or a variant prompt) that starts with a JSON verdict gets that verdict back.
class TestEvalJudges final : public QObject
{
    Q_OBJECT

private:
    EvalFixture f;
    qint64 m_model = 0;
    qint64 m_judgeModel = 0;
    qint64 m_dataset = 0;

    qint64 judge(const QString &name, JudgeKind kind, const QString &user)
    {
        PromptStore prompts(f.db());
        const qint64 promptId = prompts.createPrompt(name + QStringLiteral("-prompt")).value().id;
        PromptContent content;
        content.messages = {{QStringLiteral("user"), user}};
        prompts.saveVersion(promptId, content, {}, QStringLiteral("test")).value();
        JudgeConfig j;
        j.name = name;
        j.kind = kind;
        j.promptId = promptId;
        j.modelId = m_judgeModel;
        j.rubric = QStringLiteral("Be fair.");
        return JudgeStore(f.db()).add(j).value().id;
    }

    EvalResults runWith(const QList<EvalVariantSpec> &variants, const QList<qint64> &judges,
                        EvalEstimate *estimate = nullptr)
    {
        EvalConfig c;
        c.variants = variants;
        c.datasetId = m_dataset;
        c.judgeIds = judges;
        c.concurrency = 4;
        c.resume = false;
        EvalRunner runner(f.engine.get());
        const QString status = f.run(runner, c, estimate);
        if (status != QLatin1String("completed"))
            qFatal("eval ended %s", qPrintable(status));
        return f.results(runner.evalId());
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ts::EvalEstimate>();
        QVERIFY(f.open(QStringLiteral("judges.touchstone")));
        m_model = f.addModel(QStringLiteral("small"), QStringLiteral("fake-small"));
        // A longer answer, so that the judge echoes whole verdicts.
        m_judgeModel = f.addModel(QStringLiteral("judge"), QStringLiteral("fake-large+tokens=64"));
        m_dataset
            = f.addDataset(QStringLiteral("duel"),
                           {QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")});
    }

    void pointwiseVerdictIsReadAndStored()
    {
        const qint64 v = f.addVersion(QStringLiteral("plain"), QStringLiteral("Say {{question}}"));
        const qint64 good
            = judge(QStringLiteral("lenient"), JudgeKind::Pointwise,
                    QStringLiteral("{\"pass\": true, \"score\": 0.8, \"reason\": \"fine\"}"));
        const qint64 harsh
            = judge(QStringLiteral("harsh"), JudgeKind::Pointwise,
                    QStringLiteral("{\"pass\": false, \"score\": 0.1, \"reason\": \"bad\"}"));
        EvalEstimate e;
        EvalResults r = runWith({{v, m_model}}, {good}, &e);
        QCOMPARE(e.judgeCalls, 3);
        QCOMPARE(e.totalCalls, 6);
        QCOMPARE(r.variants[0].passRate.successes, 3);
        const EvalSample &s = r.cell(0, 0).samples.first();
        QCOMPARE(s.judgments.size(), 1);
        QCOMPARE(s.judgments.first().judgeName, QStringLiteral("lenient"));
        QCOMPARE(s.judgments.first().pass, std::optional<bool>(true));
        QCOMPARE(*s.judgments.first().score, 0.8);
        QCOMPARE(s.score, (1.0 + 0.8) / 2);

        r = runWith({{v, m_model}}, {good, harsh});
        QCOMPARE(r.variants[0].passRate.successes, 0);
        QVERIFY2(r.cell(1, 0).samples.first().reason.contains(QStringLiteral("harsh")),
                 qPrintable(r.cell(1, 0).samples.first().reason));
        QVERIFY(f.count(QStringLiteral(
                    "SELECT count(*) FROM judgments WHERE judge_generation_id IS NOT NULL"))
                >= 9);
    }

    void unreadableVerdictIsAnErrorNeverAPass()
    {
        const qint64 v = f.addVersion(QStringLiteral("plain2"), QStringLiteral("Say {{question}}"));
        const qint64 mute = judge(QStringLiteral("mute"), JudgeKind::Pointwise,
                                  QStringLiteral("I have no opinion about {{output}}"));
        const EvalResults r = runWith({{v, m_model}}, {mute});
        QCOMPARE(r.variants[0].passRate.successes, 0);
        const JudgeOutcome &j = r.cell(0, 0).samples.first().judgments.first();
        QVERIFY(!j.pass);
        QVERIFY(!j.error.isEmpty());
        QVERIFY2(r.cell(0, 0).samples.first().reason.contains(QStringLiteral("no verdict")),
                 qPrintable(r.cell(0, 0).samples.first().reason));
        QCOMPARE(f.count(QStringLiteral(
                     "SELECT count(*) FROM judgments WHERE error IS NOT NULL AND pass IS NULL")),
                 3);
    }

    void pairwiseNeedsBothOrdersToAgree()
    {
        // Each variant's answer carries a verdict naming its own position when shown first...
        const qint64 a = f.addVersion(QStringLiteral("duel"),
                                      QStringLiteral("{\"winner\": \"A\"} {{question}}"));
        const qint64 b = f.addVersion(QStringLiteral("duel"),
                                      QStringLiteral("{\"winner\": \"B\"} {{question}}"));
        // ...and this judge repeats whatever output A says: "A" for variant a in both orders.
        const qint64 fair
            = judge(QStringLiteral("fair"), JudgeKind::Pairwise, QStringLiteral("{{output_a}}"));
        // This one always says "A": the orders disagree, so every pair is an inconsistent tie.
        const qint64 biased = judge(QStringLiteral("biased"), JudgeKind::Pairwise,
                                    QStringLiteral("{\"winner\": \"A\"}"));
        EvalEstimate e;
        const EvalResults r = runWith({{a, m_model}, {b, m_model}}, {fair, biased}, &e);
        QCOMPARE(e.judgeCalls, 2 * 2 * 3);
        QCOMPARE(r.pairwise.size(), 2);
        const PairwiseJudgeSummary &biasedSum = r.pairwise[0];
        QCOMPARE(biasedSum.judgeName, QStringLiteral("biased"));
        QCOMPARE(biasedSum.winsA, 0);
        QCOMPARE(biasedSum.winsB, 0);
        QCOMPARE(biasedSum.inconsistent, 3);
        QCOMPARE(*biasedSum.reliability.consistencyRate, 0.0);
        QCOMPARE(*biasedSum.reliability.positionBiasRate, 1.0);
        const PairwiseJudgeSummary &fairSum = r.pairwise[1];
        QCOMPARE(fairSum.judgeName, QStringLiteral("fair"));
        QCOMPARE(fairSum.winsA, 3);
        QCOMPARE(fairSum.winsB, 0);
        QCOMPARE(fairSum.inconsistent, 0);
        QCOMPARE(f.count(QStringLiteral(
                     "SELECT count(*) FROM judgments WHERE other_generation_id IS NOT NULL")),
                 12);
    }

    void judgeStoreDefaultsAndValidation()
    {
        JudgeStore store(f.db());
        auto j = store.addWithDefaultPrompt(QStringLiteral("facts"), JudgeKind::Factuality,
                                            m_judgeModel, {});
        QVERIFY(j);
        auto version = PromptStore(f.db()).resolve(QStringLiteral("facts-judge"));
        QVERIFY(version);
        QVERIFY(version->content.messages.first().text.contains(QStringLiteral("{{expected}}")));
        QCOMPARE(store.add(*j).error().code, ErrorCode::AlreadyExists);
        JudgeConfig bad = *j;
        bad.name = QStringLiteral("bad-scale");
        bad.scale.max = bad.scale.min;
        QCOMPARE(store.add(bad).error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestEvalJudges)
#include "test_eval_judges.moc"
