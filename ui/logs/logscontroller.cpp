#include "logs/logscontroller.h"

#include "common/projectsession.h"
#include "insights/monitor.h"
#include "logs/logimportjob.h"
#include "logs/logstore.h"
#include "logs/logtablemodel.h"
#include "logs/receiver/otlpreceiver.h"
#include "prompts/promptstore.h"
#include "storage/project.h"

#include <QTimer>

namespace ts {

namespace {
// While an import commits batches, the table shows them this often.
constexpr int importRefreshMs = 1500;
// Records that arrive through the receiver show within this delay; arrivals in between are
// read together.
constexpr int arrivalsRefreshMs = 250;
} // namespace

LogsController::LogsController(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_model(new LogTableModel(session, this))
    , m_importRefresh(new QTimer(this))
    , m_receiver(new OtlpReceiver(this))
    , m_arrivals(new QTimer(this))
{
    m_arrivals->setSingleShot(true);
    m_arrivals->setInterval(arrivalsRefreshMs);
    connect(m_arrivals, &QTimer::timeout, this, [this] {
        refresh();
        reloadChoices();
    });
    connect(m_receiver, &OtlpReceiver::recordsStored, this, [this](int count) {
        m_received += count;
        Q_EMIT recordsReceived(m_received);
        if (!m_arrivals->isActive()) {
            m_arrivals->start();
            // Monitors check received records too (at most once per refresh, off the UI thread).
            m_session.post<bool>(
                [](WorkContext &ctx) {
                    return ctx.project && runAllMonitorAssertions(ctx.project->db()).has_value();
                },
                this, {});
        }
    });
    // Messages that came after their call's span (POST /v1/logs) show with the next refresh.
    connect(m_receiver, &OtlpReceiver::recordsCompleted, this, [this] {
        if (!m_arrivals->isActive())
            m_arrivals->start();
    });
    connect(m_receiver, &OtlpReceiver::storeFailed, this, [this](const Error &error) {
        Q_EMIT errorOccurred(tr("Received traces could not be stored (the senders will retry): %1")
                                 .arg(error.message));
    });
    m_importRefresh->setInterval(importRefreshMs);
    connect(m_importRefresh, &QTimer::timeout, this, &LogsController::refresh);
    connect(m_model, &LogTableModel::errorOccurred, this, &LogsController::errorOccurred);
    connect(&session, &ProjectSession::projectOpened, this, &LogsController::projectOpened);
    connect(&session, &ProjectSession::projectClosed, this, &LogsController::projectClosed);
    // A failed open leaves the project open, but dropped what was being read for it.
    connect(&session, &ProjectSession::openFailed, this, [this] {
        if (m_session.hasProject()) {
            m_loading = false;
            m_model->setFilter(m_model->filter());
        }
    });
    if (session.hasProject())
        projectOpened();
}

LogsController::~LogsController()
{
    m_receiver->stop();
}

void LogsController::projectOpened()
{
    stopReceiving();
    if (m_import)
        m_import->cancel();
    m_shown = 0;
    m_loading = false;
    m_pendingLoad.reset();
    m_choices = {};
    Q_EMIT recordCleared();
    m_model->setQuery(LogFilter {}, LogSort::TimeDescending);
    reloadChoices();
}

void LogsController::projectClosed()
{
    stopReceiving();
    if (m_import)
        m_import->cancel();
    m_shown = 0;
    m_loading = false;
    m_pendingLoad.reset();
    m_choices = {};
    m_model->clear();
    Q_EMIT recordCleared();
    Q_EMIT choicesChanged();
}

void LogsController::setFilter(const LogFilter &filter)
{
    m_model->setFilter(filter);
}

void LogsController::refresh()
{
    m_model->refresh();
}

void LogsController::reloadChoices()
{
    if (!m_session.hasProject())
        return;
    m_session.post<Result<LogChoices>>(
        [](WorkContext &ctx) -> Result<LogChoices> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            LogStore store(ctx.project->db());
            LogChoices choices;
            auto models = store.distinctModels();
            auto prompts = store.distinctPrompts();
            auto sources = store.distinctSources();
            if (!models)
                return fail(models.error());
            if (!prompts)
                return fail(prompts.error());
            if (!sources)
                return fail(sources.error());
            choices.models = *models;
            choices.prompts = *prompts;
            choices.sources = *sources;
            return choices;
        },
        this,
        [this](Result<LogChoices> choices) {
            if (!choices) {
                Q_EMIT errorOccurred(choices.error().message);
                return;
            }
            m_choices = *choices;
            Q_EMIT choicesChanged();
        });
}

void LogsController::loadRecord(qint64 id)
{
    if (m_loading) {
        m_pendingLoad = id;
        return;
    }
    startLoad(id);
}

void LogsController::startLoad(qint64 id)
{
    m_loading = true;
    m_pendingLoad.reset();
    const quint64 generation = ++m_loadGeneration;
    m_session.post<Result<LogDetail>>(
        [id](WorkContext &ctx) -> Result<LogDetail> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            LogStore store(ctx.project->db());
            auto record = store.record(id);
            if (!record)
                return fail(record.error());
            LogDetail detail;
            detail.record = std::move(*record);
            if (detail.record.traceId) {
                auto spans = store.traceSpans(*detail.record.traceId);
                if (!spans)
                    return fail(spans.error());
                detail.spans = std::move(*spans);
            }
            return detail;
        },
        this,
        [this, generation](Result<LogDetail> detail) {
            if (generation != m_loadGeneration)
                return;
            m_loading = false;
            if (m_pendingLoad) {
                startLoad(*m_pendingLoad);
                return;
            }
            if (!detail) {
                Q_EMIT errorOccurred(detail.error().message);
                return;
            }
            m_shown = detail->record.id;
            Q_EMIT recordLoaded(*detail);
        });
}

bool LogsController::importFiles(const QStringList &files)
{
    if (files.isEmpty())
        return false;
    const auto info = m_session.info();
    if (!info) {
        Q_EMIT errorOccurred(tr("Open or create a project before importing logs."));
        return false;
    }
    if (m_import && m_import->isRunning()) {
        Q_EMIT errorOccurred(tr("An import is already running. Wait for it or cancel it first."));
        return false;
    }
    if (m_import)
        m_import->deleteLater();
    m_import = new LogImportJob(info->path, files, this);
    connect(m_import, &LogImportJob::finished, this, [this] {
        m_importRefresh->stop();
        refresh();
        reloadChoices();
        Q_EMIT importFinished();
    });
    m_import->start();
    m_importRefresh->start();
    Q_EMIT importStarted(m_import);
    return true;
}

void LogsController::startReceiving(quint16 port)
{
    if (m_receiver->isRunning() || m_startingReceiver)
        return;
    if (!m_session.hasProject()) {
        Q_EMIT errorOccurred(tr("Open or create a project before receiving traces."));
        Q_EMIT receivingChanged(false);
        return;
    }
    // The receiver opens its own connections from the project file; a project handle of its
    // own is opened on the worker thread, so the UI does not wait on the disk.
    m_startingReceiver = true;
    m_session.post<std::shared_ptr<Result<Project>>>(
        [](WorkContext &ctx) {
            if (!ctx.project)
                return std::make_shared<Result<Project>>(fail(WorkContext::noProject()));
            return std::make_shared<Result<Project>>(Project::open(ctx.project->path()));
        },
        this,
        [this, port](std::shared_ptr<Result<Project>> project) {
            m_startingReceiver = false;
            if (!*project) {
                Q_EMIT errorOccurred(
                    tr("Could not start receiving traces: %1").arg((*project).error().message));
                Q_EMIT receivingChanged(false);
                return;
            }
            OtlpReceiverOptions options;
            options.port = port;
            if (auto ok = m_receiver->start(**project, options); !ok) {
                Q_EMIT errorOccurred(tr("Could not receive traces on port %1: %2")
                                         .arg(port)
                                         .arg(ok.error().message));
                Q_EMIT receivingChanged(false);
                return;
            }
            m_received = 0;
            Q_EMIT recordsReceived(0);
            Q_EMIT receivingChanged(true);
        });
}

void LogsController::stopReceiving()
{
    if (!m_receiver->isRunning())
        return;
    m_receiver->stop();
    m_arrivals->stop();
    refresh();
    Q_EMIT receivingChanged(false);
}

bool LogsController::isReceiving() const
{
    return m_receiver->isRunning();
}

QString LogsController::receiverEndpoint() const
{
    return m_receiver->isRunning() ? m_receiver->baseUrl() : QString();
}

void LogsController::loadDatasetTargets(QObject *context,
                                        std::function<void(Result<DatasetTargets>)> done)
{
    m_session.post<Result<DatasetTargets>>(
        [](WorkContext &ctx) -> Result<DatasetTargets> {
            if (!ctx.project || !ctx.prompts)
                return fail(WorkContext::noProject());
            DatasetTargets targets;
            DatasetStore datasets(ctx.project->db());
            auto list = datasets.listDatasets();
            if (!list)
                return fail(list.error());
            targets.datasets = *list;
            auto prompts = ctx.prompts->listPrompts();
            if (!prompts)
                return fail(prompts.error());
            for (const PromptInfo &p : *prompts) {
                auto versions = ctx.prompts->versions(p.id);
                if (!versions)
                    return fail(versions.error());
                DatasetTargets::Prompt prompt {p.name, {}};
                for (const PromptVersion &v : *versions) { // newest first
                    QString label = QStringLiteral("%1 v%2").arg(p.name).arg(v.number);
                    if (!v.labels.isEmpty())
                        label += QStringLiteral(" (%1)").arg(v.labels.join(QStringLiteral(", ")));
                    prompt.versions.append(
                        {QStringLiteral("%1@%2").arg(p.name).arg(v.number), label});
                }
                if (!prompt.versions.isEmpty())
                    targets.prompts << prompt;
            }
            return targets;
        },
        context, std::move(done));
}

void LogsController::addToDataset(const LogSelection &selection,
                                  const LogsToDatasetOptions &options, QObject *context,
                                  std::function<void(Result<LogsToDatasetSummary>)> done)
{
    m_session.post<Result<LogsToDatasetSummary>>(
        [selection, options](WorkContext &ctx) -> Result<LogsToDatasetSummary> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            auto ids = selectLogIds(ctx.project->db(), selection);
            if (!ids)
                return fail(ids.error());
            if (ids->isEmpty())
                return fail(ErrorCode::InvalidArgument,
                            QObject::tr("No records are selected: nothing to add."));
            return addLogsToDataset(ctx.project->db(), *ids, options);
        },
        context,
        [this, done = std::move(done)](Result<LogsToDatasetSummary> summary) {
            if (summary)
                Q_EMIT casesAdded(*summary);
            done(std::move(summary));
        });
}

} // namespace ts
