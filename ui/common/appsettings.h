#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>

namespace ts {

/// Every setting the desktop app remembers, behind one class so keys live in one place.
class AppSettings final
{
public:
    /// The user's settings, named after QCoreApplication::applicationName().
    AppSettings();
    /// Settings kept in an INI file, for tests.
    explicit AppSettings(const QString &iniPath);
    ~AppSettings();

    static constexpr int maxRecentFiles = 8;

    QStringList recentFiles() const;
    /// Moves `path` to the front of the recent files.
    void addRecentFile(const QString &path);
    void removeRecentFile(const QString &path);
    void clearRecentFiles();
    /// The project open when the app last quit; empty when none.
    QString lastProject() const;
    void setLastProject(const QString &path);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    /// Saved QSplitter::saveState() by a stable name such as "prompts/main".
    QByteArray splitterState(const QString &name) const;
    void setSplitterState(const QString &name, const QByteArray &state);

    /// The name put on every label this person makes; defaults to the account name.
    QString annotatorName() const;
    /// An empty or blank name goes back to the default.
    void setAnnotatorName(const QString &name);
    /// $USER (or %USERNAME%), else the login name from the system, else "annotator".
    static QString accountName();

    /// The name the person typed in Settings, empty when they did not: it goes on labels
    /// (annotatorName()) and on saved versions and runs (the author).
    QString personName() const;
    /// "system", "light" or "dark" (design::themeName()).
    QString theme() const;
    void setTheme(const QString &theme);
    /// Calls in flight for a new eval (1 to 64; 4 unless changed).
    int defaultConcurrency() const;
    void setDefaultConcurrency(int concurrency);
    /// Whether API keys may be kept in the OS keychain (off: env: references only).
    bool useKeychain() const;
    void setUseKeychain(bool use);

    /// Where the demo project lives (AppDataLocation/demo.touchstone).
    static QString demoProjectPath();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace ts
