#pragma once

#include "common/error.h"

namespace ts {

class Database;

/// Begins a write transaction and rolls it back on destruction unless commit() succeeded.
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
    explicit Transaction(Database *db);
    Database *m_db = nullptr;
};

} // namespace ts
