// The Datasets section: the cases table, CSV import (errors name file, row and column and
// leave the dataset unchanged; duplicates are counted), cell edits saved to the project, and
// assertions (an invalid regex is refused with its reason).

#include "uifixture.h"

#include "common/messagebar.h"
#include "evals/assertionspanel.h"
#include "evals/casetablemodel.h"
#include "evals/datasetscontroller.h"
#include "evals/datasetsview.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTreeWidget>

using namespace ts;
using namespace ts::test;

namespace {

struct DatasetsFixture
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
        // The demo's support-tickets dataset is selected and its five cases loaded.
        return waitUntil([&] { return controller->caseModel()->rowCount() == 5; });
    }

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

    QString writeFile(const QString &name, const QByteArray &content) const
    {
        const QString path = base.dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(content);
        return path;
    }

    ~DatasetsFixture()
    {
        view.reset();
        controller.reset();
        base.stop();
    }
};

} // namespace

class TestDatasetsView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void casesTableShowsVariablesAndPassesModelTester()
    {
        DatasetsFixture f;
        QVERIFY(f.start());
        CaseTableModel *model = f.controller->caseModel();
        QAbstractItemModelTester tester(model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model->variables().contains(QStringLiteral("message")));
        QVERIFY(model->variables().contains(QStringLiteral("policies")));
        // The list variable reads as compact JSON, the string as itself.
        const int policies = int(model->variables().indexOf(QStringLiteral("policies")));
        const int message = int(model->variables().indexOf(QStringLiteral("message")));
        QCOMPARE(model->index(0, policies).data().toString(),
                 QStringLiteral("[\"Returns within 30 days\",\"Free safety checks\"]"));
        QCOMPARE(model->index(0, message).data().toString(),
                 QStringLiteral("My new bike's brakes squeak when it rains."));
        QCOMPARE(model
                     ->headerData(model->fixedColumn(CaseTableModel::Fixed::Expected),
                                  Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QStringLiteral("Expected output"));
        QCOMPARE(f.view->datasetList()->count(), 1);
        QVERIFY(f.view->datasetList()->item(0)->text().contains(QStringLiteral("support-tickets")));
    }

    void importWithErrorNamesRowAndColumnAndChangesNothing()
    {
        DatasetsFixture f;
        QVERIFY(f.start());
        const QString path = f.writeFile(QStringLiteral("broken.csv"),
                                         "shop,message\n"
                                         "Spoke,First question\n"
                                         "Spoke,\"an unterminated quote\n");
        f.controller->importFile(path);
        MessageBar *bar = f.view->messageBar();
        QVERIFY(waitUntil(
            [&] { return bar->kind() == MessageBar::Kind::Error && !bar->text().isEmpty(); }));
        QVERIFY2(bar->text().contains(QStringLiteral("broken.csv")), qPrintable(bar->text()));
        QVERIFY2(bar->text().contains(QStringLiteral(":3:")), qPrintable(bar->text()));
        QVERIFY2(bar->text().contains(QStringLiteral("Nothing was imported")),
                 qPrintable(bar->text()));
        // Nothing half-way: the first, valid row was not added either.
        QTest::qWait(200);
        QCOMPARE(f.controller->caseModel()->rowCount(), 5);
        QCOMPARE(f.queryInt(QStringLiteral("SELECT count(*) FROM test_cases")), 5);
    }

    void importGoodFileAddsRowsAndCountsDuplicates()
    {
        DatasetsFixture f;
        QVERIFY(f.start());
        const QString path = f.writeFile(QStringLiteral("more.csv"),
                                         "shop,agent,message,__expected\n"
                                         "Spoke & Chain,Mia,Can I rent a tandem?,Yes\n"
                                         "Spoke & Chain,Mia,Do you sell helmets?,\n"
                                         "Spoke & Chain,Mia,Can I rent a tandem?,Yes\n");
        f.controller->importFile(path);
        MessageBar *bar = f.view->messageBar();
        QVERIFY(waitUntil([&] { return f.controller->caseModel()->rowCount() == 7; }));
        QCOMPARE(bar->kind(), MessageBar::Kind::Info);
        QCOMPARE(bar->text(), QStringLiteral("Imported 2 cases, skipped 1 duplicate."));
        CaseTableModel *model = f.controller->caseModel();
        const int message = int(model->variables().indexOf(QStringLiteral("message")));
        QCOMPARE(model->index(5, message).data().toString(),
                 QStringLiteral("Can I rent a tandem?"));
        QCOMPARE(
            model->index(5, model->fixedColumn(CaseTableModel::Fixed::Expected)).data().toString(),
            QStringLiteral("Yes"));
        QCOMPARE(
            model->index(5, model->fixedColumn(CaseTableModel::Fixed::Source)).data().toString(),
            QStringLiteral("import"));
        QVERIFY(waitUntil([&] {
            return f.view->datasetList()->item(0)->text().contains(QStringLiteral("7 cases"));
        }));
    }

    void editedCellIsSavedToTheProject()
    {
        DatasetsFixture f;
        QVERIFY(f.start());
        CaseTableModel *model = f.controller->caseModel();
        const int message = int(model->variables().indexOf(QStringLiteral("message")));
        const qint64 id = model->caseAt(1)->id;
        QVERIFY(model->setData(model->index(1, message), QStringLiteral("The saddle hurts.")));
        const QString sql = QStringLiteral("SELECT count(*) FROM test_cases WHERE id = %1 AND vars "
                                           "LIKE '%The saddle hurts.%'")
                                .arg(id);
        QVERIFY(waitUntil([&] { return f.queryInt(sql) == 1; }));
        // A list typed as JSON stays a list.
        const int policies = int(model->variables().indexOf(QStringLiteral("policies")));
        QVERIFY(model->setData(model->index(1, policies),
                               QStringLiteral("[\"No refunds on sale items\"]")));
        QVERIFY(waitUntil([&] {
            return f.queryInt(QStringLiteral("SELECT count(*) FROM test_cases WHERE id = %1 AND "
                                             "json_type(vars, '$.policies') = 'array'")
                                  .arg(id))
                == 1;
        }));
        // Tags are a comma-separated list.
        QVERIFY(model->setData(model->index(1, model->fixedColumn(CaseTableModel::Fixed::Tags)),
                               QStringLiteral("refund, saddle")));
        QVERIFY(waitUntil([&] {
            return model->caseAt(1)->data.tags
                == QStringList({QStringLiteral("refund"), QStringLiteral("saddle")});
        }));
    }

    void addDuplicateAndDeleteCases()
    {
        DatasetsFixture f;
        QVERIFY(f.start());
        CaseTableModel *model = f.controller->caseModel();
        f.controller->duplicateCase(model->caseAt(0)->id);
        QVERIFY(waitUntil([&] { return model->rowCount() == 6; }));
        QVERIFY(model->caseAt(5)->data.vars == model->caseAt(0)->data.vars);
        QVERIFY(model->caseAt(5)->data.description.contains(QStringLiteral("copy")));
        f.controller->addCase();
        QVERIFY(waitUntil([&] { return model->rowCount() == 7; }));
        QVERIFY(model->caseAt(6)->data.vars.value("message", std::string("x")).empty());
        f.controller->deleteCases({model->caseAt(5)->id, model->caseAt(6)->id});
        QVERIFY(waitUntil([&] { return model->rowCount() == 5; }));
        QCOMPARE(f.queryInt(QStringLiteral("SELECT count(*) FROM test_cases")), 5);
    }

    void invalidRegexAssertionIsRejectedWithReason()
    {
        DatasetsFixture f;
        QVERIFY(f.start());
        AssertionsPanel *panel = f.view->assertionsPanel();
        QVERIFY(
            waitUntil([&] { return panel->list()->topLevelItemCount() == 3; })); // the demo's three
        panel->typeCombo()->setCurrentText(QStringLiteral("regex"));
        panel->valueEdit()->setText(QStringLiteral("([A-Z]+"));
        panel->addButton()->click();
        QVERIFY(!panel->problem().isEmpty());
        QVERIFY2(panel->problem().contains(QStringLiteral("regex"), Qt::CaseInsensitive),
                 qPrintable(panel->problem()));
        QTest::qWait(200);
        QCOMPARE(panel->list()->topLevelItemCount(), 3);
        QCOMPARE(f.queryInt(QStringLiteral("SELECT count(*) FROM assertions")), 3);

        // Fixed, it is saved for every case and the problem goes away.
        panel->valueEdit()->setText(QStringLiteral("([A-Z]+)"));
        panel->negateBox()->setChecked(true);
        panel->addButton()->click();
        QVERIFY(waitUntil([&] { return panel->list()->topLevelItemCount() == 4; }));
        QVERIFY(panel->problem().isEmpty());
        QCOMPARE(panel->list()->topLevelItem(3)->text(0), QStringLiteral("not-regex"));
        QCOMPARE(f.queryInt(QStringLiteral("SELECT count(*) FROM assertions WHERE type = "
                                           "'not-regex' AND test_case_id IS NULL")),
                 1);
    }

    void caseLevelAssertionAndEdit()
    {
        DatasetsFixture f;
        QVERIFY(f.start());
        AssertionsPanel *panel = f.view->assertionsPanel();
        QVERIFY(waitUntil([&] { return panel->list()->topLevelItemCount() == 3; }));
        f.view->caseTable()->setCurrentIndex(f.controller->caseModel()->index(2, 0));
        panel->scopeCombo()->setCurrentIndex(1);
        panel->typeCombo()->setCurrentText(QStringLiteral("icontains"));
        panel->valueEdit()->setText(QStringLiteral("e-bike"));
        panel->addButton()->click();
        QVERIFY(waitUntil([&] { return panel->list()->topLevelItemCount() == 4; }));
        const qint64 caseId = f.controller->caseModel()->caseAt(2)->id;
        QCOMPARE(
            f.queryInt(QStringLiteral("SELECT count(*) FROM assertions WHERE test_case_id = %1")
                           .arg(caseId)),
            1);
        // Another case does not list it.
        f.view->caseTable()->setCurrentIndex(f.controller->caseModel()->index(0, 0));
        QCOMPARE(panel->list()->topLevelItemCount(), 3);

        // Editing a weight below zero is impossible in the spin box; a threshold that is no
        // number is refused inline.
        panel->list()->setCurrentItem(panel->list()->topLevelItem(0));
        QCOMPARE(panel->typeCombo()->currentText(), QStringLiteral("icontains"));
        panel->thresholdEdit()->setText(QStringLiteral("high"));
        panel->saveButton()->click();
        QVERIFY(panel->problem().contains(QStringLiteral("not a number")));
        panel->thresholdEdit()->clear();
        panel->weightSpin()->setValue(2);
        panel->saveButton()->click();
        QVERIFY(waitUntil([&] {
            return f.queryInt(QStringLiteral("SELECT count(*) FROM assertions WHERE weight = 2"))
                == 1;
        }));
    }

    void createRenameDeleteDataset()
    {
        DatasetsFixture f;
        QVERIFY(f.start());
        f.controller->createDataset(QStringLiteral("edge-cases"));
        QVERIFY(waitUntil([&] {
            return f.view->datasetList()->count() == 2
                && f.controller->caseModel()->rowCount() == 0;
        }));
        QVERIFY(f.controller->currentDataset()
                && f.controller->currentDataset()->name == QStringLiteral("edge-cases"));
        f.controller->renameDataset(f.controller->currentDatasetId(),
                                    QStringLiteral("edge cases 2"));
        QVERIFY(waitUntil([&] {
            return f.queryInt(
                       QStringLiteral("SELECT count(*) FROM datasets WHERE name = 'edge cases 2'"))
                == 1;
        }));
        f.controller->deleteDataset(f.controller->currentDatasetId());
        QVERIFY(waitUntil([&] { return f.view->datasetList()->count() == 1; }));
        QVERIFY(waitUntil(
            [&] { return f.controller->caseModel()->rowCount() == 5; })); // back on support-tickets
    }
};

QTEST_MAIN(TestDatasetsView)
#include "test_datasets_view.moc"
