#pragma once

#include "common/projectsession.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace ts {

/// A few threads that each own a read-only connection to the open project, so that a long
/// read (a big eval, a page of History) never waits behind another view's load or behind the
/// writer: WAL lets them read while the session's worker writes. ProjectSession::postRead()
/// feeds it. A job whose token is set before it starts is skipped; one that is running stops
/// at its next SQLite step (Database::setCancelFlag).
class ReaderPool final
{
public:
    struct Job
    {
        QString path; ///< the project the job was posted for; empty when none was open
        bool readOnlyFile = false;
        std::function<void(WorkContext &)> work;
        std::function<void()> done; ///< called on the reader thread after the work ran
        CancelToken token;
    };

    explicit ReaderPool(int threads);
    ~ReaderPool();
    ReaderPool(const ReaderPool &) = delete;
    ReaderPool &operator=(const ReaderPool &) = delete;

    void post(Job job);
    /// Drops every connection (the project closed or changed) and cancels queued jobs.
    void closeConnections();

private:
    void loop(int index);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    std::vector<CancelToken> m_running; ///< per thread, so that shutdown can stop them
    quint64 m_closeSerial = 0;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace ts
