#pragma once

#include "evals/assertion.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace ts {

/// One column of an eval: a prompt version on a model.
struct EvalVariantSpec
{
    qint64 promptVersionId = 0;
    qint64 modelId = 0;
    friend bool operator==(const EvalVariantSpec &, const EvalVariantSpec &) = default;
};

/// What to evaluate. Every (test case x variant x sample) becomes one model call.
struct EvalConfig
{
    QString name;
    QList<EvalVariantSpec> variants;
    qint64 datasetId = 0;
    /// Checked on every case besides the dataset's and the case's own stored assertions.
    QList<AssertionSpec> extraAssertions;
    /// false: only extraAssertions (the stored ones are ignored).
    bool useStoredAssertions = true;
    QList<qint64> judgeIds;
    int samples = 1;
    /// The model (by name) that embeds texts for `similar` and answer-relevance when an
    /// assertion names none; empty: the project's default embedding model. Kept with the eval,
    /// so a resume scores with the model the eval began with.
    QString embeddingModel;
    int concurrency = 4; ///< most calls (generations and judges) in flight at once
    bool useCache = true;
    /// Continue an unfinished eval of the same variants, dataset and settings rather than
    /// start a new one.
    bool resume = true;
};

/// What an eval will do, shown before it starts.
struct EvalEstimate
{
    qint64 evalId = 0;
    bool resumed = false; ///< continues an earlier, unfinished eval
    int cases = 0;
    int variants = 0;
    int samples = 1;
    int generationCalls = 0; ///< cases x variants x samples
    int judgeCalls = 0; ///< pointwise/factuality: one per generation; pairwise: two per pair
    int totalCalls = 0;
    int alreadyDone = 0; ///< calls finished by an earlier attempt (not repeated)
    qint64 inputTokens = 0; ///< estimate for the remaining calls (chars / 4)
    qint64 outputTokens = 0; ///< estimate: max_tokens, else the model's average so far
    /// Estimated cost of the remaining calls; nullopt when no model has prices.
    std::optional<double> cost;
    /// Models without prices (their calls are not in `cost`).
    QStringList modelsWithoutPrices;
};

/// Where a running eval is.
struct EvalProgress
{
    qint64 evalId = 0;
    int done = 0; ///< calls finished, including those of an earlier attempt
    int total = 0;
    int evaluated = 0; ///< generations with a verdict so far
    int passed = 0; ///< of those, passing (assertions and pointwise judges)
    int errors = 0; ///< calls that failed (HTTP, template, judge parse)
    /// false when nothing is checked (no assertions on any case, no judges): `passed` then
    /// means nothing and views say "no checks" rather than a pass rate.
    bool hasChecks = true;
    double passRate() const { return evaluated ? double(passed) / evaluated : 0; }
    /// Seconds left, from the pace of this attempt; nullopt before the first call finishes.
    std::optional<double> etaSeconds;
    double elapsedSeconds = 0;
};

/// One generation evaluated while the eval runs (for live views).
struct EvalCellUpdate
{
    int variant = 0;
    qint64 testCaseId = 0;
    int sampleIndex = 0;
    qint64 generationId = 0;
    bool ok = false; ///< the call succeeded
    bool pass = false;
    double score = 0;
    QString output;
    QString reason;
};

} // namespace ts

Q_DECLARE_METATYPE(ts::EvalEstimate)
Q_DECLARE_METATYPE(ts::EvalProgress)
