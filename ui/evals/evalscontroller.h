#pragma once

#include "common/error.h"
#include "datasets/datasetstore.h"
#include "datasets/judgestore.h"
#include "evals/evalconfig.h"
#include "models/modelconfig.h"
#include "prompts/promptstore.h"
#include "prompts/templateanalysis.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QTimer;

namespace ts {

class EvalListModel;
class EvalResults;
class EvalRunner;
class ProjectSession;
class ResultsMatrixModel;
class RunServices;

/// What the New Eval dialog offers: prompts with their versions, models, datasets and judges.
struct EvalChoices
{
    struct Prompt
    {
        PromptInfo info;
        QList<PromptVersion> versions; ///< newest first
    };
    QList<Prompt> prompts;
    QList<ModelConfig> models;
    QList<DatasetInfo> datasets;
    QList<JudgeConfig> judges;
};

/// The messages of a stored generation request ({"provider", "url", "model", "body"}), for
/// the OpenAI/Ollama `messages`, Anthropic `system` + `messages` and Gemini
/// `systemInstruction` + `contents` shapes.
QList<RenderedMessage> renderedMessages(const nlohmann::json &request);

/// The Evals section's state: the project's past evals, the eval shown in the results matrix
/// and the running one. Runs an EvalRunner on the run engine of the open project (RunServices),
/// reloading the matrix while it runs; everything read from disk goes through the session.
class EvalsController final : public QObject
{
    Q_OBJECT

public:
    EvalsController(ProjectSession &session, RunServices &services, QObject *parent = nullptr);
    ~EvalsController() override;

    EvalListModel *listModel() const { return m_list; }
    ResultsMatrixModel *matrixModel() const { return m_matrix; }
    /// The eval shown (null before one is opened).
    std::shared_ptr<const EvalResults> results() const;
    qint64 shownEvalId() const { return m_shown; }
    /// The eval being prepared or run (0 when none).
    qint64 activeEvalId() const;
    bool isRunning() const;
    /// The eval being run, 0 when none.
    qint64 runningEvalId() const;
    bool canRun() const;

    void reloadList();
    /// Loads an eval into the matrix.
    void openEval(qint64 evalId);
    /// Reads the prompts, models, datasets and judges for the New Eval dialog.
    void loadChoices(QObject *context, std::function<void(Result<EvalChoices>)> done);
    /// Creates a judge with the default prompt for its kind ("<name>-judge").
    void addJudge(const QString &name, JudgeKind kind, std::optional<qint64> modelId,
                  const QString &rubric, QObject *context,
                  std::function<void(Result<JudgeConfig>)> done);

    /// Reads the request a generation sent, as messages.
    void loadRequest(qint64 generationId, QObject *context,
                     std::function<void(Result<QList<RenderedMessage>>)> done);

    /// Prepares an eval (prepared() or prepareFailed() follows); nothing runs yet.
    void prepare(const EvalConfig &config);
    /// Runs the prepared eval.
    void start();
    /// Prepares and starts what is left of an unfinished eval.
    void resume(qint64 evalId);
    enum class ExportFormat { Json, JUnit, Csv, Html };
    /// Writes an eval's results to `path`: JSON (touchstone-eval/2, as `eval --json`), JUnit
    /// XML, CSV (one row per sample) or the HTML report (as `touchstone-cli report`).
    /// exported() or errorOccurred() follows.
    void exportResults(qint64 evalId, ExportFormat format, const QString &path);
    /// Deletes an eval that is not running, with its generations and results (the caller
    /// asks for confirmation).
    void deleteEval(qint64 evalId);
    /// The New Eval dialog closed without starting: the eval prepared for its estimate is
    /// deleted (one being resumed stays).
    void discardPrepared();
    void cancel();

Q_SIGNALS:
    void prepared(const ts::EvalEstimate &estimate);
    void prepareFailed(const QString &message);
    void started(qint64 evalId);
    void progressed(const ts::EvalProgress &progress);
    void finished(qint64 evalId, const QString &status);
    /// The matrix shows another eval, or a fresh load of the same one.
    void resultsLoaded(qint64 evalId);
    void exported(const QString &path);
    void runningChanged(bool running);
    void errorOccurred(const QString &message);
    void notice(const QString &message);

private:
    EvalRunner *newRunner();
    void scheduleRefresh();

    ProjectSession &m_session;
    RunServices &m_services;
    EvalListModel *m_list = nullptr;
    ResultsMatrixModel *m_matrix = nullptr;
    QPointer<EvalRunner> m_runner;
    QTimer *m_refresh = nullptr;
    qint64 m_shown = 0;
    bool m_startWhenPrepared = false;
    bool m_loading = false;
    bool m_reloadAgain = false;
};

} // namespace ts
