#include "common/readerpool.h"

#include "prompts/promptstore.h"
#include "storage/project.h"

namespace ts {

ReaderPool::ReaderPool(int threads)
    : m_running(size_t(threads))
{
    for (int i = 0; i < threads; ++i)
        m_threads.emplace_back([this, i] { loop(i); });
}

ReaderPool::~ReaderPool()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
        for (const CancelToken &token : m_running)
            if (token)
                token->store(true);
        for (const Job &job : m_queue)
            job.token->store(true);
        m_queue.clear();
    }
    m_wake.notify_all();
    for (std::thread &t : m_threads)
        t.join();
}

void ReaderPool::post(Job job)
{
    {
        const std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void ReaderPool::closeConnections()
{
    {
        const std::lock_guard lock(m_mutex);
        ++m_closeSerial;
        for (const CancelToken &token : m_running)
            if (token)
                token->store(true);
        for (const Job &job : m_queue)
            job.token->store(true);
        m_queue.clear();
    }
    m_wake.notify_all();
}

void ReaderPool::loop(int index)
{
    std::unique_ptr<Project> project;
    std::unique_ptr<PromptStore> prompts;
    QString openPath;
    quint64 seenClose = 0;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(
                lock, [&] { return m_stopping || !m_queue.empty() || seenClose != m_closeSerial; });
            if (m_stopping)
                break;
            if (seenClose != m_closeSerial) {
                seenClose = m_closeSerial;
                lock.unlock();
                prompts.reset();
                project.reset();
                openPath.clear();
                continue;
            }
            job = std::move(m_queue.front());
            m_queue.pop_front();
            if (job.token->load())
                continue; // cancelled while queued: not run, not answered
            m_running[size_t(index)] = job.token;
        }
        if (job.path != openPath) {
            prompts.reset();
            project.reset();
            openPath = job.path;
            if (!job.path.isEmpty()) {
                // A failure leaves no connection: the work sees no project and says so.
                if (auto opened = Project::openReader(job.path, job.readOnlyFile)) {
                    project = std::make_unique<Project>(std::move(*opened));
                    prompts = std::make_unique<PromptStore>(project->db());
                } else {
                    openPath.clear();
                }
            }
        }
        WorkContext ctx;
        ctx.project = project.get();
        ctx.prompts = prompts.get();
        ctx.cancelled = job.token.get();
        if (project)
            project->db().setCancelFlag(job.token.get());
        job.work(ctx);
        if (project)
            project->db().setCancelFlag(nullptr);
        {
            const std::lock_guard lock(m_mutex);
            m_running[size_t(index)].reset();
        }
        if (job.done)
            job.done();
    }
    prompts.reset();
    project.reset();
}

} // namespace ts
