// The drift view as a user drives it: a project whose logs the test writes through LogStore (a
// week of refund and shipping questions, then a week where a new topic appears), compared in
// the Insights section off the UI thread; metrics, typical words, topics with examples and the
// map fill in; a comparison can be cancelled.

#include "charts/chartwidget.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "insights/driftpage.h"
#include "insights/insightscontroller.h"
#include "logs/logstore.h"
#include "storage/project.h"

#include <QChart>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScatterSeries>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace ts;

namespace {

constexpr int waitMs = 30000;
constexpr qint64 jan1 = 1767225600000; // 2026-01-01T00:00:00Z
constexpr qint64 hourMs = 3600 * 1000;

const QStringList products
    = {QStringLiteral("bike"), QStringLiteral("helmet"), QStringLiteral("pump"),
       QStringLiteral("lock"), QStringLiteral("jersey")};

LogRecord record(qint64 startMs, const QString &question, const QString &answer)
{
    LogRecord r;
    r.startMs = startMs;
    r.endMs = startMs + 500;
    r.latencyMs = 500;
    r.model = QStringLiteral("gpt-4o-mini");
    r.provider = QStringLiteral("openai");
    r.messages.append({QStringLiteral("user"), question, {}, {}});
    r.output = answer;
    r.ok = true;
    r.sourceFormat = QStringLiteral("otlp");
    return r;
}

QString usual(int i)
{
    const QString p = products[i % products.size()];
    return i % 2 == 0
        ? QStringLiteral("Can I get a refund for the %1 I ordered last week? Order %2.")
              .arg(p)
              .arg(1000 + i)
        : QStringLiteral("When will my %1 be shipped? The tracking number %2 shows "
                         "nothing yet.")
              .arg(p)
              .arg(5000 + i);
}

QString crypto(int i)
{
    return QStringLiteral("My crypto wallet seed phrase was stolen, can you freeze the wallet "
                          "and move the tokens %1? Blockchain transfer %2 pending.")
        .arg(i % 2 ? QStringLiteral("now") : QStringLiteral("today"))
        .arg(i);
}

} // namespace

class TestDriftView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void comparesAndShowsMetricsTopicsAndMap();
    void cancelStopsTheComparison();
    void badRangeSaysWhy();

private:
    void openPage();

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<InsightsController> m_controller;
    std::unique_ptr<DriftPage> m_page;
    QList<qint64> m_cryptoIds;
};

void TestDriftView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("drift.touchstone"));
    auto project = Project::create(m_path);
    QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
    LogStore store(project->db());
    QList<LogRecord> reference;
    for (int i = 0; i < 120; ++i)
        reference << record(jan1 + i * hourMs, usual(i),
                            QStringLiteral("Sure, I can help with that."));
    QVERIFY(store.add(reference));
    QList<LogRecord> current;
    for (int i = 0; i < 80; ++i)
        current << record(jan1 + 8 * 24 * hourMs + i * hourMs, usual(i + 7),
                          QStringLiteral("Sure, I can help with that."));
    QVERIFY(store.add(current));
    QList<LogRecord> topic;
    for (int i = 0; i < 40; ++i)
        topic << record(jan1 + 8 * 24 * hourMs + i * hourMs + 60000, crypto(i),
                        QStringLiteral("I am sorry, we cannot help with crypto wallets."));
    auto added = store.add(topic);
    QVERIFY(added);
    m_cryptoIds = added->ids;
    openPage();
}

void TestDriftView::openPage()
{
    m_session = std::make_unique<ProjectSession>();
    m_controller = std::make_unique<InsightsController>(*m_session);
    m_page = std::make_unique<DriftPage>(*m_controller);
    QSignalSpy opened(m_session.get(), &ProjectSession::projectOpened);
    m_session->open(m_path);
    QVERIFY(opened.wait(waitMs));
    m_page->resize(1400, 900);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void TestDriftView::comparesAndShowsMetricsTopicsAndMap()
{
    // The pickers guess the last week of logs against what came before.
    QVERIFY(QTest::qWaitFor([this] { return m_page->compareButton()->isEnabled(); }, waitMs));
    m_page->reload();
    m_page->setReferenceLogs(QStringLiteral("2026-01-01"), QStringLiteral("2026-01-07"));
    m_page->setCurrentLogs(QStringLiteral("2026-01-08"), QString());
    m_page->setWindow(QStringLiteral("day"));
    QSignalSpy running(m_page.get(), &DriftPage::running);
    m_page->compare();
    QVERIFY(m_page->isRunning());
    QVERIFY(m_page->messages()->isShowingProgress());
    QVERIFY(QTest::qWaitFor([this] { return m_page->outcome().has_value(); }, waitMs));
    QVERIFY(!m_page->isRunning());
    QCOMPARE(running.size(), 2);

    const DriftReport &report = m_page->outcome()->report;
    QCOMPARE(report.referenceN, 120);
    QCOMPARE(report.currentN, 120);
    QVERIFY(m_page->summaryLabel()->text().contains(QStringLiteral("120 records")));

    // Every metric with a value is a row, with its value as computed and a band where it has one.
    QTableWidget *metrics = m_page->metricsTable();
    QVERIFY(metrics->rowCount() >= 6);
    bool sawPsi = false;
    for (int row = 0; row < metrics->rowCount(); ++row) {
        if (metrics->item(row, 0)->data(Qt::UserRole).toString()
            != QLatin1String("input_length_psi"))
            continue;
        sawPsi = true;
        QCOMPARE(metrics->item(row, 1)->text(),
                 QString::number(*report.metrics.inputLengthPsi, 'f', 3));
        QVERIFY(!metrics->item(row, 2)->text().isEmpty());
    }
    QVERIFY(sawPsi);

    // The new topic's words are typical of current.
    QStringList currentWords;
    for (int i = 0; i < m_page->currentWords()->count(); ++i)
        currentWords << m_page->currentWords()->item(i)->text();
    QVERIFY2(currentWords.join(QLatin1Char(' ')).contains(QStringLiteral("crypto"))
                 || currentWords.join(QLatin1Char(' ')).contains(QStringLiteral("wallet")),
             qPrintable(currentWords.join(QStringLiteral(" | "))));

    // Topics: a new one, listed first, with crypto words, selected, examples loaded.
    QTableWidget *clusters = m_page->clustersTable();
    QVERIFY(clusters->rowCount() >= 2);
    QVERIFY2(clusters->item(0, 0)->text().contains(QStringLiteral("new topic")),
             qPrintable(clusters->item(0, 0)->text()));
    QVERIFY(clusters->item(0, 4)->text().contains(QStringLiteral("wallet"))
            || clusters->item(0, 4)->text().contains(QStringLiteral("crypto")));
    QCOMPARE(clusters->item(0, 1)->text(), QStringLiteral("0"));
    QVERIFY(QTest::qWaitFor([this] { return m_page->examplesList()->count() > 0; }, waitMs));
    const qint64 example = m_page->examplesList()->item(0)->data(Qt::UserRole).toLongLong();
    QVERIFY(m_cryptoIds.contains(example));
    QSignalSpy wanted(m_page.get(), &DriftPage::logRecordWanted);
    Q_EMIT m_page->examplesList()->itemActivated(m_page->examplesList()->item(0));
    QCOMPARE(wanted.size(), 1);
    QCOMPARE(wanted.front().front().toLongLong(), example);

    // A sample of the topic to add to a dataset: current records of that topic only.
    QVERIFY(m_page->addSampleButton()->isEnabled());
    const QList<qint64> sample = m_page->sampleOfSelectedTopic(10);
    QCOMPARE(sample.size(), 10);
    for (qint64 id : sample)
        QVERIFY(m_cryptoIds.contains(id));
    QSignalSpy add(m_page.get(), &DriftPage::addToDatasetWanted);
    m_page->addSampleButton()->click();
    QCOMPARE(add.size(), 1);
    QVERIFY(add.front().front().value<QList<qint64>>().size() >= 10);

    // The map: one series per topic and side, every map point drawn.
    QChart *map = m_page->mapChart()->chart();
    QVERIFY(map);
    int points = 0;
    for (QAbstractSeries *s : map->series())
        points += static_cast<QScatterSeries *>(s)->count();
    QCOMPARE(points, int(report.map.size()));
    QCOMPARE(map->series().size(), 2 * int(report.clusters.size()));

    // Per day: one point per window with current records.
    QVERIFY(!report.windows.isEmpty());
    QVERIFY(m_page->windowChart()->hasChart());

    // Alerts read as sentences: metric names spelled out, overall ones one per line, those of
    // single windows one line per metric with how many windows.
    const QString alerts = m_page->results()->alertsLabel()->text();
    QVERIFY(alerts.startsWith(QStringLiteral("<b>%1 alerts</b>").arg(report.alerts.size())));
    QSet<QString> windowMetrics;
    int overall = 0;
    for (const DriftAlert &a : report.alerts) {
        if (a.windowStartMs)
            windowMetrics.insert(a.metric);
        else
            ++overall;
        QVERIFY2(!alerts.contains(a.metric + QStringLiteral(" is")), qPrintable(alerts));
    }
    QVERIFY(overall > 0); // the new topic at least
    QVERIFY(!windowMetrics.isEmpty()); // the new topic fills some days
    QCOMPARE(alerts.count(QStringLiteral("• ")), overall + int(windowMetrics.size()));
    for (const QString &metric : std::as_const(windowMetrics)) {
        int n = 0;
        for (const DriftAlert &a : report.alerts)
            n += a.windowStartMs && a.metric == metric ? 1 : 0;
        QVERIFY2(
            alerts.contains(
                QStringLiteral(" in %1 of %2 windows (highest ").arg(n).arg(report.windows.size())),
            qPrintable(alerts));
    }
}

void TestDriftView::cancelStopsTheComparison()
{
    m_page->setReferenceLogs(QString(), QStringLiteral("2026-01-07"));
    m_page->setCurrentLogs(QStringLiteral("2026-01-08"), QString());
    QSignalSpy running(m_page.get(), &DriftPage::running);
    const auto before = m_page->outcome()->report.currentN;
    m_page->compare();
    QVERIFY(m_page->isRunning());
    m_page->cancel();
    QVERIFY(!m_page->isRunning());
    QCOMPARE(running.size(), 2);
    QVERIFY(m_page->messages()->text().contains(QStringLiteral("cancelled")));
    QVERIFY(m_page->compareButton()->isEnabled());
    // Whatever the worker was doing is dropped: the earlier result stays.
    QTest::qWait(500);
    QCOMPARE(m_page->outcome()->report.currentN, before);
}

void TestDriftView::badRangeSaysWhy()
{
    m_page->setReferenceLogs(QStringLiteral("yesterday"), QString());
    m_page->compare();
    QVERIFY(QTest::qWaitFor([this] { return !m_page->isRunning(); }, waitMs));
    QCOMPARE(m_page->messages()->kind(), MessageBar::Kind::Error);
    QVERIFY2(m_page->messages()->text().contains(QStringLiteral("Reference")),
             qPrintable(m_page->messages()->text()));
}

QTEST_MAIN(TestDriftView)
#include "test_drift_view.moc"
