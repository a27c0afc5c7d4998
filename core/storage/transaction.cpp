#include "storage/transaction.h"

#include "storage/database.h"

#include <utility>

namespace ts {

Transaction::Transaction(Database *db)
    : m_db(db)
{}

Result<Transaction> Transaction::begin(Database &db)
{
    if (auto ok = db.exec(QStringLiteral("BEGIN IMMEDIATE")); !ok)
        return fail(ok.error());
    return Transaction(&db);
}

Transaction::~Transaction()
{
    if (m_db)
        (void)m_db->exec(QStringLiteral("ROLLBACK"));
}

Transaction::Transaction(Transaction &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
{}

Result<void> Transaction::commit()
{
    if (!m_db)
        return fail(ErrorCode::Database, QStringLiteral("Transaction already finished"));
    auto ok = m_db->exec(QStringLiteral("COMMIT"));
    if (ok)
        m_db = nullptr;
    return ok;
}

} // namespace ts
