// Issue 12, the prompt half: defects 8, 9, 10, 12 and 15 of the Prompts section, and its
// safety nets (undo of message structure, discard a draft, rename, tools as validated JSON).
#include "uifixture.h"

#include "common/jsonedit.h"
#include "history/diffview.h"
#include "history/historyview.h"
#include "history/versionlistmodel.h"
#include "prompts/messageeditor.h"
#include "prompts/prompteditor.h"
#include "prompts/promptitemdelegate.h"
#include "prompts/templatetextedit.h"
#include "prompts/variablespanel.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QApplication>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoStack>

using namespace ts;
using namespace ts::test;

class TestPromptWorkbench final : public QObject
{
    Q_OBJECT

private:
    PromptsFixture m_fx;
    PromptEditor *editor() const { return m_fx.section->editor(); }
    MessageEditor *message(int i) const { return editor()->messageEditors().at(i); }

    bool save(const QString &note)
    {
        QSignalSpy saved(m_fx.prompts.get(), &PromptsController::versionSaved);
        m_fx.prompts->saveVersion(note);
        return saved.wait(waitMs);
    }

    /// Types at the end of message `i` with real key events.
    void typeAtEnd(int i, const QString &text)
    {
        TemplateTextEdit *edit = message(i)->textEdit();
        edit->setFocus();
        edit->moveCursor(QTextCursor::End);
        const QStringList lines = text.split(QLatin1Char('\n'));
        for (qsizetype l = 0; l < lines.size(); ++l) {
            if (l > 0)
                QTest::keyClick(edit, Qt::Key_Return);
            QTest::keyClicks(edit, lines[l]);
        }
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_fx.create());
        QVERIFY(m_fx.start());
        m_fx.section->resize(1300, 850);
        m_fx.section->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_fx.section.get()));
        QVERIFY(m_fx.select(QStringLiteral("support-reply")));
        QTRY_COMPARE_WITH_TIMEOUT(editor()->variablesPanel()->variableNames().size(), 4, waitMs);
    }

    void cleanup() { m_fx.stop(); }

    // Defect 9: a parse error in the system message must not drop its variables (and values).
    void parseErrorKeepsTheLastGoodVariables()
    {
        auto *shop = qobject_cast<QPlainTextEdit *>(
            editor()->variablesPanel()->inputFor(QStringLiteral("shop")));
        QVERIFY(shop);
        QTest::keyClicks(shop, QStringLiteral("Spoke & Chain"));
        typeAtEnd(0, QStringLiteral("\n{{#extras}}"));
        QTRY_VERIFY_WITH_TIMEOUT(!message(0)->errorLabel()->isHidden(), waitMs);
        QTest::qWait(PromptEditor::analysisDelayMs * 2);
        QCOMPARE(editor()->variablesPanel()->variableNames(),
                 (QStringList {QStringLiteral("shop"), QStringLiteral("policies"),
                               QStringLiteral("agent"), QStringLiteral("message")}));
        QVERIFY(m_fx.prompts->variableValues().contains("shop"));
        // Closing the section makes it parse again, with the new variable.
        QTest::keyClicks(message(0)->textEdit(), QStringLiteral("{{/extras}}"));
        QTRY_VERIFY_WITH_TIMEOUT(message(0)->errorLabel()->isHidden(), waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            editor()->variablesPanel()->variableNames().contains(QStringLiteral("extras")), waitMs);
        auto *again = qobject_cast<QPlainTextEdit *>(
            editor()->variablesPanel()->inputFor(QStringLiteral("shop")));
        QCOMPARE(again->toPlainText(), QStringLiteral("Spoke & Chain"));
    }

    // Defect 10: inserting a few-shot pair shows two added messages, nothing else changed.
    void historyDiffAlignsMessagesByContent()
    {
        editor()->addMessage(QStringLiteral("user"));
        QTest::keyClicks(message(4)->textEdit(), QStringLiteral("My bell is broken."));
        editor()->addMessage(QStringLiteral("assistant"));
        QTest::keyClicks(message(5)->textEdit(),
                         QStringLiteral("We stock bells; pop in any time."));
        // Move the pair above the final user message, as a few-shot example.
        editor()->moveMessage(4, 3);
        editor()->moveMessage(5, 4);
        QCOMPARE(m_fx.prompts->content().messages.last().text,
                 QStringLiteral("Customer message:\n{{message}}"));
        QVERIFY(save(QStringLiteral("few-shot bell")));
        m_fx.section->showHistory();
        HistoryView *history = m_fx.section->historyView();
        QTRY_COMPARE_WITH_TIMEOUT(m_fx.history->model()->rowCount(), 4, waitMs);
        history->selectVersions({4});
        QCOMPARE(history->diffView()->addedLines(), 4); // two messages: role line + text line each
        QCOMPARE(history->diffView()->removedLines(), 0);
    }

    // Defect 8: History ▸ Generations catches up when it is shown again after a run elsewhere.
    void generationsRefreshWhenHistoryIsShownAgain()
    {
        m_fx.section->showHistory();
        HistoryView *history = m_fx.section->historyView();
        history->selectVersions({3});
        QTRY_VERIFY_WITH_TIMEOUT(
            history->generationsView()->topLevelItemCount() == 1
                && history->generationsView()->topLevelItem(0)->text(0).contains(
                    QStringLiteral("has not been run yet")),
            waitMs);
        // The person goes to the playground (the section is hidden) and a run of v3 lands.
        m_fx.section->hide();
        {
            auto project = Project::open(m_fx.path);
            QVERIFY(project);
            Database &db = project->db();
            QVERIFY(db.exec(QStringLiteral(
                "INSERT INTO runs(kind, prompt_version_id, model_snapshot, status, created_at) "
                "SELECT 'playground', v.id, '{\"name\": \"alpha\"}', 'completed', "
                "'2026-01-01T10:00:00.000Z' "
                "FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id "
                "WHERE p.name = 'support-reply' AND v.number = 3")));
            QVERIFY(db.exec(QStringLiteral(
                "INSERT INTO generations(run_id, sample_index, request, output, status, "
                "created_at) "
                "VALUES ((SELECT max(id) FROM runs), 0, '{}', 'Happy to check your brakes.', 'ok', "
                "'2026-01-01T10:00:01.000Z')")));
        }
        m_fx.section->show();
        QTRY_VERIFY_WITH_TIMEOUT(
            history->generationsView()->topLevelItemCount() == 1
                && history->generationsView()->topLevelItem(0)->text(3).contains(
                    QStringLiteral("Happy to check")),
            waitMs);
    }

    // Defect 12: New Prompt with no project says so instead of asking for a name, and the
    // hint names the menu the action is really in.
    void newPromptNeedsAProjectAndTheHintNamesThePromptMenu()
    {
        m_fx.prompts->selectPrompt(0);
        QVERIFY(editor()->emptyLabel()->text().contains(QStringLiteral("Prompt ▸ New Prompt")));
        QVERIFY(!editor()->emptyLabel()->text().contains(QStringLiteral("File ▸ New Prompt")));
        m_fx.stop();

        ProjectSession session; // no project open
        PromptsController prompts(session);
        HistoryController history(session, prompts);
        PromptsSection section(prompts, history);
        section.show();
        QVERIFY(!section.newPromptButton()->isEnabled());
        QVERIFY(!section.newSnippetButton()->isEnabled());
        QVERIFY(
            section.editor()->emptyLabel()->text().contains(QStringLiteral("No project is open")));
        bool asked = false;
        QTimer::singleShot(200, &section, [&] {
            if (auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
                asked = true;
                dialog->reject();
            }
        });
        QSignalSpy status(&section, &PromptsSection::statusMessage);
        section.newPrompt(); // what Prompt ▸ New Prompt (Ctrl+N) does
        QTest::qWait(300);
        QVERIFY(!asked);
        QCOMPARE(status.count(), 1);
        QVERIFY(
            status.first().first().toString().contains(QStringLiteral("Open or create a project")));
    }

    // Defect 15: the list shows the saved version at once, not "not saved yet" until a refresh.
    void theListShowsASavedVersionAtOnce()
    {
        QSignalSpy created(m_fx.prompts.get(), &PromptsController::promptCreated);
        QSignalSpy loaded(m_fx.prompts.get(), &PromptsController::promptLoaded);
        m_fx.prompts->createPrompt(QStringLiteral("fresh"));
        QVERIFY(created.wait(waitMs));
        QTRY_COMPARE_WITH_TIMEOUT(m_fx.prompts->currentPromptName(), QStringLiteral("fresh"),
                                  waitMs);
        const qint64 id = m_fx.prompts->currentPromptId();
        PromptListModel *list = m_fx.prompts->listModel();
        QTRY_VERIFY_WITH_TIMEOUT(list->rowOf(id) >= 0, waitMs);
        QCOMPARE(list->index(list->rowOf(id)).data(PromptListModel::VersionCountRole).toInt(), 0);
        int versionsWhenSaved = -1;
        connect(m_fx.prompts.get(), &PromptsController::versionSaved, this, [&] {
            versionsWhenSaved
                = list->index(list->rowOf(id)).data(PromptListModel::VersionCountRole).toInt();
        });
        QVERIFY(save(QStringLiteral("first")));
        QCOMPARE(versionsWhenSaved, 1);
    }

    void removingAMessageCanBeUndoneAndRedone()
    {
        const QString removedText = message(1)->message().text;
        QTest::mouseClick(message(1)->removeButton(), Qt::LeftButton);
        QCOMPARE(editor()->messageEditors().size(), 3);
        QCOMPARE(m_fx.prompts->content().messages.size(), 3);
        // Ctrl+Z outside a text field undoes the removal, with the message's text.
        QVERIFY(QApplication::focusWidget() == nullptr
                || !qobject_cast<QPlainTextEdit *>(QApplication::focusWidget()));
        QWidget *focus = QApplication::focusWidget() ? QApplication::focusWidget() : editor();
        QTest::keyClick(focus, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(editor()->messageEditors().size(), 4);
        QCOMPARE(m_fx.prompts->content().messages[1].text, removedText);
        // Redo with the button beside "Add message".
        auto *redo = editor()->findChild<QToolButton *>(QStringLiteral("redoMessages"));
        QVERIFY(redo && redo->isEnabled());
        QTest::mouseClick(redo, Qt::LeftButton);
        QCOMPARE(m_fx.prompts->content().messages.size(), 3);
        // Moves undo too; text typed in between survives the undo.
        QTest::mouseClick(message(0)->moveDownButton(), Qt::LeftButton);
        QCOMPARE(m_fx.prompts->content().messages[1].role, QStringLiteral("system"));
        typeAtEnd(2, QStringLiteral(" Thanks!"));
        editor()->undoStack()->undo();
        QCOMPARE(m_fx.prompts->content().messages[0].role, QStringLiteral("system"));
        QVERIFY(m_fx.prompts->content().messages[2].text.endsWith(QStringLiteral(" Thanks!")));
        // Another prompt starts with an empty stack.
        QVERIFY(editor()->undoStack()->canUndo());
        QVERIFY(m_fx.select(QStringLiteral("classify-ticket"))
                || m_fx.prompts->listModel()->rowCount() > 1);
    }

    void discardDropsTheDraftAndGoesBackToTheLatestVersion()
    {
        const QString saved = message(3)->message().text;
        typeAtEnd(3, QStringLiteral("\nPS: {{ps}}"));
        QTRY_VERIFY_WITH_TIMEOUT(m_fx.prompts->isDirty(), waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!editor()->discardButton()->isHidden(), waitMs);
        m_fx.prompts->flushDraft();
        QSignalSpy loaded(m_fx.prompts.get(), &PromptsController::promptLoaded);
        m_fx.prompts->discardDraft(); // what Discard Changes does once confirmed
        QVERIFY(loaded.wait(waitMs));
        QCOMPARE(message(3)->message().text, saved);
        QVERIFY(!m_fx.prompts->isDirty());
        QVERIFY(editor()->discardButton()->isHidden());
        // The draft is gone from the file, so reopening does not bring the edit back.
        m_fx.stop();
        QVERIFY(m_fx.start());
        QVERIFY(m_fx.select(QStringLiteral("support-reply")));
        QCOMPARE(m_fx.prompts->content().messages[3].text, saved);
    }

    void renameKeepsVersions()
    {
        QSignalSpy renamed(m_fx.prompts.get(), &PromptsController::promptRenamed);
        m_fx.prompts->renamePrompt(m_fx.prompts->currentPromptId(),
                                   QStringLiteral("support-answer"));
        QVERIFY(renamed.wait(waitMs));
        QTRY_VERIFY_WITH_TIMEOUT(m_fx.idOf(QStringLiteral("support-answer")) != 0, waitMs);
        QVERIFY(!m_fx.idOf(QStringLiteral("support-reply")));
        QVERIFY(m_fx.section->editor()->findChild<QLabel *>()->text()
                    == QStringLiteral("support-answer")
                || m_fx.prompts->currentPromptName() == QStringLiteral("support-answer"));
        QCOMPARE(m_fx.history->model()->rowCount(), 3);
        // A taken name is refused in words.
        QSignalSpy error(m_fx.prompts.get(), &PromptsController::errorOccurred);
        m_fx.prompts->renamePrompt(m_fx.prompts->currentPromptId(),
                                   m_fx.prompts->listModel()->promptAt(0)->name
                                           == QStringLiteral("support-answer")
                                       ? m_fx.prompts->listModel()->promptAt(1)->name
                                       : m_fx.prompts->listModel()->promptAt(0)->name);
        QVERIFY(error.wait(waitMs));
        QVERIFY(error.first().first().toString().contains(QStringLiteral("is taken")));
    }

    void toolsAreEditedAsValidatedJson()
    {
        editor()->sideTabs()->setCurrentWidget(editor()->toolsEdit());
        JsonEdit *tools = editor()->toolsEdit();
        tools->editor()->setFocus();
        QTest::keyClicks(tools->editor(),
                         QStringLiteral("[{\"type\": \"function\", \"function\": {}}]"));
        QVERIFY(!tools->isValid());
        QVERIFY(tools->problem().contains(QStringLiteral("Tool 1 needs a name")));
        QVERIFY(editor()->blockingProblem().contains(QStringLiteral("tools")));
        tools->editor()->selectAll();
        QTest::keyClicks(
            tools->editor(),
            QStringLiteral(
                "[{\"name\": \"get_order\", \"input_schema\": {\"type\": \"object\"}}]"));
        QVERIFY(tools->isValid());
        QVERIFY(editor()->blockingProblem().isEmpty());
        QVERIFY(m_fx.prompts->content().tools);
        QVERIFY(save(QStringLiteral("tools")));
        m_fx.section->showHistory();
        QTRY_COMPARE_WITH_TIMEOUT(m_fx.history->model()->rowCount(), 4, waitMs);
        const auto diff = m_fx.history->diffWithParent(4);
        QVERIFY(diff);
        QVERIFY(diff->unified().contains(QStringLiteral("+    \"name\": \"get_order\"")));
    }
};

QTEST_MAIN(TestPromptWorkbench)
#include "test_prompt_workbench.moc"
