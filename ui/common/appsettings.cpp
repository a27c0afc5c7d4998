#include "common/appsettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>

#if defined(Q_OS_UNIX)
#include <pwd.h>
#include <unistd.h>
#endif

namespace ts {

namespace {
const QString recentKey = QStringLiteral("project/recent");
const QString lastKey = QStringLiteral("project/last");
} // namespace

AppSettings::AppSettings()
    : m_settings(std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope,
                                             QCoreApplication::applicationName(),
                                             QCoreApplication::applicationName()))
{
}

AppSettings::AppSettings(const QString &iniPath)
    : m_settings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{
}

AppSettings::~AppSettings() = default;

QStringList AppSettings::recentFiles() const
{
    return m_settings->value(recentKey).toStringList();
}

void AppSettings::addRecentFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > maxRecentFiles)
        files.removeLast();
    m_settings->setValue(recentKey, files);
}

void AppSettings::removeRecentFile(const QString &path)
{
    QStringList files = recentFiles();
    files.removeAll(QFileInfo(path).absoluteFilePath());
    m_settings->setValue(recentKey, files);
}

void AppSettings::clearRecentFiles()
{
    m_settings->remove(recentKey);
}

QString AppSettings::lastProject() const
{
    return m_settings->value(lastKey).toString();
}

void AppSettings::setLastProject(const QString &path)
{
    m_settings->setValue(lastKey, path);
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings->value(QStringLiteral("window/geometry")).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(QStringLiteral("window/geometry"), geometry);
}

QByteArray AppSettings::windowState() const
{
    return m_settings->value(QStringLiteral("window/state")).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(QStringLiteral("window/state"), state);
}

QByteArray AppSettings::splitterState(const QString &name) const
{
    return m_settings->value(QStringLiteral("splitters/") + name).toByteArray();
}

void AppSettings::setSplitterState(const QString &name, const QByteArray &state)
{
    m_settings->setValue(QStringLiteral("splitters/") + name, state);
}

QString AppSettings::annotatorName() const
{
    const QString name
        = m_settings->value(QStringLiteral("annotation/annotator")).toString().trimmed();
    return name.isEmpty() ? accountName() : name;
}

void AppSettings::setAnnotatorName(const QString &name)
{
    if (name.trimmed().isEmpty())
        m_settings->remove(QStringLiteral("annotation/annotator"));
    else
        m_settings->setValue(QStringLiteral("annotation/annotator"), name.trimmed());
}

QString AppSettings::accountName()
{
    for (const char *var : {"USER", "USERNAME"}) {
        const QString value = qEnvironmentVariable(var).trimmed();
        if (!value.isEmpty())
            return value;
    }
#if defined(Q_OS_UNIX)
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
#endif
    return QStringLiteral("annotator");
}

QString AppSettings::personName() const
{
    return m_settings->value(QStringLiteral("annotation/annotator")).toString().trimmed();
}

QString AppSettings::theme() const
{
    return m_settings->value(QStringLiteral("appearance/theme"), QStringLiteral("system"))
        .toString();
}

void AppSettings::setTheme(const QString &theme)
{
    m_settings->setValue(QStringLiteral("appearance/theme"), theme);
}

int AppSettings::defaultConcurrency() const
{
    return std::clamp(m_settings->value(QStringLiteral("evals/concurrency"), 4).toInt(), 1, 64);
}

void AppSettings::setDefaultConcurrency(int concurrency)
{
    m_settings->setValue(QStringLiteral("evals/concurrency"), std::clamp(concurrency, 1, 64));
}

bool AppSettings::useKeychain() const
{
    return m_settings->value(QStringLiteral("security/keychain"), true).toBool();
}

void AppSettings::setUseKeychain(bool use)
{
    m_settings->setValue(QStringLiteral("security/keychain"), use);
}

QString AppSettings::demoProjectPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return QDir(dir).filePath(QStringLiteral("demo.touchstone"));
}

} // namespace ts
