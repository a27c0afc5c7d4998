#pragma once

#include "datasets/datasetstore.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>

namespace ts {

/// The test cases of one dataset as an editable table, one page at a time: the first page on
/// select, the next ones as the view scrolls (canFetchMore/fetchMore; CasePager reads them off
/// the UI thread). One column per variable (the union of the loaded cases' keys, in first-seen
/// order, growing as pages arrive), then expected output, tags, description and source. JSON
/// values are shown compactly; strings as they are. Edits are not written here: caseEdited()
/// carries the new content to whoever saves it.
class CaseTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Fixed { Expected, Tags, Description, Source };
    static constexpr int fixedColumns = 4;
    static constexpr int defaultPageSize = 200;

    explicit CaseTableModel(QObject *parent = nullptr);

    /// Rows read per page (the first page and each fetchMore()).
    int pageSize() const { return m_pageSize; }
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }

    /// Empties the table while another dataset's first page loads.
    void startLoading();
    /// True from startLoading() until setCases().
    bool isLoading() const { return m_loading; }
    /// Replaces the rows with `cases`, the first of a dataset's `total` (the columns follow).
    void setCases(const QList<TestCase> &cases, int total = -1);
    /// Appends the page fetchMore() asked for; `total` is the dataset's count when it was read.
    void appendCases(const QList<TestCase> &cases, int total);
    /// The page fetchMore() asked for did not come: a later fetchMore() may ask again.
    void fetchFailed() { m_fetching = false; }
    /// Where the next page starts (after the last loaded case).
    CaseKey nextKey() const;
    /// Puts a saved case back in place (a case not loaded shows as stored when fetched).
    void updateCase(const TestCase &testCase);
    /// Counts a case added at the end: shown at once when every case is loaded, else when its
    /// page is fetched.
    void addCase(const TestCase &testCase);
    /// The loaded cases (a prefix of the dataset).
    const QList<TestCase> &cases() const { return m_cases; }
    /// How many cases the dataset has, loaded or not.
    int totalCount() const { return m_total; }
    const TestCase *caseAt(int row) const;
    int rowOf(qint64 caseId) const;
    QStringList variables() const { return m_variables; }
    /// The fixed column (-1 for a variable column).
    int fixedColumn(Fixed which) const { return int(m_variables.size()) + int(which); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    /// How a value reads in a cell: strings as-is, anything else as compact JSON.
    static QString compact(const nlohmann::json &value);
    /// What an edited cell means: JSON when it parses as a non-string value and the cell did
    /// not hold a string before, else the text itself.
    static nlohmann::json parseCell(const QString &text, const nlohmann::json &previous);

Q_SIGNALS:
    /// The user changed a cell of `column`: the case's whole content before and after.
    void caseEdited(qint64 caseId, const ts::TestCaseData &before, const ts::TestCaseData &after,
                    int column);
    /// The view wants the page after nextKey(); answer with appendCases() or fetchFailed().
    void moreRequested();
    void loadingChanged(bool loading);

private:
    /// Adds columns for variables of `cases` not shown yet.
    void includeVariables(const QList<TestCase> &cases);
    void setLoading(bool loading);

    QList<TestCase> m_cases;
    QHash<qint64, int> m_rows; ///< row of each loaded case, by id
    QStringList m_variables;
    int m_total = 0;
    int m_pageSize = defaultPageSize;
    bool m_loading = false;
    bool m_fetching = false; ///< a page was asked for and has not come yet
};

} // namespace ts
