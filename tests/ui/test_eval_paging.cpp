// The Evals view over an eval larger than a page of the results matrix (issue 13): the matrix
// holds a few pages of rows at a time and reads the rest as they are shown, statistics arrive
// in the background, filters and the detail pane work on rows never loaded, and selecting
// another eval drops the first one's rows.

#include "uifixture.h"

#include "evals/celldetailview.h"
#include "evals/evallistmodel.h"
#include "evals/evalscontroller.h"
#include "evals/evalsview.h"
#include "evals/resultsmatrixmodel.h"
#include "evals/statisticspanel.h"
#include "playground/runservices.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>

using namespace ts;
using namespace ts::test;

namespace {

constexpr int kCases = 1000;

/// Adds an eval of kCases cases x 2 variants: every even case passes on both variants, every
/// odd case fails on both, so 50% pass and "Failures only" keeps the odd cases. Returns its id.
qint64 addBigEval(const QString &path)
{
    auto project = Project::open(path);
    if (!project)
        return 0;
    Database &db = project->db();
    auto tx = Transaction::begin(db);
    if (!tx
        || !db.exec(QStringLiteral("INSERT INTO datasets(name, created_at) VALUES "
                                   "('big', 'now')")))
        return 0;
    const qint64 dataset = db.lastInsertId();
    auto addCase = db.prepare(QStringLiteral(
        "INSERT INTO test_cases(dataset_id, position, vars, description, content_key, "
        "created_at) VALUES (?, ?, ?, ?, ?, 'now')"));
    QList<qint64> cases;
    for (int i = 0; i < kCases; ++i) {
        addCase->reset();
        addCase->bind(1, dataset)
            .bind(2, i)
            .bind(3, QStringLiteral("{\"question\": \"question %1\"}").arg(i + 1))
            .bind(4, QStringLiteral("case %1 of the big dataset").arg(i + 1))
            .bind(5, QStringLiteral("key%1").arg(i));
        if (!addCase->run())
            return 0;
        cases << db.lastInsertId();
    }
    if (!db.exec(QStringLiteral("INSERT INTO evals(name, dataset_id, samples, status, created_at) "
                                "VALUES ('big eval', %1, 1, 'completed', 'now')")
                     .arg(dataset)))
        return 0;
    const qint64 evalId = db.lastInsertId();
    auto gen = db.prepare(QStringLiteral(
        "INSERT INTO generations(run_id, test_case_id, sample_index, output, status, latency_ms, "
        "created_at) VALUES (?, ?, 0, ?, 'ok', 50, 'now')"));
    auto verdict = db.prepare(QStringLiteral(
        "INSERT INTO case_verdicts(generation_id, pass, score, reason) VALUES (?, ?, ?, ?)"));
    auto assertion = db.prepare(QStringLiteral(
        "INSERT INTO assertion_results(generation_id, position, type, value, pass, score) VALUES "
        "(?, 0, 'contains', '\"even\"', ?, ?)"));
    for (int v = 0; v < 2; ++v) {
        if (!db.exec(QStringLiteral("INSERT INTO runs(kind, model_snapshot, dataset_id, status, "
                                    "created_at) VALUES ('eval', '{\"name\": \"model-%1\"}', %2, "
                                    "'completed', 'now')")
                         .arg(v + 1)
                         .arg(dataset)))
            return 0;
        const qint64 run = db.lastInsertId();
        if (!db.exec(QStringLiteral("INSERT INTO eval_variants(eval_id, position, run_id) VALUES "
                                    "(%1, %2, %3)")
                         .arg(evalId)
                         .arg(v)
                         .arg(run)))
            return 0;
        for (int i = 0; i < kCases; ++i) {
            const bool pass = i % 2 == 0;
            gen->reset();
            gen->bind(1, run)
                .bind(2, cases[i])
                .bind(3, QStringLiteral("answer %1 from model-%2").arg(i + 1).arg(v + 1));
            if (!gen->run())
                return 0;
            const qint64 id = db.lastInsertId();
            verdict->reset();
            verdict->bind(1, id)
                .bind(2, pass)
                .bind(3, pass ? 1.0 : 0.0)
                .bind(4, pass ? QString() : QStringLiteral("Expected output to contain \"even\""));
            assertion->reset();
            assertion->bind(1, id).bind(2, pass).bind(3, pass ? 1.0 : 0.0);
            if (!verdict->run() || !assertion->run())
                return 0;
        }
    }
    if (!tx->commit())
        return 0;
    return evalId;
}

QString outcomeAt(ResultsMatrixModel *m, int row, int variant)
{
    return m->index(row, variant + 1).data(ResultsMatrixModel::OutcomeRole).toString();
}

} // namespace

class TestEvalPaging final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void aLargeEvalIsShownPageByPage()
    {
        PromptsFixture base;
        QVERIFY(base.create());
        const qint64 evalId = addBigEval(base.path);
        QVERIFY(evalId > 0);
        QVERIFY(base.start(false));
        RunServices services(*base.session);
        EvalsController controller(*base.session, services);
        ResultsMatrixModel *matrix = controller.matrixModel();
        QAbstractItemModelTester tester(matrix,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        EvalsView view(controller);
        view.resize(1400, 850);
        view.show();

        // The newest eval is selected; the matrix knows every row but holds the first page.
        QVERIFY(waitUntil([&] { return controller.shownEvalId() == evalId; }));
        QVERIFY(waitUntil([&] { return matrix->rowCount() == kCases; }));
        QCOMPARE(matrix->columnCount(), 3);
        QCOMPARE(outcomeAt(matrix, 0, 0), QStringLiteral("pass"));
        QCOMPARE(outcomeAt(matrix, 1, 1), QStringLiteral("fail"));
        QVERIFY(matrix->index(0, 0).data().toString().contains(QStringLiteral("case 1 of")));
        QVERIFY(matrix->loadedPages() <= 2);

        // A row far down reads "…" until its page arrives.
        const int last = kCases - 1;
        QVERIFY(waitUntil([&] { return outcomeAt(matrix, last, 0) == QStringLiteral("fail"); }));
        QVERIFY(matrix->index(last, 0).data().toString().startsWith(QStringLiteral("1000. case")));

        // Scrolling through every row keeps only a few pages.
        for (int row = 0; row < kCases; row += ResultsMatrixModel::kPageSize) {
            view.matrix()->scrollTo(matrix->index(row, 1));
            QVERIFY(waitUntil([&] { return !outcomeAt(matrix, row, 1).isEmpty(); }));
            QVERIFY(matrix->loadedPages() <= ResultsMatrixModel::kKeptPages);
        }
        // A dropped page is read again when its rows are shown again.
        const int back = 2 * ResultsMatrixModel::kPageSize + 2;
        view.matrix()->scrollTo(matrix->index(back, 1));
        QVERIFY(waitUntil([&] { return outcomeAt(matrix, back, 1) == QStringLiteral("pass"); }));

        // Statistics arrive in the background: 500 of 1000 cases pass on each variant.
        QVERIFY(waitUntil(
            [&] { return controller.results() && !controller.results()->statisticsPending; }));
        QTableWidget *stats = view.statistics()->table();
        QCOMPARE(stats->rowCount(), 2);
        QVERIFY2(stats->item(0, 1)->text().startsWith(QStringLiteral("50% [47–53%]")),
                 qPrintable(stats->item(0, 1)->text()));
        QVERIFY(waitUntil([&] {
            return view.statistics()->comparisonText().contains(
                QStringLiteral("No significant difference"));
        }));

        // The detail of a case whose page is not held (an odd one: it failed) is read for it.
        int notHeld = -1;
        for (int c = 1; c < kCases && notHeld < 0; c += 2) {
            int inPage = -1;
            if (!matrix->pageOfCase(c, &inPage))
                notHeld = c;
        }
        QVERIFY(notHeld > 0);
        view.showCell(notHeld, 1);
        const QString answer = QStringLiteral("answer %1 from model-2").arg(notHeld + 1);
        QVERIFY(waitUntil([&] { return view.detail()->plainText().contains(answer); }));
        QVERIFY(view.detail()->plainText().contains(
            QStringLiteral("Expected output to contain \"even\"")));

        // Failures only: computed off the UI thread, the odd cases.
        view.filterCombo()->setCurrentIndex(
            view.filterCombo()->findData(int(EvalResults::Filter::FailuresOnly)));
        QVERIFY(waitUntil([&] { return !matrix->isFiltering(); }));
        QCOMPARE(matrix->rowCount(), kCases / 2);
        QCOMPARE(matrix->caseIndexAt(0), 1);
        QCOMPARE(matrix->caseIndexAt(kCases / 2 - 1), kCases - 1);
        QVERIFY(waitUntil([&] { return outcomeAt(matrix, 300, 0) == QStringLiteral("fail"); }));
        QVERIFY(matrix->index(300, 0).data().toString().startsWith(QStringLiteral("602. ")));
        view.filterCombo()->setCurrentIndex(0);
        QCOMPARE(matrix->rowCount(), kCases);
    }
};

QTEST_MAIN(TestEvalPaging)
#include "test_eval_paging.moc"
