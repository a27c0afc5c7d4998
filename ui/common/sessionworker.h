#pragma once

#include "common/projectsession.h"

#include <QObject>

#include <memory>
#include <optional>

namespace ts {

/// Lives on the session's worker thread and owns the project connection and the stores.
class SessionWorker final : public QObject
{
    Q_OBJECT

public:
    SessionWorker();
    ~SessionWorker() override;

    /// Runs one piece of work with the current project. Called on the worker thread.
    void run(const std::function<void(WorkContext &)> &work, const CancelToken &token);
    /// Replaces the open project (nullptr closes it).
    void setProject(std::unique_ptr<Project> project);
    Project *project() const { return m_project.get(); }

private:
    std::unique_ptr<Project> m_project;
    std::unique_ptr<PromptStore> m_prompts;
};

} // namespace ts
