#include "shell/mainwindow.h"

#include "common/appsettings.h"
#include "common/designsystem.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "common/settingsdialog.h"
#include "common/themecolors.h"
#include "shell/commandpalette.h"
#include "shell/integritycheck.h"
#include "shell/projectcontroller.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextBrowser>
#include <QTextEdit>
#include <QUndoGroup>
#include <QUndoStack>
#include <QVBoxLayout>

namespace ts {

namespace {
QString projectFilter()
{
    return QObject::tr("Touchstone projects (*.touchstone);;All files (*)");
}

// The design system's icon for each known section; others keep the icon they were added with.
QString sectionIconName(const QString &id)
{
    static const QHash<QString, QString> names {
        {QStringLiteral("prompts"), QStringLiteral("document-edit")},
        {QStringLiteral("playground"), QStringLiteral("media-playback-start")},
        {QStringLiteral("datasets"), QStringLiteral("x-office-spreadsheet")},
        {QStringLiteral("evals"), QStringLiteral("checkmark")},
        {QStringLiteral("logs"), QStringLiteral("view-list-details")},
        {QStringLiteral("annotate"), QStringLiteral("tag")},
        {QStringLiteral("insights"), QStringLiteral("office-chart-line")},
    };
    return names.value(id);
}

const char *readOnlySafeProperty = "tsReadOnlySafe";

// The focused widget's own edit operation, for Edit ▸ Cut/Copy/Paste/Select All.
template<typename Op> bool onFocusedText(Op op)
{
    QWidget *w = QApplication::focusWidget();
    if (auto *line = qobject_cast<QLineEdit *>(w))
        return op(line), true;
    if (auto *spin = qobject_cast<QAbstractSpinBox *>(w); spin && spin->findChild<QLineEdit *>())
        return op(spin->findChild<QLineEdit *>()), true;
    if (auto *text = qobject_cast<QTextEdit *>(w))
        return op(text), true;
    if (auto *plain = qobject_cast<QPlainTextEdit *>(w))
        return op(plain), true;
    return false;
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
    setWindowIcon(design::icon(QStringLiteral("checkmark")));
    setAcceptDrops(true);
    auto *central = new QWidget(this);
    auto *outer = new QHBoxLayout(central);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    m_nav = new QListWidget(central);
    m_nav->setObjectName(QStringLiteral("sectionNavigation"));
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    m_nav->setIconSize(QSize(20, 20));
    m_nav->setFixedWidth(fontMetrics().averageCharWidth() * 16);
    m_nav->setContentsMargins(0, design::space::s, 0, 0);
    auto *divider = new QFrame(central);
    divider->setObjectName(QStringLiteral("navigationDivider"));
    divider->setFixedWidth(1);

    auto *rightPane = new QWidget(central);
    auto *right = new QVBoxLayout(rightPane);
    right->setContentsMargins(0, 0, 0, 0);
    right->setSpacing(0);
    m_demoBanner = new QLabel(rightPane);
    m_demoBanner->setObjectName(QStringLiteral("demoBanner"));
    m_demoBanner->setWordWrap(true);
    m_demoBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_demoBanner->hide();
    m_readOnlyBanner = new QLabel(rightPane);
    m_readOnlyBanner->setObjectName(QStringLiteral("readOnlyBanner"));
    m_readOnlyBanner->setWordWrap(true);
    m_readOnlyBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_readOnlyBanner->hide();
    m_stack = new QStackedWidget(rightPane);
    auto *banners = new QVBoxLayout;
    banners->setContentsMargins(design::space::s, 0, design::space::s, 0);
    banners->addWidget(m_demoBanner);
    banners->addWidget(m_readOnlyBanner);
    right->addLayout(banners);
    right->addWidget(m_stack, 1);
    // Floats over the pages: messages never push the layout around (see MessageBar).
    m_messages = new MessageBar(rightPane);
    outer->addWidget(m_nav);
    outer->addWidget(divider);
    outer->addWidget(rightPane, 1);
    setCentralWidget(central);

    m_undoGroup = new QUndoGroup(this);
    m_palette = new CommandPalette(this);
    m_palette->setMenuBar(menuBar());
    buildFileMenu();
    buildEditMenu();
    buildViewMenu();
    buildHelpMenu();
    connect(&design::ThemeManager::instance(), &design::ThemeManager::themeChanged, this,
            &MainWindow::updateSectionIcons);
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(&session, &ProjectSession::projectOpened, this, &MainWindow::projectOpened);
    connect(&projects, &ProjectController::busyChanged, this,
            [this](bool busy, const QString &what) {
                if (busy)
                    m_messages->showProgress(what);
                else
                    m_messages->hideProgress();
            });
    connect(m_messages, &MessageBar::cancelled, &projects, &ProjectController::cancel);
    connect(&projects, &ProjectController::errorOccurred, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Error, message);
    });
    connect(&projects, &ProjectController::notice, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Info, message);
    });
    connect(&projects, &ProjectController::recentFilesChanged, this,
            &MainWindow::rebuildRecentMenu);

    if (!restoreGeometry(settings.windowGeometry()))
        resize(fontMetrics().averageCharWidth() * 190, fontMetrics().height() * 48);
    restoreState(settings.windowState());
    statusBar()->showMessage(tr("Ready"));
}

int MainWindow::addSection(const QString &id, const QString &title, const QIcon &icon,
                           QWidget *page)
{
    const QString iconName = sectionIconName(id);
    auto *item
        = new QListWidgetItem(iconName.isEmpty() ? icon : design::icon(iconName), title, m_nav);
    item->setData(Qt::UserRole, id);
    item->setSizeHint(QSize(0, fontMetrics().height() * 2 + design::space::xs));
    // Wide enough for the longest title next to its icon, with the item's padding and margins
    // from the style sheet, so no section name is cut.
    const int wanted = m_nav->iconSize().width()
        + fontMetrics().horizontalAdvance(plainActionText(title))
        + 2 * (design::space::s + design::space::xs) + design::space::xl + design::space::m;
    if (wanted > m_nav->width())
        m_nav->setFixedWidth(wanted);
    m_stack->addWidget(page);
    m_sectionIds << id;
    if (m_nav->currentRow() < 0)
        m_nav->setCurrentRow(0);
    const int index = int(m_sectionIds.size()) - 1;
    // View ▸ <section>, Ctrl+1 … Ctrl+9 in side-bar order.
    QAction *go = new QAction(plainActionText(title), m_viewMenu);
    if (index < 9)
        go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
    go->setShortcutContext(Qt::WindowShortcut);
    markReadOnlySafe(go);
    connect(go, &QAction::triggered, this, [this, id] { showSection(id); });
    m_viewMenu->insertAction(m_sectionsEnd, go);
    if (m_readOnly)
        applyReadOnly(true);
    return index;
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
    auto *created = new QMenu(title, menuBar());
    menuBar()->insertMenu(m_helpMenu->menuAction(), created);
    return created;
}

void MainWindow::rememberSplitter(const QString &name, QSplitter *splitter)
{
    splitter->restoreState(m_settings.splitterState(name));
    m_splitters.append({name, splitter});
}

void MainWindow::buildFileMenu()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(design::icon(QStringLiteral("document-new")),
                                         tr("&New Project…"), this, &MainWindow::newProject);
    newAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    file->addAction(design::icon(QStringLiteral("document-open")), tr("&Open Project…"), this,
                    &MainWindow::openProject)
        ->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("Open &Demo Project"), &m_projects, &ProjectController::openDemo);
    file->addAction(tr("Check Project &Integrity…"), this,
                    [this] { checkProjectIntegrity(this, m_session); });
    file->addSeparator();
    QAction *settingsAction = file->addAction(design::icon(QStringLiteral("preferences-system")),
                                              tr("&Settings…"), this, &MainWindow::showSettings);
    settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settingsAction->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);
    rebuildRecentMenu();
}

void MainWindow::buildEditMenu()
{
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    // The keys shown here belong to the focused field or view (a text field undoes its own
    // typing, a table copies its cells, a section's undo stack binds its own keys), so the
    // menu shows them after a tab instead of taking them away; the items serve the mouse and
    // the palette, and act on the focused text field or else the active undo stack.
    auto label = [](const QString &text, QKeySequence::StandardKey key) -> QString {
        return text + QLatin1Char('\t') + QKeySequence(key).toString(QKeySequence::NativeText);
    };
    edit->addAction(design::icon(QStringLiteral("edit-undo")),
                    label(tr("&Undo"), QKeySequence::Undo), this, [this] {
                        if (onFocusedText([](auto *w) { w->undo(); }))
                            return;
                        if (QUndoStack *stack = m_undoGroup->activeStack();
                            stack && stack->canUndo())
                            stack->undo();
                        else
                            statusBar()->showMessage(tr("Nothing to undo here"), 3000);
                    });
    edit->addAction(design::icon(QStringLiteral("edit-redo")),
                    label(tr("&Redo"), QKeySequence::Redo), this, [this] {
                        if (onFocusedText([](auto *w) { w->redo(); }))
                            return;
                        if (QUndoStack *stack = m_undoGroup->activeStack();
                            stack && stack->canRedo())
                            stack->redo();
                        else
                            statusBar()->showMessage(tr("Nothing to redo here"), 3000);
                    });
    edit->addSeparator();
    edit->addAction(label(tr("Cu&t"), QKeySequence::Cut), this,
                    [] { onFocusedText([](auto *w) { w->cut(); }); });
    edit->addAction(label(tr("&Copy"), QKeySequence::Copy), this,
                    [] { onFocusedText([](auto *w) { w->copy(); }); });
    edit->addAction(label(tr("&Paste"), QKeySequence::Paste), this,
                    [] { onFocusedText([](auto *w) { w->paste(); }); });
    edit->addAction(label(tr("Select &All"), QKeySequence::SelectAll), this,
                    [] { onFocusedText([](auto *w) { w->selectAll(); }); });
    for (QAction *action : edit->actions())
        markReadOnlySafe(action);
}

void MainWindow::buildViewMenu()
{
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_sectionsEnd = m_viewMenu->addSeparator();
    QAction *palette
        = m_viewMenu->addAction(design::icon(QStringLiteral("edit-find")), tr("&Command Palette…"),
                                m_palette, &CommandPalette::popup);
    palette->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    markReadOnlySafe(palette);
    QMenu *theme = m_viewMenu->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    const std::pair<design::Theme, QString> themes[] = {
        {design::Theme::System, tr("Follow the &Desktop")},
        {design::Theme::Light, tr("&Light")},
        {design::Theme::Dark, tr("D&ark")},
    };
    for (const auto &[value, text] : themes) {
        QAction *action = theme->addAction(text);
        action->setCheckable(true);
        action->setData(design::themeName(value));
        action->setChecked(m_settings.theme() == design::themeName(value));
        m_themeGroup->addAction(action);
        markReadOnlySafe(action);
        connect(action, &QAction::triggered, this, [this, value] {
            m_settings.setTheme(design::themeName(value));
            SettingsDialog::apply(m_settings);
        });
    }
    QAction *full = m_viewMenu->addAction(
        tr("&Full Screen"), this, [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    full->setShortcut(QKeySequence::FullScreen);
    markReadOnlySafe(full);
}

void MainWindow::buildHelpMenu()
{
    m_helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *keys
        = m_helpMenu->addAction(design::icon(QStringLiteral("input-keyboard")),
                                tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Slash), QKeySequence::HelpContents});
    m_helpMenu->addSeparator();
    m_helpMenu
        ->addAction(design::icon(QStringLiteral("help-about")), tr("&About Touchstone"), this,
                    &MainWindow::showAbout)
        ->setMenuRole(QAction::AboutRole);
    m_helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);
    for (QAction *action : m_helpMenu->actions())
        markReadOnlySafe(action);
}

void MainWindow::markReadOnlySafe(QAction *action)
{
    action->setProperty(readOnlySafeProperty, true);
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_settings, this);
    dialog.exec();
    for (QAction *action : m_themeGroup->actions())
        action->setChecked(action->data().toString() == m_settings.theme());
}

QString MainWindow::shortcutListHtml() const
{
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='3'>");
    auto row = [&html](const QString &what, const QString &keys) {
        html += QStringLiteral("<tr><td style='padding-right:24px'>%1</td><td><b>%2</b></td></tr>")
                    .arg(what.toHtmlEscaped(), keys.toHtmlEscaped());
    };
    std::function<void(QMenu *)> walk = [&](QMenu *menu) {
        for (QAction *action : menu->actions()) {
            if (action->menu()) {
                walk(action->menu());
                continue;
            }
            QStringList keys;
            for (const QKeySequence &k : action->shortcuts())
                keys << k.toString(QKeySequence::NativeText);
            if (keys.isEmpty() && action->text().contains(QLatin1Char('\t')))
                keys << action->text().section(QLatin1Char('\t'), 1);
            if (!keys.isEmpty() && !action->isSeparator())
                row(plainActionText(action->text()), keys.join(QStringLiteral(", ")));
        }
    };
    for (QAction *top : menuBar()->actions()) {
        if (!top->menu())
            continue;
        const qsizetype before = html.size();
        html += QStringLiteral("<tr><td colspan='2' style='padding-top:10px'><b>%1</b></td></tr>")
                    .arg(plainActionText(top->text()).toHtmlEscaped());
        const qsizetype header = html.size();
        walk(top->menu());
        if (html.size() == header)
            html.truncate(before); // a menu without shortcuts
    }
    return html + QStringLiteral("</table>");
}

void MainWindow::showShortcuts()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Keyboard Shortcuts"));
    auto *layout = new QVBoxLayout(&dialog);
    auto *view = new QTextBrowser(&dialog);
    view->setFrameShape(QFrame::NoFrame);
    view->setHtml(
        tr("<p>Everything below, and every other action, prompt, dataset and eval, is also "
           "found by name in the command palette (<b>%1</b>).</p>")
            .arg(QKeySequence(Qt::CTRL | Qt::Key_K).toString(QKeySequence::NativeText))
        + shortcutListHtml());
    layout->addWidget(view);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(fontMetrics().averageCharWidth() * 64, fontMetrics().height() * 36);
    dialog.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Touchstone"),
        tr("<h3>Touchstone %1</h3><p>A desktop workbench for prompt engineering: "
           "versioned prompts, side-by-side runs, evals with honest statistics, "
           "production logs and human labels, in one local project file.</p>"
           "<p>Qt %2 · SQLite project files</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::updateSectionIcons()
{
    for (int row = 0; row < m_nav->count(); ++row) {
        QListWidgetItem *item = m_nav->item(row);
        if (const QString name = sectionIconName(item->data(Qt::UserRole).toString());
            !name.isEmpty())
            item->setIcon(design::icon(name));
    }
}

void MainWindow::keepDisabled(QAction *action)
{
    if (!m_readOnly || action->property(readOnlySafeProperty).toBool() || !action->isEnabled())
        return;
    action->setEnabled(false);
    if (!m_disabledForReadOnly.contains(action))
        m_disabledForReadOnly.append(action);
}

void MainWindow::applyReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    if (readOnly) {
        // Section menus write to the project; they stay off while it is read-only, even when a
        // section re-enables an action for its own reasons.
        for (QAction *top : menuBar()->actions()) {
            QMenu *menu = top->menu();
            if (!menu || menu == m_helpMenu || menu == m_viewMenu
                || top == menuBar()->actions().value(0) || top == menuBar()->actions().value(1))
                continue;
            for (QAction *action : menu->actions()) {
                if (action->isSeparator() || action->menu())
                    continue;
                if (!action->property("tsReadOnlyWatched").toBool()) {
                    action->setProperty("tsReadOnlyWatched", true);
                    connect(action, &QAction::changed, this,
                            [this, action] { keepDisabled(action); });
                }
                keepDisabled(action);
            }
        }
        // Text in the pages can be read, selected and copied, not changed.
        for (QWidget *w : m_stack->findChildren<QWidget *>()) {
            bool changed = false;
            if (auto *line = qobject_cast<QLineEdit *>(w); line && !line->isReadOnly())
                line->setReadOnly(changed = true);
            else if (auto *text = qobject_cast<QTextEdit *>(w); text && !text->isReadOnly())
                text->setReadOnly(changed = true);
            else if (auto *plain = qobject_cast<QPlainTextEdit *>(w); plain && !plain->isReadOnly())
                plain->setReadOnly(changed = true);
            if (changed)
                m_editorsMadeReadOnly.append(w);
        }
        return;
    }
    const auto actions = std::exchange(m_disabledForReadOnly, {});
    for (const QPointer<QAction> &action : actions)
        if (action)
            action->setEnabled(true);
    for (const QPointer<QWidget> &w : std::exchange(m_editorsMadeReadOnly, {})) {
        if (auto *line = qobject_cast<QLineEdit *>(w))
            line->setReadOnly(false);
        else if (auto *text = qobject_cast<QTextEdit *>(w))
            text->setReadOnly(false);
        else if (auto *plain = qobject_cast<QPlainTextEdit *>(w))
            plain->setReadOnly(false);
    }
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = m_projects.recentFiles();
    for (const QString &path : files)
        m_recentMenu->addAction(QDir::toNativeSeparators(path), this,
                                [this, path] { m_projects.open(path); });
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear Recent Projects"), &m_projects,
                            &ProjectController::clearRecentFiles);
}

void MainWindow::projectOpened(const ProjectInfo &info)
{
    m_messages->clear();
    QString name = info.demo ? tr("%1 (demo)").arg(info.name) : info.name;
    if (info.readOnly)
        name = tr("%1 (read-only)").arg(name);
    setWindowTitle(tr("%1[*] — Touchstone").arg(name));
    setWindowFilePath(info.path);
    if (info.demo)
        m_demoBanner->setText(tr("<b>Demo project</b> — changes are kept in %1")
                                  .arg(QDir::toNativeSeparators(info.path).toHtmlEscaped()));
    m_demoBanner->setVisible(info.demo);
    m_readOnlyBanner->setText(
        tr("<b>Read-only</b> — you cannot write to %1, so you can browse this "
           "project but not change it or run anything. To work in it, copy it "
           "somewhere writable and open the copy.")
            .arg(QDir::toNativeSeparators(info.path).toHtmlEscaped()));
    m_readOnlyBanner->setVisible(info.readOnly);
    applyReadOnly(false);
    if (info.readOnly)
        applyReadOnly(true);
    statusBar()->showMessage(
        info.readOnly ? tr("Opened %1 read-only").arg(QDir::toNativeSeparators(info.path))
                      : tr("Opened %1").arg(QDir::toNativeSeparators(info.path)),
        8000);
}

void MainWindow::newProject()
{
    const QString path
        = QFileDialog::getSaveFileName(this, tr("New Project"), QDir::homePath(), projectFilter());
    if (!path.isEmpty())
        m_projects.create(path);
}

void MainWindow::openProject()
{
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Open Project"), QDir::homePath(), projectFilter());
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
