#include "storage/project.h"

#include "storage/statement.h"
#include "storage/transaction.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QMutex>

#if defined(Q_OS_UNIX)
#include <pwd.h>
#include <unistd.h>
#endif

namespace ts {

namespace {

constexpr QByteArrayView sqliteMagic("SQLite format 3\0", 16);

QString describe(const QString &path)
{
    return QFileInfo(path).fileName();
}

// Looks at the file before SQLite does, so that a stray file gets a precise message.
Result<void> checkFileShape(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return fail(ErrorCode::NotFound, QStringLiteral("%1 does not exist").arg(path));
    if (info.isDir())
        return fail(ErrorCode::NotAProject,
                    QStringLiteral("%1 is a folder, not a Touchstone project").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io,
                    QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray header = file.read(100);
    if (header.isEmpty())
        return fail(ErrorCode::NotAProject,
                    QStringLiteral("%1 is empty, not a Touchstone project").arg(describe(path)));
    if (!header.startsWith(sqliteMagic))
        return fail(ErrorCode::NotAProject,
                    QStringLiteral("%1 is not a Touchstone project: it is not an SQLite database")
                        .arg(describe(path)));
    if (header.size() < 100)
        return fail(
            ErrorCode::Corrupt,
            QStringLiteral("%1 is damaged: its SQLite header is cut short").arg(describe(path)));
    return {};
}

Result<void> checkOwnership(Database &db, const QString &path, int latest)
{
    auto appId = db.queryInt(QStringLiteral("PRAGMA application_id"));
    if (!appId)
        return fail(appId.error().code == ErrorCode::Corrupt
                        ? Error {ErrorCode::Corrupt,
                                 QStringLiteral("%1 is damaged and cannot be read: %2")
                                     .arg(describe(path), appId.error().message)}
                        : appId.error());
    if (*appId != Project::applicationId) {
        return fail(ErrorCode::NotAProject,
                    *appId == 0
                        ? QStringLiteral("%1 is an SQLite database, but not a Touchstone project")
                              .arg(describe(path))
                        : QStringLiteral("%1 is an SQLite database of another application "
                                         "(application id 0x%2), not a Touchstone project")
                              .arg(describe(path))
                              .arg(quint32(*appId), 8, 16, QLatin1Char('0')));
    }
    auto version = db.queryInt(QStringLiteral("PRAGMA user_version"));
    if (!version)
        return fail(version.error());
    if (*version > latest)
        return fail(ErrorCode::NewerSchema,
                    QStringLiteral("%1 was written by a newer Touchstone (schema %2; this version "
                                   "reads up to %3). Update Touchstone to open it.")
                        .arg(describe(path))
                        .arg(*version)
                        .arg(latest));
    // No quick_check here: it reads every page, seconds to minutes on a large project. The
    // cheap checks below find a file that is not readable at all or cut short; damage inside a
    // table is reported by the query that touches it, and in full by checkIntegrity().
    auto schema = db.prepare(QStringLiteral("SELECT type, name, sql FROM sqlite_master"));
    if (!schema)
        return fail(ErrorCode::Corrupt,
                    QStringLiteral("%1 is damaged: its schema cannot be read (%2)")
                        .arg(describe(path), schema.error().message));
    for (;;) {
        auto row = schema->step();
        if (!row)
            return fail(ErrorCode::Corrupt,
                        QStringLiteral("%1 is damaged: its schema cannot be read (%2)")
                            .arg(describe(path), row.error().message));
        if (!*row)
            break;
    }
    auto pages = db.queryInt(QStringLiteral("PRAGMA page_count"));
    auto pageSize = db.queryInt(QStringLiteral("PRAGMA page_size"));
    if (!pages || !pageSize)
        return fail(ErrorCode::Corrupt,
                    QStringLiteral("%1 is damaged and cannot be read: %2")
                        .arg(describe(path), (!pages ? pages : pageSize).error().message));
    const qint64 onDisk = QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
    if (*pages * *pageSize > onDisk)
        return fail(ErrorCode::Corrupt,
                    QStringLiteral("%1 is damaged: the file is cut short (%2 of %3 bytes)")
                        .arg(describe(path))
                        .arg(onDisk)
                        .arg(*pages * *pageSize));
    return {};
}

// Runs PRAGMA integrity_check on `db`: nullopt when the file is sound, else what is wrong.
Result<std::optional<QString>> integrityProblems(Database &db, const std::atomic_bool *cancel)
{
    if (cancel && cancel->load())
        return fail(ErrorCode::Cancelled, QStringLiteral("The integrity check was stopped"));
    db.setCancelFlag(cancel);
    auto check = db.prepare(QStringLiteral("PRAGMA integrity_check(20)"));
    if (!check) {
        db.setCancelFlag(nullptr);
        if (check.error().code == ErrorCode::Cancelled)
            return fail(check.error());
        return std::optional<QString>(check.error().message);
    }
    QStringList problems;
    for (;;) {
        auto row = check->step();
        if (!row) {
            db.setCancelFlag(nullptr);
            if (row.error().code == ErrorCode::Cancelled)
                return fail(ErrorCode::Cancelled,
                            QStringLiteral("The integrity check was stopped"));
            if (problems.isEmpty())
                problems << row.error().message;
            break;
        }
        if (!*row)
            break;
        for (const QString &line : check->text(0).split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            if (!line.startsWith(QLatin1String("*** in database")))
                problems << line.trimmed();
    }
    db.setCancelFlag(nullptr);
    if (problems == QStringList {QStringLiteral("ok")})
        return std::optional<QString>();
    return std::optional<QString>(problems.join(QStringLiteral("; ")));
}

Error damaged(const QString &path, const QString &problems)
{
    return Error {ErrorCode::Corrupt,
                  QStringLiteral("%1 is damaged (%2). Restore it from a backup.")
                      .arg(describe(path), problems)};
}

// After a refusal that may come from damage, the full check says what is wrong.
Error explainDamage(const QString &path, const Error &error)
{
    if (error.code != ErrorCode::Corrupt)
        return error;
    auto db = Database::open(path, Database::Access::ReadOnly);
    if (!db)
        return error;
    auto problems = integrityProblems(*db, nullptr);
    if (!problems || !*problems)
        return error;
    return damaged(path, **problems);
}

} // namespace

Project::Project(Database db, int schemaVersion, bool readOnly)
    : m_db(std::move(db))
    , m_schemaVersion(schemaVersion)
    , m_readOnly(readOnly)
{
}

Result<void> Project::configure(Database &db)
{
    if (auto ok = db.exec(QStringLiteral("PRAGMA foreign_keys = ON")); !ok)
        return ok;
    auto stmt = db.prepare(QStringLiteral("PRAGMA journal_mode = WAL"));
    if (!stmt)
        return fail(stmt.error());
    if (auto row = stmt->step(); !row)
        return fail(row.error());
    return db.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
}

Result<Project> Project::create(const QString &path, const Options &options)
{
    if (QFileInfo::exists(path))
        return fail(ErrorCode::AlreadyExists,
                    QStringLiteral("%1 already exists; choose another name or open it").arg(path));
    auto db = Database::open(path, Database::Access::Create, options.busyTimeoutMs);
    if (!db)
        return fail(db.error());
    const QList<Migration> migrations = options.migrations.value_or(builtinMigrations());
    auto result = [&]() -> Result<int> {
        auto tx = Transaction::begin(*db);
        if (!tx)
            return fail(tx.error());
        if (auto ok = db->exec(QStringLiteral("PRAGMA application_id = %1").arg(applicationId));
            !ok)
            return fail(ok.error());
        auto version = applyMigrations(*db, migrations);
        if (!version)
            return version;
        auto meta = db->prepare(
            QStringLiteral("INSERT OR REPLACE INTO project_meta(key, value) VALUES (?, ?)"));
        if (meta) {
            const std::pair<QString, QString> rows[] = {
                {QStringLiteral("name"), QFileInfo(path).completeBaseName()},
                {QStringLiteral("created_at"), nowUtc()},
                {QStringLiteral("created_by"), QStringLiteral("Touchstone " TOUCHSTONE_VERSION)},
            };
            for (const auto &[key, value] : rows) {
                meta->reset();
                if (auto ok = meta->bind(1, key).bind(2, value).run(); !ok)
                    return fail(ok.error());
            }
        }
        if (auto ok = tx->commit(); !ok)
            return fail(ok.error());
        return version;
    }();
    if (!result) {
        db = Database();
        QFile::remove(path);
        return fail(result.error());
    }
    if (auto ok = configure(*db); !ok)
        return fail(ok.error());
    return Project(std::move(*db), *result);
}

Result<Project> Project::open(const QString &path, const Options &options)
{
    if (options.readOnly)
        return openForReading(path, options);
    if (auto ok = checkFileShape(path); !ok)
        return fail(ok.error());
    const QList<Migration> migrations = options.migrations.value_or(builtinMigrations());
    const int latest = latestSchemaVersion(migrations);

    const QFileInfo info(path);
    // Permission bits too: root can write anything, but a file marked read-only means it.
    const bool writable = info.isWritable() && (info.permissions() & QFileDevice::WriteOwner)
        && QFileInfo(info.absolutePath()).isWritable();
    {
        // Read-only inspection first: nothing below may modify a file we then refuse.
        auto probe = Database::open(path, Database::Access::ReadOnly, options.busyTimeoutMs);
        if (!probe)
            return fail(probe.error());
        if (auto ok = checkOwnership(*probe, path, latest); !ok) {
            *probe = Database();
            return fail(explainDamage(path, ok.error()));
        }
    }
    if (!writable)
        return fail(ErrorCode::ReadOnly,
                    QStringLiteral("%1 is read-only: Touchstone needs to write to the file and "
                                   "its folder. Copy it somewhere writable or change its "
                                   "permissions.")
                        .arg(describe(path)));

    auto db = Database::open(path, Database::Access::ReadWrite, options.busyTimeoutMs);
    if (!db)
        return fail(db.error());
    auto version = [&]() -> Result<int> {
        auto tx = Transaction::begin(*db);
        if (!tx) {
            if (tx.error().code == ErrorCode::Locked)
                return fail(ErrorCode::Locked,
                            QStringLiteral("%1 is locked by another program that is writing to "
                                           "it. Close it there, then open it again.")
                                .arg(describe(path)));
            return fail(tx.error());
        }
        auto applied = applyMigrations(*db, migrations);
        if (!applied)
            return applied;
        if (auto ok = tx->commit(); !ok)
            return fail(ok.error());
        return applied;
    }();
    if (!version) {
        *db = Database();
        return fail(explainDamage(path, version.error()));
    }
    if (auto ok = configure(*db); !ok)
        return fail(ok.error());
    return Project(std::move(*db), *version);
}

Result<Project> Project::openReadOnly(const QString &path, Options options)
{
    options.readOnly = true;
    return openForReading(path, options);
}

Result<Project> Project::openForReading(const QString &path, const Options &options)
{
    if (auto ok = checkFileShape(path); !ok)
        return fail(ok.error());
    const QList<Migration> migrations = options.migrations.value_or(builtinMigrations());
    const int latest = latestSchemaVersion(migrations);
    auto db = Database::open(path, Database::Access::ReadOnly, options.busyTimeoutMs);
    if (!db)
        return fail(db.error());
    if (auto ok = checkOwnership(*db, path, latest); !ok) {
        *db = Database();
        return fail(explainDamage(path, ok.error()));
    }
    auto version = db->queryInt(QStringLiteral("PRAGMA user_version"));
    if (!version)
        return fail(version.error());
    if (*version < latest)
        return fail(ErrorCode::ReadOnly,
                    QStringLiteral("%1 is read-only and was written by an older Touchstone "
                                   "(schema %2; this version needs %3). Opening it means "
                                   "upgrading it: copy it somewhere writable first.")
                        .arg(describe(path))
                        .arg(*version)
                        .arg(latest));
    // Belt and braces: the connection is read-only already; query_only makes any write a
    // clear "attempt to write a readonly database" instead of touching the journal.
    if (auto ok = db->exec(QStringLiteral("PRAGMA query_only = ON")); !ok)
        return fail(ok.error());
    if (auto ok = db->exec(QStringLiteral("PRAGMA foreign_keys = ON")); !ok)
        return fail(ok.error());
    return Project(std::move(*db), int(*version), true);
}

Result<void> Project::checkIntegrity(const std::atomic_bool *cancel)
{
    auto problems = integrityProblems(m_db, cancel);
    if (!problems)
        return fail(problems.error());
    if (*problems)
        return fail(damaged(path(), **problems));
    return {};
}

Result<void> Project::checkIntegrity(const QString &path, const std::atomic_bool *cancel)
{
    if (auto ok = checkFileShape(path); !ok)
        return ok;
    auto db = Database::open(path, Database::Access::ReadOnly);
    if (!db)
        return fail(db.error());
    auto appId = db->queryInt(QStringLiteral("PRAGMA application_id"));
    if (appId && *appId != applicationId)
        return fail(ErrorCode::NotAProject,
                    QStringLiteral("%1 is not a Touchstone project").arg(describe(path)));
    auto problems = integrityProblems(*db, cancel);
    if (!problems)
        return fail(problems.error());
    if (*problems)
        return fail(damaged(path, **problems));
    return {};
}

Result<Project> Project::openReader(const QString &path, bool readOnlyFile)
{
    // Read-write at the file level so that SQLite can map the WAL index like the writer does;
    // query_only keeps the connection from writing anything.
    auto db = Database::open(
        path, readOnlyFile ? Database::Access::ReadOnly : Database::Access::ReadWrite);
    if (!db)
        return fail(db.error());
    if (auto ok = db->exec(QStringLiteral("PRAGMA query_only = ON")); !ok)
        return fail(ok.error());
    if (auto ok = db->exec(QStringLiteral("PRAGMA foreign_keys = ON")); !ok)
        return fail(ok.error());
    auto version = db->queryInt(QStringLiteral("PRAGMA user_version"));
    if (!version)
        return fail(version.error());
    return Project(std::move(*db), int(*version), true);
}

Result<void> Project::optimize()
{
    if (m_readOnly)
        return {};
    // analysis_limit bounds ANALYZE to a sample of each index: milliseconds even for a table of
    // a million rows, where a full ANALYZE reads it all.
    return m_db.exec(QStringLiteral("PRAGMA analysis_limit = 1000; PRAGMA optimize"));
}

QString Project::meta(const QString &key) const
{
    auto stmt = const_cast<Database &>(m_db).prepare(
        QStringLiteral("SELECT value FROM project_meta WHERE key = ?"));
    if (!stmt)
        return {};
    stmt->bind(1, key);
    auto row = stmt->step();
    return row && *row ? stmt->text(0) : QString();
}

Result<void> Project::setMeta(const QString &key, const QString &value)
{
    auto stmt = m_db.prepare(
        QStringLiteral("INSERT OR REPLACE INTO project_meta(key, value) VALUES (?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    return stmt->bind(1, key).bind(2, value).run();
}

Result<Database> Project::openConnection() const
{
    auto db = Database::open(path(),
                             m_readOnly ? Database::Access::ReadOnly : Database::Access::ReadWrite);
    if (!db)
        return db;
    if (m_readOnly)
        if (auto ok = db->exec(QStringLiteral("PRAGMA query_only = ON")); !ok)
            return fail(ok.error());
    if (auto ok = db->exec(QStringLiteral("PRAGMA foreign_keys = ON")); !ok)
        return fail(ok.error());
    return db;
}

QString nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

namespace {
QMutex authorMutex;
QString &authorOverride()
{
    static QString name;
    return name;
}
} // namespace

void setAuthorName(const QString &name)
{
    const QMutexLocker lock(&authorMutex);
    authorOverride() = name.trimmed();
}

QString currentAuthor()
{
    {
        const QMutexLocker lock(&authorMutex);
        if (!authorOverride().isEmpty())
            return authorOverride();
    }
    for (const char *var : {"TOUCHSTONE_AUTHOR", "USER", "USERNAME"}) {
        const QString value = qEnvironmentVariable(var).trimmed();
        if (!value.isEmpty())
            return value;
    }
#if defined(Q_OS_UNIX)
    // $USER is often unset (services, containers, some desktop launchers).
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
#endif
    return QStringLiteral("unknown");
}

} // namespace ts
