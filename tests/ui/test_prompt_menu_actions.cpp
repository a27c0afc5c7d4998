// New Snippet, Rename Prompt and Discard Draft are reachable from the Prompt menu and the
// command palette (Ctrl+K), offered only when they can work, and do what they say.
#include "common/appsettings.h"
#include "common/projectsession.h"
#include "demo/demoproject.h"
#include "prompts/promptlistmodel.h"
#include "prompts/promptscontroller.h"
#include "shell/commandpalette.h"
#include "shell/mainwindow.h"
#include "shell/projectcontroller.h"
#include "shell/workbench.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace ts;

namespace {
constexpr int waitMs = 15000;

QAction *promptMenuAction(QMenuBar *bar, const QString &plainText)
{
    for (QAction *top : bar->actions())
        if (top->menu() && plainActionText(top->text()) == QLatin1String("Prompt"))
            for (QAction *a : top->menu()->actions())
                if (plainActionText(a->text()) == plainText)
                    return a;
    return nullptr;
}

/// Answers the next modal dialog: types `text` into an input dialog and accepts it, or
/// presses the button of a message box whose role is `role`.
void answerNextDialog(QObject *context, const QString &text,
                      QMessageBox::StandardButton button = QMessageBox::NoButton)
{
    auto *timer = new QTimer(context);
    timer->setInterval(50);
    QObject::connect(timer, &QTimer::timeout, context, [timer, text, button] {
        QWidget *modal = QApplication::activeModalWidget();
        if (auto *input = qobject_cast<QInputDialog *>(modal)) {
            timer->deleteLater();
            timer->stop();
            input->setTextValue(text);
            input->accept();
        } else if (auto *box = qobject_cast<QMessageBox *>(modal)) {
            timer->deleteLater();
            timer->stop();
            if (QAbstractButton *b = box->button(button))
                b->click();
            else
                box->reject();
        }
    });
    timer->start();
}
} // namespace

class TestPromptMenuActions final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<Workbench> m_bench;

    qint64 idOf(const QString &name) const
    {
        PromptListModel *list = m_bench->prompts().listModel();
        for (int row = 0; row < list->rowCount(); ++row)
            if (list->promptAt(row)->name == name)
                return list->promptAt(row)->id;
        return 0;
    }

    /// Runs the palette entry titled `title` as Ctrl+K, typing and Enter would.
    bool activateFromPalette(const QString &title)
    {
        CommandPalette *palette = m_bench->window()->commandPalette();
        for (const PaletteEntry &e : palette->search(title))
            if (e.title == title && e.kind == QLatin1String("Action")) {
                e.activate();
                return true;
            }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TouchstoneTest"));
        QCoreApplication::setApplicationName(QStringLiteral("touchstone-prompt-menu-test"));
    }

    void init()
    {
        m_settings = std::make_unique<AppSettings>(m_dir.filePath(QStringLiteral("settings.ini")));
        m_bench = std::make_unique<Workbench>(*m_settings);
        const QString path = m_dir.filePath(QStringLiteral("menu.touchstone"));
        QFile::remove(path);
        QVERIFY(createDemoProject(path));
        QSignalSpy opened(&m_bench->session(), &ProjectSession::projectOpened);
        m_bench->projects().open(path);
        QVERIFY(opened.wait(waitMs));
        QTRY_VERIFY_WITH_TIMEOUT(m_bench->prompts().listModel()->rowCount() >= 3, waitMs);
        m_bench->window()->resize(1200, 800);
        m_bench->window()->show();
    }

    void cleanup()
    {
        m_bench.reset();
        m_settings.reset();
    }

    void theThreeActionsAreInThePromptMenuAndThePalette()
    {
        QMenuBar *bar = m_bench->window()->menuBar();
        for (const QString &title :
             {QStringLiteral("New Snippet…"), QStringLiteral("Rename Prompt…"),
              QStringLiteral("Discard Draft…")}) {
            QVERIFY2(promptMenuAction(bar, title), qPrintable(title));
            bool found = false;
            for (const PaletteEntry &e : m_bench->window()->commandPalette()->entries())
                found = found || e.title == title;
            QVERIFY2(found, qPrintable(title));
        }
        // Fuzzy search finds them first.
        QCOMPARE(
            m_bench->window()->commandPalette()->search(QStringLiteral("new snip")).value(0).title,
            QStringLiteral("New Snippet…"));
        QCOMPARE(m_bench->window()
                     ->commandPalette()
                     ->search(QStringLiteral("rename prompt"))
                     .value(0)
                     .title,
                 QStringLiteral("Rename Prompt…"));
        QCOMPARE(m_bench->window()
                     ->commandPalette()
                     ->search(QStringLiteral("discard draft"))
                     .value(0)
                     .title,
                 QStringLiteral("Discard Draft…"));
        // Rename needs a selected prompt, Discard unsaved changes.
        QVERIFY(promptMenuAction(bar, QStringLiteral("New Snippet…"))->isEnabled());
        QVERIFY(!promptMenuAction(bar, QStringLiteral("Rename Prompt…"))->isEnabled());
        QVERIFY(!promptMenuAction(bar, QStringLiteral("Discard Draft…"))->isEnabled());
    }

    void newSnippetFromThePaletteCreatesOne()
    {
        QSignalSpy created(&m_bench->prompts(), &PromptsController::promptCreated);
        answerNextDialog(this, QStringLiteral("signature"));
        QVERIFY(activateFromPalette(QStringLiteral("New Snippet…")));
        QVERIFY(created.count() > 0 || created.wait(waitMs));
        QCOMPARE(m_bench->window()->currentSection(), QStringLiteral("prompts"));
        QTRY_VERIFY_WITH_TIMEOUT(idOf(QStringLiteral("signature")) != 0, waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_bench->prompts().isSnippet(), waitMs);
    }

    void renamePromptFromTheMenuRenamesTheSelectedOne()
    {
        const qint64 id = idOf(QStringLiteral("support-reply"));
        QVERIFY(id);
        QSignalSpy loaded(&m_bench->prompts(), &PromptsController::promptLoaded);
        m_bench->prompts().selectPrompt(id);
        QVERIFY(loaded.wait(waitMs));
        QAction *rename
            = promptMenuAction(m_bench->window()->menuBar(), QStringLiteral("Rename Prompt…"));
        QVERIFY(rename->isEnabled());
        QSignalSpy renamed(&m_bench->prompts(), &PromptsController::promptRenamed);
        answerNextDialog(this, QStringLiteral("support-answer"));
        rename->trigger();
        QVERIFY(renamed.count() > 0 || renamed.wait(waitMs));
        QCOMPARE(renamed.first().at(0).toLongLong(), id);
        QTRY_COMPARE_WITH_TIMEOUT(idOf(QStringLiteral("support-answer")), id, waitMs);
        QCOMPARE(idOf(QStringLiteral("support-reply")), 0);
    }

    void discardDraftFromThePaletteGoesBackToTheVersion()
    {
        QSignalSpy loaded(&m_bench->prompts(), &PromptsController::promptLoaded);
        m_bench->prompts().selectPrompt(idOf(QStringLiteral("support-reply")));
        QVERIFY(loaded.wait(waitMs));
        QAction *discard
            = promptMenuAction(m_bench->window()->menuBar(), QStringLiteral("Discard Draft…"));
        QVERIFY(!discard->isEnabled());
        const QString saved = m_bench->prompts().content().messages.first().text;
        PromptContent edited = m_bench->prompts().content();
        edited.messages.first().text = QStringLiteral("Answer in French only.");
        m_bench->prompts().setContent(edited);
        QVERIFY(m_bench->prompts().isDirty());
        QVERIFY(discard->isEnabled());

        loaded.clear();
        answerNextDialog(this, QString(), QMessageBox::Discard);
        QVERIFY(activateFromPalette(QStringLiteral("Discard Draft…")));
        QTRY_VERIFY_WITH_TIMEOUT(!m_bench->prompts().isDirty(), waitMs);
        QCOMPARE(m_bench->prompts().content().messages.first().text, saved);
        QVERIFY(!discard->isEnabled());
    }
};

QTEST_MAIN(TestPromptMenuActions)
#include "test_prompt_menu_actions.moc"
