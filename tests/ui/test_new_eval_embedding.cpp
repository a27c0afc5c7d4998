// New Eval's "Embedding model": shown only when the chosen dataset has embedding assertions,
// listing the configured models that can embed (no Anthropic), starting at the project's
// default (or a model named like an embedding model); "Make default" stores the project's
// default, and the eval started from the dialog embeds with the chosen model.

#include "uifixture.h"

#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "evals/evalresults.h"
#include "evals/evalscontroller.h"
#include "evals/evalsview.h"
#include "evals/newevaldialog.h"
#include "fakellmserver.h"
#include "insights/embeddingcache.h"
#include "models/modelstore.h"
#include "playground/runservices.h"
#include "prompts/promptstore.h"
#include "storage/project.h"

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace ts;
using namespace ts::test;

class TestNewEvalEmbedding final : public QObject
{
    Q_OBJECT

private:
    FakeLlmServer m_server;
    PromptsFixture m_base;
    std::unique_ptr<RunServices> m_services;
    std::unique_ptr<EvalsController> m_controller;
    std::unique_ptr<EvalsView> m_view;
    qint64 m_version = 0, m_chat = 0, m_embedder = 0, m_plain = 0, m_similar = 0;

    std::optional<qint64> storedDefault()
    {
        auto project = Project::open(m_base.path);
        if (!project)
            return std::nullopt;
        auto model = defaultEmbeddingModel(project->db());
        return model && *model ? std::optional<qint64>((*model)->id) : std::nullopt;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        FakeServerConfig config;
        config.outputTokens = 1; // "Echo:"
        config.embeddings = {{QStringLiteral("Echo:"), {1, 0, 0}},
                             {QStringLiteral("close"), {4, 3, 0}}}; // cosine 0.8
        m_server.setConfig(config);
        QVERIFY(m_server.listen());
        QVERIFY(m_base.create());
        {
            auto project = Project::open(m_base.path);
            QVERIFY(project);
            ModelStore models(project->db());
            const auto add = [&](const char *name, ProviderKind kind, const char *id) {
                ModelConfig m;
                m.name = QString::fromUtf8(name);
                m.provider = kind;
                m.baseUrl = m_server.baseUrl()
                    + (kind == ProviderKind::OpenAI ? QStringLiteral("/v1") : QString());
                m.modelId = QString::fromUtf8(id);
                return models.add(m).value().id;
            };
            m_chat = add("chat", ProviderKind::OpenAI, "fake-small");
            m_embedder = add("vectors", ProviderKind::OpenAI, "fake-embed");
            add("claude", ProviderKind::Anthropic, "fake-small");
            PromptStore prompts(project->db());
            const qint64 prompt = prompts.createPrompt(QStringLiteral("say")).value().id;
            PromptContent content;
            content.messages
                = {PromptMessage {QStringLiteral("user"), QStringLiteral("Say: {{x}}")}};
            m_version
                = prompts.saveVersion(prompt, content, {}, QStringLiteral("t")).value().version.id;
            DatasetStore datasets(project->db());
            AssertionStore assertions(project->db());
            TestCaseData c;
            c.vars = {{"x", "one"}};
            m_plain = datasets.createDataset(QStringLiteral("plain")).value().id;
            datasets.addCase(m_plain, c).value();
            QVERIFY(assertions.add(m_plain, std::nullopt, {QStringLiteral("contains"), "Echo"}));
            m_similar = datasets.createDataset(QStringLiteral("semantic")).value().id;
            datasets.addCase(m_similar, c).value();
            QVERIFY(assertions.add(m_similar, std::nullopt, {QStringLiteral("similar"), "close"}));
        }
        QVERIFY(m_base.start(false));
        m_services = std::make_unique<RunServices>(*m_base.session);
        m_controller = std::make_unique<EvalsController>(*m_base.session, *m_services);
        m_view = std::make_unique<EvalsView>(*m_controller);
        m_view->show();
        QVERIFY(waitUntil([&] { return m_services->engine() != nullptr; }));
    }

    void cleanupTestCase()
    {
        m_view.reset();
        m_controller.reset();
        m_services.reset();
        m_base.stop();
    }

    void shownForEmbeddingDatasetsOnly()
    {
        NewEvalDialog *dialog = m_view->newEval();
        QVERIFY(waitUntil([&] { return dialog->choicesLoaded(); }));
        QVERIFY(dialog->selectDataset(m_plain));
        QVERIFY(!dialog->embeddingShown());
        QVERIFY(dialog->embeddingModel().isEmpty());
        QVERIFY(dialog->selectDataset(m_similar));
        QVERIFY(dialog->embeddingShown());
        QVERIFY(dialog->embeddingCombo()->isVisibleTo(dialog));
        // Configured models that can embed, no Anthropic; no default yet: the embedding one.
        QComboBox *combo = dialog->embeddingCombo();
        QStringList names;
        for (int i = 0; i < combo->count(); ++i)
            names << combo->itemData(i).toString();
        QCOMPARE(names.first(), QString()); // "None": there is no project default yet
        QVERIFY(names.contains(QStringLiteral("chat")));
        QVERIFY(names.contains(QStringLiteral("vectors")));
        QVERIFY2(!names.contains(QStringLiteral("claude")), qPrintable(names.join(u',')));
        QCOMPARE(dialog->embeddingModel(), QStringLiteral("vectors"));

        // "Make default" stores the project's default.
        QVERIFY(!storedDefault());
        dialog->makeEmbeddingDefault();
        QVERIFY(waitUntil([&] { return storedDefault() == m_embedder; }));
        dialog->reject();
    }

    void theEvalEmbedsWithTheChosenModel()
    {
        NewEvalDialog *dialog = m_view->newEval();
        QVERIFY(waitUntil([&] { return dialog->choicesLoaded(); }));
        dialog->checkVersion(m_version);
        dialog->checkModel(m_chat);
        QVERIFY(dialog->selectDataset(m_similar));
        // The project's default is preselected, and "None" is no longer offered.
        QCOMPARE(dialog->embeddingModel(), QStringLiteral("vectors"));
        for (int i = 0; i < dialog->embeddingCombo()->count(); ++i)
            QVERIFY(!dialog->embeddingCombo()->itemData(i).toString().isEmpty());
        QSignalSpy finished(m_controller.get(), &EvalsController::finished);
        dialog->estimateButton()->click();
        QVERIFY(waitUntil([&] { return dialog->startButton()->isEnabled(); }));
        dialog->startButton()->click();
        QVERIFY(finished.wait(30000));
        const qint64 evalId = finished.first().first().toLongLong();
        auto project = Project::open(m_base.path);
        QVERIFY(project);
        const EvalResults r = EvalResults::load(project->db(), evalId).value();
        QCOMPARE(r.errorCount, 0);
        const EvalSample &s = r.cell(0, 0).samples.first();
        QVERIFY2(s.pass, qPrintable(s.reason));
        QVERIFY(qAbs(s.assertions.first().score - 0.8) < 1e-6);
        // The choice is kept with the eval: Resume embeds with it, whatever the default is then.
        QCOMPARE(project->db()
                     .queryInt(QStringLiteral("SELECT json_extract(config, '$.embedding_model') "
                                              "= 'vectors' FROM evals WHERE id = %1")
                                   .arg(evalId))
                     .value(),
                 qint64(1));
    }
};

QTEST_MAIN(TestNewEvalEmbedding)
#include "test_new_eval_embedding.moc"
