#pragma once

#include "evals/evalresults.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QTableWidget;

namespace ts {

/// Per-variant statistics of an eval with the test case as the unit of analysis: pass rate
/// with its 95% interval and the sample counts beside it ("97% [94–98%] · 480/497 passed,
/// 3 errors"; errors are left out of every number), mean score with its interval, pass@k /
/// pass^k and flaky cases when there are several samples, and cost; the line above says which
/// unit and method each number uses; under the table the comparison sentence between a
/// baseline and a candidate variant.
///
/// Nothing here computes over the results: the counts and intervals arrive with the results
/// (while bootstrap intervals are still being computed the panel says so), and a comparison is
/// asked for with comparisonWanted() and shown with showComparison() when it is ready.
class StatisticsPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit StatisticsPanel(QWidget *parent = nullptr);

    void setResults(std::shared_ptr<const EvalResults> results);
    void setComparison(int baseline, int candidate);

    QTableWidget *table() const { return m_table; }
    QComboBox *baselineCombo() const { return m_baseline; }
    QComboBox *candidateCombo() const { return m_candidate; }
    /// The comparison sentence shown ("" when there are fewer than two variants).
    QString comparisonText() const;

    /// "97% [94–98%] · 480/497 passed, 3 errors"
    static QString formatRate(const stats::CasePassRate &p, int errors = 0);
    /// What the numbers are computed over: "Unit: the test case. Pass rate = share of cases
    /// passed (95% Wilson) …" or, with samples, the mean per-case pass share (bootstrap).
    static QString unitText(const EvalResults &results);
    /// Whether anything was checked: an answered sample with an assertion result or a judge
    /// verdict. Without checks every answer "passes", which says nothing.
    static bool hasChecks(const EvalResults &results);
    /// The line above the table (counts, errors, unit).
    QString summaryText() const;
    /// "0.81 [0.74–0.88]"
    static QString formatMean(const stats::MeanEstimate &m);

    /// A comparison computed off the UI thread for the pair comparisonWanted() named; the
    /// sentence is shown if that pair of that eval is still the one chosen.
    void showComparison(qint64 evalId, int baseline, int candidate, const QString &sentence);

Q_SIGNALS:
    /// The chosen pair changed (the matrix's "changed between" filter follows it).
    void comparisonChanged(int baseline, int candidate);
    /// The sentence comparing `candidate` with `baseline` of eval `evalId` is wanted.
    void comparisonWanted(qint64 evalId, int baseline, int candidate);

private:
    void compare();

    std::shared_ptr<const EvalResults> m_results;
    QTableWidget *m_table = nullptr;
    QComboBox *m_baseline = nullptr;
    QComboBox *m_candidate = nullptr;
    QLabel *m_sentence = nullptr;
    QLabel *m_overall = nullptr;
    quint64 m_serial = 0; ///< counts setResults()
    quint64 m_askedSerial = 0; ///< the comparison asked last: asked once per pair and results
    int m_askedBaseline = -1;
    int m_askedCandidate = -1;
};

} // namespace ts
