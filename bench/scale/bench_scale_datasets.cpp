// Issue 13, the Datasets rows: selecting the 100,000-case dataset in the Datasets view (time
// to the first page, the longest the UI thread was busy, memory growth), scrolling a few pages,
// whether opening the project read any case, an import of 20,000 rows through the view's
// controller (time, progress, UI thread), and `dataset export` of the big dataset as JSONL and
// CSV (time and peak memory of the CLI). Runs on a project made by make_big_project; the
// imported dataset is removed again at the end.
//
//   bench_scale_datasets BIG.touchstone [--skip-gui] [--skip-cli]

#include "common/projectsession.h"
#include "evals/casetablemodel.h"
#include "evals/datasetscontroller.h"
#include "evals/datasetsview.h"
#include "storage/project.h"
#include "uiprobes.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <sys/resource.h>

using namespace ts;
using ts::bench::BlockProbe;
using ts::bench::rssMb;

namespace {

struct BigDataset
{
    qint64 id = 0;
    QString name;
    int cases = 0;
};

BigDataset largestDataset(const QString &path)
{
    auto project = Project::open(path);
    if (!project)
        return {};
    auto list = DatasetStore(project->db()).listDatasets();
    BigDataset best;
    for (const DatasetInfo &d : list.value_or(QList<DatasetInfo> {}))
        if (d.caseCount > best.cases)
            best = {d.id, d.name, d.caseCount};
    return best;
}

/// Imports 20,000 rows into a new dataset through the Datasets controller (as Import… does),
/// timing it and the longest the UI thread was busy meanwhile; the dataset is deleted after.
int benchImport(DatasetsController &controller)
{
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("import.csv"));
    {
        QFile file(csv);
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        file.write("customer,question,__expected\n");
        for (int i = 0; i < 20000; ++i)
            file.write(QStringLiteral("bench-%1,Where is parcel %1 and when does it arrive?,"
                                      "Tracking %1\n")
                           .arg(i)
                           .toUtf8());
    }
    const QString name = QStringLiteral("bench-import-%1").arg(QDateTime::currentMSecsSinceEpoch());
    controller.createDataset(name);
    if (!QTest::qWaitFor(
            [&] {
                return controller.currentDataset() && controller.currentDataset()->name == name;
            },
            60000)) {
        std::fprintf(stderr, "the import dataset was not created\n");
        return 1;
    }
    QSignalSpy progress(&controller, &DatasetsController::importProgress);
    QSignalSpy finished(&controller, &DatasetsController::importFinished);
    BlockProbe probe;
    probe.start();
    QElapsedTimer clock;
    clock.start();
    controller.importFile(csv);
    if (!finished.wait(600000)) {
        std::fprintf(stderr, "the import did not finish\n");
        return 1;
    }
    const qint64 ms = clock.elapsed();
    const double block = probe.stopMs();
    QTest::qWaitFor([&] { return controller.caseModel()->totalCount() == 20000; }, 60000);
    std::printf("import of 20,000 rows (GUI): %.2f s, %lld progress updates, UI thread busy at "
                "most %.1f ms (goal: progress shown, input never blocked), %d cases stored\n",
                ms / 1000.0, qint64(progress.count()), block, controller.caseModel()->totalCount());
    return 0;
}

/// Removes the datasets benchImport() added. Through SQL with foreign keys off: deleting cases
/// the app's way makes SQLite look for generations that point at each one, and generations has
/// no index on test_case_id, so 20,000 deletes scan 1,000,000 rows each (no generation points
/// at these new cases, so nothing is left dangling).
void removeImported(const QString &path)
{
    auto project = Project::open(path);
    if (!project)
        return;
    Database &db = project->db();
    (void)db.exec(QStringLiteral("PRAGMA foreign_keys = OFF"));
    (void)db.exec(QStringLiteral("DELETE FROM test_cases WHERE dataset_id IN "
                                 "(SELECT id FROM datasets WHERE name LIKE 'bench-import-%')"));
    (void)db.exec(QStringLiteral("DELETE FROM datasets WHERE name LIKE 'bench-import-%'"));
}

int benchGui(const QString &path, const BigDataset &big)
{
    const double before = rssMb();
    ProjectSession session;
    DatasetsController controller(session);
    QSignalSpy opened(&session, &ProjectSession::projectOpened);
    QElapsedTimer clock;
    clock.start();
    session.open(path);
    if (!opened.wait(120000)) {
        std::fprintf(stderr, "the project did not open\n");
        return 1;
    }
    // The section is not shown yet: opening must read no case.
    if (!QTest::qWaitFor([&] { return !controller.datasets().isEmpty(); }, 60000)) {
        std::fprintf(stderr, "no datasets listed\n");
        return 1;
    }
    QTest::qWait(300);
    std::printf("open + dataset list: %lld ms; cases read before the view is shown: %d "
                "(goal 0)\n",
                clock.elapsed(), controller.caseModel()->rowCount());

    DatasetsView view(controller);
    view.resize(1300, 800);
    view.show();
    // The first listed dataset loads when the view shows; wait for it to settle.
    QTest::qWaitFor([&] { return !controller.caseModel()->isLoading(); }, 60000);
    QTest::qWait(300);
    const double shown = rssMb();

    CaseTableModel *model = controller.caseModel();
    double firstPageMs = 0;
    double longestBlock = 0;
    for (int round = 0; round < 3; ++round) {
        // Away and back, so each round selects the big dataset afresh.
        qint64 other = 0;
        for (const DatasetInfo &d : controller.datasets())
            if (d.id != big.id)
                other = d.id;
        controller.selectDataset(other);
        QTest::qWaitFor([&] { return !model->isLoading(); }, 60000);
        BlockProbe probe;
        probe.start();
        clock.restart();
        controller.selectDataset(big.id);
        if (!QTest::qWaitFor([&] { return !model->isLoading() && model->rowCount() > 0; }, 60000)) {
            std::fprintf(stderr, "the first page did not come\n");
            return 1;
        }
        const double ms = clock.nsecsElapsed() / 1e6;
        longestBlock = std::max(longestBlock, probe.stopMs());
        firstPageMs = round == 0 ? ms : std::min(firstPageMs, ms);
        std::printf("  select %s (%d cases): first page (%d rows) in %.1f ms\n",
                    qPrintable(big.name), big.cases, model->rowCount(), ms);
    }
    const double selected = rssMb();
    std::printf("Datasets > select the %d-case dataset: first page %.1f ms (goal < 50 ms), "
                "UI thread busy at most %.1f ms, RSS +%.1f MB from before selecting "
                "(goal flat; before 1.8-2.5 s, +120 MB)\n",
                big.cases, firstPageMs, longestBlock, selected - shown);

    // Scrolling: ten more pages, one per scroll to the end.
    double worstPage = 0;
    for (int page = 0; page < 10; ++page) {
        const int loaded = model->rowCount();
        clock.restart();
        view.caseTable()->scrollToBottom();
        if (!QTest::qWaitFor([&] { return model->rowCount() > loaded; }, 60000))
            break;
        worstPage = std::max(worstPage, clock.nsecsElapsed() / 1e6);
    }
    std::printf("scrolled to %d rows: slowest next page %.1f ms; RSS %.1f MB (%.1f MB at start)\n",
                model->rowCount(), worstPage, rssMb(), before);
    return benchImport(controller);
}

int benchCli(const QString &path, const BigDataset &big)
{
    const QString cli
        = QCoreApplication::applicationDirPath() + QStringLiteral("/../../app/touchstone-cli");
    QTemporaryDir dir;
    for (const QString format : {QStringLiteral("jsonl"), QStringLiteral("csv")}) {
        // One child per format, so RUSAGE_CHILDREN's peak is this export's own (the first
        // child's peak would otherwise mask a smaller second one).
        const QString out = dir.filePath(QStringLiteral("export.") + format);
        QProcess shell;
        shell.setProcessChannelMode(QProcess::ForwardedChannels);
        QElapsedTimer clock;
        clock.start();
        shell.start(QStringLiteral("/usr/bin/time"),
                    {QStringLiteral("-f"), QStringLiteral("peak_kb=%M"), QStringLiteral("-o"),
                     dir.filePath(QStringLiteral("time.txt")), cli, QStringLiteral("dataset"),
                     QStringLiteral("export"), path, QStringLiteral("--dataset"), big.name,
                     QStringLiteral("--format"), format, QStringLiteral("--output"), out});
        if (!shell.waitForFinished(600000)) {
            std::fprintf(stderr, "the export did not finish\n");
            return 1;
        }
        const qint64 ms = clock.elapsed();
        QFile time(dir.filePath(QStringLiteral("time.txt")));
        double peakMb = 0;
        if (time.open(QIODevice::ReadOnly))
            for (const QByteArray &line : time.readAll().split('\n'))
                if (line.startsWith("peak_kb="))
                    peakMb = line.mid(8).toDouble() / 1024.0;
        std::printf("dataset export --format %s of %d cases (%.1f MB): %.2f s, peak RSS %.1f MB "
                    "(goal streamed, < 50 MB; before 3.2 s, 238 MB), exit %d\n",
                    qPrintable(format), big.cases, QFileInfo(out).size() / 1e6, ms / 1000.0, peakMb,
                    shell.exitCode());
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("TOUCHSTONE_NO_KEYCHAIN", "1");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2 || !QFileInfo::exists(args.at(1))) {
        std::fprintf(stderr,
                     "usage: bench_scale_datasets BIG.touchstone [--skip-gui] "
                     "[--skip-cli]  (make BIG with make_big_project)\n");
        return 2;
    }
    const QString path = args.at(1);
    std::setvbuf(stdout, nullptr, _IONBF, 0);
    removeImported(path); // left by an earlier run that was stopped
    const BigDataset big = largestDataset(path);
    if (!big.id) {
        std::fprintf(stderr, "%s has no dataset with cases\n", qPrintable(path));
        return 1;
    }
    if (!args.contains(QStringLiteral("--skip-gui"))) {
        const int code = benchGui(path, big);
        removeImported(path);
        if (code)
            return code;
    }
    if (!args.contains(QStringLiteral("--skip-cli")))
        return benchCli(path, big);
    return 0;
}
