#include "playground/playgroundcontroller.h"

#include "common/projectsession.h"
#include "playground/modelcatalog.h"
#include "playground/modellistmodel.h"
#include "playground/outputformat.h"
#include "playground/playgroundcases.h"
#include "playground/runservices.h"
#include "prompts/promptscontroller.h"
#include "prompts/promptstore.h"
#include "runs/generationjob.h"
#include "runs/generationwriter.h"
#include "runs/promptrenderer.h"
#include "runs/runengine.h"
#include "storage/project.h"

#include <QCryptographicHash>
#include <QSettings>

namespace ts {

namespace {

PlaygroundSample::Phase phaseOf(const Generation &g)
{
    switch (g.status) {
    case GenerationStatus::Ok:
        return PlaygroundSample::Phase::Done;
    case GenerationStatus::Cancelled:
        return PlaygroundSample::Phase::Stopped;
    case GenerationStatus::Error:
    case GenerationStatus::Incomplete:
        return PlaygroundSample::Phase::Failed;
    }
    return PlaygroundSample::Phase::Failed;
}

} // namespace

QString PlaygroundSample::liveMetrics() const
{
    if (!firstTextMs)
        return phase == Phase::Streaming || phase == Phase::Waiting
            ? QObject::tr("Waiting for the first token…")
            : QString();
    QStringList parts;
    parts << QObject::tr("TTFT %1 ms").arg(*firstTextMs - startedMs);
    const qint64 tokens = std::max<qint64>(1, (text.size() + reasoning.size() + 2) / 4);
    const qint64 streamingMs = lastTextMs - *firstTextMs;
    if (tokens >= 2 && streamingMs > 0)
        parts << QObject::tr("≈ %1 tok/s")
                     .arg(double(tokens - 1) * 1000.0 / double(streamingMs), 0, 'f', 1);
    parts << (tokens == 1 ? QObject::tr("≈ 1 token so far")
                          : QObject::tr("≈ %1 tokens so far").arg(tokens));
    return parts.join(QStringLiteral(" · "));
}

PlaygroundController::PlaygroundController(ProjectSession &session, PromptsController &prompts,
                                           RunServices &services, ModelCatalog &catalog,
                                           QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_prompts(prompts)
    , m_services(services)
    , m_catalog(catalog)
    , m_picker(new ModelListModel(this))
{
    m_clock.start();
    m_picker->setCheckable(true);
    m_picker->setModels(catalog.models());
    // The ticks (which models are columns) are remembered per project: restored when its models
    // first arrive after it opened, saved whenever the person changes them.
    auto projectOpened = [this](const ProjectInfo &info) {
        m_ticksProject = info.path;
        m_restoreTicks = true;
    };
    connect(&session, &ProjectSession::projectOpened, this, projectOpened);
    connect(&session, &ProjectSession::aboutToChangeProject, this,
            [this] { m_ticksProject.clear(); });
    connect(&session, &ProjectSession::projectClosed, this, [this] { m_ticksProject.clear(); });
    if (session.hasProject() && session.info())
        projectOpened(*session.info());
    connect(&catalog, &ModelCatalog::modelsChanged, this, [this] {
        m_syncingModels = true;
        m_picker->setModels(m_catalog.models());
        m_syncingModels = false;
        if (m_restoreTicks && !m_ticksProject.isEmpty() && !m_catalog.models().isEmpty()) {
            m_restoreTicks = false;
            restoreTicks();
        }
        syncColumns();
    });
    connect(m_picker, &ModelListModel::checkedChanged, this, [this] {
        if (!m_syncingModels && !m_ticksProject.isEmpty())
            saveTicks();
        syncColumns();
    });
    connect(&services, &RunServices::engineRetiring, this, &PlaygroundController::stop);
    connect(&services, &RunServices::engineChanged, this, [this](RunEngine *engine) {
        if (!engine)
            abandon();
    });
}

PlaygroundController::~PlaygroundController()
{
    for (PlaygroundColumnState &c : m_columns)
        for (const QPointer<GenerationJob> &job : c.jobs)
            if (job)
                job->cancel();
}

QString PlaygroundController::ticksKey(const QString &projectPath)
{
    const QByteArray hash
        = QCryptographicHash::hash(projectPath.toUtf8(), QCryptographicHash::Sha1).toHex();
    return QStringLiteral("playground/columns/") + QString::fromLatin1(hash);
}

void PlaygroundController::saveTicks()
{
    QSettings settings;
    settings.setValue(ticksKey(m_ticksProject), m_picker->checkedNames());
}

void PlaygroundController::restoreTicks()
{
    QSettings settings;
    const QVariant saved = settings.value(ticksKey(m_ticksProject));
    if (!saved.isValid())
        return;
    QStringList names;
    for (const QString &name : saved.toStringList())
        if (m_picker->rowOf(name) >= 0)
            names << name;
    m_picker->setCheckedNames(names);
}

void PlaygroundController::setColumnModels(const QStringList &names)
{
    m_picker->setCheckedNames(names);
}

void PlaygroundController::syncColumns()
{
    const QStringList names = m_picker->checkedNames();
    QList<PlaygroundColumnState> next;
    for (const QString &name : names) {
        const ModelConfig *config = m_picker->modelAt(m_picker->rowOf(name));
        auto it
            = std::find_if(m_columns.begin(), m_columns.end(),
                           [&](const PlaygroundColumnState &c) { return c.model.name == name; });
        if (it != m_columns.end()) {
            next.append(*it);
            next.last().model = *config; // an edited configuration shows at once
        } else {
            PlaygroundColumnState c;
            c.model = *config;
            c.samples = {PlaygroundSample {}};
            next.append(c);
        }
    }
    // A column removed while running is stopped, not orphaned.
    for (PlaygroundColumnState &c : m_columns)
        if (!names.contains(c.model.name))
            for (const QPointer<GenerationJob> &job : c.jobs)
                if (job)
                    job->cancel();
    bool same = next.size() == m_columns.size();
    for (qsizetype i = 0; same && i < next.size(); ++i)
        same = next[i].model.toJson() == m_columns[i].model.toJson(); // renamed or edited: redraw
    m_columns = next;
    if (!same)
        Q_EMIT columnsChanged();
    if (m_running)
        checkAllDone();
}

void PlaygroundController::setSamples(int samples)
{
    m_samples = std::clamp(samples, 1, maxSamples);
}

QString PlaygroundController::runProblem() const
{
    if (!m_session.hasProject())
        return tr("Open a project first.");
    if (m_running)
        return tr("A run is in progress; press Esc to stop it.");
    if (m_catalog.models().isEmpty())
        return tr("The project has no models yet. Add one with Models… first.");
    if (m_columns.isEmpty())
        return tr("Pick at least one model: each becomes a column.");
    if (!m_prompts.currentPromptId())
        return tr(
            "Select a prompt in Prompts first: the playground runs the prompt you are editing.");
    if (m_prompts.content().messages.isEmpty())
        return tr("The prompt has no messages yet.");
    if (!m_services.engine())
        return tr("The project is still opening.");
    return {};
}

bool PlaygroundController::run()
{
    if (const QString problem = runProblem(); !problem.isEmpty()) {
        Q_EMIT errorOccurred(problem);
        return false;
    }
    const PromptContent content = m_prompts.content();
    const nlohmann::json variables = m_prompts.variableValues();
    auto messages
        = renderPrompt(content, variables.is_object() ? variables : nlohmann::json::object());
    if (!messages) {
        Q_EMIT errorOccurred(tr("The prompt does not render: %1").arg(messages.error().message));
        return false;
    }
    m_runContent = content;
    m_runMessages = *messages;
    m_runVariables = variables.is_object() ? variables : nlohmann::json::object();

    const std::optional<int> base = m_prompts.baseVersion();
    const QString name = m_prompts.currentPromptName();
    if (!base)
        m_runDescription
            = tr("%1 · not saved yet: save a version (Ctrl+S) to keep runs in its history")
                  .arg(name);
    else if (m_prompts.isDirty())
        m_runDescription = tr("%1 · unsaved draft of v%2, stored with v%2").arg(name).arg(*base);
    else
        m_runDescription = tr("%1 v%2").arg(name).arg(*base);

    const quint64 serial = ++m_serial;
    m_stopRequested = false;
    for (PlaygroundColumnState &c : m_columns) {
        c.runId = 0;
        c.jobs.clear();
        c.runFinished = false;
        c.samples = QList<PlaygroundSample>(m_samples);
        for (PlaygroundSample &s : c.samples) {
            s.phase = PlaygroundSample::Phase::Waiting;
            s.startedMs = clockMs();
        }
    }
    m_running = true;
    Q_EMIT runningChanged(true);
    Q_EMIT runStarted();

    if (!base) {
        createRuns(serial, std::nullopt);
        return true;
    }
    const qint64 promptId = m_prompts.currentPromptId();
    const int number = *base;
    m_session.post<Result<qint64>>(
        [promptId, number](WorkContext &ctx) -> Result<qint64> {
            if (!ctx.prompts)
                return fail(WorkContext::noProject());
            auto v = ctx.prompts->version(promptId, number);
            if (!v)
                return fail(v.error());
            return v->id;
        },
        this,
        [this, serial](Result<qint64> id) {
            if (serial != m_serial)
                return;
            if (!id) {
                Q_EMIT errorOccurred(
                    tr("Could not find the prompt's version: %1").arg(id.error().message));
                abandon();
                return;
            }
            createRuns(serial, *id);
        });
    return true;
}

void PlaygroundController::createRuns(quint64 serial, std::optional<qint64> versionId)
{
    GenerationWriter *writer = m_services.writer();
    if (!writer) {
        abandon();
        return;
    }
    for (int i = 0; i < columnCount(); ++i) {
        const ModelConfig &model = m_columns[i].model;
        RunRecord run;
        run.kind = QStringLiteral("playground");
        run.promptVersionId = versionId;
        run.modelId = model.id;
        run.modelSnapshot = model.toJson();
        run.params = effectiveParams(model.params, m_runContent).toJson();
        run.samples = m_samples;
        const QString name = model.name;
        writer->createRun(run, this, [this, serial, name](Result<qint64> runId) {
            if (serial != m_serial)
                return;
            const auto it = std::find_if(
                m_columns.begin(), m_columns.end(),
                [&](const PlaygroundColumnState &c) { return c.model.name == name; });
            const int column = it == m_columns.end() ? -1 : int(it - m_columns.begin());
            if (!runId) {
                Q_EMIT errorOccurred(tr("Could not record the run: %1").arg(runId.error().message));
                if (column >= 0) {
                    for (int s = 0; s < m_columns[column].samples.size(); ++s) {
                        m_columns[column].samples[s].phase = PlaygroundSample::Phase::Failed;
                        Q_EMIT sampleChanged(column, s);
                    }
                    m_columns[column].runFinished = true;
                }
                checkAllDone();
                return;
            }
            if (column < 0) { // the column was removed before its run row existed
                if (m_services.writer())
                    m_services.writer()->finishRun(*runId, QStringLiteral("cancelled"));
                checkAllDone();
                return;
            }
            startJobs(column, *runId);
        });
    }
}

void PlaygroundController::startJobs(int column, qint64 runId)
{
    PlaygroundColumnState &c = m_columns[column];
    c.runId = runId;
    RunEngine *engine = m_services.engine();
    if (m_stopRequested || !engine) {
        for (int s = 0; s < c.samples.size(); ++s) {
            c.samples[s].phase = PlaygroundSample::Phase::Stopped;
            Q_EMIT sampleChanged(column, s);
        }
        checkColumnDone(column);
        return;
    }
    const QString name = c.model.name;
    for (int s = 0; s < c.samples.size(); ++s) {
        GenerationSpec spec;
        spec.model = c.model;
        spec.messages = m_runMessages;
        spec.params = effectiveParams(c.model.params, m_runContent);
        spec.runId = runId;
        spec.sampleIndex = s;
        spec.variables = m_runVariables;
        spec.useCache = m_useCache;
        c.samples[s].startedMs = clockMs(); // TTFT counts from the request, not the click
        GenerationJob *job = engine->start(spec, this);
        c.jobs.append(job);
        const quint64 serial = m_serial;
        // Columns may be reordered or removed while jobs run: find the column by name each time.
        auto columnOf = [this, name, serial]() -> int {
            if (serial != m_serial)
                return -1;
            for (int i = 0; i < m_columns.size(); ++i)
                if (m_columns[i].model.name == name)
                    return i;
            return -1;
        };
        connect(job, &GenerationJob::progress, this,
                [this, columnOf, s](const QString &text, const QString &reasoning) {
                    const int col = columnOf();
                    if (col < 0 || s >= m_columns[col].samples.size())
                        return;
                    PlaygroundSample &sample = m_columns[col].samples[s];
                    sample.text += text;
                    sample.reasoning += reasoning;
                    if (!text.isEmpty() || !reasoning.isEmpty()) {
                        const qint64 now = clockMs();
                        if (!sample.firstTextMs)
                            sample.firstTextMs = now;
                        sample.lastTextMs = now;
                    }
                    const bool changed = sample.phase != PlaygroundSample::Phase::Streaming
                        || !sample.retryNote.isEmpty();
                    sample.phase = PlaygroundSample::Phase::Streaming;
                    sample.retryNote.clear();
                    if (changed)
                        Q_EMIT sampleChanged(col, s);
                    Q_EMIT sampleProgress(col, s, text, reasoning);
                });
        connect(job, &GenerationJob::retrying, this,
                [this, columnOf, s](int attempt, int delayMs, const QString &reason) {
                    const int col = columnOf();
                    if (col < 0 || s >= m_columns[col].samples.size())
                        return;
                    m_columns[col].samples[s].retryNote = retryNote(attempt, delayMs, reason);
                    Q_EMIT sampleChanged(col, s);
                });
        connect(job, &GenerationJob::finished, this, [this, columnOf, s, job](const Generation &g) {
            job->deleteLater();
            const int col = columnOf();
            if (col >= 0)
                jobFinished(col, s, g);
            else
                checkAllDone();
        });
    }
}

void PlaygroundController::jobFinished(int column, int sample, const Generation &generation)
{
    PlaygroundColumnState &c = m_columns[column];
    if (sample >= c.samples.size())
        return;
    PlaygroundSample &s = c.samples[sample];
    s.generation = generation;
    s.phase = phaseOf(generation);
    s.retryNote.clear();
    // The final text is the source of truth (a whole body arrives only at the end).
    if (!generation.output.isEmpty() || s.phase != PlaygroundSample::Phase::Stopped)
        s.text = generation.output.isEmpty() ? s.text : generation.output;
    if (!generation.reasoning.isEmpty())
        s.reasoning = generation.reasoning;
    Q_EMIT sampleChanged(column, sample);
    checkColumnDone(column);
}

void PlaygroundController::checkColumnDone(int column)
{
    PlaygroundColumnState &c = m_columns[column];
    if (c.runFinished)
        return checkAllDone();
    for (const PlaygroundSample &s : c.samples)
        if (s.isActive())
            return;
    c.runFinished = true;
    bool cancelled = false;
    bool failed = false;
    for (const PlaygroundSample &s : c.samples) {
        cancelled = cancelled || s.phase == PlaygroundSample::Phase::Stopped;
        failed = failed || s.phase == PlaygroundSample::Phase::Failed;
    }
    if (c.runId && m_services.writer())
        m_services.writer()->finishRun(c.runId,
                                       cancelled    ? QStringLiteral("cancelled")
                                           : failed ? QStringLiteral("failed")
                                                    : QStringLiteral("completed"));
    checkAllDone();
}

void PlaygroundController::checkAllDone()
{
    if (!m_running)
        return;
    for (const PlaygroundColumnState &c : m_columns)
        if (!c.runFinished)
            return;
    // Jobs of removed columns still report; the run is over when none is left.
    for (QObject *child : children())
        if (auto *job = qobject_cast<GenerationJob *>(child); job && !job->isFinished())
            return;
    m_running = false;
    Q_EMIT runningChanged(false);
    Q_EMIT runFinished();
}

void PlaygroundController::stop()
{
    if (!m_running)
        return;
    m_stopRequested = true;
    for (int i = 0; i < columnCount(); ++i) {
        PlaygroundColumnState &c = m_columns[i];
        for (const QPointer<GenerationJob> &job : c.jobs)
            if (job)
                job->cancel(); // finished() follows with the partial text
        // Samples whose run row does not exist yet stop when it arrives (startJobs).
    }
}

void PlaygroundController::abandon()
{
    // The engine went away (project closed) or the run could not be recorded.
    ++m_serial;
    for (int i = 0; i < columnCount(); ++i) {
        PlaygroundColumnState &c = m_columns[i];
        for (const QPointer<GenerationJob> &job : c.jobs)
            if (job)
                job->cancel();
        c.jobs.clear();
        c.runFinished = true;
        for (int s = 0; s < c.samples.size(); ++s) {
            if (c.samples[s].isActive()) {
                c.samples[s].phase = PlaygroundSample::Phase::Stopped;
                Q_EMIT sampleChanged(i, s);
            }
        }
    }
    if (m_running) {
        m_running = false;
        Q_EMIT runningChanged(false);
        Q_EMIT runFinished();
    }
}

void PlaygroundController::addTestCase(const QString &datasetName,
                                       const std::optional<QString> &expected, QObject *context,
                                       std::function<void(Result<qint64>)> done)
{
    TestCaseData data;
    data.vars = m_runVariables;
    data.expected = expected;
    data.description = tr("From the playground: %1").arg(m_runDescription);
    m_session.post<Result<qint64>>(
        [datasetName, data](WorkContext &ctx) -> Result<qint64> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return addPlaygroundCase(ctx.project->db(), datasetName, data);
        },
        context, std::move(done));
}

void PlaygroundController::loadDatasetNames(QObject *context,
                                            std::function<void(Result<QStringList>)> done)
{
    m_session.post<Result<QStringList>>(
        [](WorkContext &ctx) -> Result<QStringList> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return datasetNames(ctx.project->db());
        },
        context, std::move(done));
}

} // namespace ts
