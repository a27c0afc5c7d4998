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
#include <QSet>

#include <atomic>

#include <functional>
#include <memory>

class QTimer;

namespace ts {

class Database;
class EvalListModel;
class EvalResults;
class EvalRunner;
class ProjectSession;
class ResultsMatrixModel;
class RunServices;
struct WorkContext;

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
    /// Datasets with embedding-based assertions (similar, answer-relevance).
    QSet<qint64> embeddingDatasets;
    /// The project's default embedding model (see core/insights/embeddingcache.h).
    std::optional<qint64> defaultEmbeddingModel;
};

/// The messages of a stored generation request ({"provider", "url", "model", "body"}), for
/// the OpenAI/Ollama `messages`, Anthropic `system` + `messages` and Gemini
/// `systemInstruction` + `contents` shapes.
QList<RenderedMessage> renderedMessages(const nlohmann::json &request);

/// The Evals section's state: the project's past evals, the eval shown in the results matrix
/// and the running one. Runs an EvalRunner on the run engine of the open project (RunServices),
/// refreshing the matrix while it runs; everything read from disk goes through the session.
///
/// An eval is shown in parts, each read off the UI thread: its header and first page of rows,
/// then its counts (SQL), then its statistics (cached with a finished eval, else computed from
/// every verdict in the background); further pages, filters and comparisons as they are asked
/// for. Showing another eval cancels what is still loading for the previous one.
class EvalsController final : public QObject
{
    Q_OBJECT

public:
    EvalsController(ProjectSession &session, RunServices &services, QObject *parent = nullptr);
    ~EvalsController() override;

    EvalListModel *listModel() const { return m_list; }
    ResultsMatrixModel *matrixModel() const { return m_matrix; }
    /// The eval shown: header, per-variant statistics and pooled counts (null before one is
    /// opened). Its cells are not the matrix's: the matrix holds pages (matrixModel()).
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

    /// Reads one case of the shown eval with every variant's cells (for the detail pane when
    /// the case's page is not loaded); `caseIndex` is its index among the dataset's cases.
    void loadCase(int caseIndex, QObject *context,
                  std::function<void(Result<std::shared_ptr<const EvalResults>>)> done);
    /// Computes the sentence comparing two variants of an eval (cached once it is finished);
    /// comparisonReady() follows.
    void compareVariants(qint64 evalId, int baseline, int candidate);

    /// Reads the request a generation sent, as messages.
    void loadRequest(qint64 generationId, QObject *context,
                     std::function<void(Result<QList<RenderedMessage>>)> done);

    /// Makes `modelId` the project's default embedding model; errorOccurred() on failure.
    void setDefaultEmbeddingModel(qint64 modelId, QObject *context,
                                  std::function<void(Result<void>)> done);
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
    /// The matrix shows another eval (its first page), or a fresh load of the same one.
    void resultsLoaded(qint64 evalId);
    /// results() has new counts or statistics (statisticsPending says which).
    void statisticsLoaded(qint64 evalId);
    void comparisonReady(qint64 evalId, int baseline, int candidate, const QString &sentence);
    void exported(const QString &path);
    void runningChanged(bool running);
    void errorOccurred(const QString &message);
    void notice(const QString &message);

private:
    EvalRunner *newRunner();
    void scheduleRefresh();
    /// The shown eval again: the rows held and the counts (a live refresh).
    void refreshShown();
    void loadStatistics(qint64 evalId);
    void loadPage(quint64 token, int page, const QList<qint64> &caseIds,
                  const QList<int> &caseIndexes);
    void loadFilter(quint64 token, int filter, int a, int b);
    /// Lets go of m_scores (freed off the UI thread).
    void dropScores();
    /// Stores computed statistics in the project (the writer's connection).
    void keepStatistics(std::function<void(Database &)> store);
    /// Stops what is still loading for the shown eval.
    void cancelLoads();
    /// Posts a read of the shown eval (cancelled by cancelLoads()).
    template<typename R>
    void read(std::function<R(WorkContext &)> work, std::function<void(R)> done);

    ProjectSession &m_session;
    RunServices &m_services;
    EvalListModel *m_list = nullptr;
    ResultsMatrixModel *m_matrix = nullptr;
    QPointer<EvalRunner> m_runner;
    QTimer *m_refresh = nullptr;
    qint64 m_shown = 0;
    QList<std::shared_ptr<std::atomic_bool>> m_loads; ///< reads of the shown eval in flight
    /// Every verdict of the shown eval without text, once read (filters, comparisons).
    std::shared_ptr<const EvalResults> m_scores;
    bool m_statisticsLoading = false;
    bool m_statisticsAgain = false;
    bool m_startWhenPrepared = false;
    bool m_loading = false;
    bool m_reloadAgain = false;
};

} // namespace ts
