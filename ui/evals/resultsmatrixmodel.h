#pragma once

#include "evals/evalresults.h"

#include <QAbstractTableModel>

#include <memory>

namespace ts {

/// An eval's results as a table: one row per test case (after the filter), column 0 the case,
/// then one column per variant (prompt version x model). A cell reads "✓ pass", "✗ fail",
/// "2/3 flaky" or "error" with its mean score and is coloured green, red or amber from the
/// palette.
class ResultsMatrixModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        CaseIndexRole = Qt::UserRole + 1, ///< index into EvalResults::cases
        VariantRole, ///< variant index, -1 on the case column
        OutcomeRole, ///< "pass", "fail", "flaky", "error", "pending"
    };

    explicit ResultsMatrixModel(QObject *parent = nullptr);

    /// Shows `results` (null clears) with the current filter.
    void setResults(std::shared_ptr<const EvalResults> results);
    const EvalResults *results() const { return m_results.get(); }
    std::shared_ptr<const EvalResults> sharedResults() const { return m_results; }

    /// ChangedBetween compares variants `a` and `b`.
    void setFilter(EvalResults::Filter filter, int a = 0, int b = 1);
    EvalResults::Filter filter() const { return m_filter; }
    /// The case index shown on `row`.
    int caseIndexAt(int row) const;
    int rowOfCase(int caseIndex) const;

    /// "✓ pass", "✗ fail", "✗ error", "~ 2/3", "…" for a cell.
    static QString cellText(const EvalCell &cell, int samples);
    static QString outcome(const EvalCell &cell, int samples);
    /// A one-line label for a case: its description or its variables.
    static QString caseLabel(const TestCase &testCase, int index);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void applyFilter();

    std::shared_ptr<const EvalResults> m_results;
    QList<int> m_rows;
    EvalResults::Filter m_filter = EvalResults::Filter::All;
    int m_a = 0;
    int m_b = 1;
};

} // namespace ts
