#pragma once

#include "common/projectsession.h"

#include <QObject>

namespace ts {

class AppSettings;

/// Which project is open: open, create, the demo, recent files and what to open at start. Keeps
/// the recent list in AppSettings and turns the session's outcomes into words for the window.
class ProjectController final : public QObject
{
    Q_OBJECT

public:
    ProjectController(ProjectSession &session, AppSettings &settings, QObject *parent = nullptr);

    void open(const QString &path);
    void create(const QString &path);
    /// Opens the demo project in the app's data directory, creating it on first use.
    void openDemo();
    /// Cancels the open in progress (its result is dropped if it still arrives).
    void cancel();
    /// At start: `file` if given, else the demo when `demo`, else the last project, else the demo.
    void startup(const QString &file, bool demo);

    QStringList recentFiles() const;
    void clearRecentFiles();
    /// Whether a dropped or typed path looks like a project file.
    static bool isProjectPath(const QString &path);

Q_SIGNALS:
    void recentFilesChanged();
    void busyChanged(bool busy, const QString &what);
    void errorOccurred(const QString &message);
    void notice(const QString &message);

private:
    ProjectSession &m_session;
    AppSettings &m_settings;
    CancelToken m_pending;
};

} // namespace ts
