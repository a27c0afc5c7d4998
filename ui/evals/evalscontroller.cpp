#include "evals/evalscontroller.h"

#include "common/projectsession.h"
#include "evals/evallistmodel.h"
#include "evals/evalplan.h"
#include "evals/evalreport.h"
#include "evals/evalresults.h"
#include "evals/evalrunner.h"
#include "evals/resultsmatrixmodel.h"
#include "insights/evalcharts.h"
#include "runs/requestmessages.h"
#include "insights/htmlreport.h"
#include "models/modelstore.h"
#include "playground/runservices.h"
#include "runs/runengine.h"
#include "storage/database.h"

#include "storage/project.h"
#include "storage/statement.h"
#include <QDir>
#include <QSaveFile>

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
    connect(&session, &ProjectSession::projectOpened, this, [this] {
        m_shown = 0;
        m_matrix->setResults(nullptr);
        reloadList();
    });
    connect(&session, &ProjectSession::projectClosed, this, [this] {
        m_shown = 0;
        m_matrix->setResults(nullptr);
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
    m_session.post<Result<QList<EvalListEntry>>>(
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

void EvalsController::openEval(qint64 evalId)
{
    if (m_loading && evalId == m_shown) {
        m_reloadAgain = true;
        return;
    }
    m_shown = evalId;
    m_loading = true;
    m_session.post<Result<std::shared_ptr<const EvalResults>>>(
        [evalId](WorkContext &ctx) -> Result<std::shared_ptr<const EvalResults>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            auto loaded = EvalResults::load(ctx.project->db(), evalId);
            if (!loaded)
                return fail(loaded.error());
            return std::make_shared<const EvalResults>(std::move(*loaded));
        },
        this,
        [this, evalId](Result<std::shared_ptr<const EvalResults>> loaded) {
            m_loading = false;
            if (evalId != m_shown)
                return;
            if (!loaded) {
                Q_EMIT errorOccurred(
                    tr("Could not load eval #%1: %2").arg(evalId).arg(loaded.error().message));
                return;
            }
            m_matrix->setResults(*loaded);
            Q_EMIT resultsLoaded(evalId);
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
            return choices;
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
    m_session.post<Result<void>>(
        [evalId, format, path](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            Database &db = ctx.project->db();
            auto results = EvalResults::load(db, evalId);
            if (!results)
                return fail(results.error());
            QByteArray bytes;
            switch (format) {
            case ExportFormat::Json: {
                // Every variant against the first, as the statistics panel opens.
                QList<VariantComparisonResult> comparisons;
                for (int v = 1; v < results->variants.size(); ++v)
                    if (auto c = results->compare(0, v))
                        comparisons.append(*c);
                bytes = QByteArray::fromStdString(evalReportJson(*results, comparisons).dump(2));
                break;
            }
            case ExportFormat::JUnit:
                bytes = evalJunitXml(*results);
                break;
            case ExportFormat::Csv:
                bytes = evalResultsCsv(*results);
                break;
            case ExportFormat::Html: {
                auto charts = loadEvalCharts(db, *results, {});
                if (!charts)
                    return fail(charts.error());
                bytes = renderHtmlReport(*results, *charts).toUtf8();
                break;
            }
            }
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()
                || !file.commit())
                return fail(ErrorCode::Io,
                            QStringLiteral("Could not write %1: %2")
                                .arg(QDir::toNativeSeparators(path), file.errorString()));
            return {};
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
                m_shown = 0;
                m_matrix->setResults(nullptr);
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
