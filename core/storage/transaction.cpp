#include "storage/transaction.h"

#include "storage/database.h"

#include <atomic>
#include <utility>

namespace ts {

Transaction::Transaction(Database *db, QString savepoint)
    : m_db(db)
    , m_savepoint(std::move(savepoint))
{}

Result<Transaction> Transaction::begin(Database &db)
{
    if (db.inTransaction()) {
        static std::atomic<int> counter{0};
        const QString name = QStringLiteral("ts_nested_%1").arg(++counter);
        if (auto ok = db.exec(QStringLiteral("SAVEPOINT ") + name); !ok)
            return fail(ok.error());
        return Transaction(&db, name);
    }
    if (auto ok = db.exec(QStringLiteral("BEGIN IMMEDIATE")); !ok)
        return fail(ok.error());
    return Transaction(&db, QString());
}

Transaction::~Transaction()
{
    if (!m_db)
        return;
    if (m_savepoint.isEmpty()) {
        (void)m_db->exec(QStringLiteral("ROLLBACK"));
    } else {
        (void)m_db->exec(QStringLiteral("ROLLBACK TO ") + m_savepoint);
        (void)m_db->exec(QStringLiteral("RELEASE ") + m_savepoint);
    }
}

Transaction::Transaction(Transaction &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_savepoint(std::move(other.m_savepoint))
{}

Result<void> Transaction::commit()
{
    if (!m_db)
        return fail(ErrorCode::Database, QStringLiteral("Transaction already finished"));
    auto ok = m_db->exec(m_savepoint.isEmpty() ? QStringLiteral("COMMIT")
                                               : QStringLiteral("RELEASE ") + m_savepoint);
    if (ok)
        m_db = nullptr;
    return ok;
}

} // namespace ts
