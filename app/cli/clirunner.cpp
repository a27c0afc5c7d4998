#include "clirunner.h"

#include "cli.h"
#include "common/json.h"
#include "runs/runengine.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QSocketNotifier>

#include <csignal>
#include <unistd.h>

namespace ts::cli {

namespace {

int interruptPipe[2] = {-1, -1};

void onInterrupt(int)
{
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(interruptPipe[1], &byte, 1);
}

} // namespace

QList<Generation> runJobs(RunEngine &engine, const QList<GenerationSpec> &specs, bool printProgress)
{
    QList<Generation> results(specs.size());
    QEventLoop loop;
    int remaining = int(specs.size());
    QList<GenerationJob *> jobs;
    for (qsizetype i = 0; i < specs.size(); ++i) {
        GenerationJob *job = engine.start(specs[i], &loop);
        QObject::connect(job, &GenerationJob::finished, &loop, [&, i](const Generation &g) {
            results[i] = g;
            if (printProgress)
                err(QStringLiteral("[%1/%2] %3 sample %4: %5\n")
                        .arg(specs.size() - remaining + 1)
                        .arg(specs.size())
                        .arg(specs[i].model.name)
                        .arg(specs[i].sampleIndex)
                        .arg(g.ok() ? QStringLiteral("ok") : g.error ? g.error->message : generationStatusName(g.status)));
            if (--remaining == 0)
                loop.quit();
        });
        jobs.append(job);
    }
    // Ctrl+C stops every job; each keeps its partial text, marked cancelled.
    if (interruptPipe[0] < 0 && ::pipe(interruptPipe) == 0)
        std::signal(SIGINT, onInterrupt);
    QSocketNotifier notifier(interruptPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&] {
        char byte;
        [[maybe_unused]] auto n = ::read(interruptPipe[0], &byte, 1);
        for (GenerationJob *job : jobs)
            job->cancel();
    });
    if (remaining > 0)
        loop.exec();
    return results;
}

nlohmann::json completionJson(const Generation &g)
{
    auto opt = [](const auto &v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
    nlohmann::json json = {
        {"text", sstr(g.output)},
        {"reasoning", g.reasoning.isEmpty() ? nlohmann::json() : nlohmann::json(sstr(g.reasoning))},
        {"finish_reason", g.finishReason.isEmpty() ? nlohmann::json() : nlohmann::json(sstr(g.finishReason))},
        {"finish", sstr(finishReasonName(g.finish))},
        {"status", sstr(generationStatusName(g.status))},
        {"input_tokens", opt(g.inputTokens)},
        {"output_tokens", opt(g.outputTokens)},
        {"tool_calls", g.toolCalls},
        {"ttft_ms", opt(g.ttftMs)},
        {"latency_ms", opt(g.latencyMs)},
        {"cost", opt(g.cost)},
        {"cached", g.cacheHit},
    };
    if (g.error) {
        json["error"] = {{"type", sstr(errorCodeName(g.error->code))},
                         {"message", sstr(g.error->message)},
                         {"status", g.request.value("http_status", nlohmann::json())}};
    } else {
        json["error"] = nullptr;
    }
    return json;
}

} // namespace ts::cli
