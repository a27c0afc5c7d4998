#include "logs/logbatchwriter.h"

#include "logs/logstore.h"
#include "storage/database.h"
#include "storage/transaction.h"

namespace ts {

namespace {

// About 64 MB of log with 4 KB pages: the log waits to be copied (and starts over) before it
// grows past this; a commit of 10,000 records is about 40 MB of log.
constexpr int kMaxLogPages = 16384;

} // namespace

LogBatchWriter::LogBatchWriter(LogStore &store, int maxQueued, int commitRecords,
                               std::chrono::milliseconds idleCommit,
                               std::chrono::milliseconds maxOpen)
    : m_store(store)
    , m_maxQueued(maxQueued)
    , m_commitRecords(commitRecords)
    , m_idleCommit(idleCommit)
    , m_maxOpen(maxOpen)
    , m_checkpointer(store.database().handle())
    , m_thread([this] { run(); })
{
}

LogBatchWriter::~LogBatchWriter()
{
    finish();
}

void LogBatchWriter::submit(QList<LogRowValues> records, QList<TraceSpan> spans)
{
    if (records.isEmpty() && spans.isEmpty())
        return;
    std::vector<Batch> written; // freed here, after the lock is released
    std::unique_lock lock(m_mutex);
    written.swap(m_written);
    m_changed.wait(lock, [this] { return int(m_queue.size()) < m_maxQueued || m_failed.load(); });
    if (m_failed.load())
        return; // the import stops at the next cancelled() check
    m_queue.push_back(Batch {std::move(records), std::move(spans)});
    m_changed.notify_all();
}

void LogBatchWriter::finish()
{
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

std::optional<Error> LogBatchWriter::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void LogBatchWriter::run()
{
    using Clock = std::chrono::steady_clock;
    std::optional<Transaction> open; // spans the batches written since the last commit
    Clock::time_point openedAt;
    int uncommitted = 0;
    int pendingAdded = 0; // counted once their transaction commits
    int pendingDuplicates = 0;
    auto reportFailure = [this](const Error &e) {
        std::lock_guard lock(m_mutex);
        m_error = e;
        m_failed = true;
        m_changed.notify_all();
    };
    auto dropOpen = [&] {
        open.reset(); // rolls back what this transaction held
        uncommitted = 0;
        pendingAdded = 0;
        pendingDuplicates = 0;
    };
    auto commitOpen = [&]() -> std::optional<Error> {
        if (!open)
            return std::nullopt;
        auto ok = open->commit();
        if (ok) {
            m_added += pendingAdded;
            m_duplicates += pendingDuplicates;
        }
        dropOpen();
        return ok ? std::nullopt : std::optional<Error>(ok.error());
    };
    for (;;) {
        std::optional<Batch> batch;
        bool closing = false;
        {
            std::unique_lock lock(m_mutex);
            auto ready = [this] {
                return !m_queue.empty() || m_closing;
            };
            if (open) // rows are waiting to be committed: wait for more only a little
                m_changed.wait_for(lock, m_idleCommit, ready);
            else
                m_changed.wait(lock, ready);
            if (!m_queue.empty()) {
                batch.emplace(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            closing = m_closing && m_queue.empty();
        }
        if (batch)
            m_changed.notify_all();
        // Hands the batch back to be freed by the submitting thread once it is written.
        auto handBack = [this, &batch] {
            if (!batch)
                return;
            std::lock_guard lock(m_mutex);
            m_written.push_back(std::move(*batch));
        };
        if (m_failed.load()) {
            dropOpen();
            handBack();
            if (closing)
                return;
            continue; // drain without writing after a failure
        }
        std::optional<Error> failure;
        if (batch) {
            if (!open) {
                // The log starts over only when a transaction begins after it was copied.
                m_checkpointer.settle(kMaxLogPages);
                auto tx = Transaction::begin(m_store.database());
                if (!tx) {
                    reportFailure(tx.error());
                    continue;
                }
                open.emplace(std::move(*tx));
                openedAt = Clock::now();
            }
            if (!batch->records.isEmpty()) {
                if (auto result = m_store.add(batch->records, /*savepoint=*/false)) {
                    pendingAdded += result->added;
                    pendingDuplicates += result->duplicates;
                } else {
                    failure = result.error();
                }
            }
            if (!failure && !batch->spans.isEmpty())
                if (auto ok = m_store.addSpans(batch->spans); !ok)
                    failure = ok.error();
            uncommitted += int(batch->records.size() + batch->spans.size());
        }
        // Commit when the reader fell quiet (or is done), enough piled up, or the transaction
        // has been open long enough.
        if (!failure && open
            && (!batch || closing || uncommitted >= m_commitRecords
                || Clock::now() - openedAt >= m_maxOpen))
            failure = commitOpen();
        if (failure) {
            dropOpen();
            reportFailure(*failure);
        }
        handBack();
        if (closing)
            return;
    }
}

} // namespace ts
