#pragma once

#include <QIcon>
#include <QMainWindow>

class QLabel;
class QListWidget;
class QMenu;
class QSplitter;
class QStackedWidget;

namespace ts {

class AppSettings;
class MessageBar;
class ProjectController;
class ProjectSession;
struct ProjectInfo;

/// The project window: a side bar of sections (Prompts, and whatever is added with
/// addSection()), a banner for the demo project, a message bar for errors and progress, the
/// File menu with recent projects, and drag and drop of project files.
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
    /// A top-level menu after File, created on first use (e.g. "&Prompt").
    QMenu *menu(const QString &title);
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
    QMenu *m_recentMenu = nullptr;
    QStringList m_sectionIds;
    QList<QPair<QString, QSplitter *>> m_splitters;
};

} // namespace ts
