#include "logs/walcheckpointer.h"

#include <sqlite3.h>

#include <cstring>

namespace ts {

namespace {

int autocheckpointOf(sqlite3 *db)
{
    sqlite3_stmt *stmt = nullptr;
    int pages = 1000; // SQLite's default
    if (sqlite3_prepare_v2(db, "PRAGMA wal_autocheckpoint", -1, &stmt, nullptr) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW)
        pages = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return pages;
}

} // namespace

WalCheckpointer::WalCheckpointer(sqlite3 *writer)
    : m_writer(writer)
{
    const char *file = writer ? sqlite3_db_filename(writer, "main") : nullptr;
    if (!file || !*file)
        return; // in memory: no log to copy
    if (sqlite3_open_v2(file, &m_connection, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(m_connection);
        m_connection = nullptr;
        return; // the writer keeps checkpointing itself
    }
    m_autocheckpoint = autocheckpointOf(writer);
    // A connection opens the log only once it has read the file: until then a checkpoint
    // through it copies nothing.
    if (m_autocheckpoint <= 0
        || sqlite3_exec(m_connection, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr,
                        nullptr)
            != SQLITE_OK) {
        sqlite3_close(m_connection); // turned off, or unreadable: leave checkpoints as they are
        m_connection = nullptr;
        return;
    }
    m_thread = std::thread([this] { run(); });
    // Replaces SQLite's automatic checkpoint hook (the same threshold, in pages of log).
    sqlite3_wal_hook(writer, &WalCheckpointer::committed, this);
}

WalCheckpointer::~WalCheckpointer()
{
    if (!m_connection)
        return;
    sqlite3_wal_autocheckpoint(m_writer, m_autocheckpoint); // SQLite's hook again
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
    sqlite3_close(m_connection);
}

int WalCheckpointer::committed(void *self, sqlite3 *, const char *, int walPages)
{
    auto *checkpointer = static_cast<WalCheckpointer *>(self);
    checkpointer->m_walPages = walPages;
    if (walPages >= checkpointer->m_autocheckpoint) {
        {
            std::lock_guard lock(checkpointer->m_mutex);
            checkpointer->m_pending = true;
        }
        checkpointer->m_wake.notify_all();
    }
    return SQLITE_OK;
}

void WalCheckpointer::settle(int maxPages)
{
    if (!m_connection || m_walPages.load() < maxPages)
        return;
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return (!m_pending && !m_running) || m_stop; });
}

void WalCheckpointer::run()
{
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_pending || m_stop; });
            if (m_stop)
                break;
            m_pending = false;
            m_running = true;
        }
        // Passive: copies what it can without waiting for or blocking the writer; what it
        // cannot copy yet is copied at the next commit's wake-up.
        sqlite3_wal_checkpoint_v2(m_connection, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                  nullptr);
        {
            std::lock_guard lock(m_mutex);
            m_running = false;
        }
        m_idle.notify_all();
    }
    m_idle.notify_all();
}

} // namespace ts
