#pragma once

#include "common/error.h"
#include "datasets/datasetstore.h"
#include "datasets/judgestore.h"
#include "evals/evalconfig.h"
#include "models/modelconfig.h"
#include "prompts/promptstore.h"

#include <QHash>
#include <QList>

namespace ts {

class Database;

/// A variant ready to run: its run row, prompt version, model and effective parameters.
struct PlannedVariant
{
    qint64 runId = 0;
    PromptVersion version;
    ModelConfig model;
    GenerationParams params;
    QString label; ///< "name@3 · model"
};

/// A test case with every assertion that applies to it.
struct PlannedCase
{
    TestCase testCase;
    QList<AssertionSpec> assertions;
    QList<std::optional<qint64>> assertionIds; ///< nullopt for EvalConfig::extraAssertions
};

struct PlannedJudge
{
    JudgeConfig config;
    PromptVersion prompt;
    ModelConfig model;
    GenerationParams params;
    qint64 runId = 0; ///< the judge run holding this judge's own calls
};

/// A generation an earlier attempt already finished (resume).
struct DoneGeneration
{
    qint64 id = 0;
    QString output;
    bool pass = false;
    double score = 0;
};

/// Everything an EvalRunner needs, loaded and created in one go on the writer's connection.
struct EvalPlan
{
    qint64 evalId = 0;
    EvalConfig config;
    QList<PlannedVariant> variants;
    QList<PlannedCase> cases;
    QList<PlannedJudge> judges;
    /// callKey() -> the ok generation stored for it.
    QHash<QString, DoneGeneration> done;
    /// judgmentKey() of judge calls that already have a verdict (or a recorded error).
    QSet<QString> doneJudgments;
    /// Generations a pointwise or factuality judge failed (or could not judge).
    QSet<qint64> judgeFailed;
    EvalEstimate estimate;
    bool created = false; ///< buildEvalPlan() created the eval (rather than finding one)

    static QString callKey(int variant, qint64 caseId, int sample);
    static QString judgmentKey(int judge, qint64 generationId, bool swapped);
};

/// Resolves the config, then finds the unfinished eval with the same fingerprint (when
/// config.resume) or creates a new one with its runs; loads what is already done and
/// estimates the rest.
Result<EvalPlan> buildEvalPlan(Database &db, const EvalConfig &config);
/// Loads an existing eval for resuming it, with the settings it was created with. Calls that
/// failed (and judge calls that failed on the wire) count as not done, so resuming a finished
/// eval with errors asks exactly those again.
Result<EvalPlan> resumeEvalPlan(Database &db, qint64 evalId);

/// The eval that buildEvalPlan() would continue for `config` (same prompts, models, dataset
/// and settings): the newest one that is unfinished or finished with failed calls; 0 if none.
Result<qint64> findResumableEval(Database &db, const EvalConfig &config);

/// Calls of an eval that failed and have not succeeded since: generations without an ok
/// attempt for their (variant, case, sample), and judge calls that failed on the wire
/// without a later answer. What "Retry errors" asks again.
Result<int> evalErrorCount(Database &db, qint64 evalId);
/// The newest eval with evalErrorCount() > 0 (0 if none).
Result<qint64> latestEvalWithErrors(Database &db);

/// The stored form of a config (evals.config) and back.
nlohmann::json evalConfigToJson(const EvalConfig &config);
Result<EvalConfig> evalConfigFromJson(const nlohmann::json &json);

/// Fills plan.estimate: call counts, what is already done, and tokens (rendered prompt
/// characters / 4 in; max_tokens, else the model's average so far, else 256 out) and cost of
/// the calls still to make.
void estimateEval(Database &db, EvalPlan &plan);

/// Deletes an eval with everything it produced: its runs, generations, assertion results,
/// verdicts and judgments. The prompts, models, dataset and judges stay.
Result<void> deleteEval(Database &db, qint64 evalId);

/// Sets evals.status (and finished_at for a final status) and the status of its runs.
Result<void> setEvalStatus(Database &db, qint64 evalId, const QString &status);

} // namespace ts
