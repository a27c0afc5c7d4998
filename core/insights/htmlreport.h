#pragma once

#include "evals/evalresults.h"
#include "insights/drift.h"
#include "insights/evalcharts.h"

#include <QString>

namespace ts {

/// What goes into the report besides the eval.
struct HtmlReportOptions
{
    const DriftReport *drift = nullptr; ///< adds the drift section
    QString driftReference; ///< descriptions of the two sides
    QString driftCurrent;
    int maxFailures = 200; ///< failing cells listed (the rest counted)
};

/// One self-contained HTML page: inline CSS (light, dark via prefers-color-scheme, print),
/// inline SVG charts (pass rate per variant with intervals and the baseline, check × variant
/// heat map, pass rate against cost per 1,000 calls and against median latency with the Pareto
/// front, mean scores, win rates; drift metrics and typical words when given), the statistics
/// sentences and the failing cases (input, output, reason). Nothing is fetched: no scripts,
/// stylesheets, fonts, images or links to other addresses.
QString renderHtmlReport(const EvalResults &results, const EvalCharts &charts,
                         const HtmlReportOptions &options = {});

} // namespace ts
