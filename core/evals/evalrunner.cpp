#include "evals/evalrunner.h"

#include "evals/evaljudging.h"
#include "evals/evalplan.h"
#include "runs/generationjob.h"
#include "runs/generationwriter.h"
#include "runs/promptrenderer.h"
#include "runs/runengine.h"
#include "storage/database.h"

#include <QPointer>
#include <QTimer>

namespace ts {

namespace {

constexpr int kProgressIntervalMs = 100;

QString pairKey(int caseIndex, int sample)
{
    return QStringLiteral("%1:%2").arg(caseIndex).arg(sample);
}

} // namespace

EvalRunner::EvalRunner(RunEngine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_progressTimer(new QTimer(this))
{
    qRegisterMetaType<ts::EvalEstimate>();
    qRegisterMetaType<ts::EvalProgress>();
    qRegisterMetaType<ts::Generation>();
    m_progressTimer->setSingleShot(true);
    m_progressTimer->setInterval(kProgressIntervalMs);
    connect(m_progressTimer, &QTimer::timeout, this, &EvalRunner::emitProgress);
}

EvalRunner::~EvalRunner()
{
    // Jobs are our children; cancelling first keeps them from emitting into a dying object.
    for (GenerationJob *job : std::as_const(m_jobs))
        job->disconnect(this);
}

qint64 EvalRunner::evalId() const
{
    return m_plan ? m_plan->evalId : 0;
}

EvalEstimate EvalRunner::estimate() const
{
    return m_plan ? m_plan->estimate : EvalEstimate {};
}

EvalProgress EvalRunner::progress() const
{
    return m_progress;
}

void EvalRunner::setRetryBudget(int maxRetries, int baseDelayMs)
{
    m_maxRetries = std::max(0, maxRetries);
    m_retryBaseDelayMs = std::max(0, baseDelayMs);
}

void EvalRunner::prepare(const EvalConfig &config)
{
    preparePlan([config](Database &db) { return buildEvalPlan(db, config); });
}

void EvalRunner::prepareResume(qint64 evalId)
{
    preparePlan([evalId](Database &db) { return resumeEvalPlan(db, evalId); });
}

void EvalRunner::preparePlan(std::function<Result<EvalPlan>(Database &)> build)
{
    if (m_state == State::Preparing || m_state == State::Running || m_state == State::Cancelling)
        return;
    m_state = State::Preparing;
    QPointer<EvalRunner> self(this);
    // The plan reads the project, so it is built on the writer's connection.
    m_engine->writer()->post([self, build = std::move(build)](Database &db) {
        auto plan = build(db);
        if (self)
            QMetaObject::invokeMethod(
                self,
                [self, plan = std::move(plan)]() mutable {
                    if (self)
                        self->onPrepared(std::move(plan));
                },
                Qt::QueuedConnection);
    });
}

void EvalRunner::onPrepared(Result<EvalPlan> plan)
{
    if (!plan) {
        m_state = State::Idle;
        Q_EMIT prepareFailed(plan.error());
        return;
    }
    m_plan = std::make_unique<EvalPlan>(std::move(*plan));
    m_state = State::Ready;
    Q_EMIT prepared(m_plan->estimate);
}

void EvalRunner::start()
{
    if (m_state != State::Ready || !m_plan)
        return;
    m_state = State::Running;
    const EvalPlan &plan = *m_plan;
    const qint64 id = plan.evalId;
    m_engine->writer()->post(
        [id](Database &db) { (void)setEvalStatus(db, id, QStringLiteral("running")); });

    m_progress = {};
    m_progress.evalId = id;
    m_progress.total = plan.estimate.totalCalls;
    m_progress.done = plan.estimate.alreadyDone;
    m_judgeFailed = plan.judgeFailed;
    m_clock.start();

    // What an earlier attempt finished counts as done; its judges may still be owed.
    for (int c = 0; c < plan.cases.size(); ++c) {
        for (int s = 0; s < plan.config.samples; ++s) {
            for (int v = 0; v < plan.variants.size(); ++v) {
                const QString key = EvalPlan::callKey(v, plan.cases[c].testCase.id, s);
                auto it = plan.done.constFind(key);
                if (it == plan.done.cend()) {
                    WorkItem item;
                    item.variant = v;
                    item.caseIndex = c;
                    item.sample = s;
                    m_queue.push_back(item);
                    continue;
                }
                m_passByGeneration.insert(it->id, it->pass);
                ++m_progress.evaluated;
                if (it->pass && !m_judgeFailed.contains(it->id))
                    ++m_progress.passed;
                queueJudges(v, c, s, it->id, it->output);
            }
        }
    }
    emitProgress();
    pump();
    checkFinished();
}

void EvalRunner::cancel()
{
    if (m_state == State::Ready) {
        m_state = State::Finished;
        const qint64 id = m_plan->evalId;
        m_engine->writer()->post(
            [id](Database &db) { (void)setEvalStatus(db, id, QStringLiteral("cancelled")); });
        Q_EMIT finished(id, QStringLiteral("cancelled"));
        return;
    }
    if (m_state != State::Running)
        return;
    m_state = State::Cancelling;
    m_queue.clear();
    m_judgeQueue.clear();
    const auto jobs = m_jobs;
    for (GenerationJob *job : jobs)
        job->cancel();
    checkFinished();
}

int EvalRunner::slotsInUse() const
{
    return int(m_jobs.size() - m_waiting.size()) + m_inlineCalls;
}

void EvalRunner::forgetJob(GenerationJob *job)
{
    m_jobs.remove(job);
    m_waiting.remove(job);
    std::erase(m_resumable, job);
}

void EvalRunner::pump()
{
    const int limit = m_plan->config.concurrency;
    // Retries first: their calls were started before anything still queued.
    while (m_state == State::Running && slotsInUse() < limit && !m_resumable.empty()) {
        GenerationJob *job = m_resumable.front();
        m_resumable.pop_front();
        m_waiting.remove(job);
        job->resume();
    }
    while (m_state == State::Running && slotsInUse() < limit
           && (!m_judgeQueue.empty() || !m_queue.empty())) {
        std::deque<WorkItem> &queue = m_judgeQueue.empty() ? m_queue : m_judgeQueue;
        const WorkItem item = queue.front();
        queue.pop_front();
        launch(item);
    }
}

void EvalRunner::launch(const WorkItem &item)
{
    const EvalPlan &plan = *m_plan;
    const PlannedCase &pc = plan.cases[item.caseIndex];
    GenerationSpec spec;
    spec.runId = 0; // stored by onGeneration()/onJudge() together with their results
    spec.testCaseId = pc.testCase.id;
    spec.sampleIndex = item.sample;
    spec.useCache = plan.config.useCache;
    spec.stream = false;
    // A network fault is not the model's answer: retry it, and never score a fragment.
    spec.retryCutShort = true;
    spec.maxRetries = m_maxRetries;
    spec.retryBaseDelayMs = m_retryBaseDelayMs;
    spec.yieldWhileWaiting = true; // a backoff frees the slot for the next call
    Result<QList<ChatMessage>> messages;
    if (item.judge) {
        const PlannedJudge &j = plan.judges[item.judgeIndex];
        spec.model = j.model;
        spec.params = j.params;
        spec.variables = judgeVariables(j.config, pc, item.output, item.otherOutput);
        messages = renderPrompt(j.prompt.content, spec.variables);
        spec.sampleIndex = 0;
    } else {
        const PlannedVariant &v = plan.variants[item.variant];
        spec.model = v.model;
        spec.params = v.params;
        spec.variables = pc.testCase.data.vars;
        messages = renderPrompt(v.version.content, spec.variables);
    }
    if (!messages) {
        // A template that cannot render is this call's error, recorded like a failed call.
        Generation g;
        g.testCaseId = spec.testCaseId;
        g.sampleIndex = spec.sampleIndex;
        g.variables = spec.variables;
        g.status = GenerationStatus::Error;
        g.finish = FinishReason::Error;
        g.error = messages.error();
        ++m_inlineCalls;
        QTimer::singleShot(0, this, [this, item, g] {
            --m_inlineCalls;
            if (item.judge)
                onJudge(item, g);
            else
                onGeneration(item, g);
        });
        return;
    }
    spec.messages = *messages;
    GenerationJob *job = m_engine->start(spec, this);
    m_jobs.insert(job);
    connect(job, &GenerationJob::retrying, this, [this, job] {
        if (!m_jobs.contains(job) || m_waiting.contains(job))
            return;
        m_waiting.insert(job);
        pump();
    });
    connect(job, &GenerationJob::retryDue, this, [this, job] {
        if (!m_waiting.contains(job))
            return;
        m_resumable.push_back(job);
        pump();
    });
    connect(job, &GenerationJob::finished, this, [this, item, job](const Generation &g) {
        forgetJob(job);
        job->deleteLater();
        if (item.judge)
            onJudge(item, g);
        else
            onGeneration(item, g);
    });
}

void EvalRunner::onGeneration(const WorkItem &item, Generation g)
{
    const EvalPlan &plan = *m_plan;
    const PlannedVariant &variant = plan.variants[item.variant];
    const PlannedCase &pc = plan.cases[item.caseIndex];
    if (g.status == GenerationStatus::Cancelled) {
        checkFinished(); // not stored: a resumed eval asks again
        return;
    }
    g.runId = variant.runId;
    callDone();
    GenerationWriter::AfterInsert also;
    std::optional<CaseVerdict> verdict;
    if (g.ok()) {
        AssertionContext ctx;
        ctx.output = g.output;
        ctx.expected = pc.testCase.data.expected;
        ctx.vars = pc.testCase.data.vars;
        ctx.latencyMs = g.cacheHit ? std::nullopt : g.latencyMs;
        ctx.cost = g.cost;
        verdict = evaluateCase(pc.assertions, ctx, pc.testCase.threshold);
        also = [pc, v = *verdict](Database &db, qint64 id) {
            return insertVerdict(db, id, pc, v);
        };
    } else {
        ++m_progress.errors;
        callFailed(item.variant, item.caseIndex, item.sample);
    }
    ++m_pendingWrites;
    m_engine->writer()->write(g, also, this, [this, item, g, verdict](Result<qint64> id) {
        --m_pendingWrites;
        if (!id) {
            m_writeFailed = true;
        } else {
            EvalCellUpdate cell;
            cell.variant = item.variant;
            cell.testCaseId = m_plan->cases[item.caseIndex].testCase.id;
            cell.sampleIndex = item.sample;
            cell.generationId = *id;
            cell.ok = g.ok();
            cell.output = g.output;
            if (verdict) {
                cell.pass = verdict->pass;
                cell.score = verdict->score;
                cell.reason = verdict->reason;
                m_passByGeneration.insert(*id, verdict->pass);
                ++m_progress.evaluated;
                if (verdict->pass)
                    ++m_progress.passed;
                queueJudges(item.variant, item.caseIndex, item.sample, *id, g.output);
            } else {
                // An error has no verdict: not in `evaluated`, so the live rate leaves it out.
                cell.reason = g.error ? g.error->message : generationStatusName(g.status);
            }
            m_pendingCells.append(cell);
        }
        scheduleProgress();
        pump();
        checkFinished();
    });
    pump();
}

void EvalRunner::onJudge(const WorkItem &item, Generation g)
{
    const EvalPlan &plan = *m_plan;
    const PlannedJudge &judge = plan.judges[item.judgeIndex];
    if (g.status == GenerationStatus::Cancelled) {
        checkFinished();
        return;
    }
    g.runId = judge.runId;
    callDone();
    JudgmentRow row;
    row.evalId = plan.evalId;
    row.judgeId = judge.config.id;
    row.generationId = item.generationId;
    if (item.otherGenerationId)
        row.otherGenerationId = item.otherGenerationId;
    row.swapped = item.swapped;
    row.reading = readJudgeAnswer(judge.config, g);
    if (!row.reading.error.isEmpty())
        ++m_progress.errors;
    const bool pointwise = judge.config.kind != JudgeKind::Pairwise;
    if (pointwise && !g.ok()) {
        // The judge could not be reached: the judged sample has no verdict (an error, which
        // EvalResults leaves out too), rather than a failure.
        if (!m_judgeErrored.contains(item.generationId)
            && m_passByGeneration.contains(item.generationId)) {
            m_judgeErrored.insert(item.generationId);
            --m_progress.evaluated;
            if (m_passByGeneration.value(item.generationId)
                && !m_judgeFailed.contains(item.generationId))
                --m_progress.passed;
        }
    } else if (pointwise && !row.reading.pass.value_or(false)
               && !m_judgeFailed.contains(item.generationId)) {
        m_judgeFailed.insert(item.generationId);
        if (m_passByGeneration.value(item.generationId)
            && !m_judgeErrored.contains(item.generationId))
            --m_progress.passed;
    }
    ++m_pendingWrites;
    auto also = [row](Database &db, qint64 id) {
        JudgmentRow stored = row;
        stored.judgeGenerationId = id;
        return insertJudgment(db, stored);
    };
    m_engine->writer()->write(g, also, this, [this](Result<qint64> id) {
        --m_pendingWrites;
        if (!id)
            m_writeFailed = true;
        scheduleProgress();
        checkFinished();
    });
    pump();
}

void EvalRunner::queueJudges(int variant, int caseIndex, int sample, qint64 id,
                             const QString &output)
{
    const EvalPlan &plan = *m_plan;
    QHash<int, Landed> &landed = m_landed[pairKey(caseIndex, sample)];
    landed.insert(variant, {id, output});
    for (int j = 0; j < plan.judges.size(); ++j) {
        const JudgeKind kind = plan.judges[j].config.kind;
        if (kind != JudgeKind::Pairwise) {
            if (plan.doneJudgments.contains(EvalPlan::judgmentKey(j, id, false)))
                continue;
            WorkItem item;
            item.judge = true;
            item.judgeIndex = j;
            item.variant = variant;
            item.caseIndex = caseIndex;
            item.sample = sample;
            item.generationId = id;
            item.output = output;
            m_judgeQueue.push_back(item);
            continue;
        }
        for (auto it = landed.cbegin(); it != landed.cend(); ++it) {
            if (it.key() == variant)
                continue;
            // The pair is stored under the lower variant's generation; swapped = 1 when the
            // higher one was shown as A.
            const bool mineFirst = variant < it.key();
            const Landed first = mineFirst ? Landed {id, output} : it.value();
            const Landed second = mineFirst ? it.value() : Landed {id, output};
            for (bool swapped : {false, true}) {
                if (plan.doneJudgments.contains(EvalPlan::judgmentKey(j, first.id, swapped)))
                    continue;
                WorkItem item;
                item.judge = true;
                item.judgeIndex = j;
                item.variant = std::min(variant, it.key());
                item.caseIndex = caseIndex;
                item.sample = sample;
                item.generationId = first.id;
                item.otherGenerationId = second.id;
                item.swapped = swapped;
                item.output = swapped ? second.output : first.output;
                item.otherOutput = swapped ? first.output : second.output;
                m_judgeQueue.push_back(item);
            }
        }
    }
}

void EvalRunner::callFailed(int variant, int caseIndex, int sample)
{
    // A failed generation is never judged: take its judge calls out of the total.
    const EvalPlan &plan = *m_plan;
    const QString key = pairKey(caseIndex, sample);
    for (const PlannedJudge &j : plan.judges) {
        if (j.config.kind != JudgeKind::Pairwise) {
            --m_progress.total;
            continue;
        }
        for (int other = 0; other < plan.variants.size(); ++other)
            if (other != variant
                && !m_failedCalls.contains(EvalPlan::callKey(other, caseIndex, sample)))
                m_progress.total -= 2;
    }
    m_failedCalls.insert(EvalPlan::callKey(variant, caseIndex, sample));
    Q_UNUSED(key);
}

void EvalRunner::callDone()
{
    ++m_progress.done;
    ++m_doneThisAttempt;
    scheduleProgress();
}

void EvalRunner::scheduleProgress()
{
    if (!m_progressTimer->isActive())
        m_progressTimer->start();
}

void EvalRunner::emitProgress()
{
    m_progress.elapsedSeconds = m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0;
    if (m_doneThisAttempt > 0) {
        const int left = std::max(0, m_progress.total - m_progress.done);
        m_progress.etaSeconds = m_progress.elapsedSeconds / m_doneThisAttempt * left;
    }
    if (!m_pendingCells.isEmpty()) {
        const QList<EvalCellUpdate> cells = std::exchange(m_pendingCells, {});
        Q_EMIT cellsEvaluated(cells);
    }
    Q_EMIT progressed(m_progress);
}

void EvalRunner::checkFinished()
{
    if (m_state != State::Running && m_state != State::Cancelling)
        return;
    if (!m_jobs.isEmpty() || m_inlineCalls > 0 || m_pendingWrites > 0)
        return;
    if (m_state == State::Running && (!m_queue.empty() || !m_judgeQueue.empty()))
        return;
    const QString status = m_writeFailed ? QStringLiteral("failed")
        : m_state == State::Cancelling   ? QStringLiteral("cancelled")
                                         : QStringLiteral("completed");
    m_state = State::Finished;
    const qint64 id = m_plan->evalId;
    m_engine->writer()->post([id, status](Database &db) { (void)setEvalStatus(db, id, status); });
    m_engine->writer()->flush(this, [this, id, status](Result<void> flushed) {
        m_progressTimer->stop();
        m_progress.etaSeconds = 0.0;
        emitProgress();
        Q_EMIT finished(id, flushed ? status : QStringLiteral("failed"));
    });
}

} // namespace ts
