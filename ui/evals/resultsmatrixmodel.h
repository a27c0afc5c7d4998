#pragma once

#include "evals/evalresults.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

#include <memory>

namespace ts {

/// An eval's results as a table: one row per test case (after the filter), column 0 the case,
/// then one column per variant (prompt version x model). A cell reads "✓ pass", "✗ fail",
/// "2/3 flaky" or "error" with its mean score and is tinted with the design system's status
/// colours.
///
/// A window over the project: the model knows every row's case id, but holds the cells of a few
/// pages of rows only. A row whose page is not loaded reads "…" and asks for it (pageWanted);
/// pages far from the ones in use are dropped, so memory stays flat however large the eval.
class ResultsMatrixModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        CaseIndexRole = Qt::UserRole + 1, ///< index of the case among the dataset's cases
        VariantRole, ///< variant index, -1 on the case column
        OutcomeRole, ///< "pass", "fail", "flaky", "error", "pending", "" while loading
    };
    static constexpr int kPageSize = 100;
    static constexpr int kKeptPages = 6; ///< pages held at most; the farthest go first

    explicit ResultsMatrixModel(QObject *parent = nullptr);
    ~ResultsMatrixModel() override;

    /// Shows an eval: `summary` (header and statistics; its cells are not used), every case id
    /// in dataset order, and optionally the first page of rows already read. Null clears.
    void setEval(std::shared_ptr<const EvalResults> summary, QList<qint64> caseIds,
                 std::shared_ptr<const EvalResults> firstPage = nullptr);
    /// New statistics of the shown eval (headers follow).
    void setSummary(std::shared_ptr<const EvalResults> summary);
    const EvalResults *results() const { return m_results.get(); }
    std::shared_ptr<const EvalResults> sharedResults() const { return m_results; }
    int caseCount() const { return int(m_caseIds.size()); }

    /// ChangedBetween compares variants `a` and `b`. Every filter but All empties the table
    /// until setFilteredRows() brings the rows (filterWanted asks for them).
    void setFilter(EvalResults::Filter filter, int a = 0, int b = 1);
    EvalResults::Filter filter() const { return m_filter; }
    /// The case indexes a filter keeps, computed off the UI thread; `token` is filterToken()
    /// when it was asked (an older answer is dropped).
    void setFilteredRows(quint64 token, const QList<int> &caseIndexes);
    quint64 filterToken() const { return m_token; }
    /// True while a filter's rows are being computed.
    bool isFiltering() const { return m_filtering; }

    /// A page of rows arrived: cells of the cases that pageWanted() named.
    void setPage(quint64 token, int page, std::shared_ptr<const EvalResults> cells);
    /// Asks again for every page held (a live refresh of a running eval); the old cells stay
    /// shown until the new ones arrive.
    void refreshPages();
    /// The loaded results holding a case (its index in them in *indexInPage), null when the
    /// case's page is not loaded.
    std::shared_ptr<const EvalResults> pageOfCase(int caseIndex, int *indexInPage) const;
    qint64 caseIdAt(int caseIndex) const;
    int loadedPages() const { return int(m_pages.size()); }

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

Q_SIGNALS:
    /// Cells of these cases (numbers: their case indexes) are wanted for page `page`; answer
    /// with setPage(token, page, …).
    void pageWanted(quint64 token, int page, const QList<qint64> &caseIds,
                    const QList<int> &caseIndexes);
    /// The rows of a filter are wanted; answer with setFilteredRows(token, …).
    void filterWanted(quint64 token, ts::EvalResults::Filter filter, int a, int b);

private:
    struct Page
    {
        std::shared_ptr<const EvalResults> cells;
        QHash<int, int> index; ///< case index -> index in cells
    };
    void requestPage(int page) const;
    void emitPageChanged(int page);
    void dropFarPages(int near);

    std::shared_ptr<const EvalResults> m_results;
    QList<qint64> m_caseIds; ///< every case of the dataset, in order
    QList<int> m_rows; ///< case indexes shown (all of them without a filter)
    QHash<int, Page> m_pages;
    mutable QSet<int> m_requested;
    EvalResults::Filter m_filter = EvalResults::Filter::All;
    int m_a = 0;
    int m_b = 1;
    quint64 m_token = 1; ///< changes with the eval or the filter: older pages are dropped
    bool m_filtering = false;
};

} // namespace ts
