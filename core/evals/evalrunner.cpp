// EvalRunner: preparing, launching the calls, storing and scoring their answers, progress.
// Grading calls, comparison assertions and judges are in evalrunner{grading,comparisons,
// judges}.cpp.

#include "evals/evalrunner.h"

#include "evals/evaljudging.h"
#include "evals/evalplan.h"
#include "runs/generationjob.h"
#include "runs/generationwriter.h"
#include "runs/promptrenderer.h"
#include "runs/runengine.h"
#include "storage/database.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QPointer>
#include <QThreadPool>
#include <QTimer>

namespace ts {

namespace {

constexpr int kProgressIntervalMs = 100;

/// The stored tool calls ({id, name, arguments}) in the OpenAI form assertions read.
nlohmann::json openAiToolCalls(const nlohmann::json &stored)
{
    if (!stored.is_array() || stored.empty())
        return nullptr;
    nlohmann::json calls = nlohmann::json::array();
    for (const nlohmann::json &c : stored) {
        if (!c.is_object())
            continue;
        calls.push_back({{"id", c.value("id", std::string())},
                         {"type", "function"},
                         {"function",
                          {{"name", c.value("name", std::string())},
                           {"arguments", c.value("arguments", std::string())}}}});
    }
    return calls;
}

/// Perplexity assertions need the output's token log probabilities, asked for only then.
bool needsLogProbs(const QList<AssertionSpec> &specs)
{
    return std::any_of(specs.cbegin(), specs.cend(), [](const AssertionSpec &a) {
        const QString type = a.type.startsWith(QLatin1String("not-")) ? a.type.mid(4) : a.type;
        return type == QLatin1String("perplexity") || type == QLatin1String("perplexity-score");
    });
}

bool hasComparison(const QList<AssertionSpec> &specs)
{
    return std::any_of(specs.cbegin(), specs.cend(),
                       [](const AssertionSpec &a) { return isComparisonAssertion(a.type); });
}

} // namespace

QString EvalRunner::pairKey(int caseIndex, int sample)
{
    return QString::number(caseIndex) % QLatin1Char(':') % QString::number(sample);
}

EvalRunner::EvalRunner(RunEngine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_pool(std::make_unique<QThreadPool>())
    , m_stopping(std::make_shared<std::atomic<bool>>(false))
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
    // Assertion runs waiting for a grading answer give up; then none of them is left.
    m_stopping->store(true);
    m_pool->waitForDone();
    for (GenerationJob *job : std::as_const(m_gradeJobs))
        job->disconnect(this);
}

void EvalRunner::setEmbedder(std::function<Result<QList<QList<double>>>(const QStringList &)> embed)
{
    m_embed = std::move(embed);
}

void EvalRunner::setNamedEmbedder(
    std::function<Result<QList<QList<double>>>(const QString &, const QStringList &)> embed)
{
    m_embedWith = std::move(embed);
}

void EvalRunner::setScriptOptions(const QString &baseDir, int timeoutMs)
{
    m_scriptBaseDir = baseDir;
    m_scriptTimeoutMs = std::max(1, timeoutMs);
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
    m_progress.hasChecks = !plan.judges.isEmpty()
        || std::any_of(plan.cases.cbegin(), plan.cases.cend(),
                       [](const PlannedCase &c) { return !c.assertions.isEmpty(); });
    m_judgeFailed = plan.judgeFailed;
    m_clock.start();
    m_stopping->store(false);
    m_pool->setMaxThreadCount(std::max(2, plan.config.concurrency));
    m_services = std::make_shared<AssertionServices>();
    m_services->grade = [this](const AssertionServices::Messages &messages) {
        return grade(messages);
    };
    m_services->embed = m_embed;
    m_services->embedWith = m_embedWith;
    // The eval's own embedding model (a resume reads it from the stored settings) before the
    // project's default.
    if (const QString model = plan.config.embeddingModel; !model.isEmpty() && m_embedWith)
        m_services->embed = [embedWith = m_embedWith, model](const QStringList &texts) {
            return embedWith(model, texts);
        };
    m_services->scriptTimeoutMs = m_scriptTimeoutMs;
    m_services->baseDir = m_scriptBaseDir;

    // What an earlier attempt finished counts as done; its judges may still be owed.
    const bool comparisons
        = std::any_of(plan.cases.cbegin(), plan.cases.cend(),
                      [](const PlannedCase &c) { return hasComparison(c.assertions); });
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
                if (comparisons && hasComparison(plan.cases[c].assertions)) {
                    ComparisonEntry entry;
                    entry.generationId = it->id;
                    entry.context.output = it->output;
                    entry.context.expected = plan.cases[c].testCase.data.expected;
                    entry.context.vars = plan.cases[c].testCase.data.vars;
                    m_comparisons[pairKey(c, s)].insert(v, entry);
                }
            }
        }
    }
    emitProgress();
    pump();
    checkFinished();
}

void EvalRunner::discard(std::function<void()> done)
{
    if (m_state != State::Ready || !m_plan) {
        if (done)
            done();
        return;
    }
    m_state = State::Idle;
    const qint64 id = m_plan->evalId;
    const bool created = m_plan->created;
    m_plan.reset();
    if (created)
        m_engine->writer()->post([id](Database &db) { (void)deleteEval(db, id); });
    if (done)
        m_engine->writer()->flush(this, [done](Result<void>) { done(); });
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
    const auto grading = m_gradeJobs;
    for (GenerationJob *job : grading)
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
        spec.params.logprobs = needsLogProbs(pc.assertions);
        spec.variables = pc.testCase.data.vars;
        messages = renderPrompt(v.version.content, spec.variables);
    }
    WorkItem launched = item;
    if (messages) {
        for (auto m = messages->crbegin(); m != messages->crend(); ++m)
            if (m->role == QLatin1String("user")) {
                launched.prompt = m->content;
                break;
            }
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
    connect(job, &GenerationJob::finished, this, [this, item = launched, job](const Generation &g) {
        forgetJob(job);
        job->deleteLater();
        if (item.judge)
            onJudge(item, g);
        else
            onGeneration(item, g);
    });
}

AssertionContext EvalRunner::contextFor(const WorkItem &item, const Generation &g) const
{
    const PlannedCase &pc = m_plan->cases[item.caseIndex];
    const PlannedVariant &variant = m_plan->variants[item.variant];
    AssertionContext ctx;
    ctx.output = g.output;
    ctx.expected = pc.testCase.data.expected;
    ctx.vars = pc.testCase.data.vars;
    ctx.latencyMs = g.cacheHit ? std::nullopt : g.latencyMs;
    ctx.cost = g.cost;
    ctx.prompt = item.prompt;
    if (!g.finishReason.isEmpty())
        ctx.finishReason = g.finishReason;
    ctx.toolCalls = openAiToolCalls(g.toolCalls);
    ctx.tools = variant.version.content.tools.value_or(nlohmann::json());
    ctx.logProbs = g.logProbs;
    if (variant.model.provider == ProviderKind::Anthropic)
        ctx.noLogProbsReason = QStringLiteral("not available for this provider: Anthropic returns "
                                              "no log probabilities (%1)")
                                   .arg(variant.model.name);
    else if (!g.logProbs)
        ctx.noLogProbsReason = QStringLiteral("not available: %1 returned no log probabilities "
                                              "for this output (the server may not support "
                                              "logprobs)")
                                   .arg(variant.model.name);
    return ctx;
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
    if (!g.ok()) {
        ++m_progress.errors;
        callFailed(item.variant, item.caseIndex, item.sample);
        storeGeneration(item, g, std::nullopt, {});
        pump();
        return;
    }
    // Scripts, grading models and embeddings block: the assertions run on the pool.
    AssertionContext ctx = contextFor(item, g);
    ++m_assessing;
    m_pool->start([this, item, g, ctx, specs = pc.assertions, threshold = pc.testCase.threshold,
                   services = m_services]() mutable {
        ctx.services = services.get();
        CaseVerdict verdict = evaluateCase(specs, ctx, threshold);
        ctx.services = nullptr;
        QMetaObject::invokeMethod(
            this,
            [this, item, g, ctx, verdict = std::move(verdict)]() mutable {
                --m_assessing;
                if (m_state == State::Cancelling) {
                    // Its grading may have been cut off: a resumed eval asks again.
                    checkFinished();
                    return;
                }
                if (!verdict.error.isEmpty()) {
                    // An assertion the run could not evaluate (no embedding model, no log
                    // probabilities): the sample is an error, kept with its output and the
                    // assertion's reason, and asked again by a retry.
                    g.status = GenerationStatus::Error;
                    g.error = Error {ErrorCode::NotFound, verdict.error};
                    g.cacheKey.clear();
                    ++m_progress.errors;
                    callFailed(item.variant, item.caseIndex, item.sample);
                }
                storeGeneration(item, g, verdict, ctx);
            },
            Qt::QueuedConnection);
    });
    pump();
}

void EvalRunner::storeGeneration(const WorkItem &item, const Generation &g,
                                 std::optional<CaseVerdict> verdict,
                                 const AssertionContext &context)
{
    const PlannedCase &pc = m_plan->cases[item.caseIndex];
    GenerationWriter::AfterInsert also;
    if (verdict)
        also = [pc, v = *verdict](Database &db, qint64 id) {
            return insertVerdict(db, id, pc, v);
        };
    ++m_pendingWrites;
    m_engine->writer()->write(g, also, this, [this, item, g, verdict, context](Result<qint64> id) {
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
            if (verdict && g.ok()) {
                cell.pass = verdict->pass;
                cell.score = verdict->score;
                cell.reason = verdict->reason;
                m_passByGeneration.insert(*id, verdict->pass);
                ++m_progress.evaluated;
                if (verdict->pass)
                    ++m_progress.passed;
                queueJudges(item.variant, item.caseIndex, item.sample, *id, g.output);
            } else {
                // An error has no verdict: not in `evaluated`, so the live rate leaves it
                // out.
                cell.reason = g.error ? g.error->message : generationStatusName(g.status);
            }
            m_pendingCells.append(cell);
            if (hasComparison(m_plan->cases[item.caseIndex].assertions)) {
                ComparisonEntry entry;
                entry.generationId = verdict && g.ok() ? *id : 0;
                entry.context = context;
                entry.verdict = verdict;
                entry.fresh = true;
                comparisonArrived(item.variant, item.caseIndex, item.sample, entry);
            }
        }
        scheduleProgress();
        pump();
        checkFinished();
    });
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
    if (!m_jobs.isEmpty() || m_inlineCalls > 0 || m_pendingWrites > 0 || m_assessing > 0
        || !m_gradeJobs.isEmpty())
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
