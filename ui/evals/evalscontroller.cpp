#include "evals/evalscontroller.h"

#include "common/projectsession.h"
#include "common/releaselater.h"
#include "evals/evalcounts.h"
#include "evals/evalexportfile.h"
#include "evals/evallistmodel.h"
#include "evals/evalplan.h"
#include "evals/evalresults.h"
#include "evals/evalrunner.h"
#include "evals/evalstatistics.h"
#include "evals/resultsmatrixmodel.h"
#include "insights/embeddingcache.h"
#include "models/modelstore.h"
#include "playground/runservices.h"
#include "runs/requestmessages.h"
#include "runs/runengine.h"
#include "storage/database.h"

#include "storage/project.h"
#include "storage/statement.h"

#include <QTimer>

namespace ts {

namespace {
// The matrix reloads from disk while an eval runs; once a second keeps it live without
// keeping the worker busy.
constexpr int refreshMs = 1000;

} // namespace

QList<RenderedMessage> renderedMessages(const nlohmann::json &request)
{
    QList<RenderedMessage> messages;
    for (const nlohmann::json &m : requestMessages(request))
        messages.append({QString::fromStdString(m["role"].get<std::string>()),
                         QString::fromStdString(m["content"].get<std::string>())});
    return messages;
}

EvalsController::EvalsController(ProjectSession &session, RunServices &services, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_services(services)
    , m_list(new EvalListModel(this))
    , m_matrix(new ResultsMatrixModel(this))
    , m_refresh(new QTimer(this))
{
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(refreshMs);
    connect(m_refresh, &QTimer::timeout, this, [this] {
        if (m_shown)
            openEval(m_shown);
    });
    connect(m_matrix, &ResultsMatrixModel::pageWanted, this, &EvalsController::loadPage);
    connect(m_matrix, &ResultsMatrixModel::filterWanted, this,
            [this](quint64 token, EvalResults::Filter filter, int a, int b) {
                loadFilter(token, int(filter), a, b);
            });
    connect(&session, &ProjectSession::projectOpened, this, [this] {
        cancelLoads();
        m_shown = 0;
        dropScores();
        m_matrix->setEval(nullptr, {});
        reloadList();
    });
    connect(&session, &ProjectSession::projectClosed, this, [this] {
        cancelLoads();
        m_shown = 0;
        dropScores();
        m_matrix->setEval(nullptr, {});
        m_list->setEntries({});
    });
    connect(&services, &RunServices::engineRetiring, this, [this] {
        if (m_runner)
            m_runner->cancel();
    });
    connect(&services, &RunServices::engineChanged, this, [this](RunEngine *engine) {
        if (!engine && m_runner) {
            m_runner->deleteLater();
            Q_EMIT runningChanged(false);
        }
    });
    if (session.hasProject())
        reloadList();
}

EvalsController::~EvalsController()
{
    if (m_runner)
        m_runner->cancel();
    releaseLater(std::exchange(m_scores, nullptr));
}

std::shared_ptr<const EvalResults> EvalsController::results() const
{
    return m_matrix->sharedResults();
}

qint64 EvalsController::activeEvalId() const
{
    return m_runner ? m_runner->evalId() : 0;
}

bool EvalsController::isRunning() const
{
    return m_runner
        && (m_runner->state() == EvalRunner::State::Running
            || m_runner->state() == EvalRunner::State::Cancelling);
}

bool EvalsController::canRun() const
{
    return m_services.engine() && !isRunning();
}

void EvalsController::reloadList()
{
    m_session.postRead<Result<QList<EvalListEntry>>>(
        [](WorkContext &ctx) -> Result<QList<EvalListEntry>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return listEvals(ctx.project->db());
        },
        this,
        [this](Result<QList<EvalListEntry>> list) {
            if (!list) {
                Q_EMIT errorOccurred(tr("Could not list the evals: %1").arg(list.error().message));
                return;
            }
            m_list->setEntries(*list);
        });
}

template<typename R>
void EvalsController::read(std::function<R(WorkContext &)> work, std::function<void(R)> done)
{
    // Reads have their own connections (a long statistics job never holds up a page, nor the
    // writer); a read of an eval the user has left is cancelled, its query interrupted.
    m_loads.removeIf([](const CancelToken &t) { return t.use_count() == 1; });
    m_loads.append(m_session.postRead<R>(std::move(work), this, std::move(done)));
}

void EvalsController::dropScores()
{
    releaseLater(std::exchange(m_scores, nullptr));
}

void EvalsController::keepStatistics(std::function<void(Database &)> store)
{
    // Through the writer's connection; a read-only project keeps nothing (computed again next
    // time), which is not an error worth a message.
    m_session.post<bool>(
        [store = std::move(store)](WorkContext &ctx) {
            if (ctx.project)
                store(ctx.project->db());
            return true;
        },
        this, {});
}

void EvalsController::cancelLoads()
{
    for (const CancelToken &t : std::as_const(m_loads))
        t->store(true);
    m_loads.clear();
    m_statisticsLoading = false;
    m_statisticsAgain = false;
}

namespace {

struct OpenedEval
{
    std::shared_ptr<const EvalResults> header;
    QList<qint64> caseIds;
    std::shared_ptr<const EvalResults> firstPage;
};

Error cancelledRead()
{
    return Error {ErrorCode::Cancelled, QStringLiteral("The eval is no longer shown.")};
}

bool isFinished(const QString &status)
{
    return status != QLatin1String("pending") && status != QLatin1String("running");
}

} // namespace

void EvalsController::openEval(qint64 evalId)
{
    if (evalId == m_shown && m_matrix->results() && m_matrix->results()->evalId == evalId) {
        refreshShown();
        return;
    }
    if (m_loading && evalId == m_shown) {
        m_reloadAgain = true;
        return;
    }
    cancelLoads();
    dropScores();
    m_shown = evalId;
    m_loading = true;
    // The header and the first page only: what the matrix shows at once.
    read<Result<OpenedEval>>(
        [evalId](WorkContext &ctx) -> Result<OpenedEval> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            if (ctx.isCancelled())
                return fail(cancelledRead());
            Database &db = ctx.project->db();
            OpenedEval opened;
            auto ids = EvalResults::caseIds(db, evalId);
            if (!ids)
                return fail(ids.error());
            opened.caseIds = *ids;
            EvalLoadOptions header;
            header.caseIds = QList<qint64>();
            header.details = false;
            header.statistics = false;
            header.cancel = ctx.cancelled;
            auto loaded = EvalResults::load(db, evalId, header);
            if (!loaded)
                return fail(loaded.error());
            loaded->statisticsPending = true;
            opened.header = std::make_shared<const EvalResults>(std::move(*loaded));
            EvalLoadOptions page;
            page.caseIds = ids->mid(0, ResultsMatrixModel::kPageSize);
            page.statistics = false;
            page.cancel = ctx.cancelled;
            auto first = EvalResults::load(db, evalId, page);
            if (!first)
                return fail(first.error());
            for (int i = 0; i < first->cases.size(); ++i)
                first->caseNumbers.append(i);
            opened.firstPage = std::make_shared<const EvalResults>(std::move(*first));
            return opened;
        },
        [this, evalId](Result<OpenedEval> opened) {
            if (evalId != m_shown)
                return; // another eval is shown (and loading) now
            m_loading = false;
            if (!opened) {
                if (opened.error().code != ErrorCode::Cancelled)
                    Q_EMIT errorOccurred(
                        tr("Could not load eval #%1: %2").arg(evalId).arg(opened.error().message));
                return;
            }
            m_matrix->setEval(opened->header, opened->caseIds, opened->firstPage);
            Q_EMIT resultsLoaded(evalId);
            loadStatistics(evalId);
            if (m_reloadAgain) {
                m_reloadAgain = false;
                scheduleRefresh();
            }
        });
}

void EvalsController::scheduleRefresh()
{
    if (!m_refresh->isActive())
        m_refresh->start();
}

void EvalsController::refreshShown()
{
    dropScores(); // the verdicts may have changed
    m_matrix->refreshPages();
    loadStatistics(m_shown);
}

void EvalsController::loadStatistics(qint64 evalId)
{
    if (m_statisticsLoading) {
        m_statisticsAgain = true;
        return;
    }
    m_statisticsLoading = true;
    // First what SQL counts at once (or the cached statistics of a finished eval), then, for a
    // finished eval, the intervals that need every score.
    read<Result<std::shared_ptr<const EvalResults>>>(
        [evalId](WorkContext &ctx) -> Result<std::shared_ptr<const EvalResults>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            if (ctx.isCancelled())
                return fail(cancelledRead());
            Database &db = ctx.project->db();
            // A finished eval's statistics may be cached: then they are all there is to read.
            auto cached = EvalStatistics::cachedSummary(db, evalId, ctx.cancelled);
            if (!cached)
                return fail(cached.error());
            if (*cached)
                return (*cached)->results;
            auto counts = EvalCounts::load(db, evalId, ctx.cancelled);
            if (!counts)
                return fail(counts.error());
            return std::make_shared<const EvalResults>(std::move(*counts));
        },
        [this, evalId](Result<std::shared_ptr<const EvalResults>> counts) {
            if (evalId != m_shown)
                return;
            if (!counts) {
                m_statisticsLoading = false;
                if (counts.error().code != ErrorCode::Cancelled)
                    Q_EMIT errorOccurred(tr("Could not count the results of eval #%1: %2")
                                             .arg(evalId)
                                             .arg(counts.error().message));
                return;
            }
            m_matrix->setSummary(*counts);
            Q_EMIT statisticsLoaded(evalId);
            if (!(*counts)->statisticsPending || !isFinished((*counts)->status)
                || m_statisticsAgain) {
                m_statisticsLoading = false;
                if (std::exchange(m_statisticsAgain, false))
                    loadStatistics(evalId);
                return;
            }
            read<Result<EvalStatistics::Summary>>(
                [evalId](WorkContext &ctx) -> Result<EvalStatistics::Summary> {
                    if (!ctx.project)
                        return fail(WorkContext::noProject());
                    if (ctx.isCancelled())
                        return fail(cancelledRead());
                    return EvalStatistics::summary(ctx.project->db(), evalId, ctx.cancelled, false);
                },
                [this, evalId](Result<EvalStatistics::Summary> summary) {
                    if (evalId != m_shown)
                        return;
                    m_statisticsLoading = false;
                    if (!summary) {
                        if (summary.error().code != ErrorCode::Cancelled)
                            Q_EMIT errorOccurred(tr("Could not compute the statistics of eval "
                                                    "#%1: %2")
                                                     .arg(evalId)
                                                     .arg(summary.error().message));
                        return;
                    }
                    if (std::exchange(m_statisticsAgain, false)) {
                        loadStatistics(evalId);
                        return;
                    }
                    if (summary->scores) {
                        dropScores();
                        m_scores = summary->scores;
                    }
                    if (!summary->fromCache)
                        keepStatistics(
                            [s = *summary](Database &db) { EvalStatistics::storeSummary(db, s); });
                    m_matrix->setSummary(summary->results);
                    Q_EMIT statisticsLoaded(evalId);
                });
        });
}

void EvalsController::loadPage(quint64 token, int page, const QList<qint64> &caseIds,
                               const QList<int> &caseIndexes)
{
    const qint64 evalId = m_shown;
    if (!evalId)
        return;
    read<Result<std::shared_ptr<const EvalResults>>>(
        [evalId, caseIds,
         caseIndexes](WorkContext &ctx) -> Result<std::shared_ptr<const EvalResults>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            if (ctx.isCancelled())
                return fail(cancelledRead());
            EvalLoadOptions options;
            options.caseIds = caseIds;
            options.statistics = false;
            options.cancel = ctx.cancelled;
            auto loaded = EvalResults::load(ctx.project->db(), evalId, options);
            if (!loaded)
                return fail(loaded.error());
            if (loaded->cases.size() == caseIndexes.size())
                loaded->caseNumbers = caseIndexes;
            else // a case was deleted meanwhile: number the ones left
                for (const TestCase &c : std::as_const(loaded->cases))
                    loaded->caseNumbers.append(caseIndexes.value(caseIds.indexOf(c.id)));
            return std::make_shared<const EvalResults>(std::move(*loaded));
        },
        [this, evalId, token, page](Result<std::shared_ptr<const EvalResults>> loaded) {
            if (evalId != m_shown || !loaded)
                return;
            m_matrix->setPage(token, page, *loaded);
        });
}

void EvalsController::loadFilter(quint64 token, int filter, int a, int b)
{
    const qint64 evalId = m_shown;
    if (!evalId)
        return;
    auto scores = m_scores;
    read<Result<std::pair<QList<int>, std::shared_ptr<const EvalResults>>>>(
        [evalId, scores, filter, a,
         b](WorkContext &ctx) -> Result<std::pair<QList<int>, std::shared_ptr<const EvalResults>>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            if (ctx.isCancelled())
                return fail(cancelledRead());
            auto verdicts = scores;
            if (!verdicts) {
                EvalLoadOptions options;
                options.details = false;
                options.statistics = false;
                options.cancel = ctx.cancelled;
                auto loaded = EvalResults::load(ctx.project->db(), evalId, options);
                if (!loaded)
                    return fail(loaded.error());
                verdicts = std::make_shared<const EvalResults>(std::move(*loaded));
            }
            return std::make_pair(verdicts->rows(EvalResults::Filter(filter), a, b), verdicts);
        },
        [this, evalId,
         token](Result<std::pair<QList<int>, std::shared_ptr<const EvalResults>>> rows) {
            if (evalId != m_shown)
                return;
            if (!rows) {
                if (rows.error().code != ErrorCode::Cancelled)
                    Q_EMIT errorOccurred(
                        tr("Could not filter eval #%1: %2").arg(evalId).arg(rows.error().message));
                m_matrix->setFilteredRows(token, {});
                return;
            }
            if (!m_scores && !isRunning())
                m_scores = rows->second;
            else
                releaseLater(std::move(rows->second));
            m_matrix->setFilteredRows(token, rows->first);
        });
}

void EvalsController::loadCase(int caseIndex, QObject *context,
                               std::function<void(Result<std::shared_ptr<const EvalResults>>)> done)
{
    const qint64 evalId = m_shown;
    const qint64 caseId = m_matrix->caseIdAt(caseIndex);
    read<Result<std::shared_ptr<const EvalResults>>>(
        [evalId, caseId,
         caseIndex](WorkContext &ctx) -> Result<std::shared_ptr<const EvalResults>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            EvalLoadOptions options;
            options.caseIds = QList<qint64> {caseId};
            options.statistics = false;
            auto loaded = EvalResults::load(ctx.project->db(), evalId, options);
            if (!loaded)
                return fail(loaded.error());
            loaded->caseNumbers = {caseIndex};
            return std::make_shared<const EvalResults>(std::move(*loaded));
        },
        [guard = QPointer<QObject>(context),
         done = std::move(done)](Result<std::shared_ptr<const EvalResults>> loaded) {
            if (guard && done)
                done(std::move(loaded));
        });
}

void EvalsController::compareVariants(qint64 evalId, int baseline, int candidate)
{
    auto scores = m_scores && m_scores->evalId == evalId ? m_scores : nullptr;
    struct Compared
    {
        QString sentence;
        std::optional<VariantComparisonResult> result;
        QString fingerprint; ///< non-empty: to be kept in the cache
    };
    read<Result<Compared>>(
        [evalId, baseline, candidate, scores](WorkContext &ctx) -> Result<Compared> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            if (ctx.isCancelled())
                return fail(cancelledRead());
            Compared compared;
            auto c = EvalStatistics::compare(ctx.project->db(), evalId, baseline, candidate, scores,
                                             ctx.cancelled, false, &compared.fingerprint);
            if (!c) {
                if (c.error().code == ErrorCode::Cancelled)
                    return fail(c.error());
                compared.sentence = c.error().message; // said in place of the comparison
                return compared;
            }
            compared.sentence = c->sentence;
            compared.result = *c;
            return compared;
        },
        [this, evalId, baseline, candidate](Result<Compared> compared) {
            if (!compared)
                return;
            if (compared->result && !compared->fingerprint.isEmpty())
                keepStatistics([evalId, c = *compared](Database &db) {
                    EvalStatistics::storeComparison(db, evalId, c.fingerprint, *c.result);
                });
            Q_EMIT comparisonReady(evalId, baseline, candidate, compared->sentence);
        });
}

void EvalsController::loadChoices(QObject *context, std::function<void(Result<EvalChoices>)> done)
{
    m_session.post<Result<EvalChoices>>(
        [](WorkContext &ctx) -> Result<EvalChoices> {
            if (!ctx.project || !ctx.prompts)
                return fail(WorkContext::noProject());
            EvalChoices choices;
            auto prompts = ctx.prompts->listPrompts();
            if (!prompts)
                return fail(prompts.error());
            for (const PromptInfo &p : *prompts) {
                auto versions = ctx.prompts->versions(p.id);
                if (!versions)
                    return fail(versions.error());
                if (!versions->isEmpty())
                    choices.prompts.append({p, *versions});
            }
            auto models = ModelStore(ctx.project->db()).list();
            if (!models)
                return fail(models.error());
            choices.models = *models;
            auto datasets = DatasetStore(ctx.project->db()).listDatasets();
            if (!datasets)
                return fail(datasets.error());
            choices.datasets = *datasets;
            auto judges = JudgeStore(ctx.project->db()).list();
            if (!judges)
                return fail(judges.error());
            choices.judges = *judges;
            auto embedding = ctx.project->db().prepare(QStringLiteral(
                "SELECT DISTINCT dataset_id FROM assertions WHERE type IN ('similar', "
                "'not-similar', 'answer-relevance', 'not-answer-relevance')"));
            if (!embedding)
                return fail(embedding.error());
            auto ids = embedding->all([](const Statement &row) { return row.int64(0); });
            if (!ids)
                return fail(ids.error());
            choices.embeddingDatasets = QSet<qint64>(ids->cbegin(), ids->cend());
            auto byDefault = defaultEmbeddingModel(ctx.project->db());
            if (!byDefault)
                return fail(byDefault.error());
            if (*byDefault)
                choices.defaultEmbeddingModel = (*byDefault)->id;
            return choices;
        },
        context, std::move(done));
}

void EvalsController::setDefaultEmbeddingModel(qint64 modelId, QObject *context,
                                               std::function<void(Result<void>)> done)
{
    m_session.post<Result<void>>(
        [modelId](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return ts::setDefaultEmbeddingModel(ctx.project->db(), modelId);
        },
        context, std::move(done));
}

void EvalsController::addJudge(const QString &name, JudgeKind kind, std::optional<qint64> modelId,
                               const QString &rubric, QObject *context,
                               std::function<void(Result<JudgeConfig>)> done)
{
    m_session.post<Result<JudgeConfig>>(
        [name, kind, modelId, rubric](WorkContext &ctx) -> Result<JudgeConfig> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return JudgeStore(ctx.project->db()).addWithDefaultPrompt(name, kind, modelId, rubric);
        },
        context, std::move(done));
}

void EvalsController::loadRequest(qint64 generationId, QObject *context,
                                  std::function<void(Result<QList<RenderedMessage>>)> done)
{
    m_session.post<Result<QList<RenderedMessage>>>(
        [generationId](WorkContext &ctx) -> Result<QList<RenderedMessage>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            auto stmt = ctx.project->db().prepare(
                QStringLiteral("SELECT request FROM generations WHERE id = ?"));
            if (!stmt)
                return fail(stmt.error());
            stmt->bind(1, generationId);
            auto text = stmt->one([](const Statement &row) { return row.text(0); },
                                  QStringLiteral("generation %1 not found").arg(generationId));
            if (!text)
                return fail(text.error());
            const nlohmann::json request
                = nlohmann::json::parse(text->toStdString(), nullptr, false);
            return renderedMessages(request);
        },
        context, std::move(done));
}

EvalRunner *EvalsController::newRunner()
{
    if (m_runner) {
        if (isRunning())
            return nullptr;
        // A second estimate replaces the first: the eval prepared for it goes.
        EvalRunner *old = m_runner;
        old->discard([old] { old->deleteLater(); });
        m_runner = nullptr;
    }
    RunEngine *engine = m_services.engine();
    if (!engine)
        return nullptr;
    auto *runner = new EvalRunner(engine, this);
    m_runner = runner;
    // similar / answer-relevance embed through the project's cache on the runner's pool.
    if (const std::optional<ProjectInfo> info = m_session.info())
        installEvalEmbedders(*runner, info->path, m_services.network());
    connect(runner, &EvalRunner::prepared, this, [this, runner](const EvalEstimate &estimate) {
        if (runner != m_runner)
            return;
        Q_EMIT prepared(estimate);
        if (m_startWhenPrepared) {
            m_startWhenPrepared = false;
            start();
        }
    });
    connect(runner, &EvalRunner::prepareFailed, this, [this, runner](const Error &error) {
        if (runner == m_runner) {
            m_startWhenPrepared = false;
            Q_EMIT prepareFailed(error.message);
        }
    });
    connect(runner, &EvalRunner::progressed, this, [this, runner](const EvalProgress &progress) {
        if (runner != m_runner)
            return;
        Q_EMIT progressed(progress);
        if (m_shown == progress.evalId)
            scheduleRefresh();
    });
    connect(runner, &EvalRunner::finished, this,
            [this, runner](qint64 evalId, const QString &status) {
                if (runner != m_runner)
                    return;
                m_refresh->stop();
                reloadList();
                openEval(evalId);
                Q_EMIT finished(evalId, status);
                Q_EMIT runningChanged(false);
            });
    return runner;
}

void EvalsController::prepare(const EvalConfig &config)
{
    EvalRunner *runner = newRunner();
    if (!runner) {
        Q_EMIT prepareFailed(isRunning() ? tr("An eval is already running.")
                                         : tr("Open a project first."));
        return;
    }
    runner->prepare(config);
}

void EvalsController::start()
{
    if (!m_runner || m_runner->state() != EvalRunner::State::Ready) {
        Q_EMIT errorOccurred(tr("Nothing is prepared to run."));
        return;
    }
    const qint64 id = m_runner->evalId();
    m_runner->start();
    Q_EMIT runningChanged(true);
    Q_EMIT started(id);
    openEval(id);
    reloadList();
}

void EvalsController::resume(qint64 evalId)
{
    EvalRunner *runner = newRunner();
    if (!runner) {
        Q_EMIT errorOccurred(isRunning() ? tr("An eval is already running.")
                                         : tr("Open a project first."));
        return;
    }
    m_startWhenPrepared = true;
    runner->prepareResume(evalId);
}

void EvalsController::exportResults(qint64 evalId, ExportFormat format, const QString &path)
{
    // A read (its own connection): a long export holds up neither the writer nor other reads.
    m_session.postRead<Result<void>>(
        [evalId, format, path](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return writeEvalExportFile(ctx.project->db(), evalId, format, path, ctx.cancelled);
        },
        this,
        [this, path](Result<void> written) {
            if (!written) {
                Q_EMIT errorOccurred(tr("Export failed: %1").arg(written.error().message));
                return;
            }
            Q_EMIT exported(path);
        });
}

qint64 EvalsController::runningEvalId() const
{
    return isRunning() ? m_runner->evalId() : 0;
}

void EvalsController::deleteEval(qint64 evalId)
{
    if (runningEvalId() == evalId) {
        Q_EMIT errorOccurred(tr("Eval #%1 is running; cancel it before deleting it.").arg(evalId));
        return;
    }
    m_session.post<Result<void>>(
        [evalId](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return ts::deleteEval(ctx.project->db(), evalId);
        },
        this,
        [this, evalId](Result<void> deleted) {
            if (!deleted) {
                Q_EMIT errorOccurred(
                    tr("Could not delete eval #%1: %2").arg(evalId).arg(deleted.error().message));
                return;
            }
            if (m_shown == evalId) {
                cancelLoads();
                m_shown = 0;
                dropScores();
                m_matrix->setEval(nullptr, {});
                Q_EMIT resultsLoaded(0);
            }
            reloadList();
        });
}

void EvalsController::discardPrepared()
{
    if (!m_runner || m_runner->state() != EvalRunner::State::Ready)
        return;
    m_startWhenPrepared = false;
    m_runner->discard([this] { reloadList(); });
}

void EvalsController::cancel()
{
    if (m_runner && isRunning())
        m_runner->cancel();
}

} // namespace ts
