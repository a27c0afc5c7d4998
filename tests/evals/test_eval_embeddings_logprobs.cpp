// Evals get their embedding model and log probabilities end to end, against the project's fake
// LLM server: `similar` at threshold 0.75 with vectors whose cosines are worked out by hand,
// answer-relevance through the judge's model and the embedder, an assertion naming its own
// embedding model, the project's default embedding model, an eval's own model kept for its
// resume, errors (no model, a chat model, a refused key, an Anthropic model) that make the
// sample an error rather than a failure, embeddings served from the project's cache when the
// eval runs again, and perplexity from the token log probabilities OpenAI, Gemini and Ollama
// return (Anthropic has none).

#include "evalfixture.h"

#include "evals/evalplan.h"
#include "insights/embeddingcache.h"

#include <cmath>

using namespace ts;

namespace {

/// Every answer of the fake server is the single token "Echo:" (outputTokens = 1).
const QString kOutput = QStringLiteral("Echo:");

/// Vectors chosen so the cosines are easy by hand: cos(out, close) = 4/5 = 0.8,
/// cos(out, far) = 3/5 = 0.6 (|(4,3,0)| = |(3,4,0)| = 5, |out| = 1).
QHash<QString, QList<double>> vectors()
{
    return {{kOutput, {1, 0, 0}},
            {QStringLiteral("close"), {4, 3, 0}},
            {QStringLiteral("far"), {3, 4, 0}}};
}

const AssertionResult *find(const EvalSample &s, const QString &type, const QString &valueText)
{
    for (const AssertionResult &a : s.assertions)
        if (a.type == type && QString::fromStdString(a.value.dump()).contains(valueText))
            return &a;
    return nullptr;
}

} // namespace

class TestEvalEmbeddingsLogprobs final : public QObject
{
    Q_OBJECT

private:
    EvalFixture f;
    qint64 m_version = 0;
    qint64 m_chat = 0;

    qint64 addModel(const QString &name, ProviderKind kind, const QString &modelId,
                    const QString &keyRef = {})
    {
        ModelConfig m;
        m.name = name;
        m.provider = kind;
        m.baseUrl = kind == ProviderKind::OpenAI ? f.server->baseUrl() + QStringLiteral("/v1")
                                                 : f.server->baseUrl();
        m.modelId = modelId;
        m.keyRef = keyRef;
        return ModelStore(f.db()).add(m).value().id;
    }

    qint64 dataset(const QString &name, const QList<nlohmann::json> &assertions,
                   const QStringList &queries = {QStringLiteral("close")})
    {
        DatasetStore store(f.db());
        const qint64 id = store.createDataset(name).value().id;
        QList<TestCaseData> cases;
        for (const QString &q : queries) {
            TestCaseData c;
            c.vars = {{"question", "one"}, {"query", q.toStdString()}};
            cases.append(c);
        }
        store.importCases(id, cases).value();
        AssertionStore specs(f.db());
        for (const nlohmann::json &a : assertions)
            if (!specs.add(id, std::nullopt, AssertionSpec::fromJson(a).value()))
                return 0;
        return id;
    }

    EvalConfig config(qint64 datasetId, QList<qint64> models = {},
                      const QString &embeddingModel = {})
    {
        if (models.isEmpty())
            models = {m_chat};
        EvalConfig c;
        for (qint64 m : models)
            c.variants.append({m_version, m});
        c.datasetId = datasetId;
        c.concurrency = 2;
        c.useCache = false;
        c.resume = false;
        c.embeddingModel = embeddingModel;
        return c;
    }

    int embeddingRequests() const
    {
        int n = 0;
        for (const test::FakeRequest &r : f.server->requests())
            n += r.path.endsWith("/embeddings") ? 1 : 0;
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ts::EvalEstimate>();
        qRegisterMetaType<ts::EvalProgress>();
        QVERIFY(f.open(QStringLiteral("embeddings.touchstone")));
        test::FakeServerConfig config;
        config.outputTokens = 1;
        config.embeddings = vectors();
        f.server->setConfig(config);
        m_version = f.addVersion(QStringLiteral("say"), QStringLiteral("Say: {{question}}"));
        m_chat
            = addModel(QStringLiteral("chat"), ProviderKind::OpenAI, QStringLiteral("fake-small"));
        addModel(QStringLiteral("embedder"), ProviderKind::OpenAI, QStringLiteral("fake-embed"));
    }

    void similarPassesAndFailsAtThreshold()
    {
        const qint64 ds = dataset(QStringLiteral("similar"),
                                  {{{"type", "similar"}, {"value", "close"}},
                                   {{"type", "similar"}, {"value", "far"}},
                                   {{"type", "similar"}, {"value", "far"}, {"threshold", 0.55}},
                                   {{"type", "not-similar"}, {"value", "far"}}});
        QVERIFY(ds);
        EvalRunner runner(f.engine.get());
        installEvalEmbedders(runner, f.path, f.network.get());
        f.server->reset();
        QCOMPARE(f.run(runner, config(ds, {}, QStringLiteral("embedder"))),
                 QStringLiteral("completed"));
        const EvalResults r = f.results(runner.evalId());
        QCOMPARE(r.errorCount, 0);
        const EvalSample &s = r.cell(0, 0).samples.first();
        QCOMPARE(s.output, kOutput);
        QCOMPARE(s.assertions.size(), 4);
        // cos = 0.8 >= 0.75: passes with score 0.8.
        QVERIFY(s.assertions[0].pass);
        QVERIFY(qAbs(s.assertions[0].score - 0.8) < 1e-6);
        // cos = 0.6 < 0.75: fails, score 0.6.
        QVERIFY(!s.assertions[1].pass);
        QVERIFY(qAbs(s.assertions[1].score - 0.6) < 1e-6);
        QVERIFY2(s.assertions[1].reason.contains(QLatin1String("0.60")),
                 qPrintable(s.assertions[1].reason));
        // The same cosine passes a lower threshold; not-similar inverts (score 1 - 0.6).
        QVERIFY(s.assertions[2].pass);
        QVERIFY(s.assertions[3].pass);
        QVERIFY(qAbs(s.assertions[3].score - 0.4) < 1e-6);
        QVERIFY(!s.pass);
        // The chat request did not ask for log probabilities: nothing here needs them.
        for (const test::FakeRequest &req : f.server->requests())
            if (req.path.endsWith("/chat/completions"))
                QVERIFY(!req.body.contains("logprobs"));
    }

    void embeddingsComeFromTheCacheTheSecondTime()
    {
        const qint64 ds
            = dataset(QStringLiteral("cached"), {{{"type", "similar"}, {"value", "close"}}});
        for (int round = 0; round < 2; ++round) {
            EvalRunner runner(f.engine.get());
            installEvalEmbedders(runner, f.path, f.network.get());
            f.server->reset();
            QCOMPARE(f.run(runner, config(ds, {}, QStringLiteral("embedder"))),
                     QStringLiteral("completed"));
            QVERIFY(f.results(runner.evalId()).cell(0, 0).samples.first().pass);
            // Both texts were embedded by the first eval of this file already.
            QCOMPARE(embeddingRequests(), 0);
        }
        QCOMPARE(f.count(QStringLiteral("SELECT count(*) FROM embeddings WHERE model = "
                                        "'openai:fake-embed'")),
                 qint64(3));
    }

    void theProjectDefaultAndANamedModelAreUsed()
    {
        const qint64 ds = dataset(
            QStringLiteral("named"),
            {{{"type", "similar"}, {"value", {{"value", "close"}, {"provider", "embedder"}}}}});
        {
            // No eval model and no project default: an assertion naming its model still works.
            EvalRunner runner(f.engine.get());
            installEvalEmbedders(runner, f.path, f.network.get());
            QCOMPARE(f.run(runner, config(ds)), QStringLiteral("completed"));
            const EvalResults r = f.results(runner.evalId());
            QCOMPARE(r.errorCount, 0);
            QVERIFY(r.cell(0, 0).samples.first().pass);
        }
        const qint64 plain
            = dataset(QStringLiteral("plain"), {{{"type", "similar"}, {"value", "close"}}});
        QVERIFY(setDefaultEmbeddingModel(f.db(),
                                         ModelStore(f.db()).find(QStringLiteral("embedder"))->id));
        QCOMPARE(defaultEmbeddingModel(f.db()).value()->name, QStringLiteral("embedder"));
        EvalRunner runner(f.engine.get());
        installEvalEmbedders(runner, f.path, f.network.get());
        QCOMPARE(f.run(runner, config(plain)), QStringLiteral("completed"));
        const EvalResults r = f.results(runner.evalId());
        QCOMPARE(r.errorCount, 0);
        QVERIFY(r.cell(0, 0).samples.first().pass);
        QVERIFY(setDefaultEmbeddingModel(f.db(), std::nullopt));
        QVERIFY(!defaultEmbeddingModel(f.db()).value());
    }

    void aResumedEvalEmbedsWithItsOwnModel()
    {
        // The project's default is a model that does not embed: scoring with it would be an
        // error. The eval chose "embedder"; its second case fails once and is asked again by a
        // resume that names no model (as the GUI's Resume and `eval --retry-errors` do).
        QVERIFY(setDefaultEmbeddingModel(f.db(), m_chat));
        DatasetStore store(f.db());
        const qint64 ds = store.createDataset(QStringLiteral("resumed")).value().id;
        QList<TestCaseData> cases(2);
        cases[0].vars = {{"question", "one"}, {"query", "close"}};
        cases[1].vars = {{"question", "two [fake:fault=400,times=1]"}, {"query", "close"}};
        store.importCases(ds, cases).value();
        QVERIFY(AssertionStore(f.db()).add(
            ds, std::nullopt,
            AssertionSpec::fromJson({{"type", "similar"}, {"value", "close"}}).value()));
        f.server->reset();
        EvalConfig c = config(ds, {}, QStringLiteral("embedder"));
        c.resume = true;
        qint64 evalId = 0;
        {
            EvalRunner first(f.engine.get());
            installEvalEmbedders(first, f.path, f.network.get());
            QCOMPARE(f.run(first, c), QStringLiteral("completed"));
            evalId = first.evalId();
            const EvalResults r = f.results(evalId);
            QCOMPARE(r.errorCount, 1);
            QVERIFY(r.cell(0, 0).samples.first().pass);
        }
        // The model is part of the eval's settings: the same eval without it is another one.
        QCOMPARE(findResumableEval(f.db(), c).value(), evalId);
        EvalConfig other = c;
        other.embeddingModel.clear();
        QCOMPARE(findResumableEval(f.db(), other).value(), 0);

        EvalRunner again(f.engine.get());
        installEvalEmbedders(again, f.path, f.network.get());
        QSignalSpy prepared(&again, &EvalRunner::prepared);
        QSignalSpy finished(&again, &EvalRunner::finished);
        again.prepareResume(evalId);
        QVERIFY(prepared.wait(20000));
        again.start();
        QVERIFY(finished.wait(60000));
        const EvalResults r = f.results(evalId);
        QCOMPARE(r.errorCount, 0);
        const EvalSample &resumed = r.cell(1, 0).samples.first();
        QVERIFY2(resumed.pass, qPrintable(resumed.error));
        QVERIFY(qAbs(resumed.assertions.first().score - 0.8) < 1e-6);
        QVERIFY(setDefaultEmbeddingModel(f.db(), std::nullopt));
    }

    void missingOrRefusedEmbeddingModelsAreErrors_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("message");
        QTest::newRow("none set") << QString() << QStringLiteral("needs an embedding model");
        QTest::newRow("not in the project")
            << QStringLiteral("nowhere")
            << QStringLiteral("\"nowhere\" is not a model of this project");
        QTest::newRow("a chat model")
            << QStringLiteral("chat") << QStringLiteral("does not support embeddings");
        QTest::newRow("refused key")
            << QStringLiteral("badkey") << QStringLiteral("Incorrect API key");
        QTest::newRow("Anthropic")
            << QStringLiteral("claude") << QStringLiteral("Anthropic has no embeddings API");
    }

    void missingOrRefusedEmbeddingModelsAreErrors()
    {
        QFETCH(QString, provider);
        QFETCH(QString, message);
        if (!ModelStore(f.db()).find(QStringLiteral("badkey"))) {
            qputenv("TS_TEST_BAD_EMBED_KEY", "sk-wrong");
            addModel(QStringLiteral("badkey"), ProviderKind::OpenAI,
                     QStringLiteral("fake-embed+fault=401"),
                     QStringLiteral("env:TS_TEST_BAD_EMBED_KEY"));
            addModel(QStringLiteral("claude"), ProviderKind::Anthropic,
                     QStringLiteral("fake-small"));
        }
        nlohmann::json value = "close";
        if (!provider.isEmpty())
            value = {{"value", "close"}, {"provider", provider.toStdString()}};
        const qint64 ds = dataset(
            QStringLiteral("errors %1").arg(QString::fromLatin1(QTest::currentDataTag())),
            {{{"type", "contains"}, {"value", "Echo"}}, {{"type", "similar"}, {"value", value}}});
        EvalRunner runner(f.engine.get());
        installEvalEmbedders(runner, f.path, f.network.get());
        QCOMPARE(f.run(runner, config(ds)), QStringLiteral("completed"));
        const EvalResults r = f.results(runner.evalId());
        // An error, beside the pass rate: neither a pass nor a failure.
        QCOMPARE(r.errorCount, 1);
        const EvalSample &s = r.cell(0, 0).samples.first();
        QVERIFY(!s.hasVerdict());
        QCOMPARE(s.output, kOutput); // the answer is kept
        QVERIFY2(s.error.contains(message), qPrintable(s.error));
        // The message sits at the assertion that could not be evaluated.
        const AssertionResult *similar
            = find(s, QStringLiteral("similar"), QStringLiteral("close"));
        QVERIFY(similar);
        QVERIFY2(similar->reason.contains(message), qPrintable(similar->reason));
        QCOMPARE(r.cell(0, 0).outputs(), 0);
        QCOMPARE(r.cell(0, 0).errors(), 1);
    }

    void answerRelevanceEndToEnd()
    {
        // The judge's model grades: it "suggests" the question "Echo:" (the fake's answer),
        // whose vector meets the query's: cos((1,0,0), close) = 0.8, cos((1,0,0), far) = 0.6.
        const qint64 judge
            = JudgeStore(f.db())
                  .addWithDefaultPrompt(QStringLiteral("grader"), JudgeKind::Pointwise, m_chat,
                                        QStringLiteral("ok"))
                  .value()
                  .id;
        const qint64 ds = dataset(QStringLiteral("relevance"),
                                  {{{"type", "answer-relevance"}, {"threshold", 0.75}}},
                                  {QStringLiteral("close"), QStringLiteral("far")});
        EvalConfig c = config(ds, {}, QStringLiteral("embedder"));
        c.judgeIds = {judge};
        EvalRunner runner(f.engine.get());
        installEvalEmbedders(runner, f.path, f.network.get());
        QCOMPARE(f.run(runner, c), QStringLiteral("completed"));
        const EvalResults r = f.results(runner.evalId());
        const AssertionResult &close = r.cell(0, 0).samples.first().assertions.first();
        const AssertionResult &far = r.cell(1, 0).samples.first().assertions.first();
        QVERIFY2(close.pass, qPrintable(close.reason));
        QVERIFY(qAbs(close.score - 0.8) < 1e-6);
        QVERIFY(!far.pass);
        QVERIFY(qAbs(far.score - 0.6) < 1e-6);
    }

    void perplexityFromLogProbs()
    {
        test::FakeServerConfig serverConfig = f.server->config();
        serverConfig.outputTokens = 4;
        serverConfig.logProbs = {-0.1, -0.2, -0.3, -0.4};
        f.server->setConfig(serverConfig);
        // mean log prob = -1.0 / 4 = -0.25; perplexity = e^0.25 = 1.2840254;
        // perplexity-score = 1 / (1 + 1.2840254) = 0.4378329.
        const double perplexity = std::exp(0.25);
        const double score = 1.0 / (1.0 + perplexity);
        QVERIFY(qAbs(perplexity - 1.2840254) < 1e-6);
        const qint64 ds = dataset(QStringLiteral("perplexity"),
                                  {{{"type", "perplexity"}, {"threshold", 1.3}},
                                   {{"type", "perplexity"}, {"threshold", 1.28}},
                                   {{"type", "perplexity-score"}, {"threshold", 0.43}},
                                   {{"type", "perplexity-score"}, {"threshold", 0.44}}});
        const qint64 gemini = addModel(QStringLiteral("gemini"), ProviderKind::Gemini,
                                       QStringLiteral("fake-small"));
        const qint64 ollama = addModel(QStringLiteral("ollama"), ProviderKind::Ollama,
                                       QStringLiteral("fake-small"));
        const qint64 claude = ModelStore(f.db()).find(QStringLiteral("claude")).value().id;
        f.server->reset();
        EvalRunner runner(f.engine.get());
        QCOMPARE(f.run(runner, config(ds, {m_chat, gemini, ollama, claude})),
                 QStringLiteral("completed"));
        const EvalResults r = f.results(runner.evalId());
        for (int v = 0; v < 3; ++v) {
            const EvalSample &s = r.cell(0, v).samples.first();
            QVERIFY2(s.hasVerdict(), qPrintable(s.error));
            QCOMPARE(s.assertions.size(), 4);
            QVERIFY2(s.assertions[0].pass, qPrintable(s.assertions[0].reason));
            QVERIFY(!s.assertions[1].pass);
            QVERIFY2(s.assertions[1].reason.contains(QLatin1String("Perplexity 1.28 is greater")),
                     qPrintable(s.assertions[1].reason));
            QVERIFY(s.assertions[2].pass);
            QVERIFY(qAbs(s.assertions[2].score - score) < 1e-6);
            QVERIFY(!s.assertions[3].pass);
        }
        // Anthropic returns no log probabilities: an error saying so, not a failure.
        const EvalSample &anthropic = r.cell(0, 3).samples.first();
        QVERIFY(!anthropic.hasVerdict());
        QVERIFY2(anthropic.error.contains(QLatin1String("Anthropic returns no log probabilities")),
                 qPrintable(anthropic.error));
        QCOMPARE(r.errorCount, 1);
        // Log probabilities were asked for by every provider that has them, and by no other.
        int asked = 0;
        for (const test::FakeRequest &req : f.server->requests()) {
            const auto body = nlohmann::json::parse(req.body.toStdString(), nullptr, false);
            if (req.path.endsWith("/chat/completions") || req.path.endsWith("/api/chat"))
                asked += body.value("logprobs", false) ? 1 : 0;
            else if (req.path.contains(":generateContent"))
                asked += body["generationConfig"].value("responseLogprobs", false) ? 1 : 0;
            else if (req.path.endsWith("/v1/messages"))
                QVERIFY(!body.contains("logprobs"));
        }
        QCOMPARE(asked, 3);
    }
};

QTEST_GUILESS_MAIN(TestEvalEmbeddingsLogprobs)
#include "test_eval_embeddings_logprobs.moc"
