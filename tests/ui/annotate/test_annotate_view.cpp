// The Annotate section as a reviewer drives it with the keyboard: binary labels one key each
// with the next item already on screen, undo across items, notes and corrections, blind
// pairwise choices stored for the true items, resuming where one stopped, today's vibe check,
// agreement with adjudication, and a labeled failure made into a test case with an assertion.

#include "annotate/addtestcasedialog.h"
#include "annotate/agreementmodels.h"
#include "annotate/annotatecontroller.h"
#include "annotate/annotateview.h"
#include "annotate/binarylabelview.h"
#include "annotate/labelingchrome.h"
#include "annotate/labelingsession.h"
#include "annotate/pairwiselabelview.h"
#include "annotate/queuelistmodel.h"
#include "annotate/textentrydialog.h"
#include "annotation/labelstore.h"
#include "annotation/queuestore.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "logs/logstore.h"
#include "storage/project.h"

#include <QAbstractItemModelTester>
#include <QAbstractTextDocumentLayout>
#include <QComboBox>
#include <QDate>
#include <QDateTime>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>

#include <memory>

using namespace ts;

namespace {

constexpr int waitMs = 20000;

bool waitUntil(const std::function<bool()> &condition)
{
    return QTest::qWaitFor(condition, waitMs);
}

LogRecord record(int i)
{
    LogRecord r;
    r.startMs = QDateTime::currentMSecsSinceEpoch() - 3600'000 + i * 1000;
    r.model = i % 2 ? QStringLiteral("gpt-4o-mini") : QStringLiteral("claude-haiku");
    r.messages
        = {{QStringLiteral("system"), QStringLiteral("You answer bike shop customers."), {}, {}},
           {QStringLiteral("user"),
            QStringLiteral("Question %1: can you fix my brakes?").arg(i),
            {},
            {}}};
    r.output = QStringLiteral("Answer %1: **yes**, bring it in.").arg(i);
    r.ok = true;
    r.promptName = QStringLiteral("support");
    r.promptVersion = QStringLiteral("2");
    r.sourceFormat = QStringLiteral("test");
    return r;
}

} // namespace

class TestAnnotateView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();

    void binaryKeysLabelAndAdvanceWithTheNextItemReady();
    void backspaceAndCtrlZTakeLabelsBack();
    void noteAndCorrectionKeys();
    void pairwiseChoicesAreStoredForTheTrueItems();
    void reopeningResumesWhereTheAnnotatorStopped();
    void dailyButtonCreatesTodaysQueue();
    void agreementAndAdjudication();
    void failureBecomesATestCaseWithAnAssertion();
    void everyKeyIsShownOnScreen();
    void theQuestionIsInViewBelowALongPrompt();

private:
    bool openProject();
    void makeBinaryQueue(const QString &name, int items);
    void makePairwiseQueue(const QString &name, int items);
    void showView();
    void startQueue(const QString &name);
    LabelingSession *labeling() const { return m_view->labelingSession(); }
    bool waitReady() const;
    bool waitSaved() const;
    Project openDirect() const;

    QTemporaryDir m_dir;
    QString m_path;
    QList<qint64> m_logIds;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<AnnotateController> m_controller;
    std::unique_ptr<AnnotateView> m_view;
    std::unique_ptr<QAbstractItemModelTester> m_listTester;
};

void TestAnnotateView::init()
{
    static int n = 0;
    m_path = m_dir.filePath(QStringLiteral("annotate%1.touchstone").arg(++n));
    auto project = Project::create(m_path);
    QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
    QList<LogRecord> records;
    for (int i = 0; i < 8; ++i)
        records << record(i);
    auto added = LogStore(project->db()).add(records);
    QVERIFY(added);
    m_logIds = added->ids;
}

void TestAnnotateView::cleanup()
{
    m_listTester.reset();
    m_view.reset();
    m_controller.reset();
    m_session.reset();
}

Project TestAnnotateView::openDirect() const
{
    auto project = Project::open(m_path);
    if (!project)
        qFatal("cannot open %s: %s", qPrintable(m_path), qPrintable(project.error().message));
    return std::move(*project);
}

void TestAnnotateView::makeBinaryQueue(const QString &name, int items)
{
    Project project = openDirect();
    QVERIFY(CriterionStore(project.db())
                .create(QStringLiteral("factual"), QStringLiteral("Is every claim true?")));
    QList<QueueItem> list;
    for (int i = 0; i < items; ++i) {
        QueueItem item;
        item.a = Target {Target::Kind::Log, m_logIds[i]};
        item.input = {{"messages",
                       {{{"role", "user"},
                         {"content", QStringLiteral("Question %1").arg(i).toStdString()}}}}};
        item.outputA = QStringLiteral("Answer %1").arg(i);
        item.context = {{"model", "gpt-4o-mini"}, {"prompt", "support@2"}};
        list << item;
    }
    QueueSpec spec;
    spec.name = name;
    spec.criteria = {QStringLiteral("factual"), QStringLiteral("polite")};
    auto queue = QueueStore(project.db()).create(spec, list);
    QVERIFY2(queue, qPrintable(queue ? QString() : queue.error().message));
}

void TestAnnotateView::makePairwiseQueue(const QString &name, int items)
{
    Project project = openDirect();
    QList<QueueItem> list;
    for (int i = 0; i < items; ++i) {
        QueueItem item;
        item.a = Target {Target::Kind::Log, m_logIds[2 * i]};
        item.b = Target {Target::Kind::Log, m_logIds[2 * i + 1]};
        item.input = {{"variables", {{"question", QStringLiteral("Q%1").arg(i).toStdString()}}}};
        item.outputA = QStringLiteral("first output %1").arg(i);
        item.outputB = QStringLiteral("second output %1").arg(i);
        item.context = {{"model", "secret-model"}, {"variant", "v1"}, {"variant_b", "v2"}};
        list << item;
    }
    QueueSpec spec;
    spec.name = name;
    spec.kind = QueueKind::Pairwise;
    spec.blind = true;
    auto queue = QueueStore(project.db()).create(spec, list);
    QVERIFY2(queue, qPrintable(queue ? QString() : queue.error().message));
}

bool TestAnnotateView::openProject()
{
    m_session = std::make_unique<ProjectSession>();
    m_controller = std::make_unique<AnnotateController>(*m_session, QStringLiteral("alice"));
    m_listTester = std::make_unique<QAbstractItemModelTester>(
        m_controller->queues(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reloaded(m_controller.get(), &AnnotateController::queuesReloaded);
    m_session->open(m_path);
    return reloaded.wait(waitMs) || reloaded.count() > 0;
}

void TestAnnotateView::showView()
{
    m_view = std::make_unique<AnnotateView>(*m_controller);
    m_view->resize(1400, 850);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestAnnotateView::startQueue(const QString &name)
{
    QueueListModel *model = m_controller->queues();
    int row = -1;
    QVERIFY(waitUntil([&] {
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->rowAt(r)->info.name == name)
                row = r;
        return row >= 0;
    }));
    m_view->queueTable()->setCurrentIndex(model->index(row, 0));
    QVERIFY(m_view->startButton()->isEnabled());
    QTest::mouseClick(m_view->startButton(), Qt::LeftButton);
    QVERIFY(m_view->isLabeling());
    QVERIFY(waitReady());
}

bool TestAnnotateView::waitReady() const
{
    return waitUntil([this] {
        return labeling()
            && (labeling()->isDone() || (labeling()->current() && labeling()->isNextReady()));
    });
}

bool TestAnnotateView::waitSaved() const
{
    return waitUntil([this] { return labeling() && labeling()->pendingWrites() == 0; });
}

void TestAnnotateView::binaryKeysLabelAndAdvanceWithTheNextItemReady()
{
    makeBinaryQueue(QStringLiteral("Binary"), 3);
    QVERIFY(openProject());
    showView();
    startQueue(QStringLiteral("Binary"));
    BinaryLabelView *view = m_view->binaryView();
    QCOMPARE(labeling()->current()->item.position, 0);
    QVERIFY(view->outputView()->toPlainText().contains(QStringLiteral("Answer 0")));
    QVERIFY(view->inputView()->toPlainText().contains(QStringLiteral("Question 0")));
    QCOMPARE(view->header()->progressBar()->value(), 0);

    QTest::keyClick(view, Qt::Key_Y);
    QCOMPARE(labeling()->current()->item.position, 0); // one criterion left
    QCOMPARE(labeling()->focusedRow(), 1);
    QTest::qWait(50); // some time on the item, to see it stored
    QTest::keyClick(view, Qt::Key_X);
    // The next item is on screen as the key returns: it was read ahead.
    QVERIFY(labeling()->current());
    QCOMPARE(labeling()->current()->item.position, 1);
    QVERIFY(view->outputView()->toPlainText().contains(QStringLiteral("Answer 1")));
    QCOMPARE(view->header()->progressBar()->value(), 1);
    QVERIFY(waitSaved());

    Project project = openDirect();
    auto labels = LabelStore(project.db()).labels();
    QVERIFY(labels);
    QCOMPARE(labels->size(), 2);
    QHash<QString, Label> byCriterion;
    for (const Label &l : *labels)
        byCriterion.insert(l.criterion, l);
    QCOMPARE(byCriterion.value(QStringLiteral("factual")).value, LabelValue::Yes);
    QCOMPARE(byCriterion.value(QStringLiteral("polite")).value, LabelValue::No);
    for (const Label &l : *labels) {
        QCOMPARE(l.annotator, QStringLiteral("alice"));
        QCOMPARE(l.target, (Target {Target::Kind::Log, m_logIds[0]}));
        QVERIFY(l.seconds.has_value());
        QVERIFY(l.queueItemId.has_value());
    }
    QVERIFY(*byCriterion.value(QStringLiteral("polite")).seconds >= 0.04);

    // A: yes to both remaining criteria of item 2 in one key; S skips.
    QVERIFY(waitReady());
    QTest::keyClick(view, Qt::Key_A);
    QCOMPARE(labeling()->current()->item.position, 2);
    QVERIFY(waitReady());
    QTest::keyClick(view, Qt::Key_S);
    QTest::keyClick(view, Qt::Key_S);
    QVERIFY(waitUntil([this] { return labeling()->isDone(); }));
    QVERIFY(waitSaved());
    QCOMPARE(labeling()->progress().done, 3);
    auto all = LabelStore(project.db()).labels();
    QVERIFY(all);
    QCOMPARE(all->size(), 6);
    auto progress = QueueStore(project.db())
                        .progress(QueueStore(project.db()).queue(QStringLiteral("Binary"))->id,
                                  QStringLiteral("alice"));
    QVERIFY(progress);
    QCOMPARE(progress->done, 3);
}

void TestAnnotateView::backspaceAndCtrlZTakeLabelsBack()
{
    makeBinaryQueue(QStringLiteral("Undo"), 3);
    QVERIFY(openProject());
    showView();
    startQueue(QStringLiteral("Undo"));
    BinaryLabelView *view = m_view->binaryView();
    QTest::keyClick(view, Qt::Key_Y);
    QTest::keyClick(view, Qt::Key_X);
    QCOMPARE(labeling()->current()->item.position, 1);
    // Backspace goes back to item 1, to the label given last, and takes it back.
    QTest::keyClick(view, Qt::Key_Backspace);
    QCOMPARE(labeling()->current()->item.position, 0);
    QCOMPARE(labeling()->focusedRow(), 1);
    QCOMPARE(labeling()->current()->labels.size(), 1);
    QCOMPARE(labeling()->progress().done, 0);
    QVERIFY(waitSaved());
    {
        Project project = openDirect();
        auto labels = LabelStore(project.db()).labels();
        QVERIFY(labels);
        QCOMPARE(labels->size(), 1);
        QCOMPARE(labels->first().criterion, QStringLiteral("factual"));
    }
    // Ctrl+Z takes back the first label too; then the item is answered again, differently.
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(labeling()->current()->labels.size(), 0);
    QCOMPARE(labeling()->focusedRow(), 0);
    QVERIFY(!labeling()->canUndo());
    QVERIFY(waitReady());
    QTest::keyClick(view, Qt::Key_X);
    QTest::keyClick(view, Qt::Key_Y);
    QCOMPARE(labeling()->current()->item.position, 1);
    QVERIFY(waitSaved());
    Project project = openDirect();
    auto labels = LabelStore(project.db()).labels();
    QVERIFY(labels);
    QCOMPARE(labels->size(), 2);
    for (const Label &l : *labels)
        QCOMPARE(l.value,
                 l.criterion == QLatin1String("factual") ? LabelValue::No : LabelValue::Yes);
}

void TestAnnotateView::noteAndCorrectionKeys()
{
    makeBinaryQueue(QStringLiteral("Notes"), 2);
    QVERIFY(openProject());
    showView();
    startQueue(QStringLiteral("Notes"));
    BinaryLabelView *view = m_view->binaryView();

    QTest::keyClick(view, Qt::Key_N);
    QVERIFY(view->openDialog());
    view->openDialog()->setText(QStringLiteral("Mentions a discount we do not offer."));
    view->openDialog()->accept();
    QVERIFY(waitUntil([view] { return !view->openDialog(); }));

    QTest::keyClick(view, Qt::Key_E);
    QVERIFY(view->openDialog());
    QCOMPARE(view->openDialog()->text(), QStringLiteral("Answer 0")); // starts from the output
    view->openDialog()->setText(QStringLiteral("Answer 0, corrected."));
    QTest::keyClick(view->openDialog()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(waitUntil([view] { return !view->openDialog(); }));
    QVERIFY(view->outputView()->toPlainText().contains(QStringLiteral("Answer 0, corrected.")));
    QVERIFY(waitSaved());

    Project project = openDirect();
    const Target target {Target::Kind::Log, m_logIds[0]};
    LabelStore store(project.db());
    QCOMPARE(store.note(target, QStringLiteral("alice"))->value_or(QString()),
             QStringLiteral("Mentions a discount we do not offer."));
    QCOMPARE(store.correction(target, QStringLiteral("alice"))->value_or(QString()),
             QStringLiteral("Answer 0, corrected."));
    // The original stays as it was, in the queue and in the log record.
    auto queue = QueueStore(project.db()).queue(QStringLiteral("Notes"));
    QVERIFY(queue);
    QCOMPARE(QueueStore(project.db()).itemAt(queue->id, 0)->value().outputA,
             QStringLiteral("Answer 0"));
    QCOMPARE(LogStore(project.db()).record(m_logIds[0])->output,
             QStringLiteral("Answer 0: **yes**, bring it in."));
}

void TestAnnotateView::pairwiseChoicesAreStoredForTheTrueItems()
{
    makePairwiseQueue(QStringLiteral("Pairs"), 4);
    QVERIFY(openProject());
    showView();
    startQueue(QStringLiteral("Pairs"));
    PairwiseLabelView *view = m_view->pairwiseView();
    QVERIFY(m_view->isLabeling());
    // Blind: the model never shows.
    QVERIFY(!view->header()->progressLabel()->text().isEmpty());
    for (QWidget *w : view->findChildren<QLabel *>())
        QVERIFY(!static_cast<QLabel *>(w)->text().contains(QStringLiteral("secret-model")));

    // Left, right, left, tie: each stored in terms of the true items.
    const QList<Qt::Key> keys = {Qt::Key_A, Qt::Key_Right, Qt::Key_Left, Qt::Key_T};
    QList<std::pair<qint64, bool>> shownLeftIsA; // queue item id, a shown on the left
    for (Qt::Key key : keys) {
        QVERIFY(waitReady());
        const LabelingItem *item = labeling()->current();
        QVERIFY(item);
        const QString left = view->leftView()->toPlainText();
        QVERIFY(left.contains(item->leftIsA ? QStringLiteral("first output")
                                            : QStringLiteral("second output")));
        shownLeftIsA.append({item->item.id, item->leftIsA});
        QTest::keyClick(view, key);
    }
    QVERIFY(waitUntil([this] { return labeling()->isDone(); }));
    QVERIFY(waitSaved());

    Project project = openDirect();
    LabelStore store(project.db());
    auto prefs = store.preferences();
    QVERIFY(prefs);
    QCOMPARE(prefs->size(), 4);
    for (int i = 0; i < 4; ++i) {
        const auto [itemId, leftIsA] = shownLeftIsA[i];
        // The side stored for this annotator is the side that was shown.
        QCOMPARE(*store.leftIsA(itemId, QStringLiteral("alice")), leftIsA);
        const Preference *p = nullptr;
        for (const Preference &candidate : *prefs)
            if (candidate.queueItemId == itemId)
                p = &candidate;
        QVERIFY(p);
        QCOMPARE(p->leftIsA, std::optional<bool>(leftIsA));
        QCOMPARE(p->annotator, QStringLiteral("alice"));
        const bool pickedLeft = keys[i] == Qt::Key_A || keys[i] == Qt::Key_Left;
        const bool pickedRight = keys[i] == Qt::Key_Right;
        if (pickedLeft)
            QCOMPARE(p->choice, leftIsA ? Choice::A : Choice::B);
        else if (pickedRight)
            QCOMPARE(p->choice, leftIsA ? Choice::B : Choice::A);
        else
            QCOMPARE(p->choice, Choice::Tie);
    }
    // Position bias counts the left side's wins of the three decided pairs.
    auto bias = store.positionBias();
    QVERIFY(bias);
    QCOMPARE(bias->size(), 1);
    QCOMPARE(bias->first().decided, 3);
    QCOMPARE(bias->first().leftWins, 2);
}

void TestAnnotateView::reopeningResumesWhereTheAnnotatorStopped()
{
    makeBinaryQueue(QStringLiteral("Resume"), 4);
    QVERIFY(openProject());
    showView();
    startQueue(QStringLiteral("Resume"));
    BinaryLabelView *view = m_view->binaryView();
    QTest::keyClick(view, Qt::Key_Y);
    QTest::keyClick(view, Qt::Key_Y);
    QVERIFY(waitReady());
    QTest::keyClick(view, Qt::Key_X); // half of item 2
    QTest::keyClick(view, Qt::Key_Escape);
    QVERIFY(!m_view->isLabeling());
    QVERIFY(waitUntil([this] {
        const QueueRow *row = m_controller->queues()->rowAt(0);
        return row && row->progress.done == 1;
    }));
    QCOMPARE(m_controller->queues()->index(0, QueueListModel::Progress).data().toString(),
             QStringLiteral("1 of 4"));

    // A new window on the same file: the queue opens on item 2 with its first label kept.
    cleanup();
    QVERIFY(openProject());
    showView();
    startQueue(QStringLiteral("Resume"));
    QCOMPARE(labeling()->current()->item.position, 1);
    QCOMPARE(labeling()->current()->labels.size(), 1);
    QCOMPARE(labeling()->focusedRow(), 1);
    QCOMPARE(labeling()->progress().done, 1);
    QCOMPARE(m_view->binaryView()->header()->progressBar()->value(), 1);
}

void TestAnnotateView::dailyButtonCreatesTodaysQueue()
{
    QVERIFY(openProject());
    showView();
    QVERIFY(m_view->emptyAction()->isVisible());
    QTest::mouseClick(m_view->dailyButton(), Qt::LeftButton);
    QVERIFY(waitUntil([this] { return m_view->isLabeling() && labeling(); }));
    QVERIFY(waitReady());
    const QString today = QDate::currentDate().toString(Qt::ISODate);
    const QString utcToday = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
    QVERIFY(labeling()->queue().name == QStringLiteral("Daily %1").arg(utcToday)
            || labeling()->queue().name == QStringLiteral("Daily %1").arg(today));
    QCOMPARE(labeling()->queue().itemCount, 8);
    QCOMPARE(labeling()->queue().criteria.first().name, QStringLiteral("acceptable"));
    QVERIFY(labeling()->current());
    QTest::keyClick(m_view->binaryView(), Qt::Key_Y);
    QVERIFY(waitSaved());

    // Pressing it again the same day reopens the same queue.
    QTest::keyClick(m_view->binaryView(), Qt::Key_Escape);
    QTest::mouseClick(m_view->dailyButton(), Qt::LeftButton);
    QVERIFY(waitUntil([this] { return m_view->isLabeling() && labeling(); }));
    QVERIFY(waitReady());
    QCOMPARE(labeling()->progress().done, 1);
    Project project = openDirect();
    auto queues = QueueStore(project.db()).list();
    QVERIFY(queues);
    QCOMPARE(queues->size(), 1);
    QVERIFY(queues->first().dailyDate.has_value());
}

void TestAnnotateView::agreementAndAdjudication()
{
    makeBinaryQueue(QStringLiteral("Agree"), 4);
    {
        // Two people on four items: factual agrees on 3 of 4 (yes,yes,no,yes vs yes,yes,no,no).
        Project project = openDirect();
        auto queue = QueueStore(project.db()).queue(QStringLiteral("Agree"));
        QVERIFY(queue);
        LabelStore labels(project.db());
        const qint64 factual = queue->criteria[0].id;
        const QList<LabelValue> alice
            = {LabelValue::Yes, LabelValue::Yes, LabelValue::No, LabelValue::Yes};
        const QList<LabelValue> bob
            = {LabelValue::Yes, LabelValue::Yes, LabelValue::No, LabelValue::No};
        for (int i = 0; i < 4; ++i) {
            const QueueItem item = QueueStore(project.db()).itemAt(queue->id, i)->value();
            QVERIFY(
                labels.setLabel(item.a, factual, QStringLiteral("alice"), alice[i], 3, item.id));
            QVERIFY(labels.setLabel(item.a, factual, QStringLiteral("bob"), bob[i], 3, item.id));
        }
    }
    QVERIFY(openProject());
    showView();
    AgreementModel *agreement = m_view->agreementModel();
    QAbstractItemModelTester agreementTester(
        agreement, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester disagreementTester(
        m_view->disagreementModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(waitUntil([agreement] { return agreement->rowCount() == 1; }));
    const auto cell = [agreement](int column) {
        return agreement->index(0, column).data().toString();
    };
    QCOMPARE(cell(AgreementModel::Criterion), QStringLiteral("factual"));
    QCOMPARE(cell(AgreementModel::Items), QStringLiteral("4"));
    QCOMPARE(cell(AgreementModel::Annotators), QStringLiteral("2"));
    QCOMPARE(cell(AgreementModel::Labels), QStringLiteral("8"));
    QCOMPARE(cell(AgreementModel::Percent), QStringLiteral("75%"));
    // Cohen by hand: po = 0.75; alice yes 3/4, bob yes 2/4: pe = 0.75*0.5 + 0.25*0.5 = 0.5;
    // kappa = (0.75 - 0.5) / 0.5 = 0.50, "moderate".
    QCOMPARE(cell(AgreementModel::Cohen), QStringLiteral("0.50 (moderate)"));
    QCOMPARE(cell(AgreementModel::Fleiss).left(4), QStringLiteral("0.47"));
    QVERIFY(cell(AgreementModel::Alpha).contains(QLatin1Char('[')));

    QCOMPARE(m_view->disagreementModel()->rowCount(), 1);
    QCOMPARE(m_view->disagreementModel()->index(0, DisagreementModel::Final).data().toString(),
             QStringLiteral("not set"));
    m_view->disagreementTable()->setCurrentIndex(m_view->disagreementModel()->index(0, 0));
    QPushButton *no = nullptr;
    for (QPushButton *b : m_view->adjudicationButtons())
        if (b->property("finalValue").toString() == QLatin1String("no"))
            no = b;
    QVERIFY(no && no->isEnabled());
    QTest::mouseClick(no, Qt::LeftButton);
    QVERIFY(waitUntil([this] {
        return m_view->disagreementModel()->rowCount() == 1
            && m_view->disagreementModel()->index(0, DisagreementModel::Final).data().toString()
            == QLatin1String("no");
    }));
    Project project = openDirect();
    auto adjudications = LabelStore(project.db()).adjudications();
    QVERIFY(adjudications);
    QCOMPARE(adjudications->size(), 1);
    QCOMPARE(adjudications->first().value, QStringLiteral("no"));
    QCOMPARE(adjudications->first().adjudicator, QStringLiteral("alice"));
    QCOMPARE(adjudications->first().a, (Target {Target::Kind::Log, m_logIds[3]}));
    // Kept apart: the annotators' own labels are unchanged.
    QCOMPARE(LabelStore(project.db()).labels()->size(), 8);
}

void TestAnnotateView::failureBecomesATestCaseWithAnAssertion()
{
    makeBinaryQueue(QStringLiteral("Failures"), 2);
    QVERIFY(openProject());
    showView();
    startQueue(QStringLiteral("Failures"));
    BinaryLabelView *view = m_view->binaryView();
    QVERIFY(!view->testCaseButton()->isEnabled()); // nothing failed yet
    QTest::keyClick(view, Qt::Key_E);
    QVERIFY(view->openDialog());
    view->openDialog()->setText(QStringLiteral("Yes, we fix brakes; a check costs 15 EUR."));
    view->openDialog()->accept();
    QVERIFY(waitUntil([view] { return !view->openDialog(); }));
    QTest::keyClick(view, Qt::Key_X);
    QTest::keyClick(view, Qt::Key_Y);
    QCOMPARE(labeling()->current()->item.position, 1);
    // The previous item failed: T makes it a test case.
    QVERIFY(view->testCaseButton()->isEnabled());
    QTest::keyClick(view, Qt::Key_T);
    AddTestCaseDialog *dialog = nullptr;
    QVERIFY(
        waitUntil([&] { return (dialog = m_view->findChild<AddTestCaseDialog *>()) != nullptr; }));
    QCOMPARE(dialog->datasetCombo()->currentData().toLongLong(), qint64(0)); // no dataset yet
    dialog->newDatasetEdit()->setText(QStringLiteral("Brake questions"));
    QSignalSpy added(dialog, &AddTestCaseDialog::caseAdded);
    QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
    QVERIFY(added.wait(waitMs));
    QVERIFY(dialog->onAssertionPage());
    dialog->assertionTypeCombo()->setCurrentIndex(
        dialog->assertionTypeCombo()->findData(QStringLiteral("contains")));
    dialog->assertionValueEdit()->setText(QStringLiteral("15 EUR"));
    QSignalSpy assertion(dialog, &AddTestCaseDialog::assertionAdded);
    const qint64 caseId = dialog->addedCaseId();
    QTest::mouseClick(dialog->assertionButton(), Qt::LeftButton);
    QVERIFY(assertion.wait(waitMs));

    Project project = openDirect();
    DatasetStore datasets(project.db());
    auto dataset = datasets.dataset(QStringLiteral("Brake questions"));
    QVERIFY(dataset);
    auto cases = datasets.cases(dataset->id);
    QVERIFY(cases);
    QCOMPARE(cases->size(), 1);
    QCOMPARE(cases->first().id, caseId);
    QCOMPARE(cases->first().data.expected,
             std::optional<QString>(QStringLiteral("Yes, we fix brakes; a check costs 15 EUR.")));
    QCOMPARE(cases->first().logId, std::optional<qint64>(m_logIds[0]));
    QVERIFY(cases->first().data.vars.dump().find("Question 0") != std::string::npos);
    auto assertions = AssertionStore(project.db()).forCase(dataset->id, caseId);
    QVERIFY(assertions);
    QCOMPARE(assertions->size(), 1);
    QCOMPARE(assertions->first().spec.type, QStringLiteral("contains"));
    QVERIFY(assertions->first().spec.value == nlohmann::json("15 EUR"));
}

void TestAnnotateView::everyKeyIsShownOnScreen()
{
    makeBinaryQueue(QStringLiteral("Keys"), 1);
    QVERIFY(openProject());
    showView();
    const QString binary = m_view->binaryView()->keyBar()->plainKeys();
    for (const QString &key :
         {QStringLiteral("Y yes"), QStringLiteral("X no"), QStringLiteral("S skip"),
          QStringLiteral("A "), QStringLiteral("⌫ / Ctrl+Z undo"), QStringLiteral("N note"),
          QStringLiteral("E correct"), QStringLiteral("T test case"), QStringLiteral("M R J"),
          QStringLiteral("Esc")})
        QVERIFY2(binary.contains(key), qPrintable(key));
    const QString pairwise = m_view->pairwiseView()->keyBar()->plainKeys();
    for (const QString &key :
         {QStringLiteral("A / ← A is better"), QStringLiteral("B / → B is better"),
          QStringLiteral("T tie"), QStringLiteral("X both bad"), QStringLiteral("1–9"),
          QStringLiteral("⌫ / Ctrl+Z undo"), QStringLiteral("N note"), QStringLiteral("Esc")})
        QVERIFY2(pairwise.contains(key), qPrintable(key));
}

void TestAnnotateView::theQuestionIsInViewBelowALongPrompt()
{
    // A system prompt and a few-shot example longer than the pane come before what the output
    // answers: the pane opens at the last user message, not at the top.
    Project project = openDirect();
    QString system;
    for (int line = 0; line < 60; ++line)
        system += QStringLiteral("Policy line %1 of the shop's long instructions.\n\n").arg(line);
    QueueItem item;
    item.a = Target {Target::Kind::Log, m_logIds[0]};
    item.input = {{"messages",
                   {{{"role", "system"}, {"content", system.toStdString()}},
                    {{"role", "user"}, {"content", "An example question"}},
                    {{"role", "assistant"}, {"content", "An example answer"}},
                    {{"role", "user"}, {"content", "The real question"}}}}};
    item.outputA = QStringLiteral("The answer");
    QueueSpec spec;
    spec.name = QStringLiteral("Long prompt");
    spec.criteria = {QStringLiteral("polite")};
    QVERIFY(QueueStore(project.db()).create(spec, {item}));
    QVERIFY(openProject());
    showView();
    startQueue(QStringLiteral("Long prompt"));
    QTextBrowser *input = m_view->binaryView()->inputView();
    const auto questionTop = [input] {
        const QTextCursor found = input->document()->find(QStringLiteral("The real question"));
        return found.isNull()
            ? -1.0
            : input->document()->documentLayout()->blockBoundingRect(found.block()).top()
                - input->verticalScrollBar()->value();
    };
    QVERIFY(waitUntil([&] {
        const double top = questionTop();
        return input->verticalScrollBar()->value() > 0 && top >= 0
            && top < input->viewport()->height();
    }));
    // The example question is above, out of view; scrolling up still shows it.
    QVERIFY(input->toPlainText().contains(QStringLiteral("Policy line 0")));
}

QTEST_MAIN(TestAnnotateView)
#include "test_annotate_view.moc"
