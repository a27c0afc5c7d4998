#pragma once

#include "common/error.h"
#include "datasets/judgestore.h"
#include "evals/assertion.h"
#include "runs/generation.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

class Database;
struct PlannedCase;

/// The variables a judge prompt is rendered with: the test case's own variables, then
/// output (pointwise/factuality) or output_a/output_b (pairwise), rubric, expected (empty
/// when the case has none) and vars (the case's variables as JSON text).
nlohmann::json judgeVariables(const JudgeConfig &judge, const PlannedCase &testCase,
                              const QString &output, const QString &otherOutput = {});

/// What a judge answered, ready to store.
struct JudgeReading
{
    nlohmann::json verdict; ///< null when no verdict could be read
    std::optional<bool> pass; ///< pointwise/factuality; nullopt for pairwise and errors
    std::optional<double> score;
    QString reason;
    QString error; ///< empty when a verdict was read
};
/// Parses a judge call's answer; a failed call or an unreadable verdict is an error,
/// never a pass.
JudgeReading readJudgeAnswer(const JudgeConfig &judge, const Generation &judgeCall);

/// One row of judgments.
struct JudgmentRow
{
    qint64 evalId = 0;
    qint64 judgeId = 0;
    qint64 generationId = 0;
    std::optional<qint64> otherGenerationId;
    bool swapped = false;
    std::optional<qint64> judgeGenerationId;
    JudgeReading reading;
};
Result<void> insertJudgment(Database &db, const JudgmentRow &row);

/// Writes assertion_results (one per assertion) and the case verdict of a generation.
Result<void> insertVerdict(Database &db, qint64 generationId, const PlannedCase &testCase,
                           const CaseVerdict &verdict);

} // namespace ts
