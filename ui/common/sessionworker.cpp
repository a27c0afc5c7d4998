#include "common/sessionworker.h"

#include "prompts/promptstore.h"
#include "storage/project.h"

namespace ts {

SessionWorker::SessionWorker() = default;

SessionWorker::~SessionWorker()
{
    m_prompts.reset();
    m_project.reset();
}

void SessionWorker::run(const std::function<void(WorkContext &)> &work, const CancelToken &token)
{
    WorkContext ctx;
    ctx.project = m_project.get();
    ctx.prompts = m_prompts.get();
    ctx.cancelled = token.get();
    work(ctx);
}

void SessionWorker::setProject(std::unique_ptr<Project> project)
{
    m_prompts.reset();
    // Closing: leave the planner statistics current for the next open (cheap: sampled).
    if (m_project)
        (void)m_project->optimize();
    m_project = std::move(project);
    if (m_project)
        m_prompts = std::make_unique<PromptStore>(m_project->db());
}

} // namespace ts
