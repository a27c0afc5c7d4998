// The Datasets table over a dataset larger than a page (issue 13): the first page shows on
// select with "Loading…" meanwhile, more pages arrive as the table scrolls (the model passes
// QAbstractItemModelTester through every fetch), selecting another dataset drops the previous
// load, no case is read until a view shows the cases, and edits, deletes and their undo work on
// rows beyond the first page.

#include "uifixture.h"

#include "evals/casetablemodel.h"
#include "evals/datasetscontroller.h"
#include "evals/datasetsview.h"
#include "storage/project.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QListWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QUndoStack>

using namespace ts;
using namespace ts::test;

namespace {

constexpr int bigCases = 1200;

struct Fixture
{
    PromptsFixture base;
    std::unique_ptr<DatasetsController> controller;
    std::unique_ptr<DatasetsView> view;
    qint64 big = 0;
    qint64 support = 0;

    /// The demo project plus "big-set" (sorted first, so selected on open) with 1,200 cases.
    bool create()
    {
        if (!base.create())
            return false;
        auto project = Project::open(base.path);
        if (!project)
            return false;
        DatasetStore store(project->db());
        auto d = store.createDataset(QStringLiteral("big-set"));
        if (!d)
            return false;
        QList<TestCaseData> cases;
        for (int i = 0; i < bigCases; ++i) {
            TestCaseData c;
            c.vars = {{"n", i}, {"question", "Question " + std::to_string(i)}};
            cases.append(c);
        }
        big = d->id;
        support = store.dataset(QStringLiteral("support-tickets")).value().id;
        return bool(store.importCases(d->id, cases));
    }

    bool start(bool withView = true)
    {
        if (!create() || !base.start(false))
            return false;
        controller = std::make_unique<DatasetsController>(*base.session);
        if (!withView)
            return true;
        view = std::make_unique<DatasetsView>(*controller);
        view->resize(1300, 700);
        view->show();
        return waitUntil([&] { return model()->rowCount() == model()->pageSize(); });
    }

    CaseTableModel *model() const { return controller->caseModel(); }
    int numberAt(int row) const { return model()->caseAt(row)->data.vars.value("n", -1); }

    qint64 queryInt(const QString &sql) const
    {
        auto project = Project::open(base.path);
        if (!project)
            return -1;
        return project->db().queryInt(sql).value_or(-1);
    }

    /// Scrolls the table to its end, as a user dragging the scroll bar down would.
    void scrollToEnd() const { view->caseTable()->scrollToBottom(); }

    ~Fixture()
    {
        view.reset();
        controller.reset();
        base.stop();
    }
};

} // namespace

class TestCasePaging final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void firstPageOnSelectThenMoreOnScrollUnderTheModelTester()
    {
        Fixture f;
        QVERIFY(f.start());
        QCOMPARE(f.controller->currentDatasetId(), f.big);
        QAbstractItemModelTester tester(f.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(f.model()->pageSize(), 200);
        QCOMPARE(f.model()->totalCount(), bigCases);
        QVERIFY(f.model()->canFetchMore({}));
        QVERIFY(f.view->caseStatusLabel()->isVisible());
        QVERIFY(waitUntil([&] {
            return f.view->caseStatusLabel()->text().startsWith(QStringLiteral("Showing"));
        }));
        QVERIFY2(f.view->caseStatusLabel()->text().contains(
                     QStringLiteral("of %1 cases").arg(QLocale().toString(bigCases))),
                 qPrintable(f.view->caseStatusLabel()->text()));

        // Each scroll to the end brings one more page, in the dataset's order.
        for (int loaded = f.model()->rowCount(); loaded < bigCases;) {
            f.scrollToEnd();
            QVERIFY(waitUntil([&] { return f.model()->rowCount() > loaded; }));
            QCOMPARE(f.model()->rowCount() % 200, 0);
            loaded = f.model()->rowCount();
        }
        QCOMPARE(f.model()->rowCount(), bigCases);
        QVERIFY(!f.model()->canFetchMore({}));
        for (int row = 0; row < bigCases; ++row)
            QCOMPARE(f.numberAt(row), row);
        QVERIFY(!f.view->caseStatusLabel()->isVisible()); // every case is shown
        const int question = int(f.model()->variables().indexOf(QStringLiteral("question")));
        QCOMPARE(f.model()->index(1199, question).data().toString(),
                 QStringLiteral("Question 1199"));
    }

    void selectingSaysLoadingAndAnotherDatasetDropsThePreviousLoad()
    {
        Fixture f;
        QVERIFY(f.start());
        QAbstractItemModelTester tester(f.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        f.controller->selectDataset(f.support);
        QVERIFY(f.model()->isLoading());
        QCOMPARE(f.model()->rowCount(), 0);
        QCOMPARE(f.view->caseStatusLabel()->text(), QStringLiteral("Loading…"));
        QVERIFY(f.view->caseStatusLabel()->isVisible());
        // Back to the big one and at once to the small one: only the last choice lands.
        f.controller->selectDataset(f.big);
        f.controller->selectDataset(f.support);
        QVERIFY(waitUntil([&] { return !f.model()->isLoading(); }));
        QTest::qWait(200); // any late page of big-set would arrive now
        QCOMPARE(f.model()->rowCount(), 5);
        QCOMPARE(f.model()->totalCount(), 5);
        QVERIFY(f.model()->variables().contains(QStringLiteral("message")));
        QVERIFY(!f.view->caseStatusLabel()->isVisible());
    }

    void noCaseIsReadUntilAViewShowsThem()
    {
        Fixture f;
        QVERIFY(f.start(false));
        QSignalSpy changed(f.controller.get(), &DatasetsController::datasetsChanged);
        QVERIFY(waitUntil([&] { return f.controller->currentDatasetId() == f.big; }));
        QTest::qWait(200);
        QCOMPARE(f.model()->rowCount(), 0);
        QVERIFY(!f.model()->isLoading());
        f.controller->setViewVisible(true);
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 200; }));
        QCOMPARE(f.model()->totalCount(), bigCases); // the first page only, and the count
    }

    void editDeleteAndUndoBeyondTheFirstPage()
    {
        Fixture f;
        QVERIFY(f.start());
        f.scrollToEnd();
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 400; }));
        const int question = int(f.model()->variables().indexOf(QStringLiteral("question")));

        // An edit on the second page is saved and undone.
        const qint64 id = f.model()->caseAt(300)->id;
        QVERIFY(f.model()->setData(f.model()->index(300, question), QStringLiteral("Changed")));
        const QString edited
            = QStringLiteral("SELECT count(*) FROM test_cases WHERE id = %1 AND vars LIKE "
                             "'%Changed%'")
                  .arg(id);
        QVERIFY(waitUntil([&] { return f.queryInt(edited) == 1; }));
        f.controller->undoStack()->undo();
        QVERIFY(waitUntil([&] { return f.queryInt(edited) == 0; }));
        QVERIFY(waitUntil([&] {
            return f.model()->index(300, question).data().toString()
                == QStringLiteral("Question 300");
        }));

        // A delete there keeps the loaded rows loaded; undo puts the case back in its place.
        f.controller->deleteCases({f.model()->caseAt(250)->id});
        QVERIFY(waitUntil([&] { return f.model()->totalCount() == bigCases - 1; }));
        QVERIFY(waitUntil([&] { return f.numberAt(250) == 251; }));
        QCOMPARE(f.model()->rowCount(), 400);
        f.controller->undoStack()->undo();
        QVERIFY(waitUntil([&] { return f.model()->totalCount() == bigCases; }));
        QVERIFY(waitUntil([&] { return f.numberAt(250) == 250; }));
        QCOMPARE(f.queryInt(QStringLiteral("SELECT position FROM test_cases WHERE dataset_id = %1 "
                                           "AND vars LIKE '%Question 250\"%'")
                                .arg(f.big)),
                 250);
    }

    void aCaseAddedBeyondTheLoadedRowsShowsWhenScrolledTo()
    {
        Fixture f;
        QVERIFY(f.start());
        f.controller->addCase();
        QVERIFY(waitUntil([&] { return f.model()->totalCount() == bigCases + 1; }));
        QCOMPARE(f.model()->rowCount(), 200); // not loaded yet: it is the dataset's last
        while (f.model()->canFetchMore({})) {
            const int loaded = f.model()->rowCount();
            f.scrollToEnd();
            QVERIFY(waitUntil([&] { return f.model()->rowCount() > loaded; }));
        }
        QCOMPARE(f.model()->rowCount(), bigCases + 1);
        QVERIFY(f.model()->caseAt(bigCases)->data.vars.at("question") == ""); // the new case
        f.controller->undoStack()->undo();
        QVERIFY(waitUntil([&] { return f.model()->totalCount() == bigCases; }));
    }
};

QTEST_MAIN(TestCasePaging)
#include "test_case_paging.moc"
