// Issue 13, the Evals rows: selecting the large eval in the Evals view (first page, statistics
// computed in the background and then from the cache, a far page, a filter, a comparison, the
// longest the UI thread was busy, memory), and `eval` resuming 200 calls of it with --json and
// --junit (time, peak memory of the CLI). Runs on a project made by make_big_project.
//
//   bench_scale_evals BIG.touchstone [--skip-gui] [--skip-cli]
//
// The GUI part opens BIG itself (it writes the statistics cache into it, as the app would);
// the CLI part works on a copy whose models point at the in-process fake LLM server.

#include "common/projectsession.h"
#include "evals/evallistmodel.h"
#include "evals/evalscontroller.h"
#include "evals/evalsview.h"
#include "evals/resultsmatrixmodel.h"
#include "evals/statisticspanel.h"
#include "fakellmserver.h"
#include "playground/runservices.h"
#include "storage/project.h"
#include "uiprobes.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace ts;
using ts::bench::BlockProbe;
using ts::bench::rssMb;

namespace {

bool waitFor(const std::function<bool()> &condition, int timeoutMs = 600000)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

int runGui(const QString &path)
{
    // Start from a cold statistics cache (the first selection computes, the second reads).
    {
        auto project = Project::open(path);
        if (!project) {
            std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(path),
                         qPrintable(project.error().message));
            return 1;
        }
        (void)project->db().exec(QStringLiteral("DELETE FROM eval_statistics"));
    }
    ProjectSession session;
    const double rssStart = rssMb();
    QElapsedTimer clock;
    clock.start();
    session.open(path);
    if (!waitFor([&] { return session.hasProject(); })) {
        std::fprintf(stderr, "the project did not open\n");
        return 1;
    }
    std::printf("open (session): %lld ms\n", clock.elapsed());
    RunServices services(session);
    BlockProbe probe;
    probe.start();
    const double rssBefore = rssMb();

    for (int pass = 0; pass < 2; ++pass) {
        // Selecting the eval, as the Evals section does once its list is read: the newest.
        // The clock starts when the list arrives (the view selects the eval then).
        probe.setPhase(QStringLiteral("pass %1: list").arg(pass + 1));
        auto controller = std::make_unique<EvalsController>(session, services);
        ResultsMatrixModel *matrix = controller->matrixModel();
        QObject::connect(controller->listModel(), &QAbstractItemModel::modelReset, controller.get(),
                         [&] {
                             clock.restart();
                             probe.setPhase(QStringLiteral("pass %1: selecting").arg(pass + 1));
                         });
        auto view = std::make_unique<EvalsView>(*controller);
        view->resize(1400, 850);
        view->show();
        if (!waitFor([&] { return matrix->rowCount() > 0 && matrix->loadedPages() > 0; })) {
            std::fprintf(stderr, "no first page\n");
            return 1;
        }
        const qint64 firstPage = clock.elapsed();
        probe.setPhase(QStringLiteral("pass %1: statistics").arg(pass + 1));
        const int rows = matrix->rowCount();
        if (!waitFor([&] {
                return controller->results() && !controller->results()->statisticsPending;
            })) {
            std::fprintf(stderr, "no statistics\n");
            return 1;
        }
        const qint64 stats = clock.elapsed();
        std::printf("%s selection of eval #%lld (%d cases x %d variants): first page %lld ms "
                    "(goal < 100 ms), statistics %lld ms, RSS %.0f MB (+%.0f MB since the "
                    "project opened)\n",
                    pass == 0 ? "first" : "second (statistics cached)", controller->shownEvalId(),
                    rows, int(controller->results()->variants.size()), firstPage, stats, rssMb(),
                    rssMb() - rssBefore);
        if (pass == 0) {
            // A page far down.
            probe.setPhase(QStringLiteral("scrolling"));
            clock.restart();
            const int far = rows - 10;
            view->matrix()->scrollTo(matrix->index(far, 1));
            if (!waitFor([&] {
                    return !matrix->index(far, 1)
                                .data(ResultsMatrixModel::OutcomeRole)
                                .toString()
                                .isEmpty();
                }))
                return 1;
            std::printf("row %d shown: %lld ms\n", far, clock.elapsed());

            // The comparison (paired bootstrap over every case) off the UI thread.
            clock.restart();
            if (!waitFor([&] {
                    const QString text = view->statistics()->comparisonText();
                    return !text.isEmpty() && !text.startsWith(QStringLiteral("Comparing"));
                }))
                return 1;
            std::printf("comparison ready: %lld ms later\n", clock.elapsed());

            // Failures only.
            probe.setPhase(QStringLiteral("filtering"));
            clock.restart();
            view->filterCombo()->setCurrentIndex(
                view->filterCombo()->findData(int(EvalResults::Filter::FailuresOnly)));
            if (!waitFor([&] { return !matrix->isFiltering(); }))
                return 1;
            std::printf("failures only: %d rows in %lld ms, RSS %.0f MB\n", matrix->rowCount(),
                        clock.elapsed(), rssMb());
            view->filterCombo()->setCurrentIndex(0);
        }
        // Leaving the section (and the eval) returns what it held.
        probe.setPhase(QStringLiteral("leaving"));
        view.reset();
        controller.reset();
        QTest::qWait(300);
        std::printf("RSS after leaving the eval: %.0f MB\n", rssMb());
    }
    std::printf("longest gap between 1 ms ticks: %.1f ms; longest UI-thread work in one gap: "
                "%.1f ms (goal <= 16 ms)\n",
                probe.longestMs(), probe.longestWorkMs());
    for (const QString &block : probe.blocks())
        std::printf("  blocked %s\n", qPrintable(block));
    std::printf("RSS: %.0f MB at start, %.0f MB with the project open, %.0f MB at the end\n",
                rssStart, rssBefore, rssMb());
    return 0;
}

int runCli(const QString &path)
{
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("resume.touchstone"));
    QElapsedTimer clock;
    clock.start();
    if (!QFile::copy(path, copy)) {
        std::fprintf(stderr, "cannot copy %s\n", qPrintable(path));
        return 1;
    }
    ts::test::FakeLlmServer server;
    if (!server.listen())
        return 1;
    qint64 evalId = 0;
    {
        auto project = Project::open(copy);
        if (!project)
            return 1;
        Database &db = project->db();
        evalId = db.queryInt(QStringLiteral("SELECT max(id) FROM evals")).value_or(0);
        // 100 calls left on each of the two variants; the models answer from the fake server.
        bool ok = bool(db.exec(
            QStringLiteral(
                "DELETE FROM generations WHERE id IN (SELECT g.id FROM eval_variants ev JOIN "
                "generations g ON g.run_id = ev.run_id WHERE ev.eval_id = %1 AND ev.position = 0 "
                "ORDER BY g.id DESC LIMIT 100) OR id IN (SELECT g.id FROM eval_variants ev JOIN "
                "generations g ON g.run_id = ev.run_id WHERE ev.eval_id = %1 AND ev.position = 1 "
                "ORDER BY g.id DESC LIMIT 100)")
                .arg(evalId)));
        ok = ok
            && db.exec(
                QStringLiteral("UPDATE evals SET status = 'cancelled' WHERE id = %1").arg(evalId));
        ok = ok
            && db.exec(QStringLiteral("UPDATE models SET provider = 'openai', base_url = '%1/v1', "
                                      "key_ref = '', model_id = 'fake-small'")
                           .arg(server.baseUrl()));
        if (!ok) {
            std::fprintf(stderr, "cannot prepare the copy\n");
            return 1;
        }
    }
    // The copy reaches the disk before the clock starts: its writeback (1.46 GB) would otherwise
    // compete with the CLI's reads and its 400 MB of reports in the measured window.
    for (const QString &file : {copy, QString(copy + QStringLiteral("-wal"))}) {
        QFile f(file);
        if (f.exists() && f.open(QIODevice::ReadWrite))
            ::fsync(f.handle());
    }
    std::printf("copy prepared in %lld ms (eval #%lld, 200 calls left)\n", clock.elapsed(), evalId);
    const QString cli
        = QCoreApplication::applicationDirPath() + QStringLiteral("/../../app/touchstone-cli");
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    clock.restart();
    process.start(cli,
                  {QStringLiteral("eval"), copy, QStringLiteral("--retry-errors"),
                   QStringLiteral("--eval"), QString::number(evalId), QStringLiteral("--json"),
                   dir.filePath(QStringLiteral("out.json")), QStringLiteral("--junit"),
                   dir.filePath(QStringLiteral("out.xml")), QStringLiteral("--quiet")});
    if (!process.waitForFinished(600000)) {
        std::fprintf(stderr, "the CLI did not finish\n");
        return 1;
    }
    const qint64 ms = clock.elapsed();
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    const QByteArray load
        = loadavg.open(QIODevice::ReadOnly) ? loadavg.readAll().trimmed() : QByteArray("?");
    rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage);
    std::printf("eval resume (200 calls, --json %.0f MB, --junit %.0f MB): %.1f s (goal < 10 s), "
                "peak RSS %.0f MB (goal < 300 MB), exit %d, %d calls answered (load %s)\n",
                QFileInfo(dir.filePath(QStringLiteral("out.json"))).size() / 1e6,
                QFileInfo(dir.filePath(QStringLiteral("out.xml"))).size() / 1e6, ms / 1000.0,
                usage.ru_maxrss / 1024.0, process.exitCode(), server.requestCount(),
                load.constData());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("TOUCHSTONE_NO_KEYCHAIN", "1");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr,
                     "usage: bench_scale_evals BIG.touchstone [--skip-gui] [--skip-cli]\n"
                     "(make BIG with make_big_project)\n");
        return 2;
    }
    const QString path = args.at(1);
    if (!args.contains(QStringLiteral("--skip-cli")))
        if (int code = runCli(path))
            return code;
    if (!args.contains(QStringLiteral("--skip-gui")))
        return runGui(path);
    return 0;
}
