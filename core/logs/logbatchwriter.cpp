#include "logs/logbatchwriter.h"

#include "logs/logstore.h"

namespace ts {

LogBatchWriter::LogBatchWriter(LogStore &store, int maxQueued)
    : m_store(store)
    , m_maxQueued(maxQueued)
    , m_thread([this] { run(); })
{
}

LogBatchWriter::~LogBatchWriter()
{
    finish();
}

void LogBatchWriter::submit(QList<LogRecord> records, QList<TraceSpan> spans)
{
    if (records.isEmpty() && spans.isEmpty())
        return;
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return int(m_queue.size()) < m_maxQueued || m_failed.load(); });
    if (m_failed.load())
        return; // the import stops at the next cancelled() check
    m_queue.push_back(Batch{std::move(records), std::move(spans)});
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
    for (;;) {
        Batch batch;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_queue.empty() || m_closing; });
            if (m_queue.empty())
                return;
            batch = std::move(m_queue.front());
            m_queue.pop_front();
        }
        m_changed.notify_all();
        if (m_failed.load())
            continue; // drain without writing after a failure
        std::optional<Error> failure;
        if (!batch.records.isEmpty()) {
            auto added = m_store.add(batch.records);
            if (added) {
                m_added += added->added;
                m_duplicates += added->duplicates;
            } else {
                failure = added.error();
            }
        }
        if (!failure && !batch.spans.isEmpty())
            if (auto ok = m_store.addSpans(batch.spans); !ok)
                failure = ok.error();
        if (failure) {
            std::lock_guard lock(m_mutex);
            m_error = failure;
            m_failed = true;
            m_changed.notify_all();
        }
    }
}

} // namespace ts
