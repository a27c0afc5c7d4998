#pragma once

#include "evals/evalresults.h"

#include <atomic>
#include <memory>

namespace ts {

/// Statistics of an eval that need every score (bootstrap intervals, paired bootstraps), kept in
/// the eval_statistics table once the eval is finished, so a large eval pays for them once.
/// A cached row names the fingerprint of the results it was computed from and is recomputed
/// when they changed (retry errors, resume, judging).
class EvalStatistics final
{
public:
    /// What the results look like now: the eval's status with the count and newest id of its
    /// generations, judgments and the dataset's cases.
    static Result<QString> fingerprint(Database &db, qint64 evalId);

    /// The eval with its per-variant statistics, pairwise tallies and pooled counts, but no
    /// cells: from the cache when it is current (`fromCache`), else computed from the
    /// verdicts (EvalResults::load without details) and stored when the eval is finished.
    /// `scores`, when computed, holds those verdicts (for filters and comparisons).
    struct Summary
    {
        std::shared_ptr<const EvalResults> results;
        std::shared_ptr<const EvalResults> scores; ///< null when read from the cache
        bool fromCache = false;
        QString fingerprint; ///< of the results the statistics were computed from
    };
    /// `store` false leaves the cache alone (a read-only connection); storeSummary() then
    /// stores what was computed on a connection that can write.
    static Result<Summary> summary(Database &db, qint64 evalId,
                                   const std::atomic_bool *cancel = nullptr, bool store = true);
    /// The statistics from the cache when they are current; nullopt otherwise (nothing is
    /// computed).
    static Result<std::optional<Summary>> cachedSummary(Database &db, qint64 evalId,
                                                        const std::atomic_bool *cancel = nullptr);
    /// Keeps computed statistics of a finished eval (nothing for a cached or running one).
    static void storeSummary(Database &db, const Summary &summary);
    /// The per-variant statistics of an eval loaded whole with EvalLoadOptions::summarize
    /// false: from the cache when current, else summarize() and kept when the eval is finished.
    /// True when they came from the cache.
    static bool summarize(Database &db, EvalResults &results);
    /// The whole eval with every detail (what an HTML report shows), its per-variant
    /// statistics through summarize().
    static Result<EvalResults> loadWhole(Database &db, qint64 evalId);

    /// Candidate vs baseline, from the cache or computed from `scores` (loaded when null) and
    /// stored when the eval is finished (with `store`; else *fingerprintOut says what to pass
    /// to storeComparison(), empty when it came from the cache or is not to be kept).
    static Result<VariantComparisonResult>
    compare(Database &db, qint64 evalId, int baseline, int candidate,
            std::shared_ptr<const EvalResults> scores, const std::atomic_bool *cancel = nullptr,
            bool store = true, QString *fingerprintOut = nullptr);
    static void storeComparison(Database &db, qint64 evalId, const QString &fingerprint,
                                const VariantComparisonResult &comparison);

    /// The cached statistics as JSON and back (exposed for tests).
    static nlohmann::json variantsJson(const EvalResults &results);
    static bool applyVariantsJson(EvalResults &results, const nlohmann::json &json);
    static nlohmann::json comparisonJson(const VariantComparisonResult &comparison);
    static std::optional<VariantComparisonResult> comparisonFromJson(const nlohmann::json &json);
};

} // namespace ts
