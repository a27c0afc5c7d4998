#include "logs/logbatchwriter.h"

#include "logs/logstore.h"
#include "storage/transaction.h"

namespace ts {

LogBatchWriter::LogBatchWriter(LogStore &store, int maxQueued, int commitRecords)
    : m_store(store)
    , m_maxQueued(maxQueued)
    , m_commitRecords(commitRecords)
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
    std::unique_lock lock(m_mutex);
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
    std::optional<Transaction> open; // spans the batches written since the last commit
    int uncommitted = 0;
    int pendingAdded = 0; // counted once their transaction commits
    int pendingDuplicates = 0;
    auto reportFailure = [this](const Error &e) {
        std::lock_guard lock(m_mutex);
        m_error = e;
        m_failed = true;
        m_changed.notify_all();
    };
    for (;;) {
        Batch batch;
        bool more = false;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_queue.empty() || m_closing; });
            if (m_queue.empty())
                return;
            batch = std::move(m_queue.front());
            m_queue.pop_front();
            more = !m_queue.empty();
        }
        m_changed.notify_all();
        if (m_failed.load())
            continue; // drain without writing after a failure
        if (!open) {
            auto tx = Transaction::begin(m_store.database());
            if (!tx) {
                reportFailure(tx.error());
                continue;
            }
            open.emplace(std::move(*tx));
        }
        std::optional<Error> failure;
        if (!batch.records.isEmpty()) {
            if (auto result = m_store.add(batch.records, /*savepoint=*/false)) {
                pendingAdded += result->added;
                pendingDuplicates += result->duplicates;
            } else {
                failure = result.error();
            }
        }
        if (!failure && !batch.spans.isEmpty())
            if (auto ok = m_store.addSpans(batch.spans); !ok)
                failure = ok.error();
        uncommitted += int(batch.records.size() + batch.spans.size());
        // Commit when nothing else is waiting (never hold rows while idle) or enough piled up.
        if (!failure && (!more || uncommitted >= m_commitRecords)) {
            if (auto ok = open->commit(); ok) {
                m_added += pendingAdded;
                m_duplicates += pendingDuplicates;
            } else {
                failure = ok.error();
            }
            open.reset();
            uncommitted = 0;
            pendingAdded = 0;
            pendingDuplicates = 0;
        }
        if (failure) {
            open.reset(); // rolls back what this transaction held
            pendingAdded = 0;
            pendingDuplicates = 0;
            reportFailure(*failure);
        }
    }
}

} // namespace ts
