// One eval through EvalRunner (the engine behind `touchstone-cli eval` and the Evals view):
// CASES cases x 2 models, one `contains` assertion, no cache, against a fake LLM server.
// Prints wall time, how many calls ended with a scored answer and how many are errors (the
// first error's message too). eval_fault_mix.sh runs it against a clean and a faulty server.
//
// Usage: bench_eval_faults BASE_URL [CASES=500] [CONCURRENCY=16]
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "evals/evalplan.h"
#include "evals/evalresults.h"
#include "evals/evalrunner.h"
#include "models/modelstore.h"
#include "net/networkclient.h"
#include "prompts/promptstore.h"
#include "runs/generationwriter.h"
#include "runs/runengine.h"
#include "storage/project.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>

#include <cstdio>

using namespace ts;

namespace {

int failSetup(const Error &error)
{
    std::fprintf(stderr, "setup failed: %s\n", qPrintable(error.message));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_eval_faults BASE_URL [CASES] [CONCURRENCY]\n");
        return 2;
    }
    const QString baseUrl = args.at(1);
    const int cases = args.size() > 2 ? args.at(2).toInt() : 500;
    const int concurrency = args.size() > 3 ? args.at(3).toInt() : 16;

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.touchstone"));
    auto project = Project::create(path);
    if (!project)
        return failSetup(project.error());
    EvalConfig config;
    {
        Database &db = project->db();
        PromptStore prompts(db);
        auto prompt = prompts.createPrompt(QStringLiteral("qa"));
        if (!prompt)
            return failSetup(prompt.error());
        PromptContent content;
        content.messages
            = {{QStringLiteral("user"), QStringLiteral("Answer briefly: {{question}}")}};
        auto version = prompts.saveVersion(prompt->id, content, {}, QStringLiteral("bench"));
        if (!version)
            return failSetup(version.error());
        DatasetStore datasets(db);
        auto dataset = datasets.createDataset(QStringLiteral("bench"));
        if (!dataset)
            return failSetup(dataset.error());
        QList<TestCaseData> rows;
        for (int i = 1; i <= cases; ++i) {
            TestCaseData c;
            c.vars = {{"question",
                       QStringLiteral("Question number %1 about topic %2")
                           .arg(i)
                           .arg(i % 37)
                           .toStdString()}};
            rows.append(c);
        }
        if (auto imported = datasets.importCases(dataset->id, rows); !imported)
            return failSetup(imported.error());
        if (auto a = AssertionStore(db).add(dataset->id, std::nullopt,
                                            {QStringLiteral("contains"), "Question"});
            !a)
            return failSetup(a.error());
        config.datasetId = dataset->id;
        for (const char *name : {"fake-small", "fake-large"}) {
            ModelConfig m;
            m.name = QString::fromLatin1(name);
            m.provider = ProviderKind::OpenAI;
            m.baseUrl = baseUrl + QStringLiteral("/v1");
            m.modelId = m.name;
            m.maxConcurrency = concurrency;
            auto added = ModelStore(db).add(m);
            if (!added)
                return failSetup(added.error());
            config.variants.append({version->version.id, added->id});
        }
    }
    config.concurrency = concurrency;
    config.useCache = false;
    config.resume = false;

    NetworkClient network;
    GenerationWriter writer(path);
    RunEngine engine(&writer, &network);
    EvalRunner runner(&engine);
    QEventLoop loop;
    QElapsedTimer clock;
    QString status;
    QObject::connect(&runner, &EvalRunner::prepareFailed, &loop, [&](const Error &e) {
        status = QStringLiteral("prepare failed: ") + e.message;
        loop.quit();
    });
    QObject::connect(&runner, &EvalRunner::prepared, &loop, [&] {
        clock.start();
        runner.start();
    });
    QObject::connect(&runner, &EvalRunner::finished, &loop, [&](qint64, const QString &s) {
        status = s;
        loop.quit();
    });
    runner.prepare(config);
    loop.exec();
    const double wall = clock.isValid() ? double(clock.elapsed()) / 1000.0 : 0;
    if (status != QLatin1String("completed")) {
        std::fprintf(stderr, "eval ended: %s\n", qPrintable(status));
        return 1;
    }
    auto results = EvalResults::load(project->db(), runner.evalId());
    if (!results)
        return failSetup(results.error());
    int answered = 0;
    for (int c = 0; c < results->cases.size(); ++c)
        for (int v = 0; v < results->variants.size(); ++v)
            answered += results->cell(c, v).outputs();
    std::printf("wall %.2f s, %d/%d calls answered, %d errors\n", wall, answered,
                int(results->cases.size() * results->variants.size()), results->errorCount);
    if (results->errorCount > 0) {
        for (int c = 0; c < results->cases.size(); ++c)
            for (int v = 0; v < results->variants.size(); ++v)
                for (const EvalSample &s : results->cell(c, v).samples)
                    if (!s.hasVerdict()) {
                        std::printf("  first error: %s\n", qPrintable(s.error));
                        return 0;
                    }
    }
    return 0;
}
