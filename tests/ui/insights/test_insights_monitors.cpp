// The Monitors tab of Insights as a user drives it: a project whose logs the test writes through
// LogStore (a day where 19 of 20 answers mention the refund, then a day where only 10 of 20 do)
// and a dataset with one assertion; two monitors checked with the core API. The list shows the
// alerting monitor in the alert state and the healthy one not; the chart has one point per day
// with its pass rate and Wilson interval; a click on a day lists its failing records; they go to
// a review queue; Run Now checks records that arrived later.

#include "annotation/queuestore.h"
#include "charts/chartwidget.h"
#include "common/designsystem.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "common/themecolors.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "insights/insightscontroller.h"
#include "insights/monitor.h"
#include "insights/monitorlistmodel.h"
#include "insights/monitorsview.h"
#include "logs/logstore.h"
#include "storage/project.h"

#include <QApplication>
#include <QChart>
#include <QDir>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace ts;

namespace {

constexpr int waitMs = 30000;

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

/// `n` records of `model` on `day` (UTC), the first `passing` of them mentioning a refund.
QList<LogRecord> records(const QString &day, int n, int passing, const QString &model,
                         const QString &tag = {})
{
    QList<LogRecord> list;
    const qint64 start = *epochMsFromText(day);
    for (int i = 0; i < n; ++i) {
        LogRecord r;
        r.startMs = start + 60000 * (i + 1);
        r.model = model;
        r.messages
            = {{s("user"), QStringLiteral("Where is my money? %1 %2").arg(i).arg(tag), {}, {}}};
        r.output = i < passing ? QStringLiteral("Your refund is on its way (%1).").arg(i)
                               : QStringLiteral("Please wait (%1).").arg(i);
        r.ok = true;
        r.sourceFormat = s("test");
        list.append(r);
    }
    return list;
}

template<typename T> QList<T *> seriesOf(QChart *chart)
{
    QList<T *> out;
    for (QAbstractSeries *series : chart->series())
        if (auto *t = qobject_cast<T *>(series))
            out.append(t);
    return out;
}

} // namespace

class TestInsightsMonitors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listShowsAlertingAndHealthyMonitors();
    void chartHasOnePointPerWindowWithItsInterval();
    void clickingAWindowListsItsFailures();
    void failuresGoToAReviewQueue();
    void runNowChecksNewRecords();

private:
    QLineSeries *passRateLine() const;

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<InsightsController> m_controller;
    std::unique_ptr<MonitorsView> m_view;
    qint64 m_refundsId = 0;
};

void TestInsightsMonitors::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(s("monitors.touchstone"));
    {
        auto project = Project::create(m_path);
        QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
        Database &db = project->db();
        auto dataset = DatasetStore(db).createDataset(s("support"));
        QVERIFY(dataset);
        AssertionSpec spec;
        spec.type = s("icontains");
        spec.value = "refund";
        QVERIFY(AssertionStore(db).add(dataset->id, std::nullopt, spec));
        LogStore logs(db);
        QVERIFY(logs.add(records(s("2024-06-01"), 20, 19, s("m1"))));
        QVERIFY(logs.add(records(s("2024-06-02"), 20, 10, s("m1"))));
        QVERIFY(logs.add(records(s("2024-06-02"), 20, 20, s("m2"))));

        MonitorConfig refunds;
        refunds.name = s("refunds");
        refunds.datasetId = dataset->id;
        refunds.model = s("m1");
        refunds.threshold = 0.9;
        auto added = MonitorStore(db).add(refunds);
        QVERIFY2(added, qPrintable(added ? QString() : added.error().message));
        m_refundsId = added->id;
        MonitorConfig healthy;
        healthy.name = s("healthy");
        healthy.datasetId = dataset->id;
        healthy.model = s("m2");
        healthy.threshold = 0.8;
        QVERIFY(MonitorStore(db).add(healthy));
        auto run = runAllMonitorAssertions(db);
        QVERIFY(run);
        QCOMPARE(run->size(), 2);
    }
    m_session = std::make_unique<ProjectSession>();
    m_controller = std::make_unique<InsightsController>(*m_session);
    m_view = std::make_unique<MonitorsView>(*m_controller);
    m_view->resize(1280, 820);
    QSignalSpy loaded(m_view.get(), &MonitorsView::statusesLoaded);
    QSignalSpy windows(m_view.get(), &MonitorsView::windowsLoaded);
    QSignalSpy opened(m_session.get(), &ProjectSession::projectOpened);
    m_session->open(m_path);
    QVERIFY(opened.wait(waitMs));
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QVERIFY(loaded.size() > 0 || loaded.wait(waitMs));
    QVERIFY(windows.size() > 0 || windows.wait(waitMs));
}

QLineSeries *TestInsightsMonitors::passRateLine() const
{
    // The line through the points (the interval bars are two-point lines without markers).
    for (QLineSeries *line : seriesOf<QLineSeries>(m_view->chart()->chart()))
        if (line->pointsVisible())
            return line;
    return nullptr;
}

void TestInsightsMonitors::listShowsAlertingAndHealthyMonitors()
{
    MonitorListModel *model = m_view->model();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->alertCount(), 1);
    const ThemeColors colors = ThemeColors::fromPalette(QApplication::palette());
    const int refunds = model->rowOf(m_refundsId);
    QVERIFY(refunds >= 0);
    const int healthy = 1 - refunds;
    auto cell = [model](int row, int column, int role = Qt::DisplayRole) {
        return model->data(model->index(row, column), role);
    };
    QCOMPARE(cell(refunds, MonitorListModel::Name).toString(), s("refunds"));
    QCOMPARE(cell(refunds, MonitorListModel::State).toString(), s("Alert"));
    QCOMPARE(cell(refunds, MonitorListModel::State, Qt::ForegroundRole).value<QColor>(),
             colors.status(Status::Fail));
    QVERIFY(cell(refunds, MonitorListModel::Name, MonitorListModel::AlertRole).toBool());
    // Latest day: 10 of 20, Wilson [29.9%, 70.1%].
    QCOMPARE(cell(refunds, MonitorListModel::Latest).toString(),
             s("50.0% [29.9%, 70.1%] · 10/20 · 2024-06-02"));
    QCOMPARE(cell(refunds, MonitorListModel::Threshold).toString(), s("90.0%"));
    QCOMPARE(cell(refunds, MonitorListModel::Filter).toString(), s("model m1"));
    QCOMPARE(cell(refunds, MonitorListModel::Dataset).toString(), s("support"));

    QCOMPARE(cell(healthy, MonitorListModel::Name).toString(), s("healthy"));
    QCOMPARE(cell(healthy, MonitorListModel::State).toString(), s("Healthy"));
    QCOMPARE(cell(healthy, MonitorListModel::State, Qt::ForegroundRole).value<QColor>(),
             colors.status(Status::Pass));
    QVERIFY(!cell(healthy, MonitorListModel::Name, MonitorListModel::AlertRole).toBool());

    // The alerting monitor is selected first: that is what the user came for.
    QCOMPARE(m_view->selectedMonitor()->id, m_refundsId);
}

void TestInsightsMonitors::chartHasOnePointPerWindowWithItsInterval()
{
    QVERIFY(m_view->chart()->hasChart());
    QChart *chart = m_view->chart()->chart();
    QLineSeries *line = passRateLine();
    QVERIFY(line);
    QCOMPARE(line->count(), 2);
    QCOMPARE(line->at(0).y(), 95.0); // 19/20
    QCOMPARE(line->at(1).y(), 50.0); // 10/20
    // One interval bar per day: Wilson 95% of 19/20 = [76.39%, 99.11%], of 10/20 = [29.93%,
    // 70.07%].
    QList<QPair<double, double>> bars;
    for (QLineSeries *l : seriesOf<QLineSeries>(chart))
        if (l != line && l->count() == 2 && l->at(0).x() == l->at(1).x()
            && l->name() == line->name())
            bars.append({l->at(0).y(), l->at(1).y()});
    QCOMPARE(bars.size(), 2);
    std::sort(bars.begin(), bars.end());
    QVERIFY(std::abs(bars[0].first - 29.930) < 0.01);
    QVERIFY(std::abs(bars[0].second - 70.070) < 0.01);
    QVERIFY(std::abs(bars[1].first - 76.387) < 0.01);
    QVERIFY(std::abs(bars[1].second - 99.112) < 0.01);
    // The threshold at 90% and the alert marker on the second day only.
    bool threshold = false;
    for (QLineSeries *l : seriesOf<QLineSeries>(chart))
        if (l->count() >= 2 && l->at(0).y() == 90.0 && l->at(l->count() - 1).y() == 90.0)
            threshold = true;
    QVERIFY(threshold);
    QScatterSeries *alerts = nullptr;
    for (QScatterSeries *sc : seriesOf<QScatterSeries>(chart))
        if (sc->count() > 0)
            alerts = sc;
    QVERIFY(alerts);
    QCOMPARE(alerts->count(), 1);
    QCOMPARE(alerts->at(0).x(), 1.0);
    QCOMPARE(alerts->at(0).y(), 50.0);
    QVERIFY(m_view->chart()->tooltipAt(line, 1).contains(s("10/20 passed")));
}

void TestInsightsMonitors::clickingAWindowListsItsFailures()
{
    QLineSeries *line = passRateLine();
    QVERIFY(line);
    // A click on the first day: its one failing record.
    QSignalSpy listed(m_view.get(), &MonitorsView::failuresLoaded);
    QVERIFY(m_view->chart()->activate(line, 0));
    QVERIFY(listed.wait(waitMs));
    QCOMPARE(m_view->shownWindow(), s("2024-06-01"));
    QCOMPARE(m_view->failureList()->topLevelItemCount(), 1);
    // Then the second: its ten.
    QVERIFY(m_view->chart()->activate(line, 1));
    QVERIFY(listed.wait(waitMs));
    QCOMPARE(m_view->shownWindow(), s("2024-06-02"));
    QCOMPARE(m_view->findChild<QLabel *>(s("failuresTitle"))->text(),
             s("10 failing record(s) on 2024-06-02"));
    QTreeWidget *list = m_view->failureList();
    QCOMPARE(list->topLevelItemCount(), 10);
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = list->topLevelItem(i);
        QVERIFY2(item->text(0).startsWith(s("2024-06-02 ")), qPrintable(item->text(0)));
        QCOMPARE(item->text(1), s("m1"));
        QVERIFY2(item->text(2).contains(s("refund")), qPrintable(item->text(2)));
    }
    QVERIFY(m_view->queueButton()->isEnabled());
    QVERIFY(m_view->datasetButton()->isEnabled());

    // A double-click asks for the record in Logs.
    QSignalSpy wanted(m_view.get(), &MonitorsView::logRecordWanted);
    Q_EMIT list->itemDoubleClicked(list->topLevelItem(0), 0);
    QCOMPARE(wanted.size(), 1);
    QCOMPARE(wanted.front().front().toLongLong(),
             list->topLevelItem(0)->data(0, Qt::UserRole).toLongLong());
    // Add to dataset hands the chosen records over.
    QSignalSpy toDataset(m_view.get(), &MonitorsView::addToDatasetWanted);
    list->topLevelItem(2)->setSelected(true);
    m_view->datasetButton()->click();
    QCOMPARE(toDataset.size(), 1);
    QCOMPARE(toDataset.front().front().value<QList<qint64>>(),
             QList<qint64> {list->topLevelItem(2)->data(0, Qt::UserRole).toLongLong()});
    list->clearSelection();
}

void TestInsightsMonitors::failuresGoToAReviewQueue()
{
    QTreeWidget *list = m_view->failureList();
    QCOMPARE(list->topLevelItemCount(), 10);
    QList<qint64> chosen;
    for (int i : {0, 3, 7}) {
        list->topLevelItem(i)->setSelected(true);
        chosen << list->topLevelItem(i)->data(0, Qt::UserRole).toLongLong();
    }
    QSignalSpy created(m_view.get(), &MonitorsView::queueCreated);
    m_view->sendToReviewQueue(s("refund failures"), {});
    QVERIFY(created.wait(waitMs));
    QCOMPARE(created.front().at(1).toString(), s("refund failures"));

    auto project = Project::open(m_path);
    QVERIFY(project);
    QueueStore queues(project->db());
    auto queue = queues.queue(s("refund failures"));
    QVERIFY2(queue, qPrintable(queue ? QString() : queue.error().message));
    QCOMPARE(queue->kind, QueueKind::Binary);
    QCOMPARE(queue->itemCount, 3);
    QCOMPARE(queue->criteria.size(), 1);
    QCOMPARE(queue->criteria.front().name, s("refunds"));
    auto items = queues.items(queue->id);
    QVERIFY(items);
    QList<qint64> ids;
    for (const QueueItem &item : *items) {
        QCOMPARE(item.a.kind, Target::Kind::Log);
        ids << item.a.id;
        QVERIFY(item.outputA && item.outputA->startsWith(s("Please wait")));
    }
    std::sort(ids.begin(), ids.end());
    std::sort(chosen.begin(), chosen.end());
    QCOMPARE(ids, chosen);
    list->clearSelection();
}

void TestInsightsMonitors::runNowChecksNewRecords()
{
    // A third day of 20 passing m1 records arrives: Run Now checks only those 20, and the
    // latest day (100%) no longer alerts.
    {
        auto project = Project::open(m_path);
        QVERIFY(project);
        LogStore logs(project->db());
        QVERIFY(logs.add(records(s("2024-06-03"), 20, 20, s("m1"), s("late"))));
    }
    QSignalSpy finished(m_view.get(), &MonitorsView::runFinished);
    QSignalSpy alerts(m_view.get(), &MonitorsView::alertsChanged);
    QVERIFY(m_view->runButton()->isEnabled());
    m_view->runButton()->click();
    QVERIFY(m_view->isRunning());
    QVERIFY(finished.wait(waitMs));
    QVERIFY(finished.front().front().toBool());
    QVERIFY2(m_view->messageBar()->text().contains(s("Checked 20 new record(s): 20 passed")),
             qPrintable(m_view->messageBar()->text()));
    QVERIFY(alerts.wait(waitMs));
    QCOMPARE(alerts.back().front().toStringList(), QStringList {});
    QCOMPARE(m_view->model()->alertCount(), 0);
    const int refunds = m_view->model()->rowOf(m_refundsId);
    QCOMPARE(m_view->model()->statusAt(refunds)->latest->start, s("2024-06-03"));
    QCOMPARE(m_view->model()->statusAt(refunds)->latest->rate.successes, 20);

    // With TOUCHSTONE_SCREENSHOT_DIR set, the tab as it looks now (one alerting day on the
    // chart, its failures listed) is written there as insights-monitors.png.
    const QString shots = qEnvironmentVariable("TOUCHSTONE_SCREENSHOT_DIR");
    if (!shots.isEmpty()) {
        QSignalSpy windows(m_view.get(), &MonitorsView::windowsLoaded);
        QVERIFY(windows.size() > 0 || windows.wait(waitMs));
        QSignalSpy listed(m_view.get(), &MonitorsView::failuresLoaded);
        m_view->showWindow(s("2024-06-02"));
        QVERIFY(listed.wait(waitMs));
        m_view->messageBar()->clear();
        design::ThemeManager::instance().apply(design::Theme::Light);
        QTest::qWait(200);
        QVERIFY(m_view->grab().save(QDir(shots).filePath(s("insights-monitors.png"))));
    }
}

QTEST_MAIN(TestInsightsMonitors)
#include "test_insights_monitors.moc"
