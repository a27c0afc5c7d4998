#pragma once

#include "logs/logfilter.h"
#include "logs/logstore.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPixmap>

namespace ts {

class ProjectSession;

/// The Logs table over LogStore. It never holds the whole table: the first page comes with
/// the count, further pages of `pageSize()` rows are read on the session's worker thread as
/// the view asks for them (canFetchMore/fetchMore), and sorting is done by the store (LogSort),
/// so a project with millions of records opens as fast as one with a hundred.
class LogTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Model, Prompt, Status, Tokens, Latency, Input, Output, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };

    explicit LogTableModel(ProjectSession &session, QObject *parent = nullptr);

    /// Shows the records `filter` takes in `sort` order, starting again from the first page.
    void setQuery(const LogFilter &filter, LogSort sort);
    void setFilter(const LogFilter &filter) { setQuery(filter, m_sort); }
    const LogFilter &filter() const { return m_filter; }
    LogSort logSort() const { return m_sort; }
    /// Reads the rows shown so far again (records arrived or were imported), keeping the rows
    /// that stay and inserting new ones where they belong when that is all that changed.
    void refresh();
    /// Drops every row (no project).
    void clear();

    /// Records the filter takes; -1 until the first count has arrived.
    qint64 totalCount() const { return m_total; }
    bool isLoading() const { return m_fetching || m_total < 0; }
    int pageSize() const { return m_pageSize; }
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }

    const LogRow *rowAt(int row) const;
    int rowOf(qint64 id) const;

    /// The sort a column header stands for, or nullopt for columns that do not sort.
    static std::optional<LogSort> sortFor(int column, Qt::SortOrder order);
    /// The column and order `sort` shows as the header's sort indicator.
    static std::pair<int, Qt::SortOrder> indicatorFor(LogSort sort);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order) override;

Q_SIGNALS:
    /// The count for the current filter is known (or changed after a refresh).
    void totalCountChanged(qint64 total);
    /// A page (or a refresh) has been merged into the rows.
    void rowsLoaded();
    void errorOccurred(const QString &message);

private:
    struct Page
    {
        qint64 total = -1; ///< -1 when not counted with this page
        QList<LogRow> rows;
    };
    /// Reads `limit` rows from `offset`; with `after`, the rows after that cursor instead
    /// (fetchMore: keyset paging, as fast deep in the table as at the top).
    void request(qint64 offset, int limit, bool withCount, bool replace,
                 std::optional<LogCursor> after = std::nullopt);
    /// Counts the records the filter takes (after the first page, on the same worker).
    void requestCount();
    void merge(Page page, qint64 offset, bool replace);
    void replaceRows(QList<LogRow> rows);

    ProjectSession &m_session;
    LogFilter m_filter;
    LogSort m_sort = LogSort::TimeDescending;
    QList<LogRow> m_rows;
    qint64 m_total = -1;
    int m_pageSize = 200;
    bool m_fetching = false;
    bool m_refreshAgain = false;
    quint64 m_generation = 0;
    QPixmap m_okDot;
    QPixmap m_errorDot;
};

/// "1.24 s", "830 ms"; empty when unknown.
QString formatLatency(std::optional<double> ms);
/// "1,204"; empty when unknown.
QString formatCount(std::optional<qint64> n);
/// The local date and time of an ISO 8601 UTC time: "Mar 4, 14:05:09" in the current year,
/// else "2025-03-04 14:05".
QString formatLocalTime(const std::optional<QString> &isoUtc);

} // namespace ts
