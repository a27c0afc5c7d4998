// import-promptfoo carries the embedding provider of `similar` and answer-relevance over to the
// project: an assertion's `provider`, a test's `options.provider` and
// `defaultTest.options.provider` (its `embedding` part) become the configured model the
// assertion embeds with, when the project has it (by name, or by model id); otherwise, and for
// grading providers, the import says what it left behind. The imported eval then embeds with
// that model although the eval names none.

#include "evalfixture.h"

#include "datasets/promptfooproject.h"
#include "insights/embeddingcache.h"
#include "io/promptfooimport.h"

#include <QFile>

using namespace ts;

class TestPromptfooEmbeddingImport final : public QObject
{
    Q_OBJECT

private:
    EvalFixture f;

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ts::EvalEstimate>();
        qRegisterMetaType<ts::EvalProgress>();
        QVERIFY(f.open(QStringLiteral("promptfoo.touchstone")));
        test::FakeServerConfig config;
        config.outputTokens = 1; // every answer is "Echo:"
        config.embeddings = {{QStringLiteral("Echo:"), {1, 0, 0}},
                             {QStringLiteral("close"), {4, 3, 0}}}; // cosine 4/5 = 0.8
        f.server->setConfig(config);
        f.addModel(QStringLiteral("embedder"), QStringLiteral("fake-embed"));
    }

    void providersMapToProjectModels()
    {
        QFile yaml(f.dir.filePath(QStringLiteral("promptfooconfig.yaml")));
        QVERIFY(yaml.open(QIODevice::WriteOnly));
        yaml.write(R"(prompts: ["Say: {{question}}"]
providers: [openai:chat:gpt-4o-mini]
defaultTest:
  options:
    provider:
      embedding: openai:embedding:fake-embed
tests:
  - vars: {question: one, query: close}
    assert:
      - type: similar
        value: close
        provider: embedder
      - type: answer-relevance
      - type: similar
        value: close
        provider: openai:embedding:text-embedding-3-large
  - vars: {question: two}
    options:
      provider: ollama:embeddings:nomic-embed-text
    assert:
      - type: similar
        value: close
      - type: llm-rubric
        value: is polite
        provider: openai:chat:gpt-4o
)");
        yaml.close();
        const auto imported = importPromptfooConfig(yaml.fileName());
        QVERIFY2(imported, imported ? "" : qPrintable(imported.error().message));
        const auto stored = importPromptfooIntoProject(f.db(), *imported, QStringLiteral("pf"));
        QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));
        const QString unmapped = stored->unmapped.join(QLatin1Char('\n'));

        const qint64 dataset = DatasetStore(f.db()).dataset(QStringLiteral("pf")).value().id;
        const QList<StoredAssertion> a = AssertionStore(f.db()).forDataset(dataset).value();
        QCOMPARE(a.size(), 5);
        // An assertion naming a model by its name.
        QVERIFY(a[0].spec.value == nlohmann::json({{"value", "close"}, {"provider", "embedder"}}));
        // defaultTest.options.provider.embedding, matched by model id and kind.
        QCOMPARE(a[1].spec.type, QStringLiteral("answer-relevance"));
        QVERIFY(a[1].spec.value == nlohmann::json({{"provider", "embedder"}}));
        // A model the project does not have: the eval's embedding model is used, and said so.
        QVERIFY(a[2].spec.value == nlohmann::json("close"));
        QVERIFY2(
            unmapped.contains(QLatin1String(
                "tests[0].assert[2].provider: embedding provider "
                "\"openai:embedding:text-embedding-3-large\" matches no model of the project")),
            qPrintable(unmapped));
        // A test's options.provider wins over defaultTest's; no such model here either.
        QVERIFY(a[3].spec.value == nlohmann::json("close"));
        QVERIFY2(
            unmapped.contains(QLatin1String("\"ollama:embeddings:nomic-embed-text\" matches no "
                                            "model")),
            qPrintable(unmapped));
        // A grading provider is not carried over, and the import says so.
        QCOMPARE(a[4].spec.type, QStringLiteral("llm-rubric"));
        QVERIFY2(unmapped.contains(QLatin1String("tests[1].assert[1].provider: a grading provider "
                                                 "per assertion is not carried over")),
                 qPrintable(unmapped));
        QVERIFY(!unmapped.contains(QLatin1String("option not supported")));

        // The imported assertion embeds with its own model although the eval names none.
        AssertionStore store(f.db());
        const qint64 only = DatasetStore(f.db()).createDataset(QStringLiteral("one")).value().id;
        TestCaseData c;
        c.vars = {{"question", "one"}};
        DatasetStore(f.db()).importCases(only, {c}).value();
        QVERIFY(store.add(only, std::nullopt, a[0].spec));
        EvalConfig config;
        config.variants
            = {{f.addVersion(QStringLiteral("say"), QStringLiteral("Say: {{question}}")),
                f.addModel(QStringLiteral("chat"), QStringLiteral("fake-small"))}};
        config.datasetId = only;
        config.useCache = false;
        config.resume = false;
        EvalRunner runner(f.engine.get());
        installEvalEmbedders(runner, f.path, f.network.get());
        QCOMPARE(f.run(runner, config), QStringLiteral("completed"));
        const EvalResults r = f.results(runner.evalId());
        QCOMPARE(r.errorCount, 0);
        const EvalSample &s = r.cell(0, 0).samples.first();
        QVERIFY2(s.pass, qPrintable(s.reason));
        QVERIFY(qAbs(s.assertions.first().score - 0.8) < 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestPromptfooEmbeddingImport)
#include "test_promptfoo_embedding_import.moc"
