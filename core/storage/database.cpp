#include "storage/database.h"

#include "storage/statement.h"

#include <sqlite3.h>

#include <utility>

namespace ts {

Error sqliteError(int code, const QString &detail, const QString &context)
{
    const int primary = code & 0xff;
    ErrorCode category = ErrorCode::Database;
    QString hint;
    switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        category = ErrorCode::Locked;
        hint = QStringLiteral("the project is in use by another program; close it there and retry");
        break;
    case SQLITE_READONLY:
        category = ErrorCode::ReadOnly;
        hint = QStringLiteral("the file or its folder is read-only");
        break;
    case SQLITE_CORRUPT:
        category = ErrorCode::Corrupt;
        hint = QStringLiteral("the file is damaged; restore it from a backup");
        break;
    case SQLITE_NOTADB:
        category = ErrorCode::NotAProject;
        hint = QStringLiteral("the file is not an SQLite database");
        break;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PERM:
        category = ErrorCode::Io;
        break;
    case SQLITE_CONSTRAINT:
        category = ErrorCode::AlreadyExists;
        break;
    case SQLITE_INTERRUPT:
        category = ErrorCode::Cancelled;
        break;
    default:
        break;
    }
    QString message = context + QStringLiteral(": ") + detail;
    if (!hint.isEmpty())
        message += QStringLiteral(" (") + hint + QLatin1Char(')');
    return Error {category, message};
}

Database::Database(sqlite3 *db, QString path)
    : m_db(db)
    , m_path(std::move(path))
{
}

Database::~Database()
{
    if (m_db)
        sqlite3_close_v2(m_db);
}

Database::Database(Database &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_path(std::move(other.m_path))
{
}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

Result<Database> Database::open(const QString &path, Access access, int busyTimeoutMs)
{
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (access) {
    case Access::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Access::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Access::Create:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    sqlite3 *db = nullptr;
    const QByteArray utf8 = path.toUtf8();
    const int rc = sqlite3_open_v2(utf8.constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString detail
            = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        return fail(sqliteError(rc, detail, QStringLiteral("Cannot open %1").arg(path)));
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busyTimeoutMs);
    return Database(db, path);
}

Result<void> Database::exec(const QString &sql)
{
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const QString detail = QString::fromUtf8(message ? message : sqlite3_errstr(rc));
        sqlite3_free(message);
        return fail(sqliteError(rc, detail, QStringLiteral("Database")));
    }
    return {};
}

Result<Statement> Database::prepare(const QString &sql)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_prepare_v3(m_db, utf8.constData(), int(utf8.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return fail(lastError(QStringLiteral("Preparing a query")));
    return Statement(stmt);
}

Result<qint64> Database::queryInt(const QString &sql)
{
    auto stmt = prepare(sql);
    if (!stmt)
        return fail(stmt.error());
    auto row = stmt->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return 0;
    return stmt->int64(0);
}

bool Database::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

qint64 Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

void Database::setCancelFlag(const std::atomic_bool *flag)
{
    if (!flag) {
        sqlite3_progress_handler(m_db, 0, nullptr, nullptr);
        return;
    }
    sqlite3_progress_handler(
        m_db, 4000,
        [](void *data) -> int {
            return static_cast<const std::atomic_bool *>(data)->load() ? 1 : 0;
        },
        const_cast<std::atomic_bool *>(flag));
}

Error Database::lastError(const QString &context) const
{
    return sqliteError(sqlite3_extended_errcode(m_db), QString::fromUtf8(sqlite3_errmsg(m_db)),
                       context);
}

} // namespace ts
