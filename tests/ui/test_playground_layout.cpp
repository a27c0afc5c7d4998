// The playground's layout in the real window (issue 12): the prompt and its variables beside
// the columns (edit and re-run there), six columns fit at 1600 px, samples side by side, a new
// column scrolls into view, the ticks are remembered per project, and the empty state is not
// clipped at 1024×640. With TOUCHSTONE_SCREENSHOT_DIR set, it also writes what it checked as
// PNGs (light and dark) for a person to look at.
#include "common/appsettings.h"
#include "common/designsystem.h"
#include "common/emptystate.h"
#include "common/projectsession.h"
#include "demo/demoproject.h"
#include "fakellmserver.h"
#include "models/modelstore.h"
#include "playground/modelcatalog.h"
#include "playground/modellistmodel.h"
#include "playground/playground.h"
#include "playground/playgroundcolumn.h"
#include "playground/playgroundcontroller.h"
#include "playground/playgroundview.h"
#include "playground/runservices.h"
#include "prompts/messageeditor.h"
#include "prompts/prompteditor.h"
#include "prompts/promptlistmodel.h"
#include "prompts/promptscontroller.h"
#include "prompts/promptssection.h"
#include "prompts/templatetextedit.h"
#include "prompts/variablespanel.h"
#include "shell/mainwindow.h"
#include "shell/projectcontroller.h"
#include "shell/workbench.h"
#include "storage/project.h"

#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>

using namespace ts;

namespace {
constexpr int waitMs = 15000;

/// Whether `w` lies entirely inside the visible part of `area`.
bool fullyVisibleIn(QScrollArea *area, QWidget *w)
{
    const QRect r(w->mapTo(area->viewport(), QPoint(0, 0)), w->size());
    return area->viewport()->rect().contains(r);
}

/// Whether every label under `root` has at least the height its text needs at its width.
QStringList clippedLabels(QWidget *root)
{
    QStringList clipped;
    for (QLabel *label : root->findChildren<QLabel *>()) {
        if (!label->isVisibleTo(root) || label->text().isEmpty())
            continue;
        const int needed = label->wordWrap() ? label->heightForWidth(label->width())
                                             : label->sizeHint().height();
        const bool tooNarrow = !label->wordWrap()
            && label->fontMetrics().horizontalAdvance(label->text()) > label->width() + 1;
        if (needed > label->height() + 1 || tooNarrow)
            clipped << QStringLiteral("%1 (needs %2 px, has %3×%4)")
                           .arg(label->text())
                           .arg(needed)
                           .arg(label->width())
                           .arg(label->height());
        // Inside the page, not cut off at its edges.
        const QRect r(label->mapTo(root, QPoint(0, 0)), label->size());
        if (!root->rect().contains(r))
            clipped << label->text() + QStringLiteral(" (outside)");
    }
    return clipped;
}
} // namespace

class TestPlaygroundLayout final : public QObject
{
    Q_OBJECT

private:
    test::FakeLlmServer m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<Workbench> m_bench;
    QStringList m_models;

    QString makeProject(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QFile::remove(path);
        if (!createDemoProject(path))
            return {};
        auto project = Project::open(path);
        if (!project)
            return {};
        ModelStore store(project->db());
        for (const QString &model : m_models) {
            ModelConfig m;
            m.name = model;
            m.provider = ProviderKind::OpenAI;
            m.baseUrl = m_server.baseUrl() + QStringLiteral("/v1");
            m.modelId = QStringLiteral("fake-small");
            if (!store.add(m))
                return {};
        }
        return path;
    }

    bool open(const QString &path)
    {
        QSignalSpy opened(&m_bench->session(), &ProjectSession::projectOpened);
        m_bench->projects().open(path);
        if (!opened.wait(waitMs))
            return false;
        // Its models (four of the demo's and six of ours) reached the playground.
        return QTest::qWaitFor(
            [&] {
                return m_bench->session().info()
                    && m_bench->session().info()->path == QFileInfo(path).absoluteFilePath()
                    && controller().picker()->rowOf(QStringLiteral("model-6")) >= 0;
            },
            waitMs);
    }

    PlaygroundView *view() const { return m_bench->playground()->view(); }
    PlaygroundController &controller() const { return m_bench->playground()->controller(); }

    void showPlayground(int width, int height)
    {
        MainWindow *w = m_bench->window();
        w->resize(width, height);
        w->show();
        w->showSection(QStringLiteral("playground"));
        QVERIFY(QTest::qWaitForWindowExposed(w));
        QApplication::processEvents();
    }

    void grab(const QString &name)
    {
        const QString dir = qEnvironmentVariable("TOUCHSTONE_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QDir().mkpath(dir);
        QTest::qWait(100);
        for (bool dark : {false, true}) {
            design::ThemeManager::instance().apply(dark ? design::Theme::Dark
                                                        : design::Theme::Light);
            QTest::qWait(150);
            QVERIFY(m_bench->window()->grab().save(
                dir + (dark ? QStringLiteral("/dark-") : QStringLiteral("/")) + name));
        }
        design::ThemeManager::instance().apply(design::Theme::Light);
    }

    bool runAndWait()
    {
        QSignalSpy finished(&controller(), &PlaygroundController::runFinished);
        view()->runAction()->trigger();
        return finished.wait(waitMs) || finished.count() > 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TouchstoneTest"));
        QCoreApplication::setApplicationName(QStringLiteral("touchstone-playground-layout-test"));
        QVERIFY(m_server.listen());
        m_models
            = {QStringLiteral("model-1"), QStringLiteral("model-2"), QStringLiteral("model-3"),
               QStringLiteral("model-4"), QStringLiteral("model-5"), QStringLiteral("model-6")};
    }

    void init()
    {
        static int n = 0;
        m_settings = std::make_unique<AppSettings>(
            m_dir.filePath(QStringLiteral("settings%1.ini").arg(++n)));
        m_bench = std::make_unique<Workbench>(*m_settings);
    }

    void cleanup()
    {
        m_bench.reset();
        m_settings.reset();
    }

    void sixColumnsFitAt1600WithThePromptBeside()
    {
        QVERIFY(open(makeProject(QStringLiteral("six.touchstone"))));
        showPlayground(1600, 1000);
        QSignalSpy loaded(&m_bench->prompts(), &PromptsController::promptLoaded);
        m_bench->prompts().selectPrompt(
            m_bench->prompts().listModel()->promptAt(0)->id); // the prompt beside the columns
        QVERIFY(loaded.wait(waitMs));
        controller().setColumnModels(m_models);
        QTRY_COMPARE_WITH_TIMEOUT(view()->columns().size(), 6, waitMs);
        QApplication::processEvents();
        QVERIFY(view()->promptPane()->isVisible());
        QVERIFY(view()->promptPane()->width() >= 250);
        QScrollArea *area = view()->columnsArea();
        for (PlaygroundColumn *c : view()->columns())
            QVERIFY2(fullyVisibleIn(area, c), qPrintable(QString::number(c->column())));
        QCOMPARE(area->horizontalScrollBar()->maximum(), 0);
        QVERIFY(runAndWait());
        grab(QStringLiteral("playground-six-1600.png"));

        // Beyond what fits, the columns scroll sideways rather than squeeze.
        showPlayground(1024, 700);
        QTRY_VERIFY(area->horizontalScrollBar()->maximum() > 0);
        for (PlaygroundColumn *c : view()->columns())
            QVERIFY(c->width() >= PlaygroundColumn::minimumWidthPerSample);
    }

    void aNewColumnScrollsIntoView()
    {
        QVERIFY(open(makeProject(QStringLiteral("scroll.touchstone"))));
        showPlayground(1024, 700);
        controller().setColumnModels(m_models.mid(0, 4));
        QTRY_COMPARE_WITH_TIMEOUT(view()->columns().size(), 4, waitMs);
        QApplication::processEvents();
        // Tick the last model, as in the picker: its column is at the far right.
        ModelListModel *picker = controller().picker();
        const QModelIndex last = picker->index(picker->rowOf(QStringLiteral("model-6")), 0);
        QVERIFY(picker->setData(last, Qt::Checked, Qt::CheckStateRole));
        QTRY_COMPARE_WITH_TIMEOUT(view()->columns().size(), 5, waitMs);
        PlaygroundColumn *added = view()->columns().last();
        QCOMPARE(controller().column(added->column()).model.name, QStringLiteral("model-6"));
        QScrollArea *area = view()->columnsArea();
        QTRY_VERIFY(area->horizontalScrollBar()->maximum() > 0); // it did not fit
        QTRY_VERIFY_WITH_TIMEOUT(fullyVisibleIn(area, added), waitMs);
    }

    void ticksAreRememberedPerProject()
    {
        const QString first = makeProject(QStringLiteral("ticks-a.touchstone"));
        const QString second = makeProject(QStringLiteral("ticks-b.touchstone"));
        QVERIFY(open(first));
        controller().setColumnModels({QStringLiteral("model-2"), QStringLiteral("model-5")});
        QTRY_COMPARE_WITH_TIMEOUT(view()->columns().size(), 2, waitMs);

        QVERIFY(open(second)); // nothing ticked there yet
        QTRY_COMPARE_WITH_TIMEOUT(view()->columns().size(), 0, waitMs);
        controller().setColumnModels({QStringLiteral("model-3")});

        QVERIFY(open(first));
        QTRY_COMPARE_WITH_TIMEOUT(
            controller().picker()->checkedNames(),
            QStringList({QStringLiteral("model-2"), QStringLiteral("model-5")}), waitMs);
        QCOMPARE(view()->columns().size(), 2);

        // And after a restart of the application.
        cleanup();
        init();
        QVERIFY(open(second));
        QTRY_COMPARE_WITH_TIMEOUT(controller().picker()->checkedNames(),
                                  QStringList({QStringLiteral("model-3")}), waitMs);
    }

    void thePromptIsEditedBesideTheColumnsAndReRun()
    {
        QVERIFY(open(makeProject(QStringLiteral("edit.touchstone"))));
        showPlayground(1600, 1000);
        PromptsController &prompts = m_bench->prompts();
        qint64 id = 0;
        for (int row = 0; row < prompts.listModel()->rowCount(); ++row)
            if (prompts.listModel()->promptAt(row)->name == QLatin1String("support-reply"))
                id = prompts.listModel()->promptAt(row)->id;
        QVERIFY(id);
        QSignalSpy loaded(&prompts, &PromptsController::promptLoaded);
        prompts.selectPrompt(id);
        QVERIFY(loaded.wait(waitMs));
        controller().setColumnModels({QStringLiteral("model-1")});
        QTRY_COMPARE_WITH_TIMEOUT(view()->columns().size(), 1, waitMs);

        // The editor with its messages and variables is in the playground, beside the column.
        PromptEditor *editor = m_bench->promptsSection()->editor();
        QVERIFY(view()->promptPane()->isAncestorOf(editor));
        QVERIFY(editor->isVisible());
        QVERIFY(editor->variablesPanel()->isVisible());
        QVERIFY(editor->isCompact());
        QVERIFY(!editor->messageEditors().isEmpty());
        const QRect pane(view()->promptPane()->mapTo(view(), QPoint(0, 0)),
                         view()->promptPane()->size());
        PlaygroundColumn *column = view()->columns().first();
        const QRect col(column->mapTo(view(), QPoint(0, 0)), column->size());
        QVERIFY(pane.right() < col.left()); // beside, not over

        QVERIFY(runAndWait());
        // Edit the last message in place, Ctrl+Enter: the new text is what the model gets.
        TemplateTextEdit *text = editor->messageEditors().last()->textEdit();
        text->setFocus();
        text->moveCursor(QTextCursor::Start);
        QTest::keyClicks(text, QStringLiteral("ZEBRA "));
        QSignalSpy finished(&controller(), &PlaygroundController::runFinished);
        m_server.reset();
        QTest::keyClick(text, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(finished.wait(waitMs));
        QCOMPARE(m_bench->window()->currentSection(), QStringLiteral("playground"));
        QVERIFY(!m_server.requests().isEmpty());
        QVERIFY(m_server.requests().last().body.contains("ZEBRA "));
        QVERIFY(column->outputText().contains(QStringLiteral("ZEBRA")));
        grab(QStringLiteral("playground-edit-1600.png"));

        // The Prompts section gets its editor back, in its full layout.
        m_bench->window()->showSection(QStringLiteral("prompts"));
        QTRY_VERIFY(!view()->promptPane()->isAncestorOf(editor));
        QVERIFY(m_bench->promptsSection()->isAncestorOf(editor));
        QVERIFY(!editor->isCompact());
        QVERIFY(editor->isVisible());
        QVERIFY(editor->messageEditors().last()->textEdit()->toPlainText().startsWith(
            QStringLiteral("ZEBRA ")));
    }

    void samplesShowSideBySide()
    {
        QVERIFY(open(makeProject(QStringLiteral("samples.touchstone"))));
        showPlayground(1600, 1000);
        QSignalSpy loaded(&m_bench->prompts(), &PromptsController::promptLoaded);
        m_bench->prompts().selectPrompt(m_bench->prompts().listModel()->promptAt(0)->id);
        QVERIFY(loaded.wait(waitMs));
        controller().setColumnModels(m_models.mid(0, 2));
        QTRY_COMPARE_WITH_TIMEOUT(view()->columns().size(), 2, waitMs);
        QVERIFY(!view()->sideBySideButton()->isVisible()); // one sample: nothing to arrange
        view()->samplesBox()->setValue(3);
        QVERIFY(view()->sideBySideButton()->isVisible());
        QVERIFY(runAndWait());
        PlaygroundColumn *column = view()->columns().first();
        QVERIFY(!column->showsSamplesSideBySide());

        QTest::mouseClick(view()->sideBySideButton(), Qt::LeftButton);
        QVERIFY(column->showsSamplesSideBySide());
        QCOMPARE(column->sampleViews().size(), 3);
        QTRY_VERIFY(!column->sampleViews().last()->toPlainText().isEmpty());
        // Three texts in one row, each readable.
        QList<QTextBrowser *> views = column->sampleViews();
        for (int i = 0; i < views.size(); ++i) {
            QVERIFY(views[i]->isVisible());
            QVERIFY(views[i]->width() >= PlaygroundColumn::minimumWidthPerSample - 40);
            QVERIFY(views[i]->toPlainText().startsWith(QStringLiteral("Echo:")));
            if (i > 0)
                QVERIFY(views[i]->mapTo(column, QPoint(0, 0)).x()
                        > views[i - 1]->mapTo(column, QPoint(0, 0)).x() + views[i - 1]->width()
                            - 1);
        }
        grab(QStringLiteral("playground-samples-1600.png"));
        QTest::mouseClick(view()->sideBySideButton(), Qt::LeftButton);
        QVERIFY(!column->showsSamplesSideBySide());
        QVERIFY(column->sampleViews().isEmpty());
    }

    // Defect 13 (second half): the empty state's text was clipped at small window sizes.
    void emptyStateIsNotClippedAt1024x640()
    {
        QVERIFY(open(makeProject(QStringLiteral("empty.touchstone"))));
        showPlayground(1024, 640);
        QCOMPARE(view()->emptyStateText(), QStringLiteral("Pick models and press Ctrl+Enter"));
        EmptyState *empty = view()->emptyState();
        QTRY_VERIFY(empty->isVisible());
        QApplication::processEvents();
        QVERIFY(empty->height() >= empty->minimumSizeHint().height());
        const QStringList clipped = clippedLabels(empty);
        QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QStringLiteral(" | "))));
        QVERIFY(empty->actionButton()->isVisible());
        const QRect button(empty->actionButton()->mapTo(empty, QPoint(0, 0)),
                           empty->actionButton()->size());
        QVERIFY(empty->rect().contains(button));
        grab(QStringLiteral("playground-empty-1024.png"));

        // Its one action opens the model picker.
        QTest::mouseClick(empty->actionButton(), Qt::LeftButton);
        QTRY_VERIFY(view()->modelPicker()->isVisible());
    }
};

QTEST_MAIN(TestPlaygroundLayout)
#include "test_playground_layout.moc"
