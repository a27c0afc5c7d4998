#include "shell/mainwindow.h"

#include "common/appsettings.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "common/themecolors.h"
#include "shell/projectcontroller.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace ts {

namespace {
QString projectFilter()
{
    return QObject::tr("Touchstone projects (*.touchstone);;All files (*)");
}

QString droppedProject(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile() && ProjectController::isProjectPath(url.toLocalFile()))
            return url.toLocalFile();
    return {};
}
} // namespace

MainWindow::MainWindow(AppSettings &settings, ProjectSession &session, ProjectController &projects,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_session(session)
    , m_projects(projects)
{
    setWindowTitle(tr("Touchstone[*]"));
    setAcceptDrops(true);
    auto *central = new QWidget(this);
    auto *outer = new QHBoxLayout(central);
    m_nav = new QListWidget(central);
    m_nav->setObjectName(QStringLiteral("sectionNavigation"));
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    m_nav->setIconSize(QSize(fontMetrics().height() * 3 / 2, fontMetrics().height() * 3 / 2));
    m_nav->setSpacing(2);
    m_nav->setFixedWidth(fontMetrics().averageCharWidth() * 16);
    QPalette navPalette = m_nav->palette();
    navPalette.setColor(QPalette::Base, palette().color(QPalette::Window));
    m_nav->setPalette(navPalette);

    auto *right = new QVBoxLayout;
    m_demoBanner = new QLabel(central);
    m_demoBanner->setWordWrap(true);
    m_demoBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_demoBanner->hide();
    m_messages = new MessageBar(central);
    m_stack = new QStackedWidget(central);
    right->addWidget(m_demoBanner);
    right->addWidget(m_messages);
    right->addWidget(m_stack, 1);
    outer->addWidget(m_nav);
    outer->addLayout(right, 1);
    setCentralWidget(central);

    buildFileMenu();
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(&session, &ProjectSession::projectOpened, this, &MainWindow::projectOpened);
    connect(&projects, &ProjectController::busyChanged, this, [this](bool busy, const QString &what) {
        if (busy)
            m_messages->showProgress(what);
        else
            m_messages->hideProgress();
    });
    connect(m_messages, &MessageBar::cancelled, &projects, &ProjectController::cancel);
    connect(&projects, &ProjectController::errorOccurred, this,
            [this](const QString &message) { m_messages->showMessage(MessageBar::Kind::Error, message); });
    connect(&projects, &ProjectController::notice, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(&projects, &ProjectController::recentFilesChanged, this, &MainWindow::rebuildRecentMenu);

    if (!restoreGeometry(settings.windowGeometry()))
        resize(fontMetrics().averageCharWidth() * 190, fontMetrics().height() * 48);
    restoreState(settings.windowState());
    statusBar()->showMessage(tr("Ready"));
}

int MainWindow::addSection(const QString &id, const QString &title, const QIcon &icon, QWidget *page)
{
    auto *item = new QListWidgetItem(icon, title, m_nav);
    item->setSizeHint(QSize(0, fontMetrics().height() * 2 + 4));
    // Wide enough for the longest title next to its icon, so no section name is cut.
    const int wanted = m_nav->iconSize().width() + fontMetrics().horizontalAdvance(title)
                       + fontMetrics().averageCharWidth() * 5;
    if (wanted > m_nav->width())
        m_nav->setFixedWidth(wanted);
    m_stack->addWidget(page);
    m_sectionIds << id;
    if (m_nav->currentRow() < 0)
        m_nav->setCurrentRow(0);
    return int(m_sectionIds.size()) - 1;
}

bool MainWindow::showSection(const QString &id)
{
    const int index = int(m_sectionIds.indexOf(id));
    if (index < 0)
        return false;
    m_nav->setCurrentRow(index);
    return true;
}

QString MainWindow::currentSection() const
{
    return m_sectionIds.value(m_nav->currentRow());
}

QMenu *MainWindow::menu(const QString &title)
{
    for (QAction *action : menuBar()->actions())
        if (action->menu() && action->text() == title)
            return action->menu();
    return menuBar()->addMenu(title);
}

void MainWindow::rememberSplitter(const QString &name, QSplitter *splitter)
{
    splitter->restoreState(m_settings.splitterState(name));
    m_splitters.append({name, splitter});
}

void MainWindow::buildFileMenu()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(tr("&New Project…"), this, &MainWindow::newProject);
    newAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    file->addAction(tr("&Open Project…"), this, &MainWindow::openProject)->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("Open &Demo Project"), &m_projects, &ProjectController::openDemo);
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = m_projects.recentFiles();
    for (const QString &path : files)
        m_recentMenu->addAction(QDir::toNativeSeparators(path), this, [this, path] { m_projects.open(path); });
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear Recent Projects"), &m_projects, &ProjectController::clearRecentFiles);
}

void MainWindow::projectOpened(const ProjectInfo &info)
{
    m_messages->clear();
    const QString name = info.demo ? tr("%1 (demo)").arg(info.name) : info.name;
    setWindowTitle(tr("%1[*] — Touchstone").arg(name));
    setWindowFilePath(info.path);
    if (info.demo) {
        const ThemeColors c = ThemeColors::fromPalette(palette());
        m_demoBanner->setText(tr("<b>Demo project</b> — changes are kept in %1")
                                  .arg(QDir::toNativeSeparators(info.path).toHtmlEscaped()));
        m_demoBanner->setStyleSheet(QStringLiteral("QLabel { background: %1; border-radius: 4px; padding: %2px; }")
                                        .arg(c.badgeBackground.name())
                                        .arg(fontMetrics().height() / 3));
    }
    m_demoBanner->setVisible(info.demo);
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(info.path)), 8000);
}

void MainWindow::newProject()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("New Project"), QDir::homePath(), projectFilter());
    if (!path.isEmpty())
        m_projects.create(path);
}

void MainWindow::openProject()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QDir::homePath(), projectFilter());
    if (!path.isEmpty())
        m_projects.open(path);
}

void MainWindow::saveState()
{
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setWindowState(QMainWindow::saveState());
    for (const auto &[name, splitter] : m_splitters)
        m_settings.setSplitterState(name, splitter->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppedProject(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = droppedProject(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    m_projects.open(path);
}

} // namespace ts
