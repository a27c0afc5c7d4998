#pragma once

// Shared set-up for the playground and models dialog tests: the demo project copy of
// PromptsFixture plus an in-process fake LLM server, models pointing at it, and the
// playground's services, catalog, controller and view.

#include "uifixture.h"

#include "fakellmserver.h"
#include "models/modelstore.h"
#include "playground/modelcatalog.h"
#include "playground/playgroundcontroller.h"
#include "playground/playgroundview.h"
#include "playground/runservices.h"
#include "runs/runengine.h"
#include "storage/project.h"
#include "storage/statement.h"

namespace ts::test {

struct PlaygroundFixture
{
    FakeLlmServer server;
    PromptsFixture prompts;
    std::unique_ptr<RunServices> services;
    std::unique_ptr<ModelCatalog> catalog;
    std::unique_ptr<PlaygroundController> controller;
    std::unique_ptr<PlaygroundView> view;

    PlaygroundFixture() { server.listen(); } // fakeModel() needs the port before start()

    /// A model on the fake server; `modelId` may carry fault settings ("fake-small+fault=401").
    ModelConfig fakeModel(const QString &name, const QString &modelId = QStringLiteral("fake-small")) const
    {
        ModelConfig m;
        m.name = name;
        m.provider = ProviderKind::OpenAI;
        m.baseUrl = server.baseUrl() + QStringLiteral("/v1");
        m.modelId = modelId;
        m.priceInputPerMTok = 0.15;
        m.priceOutputPerMTok = 0.6;
        return m;
    }

    /// Creates the project with `models` added, opens it and builds the playground.
    bool start(const QList<ModelConfig> &models)
    {
        if (!server.port() || !prompts.create())
            return false;
        {
            auto project = Project::open(prompts.path);
            if (!project)
                return false;
            ModelStore store(project->db());
            for (const ModelConfig &m : models)
                if (!store.add(m))
                    return false;
        }
        if (!prompts.start())
            return false;
        services = std::make_unique<RunServices>(*prompts.session);
        catalog = std::make_unique<ModelCatalog>(*prompts.session);
        QSignalSpy loaded(catalog.get(), &ModelCatalog::modelsChanged);
        controller = std::make_unique<PlaygroundController>(*prompts.session, *prompts.prompts,
                                                            *services, *catalog);
        view = std::make_unique<PlaygroundView>(*controller, *prompts.prompts);
        view->resize(1300, 800);
        view->show();
        return waitUntil([&] { return services->engine() && loaded.count() > 0; });
    }

    /// Selects the demo's support-reply prompt with variable values set.
    bool selectPrompt()
    {
        if (!prompts.select(QStringLiteral("support-reply")))
            return false;
        prompts.prompts->setVariableValues(nlohmann::json{
            {"shop", "Spoke & Chain"},
            {"message", "My rear brake squeaks. Can you fix it?"},
            {"policies", {"Free safety check within 30 days"}},
        });
        return true;
    }

    bool runAndWait()
    {
        QSignalSpy finished(controller.get(), &PlaygroundController::runFinished);
        if (!controller->run())
            return false;
        return finished.wait(waitMs) || finished.count() > 0;
    }

    /// One integer from the project file (read on a separate connection).
    qint64 queryInt(const QString &sql) const
    {
        auto project = Project::open(prompts.path);
        if (!project)
            return -1;
        auto stmt = project->db().prepare(sql);
        if (!stmt || !stmt->step().value_or(false))
            return -1;
        return stmt->int64(0);
    }

    QString queryText(const QString &sql) const
    {
        auto project = Project::open(prompts.path);
        if (!project)
            return {};
        auto stmt = project->db().prepare(sql);
        if (!stmt || !stmt->step().value_or(false))
            return {};
        return stmt->text(0);
    }

    ~PlaygroundFixture()
    {
        view.reset();
        controller.reset();
        catalog.reset();
        services.reset(); // flushes the writer
        prompts.stop();
    }
};

} // namespace ts::test
