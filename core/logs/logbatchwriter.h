#pragma once

#include "common/error.h"
#include "logs/logrecord.h"
#include "logs/logrowvalues.h"
#include "logs/walcheckpointer.h"

#include <QList>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace ts {

class LogStore;

/// Writes batches of records on a thread of its own, so that parsing the next batch and
/// storing the last one overlap (on two cores an import then costs the slower of the two,
/// not their sum). The store's connection is used only by this thread until finish().
/// While batches keep coming, several are committed together (up to `commitRecords`
/// records): each commit rewrites the index pages and FTS segments it touched, so fewer,
/// larger commits store the same rows for less. When the queue runs empty the writer waits
/// up to `idleCommit` for the next batch before it commits (the reader is usually a few
/// milliseconds behind: committing at every empty queue made an import commit every batch),
/// and no transaction stays open longer than `maxOpen`, so rows show in the store within about
/// a second and an interrupted import loses at most that much uncommitted work. Written
/// batches are freed on the submitting thread (the next submit()), not on the writer's: a
/// batch is hundreds of thousands of allocations made there, and the writer is the busier one.
/// For the same reason the write-ahead log is checkpointed on a thread of its own
/// (WalCheckpointer) while the writer runs.
class LogBatchWriter final
{
public:
    /// `maxQueued` bounds how many parsed batches wait in memory.
    explicit LogBatchWriter(LogStore &store, int maxQueued = 3, int commitRecords = 10000,
                            std::chrono::milliseconds idleCommit = std::chrono::milliseconds(200),
                            std::chrono::milliseconds maxOpen = std::chrono::milliseconds(1000));
    ~LogBatchWriter();
    LogBatchWriter(const LogBatchWriter &) = delete;
    LogBatchWriter &operator=(const LogBatchWriter &) = delete;

    /// Queues a batch; waits while the queue is full.
    void submit(QList<LogRowValues> records, QList<TraceSpan> spans);
    /// Waits until every queued batch is written and stops the thread.
    void finish();

    int added() const { return m_added.load(); }
    int duplicates() const { return m_duplicates.load(); }
    bool failed() const { return m_failed.load(); }
    /// The first write error (valid once failed() is true).
    std::optional<Error> error() const;

private:
    struct Batch
    {
        QList<LogRowValues> records;
        QList<TraceSpan> spans;
    };
    void run();

    LogStore &m_store;
    const int m_maxQueued;
    const int m_commitRecords;
    const std::chrono::milliseconds m_idleCommit;
    const std::chrono::milliseconds m_maxOpen;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Batch> m_queue;
    std::vector<Batch> m_written; ///< freed by the next submit() or finish()
    bool m_closing = false;
    std::optional<Error> m_error;
    std::atomic_int m_added {0};
    std::atomic_int m_duplicates {0};
    std::atomic_bool m_failed {false};
    WalCheckpointer m_checkpointer; ///< copies the log into the file beside the writer
    std::thread m_thread;
};

} // namespace ts
