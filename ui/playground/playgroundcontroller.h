#pragma once

#include "common/error.h"
#include "models/modelconfig.h"
#include "prompts/promptcontent.h"
#include "runs/generation.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace ts {

class GenerationJob;
class ModelCatalog;
class ModelListModel;
class ProjectSession;
class PromptsController;
class RunEngine;
class RunServices;

/// One sample of one column: what has streamed in so far and how it ended.
struct PlaygroundSample
{
    enum class Phase { Idle, Waiting, Streaming, Done, Stopped, Failed };
    Phase phase = Phase::Idle;
    QString text;
    QString reasoning;
    QString retryNote; ///< "Rate limited, retrying in 2 s (attempt 2)" while waiting to retry
    std::optional<Generation> generation; ///< set when the job finished
    /// Live timing while it streams (ms on the controller's clock): when the request was
    /// sent, when the first text arrived and when the latest did.
    qint64 startedMs = 0;
    std::optional<qint64> firstTextMs;
    qint64 lastTextMs = 0;

    bool isActive() const { return phase == Phase::Waiting || phase == Phase::Streaming; }
    /// "TTFT 312 ms · ≈ 48 tok/s · ≈ 120 tokens so far" while streaming (tokens estimated from
    /// the characters, about four per token, until the server reports its count at the end).
    QString liveMetrics() const;
};

/// One model as a column of the playground.
struct PlaygroundColumnState
{
    ModelConfig model;
    qint64 runId = 0;
    QList<PlaygroundSample> samples;
    QList<QPointer<GenerationJob>> jobs;
    bool runFinished = true;
};

/// The side-by-side playground's logic, free of widgets: which models are columns, how many
/// samples each, running the current prompt and variables on all of them at once (each column
/// stored as a playground run against the editor's version), stopping, and saving a column's
/// variables (and output) as a test case. Streaming text arrives batched through signals.
class PlaygroundController final : public QObject
{
    Q_OBJECT

public:
    static constexpr int maxSamples = 10;

    PlaygroundController(ProjectSession &session, PromptsController &prompts, RunServices &services,
                         ModelCatalog &catalog, QObject *parent = nullptr);
    ~PlaygroundController() override;

    /// The project's models with a check box each: checked models are the columns. The ticks
    /// are remembered per project file (QSettings) and restored when it is opened again.
    ModelListModel *picker() const { return m_picker; }
    /// The settings key under which the ticks of the project at `projectPath` are kept.
    static QString ticksKey(const QString &projectPath);
    void setColumnModels(const QStringList &names);
    int columnCount() const { return int(m_columns.size()); }
    const PlaygroundColumnState &column(int index) const { return m_columns.at(index); }

    void setSamples(int samples);
    int samples() const { return m_samples; }
    void setUseCache(bool useCache) { m_useCache = useCache; }
    bool useCache() const { return m_useCache; }

    /// Why run() would refuse right now, or "".
    QString runProblem() const;
    /// Runs the current prompt with the current variables on every column. False (with
    /// errorOccurred) when it cannot start.
    bool run();
    /// Stops every job; each column keeps its partial text, marked stopped.
    void stop();
    bool isRunning() const { return m_running; }
    /// What the last run ran: "support-reply v3", or the draft note.
    QString runDescription() const { return m_runDescription; }
    /// The variables of the last run (what "add as test case" saves).
    const nlohmann::json &runVariables() const { return m_runVariables; }
    /// Milliseconds on the clock PlaygroundSample's live timing uses.
    qint64 clockMs() const { return m_clock.elapsed(); }

    /// Saves the last run's variables (and `expected`, when set) as a test case of dataset
    /// `datasetName` (created when new).
    void addTestCase(const QString &datasetName, const std::optional<QString> &expected,
                     QObject *context, std::function<void(Result<qint64>)> done);
    /// The project's dataset names.
    void loadDatasetNames(QObject *context, std::function<void(Result<QStringList>)> done);

Q_SIGNALS:
    void columnsChanged();
    void runningChanged(bool running);
    /// A run started: every column's samples were reset (phase Waiting).
    void runStarted();
    void runFinished();
    /// New text for a sample (already appended to its state).
    void sampleProgress(int column, int sample, const QString &textDelta,
                        const QString &reasoningDelta);
    /// A sample's phase, retry note or result changed.
    void sampleChanged(int column, int sample);
    void errorOccurred(const QString &message);
    void notice(const QString &message);

private:
    void syncColumns();
    void createRuns(quint64 serial, std::optional<qint64> versionId);
    void startJobs(int column, qint64 runId);
    void jobFinished(int column, int sample, const Generation &generation);
    void checkColumnDone(int column);
    void checkAllDone();
    void abandon();
    void saveTicks();
    void restoreTicks();

    ProjectSession &m_session;
    PromptsController &m_prompts;
    RunServices &m_services;
    ModelCatalog &m_catalog;
    ModelListModel *m_picker = nullptr;
    QList<PlaygroundColumnState> m_columns;
    int m_samples = 1;
    bool m_useCache = true;
    bool m_running = false;
    bool m_stopRequested = false;
    quint64 m_serial = 0;
    QString m_runDescription;
    // What run() captured, for the jobs that start once their run rows exist.
    PromptContent m_runContent;
    QList<ChatMessage> m_runMessages;
    nlohmann::json m_runVariables = nlohmann::json::object();
    QElapsedTimer m_clock;
    QString m_ticksProject; ///< the open project's path, whose ticks are saved; "" when none
    bool m_restoreTicks = false;
    bool m_syncingModels = false;
};

} // namespace ts
