#pragma once

#include "evals/evalresults.h"

namespace ts {

/// An eval's per-variant counts computed by SQLite with GROUP BY queries, reading no output
/// text and building no cell: passed / scored samples, errors, samples not run yet, cost, mean
/// latency, the case pass rate (share of cases passed, or the mean per-case pass share),
/// the mean score, flaky cases, pass@k and pass^k. The same numbers EvalResults::summarize()
/// computes from loaded cells, except the intervals that need resampling: a one-sample pass
/// rate gets its Wilson interval; bootstrap intervals are left to EvalStatistics (the result
/// says so with statisticsPending). What the Evals view shows while those are computed.
class EvalCounts final
{
public:
    static Result<EvalResults> load(Database &db, qint64 evalId,
                                    const std::atomic_bool *cancel = nullptr);
};

} // namespace ts
