#include "uifixture.h"

#include "history/diffview.h"
#include "history/historyview.h"
#include "history/versionlistmodel.h"
#include "prompts/messageeditor.h"
#include "prompts/prompteditor.h"
#include "prompts/templatetextedit.h"

#include "storage/project.h"

#include <QAbstractItemModelTester>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QTextBlock>
#include <QTreeWidget>

using namespace ts;
using namespace ts::test;

class TestUiHistory final : public QObject
{
    Q_OBJECT

private:
    PromptsFixture m_fx;
    VersionListModel *versions() const { return m_fx.history->model(); }

    bool saveWithNote(const QString &note)
    {
        QSignalSpy saved(m_fx.prompts.get(), &PromptsController::versionSaved);
        m_fx.prompts->saveVersion(note);
        return saved.wait(waitMs);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_fx.create());
        QVERIFY(m_fx.start());
        m_fx.section->resize(1200, 800);
        m_fx.section->show();
        QVERIFY(m_fx.select(QStringLiteral("support-reply")));
        QTRY_COMPARE_WITH_TIMEOUT(versions()->rowCount(), 3, waitMs);
    }

    void cleanup() { m_fx.stop(); }

    void savingCreatesAVersionAndIdenticalContentSaysSo()
    {
        MessageEditor *last = m_fx.section->editor()->messageEditors().last();
        last->textEdit()->setPlainText(
            QStringLiteral("Customer message:\n{{message}}\nReply in {{language}}."));
        QVERIFY(m_fx.prompts->isDirty());
        QVERIFY(saveWithNote(QStringLiteral("Reply in the customer's language")));
        QVERIFY(!m_fx.prompts->isDirty());
        QCOMPARE(m_fx.prompts->baseVersion(), std::optional<int>(4));
        QTRY_COMPARE_WITH_TIMEOUT(versions()->rowCount(), 4, waitMs);
        QCOMPARE(versions()->versions().first().note,
                 QStringLiteral("Reply in the customer's language"));
        QVERIFY(!versions()->versions().first().author.isEmpty());

        QSignalSpy notice(m_fx.prompts.get(), &PromptsController::notice);
        QSignalSpy saved(m_fx.prompts.get(), &PromptsController::versionSaved);
        m_fx.prompts->saveVersion(QStringLiteral("again"));
        QVERIFY(notice.wait(waitMs));
        QVERIFY(notice.last().first().toString().startsWith(QStringLiteral("No changes to save")));
        QCOMPARE(saved.count(), 0);
        QCOMPARE(versions()->rowCount(), 4);
    }

    void twoSelectedVersionsShowAColouredDiff()
    {
        HistoryView *view = m_fx.section->historyView();
        view->selectVersions({1, 3});
        QCOMPARE(view->selectedVersions(), (QList<int> {1, 3}));
        const QString text = view->diffView()->toPlainText();
        QVERIFY(text.startsWith(QStringLiteral("support-reply@1  →  support-reply@3")));
        QVERIFY(text.contains(QStringLiteral("+ Sign as {{agent}}.")));
        QVERIFY(text.contains(QStringLiteral("- temperature: 0.7")));
        QVERIFY(text.contains(QStringLiteral("+ temperature: 0.3")));
        QVERIFY(view->diffView()->addedLines() > 0);
        QVERIFY(view->diffView()->removedLines() > 0);

        // Added and removed lines carry their own background colours.
        QTextBlock added, removed;
        for (QTextBlock b = view->diffView()->document()->begin(); b.isValid(); b = b.next()) {
            if (b.text().contains(QStringLiteral("+ Sign as")))
                added = b;
            if (b.text().contains(QStringLiteral("- temperature")))
                removed = b;
        }
        QVERIFY(added.isValid() && removed.isValid());
        QVERIFY(added.blockFormat().background().style() != Qt::NoBrush);
        QVERIFY(added.blockFormat().background() != removed.blockFormat().background());

        // One version compares with its parent.
        view->selectVersions({3});
        QVERIFY(view->diffView()->toPlainText().startsWith(
            QStringLiteral("support-reply@2  →  support-reply@3")));
    }

    void labelsCanBeSetMovedAndRemovedWithHistory()
    {
        QCOMPARE(versions()->version(2)->labels, QStringList {QStringLiteral("production")});
        QSignalSpy changed(m_fx.history.get(), &HistoryController::labelsChanged);
        QSignalSpy loaded(m_fx.history.get(), &HistoryController::versionsLoaded);
        m_fx.history->setLabel(QStringLiteral("production"), 3);
        QVERIFY(changed.wait(waitMs));
        QTRY_VERIFY_WITH_TIMEOUT(
            versions()->version(3)->labels.contains(QStringLiteral("production")), waitMs);
        QVERIFY(!versions()->version(2)->labels.contains(QStringLiteral("production")));
        const LabelMove move = m_fx.history->labelMoves().first();
        QCOMPARE(move.label, QStringLiteral("production"));
        QCOMPARE(move.fromVersion, std::optional<int>(2));
        QCOMPARE(move.toVersion, std::optional<int>(3));
        QTreeWidget *moves = m_fx.section->historyView()->labelMovesView();
        QTRY_VERIFY_WITH_TIMEOUT(moves->topLevelItemCount() >= 3, waitMs);
        QCOMPARE(moves->topLevelItem(0)->text(1), QStringLiteral("v2 → v3"));

        m_fx.history->removeLabel(QStringLiteral("staging"));
        QTRY_VERIFY_WITH_TIMEOUT(
            !versions()->version(3)->labels.contains(QStringLiteral("staging")), waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(moves->topLevelItem(0)->text(1),
                                  QStringLiteral("removed from v3"), waitMs);

        QSignalSpy errors(m_fx.history.get(), &HistoryController::errorOccurred);
        m_fx.history->setLabel(QStringLiteral("bad label!"), 1);
        QCOMPARE(errors.count(), 1);
    }

    void restoreMakesANewVersionAndReloadsTheEditor()
    {
        const PromptContent v1 = versions()->version(1)->content;
        QSignalSpy restored(m_fx.history.get(), &HistoryController::restored);
        m_fx.history->restore(1);
        QVERIFY(restored.wait(waitMs));
        QCOMPARE(restored.first().first().toInt(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(versions()->rowCount(), 4, waitMs);
        QCOMPARE(versions()->versions().first().note, QStringLiteral("Restored from version 1"));
        QTRY_VERIFY_WITH_TIMEOUT(m_fx.prompts->content() == v1, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_fx.section->editor()->messageEditors().size(),
                                  int(v1.messages.size()), waitMs);
        QVERIFY(!m_fx.prompts->isDirty());
    }

    void generationsHookListsRunsOfTheVersion()
    {
        QSignalSpy rows(m_fx.history.get(), &HistoryController::generationsLoaded);
        m_fx.history->loadGenerations(3);
        QVERIFY(rows.wait(waitMs));
        QCOMPARE(rows.last().at(0).toInt(), 3);
        // The demo has no runs yet: the list is empty and the view says why.
        QVERIFY(rows.last().at(1).value<QList<GenerationSummary>>().isEmpty());
    }

    void generationsComePagedNewestFirstWithTheirCount()
    {
        // 450 generations of version 3 in three runs: pages of 200 as the list scrolls, the
        // tab telling how many there are in all.
        const qint64 versionId = versions()->version(3)->id;
        {
            auto project = Project::open(m_fx.path);
            QVERIFY(project);
            Database &db = project->db();
            QVERIFY(db.exec(QStringLiteral("BEGIN")));
            for (int run = 0; run < 3; ++run) {
                QVERIFY(db.exec(QStringLiteral("INSERT INTO runs(kind, prompt_version_id, status, "
                                               "created_at) VALUES ('playground', %1, 'completed', "
                                               "'2026-01-0%2T10:00:00.000Z')")
                                    .arg(versionId)
                                    .arg(run + 1)));
                const qint64 runId = db.lastInsertId();
                QVERIFY(
                    db.exec(QStringLiteral(
                                "WITH RECURSIVE c(x) AS (VALUES(0) UNION ALL SELECT x + 1 FROM c "
                                "WHERE x < 149) INSERT INTO generations(run_id, sample_index, "
                                "output, created_at) SELECT %1, x, 'answer %2-' || x, "
                                "printf('2026-01-0%2T10:%02d:%02d.000Z', x / 60, x % 60) FROM c")
                                .arg(runId)
                                .arg(run + 1)));
            }
            QVERIFY(db.exec(QStringLiteral("COMMIT")));
        }
        m_fx.section->showHistory();
        HistoryView *view = m_fx.section->historyView();
        QTreeWidget *list = view->generationsView();
        QAbstractItemModelTester tester(list->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *tabs = qobject_cast<QTabWidget *>(list->parentWidget()->parentWidget());
        QVERIFY(tabs);
        tabs->setCurrentWidget(list);
        view->selectVersions({1}); // version 3 was selected before the rows existed
        view->selectVersions({3});
        QTRY_COMPARE_WITH_TIMEOUT(list->topLevelItemCount(), 200, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(tabs->tabText(tabs->indexOf(list)),
                                  QStringLiteral("Generations (200 of 450)"), waitMs);
        // Newest run first, its newest generation first.
        QCOMPARE(list->topLevelItem(0)->text(3), QStringLiteral("answer 3-149"));
        QCOMPARE(list->topLevelItem(150)->text(3), QStringLiteral("answer 2-149"));

        QTRY_VERIFY_WITH_TIMEOUT(list->verticalScrollBar()->maximum() > 0, waitMs);
        list->verticalScrollBar()->setValue(list->verticalScrollBar()->maximum());
        QTRY_COMPARE_WITH_TIMEOUT(list->topLevelItemCount(), 400, waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(list->verticalScrollBar()->value()
                                     < list->verticalScrollBar()->maximum(),
                                 waitMs);
        list->verticalScrollBar()->setValue(list->verticalScrollBar()->maximum());
        QTRY_COMPARE_WITH_TIMEOUT(list->topLevelItemCount(), 450, waitMs);
        QCOMPARE(list->topLevelItem(449)->text(3), QStringLiteral("answer 1-0"));
        QCOMPARE(tabs->tabText(tabs->indexOf(list)), QStringLiteral("Generations (450)"));
        QVERIFY(!m_fx.history->hasMoreGenerations());
    }
};

QTEST_MAIN(TestUiHistory)
#include "test_ui_history.moc"
