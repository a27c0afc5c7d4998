// EvalRunner's grading calls: an assertion that needs a model (llm-rubric and the other
// model-graded ones) asks from a pool thread, and the call runs on the runner's thread.

#include "evals/evalrunner.h"

#include "evals/evalplan.h"
#include "runs/generationjob.h"
#include "runs/runengine.h"

#include <condition_variable>
#include <mutex>

namespace ts {

namespace {

Error stoppedError()
{
    return Error {ErrorCode::Cancelled,
                  QStringLiteral("the eval stopped before the grading model answered")};
}

} // namespace

/// A grading call made for an assertion on a pool thread and answered on the runner's
/// thread. Whoever drops the last reference to an unanswered state answers "stopped", so a
/// waiting thread is never left hanging.
struct EvalRunner::GradeState
{
    std::mutex mutex;
    std::condition_variable answered;
    std::optional<Result<QString>> answer;

    void deliver(Result<QString> result)
    {
        {
            std::lock_guard lock(mutex);
            if (answer)
                return;
            answer = std::move(result);
        }
        answered.notify_all();
    }
};

namespace {

// Answers "stopped" when the queued start of a grading call is dropped unrun (the runner went
// away first).
struct GradeAnswerGuard
{
    std::shared_ptr<EvalRunner::GradeState> state;
    bool armed = true;
    ~GradeAnswerGuard()
    {
        if (armed && state)
            state->deliver(tl::unexpected(stoppedError()));
    }
};

} // namespace

Result<QString> EvalRunner::grade(const AssertionServices::Messages &messages)
{
    // Called on a pool thread: the call itself starts on the runner's thread.
    auto state = std::make_shared<GradeState>();
    auto stopping = m_stopping;
    if (stopping->load())
        return tl::unexpected(stoppedError());
    auto guard = std::make_shared<GradeAnswerGuard>();
    guard->state = state;
    QMetaObject::invokeMethod(
        this,
        [this, messages, guard] {
            guard->armed = false; // from here startGrade answers
            startGrade(messages, guard->state);
        },
        Qt::QueuedConnection);
    guard.reset();
    std::unique_lock lock(state->mutex);
    while (!state->answer) {
        state->answered.wait_for(lock, std::chrono::milliseconds(200));
        if (!state->answer && stopping->load())
            return tl::unexpected(stoppedError());
    }
    return *state->answer;
}

void EvalRunner::startGrade(const AssertionServices::Messages &messages,
                            std::shared_ptr<GradeState> state)
{
    if (!m_plan || m_state != State::Running) {
        state->deliver(tl::unexpected(stoppedError()));
        return;
    }
    if (m_plan->judges.isEmpty()) {
        state->deliver(fail(ErrorCode::NotFound,
                            QStringLiteral("needs a grading model: add a judge to the eval (its "
                                           "model grades llm-rubric and the other model-graded "
                                           "assertions)")));
        return;
    }
    const PlannedJudge &judge = m_plan->judges.first();
    GenerationSpec spec;
    spec.model = judge.model;
    spec.params = judge.params;
    spec.useCache = m_plan->config.useCache;
    spec.stream = false;
    spec.retryCutShort = true;
    spec.maxRetries = m_maxRetries;
    spec.retryBaseDelayMs = m_retryBaseDelayMs;
    for (const auto &[role, content] : messages)
        spec.messages.append({role, content});
    GenerationJob *job = m_engine->start(spec, this);
    m_gradeJobs.insert(job);
    connect(job, &GenerationJob::finished, this, [this, job, state](const Generation &g) {
        m_gradeJobs.remove(job);
        job->deleteLater();
        if (g.ok())
            state->deliver(g.output);
        else
            state->deliver(tl::unexpected(g.error.value_or(
                Error {ErrorCode::Network, QStringLiteral("the grading model did not answer")})));
    });
}

} // namespace ts
