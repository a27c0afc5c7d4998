#pragma once

#include "evals/evalresults.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QTableWidget;

namespace ts {

/// Per-variant statistics of an eval: pass rate with its 95% interval ("72% [61–81%]"), mean
/// score with its interval, pass@k / pass^k and flaky cases when there are several samples,
/// errors and cost; and the comparison sentence between a baseline and a candidate variant.
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

    /// "72% [61–81%]"
    static QString formatRate(const stats::Proportion &p);
    /// "0.81 [0.74–0.88]"
    static QString formatMean(const stats::MeanEstimate &m);

Q_SIGNALS:
    /// The chosen pair changed (the matrix's "changed between" filter follows it).
    void comparisonChanged(int baseline, int candidate);

private:
    void compare();

    std::shared_ptr<const EvalResults> m_results;
    QTableWidget *m_table = nullptr;
    QComboBox *m_baseline = nullptr;
    QComboBox *m_candidate = nullptr;
    QLabel *m_sentence = nullptr;
    QLabel *m_overall = nullptr;
};

} // namespace ts
