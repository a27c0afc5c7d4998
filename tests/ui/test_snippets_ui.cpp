// Snippets in the Prompts section: created and edited like prompts, included with {{> name}},
// rendered in the preview, a missing one marked at its tag, and a change showing in the
// lineage (History) of every prompt using it.
#include "uifixture.h"

#include "history/historyview.h"
#include "history/versionlistmodel.h"
#include "prompts/messageeditor.h"
#include "prompts/previewpane.h"
#include "prompts/prompteditor.h"
#include "prompts/templatetextedit.h"
#include "runs/promptrenderer.h"

#include <QLabel>
#include <QListView>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>

using namespace ts;
using namespace ts::test;

class TestSnippetsUi final : public QObject
{
    Q_OBJECT

private:
    PromptsFixture m_fx;
    PromptEditor *editor() const { return m_fx.section->editor(); }

    bool save(const QString &note)
    {
        QSignalSpy saved(m_fx.prompts.get(), &PromptsController::versionSaved);
        m_fx.prompts->saveVersion(note);
        return saved.wait(waitMs);
    }

    void setText(int message, const QString &text)
    {
        TemplateTextEdit *edit = editor()->messageEditors().at(message)->textEdit();
        edit->selectAll();
        edit->setFocus();
        QTest::keyClick(edit, Qt::Key_Delete);
        QTest::keyClicks(edit, text);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_fx.create());
        QVERIFY(m_fx.start());
        m_fx.section->resize(1300, 850);
        m_fx.section->show();
    }

    void cleanup() { m_fx.stop(); }

    void aSnippetIsWrittenUsedAndTracked()
    {
        // A new snippet: one text, no roles, no parameters.
        QSignalSpy loaded(m_fx.prompts.get(), &PromptsController::promptLoaded);
        m_fx.prompts->createSnippet(QStringLiteral("tone"));
        QTRY_COMPARE_WITH_TIMEOUT(m_fx.prompts->currentPromptName(), QStringLiteral("tone"),
                                  waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_fx.prompts->isSnippet() && editor()->messageEditors().size() == 1, waitMs);
        QVERIFY(editor()->messageEditors().first()->removeButton()->isHidden());
        QVERIFY(!editor()->sideTabs()->isTabVisible(1)); // Parameters
        setText(0, QStringLiteral("Be warm and brief."));
        QVERIFY(save(QStringLiteral("first")));
        // The list shows it under its own heading, after the prompts.
        const int row = m_fx.prompts->listModel()->rowOf(m_fx.prompts->currentPromptId());
        QVERIFY(m_fx.prompts->listModel()->index(row).data(PromptListModel::SnippetRole).toBool());
        QCOMPARE(row, m_fx.prompts->listModel()->rowCount() - 1);

        // A prompt includes it: the preview shows its text.
        QVERIFY(m_fx.select(QStringLiteral("support-reply")));
        TemplateTextEdit *system = editor()->messageEditors().first()->textEdit();
        system->setFocus();
        system->moveCursor(QTextCursor::End);
        QTest::keyClick(system, Qt::Key_Return);
        QTest::keyClicks(system, QStringLiteral("{{> tone}}"));
        QTRY_VERIFY_WITH_TIMEOUT(
            editor()->previewPane()->plainText().contains(QStringLiteral("Be warm and brief.")),
            waitMs);

        // A missing snippet is an error at its tag, not an empty string.
        QTest::keyClicks(system, QStringLiteral(" {{> signature}}"));
        MessageEditor *first = editor()->messageEditors().first();
        QTRY_VERIFY_WITH_TIMEOUT(!first->errorLabel()->isHidden(), waitMs);
        QVERIFY2(
            first->errorLabel()->text().contains(QStringLiteral("No snippet named \"signature\"")),
            qPrintable(first->errorLabel()->text()));
        QVERIFY(first->errorLabel()->text().startsWith(QStringLiteral("Line 7, column 12")));
        QVERIFY(editor()->errorSummary().contains(QStringLiteral("No snippet named")));
        auto rendered = renderPrompt(m_fx.prompts->content(), m_fx.prompts->variableValues());
        QVERIFY(!rendered);
        for (int i = 0; i < 16; ++i)
            QTest::keyClick(system, Qt::Key_Backspace);
        QTRY_VERIFY_WITH_TIMEOUT(first->errorLabel()->isHidden(), waitMs);
        QVERIFY(save(QStringLiteral("uses tone")));
        const qint64 promptId = m_fx.prompts->currentPromptId();

        // Changing the snippet makes a new version of the prompt, visible in its History.
        QVERIFY(m_fx.select(QStringLiteral("tone")));
        setText(0, QStringLiteral("Be warm, brief and exact."));
        QSignalSpy dependents(m_fx.prompts.get(), &PromptsController::dependentsUpdated);
        QVERIFY(save(QStringLiteral("exact")));
        QTRY_COMPARE_WITH_TIMEOUT(dependents.count(), 1, waitMs);
        // The snippet's History says which prompt versions render with each version.
        m_fx.section->showHistory();
        HistoryView *history = m_fx.section->historyView();
        QTRY_COMPARE_WITH_TIMEOUT(m_fx.history->model()->rowCount(), 2, waitMs);
        history->selectVersions({2});
        QTRY_COMPARE_WITH_TIMEOUT(history->usedByView()->topLevelItemCount(), 1, waitMs);
        QCOMPARE(history->usedByView()->topLevelItem(0)->text(0), QStringLiteral("support-reply"));
        QCOMPARE(history->usedByView()->topLevelItem(0)->text(1), QStringLiteral("v5"));

        QSignalSpy promptLoaded(m_fx.prompts.get(), &PromptsController::promptLoaded);
        m_fx.prompts->selectPrompt(promptId);
        QVERIFY(promptLoaded.wait(waitMs));
        QTRY_COMPARE_WITH_TIMEOUT(m_fx.history->model()->rowCount(), 5, waitMs);
        const PromptVersion latest = m_fx.history->model()->versions().first();
        QCOMPARE(latest.note, QStringLiteral("Snippet \"tone\" v2"));
        history->selectVersions({5});
        const auto diff = m_fx.history->diffWithParent(5);
        QVERIFY(diff);
        QVERIFY(diff->unified().contains(QStringLiteral("snippet \"tone\" (v1 → v2)")));
        QVERIFY(diff->unified().contains(QStringLiteral("+Be warm, brief and exact.")));
        // The editor previews the new text.
        QTRY_VERIFY_WITH_TIMEOUT(
            editor()->previewPane()->plainText().contains(QStringLiteral("brief and exact")),
            waitMs);
    }
};

QTEST_MAIN(TestSnippetsUi)
#include "test_snippets_ui.moc"
