#pragma once

// A project wired to an in-process fake LLM server, shared by the eval tests.

#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "datasets/judgestore.h"
#include "evals/evalresults.h"
#include "evals/evalrunner.h"
#include "fakellmserver.h"
#include "models/modelstore.h"
#include "net/networkclient.h"
#include "prompts/promptstore.h"
#include "runs/generationwriter.h"
#include "runs/runengine.h"
#include "storage/project.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

struct EvalFixture
{
    QTemporaryDir dir;
    QString path;
    std::unique_ptr<ts::test::FakeLlmServer> server;
    std::optional<ts::Project> project;
    std::unique_ptr<ts::NetworkClient> network;
    std::unique_ptr<ts::GenerationWriter> writer;
    std::unique_ptr<ts::RunEngine> engine;

    bool open(const QString &name)
    {
        path = dir.filePath(name);
        auto p = ts::Project::create(path);
        if (!p)
            return false;
        project.emplace(std::move(*p));
        server = std::make_unique<ts::test::FakeLlmServer>();
        if (!server->listen())
            return false;
        network = std::make_unique<ts::NetworkClient>();
        writer = std::make_unique<ts::GenerationWriter>(path);
        engine = std::make_unique<ts::RunEngine>(writer.get(), network.get());
        return true;
    }

    ts::Database &db() { return project->db(); }

    qint64 addModel(const QString &name, const QString &modelId, std::optional<double> price = {})
    {
        ts::ModelConfig m;
        m.name = name;
        m.provider = ts::ProviderKind::OpenAI;
        m.baseUrl = server->baseUrl() + QStringLiteral("/v1");
        m.modelId = modelId;
        m.priceInputPerMTok = price;
        m.priceOutputPerMTok = price;
        m.maxConcurrency = 8;
        return ts::ModelStore(db()).add(m).value().id;
    }

    /// Saves `user` as a new version of prompt `name`; returns the version id.
    qint64 addVersion(const QString &name, const QString &user)
    {
        ts::PromptStore prompts(db());
        auto info = prompts.prompt(name);
        if (!info)
            info = prompts.createPrompt(name);
        ts::PromptContent content;
        content.messages = {{QStringLiteral("user"), user}};
        return prompts.saveVersion(info->id, content, {}, QStringLiteral("test"))
            .value()
            .version.id;
    }

    qint64 addDataset(const QString &name, const QStringList &questions)
    {
        ts::DatasetStore store(db());
        const qint64 id = store.createDataset(name).value().id;
        QList<ts::TestCaseData> cases;
        for (const QString &q : questions) {
            ts::TestCaseData c;
            c.vars = {{"question", q.toStdString()}};
            c.expected = q;
            cases.append(c);
        }
        store.importCases(id, cases).value();
        return id;
    }

    /// Prepares and runs to the end; returns the final status.
    QString run(ts::EvalRunner &runner, const ts::EvalConfig &config,
                ts::EvalEstimate *estimate = nullptr)
    {
        QSignalSpy prepared(&runner, &ts::EvalRunner::prepared);
        QSignalSpy finished(&runner, &ts::EvalRunner::finished);
        runner.prepare(config);
        if (!prepared.wait(20000))
            return QStringLiteral("not prepared");
        if (estimate)
            *estimate = prepared.first().first().value<ts::EvalEstimate>();
        runner.start();
        if (!finished.wait(60000))
            return QStringLiteral("not finished");
        return finished.first().at(1).toString();
    }

    ts::EvalResults results(qint64 evalId) { return ts::EvalResults::load(db(), evalId).value(); }

    qint64 count(const QString &sql) { return db().queryInt(sql).value(); }
};
