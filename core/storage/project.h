#pragma once

#include "common/error.h"
#include "storage/database.h"
#include "storage/migrations.h"

#include <QString>

namespace ts {

/// A `.touchstone` project file: an SQLite database marked with our application_id and
/// kept at the latest schema by numbered migrations.
class Project final
{
public:
    /// 'TSTP': marks the SQLite file as a Touchstone project.
    static constexpr qint32 applicationId = 0x54535450;
    static constexpr auto fileSuffix = "touchstone";

    struct Options
    {
        int busyTimeoutMs = 5000;
        /// Overrides the built-in migrations (tests of upgrade paths).
        std::optional<QList<Migration>> migrations;
        /// Open without writing anything (see openReadOnly()).
        bool readOnly = false;
    };

    /// Creates a new project. Fails if the file already exists.
    static Result<Project> create(const QString &path, const Options &options);
    static Result<Project> create(const QString &path) { return create(path, Options {}); }
    /// Opens an existing project, upgrading its schema. Every refusal (not SQLite, not ours,
    /// newer schema, read-only, locked, corrupted) leaves the file untouched.
    static Result<Project> open(const QString &path, const Options &options);
    static Result<Project> open(const QString &path) { return open(path, Options {}); }
    /// Opens a project for reading only: for files that open() refuses as read-only (no write
    /// permission on the file or its folder). Nothing is written, not even a schema upgrade,
    /// so a project at an older schema is refused with ErrorCode::ReadOnly; the connection
    /// rejects every write (PRAGMA query_only).
    static Result<Project> openReadOnly(const QString &path, Options options);
    static Result<Project> openReadOnly(const QString &path)
    {
        return openReadOnly(path, Options {});
    }

    /// The full check (PRAGMA integrity_check: every page, every index against its table), for
    /// an explicit "Check Project Integrity" (open() does not read the whole file). Fails with
    /// ErrorCode::Corrupt naming the first problems, or ErrorCode::Cancelled once `cancel` is set.
    Result<void> checkIntegrity(const std::atomic_bool *cancel = nullptr);
    /// The same on a file that need not open (a project open() refused), read-only.
    static Result<void> checkIntegrity(const QString &path,
                                       const std::atomic_bool *cancel = nullptr);

    /// Another connection to a project that is open already, for a reader thread: no checks
    /// and no upgrade (the first open did both); every write fails (PRAGMA query_only).
    /// `readOnlyFile` opens the file itself read-only (projects opened with openReadOnly()).
    static Result<Project> openReader(const QString &path, bool readOnlyFile);

    Database &db() { return m_db; }
    QString path() const { return m_db.path(); }
    int schemaVersion() const { return m_schemaVersion; }
    /// True when opened with openReadOnly(): every write fails.
    bool isReadOnly() const { return m_readOnly; }

    /// Refreshes the query planner's statistics where they are missing or stale (PRAGMA
    /// optimize, each table sampled rather than read whole): on close and after large imports
    /// or evals. A no-op on a read-only project.
    Result<void> optimize();

    QString meta(const QString &key) const;
    Result<void> setMeta(const QString &key, const QString &value);

    /// A second connection to the same file, for a worker thread (readers or the writer);
    /// read-only too when the project is.
    Result<Database> openConnection() const;

private:
    Project(Database db, int schemaVersion, bool readOnly = false);
    static Result<Project> openForReading(const QString &path, const Options &options);
    static Result<void> configure(Database &db);
    Database m_db;
    int m_schemaVersion = 0;
    bool m_readOnly = false;
};

/// ISO 8601 UTC with milliseconds: how every time is stored.
QString nowUtc();

/// The person saving: the name set with setAuthorName(), else $TOUCHSTONE_AUTHOR, else $USER
/// or $USERNAME, else the system's login name, else "unknown".
QString currentAuthor();
/// The name the app's user chose (Settings); empty goes back to the environment. Thread-safe.
void setAuthorName(const QString &name);

} // namespace ts
