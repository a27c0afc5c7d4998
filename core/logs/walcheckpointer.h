#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

struct sqlite3;

namespace ts {

/// Copies the write-ahead log back into the database file on a thread and connection of its
/// own while an import writes. SQLite otherwise does it inside the writer's commits
/// (wal_autocheckpoint), a tenth of the writing thread's time in an import, and that thread
/// is the busier of the two; this one runs in the reading thread's spare time. The same
/// passive checkpoints as SQLite's own, so what is committed is as durable as before.
/// Destroy it after the last write: the connection's automatic checkpoints come back.
///
/// SQLite starts the log over only when a write transaction begins after everything in it was
/// copied, which a writer that begins its next transaction right after a commit never sees:
/// the writer calls settle() before it begins one, and once the log has grown past a bound it
/// waits there for the copy to finish (a few tens of milliseconds), so the log stays bounded.
class WalCheckpointer final
{
public:
    /// Takes over checkpointing for `writer` (a connection in WAL mode, used by one thread).
    /// Does nothing for an in-memory database or when the second connection cannot be opened.
    explicit WalCheckpointer(sqlite3 *writer);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    /// Called by the writer before it begins a transaction: when the log holds `maxPages` or
    /// more, waits until it is copied, so that the transaction starts it over.
    void settle(int maxPages);

private:
    static int committed(void *self, sqlite3 *db, const char *schema, int walPages);
    void run();

    sqlite3 *m_writer;
    sqlite3 *m_connection = nullptr;
    int m_autocheckpoint = 1000; ///< the writer's setting, restored at the end
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    bool m_pending = false;
    bool m_running = false;
    bool m_stop = false;
    std::atomic_int m_walPages {0}; ///< pages in the log after the last commit
    std::thread m_thread;
};

} // namespace ts
