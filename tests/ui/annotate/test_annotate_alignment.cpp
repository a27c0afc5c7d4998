// "Judges vs People" in the Annotate section: an eval's assertion and its judge (two prompt
// versions) scored against the human labels on a criterion, with the disagreements of the
// selected check listed and readable with the output and the labels.

#include "annotate/alignmentview.h"
#include "annotate/annotatecontroller.h"
#include "annotate/annotateview.h"
#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "common/projectsession.h"
#include "storage/database.h"
#include "storage/project.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <memory>

using namespace ts;

namespace {

constexpr int waitMs = 20000;

} // namespace

class TestAnnotateAlignment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup();
    void checksAgainstPeoplePerJudgeVersion();
    void criterionWithoutLabelsShowsWhy();

private:
    void makeEval();
    void openView();
    QString cell(int row, int column) const
    {
        return m_view->alignmentView()->model()->index(row, column).data().toString();
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<AnnotateController> m_controller;
    std::unique_ptr<AnnotateView> m_view;
};

void TestAnnotateAlignment::cleanup()
{
    m_view.reset();
    m_controller.reset();
    m_session.reset();
}

// The eval of tests/annotation/test_agreement_report.cpp (judgesAndAssertionsAgainstPeople):
// people pass generations 1-3 and fail 4-6 (6 by adjudication over two yes labels); the
// assertion fails 1, 4, 5; judge v1 passes everything; judge v2 fails 4, 5, 6.
void TestAnnotateAlignment::makeEval()
{
    static int n = 0;
    m_path = m_dir.filePath(QStringLiteral("align%1.touchstone").arg(++n));
    auto project = Project::create(m_path);
    QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
    Database &db = project->db();
    auto exec = [&db](const QString &sql) {
        auto ok = db.exec(sql);
        if (!ok)
            qFatal("%s", qPrintable(ok.error().message));
    };
    exec(QStringLiteral(
        "INSERT INTO prompts (id, name, created_at) VALUES (1, 'tone-judge', 'x');"
        "INSERT INTO prompt_versions (id, prompt_id, number, messages, params, content_hash, "
        "created_at) VALUES (1, 1, 1, '[]', '{}', 'h1', 'x'), (2, 1, 2, '[]', '{}', 'h2', 'x');"
        "INSERT INTO judges (id, name, kind, prompt_id, created_at) "
        "VALUES (1, 'tone', 'pointwise', 1, 'x');"
        "INSERT INTO evals (id, created_at) VALUES (1, 'x');"
        "INSERT INTO runs (id, kind, created_at) VALUES (1, 'eval', 'x');"
        "INSERT INTO runs (id, kind, prompt_version_id, created_at) "
        "VALUES (2, 'judge', 1, 'x'), (3, 'judge', 2, 'x');"
        "INSERT INTO eval_variants (eval_id, position, run_id) VALUES (1, 0, 1);"));
    for (int g = 1; g <= 6; ++g)
        exec(QStringLiteral("INSERT INTO generations (id, run_id, output, created_at) "
                            "VALUES (%1, 1, 'Answer %1: we are sorry about the delay, your "
                            "order ships tomorrow morning from our warehouse in Leeds.', 'x');"
                            "INSERT INTO generations (id, run_id, created_at) VALUES (%2, 2, 'x');"
                            "INSERT INTO generations (id, run_id, created_at) VALUES (%3, 3, 'x');")
                 .arg(g)
                 .arg(100 + g)
                 .arg(200 + g));
    const bool human[] = {true, true, true, false, false, false};
    const bool assertion[] = {false, true, true, false, false, true};
    const bool v2[] = {true, true, true, false, false, false};
    CriterionStore criteria(db);
    auto tone = criteria.create(QStringLiteral("tone"), QStringLiteral("Polite?"));
    QVERIFY(tone);
    QVERIFY(criteria.create(QStringLiteral("brevity"), QStringLiteral("Short?")));
    LabelStore labels(db);
    for (int i = 0; i < 6; ++i) {
        const qint64 g = i + 1;
        exec(QStringLiteral("INSERT INTO assertion_results (generation_id, position, type, value, "
                            "pass, score) VALUES (%1, 0, 'contains', '\"sorry\"', %2, %2)")
                 .arg(g)
                 .arg(assertion[i] ? 1 : 0));
        exec(QStringLiteral("INSERT INTO judgments (eval_id, judge_id, generation_id, "
                            "judge_generation_id, pass, created_at) "
                            "VALUES (1, 1, %1, %2, 1, 'x'), (1, 1, %1, %3, %4, 'x')")
                 .arg(g)
                 .arg(100 + g)
                 .arg(200 + g)
                 .arg(v2[i] ? 1 : 0));
        const LabelValue v = human[i] ? LabelValue::Yes : LabelValue::No;
        QVERIFY(labels.setLabel({Target::Kind::Generation, g}, tone->id, QStringLiteral("ana"), v));
    }
    QVERIFY(labels.setLabel({Target::Kind::Generation, 6}, tone->id, QStringLiteral("ben"),
                            LabelValue::Yes));
    QVERIFY(labels.setLabel({Target::Kind::Generation, 6}, tone->id, QStringLiteral("cy"),
                            LabelValue::Yes));
    QVERIFY(labels.adjudicate({Target {Target::Kind::Generation, 6},
                               std::nullopt,
                               tone->criterionId,
                               QStringLiteral("no"),
                               QStringLiteral("lead"),
                               {},
                               {}}));
}

void TestAnnotateAlignment::openView()
{
    m_session = std::make_unique<ProjectSession>();
    m_controller = std::make_unique<AnnotateController>(*m_session, QStringLiteral("alice"));
    QSignalSpy reloaded(m_controller.get(), &AnnotateController::queuesReloaded);
    m_session->open(m_path);
    QVERIFY(reloaded.wait(waitMs) || reloaded.count() > 0);
    m_view = std::make_unique<AnnotateView>(*m_controller);
    m_view->resize(1400, 850);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QTest::mouseClick(m_view->alignmentButton(), Qt::LeftButton);
    AlignmentView *page = m_view->alignmentView();
    QVERIFY(page->isVisible());
    QVERIFY(QTest::qWaitFor([page] { return page->evalBox()->count() == 1; }, waitMs));
    QCOMPARE(page->criterionBox()->count(), 2);
}

void TestAnnotateAlignment::checksAgainstPeoplePerJudgeVersion()
{
    makeEval();
    openView();
    AlignmentView *page = m_view->alignmentView();
    page->criterionBox()->setCurrentIndex(page->criterionBox()->findText(QStringLiteral("tone")));
    QVERIFY(QTest::qWaitFor([page] { return !page->isLoading() && page->model()->rowCount() == 3; },
                            waitMs));
    QVERIFY(page->checksTable()->isVisible());
    QVERIFY(!page->emptyLabel()->isVisible());

    // The assertion: tp 2, tn 2, fp 1, fn 1; coverage 2/3, false failures 1/3, alignment 2/3.
    QCOMPARE(cell(0, AlignmentModel::Kind), QStringLiteral("assertion"));
    QCOMPARE(cell(0, AlignmentModel::Tp), QStringLiteral("2"));
    QCOMPARE(cell(0, AlignmentModel::Tn), QStringLiteral("2"));
    QCOMPARE(cell(0, AlignmentModel::Fp), QStringLiteral("1"));
    QCOMPARE(cell(0, AlignmentModel::Fn), QStringLiteral("1"));
    QCOMPARE(cell(0, AlignmentModel::Accuracy), QStringLiteral("66.7%"));
    QCOMPARE(cell(0, AlignmentModel::Coverage), QStringLiteral("66.7%"));
    QCOMPARE(cell(0, AlignmentModel::FalseFailures), QStringLiteral("33.3%"));
    QCOMPARE(cell(0, AlignmentModel::Alignment), QStringLiteral("0.67"));
    // Hand-computed kappa: po = 4/6, pe = 1/2 -> (2/3 - 1/2) / (1/2) = 1/3, "fair".
    QCOMPARE(cell(0, AlignmentModel::Kappa), QStringLiteral("0.33 (fair)"));

    // Judge v1 passes everything: catches no failure, alignment 0.
    QCOMPARE(cell(1, AlignmentModel::Name), QStringLiteral("tone@v1"));
    QCOMPARE(cell(1, AlignmentModel::Kind), QStringLiteral("judge@v1"));
    QCOMPARE(cell(1, AlignmentModel::Coverage), QStringLiteral("0.0%"));
    QCOMPARE(cell(1, AlignmentModel::Alignment), QStringLiteral("0.00"));
    // Judge v2 (the new rubric) agrees with people on every item.
    QCOMPARE(cell(2, AlignmentModel::Kind), QStringLiteral("judge@v2"));
    QCOMPARE(cell(2, AlignmentModel::Accuracy), QStringLiteral("100.0%"));
    QCOMPARE(cell(2, AlignmentModel::Kappa), QStringLiteral("1.00 (almost perfect)"));
    QCOMPARE(cell(2, AlignmentModel::Alignment), QStringLiteral("1.00"));

    // Selecting the assertion lists its two disagreements: generation 1 (people passed, it
    // failed) and 6 (people failed by adjudication, it passed), with the output's first words.
    page->checksTable()->selectRow(2);
    QCOMPARE(page->disagreementModel()->rowCount(), 0);
    page->checksTable()->selectRow(0);
    QStandardItemModel *d = page->disagreementModel();
    QCOMPARE(d->rowCount(), 2);
    QStringList ids {d->index(0, 0).data().toString(), d->index(1, 0).data().toString()};
    ids.sort();
    QCOMPARE(ids, (QStringList {QStringLiteral("1"), QStringLiteral("6")}));
    const int six = d->index(0, 0).data().toString() == QLatin1String("6") ? 0 : 1;
    QVERIFY(
        d->index(six, 2).data().toString().startsWith(QStringLiteral("Answer 6: we are sorry")));
    QVERIFY(d->index(six, 2).data().toString().endsWith(QStringLiteral("…")));
    const QString people = d->index(six, 1).data().toString();
    QVERIFY2(people.contains(QStringLiteral("ana: no"))
                 && people.contains(QStringLiteral("ben: yes"))
                 && people.contains(QStringLiteral("final (lead): no")),
             qPrintable(people));

    // Double-clicking one shows its whole output and the labels beside the tables.
    QTableView *table = page->disagreementTable();
    const QRect rect = table->visualRect(d->index(six, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    const QString shown = page->itemPane()->toPlainText();
    QVERIFY2(shown.contains(QStringLiteral("Generation 6")), qPrintable(shown));
    QVERIFY(shown.contains(QStringLiteral("warehouse in Leeds.")));
    QVERIFY(shown.contains(QStringLiteral("final (lead): no")));
}

void TestAnnotateAlignment::criterionWithoutLabelsShowsWhy()
{
    makeEval();
    openView();
    AlignmentView *page = m_view->alignmentView();
    page->criterionBox()->setCurrentIndex(page->criterionBox()->findText(QStringLiteral("tone")));
    QVERIFY(QTest::qWaitFor([page] { return page->model()->rowCount() == 3; }, waitMs));
    page->criterionBox()->setCurrentIndex(
        page->criterionBox()->findText(QStringLiteral("brevity")));
    QVERIFY(QTest::qWaitFor([page] { return !page->isLoading() && page->model()->rowCount() == 0; },
                            waitMs));
    QVERIFY(page->emptyLabel()->isVisible());
    QCOMPARE(page->emptyLabel()->text(),
             QStringLiteral("No generation of eval 1 has a human verdict on \"brevity\" yet."));
    QVERIFY(!page->checksTable()->isVisible());
    QVERIFY(!page->disagreementTable()->isVisible());
}

QTEST_MAIN(TestAnnotateAlignment)
#include "test_annotate_alignment.moc"
