// Safety nets of the Datasets section (issue 12): Ctrl+Z / Ctrl+Shift+Z undo and redo cell
// edits, added and deleted cases (a deleted case comes back where it was, with its own
// assertions and its eval results); Import with no dataset says so before asking for a file
// (defect 12); an import of 20,000 rows shows its progress, keeps the table usable and can be
// cancelled, leaving the dataset unchanged; once done, the table pages through the new rows.

#include "uifixture.h"

#include "common/messagebar.h"
#include "evals/casetablemodel.h"
#include "evals/datasetscontroller.h"
#include "evals/datasetsview.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>

using namespace ts;
using namespace ts::test;

namespace {

struct Fixture
{
    PromptsFixture base;
    std::unique_ptr<DatasetsController> controller;
    std::unique_ptr<DatasetsView> view;

    bool start()
    {
        if (!base.start(false))
            return false;
        controller = std::make_unique<DatasetsController>(*base.session);
        view = std::make_unique<DatasetsView>(*controller);
        view->resize(1300, 700);
        view->show();
        QApplication::setActiveWindow(view.get());
        return waitUntil([&] { return controller->caseModel()->rowCount() == 5; });
    }

    CaseTableModel *model() const { return controller->caseModel(); }

    qint64 queryInt(const QString &sql) const
    {
        auto project = Project::open(base.path);
        if (!project)
            return -1;
        auto stmt = project->db().prepare(sql);
        if (!stmt || !stmt->step().value_or(false))
            return -1;
        return stmt->int64(0);
    }

    bool exec(const QString &sql) const
    {
        auto project = Project::open(base.path);
        if (!project)
            return false;
        auto stmt = project->db().prepare(sql);
        return stmt && stmt->run();
    }

    QString message(int row) const
    {
        const int column = int(model()->variables().indexOf(QStringLiteral("message")));
        return model()->index(row, column).data().toString();
    }

    /// Presses a key in the case table, as a user would.
    void key(int key, Qt::KeyboardModifiers modifiers = {}) const
    {
        view->caseTable()->setFocus();
        QTest::keyClick(view->caseTable(), Qt::Key(key), modifiers);
    }

    ~Fixture()
    {
        view.reset();
        controller.reset();
        base.stop();
    }
};

} // namespace

class TestDatasetsUndo final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void importWithNoDatasetAsksForNoFile()
    {
        Fixture f;
        QVERIFY(f.start());
        f.controller->deleteDataset(f.controller->currentDatasetId());
        QVERIFY(waitUntil([&] { return f.view->datasetList()->count() == 0; }));
        QVERIFY(!f.view->importAction()->isEnabled());

        // The Eval menu's Import Test Cases… calls importCases() whatever the toolbar shows.
        bool fileDialogShown = false;
        QTimer poll;
        poll.setInterval(20);
        connect(&poll, &QTimer::timeout, &poll, [&] {
            if (auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget())) {
                fileDialogShown = true;
                dialog->reject();
            }
        });
        poll.start();
        f.view->importCases();
        QTest::qWait(100);
        QVERIFY(!fileDialogShown);
        QVERIFY2(f.view->messageBar()->text().contains(QStringLiteral("Create a dataset first")),
                 qPrintable(f.view->messageBar()->text()));
    }

    void undoAndRedoACellEditWithTheKeyboard()
    {
        Fixture f;
        QVERIFY(f.start());
        const QString original = f.message(1);
        const qint64 id = f.model()->caseAt(1)->id;
        const int column = int(f.model()->variables().indexOf(QStringLiteral("message")));
        QTableView *table = f.view->caseTable();
        table->setCurrentIndex(f.model()->index(1, column));
        f.key(Qt::Key_F2);
        QWidget *editor = QApplication::focusWidget();
        QVERIFY(editor && editor != table);
        QTest::keyClick(editor, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(editor, QStringLiteral("The saddle hurts."));
        QTest::keyClick(editor, Qt::Key_Return);
        const auto saddles = [&] {
            return f.queryInt(QStringLiteral("SELECT count(*) FROM test_cases WHERE id = %1 AND "
                                             "vars LIKE '%saddle hurts%'")
                                  .arg(id));
        };
        QVERIFY(waitUntil([&] { return saddles() == 1; }));
        QCOMPARE(f.message(1), QStringLiteral("The saddle hurts."));
        QCOMPARE(f.view->undoAction()->text(), QStringLiteral("Undo Edit message of case 2"));

        f.key(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(waitUntil([&] { return f.message(1) == original; }));
        QVERIFY(waitUntil([&] { return saddles() == 0; }));

        f.key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(waitUntil([&] { return f.message(1) == QStringLiteral("The saddle hurts."); }));
        QVERIFY(waitUntil([&] { return saddles() == 1; }));
    }

    void undoBringsADeletedCaseBackWithItsAssertionAndResults()
    {
        Fixture f;
        QVERIFY(f.start());
        const qint64 id = f.model()->caseAt(2)->id;
        const QString text = f.message(2);
        // The case has an assertion of its own and an eval result pointing at it.
        QVERIFY(f.exec(QStringLiteral("INSERT INTO assertions (dataset_id, test_case_id, position, "
                                      "type, value, created_at) SELECT dataset_id, id, 0, "
                                      "'icontains', '\"e-bike\"', '2025-01-01T00:00:00Z' FROM "
                                      "test_cases WHERE id = %1")
                           .arg(id)));
        QVERIFY(f.exec(QStringLiteral("INSERT INTO runs (kind, created_at) VALUES ('eval', "
                                      "'2025-01-01T00:00:00Z')")));
        QVERIFY(f.exec(QStringLiteral("INSERT INTO generations (run_id, test_case_id, output, "
                                      "created_at) SELECT max(id), %1, 'an answer', "
                                      "'2025-01-01T00:00:00Z' FROM runs")
                           .arg(id)));
        QCOMPARE(
            f.queryInt(
                QStringLiteral("SELECT count(*) FROM assertions WHERE test_case_id = %1").arg(id)),
            1);

        // Delete with the Delete key: no question, and the notice says how to get it back.
        f.view->caseTable()->selectRow(2);
        f.key(Qt::Key_Delete);
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 4; }));
        QVERIFY(f.view->messageBar()->text().contains(QStringLiteral("brings it back")));
        QCOMPARE(f.queryInt(
                     QStringLiteral("SELECT count(*) FROM generations WHERE test_case_id IS NULL")),
                 1);

        f.key(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 5; }));
        QCOMPARE(f.message(2), text); // at its old position
        const qint64 back = f.model()->caseAt(2)->id;
        QVERIFY(waitUntil([&] {
            return f.queryInt(
                       QStringLiteral("SELECT count(*) FROM assertions WHERE test_case_id = %1 "
                                      "AND type = 'icontains'")
                           .arg(back))
                == 1;
        }));
        QCOMPARE(
            f.queryInt(QStringLiteral("SELECT count(*) FROM generations WHERE test_case_id = %1")
                           .arg(back)),
            1);

        // Redo deletes it again; undo once more brings it back again.
        f.key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 4; }));
        f.key(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 5 && f.message(2) == text; }));
        QCOMPARE(f.queryInt(QStringLiteral("SELECT count(*) FROM test_cases")), 5);
    }

    void undoAnAddedCaseThenEditItAfterRedo()
    {
        Fixture f;
        QVERIFY(f.start());
        f.view->addCase();
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 6; }));
        QCOMPARE(f.view->undoAction()->text(), QStringLiteral("Undo Add case"));
        f.key(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 5; }));
        QCOMPARE(f.queryInt(QStringLiteral("SELECT count(*) FROM test_cases")), 5);
        f.key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 6; }));

        // The case that came back (with a new id) is edited, and that edit undone.
        const int column = int(f.model()->variables().indexOf(QStringLiteral("message")));
        QVERIFY(f.model()->setData(f.model()->index(5, column),
                                   QStringLiteral("Do you rent tandems?")));
        QVERIFY(waitUntil([&] {
            return f.queryInt(QStringLiteral(
                       "SELECT count(*) FROM test_cases WHERE vars LIKE '%tandems%'"))
                == 1;
        }));
        f.key(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(waitUntil([&] {
            return f.queryInt(QStringLiteral(
                       "SELECT count(*) FROM test_cases WHERE vars LIKE '%tandems%'"))
                == 0;
        }));
        f.key(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 5; }));
        QVERIFY(!f.controller->undoStack()->canUndo());
    }

    void largeImportShowsProgressAndCanBeCancelled()
    {
        Fixture f;
        QVERIFY(f.start());
        const QString path = f.base.dir.filePath(QStringLiteral("big.csv"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("shop,message,__expected\n");
            for (int i = 0; i < 20000; ++i)
                file.write(
                    QStringLiteral("Spoke & Chain,Question %1 about gears and brakes,Answer %1\n")
                        .arg(i)
                        .toUtf8());
        }

        // Cancelled: nothing of it is kept.
        QSignalSpy finished(f.controller.get(), &DatasetsController::importFinished);
        f.controller->importFile(path);
        QVERIFY(f.view->importProgressPanel()->isVisible());
        QVERIFY(!f.view->importAction()->isEnabled());
        QTest::mouseClick(f.view->cancelImportButton(), Qt::LeftButton);
        QVERIFY(finished.wait(waitMs));
        QVERIFY(!f.view->importProgressPanel()->isVisible());
        QVERIFY2(f.view->messageBar()->text().contains(QStringLiteral("cancelled")),
                 qPrintable(f.view->messageBar()->text()));
        QTest::qWait(100);
        QCOMPARE(f.model()->rowCount(), 5);
        QCOMPARE(f.queryInt(QStringLiteral("SELECT count(*) FROM test_cases")), 5);

        // Completed: progress counted up to every row while the table stayed usable.
        QSignalSpy progress(f.controller.get(), &DatasetsController::importProgress);
        f.controller->importFile(path);
        int timerTicks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, &ticker, [&] { ++timerTicks; });
        ticker.start(0);
        f.view->caseTable()->setCurrentIndex(f.model()->index(0, 0));
        f.key(Qt::Key_Down);
        QCOMPARE(f.view->caseTable()->currentIndex().row(), 1); // input handled while importing
        QVERIFY(finished.wait(waitMs));
        ticker.stop();
        QVERIFY(timerTicks > 0);
        // The dataset counts every case; the table shows a page of them and more on scroll.
        QVERIFY(waitUntil([&] { return f.model()->totalCount() == 20005; }));
        QCOMPARE(f.model()->rowCount(), f.model()->pageSize());
        QVERIFY(waitUntil([&] {
            return f.view->datasetList()->item(0)->text().contains(QStringLiteral("20005"));
        }));
        f.view->caseTable()->scrollToBottom();
        QVERIFY(waitUntil([&] { return f.model()->rowCount() == 2 * f.model()->pageSize(); }));
        QVERIFY(progress.count() >= 2);
        int last = -1;
        for (const QList<QVariant> &p : progress) {
            QVERIFY(p.at(1).toInt() >= last);
            last = p.at(1).toInt();
        }
        QCOMPARE(progress.last().at(1).toInt(), 20000);
        QCOMPARE(progress.last().at(2).toInt(), 20000);
        QCOMPARE(f.view->messageBar()->text(), QStringLiteral("Imported 20000 cases."));
    }
};

QTEST_MAIN(TestDatasetsUndo)
#include "test_datasets_undo.moc"
