// Browsing a million production records: `touchstone-cli logs list --limit 50`, full-text
// search, and opening the project. Fills a project with N records straight through LogStore
// (batches of 10,000; kept between runs with --project), then measures, median of 5 runs:
//   - `touchstone-cli logs list FILE --limit 50` (human table and --json), the whole process;
//   - the same command on an empty project (process start + open: what is not list);
//   - `logs list --search WORD --limit 50` for a rare (~0.1%), a common (~10%) and a very
//     common (~40%) word, and two words together;
//   - in process: Project::open (1M records vs an empty project), LogStore::rows() for the
//     first page (what the Logs view asks for) and for a search, and count().
// Goals (issue 8): list < 50 ms, search < 200 ms, opening the project unaffected.
// Usage: bench_logs_list_search [--records N] [--project PATH]. Never run by CTest.

#include "logs/logstore.h"
#include "storage/project.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace ts;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double medianMs(int runs, const std::function<void()> &work)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const double t = now();
        work();
        times.push_back((now() - t) * 1000.0);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

/// Runs the CLI with its output discarded; the exit code.
int runCli(const QStringList &args)
{
    std::fflush(stdout); // or the child would print what is still buffered here again
    std::fflush(stderr);
    const pid_t pid = fork();
    if (pid == 0) {
        std::vector<std::string> storage {TOUCHSTONE_CLI_PATH};
        for (const QString &a : args)
            storage.push_back(a.toStdString());
        std::vector<char *> argv;
        for (std::string &s : storage)
            argv.push_back(s.data());
        argv.push_back(nullptr);
        if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr))
            _exit(127);
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Word frequencies chosen so that searches have known selectivity.
const char *const common[]
    = {"order",   "refund", "invoice",      "shipping", "parcel",  "account",  "password",
       "login",   "charge", "subscription", "cancel",   "upgrade", "delivery", "late",
       "damaged", "return", "address",      "payment",  "card",    "coupon"};

LogRecord makeRecord(std::mt19937_64 &rng, qint64 index, qint64 baseMs)
{
    LogRecord r;
    r.startMs = baseMs + index * 2500 + qint64(rng() % 1000);
    r.endMs = *r.startMs + 300 + qint64(rng() % 4000);
    r.model = (rng() % 4 == 0) ? QStringLiteral("gpt-4o") : QStringLiteral("gpt-4o-mini");
    r.provider = QStringLiteral("openai");
    QString user = QStringLiteral("Ticket %1:").arg(index);
    // ~40% "please", ~5% each of the common words (2 of 20 per record), ~0.1% "chargeback".
    if (rng() % 10 < 4)
        user += QStringLiteral(" please");
    for (int w = 0; w < 2; ++w)
        user += QLatin1Char(' ') + QLatin1String(common[rng() % 20]);
    if (rng() % 1000 == 0)
        user += QStringLiteral(" chargeback");
    user += QStringLiteral(" my item arrived and something about it is not right, what now");
    r.messages = {{QStringLiteral("system"),
                   QStringLiteral("You are a support agent. Be brief and kind."),
                   {},
                   {}},
                  {QStringLiteral("user"), user, {}, {}}};
    r.output = QStringLiteral("Sorry to hear that. We will look at ticket %1 today.").arg(index);
    r.finishReason = QStringLiteral("stop");
    r.inputTokens = 60 + qint64(rng() % 100);
    r.outputTokens = 20 + qint64(rng() % 80);
    r.ok = rng() % 50 != 0;
    if (!r.ok)
        r.error = QStringLiteral("upstream timeout");
    r.traceId = QString::number(index, 16).rightJustified(32, QLatin1Char('0'));
    r.spanId = QString::number(index, 16).rightJustified(16, QLatin1Char('0'));
    r.sourceFormat = QStringLiteral("otlp");
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 records = 1000000;
    QString path = QDir::temp().filePath(QStringLiteral("touchstone-bench-logs-1m.touchstone"));
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--records") && i + 1 < args.size())
            records = args[++i].toLongLong();
        else if (args[i] == QLatin1String("--project") && i + 1 < args.size())
            path = args[++i];
        else {
            std::fprintf(stderr, "usage: bench_logs_list_search [--records N] [--project PATH]\n");
            return 2;
        }
    }

    if (!QFile::exists(path)) {
        auto project = Project::create(path);
        if (!project) {
            std::fprintf(stderr, "%s\n", qPrintable(project.error().message));
            return 1;
        }
        LogStore store(project->db());
        std::mt19937_64 rng(7);
        const qint64 base = 1786492800000LL; // 2026-08-12
        const double t = now();
        const int batch = 10000;
        for (qint64 i = 0; i < records; i += batch) {
            QList<LogRecord> list;
            list.reserve(batch);
            for (qint64 j = i; j < std::min(records, i + batch); ++j)
                list.append(makeRecord(rng, j, base));
            auto added = store.add(list);
            if (!added) {
                std::fprintf(stderr, "%s\n", qPrintable(added.error().message));
                return 1;
            }
            if ((i / batch) % 10 == 9)
                std::fprintf(stderr, "  %lld records, %.0f/s\n", i + batch,
                             double(i + batch) / (now() - t));
        }
        std::printf("filled %lld records through LogStore::add in %.1f s (%.0f records/s)\n",
                    records, now() - t, double(records) / (now() - t));
    }
    std::printf("project: %s (%.0f MB)\n", qPrintable(path), double(QFile(path).size()) / 1e6);

    const QString empty
        = QDir::temp().filePath(QStringLiteral("touchstone-bench-logs-empty.touchstone"));
    QFile::remove(empty);
    if (!Project::create(empty)) {
        std::fprintf(stderr, "cannot create %s\n", qPrintable(empty));
        return 1;
    }

    std::printf("\nCLI (whole process, median of 5):\n");
    struct Case
    {
        const char *label;
        QStringList extra;
        double goalMs;
    };
    const QList<Case> cases = {
        {"logs list --limit 50", {}, 50},
        {"logs list --limit 50 --json", {QStringLiteral("--json")}, 50},
        {"logs list --search chargeback (~0.1%)",
         {QStringLiteral("--search"), QStringLiteral("chargeback")},
         200},
        {"logs list --search refund (~10%)",
         {QStringLiteral("--search"), QStringLiteral("refund")},
         200},
        {"logs list --search please (~40%)",
         {QStringLiteral("--search"), QStringLiteral("please")},
         200},
        {"logs list --search \"refund late\"",
         {QStringLiteral("--search"), QStringLiteral("refund late")},
         200},
        {"logs list --status error --limit 50",
         {QStringLiteral("--status"), QStringLiteral("error")},
         50},
    };
    runCli({QStringLiteral("logs"), QStringLiteral("list"), path, QStringLiteral("--limit"),
            QStringLiteral("50")}); // warm the page cache
    const double floorMs = medianMs(5, [&] {
        runCli({QStringLiteral("logs"), QStringLiteral("list"), empty, QStringLiteral("--limit"),
                QStringLiteral("50")});
    });
    std::printf("  %-44s %7.1f ms (process start + open; included below)\n",
                "logs list on an empty project", floorMs);
    for (const Case &c : cases) {
        int code = 0;
        const double ms = medianMs(5, [&] {
            code = runCli(QStringList {QStringLiteral("logs"), QStringLiteral("list"), path,
                                       QStringLiteral("--limit"), QStringLiteral("50")}
                          + c.extra);
        });
        std::printf("  %-44s %7.1f ms = %.2fx of the %.0f ms goal%s\n", c.label, ms, ms / c.goalMs,
                    c.goalMs, code == 0 ? "" : "  (FAILED)");
    }

    std::printf("\nIn process (median of 5):\n");
    double openBig = 0, openEmpty = 0;
    openBig = medianMs(5, [&] { (void)Project::open(path); });
    openEmpty = medianMs(5, [&] { (void)Project::open(empty); });
    std::printf("  %-44s %7.2f ms vs %.2f ms empty = %.2fx\n", "Project::open", openBig, openEmpty,
                openBig / openEmpty);
    auto project = Project::open(path);
    if (!project) {
        std::fprintf(stderr, "%s\n", qPrintable(project.error().message));
        return 1;
    }
    LogStore store(project->db());
    const auto rowsMs = [&](const LogFilter &f, LogSort sort) {
        return medianMs(5, [&] { (void)store.rows(f, sort, 50, 0); });
    };
    LogFilter none;
    LogFilter search;
    search.search = QStringLiteral("refund");
    LogFilter rare;
    rare.search = QStringLiteral("chargeback");
    // Each figure is measured once and its ratio computed from that same figure.
    const auto report = [](const char *label, double ms, double goalMs) {
        std::printf("  %-44s %7.2f ms = %.2fx of %.0f ms\n", label, ms, ms / goalMs, goalMs);
    };
    report("rows(): first page, oldest first", rowsMs(none, LogSort::TimeAscending), 50);
    report("rows(): first page, newest first", rowsMs(none, LogSort::TimeDescending), 50);
    std::printf("  %-44s %7.2f ms\n", "rows(): first page, slowest first",
                rowsMs(none, LogSort::LatencyDescending));
    report("rows(): search refund, newest first", rowsMs(search, LogSort::TimeDescending), 200);
    report("rows(): search chargeback", rowsMs(rare, LogSort::TimeAscending), 200);
    // Deep in the table (the Logs view after scrolling far): OFFSET steps over every row
    // before the page; the cursor after the last row shown seeks straight to it.
    const qint64 deep = records * 9 / 10;
    std::printf("  %-44s %7.2f ms\n", "rows(): page 90% down, by OFFSET",
                medianMs(5, [&] { (void)store.rows(none, LogSort::TimeDescending, 200, deep); }));
    if (auto before = store.rows(none, LogSort::TimeDescending, 1, deep - 1);
        before && !before->isEmpty()) {
        const LogCursor cursor = LogCursor::after(before->first(), LogSort::TimeDescending);
        report(
            "rows(): page 90% down, after a cursor",
            medianMs(5, [&] { (void)store.rowsAfter(none, LogSort::TimeDescending, cursor, 200); }),
            50);
        const LogCursor slow
            = LogCursor::after(store.rows(none, LogSort::LatencyDescending, 1, deep - 1)->first(),
                               LogSort::LatencyDescending);
        std::printf("  %-44s %7.2f ms\n", "rows(): slowest first, 90% down, after a cursor",
                    medianMs(5, [&] {
                        (void)store.rowsAfter(none, LogSort::LatencyDescending, slow, 200);
                    }));
        const LogCursor searched = LogCursor::after(
            store.rows(search, LogSort::TimeDescending, 1, 9000)->first(), LogSort::TimeDescending);
        std::printf("  %-44s %7.2f ms\n", "rows(): search refund, 9,000 down, after a cursor",
                    medianMs(5, [&] {
                        (void)store.rowsAfter(search, LogSort::TimeDescending, searched, 200);
                    }));
    }
    std::printf("  %-44s %7.2f ms\n", "count(): all",
                medianMs(5, [&] { (void)store.count(none); }));
    std::printf("  %-44s %7.2f ms\n", "count(): search refund",
                medianMs(5, [&] { (void)store.count(search); }));
    QFile::remove(empty);
    return 0;
}
