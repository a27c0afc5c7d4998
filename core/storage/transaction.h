#pragma once

#include "common/error.h"

#include <QString>

namespace ts {

class Database;

/// Begins a write transaction and rolls it back on destruction unless commit() succeeded.
/// Inside another transaction it becomes a savepoint, so store methods compose.
class Transaction final
{
public:
    /// BEGIN IMMEDIATE, so a conflicting writer is detected now rather than at the first write.
    static Result<Transaction> begin(Database &db);
    ~Transaction();
    Transaction(Transaction &&other) noexcept;
    Transaction &operator=(Transaction &&) = delete;
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    Result<void> commit();

private:
    Transaction(Database *db, QString savepoint);
    Database *m_db = nullptr;
    QString m_savepoint; ///< empty for the outermost transaction
};

} // namespace ts
