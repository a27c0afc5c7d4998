#pragma once

#include "evals/evalresults.h"

#include <QByteArray>

#include <functional>

class QIODevice;

#include <nlohmann/json.hpp>

namespace ts {

/// Exports of a loaded eval (the CLI's --json and --junit, the app's "Export results").
/// The JSON format is documented in app/cli/EVAL_JSON.md.

/// One record per (case, variant, sample) that ran, with its assertions and judge verdicts.
nlohmann::json evalResultRecords(const EvalResults &results);
/// Per-variant pass rates with Wilson intervals, score means with bootstrap intervals,
/// pass@k/pass^k and flaky cases, pairwise judge tallies and `comparisons`.
nlohmann::json evalSummaryJson(const EvalResults &results,
                               const QList<VariantComparisonResult> &comparisons);
/// {"eval_id", "status", "dataset", "samples", "results": [...], "summary": {...}}
nlohmann::json evalReportJson(const EvalResults &results,
                              const QList<VariantComparisonResult> &comparisons);

/// JUnit XML: one <testsuite> per variant, one <testcase> per test case; a case fails when
/// any sample failed (<failure> with the reason), a failed call is an <error>.
QByteArray evalJunitXml(const EvalResults &results);

/// The document of evalReportJson() written to `out` as it is read: `verdicts` is the eval
/// loaded without details (EvalResults::load with EvalLoadOptions::details = false: every
/// sample's verdict, the statistics), the records are read from `db` `pageSize` cases at a
/// time, so memory stays flat however large the eval. Parses to the same JSON.
Result<void> writeEvalReportJson(Database &db, const EvalResults &verdicts,
                                 const QList<VariantComparisonResult> &comparisons, QIODevice &out,
                                 int pageSize = 500);
/// evalJunitXml() written to `out` a page of cases at a time (see writeEvalReportJson).
Result<void> writeEvalJunitXml(Database &db, const EvalResults &verdicts, QIODevice &out,
                               int pageSize = 500);
/// Both in one pass over the project (either device may be null): what writeEvalReportJson()
/// writes to `json` and writeEvalJunitXml() to `junit`, each page of cases read once. `verdicts`
/// needs its cells and pooled counts only (EvalLoadOptions::summarize may be false): `summary`
/// gives the document's "summary" (evalSummaryJson()) once the records are written, so the
/// statistics can be computed elsewhere meanwhile. With `readAhead` the pages are read on a
/// connection and thread of their own while the previous one is written (then a cancel flag
/// set on `db` does not reach them); writeEvalReportJson() and writeEvalJunitXml() read on
/// `db` itself.
Result<void> writeEvalReports(Database &db, const EvalResults &verdicts,
                              const std::function<nlohmann::json()> &summary, QIODevice *json,
                              QIODevice *junit, int pageSize = 500, bool readAhead = true);

/// CSV (RFC 4180, UTF-8, header row): one row per (case, variant, sample) that ran, with the
/// case's variables as JSON, the variant, status, pass ("" for a failed call), score, reason,
/// output, latency and cost.
QByteArray evalResultsCsv(const EvalResults &results);
/// evalResultsCsv() written to `out` a page of cases at a time (see writeEvalReportJson), so
/// memory stays flat however large the eval; `verdicts` as loaded without details.
Result<void> writeEvalResultsCsv(Database &db, const EvalResults &verdicts, QIODevice &out,
                                 int pageSize = 500);

} // namespace ts
