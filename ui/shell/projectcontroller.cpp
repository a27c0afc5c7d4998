#include "shell/projectcontroller.h"

#include "common/appsettings.h"
#include "storage/project.h"

#include <QDir>
#include <QFileInfo>

namespace ts {

ProjectController::ProjectController(ProjectSession &session, AppSettings &settings, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_settings(settings)
{
    connect(&session, &ProjectSession::busyChanged, this, &ProjectController::busyChanged);
    connect(&session, &ProjectSession::projectOpened, this, [this](const ProjectInfo &info) {
        m_pending.reset();
        m_settings.setLastProject(info.path);
        if (!info.demo) {
            m_settings.addRecentFile(info.path);
            Q_EMIT recentFilesChanged();
        }
    });
    connect(&session, &ProjectSession::openFailed, this, [this](const QString &path, const Error &error) {
        m_pending.reset();
        if (error.code == ErrorCode::Cancelled) {
            Q_EMIT notice(tr("Opening %1 was cancelled").arg(QFileInfo(path).fileName()));
            return;
        }
        if (error.code == ErrorCode::NotFound && m_settings.recentFiles().contains(QFileInfo(path).absoluteFilePath())) {
            m_settings.removeRecentFile(path);
            Q_EMIT recentFilesChanged();
        }
        Q_EMIT errorOccurred(tr("Could not open %1. %2").arg(QDir::toNativeSeparators(path), error.message));
    });
}

void ProjectController::open(const QString &path)
{
    cancel();
    m_pending = m_session.open(path);
}

void ProjectController::create(const QString &path)
{
    cancel();
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty())
        target += QLatin1Char('.') + QLatin1String(Project::fileSuffix);
    m_pending = m_session.create(target);
}

void ProjectController::openDemo()
{
    cancel();
    m_pending = m_session.openDemo(AppSettings::demoProjectPath());
}

void ProjectController::cancel()
{
    if (m_pending)
        m_pending->store(true);
    m_pending.reset();
}

void ProjectController::startup(const QString &file, bool demo)
{
    if (!file.isEmpty())
        open(file);
    else if (demo)
        openDemo();
    else if (const QString last = m_settings.lastProject(); !last.isEmpty() && QFileInfo::exists(last))
        open(last);
    else
        openDemo();
}

QStringList ProjectController::recentFiles() const
{
    return m_settings.recentFiles();
}

void ProjectController::clearRecentFiles()
{
    m_settings.clearRecentFiles();
    Q_EMIT recentFilesChanged();
}

bool ProjectController::isProjectPath(const QString &path)
{
    return QFileInfo(path).suffix() == QLatin1String(Project::fileSuffix);
}

} // namespace ts
