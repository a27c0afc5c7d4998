#pragma once

#include <QIcon>
#include <QMainWindow>
#include <QPointer>

class QActionGroup;
class QLabel;
class QListWidget;
class QMenu;
class QSplitter;
class QStackedWidget;
class QUndoGroup;

namespace ts {

class AppSettings;
class CommandPalette;
class MessageBar;
class ProjectController;
class ProjectSession;
struct ProjectInfo;

/// The project window: a side bar of sections (Prompts, and whatever is added with
/// addSection()), banners for the demo project and a read-only project, a floating message bar
/// for errors and progress, the menus (File, Edit, View, each section's, Help), Ctrl+1…9 for
/// the sections, the command palette (Ctrl+K), Settings, and drag and drop of project files.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(AppSettings &settings, ProjectSession &session, ProjectController &projects,
               QWidget *parent = nullptr);

    /// Adds a section to the side bar. `id` names it for showSection() and saved state; `page`
    /// is reparented. Sections appear in the order added; returns the section's index.
    int addSection(const QString &id, const QString &title, const QIcon &icon, QWidget *page);
    /// Shows the section with `id`; false when there is none.
    bool showSection(const QString &id);
    QString currentSection() const;
    QStringList sectionIds() const { return m_sectionIds; }
    /// A top-level section menu after View and before Help, created on first use ("&Prompt").
    QMenu *menu(const QString &title);
    /// Sections put their QUndoStacks here; Edit ▸ Undo/Redo act on the active one (or on the
    /// focused text field).
    QUndoGroup *undoGroup() const { return m_undoGroup; }
    CommandPalette *commandPalette() const { return m_palette; }
    /// Opens Settings (Edit ▸ Settings…).
    void showSettings();
    /// Help ▸ Keyboard Shortcuts: every shortcut of every menu, grouped by menu.
    QString shortcutListHtml() const;
    /// The banner shown while the project is open read-only.
    QLabel *readOnlyBanner() const { return m_readOnlyBanner; }
    /// Actions marked so stay enabled in a read-only project (they only show things).
    static void markReadOnlySafe(QAction *action);
    /// Restores `splitter` from the settings now and saves it when the window closes.
    void rememberSplitter(const QString &name, QSplitter *splitter);

    MessageBar *messageBar() const { return m_messages; }
    QLabel *demoBanner() const { return m_demoBanner; }
    /// Marks unsaved changes in the title bar.
    void setUnsaved(bool unsaved) { setWindowModified(unsaved); }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildFileMenu();
    void buildEditMenu();
    void buildViewMenu();
    void buildHelpMenu();
    void showShortcuts();
    void showAbout();
    void applyReadOnly(bool readOnly);
    void keepDisabled(QAction *action);
    void updateSectionIcons();
    void rebuildRecentMenu();
    void projectOpened(const ProjectInfo &info);
    void newProject();
    void openProject();
    void saveState();

    AppSettings &m_settings;
    ProjectSession &m_session;
    ProjectController &m_projects;
    QListWidget *m_nav = nullptr;
    QStackedWidget *m_stack = nullptr;
    MessageBar *m_messages = nullptr;
    QLabel *m_demoBanner = nullptr;
    QLabel *m_readOnlyBanner = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_sectionsEnd = nullptr;
    QActionGroup *m_themeGroup = nullptr;
    QUndoGroup *m_undoGroup = nullptr;
    CommandPalette *m_palette = nullptr;
    bool m_readOnly = false;
    QList<QPointer<QAction>> m_disabledForReadOnly;
    QList<QPointer<QWidget>> m_editorsMadeReadOnly;
    QStringList m_sectionIds;
    QList<QPair<QString, QSplitter *>> m_splitters;
};

} // namespace ts
