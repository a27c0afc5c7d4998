#include "common/appsettings.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "demo/demoproject.h"
#include "prompts/promptlistmodel.h"
#include "prompts/promptscontroller.h"
#include "shell/mainwindow.h"
#include "shell/projectcontroller.h"
#include "shell/workbench.h"
#include "storage/project.h"

#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {
constexpr int waitMs = 15000;
}

class TestUiProjectWindow final : public QObject
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

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(bytes);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TouchstoneTest"));
        QCoreApplication::setApplicationName(QStringLiteral("touchstone-ui-test"));
    }

    void init()
    {
        static int n = 0;
        m_settings = std::make_unique<AppSettings>(m_dir.filePath(QStringLiteral("settings%1.ini").arg(++n)));
        m_bench = std::make_unique<Workbench>(*m_settings);
    }

    void cleanup()
    {
        m_bench.reset();
        m_settings.reset();
    }

    void notAProjectShowsTheCoresMessage()
    {
        const QString path = writeFile(QStringLiteral("notes.touchstone"), "These are my notes, not a database.\n");
        const auto expected = Project::open(path);
        QVERIFY(!expected);
        QVERIFY(!openAndWait(path));
        MessageBar *bar = m_bench->window()->messageBar();
        QTRY_VERIFY_WITH_TIMEOUT(!bar->isHidden(), waitMs);
        QCOMPARE(bar->kind(), MessageBar::Kind::Error);
        QVERIFY2(bar->text().contains(expected.error().message), qPrintable(bar->text()));
        QVERIFY(bar->text().contains(QStringLiteral("notes.touchstone")));
        QVERIFY(!m_bench->session().hasProject());
    }

    void missingFileShowsTheCoresMessage()
    {
        const QString path = m_dir.filePath(QStringLiteral("gone.touchstone"));
        const auto expected = Project::open(path);
        QVERIFY(!expected);
        QVERIFY(!openAndWait(path));
        QTRY_VERIFY_WITH_TIMEOUT(m_bench->window()->messageBar()->text().contains(expected.error().message), waitMs);
    }

    void openingAProjectSetsTitleAndRecentFiles()
    {
        const QString path = m_dir.filePath(QStringLiteral("team.touchstone"));
        QVERIFY(Project::create(path));
        QVERIFY(openAndWait(path));
        QVERIFY(m_bench->window()->windowTitle().startsWith(QStringLiteral("team")));
        QVERIFY(m_bench->window()->demoBanner()->isHidden());
        QCOMPARE(m_settings->recentFiles().value(0), QFileInfo(path).absoluteFilePath());
        QCOMPARE(m_settings->lastProject(), QFileInfo(path).absoluteFilePath());

        // A failed open afterwards keeps the open project.
        const QString bad = writeFile(QStringLiteral("bad.touchstone"), QByteArray(4096, 'x'));
        QVERIFY(!openAndWait(bad));
        QVERIFY(m_bench->session().hasProject());
        QCOMPARE(m_bench->session().info()->path, QFileInfo(path).absoluteFilePath());
    }

    void demoIsCreatedNamedAndBannered()
    {
        QFile::remove(AppSettings::demoProjectPath());
        QSignalSpy opened(&m_bench->session(), &ProjectSession::projectOpened);
        m_bench->start(QString(), true);
        QVERIFY(opened.wait(waitMs));
        QVERIFY(QFileInfo::exists(AppSettings::demoProjectPath()));
        QVERIFY(m_bench->session().info()->demo);
        QVERIFY(m_bench->window()->windowTitle().contains(QStringLiteral("(demo)")));
        QVERIFY(!m_bench->window()->demoBanner()->isHidden());
        QVERIFY(m_bench->window()->demoBanner()->text().contains(QStringLiteral("Demo project")));
        QVERIFY(m_bench->window()->demoBanner()->text().contains(QFileInfo(AppSettings::demoProjectPath()).fileName()));
        QTRY_VERIFY_WITH_TIMEOUT(m_bench->prompts().listModel()->rowCount() >= 3, waitMs);
        // The demo does not crowd the recent projects.
        QVERIFY(m_settings->recentFiles().isEmpty());
    }

    void unsavedChangesMarkTheTitle()
    {
        const QString path = m_dir.filePath(QStringLiteral("marks.touchstone"));
        QVERIFY(createDemoProject(path));
        QVERIFY(openAndWait(path));
        QTRY_VERIFY_WITH_TIMEOUT(m_bench->prompts().listModel()->rowCount() >= 3, waitMs);
        QSignalSpy loaded(&m_bench->prompts(), &PromptsController::promptLoaded);
        m_bench->prompts().selectPrompt(m_bench->prompts().listModel()->promptAt(0)->id);
        QVERIFY(loaded.wait(waitMs));
        QVERIFY(!m_bench->window()->isWindowModified());
        PromptContent c = m_bench->prompts().content();
        c.params.seed = 7;
        m_bench->prompts().setContent(c);
        QVERIFY(m_bench->window()->isWindowModified());
    }

    void sectionsCanBeAddedByOtherAreas()
    {
        MainWindow *w = m_bench->window();
        // Only sections that work are shown, prompts first.
        const QStringList installed = w->sectionIds();
        QCOMPARE(installed.first(), QStringLiteral("prompts"));
        QVERIFY(installed.contains(QStringLiteral("playground")));
        QCOMPARE(w->currentSection(), QStringLiteral("prompts"));
        auto *page = new QLabel(QStringLiteral("Extra"));
        QCOMPARE(w->addSection(QStringLiteral("extra"), QStringLiteral("Extra"), QIcon(), page),
                 int(installed.size()));
        QVERIFY(w->showSection(QStringLiteral("extra")));
        QCOMPARE(w->currentSection(), QStringLiteral("extra"));
        QVERIFY(page->isVisibleTo(w));
        QVERIFY(!w->showSection(QStringLiteral("nope")));
    }

    void settingsRememberRecentFilesInOrder()
    {
        for (int i = 0; i < AppSettings::maxRecentFiles + 2; ++i)
            m_settings->addRecentFile(m_dir.filePath(QStringLiteral("p%1.touchstone").arg(i)));
        m_settings->addRecentFile(m_dir.filePath(QStringLiteral("p5.touchstone")));
        const QStringList recent = m_settings->recentFiles();
        QCOMPARE(recent.size(), AppSettings::maxRecentFiles);
        QVERIFY(recent.first().endsWith(QStringLiteral("p5.touchstone")));
        QCOMPARE(recent.count(m_dir.filePath(QStringLiteral("p5.touchstone"))), 1);
    }
};

QTEST_MAIN(TestUiProjectWindow)
#include "test_ui_project_window.moc"
