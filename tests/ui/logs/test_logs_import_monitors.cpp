// Importing logs in the GUI runs the project's monitors on what arrived, as `logs import` does.

#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "insights/monitor.h"
#include "logs/logimportjob.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

class TestLogsImportMonitors final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void importRunsMonitors();
};

void TestLogsImportMonitors::importRunsMonitors()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("m.touchstone"));
    {
        auto project = Project::create(path);
        QVERIFY(project);
        auto dataset = DatasetStore(project->db()).createDataset(QStringLiteral("checks"));
        QVERIFY(dataset);
        AssertionSpec spec;
        spec.type = QStringLiteral("icontains");
        spec.value = "order";
        QVERIFY(AssertionStore(project->db()).add(dataset->id, std::nullopt, spec));
        MonitorConfig monitor;
        monitor.name = QStringLiteral("mentions the order");
        monitor.datasetId = dataset->id;
        QVERIFY(MonitorStore(project->db()).add(monitor));
    }
    // Two requests/response pairs: one output mentions the order, one does not.
    const QString file = dir.filePath(QStringLiteral("pairs.jsonl"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    for (const char *answer : {"Your order ships today.", "Hello!"})
        f.write(QByteArray(R"({"timestamp":"2026-11-30T10:00:00Z","request":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Where is it?"}]},"response":{"id":"chatcmpl-)")
                + QByteArray::number(qHash(QByteArray(answer)))
                + R"(","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":")"
                + answer + R"("},"finish_reason":"stop"}]}})" + "\n");
    f.close();

    LogImportJob job(path, {file});
    QSignalSpy finished(&job, &LogImportJob::finished);
    job.start();
    QVERIFY(finished.wait(20000));

    auto project = Project::open(path);
    QVERIFY(project);
    auto st = project->db().prepare(
        QStringLiteral("SELECT count(*), sum(pass) FROM monitor_results"));
    QVERIFY(st && *st->step());
    QCOMPARE(st->int64(0), 2); // both records checked
    QCOMPARE(st->int64(1), 1); // one passed
}

QTEST_MAIN(TestLogsImportMonitors)
#include "test_logs_import_monitors.moc"
