#pragma once

// The eval chart data of core/insights (EvalCharts) as the chart widgets draw it.

#include "charts/charttypes.h"
#include "insights/evalcharts.h"

namespace ts {

enum class CostAxis { CostPer1k, MedianLatency, P95Latency };

/// Pass rate per variant with 95% intervals, best first, the baseline marked, and the verdict
/// against the baseline as the subtitle ("No significant difference …" when that is the truth).
IntervalChartData passRateChartData(const EvalCharts &charts);
/// The sentence under the pass-rate chart.
QString passRateVerdict(const EvalCharts &charts);
/// Mean score per variant with bootstrap intervals.
IntervalChartData meanScoreChartData(const EvalCharts &charts);
/// Pass rate per check x variant.
HeatmapData checksHeatmapData(const EvalCharts &charts);
/// Pass rate per prompt version on the eval's dataset and model, labels on the axis.
SeriesChartData versionHistoryData(const EvalCharts &charts);
/// Pass rate against cost per 1,000 calls or latency, with the core's Pareto front.
ScatterChartData qualityCostData(const EvalCharts &charts, CostAxis axis);
/// Head-to-head win rates of judges and people, 50% marked.
IntervalChartData winRateChartData(const EvalCharts &charts);
/// Histograms of per-case mean scores, one group per variant.
HistogramData scoreHistogramData(const EvalCharts &charts);

} // namespace ts
