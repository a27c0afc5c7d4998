// End-to-end engine benchmark: N requests at concurrency C through the whole engine
// (render + build + stream + parse + persist) against a fake LLM server, compared with the
// floor N x TTFT / C. Usage: bench_run_engine BASE_URL [N=2000] [C=16] [TTFT_MS=50]
#include "models/modelconfig.h"
#include "net/networkclient.h"
#include "prompts/promptcontent.h"
#include "runs/generationwriter.h"
#include "runs/promptrenderer.h"
#include "runs/runengine.h"
#include "storage/project.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cstdio>

using namespace ts;

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
           + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_run_engine BASE_URL [N] [CONCURRENCY] [TTFT_MS]\n");
        return 2;
    }
    const QString baseUrl = args.at(1);
    const int n = args.size() > 2 ? args.at(2).toInt() : 2000;
    const int concurrency = args.size() > 3 ? args.at(3).toInt() : 16;
    const int ttftMs = args.size() > 4 ? args.at(4).toInt() : 50;

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.touchstone"));
    if (!Project::create(path)) {
        std::fprintf(stderr, "cannot create project\n");
        return 1;
    }
    NetworkClient network;
    GenerationWriter writer(path);
    RunEngine engine(&writer, &network);

    ModelConfig model;
    model.name = QStringLiteral("bench");
    model.provider = ProviderKind::OpenAI;
    model.baseUrl = baseUrl;
    model.modelId = QStringLiteral("fake-small");
    model.maxConcurrency = concurrency;
    model.priceInputPerMTok = 0.15;
    model.priceOutputPerMTok = 0.6;

    PromptContent prompt;
    prompt.messages = {{QStringLiteral("system"), QStringLiteral("You answer support questions for {{shop}}.")},
                       {QStringLiteral("user"), QStringLiteral("Question {{i}}: {{question}}")}};

    QEventLoop loop;
    qint64 runId = 0;
    writer.createRun(RunRecord{}, &loop, [&](Result<qint64> id) {
        runId = id.value_or(0);
        loop.quit();
    });
    loop.exec();

    QElapsedTimer wall;
    wall.start();
    const double cpuStart = cpuSeconds();
    int started = 0, finished = 0, failed = 0;
    std::function<void()> startNext = [&] {
        // Keep exactly `concurrency` in flight, as an eval would.
        while (started < n && started - finished < concurrency) {
            const int i = started++;
            const nlohmann::json vars = {{"shop", "Spoke & Chain"}, {"i", i},
                                         {"question", "Where is my order number " + std::to_string(i) + "?"}};
            GenerationSpec spec;
            spec.model = model;
            spec.messages = renderPrompt(prompt, vars).value();
            spec.runId = runId;
            spec.variables = vars;
            spec.useCache = false;
            GenerationJob *job = engine.start(spec, &loop);
            QObject::connect(job, &GenerationJob::finished, &loop, [&, job](const Generation &g) {
                ++finished;
                failed += g.ok() ? 0 : 1;
                job->deleteLater();
                if (finished == n)
                    loop.quit();
                else
                    startNext();
            });
        }
    };
    startNext();
    loop.exec();
    writer.flush(&loop, [&](Result<void>) { loop.quit(); });
    loop.exec();
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpuStart;
    const double floor = double(n) * ttftMs / 1000.0 / concurrency;
    std::printf("requests            %d (failed %d)\n", n, failed);
    std::printf("concurrency         %d, ttft %d ms\n", concurrency, ttftMs);
    std::printf("wall time           %.3f s\n", seconds);
    std::printf("floor               %.3f s\n", floor);
    std::printf("over floor          %+.2f %%\n", (seconds / floor - 1.0) * 100.0);
    std::printf("cpu time            %.3f s (%.3f ms per request: render+build+parse+persist)\n",
                cpu, cpu * 1000.0 / n);
    std::printf("peak rss            %ld MB\n", peakRssMb());
    return failed ? 1 : 0;
}
