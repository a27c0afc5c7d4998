// The shell as a person meets it: a failed open that keeps the project working (defect 1),
// messages that never move controls (defect 11), read-only projects (defect 16), the menus,
// Ctrl+1…N, the command palette, themes and Settings.
#include "common/appsettings.h"
#include "common/designsystem.h"
#include "common/emptystate.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "common/settingsdialog.h"
#include "demo/demoproject.h"
#include "evals/datasetscontroller.h"
#include "evals/evalssections.h"
#include "playground/playground.h"
#include "playground/playgroundview.h"
#include "playground/runservices.h"
#include "prompts/promptlistmodel.h"
#include "prompts/promptscontroller.h"
#include "shell/commandpalette.h"
#include "shell/mainwindow.h"
#include "shell/projectcontroller.h"
#include "shell/workbench.h"
#include "storage/project.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>

using namespace ts;

namespace {
constexpr int waitMs = 15000;

QList<QAction *> menuActions(QMenuBar *bar)
{
    QList<QAction *> out;
    std::function<void(QMenu *)> walk = [&](QMenu *menu) {
        for (QAction *a : menu->actions()) {
            if (a->isSeparator() || !a->isVisible())
                continue;
            if (a->menu())
                walk(a->menu());
            else
                out << a;
        }
    };
    for (QAction *top : bar->actions())
        if (top->menu())
            walk(top->menu());
    return out;
}

QAction *findAction(QMenuBar *bar, const QString &plainText)
{
    for (QAction *a : menuActions(bar))
        if (plainActionText(a->text()) == plainText)
            return a;
    return nullptr;
}
} // namespace

class TestUiShell final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<Workbench> m_bench;

    bool openAndWait(const QString &path)
    {
        QSignalSpy opened(&m_bench->session(), &ProjectSession::projectOpened);
        QSignalSpy failed(&m_bench->session(), &ProjectSession::openFailed);
        m_bench->projects().open(path);
        return QTest::qWaitFor([&] { return opened.count() + failed.count() > 0; }, waitMs)
            && opened.count() == 1;
    }

    QString demoProject(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        if (!createDemoProject(path))
            return {};
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TouchstoneTest"));
        QCoreApplication::setApplicationName(QStringLiteral("touchstone-shell-test"));
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

    // Defect 1: choosing a CSV in File ▸ Open used to retire the run services of the project
    // that stays open; the playground then said "The project is still opening." until restart.
    void failedOpenKeepsTheOpenProjectWorking()
    {
        const QString path = demoProject(QStringLiteral("keep.touchstone"));
        QVERIFY(openAndWait(path));
        RunServices &services = m_bench->playground()->services();
        QTRY_VERIFY_WITH_TIMEOUT(services.engine() != nullptr, waitMs);

        QSignalSpy changing(&m_bench->session(), &ProjectSession::aboutToChangeProject);
        const QString csv = m_dir.filePath(QStringLiteral("cases.csv"));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("question,answer\nWhat is 2+2?,4\n");
        f.close();
        QVERIFY(!openAndWait(csv));

        QCOMPARE(changing.count(), 0);
        QVERIFY(services.engine() != nullptr);
        QVERIFY(m_bench->session().hasProject());
        QCOMPARE(m_bench->session().info()->path, QFileInfo(path).absoluteFilePath());
        QVERIFY(!m_bench->session().isBusy());
        // The error is said, and the project still answers: its prompts reload.
        QVERIFY(m_bench->window()->messageBar()->text().contains(QStringLiteral("cases.csv")));
        QSignalSpy refreshed(&m_bench->prompts(), &PromptsController::promptsRefreshed);
        m_bench->prompts().refresh();
        QVERIFY(refreshed.wait(waitMs));
        QVERIFY(m_bench->prompts().listModel()->rowCount() >= 3);
    }

    void openingAnotherProjectStillSwitchesCleanly()
    {
        QVERIFY(openAndWait(demoProject(QStringLiteral("first.touchstone"))));
        const QString second = m_dir.filePath(QStringLiteral("second.touchstone"));
        QVERIFY(Project::create(second));
        QSignalSpy changing(&m_bench->session(), &ProjectSession::aboutToChangeProject);
        QVERIFY(openAndWait(second));
        QCOMPARE(changing.count(), 1);
        QCOMPARE(m_bench->session().info()->path, QFileInfo(second).absoluteFilePath());
        QTRY_VERIFY_WITH_TIMEOUT(m_bench->playground()->services().engine() != nullptr, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_bench->prompts().listModel()->rowCount(), 0, waitMs);
    }

    // Defect 11: a banner used to push the page down under the pointer (a click meant for Run
    // toggled a checkbox). Messages float over the page; notices fade, errors stay.
    void messagesNeverMoveControls()
    {
        QWidget page;
        auto *layout = new QVBoxLayout(&page);
        auto *bar = new MessageBar(&page);
        layout->addWidget(bar); // as sections do
        auto *run = new QPushButton(QStringLiteral("Run"), &page);
        auto *reuse = new QCheckBox(QStringLiteral("Reuse cached answers"), &page);
        layout->addWidget(run);
        layout->addWidget(reuse);
        layout->addStretch();
        page.resize(700, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const QRect runBefore = run->geometry();
        const QRect reuseBefore = reuse->geometry();

        bar->showMessage(MessageBar::Kind::Error, QStringLiteral("Could not save: disk full"));
        bar->showMessage(MessageBar::Kind::Info, QStringLiteral("Imported 4 cases."));
        QApplication::processEvents();
        QVERIFY(bar->isVisible());
        QCOMPARE(run->geometry(), runBefore);
        QCOMPARE(reuse->geometry(), reuseBefore);
        // One message at a time, over the page, not over the controls at its top.
        QCOMPARE(page.findChildren<MessageBar *>().size(), 1);
        QCOMPARE(bar->text(), QStringLiteral("Imported 4 cases."));
        QVERIFY(!bar->geometry().intersects(run->geometry()));

        // A click where Run was lands on Run.
        QSignalSpy clicked(run, &QPushButton::clicked);
        QTest::mouseClick(run, Qt::LeftButton);
        QCOMPARE(clicked.count(), 1);
        QVERIFY(!reuse->isChecked());
    }

    void noticesFadeErrorsStay()
    {
        QWidget page;
        page.resize(600, 300);
        auto *bar = new MessageBar(&page);
        bar->setNoticeDuration(50);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTest::mouseMove(&page, QPoint(5, 5)); // not reading it: a notice under the pointer waits
        bar->showMessage(MessageBar::Kind::Info, QStringLiteral("Saved version 3"));
        QVERIFY(bar->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(bar->isHidden(), 5000);

        bar->showMessage(MessageBar::Kind::Error, QStringLiteral("The model answered 401"));
        QTest::qWait(400); // several notice durations
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->text(), QStringLiteral("The model answered 401"));
        bar->clear();
        QVERIFY(bar->isHidden());
    }

    void windowMessagesFloatOverThePages()
    {
        MainWindow *w = m_bench->window();
        w->resize(1200, 800);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        auto *stack = w->findChild<QStackedWidget *>();
        QVERIFY(stack);
        const QRect before = stack->geometry();
        w->messageBar()->showMessage(MessageBar::Kind::Error, QStringLiteral("Something failed"));
        QApplication::processEvents();
        QCOMPARE(stack->geometry(), before);
        QVERIFY(w->messageBar()->isVisible());
    }

    // Defect 16: a project the user cannot write was refused; it opens read-only instead.
    void readOnlyProjectOpensForBrowsing()
    {
        const QString path = demoProject(QStringLiteral("shared.touchstone"));
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup));
        QVERIFY(openAndWait(path));
        QVERIFY(m_bench->session().info()->readOnly);
        MainWindow *w = m_bench->window();
        QVERIFY(w->windowTitle().contains(QStringLiteral("read-only")));
        QVERIFY(!w->readOnlyBanner()->isHidden());
        QVERIFY(w->readOnlyBanner()->text().contains(QStringLiteral("Read-only")));
        // Browsing works: the prompts are listed.
        QTRY_VERIFY_WITH_TIMEOUT(m_bench->prompts().listModel()->rowCount() >= 3, waitMs);
        // Nothing that writes can be started, even when a section re-enables its action.
        QAction *newPrompt = findAction(w->menuBar(), QStringLiteral("New Prompt…"));
        QVERIFY(newPrompt);
        QVERIFY(!newPrompt->isEnabled());
        QAction *run = m_bench->playground()->view()->runAction();
        QVERIFY(!run->isEnabled());
        run->setEnabled(true);
        QVERIFY(!run->isEnabled());
        // Showing things still works.
        QVERIFY(findAction(w->menuBar(), QStringLiteral("History"))->isEnabled());
        QVERIFY(findAction(w->menuBar(), QStringLiteral("Command Palette…"))->isEnabled());

        // A writable project afterwards gets everything back.
        QVERIFY(openAndWait(demoProject(QStringLiteral("writable.touchstone"))));
        QVERIFY(!m_bench->session().info()->readOnly);
        QVERIFY(w->readOnlyBanner()->isHidden());
        QVERIFY(newPrompt->isEnabled());
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void ctrlNumberSwitchesSections()
    {
        MainWindow *w = m_bench->window();
        w->show();
        QVERIFY(QTest::qWaitForWindowActive(w));
        const QStringList ids = w->sectionIds();
        QVERIFY(ids.size() >= 4);
        QTest::keyClick(w, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(w->currentSection(), ids[2]);
        QTest::keyClick(w, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(w->currentSection(), ids[0]);
        QTest::keyClick(w, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(w->currentSection(), ids[1]);
    }

    void menusAreConventional()
    {
        QStringList titles;
        for (QAction *top : m_bench->window()->menuBar()->actions())
            titles << plainActionText(top->text());
        QCOMPARE(titles.value(0), QStringLiteral("File"));
        QCOMPARE(titles.value(1), QStringLiteral("Edit"));
        QCOMPARE(titles.value(2), QStringLiteral("View"));
        QCOMPARE(titles.last(), QStringLiteral("Help"));
        QVERIFY(titles.contains(QStringLiteral("Prompt")));
        MainWindow *w = m_bench->window();
        QVERIFY(findAction(w->menuBar(), QStringLiteral("Keyboard Shortcuts")));
        QVERIFY(findAction(w->menuBar(), QStringLiteral("About Touchstone")));
        QVERIFY(findAction(w->menuBar(), QStringLiteral("Settings…")));
        // The shortcut list names the palette and section keys.
        const QString list = w->shortcutListHtml();
        QVERIFY(list.contains(QStringLiteral("Command Palette")));
        QVERIFY(
            list.contains(QKeySequence(Qt::CTRL | Qt::Key_K).toString(QKeySequence::NativeText)));
        QVERIFY(list.contains(QStringLiteral("Prompts")));
    }

    void everyMenuActionHasAShortcutOrIsInThePalette()
    {
        QVERIFY(openAndWait(demoProject(QStringLiteral("all.touchstone"))));
        QTRY_VERIFY_WITH_TIMEOUT(m_bench->prompts().listModel()->rowCount() >= 3, waitMs);
        MainWindow *w = m_bench->window();
        QSet<QString> inPalette;
        for (const PaletteEntry &e : w->commandPalette()->entries())
            inPalette.insert(e.title);
        const QList<QAction *> actions = menuActions(w->menuBar());
        QVERIFY(actions.size() > 20);
        QStringList missing;
        for (QAction *a : actions) {
            const bool shortcut = !a->shortcut().isEmpty() || a->text().contains(QLatin1Char('\t'));
            if (!shortcut && !inPalette.contains(plainActionText(a->text())))
                missing << plainActionText(a->text());
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
        // And the palette has every one of them, shortcut or not.
        for (QAction *a : actions)
            QVERIFY2(inPalette.contains(plainActionText(a->text())), qPrintable(a->text()));
    }

    void commandPaletteFindsActionsPromptsAndDatasets()
    {
        QVERIFY(openAndWait(demoProject(QStringLiteral("find.touchstone"))));
        QTRY_VERIFY_WITH_TIMEOUT(m_bench->prompts().listModel()->rowCount() >= 3, waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!m_bench->evals()->datasets().datasets().isEmpty(), waitMs);
        MainWindow *w = m_bench->window();
        CommandPalette *palette = w->commandPalette();

        QList<PaletteEntry> found = palette->search(QStringLiteral("new prompt"));
        QVERIFY(!found.isEmpty());
        QCOMPARE(found.first().title, QStringLiteral("New Prompt…"));
        // Letters in order, starts of words first.
        found = palette->search(QStringLiteral("nwprm"));
        QVERIFY(!found.isEmpty());
        QCOMPARE(found.first().title, QStringLiteral("New Prompt…"));
        found = palette->search(QStringLiteral("extract"));
        QVERIFY(!found.isEmpty());
        QCOMPARE(found.first().title, QStringLiteral("extract-order"));
        QCOMPARE(found.first().kind, QStringLiteral("Prompt"));
        found = palette->search(QStringLiteral("tickets"));
        QVERIFY(!found.isEmpty());
        QCOMPARE(found.first().title, QStringLiteral("support-tickets"));
        QCOMPARE(found.first().kind, QStringLiteral("Dataset"));
        QVERIFY(palette->search(QStringLiteral("zzzqqq")).isEmpty());

        // Ctrl+K, type, Enter: the prompt opens in its section.
        w->show();
        QVERIFY(QTest::qWaitForWindowActive(w));
        w->showSection(QStringLiteral("playground"));
        QTest::keyClick(w, Qt::Key_K, Qt::ControlModifier);
        QTRY_VERIFY(palette->isVisible());
        QSignalSpy loaded(&m_bench->prompts(), &PromptsController::promptLoaded);
        QTest::keyClicks(palette->queryEdit(), QStringLiteral("headline"));
        QVERIFY(palette->resultList()->count() >= 1);
        QTest::keyClick(palette->queryEdit(), Qt::Key_Return);
        QVERIFY(!palette->isVisible());
        QCOMPARE(w->currentSection(), QStringLiteral("prompts"));
        QVERIFY(loaded.wait(waitMs));
        QCOMPARE(m_bench->prompts().content().messages.isEmpty(), false);

        // An action runs from the palette too.
        palette->popup();
        QTest::keyClicks(palette->queryEdit(), QStringLiteral("datasets"));
        QTest::keyClick(palette->queryEdit(), Qt::Key_Return);
        QCOMPARE(w->currentSection(), QStringLiteral("datasets"));
    }

    void themesSetEveryPaletteRoleAndStayReadable()
    {
        auto &themes = design::ThemeManager::instance();
        QSignalSpy changed(&themes, &design::ThemeManager::themeChanged);
        QList<QColor> windows;
        for (design::Theme theme : {design::Theme::Dark, design::Theme::Light}) {
            themes.apply(theme);
            const QPalette p = QApplication::palette();
            for (int g = 0; g < QPalette::NColorGroups; ++g)
                for (int r = 0; r < QPalette::NColorRoles; ++r) {
                    const auto group = QPalette::ColorGroup(g);
                    const auto role = QPalette::ColorRole(r);
                    if (role == QPalette::NoRole)
                        continue;
                    QVERIFY2(p.isBrushSet(group, role),
                             qPrintable(QStringLiteral("group %1 role %2").arg(g).arg(r)));
                }
            windows << p.color(QPalette::Window);
            // Text on its backgrounds: at least WCAG AA, body text AAA.
            QVERIFY(design::contrastRatio(p.color(QPalette::Text), p.color(QPalette::Base)) >= 7.0);
            QVERIFY(design::contrastRatio(p.color(QPalette::WindowText), p.color(QPalette::Window))
                    >= 7.0);
            QVERIFY(design::contrastRatio(p.color(QPalette::HighlightedText),
                                          p.color(QPalette::Highlight))
                    >= 4.5);
            QVERIFY(
                design::contrastRatio(p.color(QPalette::PlaceholderText), p.color(QPalette::Base))
                >= 3.0);
            QVERIFY(design::contrastRatio(p.color(QPalette::Inactive, QPalette::HighlightedText),
                                          p.color(QPalette::Inactive, QPalette::Highlight))
                    >= 4.5);
            const ThemeColors c = ThemeColors::fromPalette(p);
            QCOMPARE(c.dark, theme == design::Theme::Dark);
            for (Status s :
                 {Status::Pass, Status::Fail, Status::Warning, Status::Info, Status::Running}) {
                const QColor fg = c.status(s);
                QVERIFY2(design::contrastRatio(fg, p.color(QPalette::Base)) >= 4.5,
                         qPrintable(fg.name()));
                QVERIFY2(design::contrastRatio(fg, p.color(QPalette::Window)) >= 4.5,
                         qPrintable(fg.name()));
                // Text on a status banner reads too.
                QVERIFY(design::contrastRatio(p.color(QPalette::Text),
                                              c.statusBackground(s, p.color(QPalette::Base)))
                        >= 7.0);
            }
            QVERIFY(design::contrastRatio(c.muted, p.color(QPalette::Base)) >= 4.5);
            QVERIFY(design::contrastRatio(c.accent, p.color(QPalette::Base)) >= 4.5);
            QVERIFY(!qApp->styleSheet().isEmpty());
        }
        QCOMPARE(changed.count(), 2);
        QVERIFY(windows[0].lightness() < 80);
        QVERIFY(windows[1].lightness() > 200);
    }

    void bundledIconsAreCrispAtOneAndTwoTimes()
    {
        const QStringList names = design::bundledIconNames();
        QVERIFY(names.contains(QStringLiteral("document-open")));
        for (const QString &name : names) {
            const QIcon icon = design::icon(name);
            QVERIFY2(!icon.isNull(), qPrintable(name));
            // Without a desktop icon theme (as here), the SVG is drawn per scale: a 2x pixmap
            // has twice the pixels instead of being blown up.
            if (QIcon::hasThemeIcon(name))
                continue;
            const QPixmap one = icon.pixmap(QSize(16, 16), 1.0);
            const QPixmap two = icon.pixmap(QSize(16, 16), 2.0);
            QCOMPARE(one.size(), QSize(16, 16));
            QCOMPARE(two.size(), QSize(32, 32));
            QVERIFY2(!two.toImage().isNull() && two.toImage().pixelColor(16, 16).isValid(),
                     qPrintable(name));
        }
        // Drawn in the theme's text colour: a dark theme gets light strokes.
        design::ThemeManager::instance().apply(design::Theme::Dark);
        const QImage dark = design::icon(QStringLiteral("window-close")).pixmap(48, 48).toImage();
        int lightPixels = 0;
        for (int y = 0; y < dark.height(); ++y)
            for (int x = 0; x < dark.width(); ++x)
                if (dark.pixelColor(x, y).alpha() > 200 && dark.pixelColor(x, y).lightness() > 180)
                    ++lightPixels;
        QVERIFY(lightPixels > 20);
        design::ThemeManager::instance().apply(design::Theme::Light);
    }

    void emptyStateHasOneClearAction()
    {
        EmptyState empty;
        empty.setContent(QStringLiteral("document-edit"), QStringLiteral("No prompts yet"),
                         QStringLiteral("A prompt is a versioned template you run on models."));
        empty.setAction(QStringLiteral("New Prompt…"));
        QSignalSpy triggered(&empty, &EmptyState::actionTriggered);
        empty.resize(500, 400);
        empty.show();
        QVERIFY(QTest::qWaitForWindowExposed(&empty));
        QCOMPARE(empty.findChildren<QPushButton *>().size(), 1);
        QTest::mouseClick(empty.actionButton(), Qt::LeftButton);
        QCOMPARE(triggered.count(), 1);
        // The title is larger than the explanation, which is secondary.
        const auto labels = empty.findChildren<QLabel *>();
        QFont titleFont, textFont;
        for (QLabel *l : labels) {
            if (l->text() == empty.title())
                titleFont = l->font();
            if (l->text() == empty.text())
                textFont = l->font();
        }
        QVERIFY(titleFont.pointSizeF() > textFont.pointSizeF());
    }

    void settingsNameThemeConcurrencyAndKeychain()
    {
        qunsetenv("TOUCHSTONE_AUTHOR");
        SettingsDialog dialog(*m_settings, m_bench->window());
        dialog.nameEdit()->setText(QStringLiteral("Ada Lovelace"));
        dialog.themeBox()->setCurrentIndex(dialog.themeBox()->findData(QStringLiteral("dark")));
        QVERIFY(design::ThemeManager::instance().isDark()); // previewed as chosen
        dialog.concurrencyBox()->setValue(12);
        dialog.keychainBox()->setChecked(false);
        dialog.accept();
        QCOMPARE(currentAuthor(), QStringLiteral("Ada Lovelace"));
        QCOMPARE(m_settings->annotatorName(), QStringLiteral("Ada Lovelace"));
        QCOMPARE(m_settings->theme(), QStringLiteral("dark"));
        QCOMPARE(m_settings->defaultConcurrency(), 12);
        QVERIFY(!m_settings->useKeychain());
        QVERIFY(qEnvironmentVariableIsSet("TOUCHSTONE_NO_KEYCHAIN"));

        // Cancel puts the saved theme back after a preview.
        SettingsDialog again(*m_settings, m_bench->window());
        again.themeBox()->setCurrentIndex(again.themeBox()->findData(QStringLiteral("light")));
        QVERIFY(!design::ThemeManager::instance().isDark());
        again.reject();
        QVERIFY(design::ThemeManager::instance().isDark());

        // An empty name goes back to the account name, never "unknown" on a Unix desktop.
        m_settings->setAnnotatorName(QString());
        SettingsDialog::apply(*m_settings);
        QVERIFY(currentAuthor() != QStringLiteral("Ada Lovelace"));
        m_settings->setTheme(QStringLiteral("light"));
        SettingsDialog::apply(*m_settings);
    }
};

QTEST_MAIN(TestUiShell)
#include "test_ui_shell.moc"
