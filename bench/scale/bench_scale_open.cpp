// Issue 13's open figures on a project made by make_big_project: the CLI's `prompt list` with
// the file in the page cache and evicted from it (posix_fadvise DONTNEED on the file and its
// -wal), Project::open in-process both ways, the first page of History for the version with the
// most generations (and its count), and the GUI's resident memory once the project is open and
// the window idle (offscreen; the sections load what they show).
//
//   bench_scale_open BIG.touchstone

#include "common/appsettings.h"
#include "common/projectsession.h"
#include "history/generationsquery.h"
#include "shell/mainwindow.h"
#include "shell/workbench.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "uiprobes.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

using namespace ts;

namespace {

void evict(const QString &path)
{
    for (const QString &p : QStringList {path, path + QStringLiteral("-wal")}) {
        const int fd = ::open(QFile::encodeName(p).constData(), O_RDONLY);
        if (fd < 0)
            continue;
        ::fdatasync(fd);
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v[v.size() / 2];
}

double cliPromptList(const QString &path, bool cold)
{
    if (cold)
        evict(path);
    QElapsedTimer t;
    t.start();
    QProcess p;
    p.start(QStringLiteral(TOUCHSTONE_CLI_PATH),
            {QStringLiteral("prompt"), QStringLiteral("list"), path});
    p.waitForFinished(600000);
    const double ms = t.nsecsElapsed() / 1e6;
    if (p.exitCode() != 0)
        std::fprintf(stderr, "prompt list failed: %s\n", p.readAllStandardError().constData());
    return ms;
}

double openInProcess(const QString &path, bool cold)
{
    if (cold)
        evict(path);
    QElapsedTimer t;
    t.start();
    auto project = Project::open(path);
    const double ms = t.nsecsElapsed() / 1e6;
    if (!project)
        std::fprintf(stderr, "open failed: %s\n", qPrintable(project.error().message));
    return ms;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    if (app.arguments().size() != 2) {
        std::fprintf(stderr, "usage: bench_scale_open BIG.touchstone (from make_big_project)\n");
        return 2;
    }
    const QString path = app.arguments().at(1);
    (void)cliPromptList(path, false); // warms the cache and the binary

    QList<double> warm, cold, warmOpen, coldOpen;
    for (int i = 0; i < 5; ++i)
        warm << cliPromptList(path, false);
    for (int i = 0; i < 3; ++i)
        cold << cliPromptList(path, true);
    for (int i = 0; i < 5; ++i)
        warmOpen << openInProcess(path, false);
    for (int i = 0; i < 3; ++i)
        coldOpen << openInProcess(path, true);
    std::printf("CLI prompt list, warm cache:   %7.1f ms median of 5 (goal < 100 ms)\n",
                median(warm));
    std::printf("CLI prompt list, file evicted: %7.1f ms median of 3 (goal < 1000 ms)\n",
                median(cold));
    std::printf("Project::open, warm:           %7.1f ms\n", median(warmOpen));
    std::printf("Project::open, file evicted:   %7.1f ms\n", median(coldOpen));

    // History: the version with the most generations.
    {
        auto project = Project::open(path);
        if (!project)
            return 1;
        auto top = project->db().prepare(
            QStringLiteral("SELECT prompt_version_id FROM runs WHERE prompt_version_id IS NOT NULL "
                           "GROUP BY prompt_version_id ORDER BY count(*) DESC LIMIT 1"));
        qint64 versionId = 0;
        if (top && top->step().value_or(false))
            versionId = top->int64(0);
        for (bool evicted : {false, true}) {
            if (evicted) {
                project = Project::open(path);
                evict(path);
            }
            QElapsedTimer t;
            t.start();
            auto page = generationsForVersion(project->db(), versionId);
            const double pageMs = t.nsecsElapsed() / 1e6;
            t.restart();
            auto count = generationCountForVersion(project->db(), versionId);
            const double countMs = t.nsecsElapsed() / 1e6;
            std::printf("History first page (%s): %lld rows in %.1f ms (goal < 50 ms); "
                        "count %lld in %.1f ms\n",
                        evicted ? "file evicted" : "warm", qint64(page ? page->size() : -1), pageMs,
                        count ? *count : -1, countMs);
        }
    }

    // GUI: open the project in the real window (offscreen), let it settle, read VmRSS.
    const qint64 before = qint64(ts::bench::rssMb());
    QTemporaryDir scratch;
    AppSettings settings(scratch.filePath(QStringLiteral("settings.ini")));
    Workbench workbench(settings);
    QElapsedTimer opened;
    double openMs = -1;
    QObject::connect(&workbench.session(), &ProjectSession::projectOpened, &app,
                     [&] { openMs = opened.nsecsElapsed() / 1e6; });
    workbench.window()->resize(1400, 860);
    workbench.window()->show();
    opened.start();
    workbench.start(path, false);
    QTimer::singleShot(15000, &app, &QApplication::quit);
    app.exec();
    std::printf("GUI: project open in %.0f ms; VmRSS %lld MB after 15 s idle (before the "
                "window: %lld MB; goal < 200 MB)\n",
                openMs, qint64(ts::bench::rssMb()), before);
    return 0;
}
