// The Evals section against the fake LLM server (deterministic "Echo: <prompt words> ..."
// answers): New Eval dialog with its estimate, the run with progress, the results matrix,
// statistics, the detail pane with assertion reasons, filters, cancel and resume.

#include "uifixture.h"

#include "common/messagebar.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "evals/celldetailview.h"
#include "evals/evallistmodel.h"
#include "evals/evalscontroller.h"
#include "evals/evalsview.h"
#include "evals/judgedialog.h"
#include "evals/newevaldialog.h"
#include "evals/resultsmatrixmodel.h"
#include "evals/statisticspanel.h"
#include "fakellmserver.h"
#include "models/modelstore.h"
#include "playground/runservices.h"
#include "prompts/promptstore.h"
#include "storage/project.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>

using namespace ts;
using namespace ts::test;

namespace {

struct EvalFixture
{
    FakeLlmServer server;
    PromptsFixture base;
    std::unique_ptr<RunServices> services;
    std::unique_ptr<EvalsController> controller;
    std::unique_ptr<EvalsView> view;
    QList<qint64> versionIds; ///< greeter v1, v2
    QList<qint64> modelIds;
    qint64 datasetId = 0;
    QList<qint64> caseIds;
    QString firstModel = QStringLiteral("fake-small"); ///< model id (fault spec) of model 1
    bool withAssertions = true; ///< false: the dataset checks nothing

    ModelConfig fakeModel(const QString &name, const QString &modelId) const
    {
        ModelConfig m;
        m.name = name;
        m.provider = ProviderKind::OpenAI;
        m.baseUrl = server.baseUrl() + QStringLiteral("/v1");
        m.modelId = modelId;
        m.priceInputPerMTok = 0.15;
        m.priceOutputPerMTok = 0.6;
        return m;
    }

    /// A "greeter" prompt in two versions that both put "hello" early in the user message,
    /// two models on the fake server, and a three-case dataset asserting `contains hello`
    /// on every case plus `contains goodbye` on the last one (which therefore fails).
    bool seed(int models)
    {
        if (!server.listen() || !base.create())
            return false;
        auto project = Project::open(base.path);
        if (!project)
            return false;
        ModelStore modelStore(project->db());
        for (int i = 0; i < models; ++i) {
            auto m = modelStore.add(fakeModel(QStringLiteral("fake-%1").arg(i + 1),
                                              i == 0 ? firstModel : QStringLiteral("fake-large")));
            if (!m)
                return false;
            modelIds << m->id;
        }
        PromptStore prompts(project->db());
        auto prompt = prompts.createPrompt(QStringLiteral("greeter"));
        if (!prompt)
            return false;
        for (const char *text :
             {"Say hello to {{name}} please", "Please say hello warmly to {{name}}"}) {
            PromptContent content;
            content.messages = {PromptMessage {QStringLiteral("user"), QString::fromUtf8(text)}};
            auto saved = prompts.saveVersion(prompt->id, content, {}, QStringLiteral("test"));
            if (!saved)
                return false;
            versionIds << saved->version.id;
        }
        DatasetStore datasets(project->db());
        auto dataset = datasets.createDataset(QStringLiteral("names"));
        if (!dataset)
            return false;
        datasetId = dataset->id;
        for (const char *name : {"Alice", "Bob", "Carol"}) {
            TestCaseData data;
            data.vars = nlohmann::json {{"name", name}};
            auto added = datasets.addCase(datasetId, data);
            if (!added)
                return false;
            caseIds << added->id;
        }
        if (!withAssertions)
            return true;
        AssertionStore assertions(project->db());
        if (!assertions.add(datasetId, std::nullopt,
                            AssertionSpec {QStringLiteral("contains"), "hello", 1, {}}))
            return false;
        if (!assertions.add(datasetId, caseIds.last(),
                            AssertionSpec {QStringLiteral("contains"), "goodbye", 1, {}}))
            return false;
        return true;
    }

    bool start(int models)
    {
        if (!seed(models) || !base.start(false))
            return false;
        services = std::make_unique<RunServices>(*base.session);
        controller = std::make_unique<EvalsController>(*base.session, *services);
        view = std::make_unique<EvalsView>(*controller);
        view->resize(1400, 850);
        view->show();
        return waitUntil([&] { return services->engine() != nullptr; });
    }

    /// Fills the New Eval dialog with both versions x every model and waits for its estimate.
    NewEvalDialog *prepareDialog(int concurrency = 4)
    {
        NewEvalDialog *dialog = view->newEval();
        if (!waitUntil([&] { return dialog->choicesLoaded(); }))
            return nullptr;
        for (qint64 v : versionIds)
            dialog->checkVersion(v);
        for (qint64 m : modelIds)
            dialog->checkModel(m);
        dialog->selectDataset(datasetId);
        dialog->setConcurrency(concurrency);
        dialog->estimateButton()->click();
        if (!waitUntil([&] { return dialog->startButton()->isEnabled(); }))
            return nullptr;
        return dialog;
    }

    ~EvalFixture()
    {
        view.reset();
        controller.reset();
        services.reset();
        base.stop();
    }
};

/// The shown eval is finished and its statistics (computed in the background) are in.
bool statisticsReady(const EvalsController &controller)
{
    const auto r = controller.results();
    return r && r->status == QStringLiteral("completed") && !r->statisticsPending;
}

QString cellOutcome(const ResultsMatrixModel *m, int row, int variant)
{
    return m->index(row, variant + 1).data(ResultsMatrixModel::OutcomeRole).toString();
}

} // namespace

class TestEvalView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void runFillsMatrixStatisticsAndDetail()
    {
        EvalFixture f;
        QVERIFY(f.start(2));
        QAbstractItemModelTester matrixTester(
            f.controller->matrixModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester listTester(f.controller->listModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);

        NewEvalDialog *dialog = f.prepareDialog();
        QVERIFY(dialog);
        // 3 cases x (2 versions x 2 models) x 1 sample, with a cost from the models' prices.
        const QString estimate = dialog->estimateLabel()->text();
        QVERIFY2(estimate.contains(QStringLiteral("12 calls")), qPrintable(estimate));
        QVERIFY2(estimate.contains(QStringLiteral("3 cases × 4 variants × 1 sample)")),
                 qPrintable(estimate));
        QVERIFY2(estimate.contains(QStringLiteral("$")), qPrintable(estimate));

        QSignalSpy finished(f.controller.get(), &EvalsController::finished);
        QStringList progressTexts;
        connect(f.controller.get(), &EvalsController::progressed, f.view.get(),
                [&] { progressTexts << f.view->progressLabel()->text(); });
        dialog->startButton()->click();
        QVERIFY(finished.wait(waitMs) || finished.count() > 0);
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("completed"));
        QVERIFY(!progressTexts.isEmpty());
        QVERIFY2(progressTexts.last().contains(QStringLiteral("passing so far")),
                 qPrintable(progressTexts.join(QLatin1Char('|'))));

        ResultsMatrixModel *matrix = f.controller->matrixModel();
        QVERIFY(waitUntil([&] {
            return matrix->results() && matrix->results()->status == QStringLiteral("completed")
                && cellOutcome(matrix, 0, 0) == QStringLiteral("pass");
        }));
        QCOMPARE(matrix->rowCount(), 3);
        QCOMPARE(matrix->columnCount(), 5);
        // The title follows the eval from "running" to "completed" (it arrives with the counts).
        QVERIFY(waitUntil([&] { return statisticsReady(*f.controller); }));
        QVERIFY2(f.view->titleLabel()->text().contains(QStringLiteral("completed")),
                 qPrintable(f.view->titleLabel()->text()));
        for (int v = 0; v < 4; ++v) {
            QCOMPARE(cellOutcome(matrix, 0, v), QStringLiteral("pass"));
            QCOMPARE(cellOutcome(matrix, 1, v), QStringLiteral("pass"));
            QCOMPARE(cellOutcome(matrix, 2, v), QStringLiteral("fail")); // no "goodbye"
        }
        QVERIFY(matrix->index(0, 1).data().toString().contains(QStringLiteral("pass")));
        QVERIFY(matrix->index(0, 1).data(Qt::BackgroundRole).isValid());
        const QString header = matrix->headerData(1, Qt::Horizontal, Qt::DisplayRole).toString();
        QVERIFY2(header.contains(QStringLiteral("greeter@1")),
                 qPrintable(header + QLatin1Char('|') + matrix->results()->variants[0].label));

        // Statistics: 2 of 3 pass for every variant, with the Wilson interval.
        QVERIFY(waitUntil([&] { return statisticsReady(*f.controller); }));
        QTableWidget *stats = f.view->statistics()->table();
        QCOMPARE(stats->rowCount(), 4);
        for (int v = 0; v < 4; ++v)
            QVERIFY2(stats->item(v, 1)->text().startsWith(QStringLiteral("67% [")),
                     qPrintable(stats->item(v, 1)->text()));
        // The comparison is computed off the UI thread.
        QVERIFY2(waitUntil([&] {
                     return f.view->statistics()->comparisonText().contains(
                         QStringLiteral("No significant difference"));
                 }),
                 qPrintable(f.view->statistics()->comparisonText()));

        // The failing cell explains itself; a passing one shows the echoed output.
        f.view->showCell(2, 0);
        QString detail = f.view->detail()->plainText();
        QVERIFY2(detail.contains(QStringLiteral("Expected output to contain \"goodbye\"")),
                 qPrintable(detail));
        QVERIFY(detail.contains(QStringLiteral("Carol")));
        QVERIFY(detail.contains(QStringLiteral("Echo:")));
        // The request as sent, loaded from the project.
        QVERIFY(waitUntil([&] {
            return f.view->detail()->plainText().contains(
                QStringLiteral("Say hello to Carol please"));
        }));
        f.view->showCell(0, 1);
        f.view->detail()->setCompareVariant(0);
        detail = f.view->detail()->plainText();
        QVERIFY(detail.contains(QStringLiteral("Side by side")));
        QVERIFY(detail.contains(QStringLiteral("Alice")));

        // Filters: failures only keeps the third case.
        // (Filters run off the UI thread.)
        f.view->filterCombo()->setCurrentIndex(
            f.view->filterCombo()->findData(int(EvalResults::Filter::FailuresOnly)));
        QVERIFY(waitUntil([&] { return !matrix->isFiltering(); }));
        QCOMPARE(matrix->rowCount(), 1);
        QCOMPARE(matrix->caseIndexAt(0), 2);
        f.view->filterCombo()->setCurrentIndex(
            f.view->filterCombo()->findData(int(EvalResults::Filter::ChangedBetween)));
        QVERIFY(waitUntil([&] { return !matrix->isFiltering(); }));
        QCOMPARE(matrix->rowCount(), 0); // same verdicts everywhere
        f.view->filterCombo()->setCurrentIndex(0);
        QCOMPARE(matrix->rowCount(), 3);

        // Export in every format.
        QTemporaryDir out;
        QSignalSpy exported(f.controller.get(), &EvalsController::exported);
        QVERIFY(f.view->exportButton()->isEnabled());
        for (const char *name : {"r.json", "r.xml", "r.csv", "r.html"})
            f.view->exportShown(out.filePath(QString::fromLatin1(name)));
        QVERIFY(waitUntil([&] { return exported.count() == 4; }));
        auto read = [&](const char *name) {
            QFile file(out.filePath(QString::fromLatin1(name)));
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };
        const auto json = nlohmann::json::parse(read("r.json").toStdString(), nullptr, false);
        QVERIFY(json.is_object() && json["results"].size() == 12);
        QVERIFY(read("r.xml").contains("<testsuite"));
        const QList<QByteArray> rows = read("r.csv").trimmed().split('\n');
        QCOMPARE(rows.size(), 13); // header + 3 cases x 4 variants
        QVERIFY(rows.first().startsWith("case_id,vars,variant"));
        QVERIFY(read("r.html").contains("<html"));

        // The list shows the finished eval.
        QVERIFY(waitUntil([&] { return f.controller->listModel()->rowCount() == 1; }));
        const EvalListEntry *entry = f.controller->listModel()->entryAt(0);
        QCOMPARE(entry->status, QStringLiteral("completed"));
        QCOMPARE(entry->variants, 4);
        QCOMPARE(f.controller->listModel()->index(0, EvalListModel::PassRate).data().toString(),
                 QStringLiteral("67%"));
    }

    void sideBySideMarksOnlyTheWordsThatDiffer()
    {
        const QString html
            = CellDetailView::sideBySideHtml(QStringLiteral("Echo: hello Alice today"),
                                             QStringLiteral("Echo: hello Bob today"), QPalette());
        QVERIFY(html.contains(QStringLiteral(">Alice</span>")));
        QVERIFY(html.contains(QStringLiteral(">Bob</span>")));
        QVERIFY(!html.contains(QStringLiteral(">hello</span>")));
        QVERIFY(html.contains(QStringLiteral("hello")));
    }

    void arrowKeysInTheMatrixMoveTheDetail()
    {
        EvalFixture f;
        QVERIFY(f.start(1));
        NewEvalDialog *dialog = f.prepareDialog();
        QVERIFY(dialog);
        QSignalSpy finished(f.controller.get(), &EvalsController::finished);
        dialog->startButton()->click();
        QVERIFY(finished.wait(waitMs) || finished.count() > 0);
        ResultsMatrixModel *matrix = f.controller->matrixModel();
        QVERIFY(waitUntil([&] {
            return matrix->results() && matrix->results()->status == QStringLiteral("completed");
        }));
        QTableView *table = f.view->matrix();
        const QModelIndex first = matrix->index(0, 1);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(first).center());
        QVERIFY(f.view->detail()->plainText().contains(QStringLiteral("Alice")));
        QTest::keyClick(table, Qt::Key_Down);
        QVERIFY2(f.view->detail()->plainText().contains(QStringLiteral("Bob")),
                 qPrintable(f.view->detail()->plainText()));
        QTest::keyClick(table, Qt::Key_Down);
        QVERIFY(f.view->detail()->plainText().contains(QStringLiteral("Carol")));
        QTest::keyClick(table, Qt::Key_Right); // the second version, same case
        QCOMPARE(table->currentIndex().column(), 2);
        const QString detail = f.view->detail()->plainText();
        QVERIFY2(detail.contains(QStringLiteral("Carol"))
                     && detail.contains(matrix->results()->variants[1].label),
                 qPrintable(detail));
    }

    void progressLineAndStatisticsAgreeDuringTheRun()
    {
        EvalFixture f;
        FakeServerConfig slow;
        slow.latencyMs = 400;
        f.server.setConfig(slow);
        QVERIFY(f.start(2));
        NewEvalDialog *dialog = f.prepareDialog(2);
        QVERIFY(dialog);
        // Whenever either changes, the live pass count in the progress line and the one in the
        // statistics summary are the same numbers.
        static const QRegularExpression progressCount(QStringLiteral("\\((\\d+)/(\\d+)\\)"));
        static const QRegularExpression statsCount(QStringLiteral("(\\d+)/(\\d+) passed"));
        QStringList disagreements;
        int compared = 0;
        auto check = [&] {
            const auto a = progressCount.match(f.view->progressLabel()->text());
            const auto b = statsCount.match(f.view->statistics()->summaryText());
            if (!a.hasMatch() || !b.hasMatch() || !f.view->progressLabel()->isVisible())
                return;
            ++compared;
            if (a.captured(1) != b.captured(1) || a.captured(2) != b.captured(2))
                disagreements << f.view->progressLabel()->text() + QStringLiteral(" vs ")
                        + f.view->statistics()->summaryText();
        };
        connect(f.controller.get(), &EvalsController::progressed, f.view.get(), check,
                Qt::QueuedConnection);
        connect(f.controller.get(), &EvalsController::resultsLoaded, f.view.get(), check,
                Qt::QueuedConnection);
        QSignalSpy finished(f.controller.get(), &EvalsController::finished);
        dialog->startButton()->click();
        QVERIFY(finished.wait(waitMs) || finished.count() > 0);
        QVERIFY(compared > 0);
        QVERIFY2(disagreements.isEmpty(), qPrintable(disagreements.join(QLatin1Char('\n'))));
    }

    void aDatasetWithoutChecksSaysSo()
    {
        EvalFixture f;
        f.withAssertions = false;
        QVERIFY(f.start(1));
        NewEvalDialog *dialog = f.prepareDialog();
        QVERIFY(dialog);
        QSignalSpy finished(f.controller.get(), &EvalsController::finished);
        dialog->startButton()->click();
        QVERIFY(finished.wait(waitMs) || finished.count() > 0);
        ResultsMatrixModel *matrix = f.controller->matrixModel();
        QVERIFY(waitUntil([&] {
            return matrix->results() && matrix->results()->status == QStringLiteral("completed");
        }));
        QVERIFY(waitUntil([&] { return statisticsReady(*f.controller); }));
        QTableWidget *stats = f.view->statistics()->table();
        for (int v = 0; v < stats->rowCount(); ++v) {
            const QString rate = stats->item(v, 1)->text();
            QVERIFY2(rate.contains(QStringLiteral("no checks")) && !rate.contains(QLatin1Char('%')),
                     qPrintable(rate));
        }
        QVERIFY2(f.view->statistics()->summaryText().contains(QStringLiteral("no checks")),
                 qPrintable(f.view->statistics()->summaryText()));
        QVERIFY(!f.view->statistics()->comparisonText().contains(QStringLiteral("better")));
        QVERIFY(!f.view->progressLabel()->text().contains(QStringLiteral("100%")));
    }

    void estimateThenCancelLeavesNoEval()
    {
        EvalFixture f;
        QVERIFY(f.start(1));
        NewEvalDialog *dialog = f.prepareDialog();
        QVERIFY(dialog);
        // A second estimate (say, after changing the concurrency) replaces the first.
        dialog->setConcurrency(2);
        dialog->estimateButton()->click();
        QVERIFY(waitUntil([&] { return dialog->startButton()->isEnabled(); }));
        QTest::keyClick(dialog, Qt::Key_Escape);
        auto project = Project::open(f.base.path);
        QVERIFY(project);
        QVERIFY(waitUntil([&] {
            return project->db().queryInt(QStringLiteral("SELECT count(*) FROM evals")).value()
                == 0;
        }));
        QCOMPARE(project->db().queryInt(QStringLiteral("SELECT count(*) FROM runs")).value(), 0);
        f.controller->reloadList();
        QVERIFY(waitUntil([&] { return f.controller->listModel()->rowCount() == 0; }));
        QCOMPARE(f.server.requestCount(), 0);

        // Estimating twice and starting makes exactly one eval.
        dialog = f.prepareDialog();
        QVERIFY(dialog);
        dialog->estimateButton()->click();
        QVERIFY(waitUntil([&] { return dialog->startButton()->isEnabled(); }));
        QSignalSpy finished(f.controller.get(), &EvalsController::finished);
        dialog->startButton()->click();
        QVERIFY(finished.wait(waitMs) || finished.count() > 0);
        QCOMPARE(project->db().queryInt(QStringLiteral("SELECT count(*) FROM evals")).value(), 1);

        // Any eval can be deleted, after a confirmation.
        QVERIFY(waitUntil([&] { return f.controller->listModel()->rowCount() == 1; }));
        f.view->evalList()->selectRow(0);
        QVERIFY(waitUntil([&] { return f.view->deleteButton()->isEnabled(); }));
        bool asked = false;
        QTimer::singleShot(0, f.view.get(), [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            asked = true;
            for (QAbstractButton *b : box->buttons())
                if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                    b->click();
        });
        f.view->deleteButton()->click();
        QVERIFY(asked);
        QVERIFY(waitUntil([&] { return f.controller->listModel()->rowCount() == 0; }));
        QCOMPARE(project->db().queryInt(QStringLiteral("SELECT count(*) FROM evals")).value(), 0);
        QCOMPARE(project->db().queryInt(QStringLiteral("SELECT count(*) FROM generations")).value(),
                 0);
    }

    void cancelledEvalCanBeResumed()
    {
        EvalFixture f;
        FakeServerConfig slow;
        slow.latencyMs = 150;
        f.server.setConfig(slow);
        QVERIFY(f.start(1));
        QAbstractItemModelTester listTester(f.controller->listModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        NewEvalDialog *dialog = f.prepareDialog(1);
        QVERIFY(dialog);
        QSignalSpy progressed(f.controller.get(), &EvalsController::progressed);
        QSignalSpy finished(f.controller.get(), &EvalsController::finished);
        dialog->startButton()->click();
        QVERIFY(waitUntil([&] {
            return !progressed.isEmpty()
                && progressed.last().first().value<EvalProgress>().done >= 1;
        }));
        QVERIFY(f.view->cancelButton()->isVisible());
        f.view->cancelButton()->click();
        QVERIFY(finished.wait(waitMs) || finished.count() > 0);
        QCOMPARE(finished.last().at(1).toString(), QStringLiteral("cancelled"));
        QVERIFY(f.view->messageBar()->text().contains(QStringLiteral("Resume")));

        QVERIFY(waitUntil([&] {
            const EvalListEntry *e = f.controller->listModel()->entryAt(0);
            return e && e->status == QStringLiteral("cancelled");
        }));
        const int requestsBefore = f.server.requestCount();
        QVERIFY(requestsBefore < 6);
        f.view->evalList()->selectRow(0);
        QVERIFY(f.view->resumeButton()->isEnabled());
        f.view->resumeButton()->click();
        QVERIFY(waitUntil([&] { return finished.count() == 2; }));
        QCOMPARE(finished.last().at(1).toString(), QStringLiteral("completed"));
        ResultsMatrixModel *matrix = f.controller->matrixModel();
        QVERIFY(waitUntil([&] {
            return matrix->results() && matrix->results()->status == QStringLiteral("completed");
        }));
        QVERIFY(waitUntil([&] {
            for (int row = 0; row < 3; ++row)
                for (int v = 0; v < 2; ++v) {
                    const QString outcome = cellOutcome(matrix, row, v);
                    if (outcome.isEmpty() || outcome == QStringLiteral("pending"))
                        return false; // its page is being read, or it has not run
                }
            return true;
        }));
        // Finished calls were not repeated: 6 calls overall (cancelled ones are not stored).
        QVERIFY(f.server.requestCount() <= 6 + 1);
        QVERIFY(waitUntil([&] {
            return f.controller->listModel()->entryAt(0)->status == QStringLiteral("completed");
        }));
    }

    void failedCallsAreErrorsAndRetryErrorsCompletesTheEval()
    {
        EvalFixture f;
        // Every distinct request is refused once with HTTP 400 (not retried), then answered.
        f.firstModel = QStringLiteral("fake-small+fault=400,times=1,each");
        QVERIFY(f.start(1));
        NewEvalDialog *dialog = f.prepareDialog();
        QVERIFY(dialog);
        QSignalSpy finished(f.controller.get(), &EvalsController::finished);
        dialog->startButton()->click();
        QVERIFY(finished.wait(waitMs) || finished.count() > 0);
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("completed"));
        ResultsMatrixModel *matrix = f.controller->matrixModel();
        QVERIFY(waitUntil([&] {
            return matrix->results() && matrix->results()->status == QStringLiteral("completed")
                && cellOutcome(matrix, 0, 0) == QStringLiteral("error");
        }));
        QVERIFY(waitUntil([&] { return statisticsReady(*f.controller); }));
        // 6 calls (3 cases x 2 versions), all errors: no pass rate, no failure.
        for (int row = 0; row < 3; ++row)
            for (int v = 0; v < 2; ++v)
                QCOMPARE(cellOutcome(matrix, row, v), QStringLiteral("error"));
        QTableWidget *stats = f.view->statistics()->table();
        QCOMPARE(stats->item(0, 1)->text(), QStringLiteral("– · 3 errors"));
        const QString summary = f.view->statistics()->summaryText();
        QVERIFY2(summary.contains(QStringLiteral("0/0 passed, 6 errors")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("Unit: the test case")), qPrintable(summary));
        QVERIFY(waitUntil([&] {
            return f.view->messageBar()->text().contains(QStringLiteral("finished with 6 errors"));
        }));
        QVERIFY(f.view->retryErrorsButton()->isEnabled());
        QCOMPARE(f.view->retryErrorsButton()->text(), QStringLiteral("Retry 6 errors"));
        QCOMPARE(f.server.requestCount(), 6);

        // Retry errors asks exactly those 6 calls again, and the eval is whole.
        f.view->retryErrorsButton()->click();
        QVERIFY(waitUntil([&] { return finished.count() == 2; }));
        QCOMPARE(finished.last().at(1).toString(), QStringLiteral("completed"));
        QVERIFY(waitUntil([&] {
            return matrix->results() && matrix->results()->status == QStringLiteral("completed")
                && matrix->results()->errorCount == 0;
        }));
        QVERIFY(waitUntil([&] { return statisticsReady(*f.controller); }));
        QCOMPARE(f.server.requestCount(), 12);
        for (int v = 0; v < 2; ++v) {
            QCOMPARE(cellOutcome(matrix, 0, v), QStringLiteral("pass"));
            QCOMPARE(cellOutcome(matrix, 2, v), QStringLiteral("fail")); // no "goodbye"
            QCOMPARE(stats->item(v, 1)->text().left(5), QStringLiteral("67% ["));
            QVERIFY2(stats->item(v, 1)->text().endsWith(QStringLiteral("· 2/3 passed")),
                     qPrintable(stats->item(v, 1)->text()));
        }
        QVERIFY(!f.view->retryErrorsButton()->isEnabled());
        QCOMPARE(f.controller->results()->evalId, finished.first().at(0).toLongLong());
    }

    void judgeCreatedInDialogJudgesTheEval()
    {
        EvalFixture f;
        QVERIFY(f.start(1));
        NewEvalDialog *dialog = f.view->newEval();
        QVERIFY(waitUntil([&] { return dialog->choicesLoaded(); }));
        // No judges yet: a hint line, not a checkable judge.
        QCOMPARE(dialog->judgesList()->count(), 1);
        QVERIFY(!(dialog->judgesList()->item(0)->flags() & Qt::ItemIsUserCheckable));
        QVERIFY(dialog->config().judgeIds.isEmpty());

        QVERIFY(dialog->newJudgeButton()->isEnabled());
        JudgeDialog *judgeDialog = dialog->newJudge();
        QVERIFY(judgeDialog);
        judgeDialog->nameEdit()->setText(QStringLiteral("polite"));
        judgeDialog->kindCombo()->setCurrentIndex(
            judgeDialog->kindCombo()->findText(QStringLiteral("pointwise")));
        const int modelIndex = judgeDialog->modelCombo()->findData(f.modelIds.first());
        QVERIFY(modelIndex >= 0);
        judgeDialog->modelCombo()->setCurrentIndex(modelIndex);
        judgeDialog->rubricEdit()->setPlainText(QStringLiteral("The answer greets the person."));
        QSignalSpy created(judgeDialog, &JudgeDialog::judgeCreated);
        judgeDialog->submit();
        QVERIFY(created.wait(waitMs) || created.count() > 0);
        const qint64 judgeId = created.first().first().value<JudgeConfig>().id;
        QVERIFY(judgeId > 0);
        // Listed as "name · kind", checked, and the hint is gone.
        QCOMPARE(dialog->judgesList()->count(), 1);
        QCOMPARE(dialog->judgesList()->item(0)->text(), QStringLiteral("polite · pointwise"));
        QCOMPARE(dialog->judgesList()->item(0)->checkState(), Qt::Checked);
        QCOMPARE(dialog->config().judgeIds, QList<qint64> {judgeId});

        // A second judge with the same name: the core's message shows, the dialog stays open.
        JudgeDialog *duplicate = dialog->newJudge();
        QPointer<JudgeDialog> guard(duplicate);
        duplicate->nameEdit()->setText(QStringLiteral("polite"));
        duplicate->submit();
        QVERIFY(waitUntil([&] { return guard && guard->errorLabel()->isVisible(); }));
        QVERIFY2(duplicate->errorLabel()->text().contains(QStringLiteral("already exists")),
                 qPrintable(duplicate->errorLabel()->text()));
        QVERIFY(duplicate->isVisible());
        duplicate->reject();
        QCOMPARE(dialog->judgesList()->count(), 1);

        // The judge's prompt is an ordinary prompt of the project.
        QVERIFY(waitUntil([&] {
            auto project = Project::open(f.base.path);
            return project
                && PromptStore(project->db()).prompt(QStringLiteral("polite-judge")).has_value();
        }));

        dialog->checkVersion(f.versionIds.first());
        dialog->checkModel(f.modelIds.first());
        dialog->selectDataset(f.datasetId);
        dialog->estimateButton()->click();
        QVERIFY(waitUntil([&] { return dialog->startButton()->isEnabled(); }));
        // 3 generations, each judged once.
        QVERIFY2(dialog->estimateLabel()->text().contains(QStringLiteral("3 judge calls")),
                 qPrintable(dialog->estimateLabel()->text()));
        QSignalSpy finished(f.controller.get(), &EvalsController::finished);
        dialog->startButton()->click();
        QVERIFY(finished.wait(waitMs) || finished.count() > 0);

        ResultsMatrixModel *matrix = f.controller->matrixModel();
        QVERIFY(waitUntil([&] {
            return matrix->results() && matrix->results()->status == QStringLiteral("completed");
        }));
        // The cells are the matrix's first page, read again once the eval finished (a page
        // read while it ran may hold samples not judged yet).
        QVERIFY(waitUntil([&] {
            for (int row = 0; row < 3; ++row) {
                int inPage = -1;
                const auto page = matrix->pageOfCase(row, &inPage);
                if (!page || page->cell(inPage, 0).samples.size() != 1
                    || page->cell(inPage, 0).samples.first().judgments.isEmpty())
                    return false;
            }
            return true;
        }));
        QCOMPARE(matrix->rowCount(), 3);
        for (int row = 0; row < 3; ++row) {
            int inPage = -1;
            const auto page = matrix->pageOfCase(row, &inPage);
            QVERIFY(page);
            const EvalCell &cell = page->cell(inPage, 0);
            QCOMPARE(cell.samples.size(), 1);
            const EvalSample &sample = cell.samples.first();
            QCOMPARE(sample.judgments.size(), 1);
            const JudgeOutcome &j = sample.judgments.first();
            QCOMPARE(j.judgeId, judgeId);
            QCOMPARE(j.judgeName, QStringLiteral("polite"));
            // The echo server cannot give a verdict: recorded as an error and a failing
            // sample, never a silent pass.
            QVERIFY2(j.pass.has_value() || !j.error.isEmpty(), qPrintable(j.error));
            if (!j.pass)
                QVERIFY(!sample.pass);
        }
    }
};

QTEST_MAIN(TestEvalView)
#include "test_eval_view.moc"
