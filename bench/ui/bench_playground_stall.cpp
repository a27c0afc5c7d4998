// How responsive the playground stays while six models stream long answers at once.
// Starts an in-process fake LLM server, creates a project with six models, runs the
// playground in a real window (offscreen unless QT_QPA_PLATFORM says otherwise) and
// measures the event loop with a 1 ms watchdog timer: every gap between ticks beyond the
// interval is time the UI thread could not react. Also counts updates per column and RSS.
// Usage: bench_playground_stall [--tokens 2000] [--tps 200] [--columns 6] [--samples 1] [--raw]
#include "common/projectsession.h"
#include "fakellmserver.h"
#include "models/modelstore.h"
#include "playground/modelcatalog.h"
#include "playground/playgroundcolumn.h"
#include "playground/playgroundcontroller.h"
#include "playground/playgroundview.h"
#include "playground/runservices.h"
#include "prompts/promptlistmodel.h"
#include "prompts/promptscontroller.h"
#include "prompts/promptstore.h"
#include "storage/project.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace ts;

namespace {

/// VmRSS or VmHWM from /proc/self/status, in MiB.
double procStatusMb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

/// CPU time the calling thread has used, in ms: tells work on the UI thread apart from time
/// the OS gave to other processes (the machine may be shared).
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

/// Times every event the UI thread handles, by type, to tell which kind causes a stall.
class TimingApplication final : public QApplication
{
public:
    using QApplication::QApplication;
    bool measuring = false;
    QHash<int, std::pair<double, double>> byType; ///< type -> (longest, total) ms

    bool notify(QObject *receiver, QEvent *event) override
    {
        // notify() runs in every thread (network, writer, fake server); only the UI thread counts.
        if (!measuring || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        const int type = event->type();
        QElapsedTimer t;
        t.start();
        const bool result = QApplication::notify(receiver, event);
        // Nested notify() calls (a paint inside an update request) count in their parent too.
        auto &slot = byType[type];
        const double ms = double(t.nsecsElapsed()) / 1e6;
        slot.first = std::max(slot.first, ms);
        slot.second += ms;
        return result;
    }
};

QString eventName(int type)
{
    switch (type) {
    case QEvent::UpdateRequest: return QStringLiteral("UpdateRequest (paint)");
    case QEvent::Paint: return QStringLiteral("Paint");
    case QEvent::MetaCall: return QStringLiteral("MetaCall (queued signals)");
    case QEvent::Timer: return QStringLiteral("Timer");
    case QEvent::LayoutRequest: return QStringLiteral("LayoutRequest");
    case QEvent::SockAct: return QStringLiteral("SockAct");
    default: return QStringLiteral("event %1").arg(type);
    }
}

int intArg(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs = 30000)
{
    QElapsedTimer t;
    t.start();
    while (!condition()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("TOUCHSTONE_NO_KEYCHAIN", "1");
    TimingApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int tokens = intArg(args, QStringLiteral("--tokens"), 2000);
    const int tps = intArg(args, QStringLiteral("--tps"), 200);
    const int columns = intArg(args, QStringLiteral("--columns"), 6);
    const int samples = intArg(args, QStringLiteral("--samples"), 1);
    const bool raw = args.contains(QStringLiteral("--raw"));

    test::FakeServerConfig config;
    config.tokensPerSec = tps;
    config.outputTokens = tokens;
    config.latencyMs = 100;
    test::FakeLlmServer server(config);
    if (!server.listen()) {
        std::fprintf(stderr, "cannot start the fake server\n");
        return 1;
    }

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.touchstone"));
    QStringList names;
    {
        auto project = Project::create(path);
        if (!project) {
            std::fprintf(stderr, "cannot create project: %s\n", qPrintable(project.error().message));
            return 1;
        }
        PromptStore prompts(project->db());
        auto prompt = prompts.createPrompt(QStringLiteral("long-answer"));
        PromptContent content;
        content.messages = {{QStringLiteral("system"), QStringLiteral("You answer at length, in Markdown.")},
                            {QStringLiteral("user"), QStringLiteral("Tell me about {{topic}}.")}};
        if (!prompt || !prompts.saveVersion(prompt->id, content, QStringLiteral("bench"), QStringLiteral("bench"))) {
            std::fprintf(stderr, "cannot save the prompt\n");
            return 1;
        }
        ModelStore models(project->db());
        for (int i = 1; i <= columns; ++i) {
            ModelConfig m;
            m.name = QStringLiteral("model-%1").arg(i);
            m.baseUrl = server.baseUrl() + QStringLiteral("/v1");
            m.modelId = i % 2 ? QStringLiteral("fake-small") : QStringLiteral("fake-large");
            m.priceInputPerMTok = 0.15;
            m.priceOutputPerMTok = 0.6;
            if (!models.add(m)) {
                std::fprintf(stderr, "cannot add a model\n");
                return 1;
            }
            names << m.name;
        }
    }

    ProjectSession session;
    PromptsController prompts(session);
    RunServices services(session);
    ModelCatalog catalog(session);
    PlaygroundController controller(session, prompts, services, catalog);
    PlaygroundView view(controller, prompts);
    view.resize(1900, 1000);
    view.show();
    session.open(path);
    if (!waitFor([&] { return prompts.listModel()->rowCount() > 0 && services.engine()
                              && catalog.models().size() == qsizetype(columns); })) {
        std::fprintf(stderr, "the project did not open\n");
        return 1;
    }
    prompts.selectPrompt(prompts.listModel()->promptAt(0)->id);
    if (!waitFor([&] { return prompts.currentPromptId() != 0; }))
        return 1;
    prompts.setVariableValues(nlohmann::json{{"topic", "bicycle brakes"}});
    controller.setColumnModels(names);
    controller.setSamples(samples);
    controller.setUseCache(false);
    for (PlaygroundColumn *c : view.columns())
        c->setRaw(raw);
    waitFor([] { return false; }, 300); // settle: layouts, first paint

    QList<int> progressPerColumn(columns, 0);
    QObject::connect(&controller, &PlaygroundController::sampleProgress, &app,
                     [&](int column, int, const QString &, const QString &) { ++progressPerColumn[column]; });
    QList<int> rendersBefore;
    for (PlaygroundColumn *c : view.columns())
        rendersBefore << c->renderCount();

    // The watchdog: a 1 ms timer; the time between ticks beyond 1 ms is a stall.
    QList<double> gapsMs;
    QList<double> busyMs; // UI-thread CPU time within each gap
    gapsMs.reserve(200000);
    busyMs.reserve(200000);
    double lastCpu = 0;
    QElapsedTimer tick;
    QTimer watchdog;
    watchdog.setTimerType(Qt::PreciseTimer);
    watchdog.setInterval(1);
    QObject::connect(&watchdog, &QTimer::timeout, &app, [&] {
        gapsMs.append(double(tick.nsecsElapsed()) / 1e6);
        const double cpu = threadCpuMs();
        busyMs.append(cpu - lastCpu);
        lastCpu = cpu;
        tick.restart();
    });

    const double rssBefore = procStatusMb("VmRSS:");
    double cpuStart = 0;
    QElapsedTimer wall;
    QEventLoop loop;
    QObject::connect(&controller, &PlaygroundController::runFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(0, &app, [&] {
        app.measuring = true;
        tick.start();
        lastCpu = threadCpuMs();
        cpuStart = lastCpu;
        watchdog.start();
        wall.start();
        if (!controller.run())
            loop.quit();
    });
    QTimer::singleShot(10 * 60 * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    watchdog.stop();
    app.measuring = false;
    const double uiCpuMs = threadCpuMs() - cpuStart;
    const double seconds = double(wall.elapsed()) / 1000.0;
    const double rssAfter = procStatusMb("VmRSS:");
    const double rssPeak = procStatusMb("VmHWM:");

    int ok = 0;
    qint64 chars = 0;
    for (int c = 0; c < controller.columnCount(); ++c)
        for (const PlaygroundSample &s : controller.column(c).samples) {
            ok += s.phase == PlaygroundSample::Phase::Done ? 1 : 0;
            chars += s.text.size();
        }

    std::sort(gapsMs.begin(), gapsMs.end());
    std::sort(busyMs.begin(), busyMs.end());
    auto pct = [&](double p) {
        return gapsMs.isEmpty() ? 0.0 : gapsMs.at(std::min(gapsMs.size() - 1, qsizetype(p * double(gapsMs.size()))));
    };
    const double longest = gapsMs.isEmpty() ? 0.0 : gapsMs.last();
    // A tick is due every 1 ms: the stall is what exceeds it.
    auto stall = [](double gap) { return std::max(0.0, gap - 1.0); };
    const int over16 = int(std::count_if(gapsMs.begin(), gapsMs.end(), [](double g) { return g - 1.0 > 16.0; }));

    std::printf("bench_playground_stall: %d columns x %d sample(s), %d tokens each at %d tok/s, %s view\n",
                columns, samples, tokens, tps, raw ? "raw" : "Markdown");
    std::printf("  run wall time          %.2f s (%d/%d generations ok, %lld characters)\n", seconds, ok,
                columns * samples, static_cast<long long>(chars));
    std::printf("  event-loop ticks       %lld (1 ms watchdog)\n", static_cast<long long>(gapsMs.size()));
    std::printf("  longest stall          %.2f ms   (target < 16 ms)%s\n", stall(longest),
                stall(longest) < 16.0 ? "" : "  ** over target **");
    std::printf("  p99 stall              %.2f ms\n", stall(pct(0.99)));
    std::printf("  p50 stall              %.2f ms\n", stall(pct(0.50)));
    std::printf("  stalls over 16 ms      %d\n", over16);
    auto busyPct = [&](double p) {
        return busyMs.isEmpty() ? 0.0 : busyMs.at(std::min(busyMs.size() - 1, qsizetype(p * double(busyMs.size()))));
    };
    std::printf("  UI-thread work per gap longest %.2f ms, p99 %.2f ms (CPU time: excludes waiting for a core)\n",
                busyMs.isEmpty() ? 0.0 : busyMs.last(), busyPct(0.99));
    std::printf("  UI-thread CPU          %.0f ms over the run (%.0f%% of one core)\n", uiCpuMs,
                100.0 * uiCpuMs / (seconds * 1000.0));
    double load = 0;
    if (QFile f(QStringLiteral("/proc/loadavg")); f.open(QIODevice::ReadOnly))
        load = f.readAll().split(' ').value(0).toDouble();
    std::printf("  machine load average   %.2f on %d cores\n", load, QThread::idealThreadCount());
    for (int c = 0; c < columns; ++c) {
        const int renders = view.columns().at(c)->renderCount() - rendersBefore.value(c);
        const PlaygroundColumn *col = view.columns().at(c);
        std::printf("  column %d updates/s     %.1f batches received, %.1f renders (render longest %.1f ms, mean %.2f ms)\n",
                    c + 1, progressPerColumn[c] / seconds, renders / seconds, col->longestRenderMs(),
                    renders ? col->totalRenderMs() / renders : 0.0);
    }
    QList<std::pair<double, int>> slowest;
    for (auto it = app.byType.cbegin(); it != app.byType.cend(); ++it)
        slowest.append({it->first, it.key()});
    std::sort(slowest.begin(), slowest.end(), std::greater<>());
    for (qsizetype i = 0; i < std::min<qsizetype>(4, slowest.size()); ++i)
        std::printf("  slowest event kinds    %-28s longest %.1f ms, total %.0f ms\n",
                    qPrintable(eventName(slowest[i].second)), slowest[i].first,
                    app.byType.value(slowest[i].second).second);
    std::printf("  RSS before / after     %.1f MiB / %.1f MiB (growth %.1f MiB), peak %.1f MiB\n", rssBefore,
                rssAfter, rssAfter - rssBefore, rssPeak);
    return ok == columns * samples ? 0 : 1;
}
