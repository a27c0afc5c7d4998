#pragma once

#include "common/error.h"

#include <QString>

#include <atomic>

struct sqlite3;

namespace ts {

class Statement;

/// An open SQLite connection (RAII). Not shared between threads: one connection per thread.
class Database final
{
public:
    enum class Access { ReadWrite, ReadOnly, Create };

    Database() = default;
    ~Database();
    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    /// Opens (or with Access::Create, creates) the file. Does no checks of the content.
    static Result<Database> open(const QString &path, Access access, int busyTimeoutMs = 5000);

    bool isOpen() const { return m_db != nullptr; }
    sqlite3 *handle() const { return m_db; }
    QString path() const { return m_path; }

    /// Runs one or more statements that return no rows.
    Result<void> exec(const QString &sql);
    Result<Statement> prepare(const QString &sql);
    /// Integer result of a one-row, one-column query such as a PRAGMA.
    Result<qint64> queryInt(const QString &sql);

    /// True inside BEGIN ... COMMIT (then Transaction nests as a savepoint).
    bool inTransaction() const;
    qint64 lastInsertId() const;
    int changes() const;

    /// Stops whatever runs on this connection once `flag` becomes true: the statement fails
    /// with ErrorCode::Cancelled. Checked every few thousand SQLite steps, so it may be set
    /// from another thread; nullptr removes the check. The flag must outlive its use.
    void setCancelFlag(const std::atomic_bool *flag);

    /// An error value for the connection's last failure, with `context` naming what we tried.
    Error lastError(const QString &context) const;

private:
    explicit Database(sqlite3 *db, QString path);
    sqlite3 *m_db = nullptr;
    QString m_path;
};

/// Maps an SQLite result code to our error categories with a message that says what to do.
Error sqliteError(int code, const QString &detail, const QString &context);

} // namespace ts
