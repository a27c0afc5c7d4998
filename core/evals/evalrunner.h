#pragma once

#include "common/error.h"
#include "evals/evalconfig.h"
#include "runs/generation.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>

class QThreadPool;
class QTimer;

namespace ts {

class Database;
class GenerationJob;
class RunEngine;
struct EvalPlan;
struct PlannedCase;

/// Runs an eval asynchronously: every (test case x variant x sample) through the RunEngine
/// with at most `concurrency` calls in flight (a call waiting out a retry backoff holds no
/// slot; it takes the next free one when the wait ends), assertions evaluated as each generation
/// lands and stored in the same transaction, then the judges. Calls cut short are retried (see
/// kEvalMaxRetries); one that still fails is stored as an error, never scored. Resumable: an
/// eval interrupted in any way (cancel, crash, kill -9) continues where it stopped without
/// repeating finished calls, and resuming a finished eval asks its failed calls again.
///
/// Use: prepare(config) → prepared(estimate) (show calls and cost) → start() →
/// progressed()/cellsEvaluated() … → finished(evalId, status). Lives in the thread of the
/// engine; all database work happens on the engine's GenerationWriter thread.
/// Retries after the first attempt of every eval call, shared by HTTP 408/409/429/5xx,
/// connection failures, dropped connections, answers cut short and timeouts. Higher than the
/// playground's 4: a call that still fails costs the eval a data point, while waiting longer
/// costs a batch job little (backoff 0.5, 1, 2, 4, 8, 16 s, or what the server asks).
inline constexpr int kEvalMaxRetries = 6;

class EvalRunner final : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Preparing, Ready, Running, Cancelling, Finished };

    /// `engine` must have a writer (an open project).
    explicit EvalRunner(RunEngine *engine, QObject *parent = nullptr);
    ~EvalRunner() override;

    /// Resolves the config and creates (or, with config.resume, finds the unfinished) eval.
    /// Emits prepared() or prepareFailed().
    void prepare(const EvalConfig &config);
    /// Prepares to continue a given eval with the settings it was created with.
    void prepareResume(qint64 evalId);
    /// Runs what is left. Only after prepared().
    void start();
    /// After prepared(), instead of start(): forgets the plan and deletes the eval prepare()
    /// created for it (an eval being resumed stays as it was), so an estimate leaves nothing
    /// behind. `done` (optional) runs once the deletion is committed.
    void discard(std::function<void()> done = {});
    /// Stops: queued calls are dropped, calls in flight are cancelled and not stored. The
    /// eval is marked cancelled and can be resumed. finished() follows.
    void cancel();

    /// Embeddings for `similar` and answer-relevance, called on a worker thread (core/insights'
    /// networkEmbedder with its cache suits). Unset: those assertions fail saying so.
    void setEmbedder(std::function<Result<QList<QList<double>>>(const QStringList &)> embed);
    /// Embeddings from a model an assertion names (`{"provider": "name"}` in the value of
    /// `similar` / answer-relevance), called on a worker thread. Unset: such assertions are
    /// errors. An assertion that cannot get its embeddings (no model, a refused key, a model
    /// that does not embed) makes its sample an error, not a failure.
    void setNamedEmbedder(
        std::function<Result<QList<QList<double>>>(const QString &, const QStringList &)> embed);
    /// Where relative file:// references of javascript/python assertions and transforms are
    /// found (the imported config's folder), and the time limit of one script run.
    void setScriptOptions(const QString &baseDir, int timeoutMs = 10000);

    /// Retries per call after the first attempt and the backoff before the first retry
    /// (doubling each time). Defaults: kEvalMaxRetries, 500 ms. Takes effect for calls
    /// started afterwards.
    void setRetryBudget(int maxRetries, int baseDelayMs = 500);

    State state() const { return m_state; }
    /// Internal: one grading call's answer, handed from the runner's thread to the assertion
    /// thread that waits for it.
    struct GradeState;
    qint64 evalId() const;
    EvalEstimate estimate() const;
    EvalProgress progress() const;

Q_SIGNALS:
    void prepared(const ts::EvalEstimate &estimate);
    void prepareFailed(const ts::Error &error);
    /// At most ~10 times a second while running, and once at the end.
    void progressed(const ts::EvalProgress &progress);
    /// Generations evaluated since the previous emission (batched with progressed()).
    void cellsEvaluated(const QList<ts::EvalCellUpdate> &cells);
    /// "completed", "cancelled" or "failed" (the project could not be written). Everything
    /// is committed when this arrives.
    void finished(qint64 evalId, const QString &status);

private:
    struct WorkItem
    {
        bool judge = false;
        int variant = 0;
        int caseIndex = 0;
        int sample = 0;
        int judgeIndex = 0;
        qint64 generationId = 0;
        qint64 otherGenerationId = 0;
        bool swapped = false;
        QString output;
        QString otherOutput;
        QString prompt; ///< the rendered prompt's last user message
    };
    /// One variant's answer to a case+sample with comparison assertions (select-best,
    /// max-score), kept until every variant has answered.
    struct ComparisonEntry
    {
        qint64 generationId = 0; ///< 0: the call failed (no output to compare)
        AssertionContext context;
        std::optional<CaseVerdict> verdict; ///< unset for answers of an earlier attempt
        bool fresh = false; ///< landed in this attempt
    };
    struct Landed
    {
        qint64 id = 0;
        QString output;
    };

    /// "caseIndex:sample", the key of a case's sample across variants.
    static QString pairKey(int caseIndex, int sample);
    void preparePlan(std::function<Result<EvalPlan>(Database &)> build);
    void onPrepared(Result<EvalPlan> plan);
    void pump();
    void launch(const WorkItem &item);
    void onGeneration(const WorkItem &item, Generation g);
    void storeGeneration(const WorkItem &item, const Generation &g,
                         std::optional<CaseVerdict> verdict, const AssertionContext &context);
    AssertionContext contextFor(const WorkItem &item, const Generation &g) const;
    void comparisonArrived(int variant, int caseIndex, int sample, ComparisonEntry entry);
    void decideComparisons(int caseIndex, int sample);
    void comparisonsDecided(int caseIndex, const QList<qint64> &ids, const QList<int> &variants,
                            int sample, const QList<CaseVerdict> &verdicts);
    Result<QString> grade(const AssertionServices::Messages &messages);
    void startGrade(const AssertionServices::Messages &messages, std::shared_ptr<GradeState> state);
    void onJudge(const WorkItem &item, Generation g);
    void generationStored(const WorkItem &item, qint64 id, const QString &output, bool ok);
    void queueJudges(int variant, int caseIndex, int sample, qint64 id, const QString &output);
    void callFailed(int variant, int caseIndex, int sample);
    void callDone();
    int slotsInUse() const;
    void forgetJob(GenerationJob *job);
    void scheduleProgress();
    void emitProgress();
    void checkFinished();

    RunEngine *m_engine;
    /// Assertions run here, never on the runner's (the UI) thread: scripts and grading block.
    std::unique_ptr<QThreadPool> m_pool;
    std::shared_ptr<std::atomic<bool>> m_stopping;
    std::shared_ptr<AssertionServices> m_services;
    std::function<Result<QList<QList<double>>>(const QStringList &)> m_embed;
    std::function<Result<QList<QList<double>>>(const QString &, const QStringList &)> m_embedWith;
    QString m_scriptBaseDir;
    int m_scriptTimeoutMs = 10000;
    int m_assessing = 0; ///< assertion runs on the pool whose results are not back yet
    QSet<GenerationJob *> m_gradeJobs;
    /// pairKey -> variant -> its answer, for comparison assertions.
    QHash<QString, QHash<int, ComparisonEntry>> m_comparisons;
    int m_maxRetries = kEvalMaxRetries;
    int m_retryBaseDelayMs = 500;
    std::unique_ptr<EvalPlan> m_plan;
    State m_state = State::Idle;
    std::deque<WorkItem> m_judgeQueue;
    std::deque<WorkItem> m_queue;
    QSet<GenerationJob *> m_jobs;
    /// Jobs waiting out a retry backoff: in m_jobs but holding no slot of `concurrency`.
    QSet<GenerationJob *> m_waiting;
    /// Waiting jobs whose backoff is over, in order; they get the next free slots.
    std::deque<GenerationJob *> m_resumable;
    int m_inlineCalls = 0; ///< calls that failed before reaching the network, being recorded
    int m_pendingWrites = 0;
    bool m_writeFailed = false;
    /// (caseIndex, sample) -> variant -> its ok generation, for pairwise judges.
    QHash<QString, QHash<int, Landed>> m_landed;
    QSet<QString> m_failedCalls;
    QHash<qint64, bool> m_passByGeneration; ///< assertion verdicts of this eval's generations
    QSet<qint64> m_judgeFailed;
    QSet<qint64> m_judgeErrored; ///< generations a judge call failed to reach (no verdict)
    EvalProgress m_progress;
    int m_doneThisAttempt = 0;
    QElapsedTimer m_clock;
    QTimer *m_progressTimer = nullptr;
    QList<EvalCellUpdate> m_pendingCells;
};

} // namespace ts
