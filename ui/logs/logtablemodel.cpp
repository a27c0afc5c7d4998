#include "logs/logtablemodel.h"

#include "common/projectsession.h"
#include "common/themecolors.h"
#include "storage/project.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QLocale>
#include <QPainter>
#include <QSet>

namespace ts {

namespace {
QPixmap statusDot(const QColor &color)
{
    const qreal ratio = qApp ? qApp->devicePixelRatio() : 1.0;
    const int side = 10;
    QPixmap pixmap(QSize(side, side) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(1, 1, side - 2, side - 2));
    return pixmap;
}

QString promptLabel(const LogRow &row)
{
    if (!row.promptName)
        return {};
    if (!row.promptVersion)
        return *row.promptName;
    bool numeric = false;
    row.promptVersion->toLongLong(&numeric);
    return numeric ? QStringLiteral("%1 v%2").arg(*row.promptName, *row.promptVersion)
                   : QStringLiteral("%1 @ %2").arg(*row.promptName, *row.promptVersion);
}

QString tokensLabel(const LogRow &row)
{
    if (!row.inputTokens && !row.outputTokens)
        return {};
    const QString in = row.inputTokens ? formatCount(row.inputTokens) : QStringLiteral("–");
    const QString out = row.outputTokens ? formatCount(row.outputTokens) : QStringLiteral("–");
    return QStringLiteral("%1 → %2").arg(in, out);
}

bool sameRow(const LogRow &a, const LogRow &b)
{
    return a.id == b.id && a.startTime == b.startTime && a.model == b.model && a.ok == b.ok
        && a.inputTokens == b.inputTokens && a.outputTokens == b.outputTokens
        && a.latencyMs == b.latencyMs && a.inputPreview == b.inputPreview
        && a.outputPreview == b.outputPreview && a.promptName == b.promptName
        && a.promptVersion == b.promptVersion;
}
} // namespace

QString formatLatency(std::optional<double> ms)
{
    if (!ms)
        return {};
    if (*ms < 1000)
        return QStringLiteral("%1 ms").arg(qRound(*ms));
    if (*ms < 60'000)
        return QStringLiteral("%1 s").arg(*ms / 1000.0, 0, 'f', *ms < 10'000 ? 2 : 1);
    return QStringLiteral("%1 min").arg(*ms / 60'000.0, 0, 'f', 1);
}

QString formatCount(std::optional<qint64> n)
{
    if (!n)
        return {};
    return QLocale(QLocale::English).toString(*n);
}

QString formatLocalTime(const std::optional<QString> &isoUtc)
{
    if (!isoUtc)
        return {};
    const QDateTime time = QDateTime::fromString(*isoUtc, Qt::ISODateWithMs).toLocalTime();
    if (!time.isValid())
        return *isoUtc;
    // Short within the current year; the full UTC time is in the tooltip.
    if (time.date().year() == QDate::currentDate().year())
        return time.toString(QStringLiteral("MMM d, HH:mm:ss"));
    return time.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

LogTableModel::LogTableModel(ProjectSession &session, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{
    const ThemeColors colors = ThemeColors::fromPalette(QGuiApplication::palette());
    m_okDot = statusDot(colors.addedText);
    m_errorDot = statusDot(colors.error);
}

void LogTableModel::setQuery(const LogFilter &filter, LogSort sort)
{
    ++m_generation;
    m_filter = filter;
    m_sort = sort;
    beginResetModel();
    m_rows.clear();
    m_total = -1;
    m_fetching = false;
    m_refreshAgain = false;
    endResetModel();
    Q_EMIT totalCountChanged(-1);
    if (m_session.hasProject()) {
        // The first page before the count: counting what a common word matches reads every
        // match, while the page needs only the first rows.
        request(0, m_pageSize, false, false);
        requestCount();
    }
}

void LogTableModel::requestCount()
{
    const quint64 generation = m_generation;
    const LogFilter filter = m_filter;
    m_session.post<Result<qint64>>(
        [filter](WorkContext &ctx) -> Result<qint64> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return LogStore(ctx.project->db()).count(filter);
        },
        this,
        [this, generation](Result<qint64> total) {
            if (generation != m_generation)
                return;
            if (!total) {
                Q_EMIT errorOccurred(tr("Could not count the logs: %1").arg(total.error().message));
                return;
            }
            // Rows shown can outnumber a count taken a moment later only if records went away.
            m_total = qMax<qint64>(*total, m_rows.size());
            Q_EMIT totalCountChanged(m_total);
            if (m_refreshAgain && !isLoading()) {
                m_refreshAgain = false;
                refresh();
            }
        });
}

void LogTableModel::clear()
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_total = -1;
    m_fetching = false;
    m_refreshAgain = false;
    endResetModel();
    Q_EMIT totalCountChanged(-1);
}

void LogTableModel::refresh()
{
    if (!m_session.hasProject())
        return;
    if (isLoading()) {
        m_refreshAgain = true;
        return;
    }
    request(0, int(qMax<qsizetype>(m_pageSize, m_rows.size())), true, true);
}

void LogTableModel::request(qint64 offset, int limit, bool withCount, bool replace,
                            std::optional<LogCursor> after)
{
    m_fetching = true;
    const quint64 generation = m_generation;
    const LogFilter filter = m_filter;
    const LogSort sort = m_sort;
    // A refresh reads as many more rows as arrived, so rows shown now do not drop off the end.
    // At most one page more: a large import arriving must not pull its rows in all at once.
    const qint64 shownTotal = m_total;
    const int pageSize = m_pageSize;
    m_session.post<Result<Page>>(
        [filter, sort, offset, limit, withCount, replace, shownTotal, pageSize,
         after](WorkContext &ctx) -> Result<Page> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            LogStore store(ctx.project->db());
            Page page;
            int wanted = limit;
            if (withCount) {
                auto total = store.count(filter);
                if (!total)
                    return fail(total.error());
                page.total = *total;
                if (replace && shownTotal >= 0 && *total > shownTotal)
                    wanted = int(qMin<qint64>(limit + (*total - shownTotal), limit + pageSize));
            }
            auto rows = after ? store.rowsAfter(filter, sort, *after, wanted)
                              : store.rows(filter, sort, wanted, offset);
            if (!rows)
                return fail(rows.error());
            page.rows = std::move(*rows);
            return page;
        },
        this,
        [this, generation, offset, replace](Result<Page> page) {
            if (generation != m_generation)
                return;
            m_fetching = false;
            if (!page) {
                Q_EMIT errorOccurred(tr("Could not read the logs: %1").arg(page.error().message));
                return;
            }
            merge(std::move(*page), offset, replace);
            if (m_refreshAgain) {
                m_refreshAgain = false;
                refresh();
            }
        });
}

void LogTableModel::merge(Page page, qint64 offset, bool replace)
{
    if (replace) {
        replaceRows(std::move(page.rows));
    } else if (offset == m_rows.size() && !page.rows.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.rows.size() - 1));
        m_rows.append(std::move(page.rows));
        endInsertRows();
    }
    if (page.total >= 0 && page.total != m_total) {
        m_total = page.total;
        Q_EMIT totalCountChanged(m_total);
    }
    // A count that shrank below what is shown (records deleted) leaves nothing to fetch.
    if (m_total >= 0 && m_rows.size() > m_total)
        m_total = m_rows.size();
    Q_EMIT rowsLoaded();
}

void LogTableModel::replaceRows(QList<LogRow> rows)
{
    QSet<qint64> newIds;
    for (const LogRow &r : rows)
        newIds.insert(r.id);
    // Rows that went away, removed from the bottom up in contiguous runs.
    for (int end = int(m_rows.size()) - 1; end >= 0;) {
        if (newIds.contains(m_rows[end].id)) {
            --end;
            continue;
        }
        int begin = end;
        while (begin > 0 && !newIds.contains(m_rows[begin - 1].id))
            --begin;
        beginRemoveRows({}, begin, end);
        m_rows.remove(begin, end - begin + 1);
        endRemoveRows();
        end = begin - 1;
    }
    QSet<qint64> oldIds;
    for (const LogRow &r : m_rows)
        oldIds.insert(r.id);
    // New rows are inserted where they belong; a row that moved means the order changed
    // (a record's sort key was rewritten), and then the rows are replaced wholesale.
    for (int i = 0; i < rows.size(); ++i) {
        if (i < m_rows.size() && m_rows[i].id == rows[i].id) {
            if (!sameRow(m_rows[i], rows[i])) {
                m_rows[i] = rows[i];
                Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
            }
            continue;
        }
        if (oldIds.contains(rows[i].id)) {
            beginResetModel();
            m_rows = std::move(rows);
            endResetModel();
            return;
        }
        beginInsertRows({}, i, i);
        m_rows.insert(i, rows[i]);
        endInsertRows();
    }
}

const LogRow *LogTableModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

int LogTableModel::rowOf(qint64 id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id)
            return i;
    return -1;
}

std::optional<LogSort> LogTableModel::sortFor(int column, Qt::SortOrder order)
{
    const bool up = order == Qt::AscendingOrder;
    switch (column) {
    case Time:
        return up ? LogSort::TimeAscending : LogSort::TimeDescending;
    case Tokens:
        return up ? LogSort::TokensAscending : LogSort::TokensDescending;
    case Latency:
        return up ? LogSort::LatencyAscending : LogSort::LatencyDescending;
    default:
        return std::nullopt;
    }
}

std::pair<int, Qt::SortOrder> LogTableModel::indicatorFor(LogSort sort)
{
    switch (sort) {
    case LogSort::TimeAscending:
        return {Time, Qt::AscendingOrder};
    case LogSort::TimeDescending:
        return {Time, Qt::DescendingOrder};
    case LogSort::TokensAscending:
        return {Tokens, Qt::AscendingOrder};
    case LogSort::TokensDescending:
        return {Tokens, Qt::DescendingOrder};
    case LogSort::LatencyAscending:
        return {Latency, Qt::AscendingOrder};
    case LogSort::LatencyDescending:
        return {Latency, Qt::DescendingOrder};
    }
    return {Time, Qt::DescendingOrder};
}

int LogTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LogTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const LogRow &row = m_rows[index.row()];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Time:
            return formatLocalTime(row.startTime);
        case Model:
            return row.model.value_or(QStringLiteral("—"));
        case Prompt:
            return promptLabel(row);
        case Status:
            return row.ok ? tr("OK") : tr("Error");
        case Tokens:
            return tokensLabel(row);
        case Latency:
            return formatLatency(row.latencyMs);
        case Input:
            return row.inputPreview.value_or(QString());
        case Output:
            if (row.outputPreview)
                return *row.outputPreview;
            return row.hasToolCalls ? tr("(tool calls)") : QString();
        }
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case Time:
            return row.startTime ? tr("%1 UTC").arg(*row.startTime) : tr("Start time unknown");
        case Tokens:
            if (!row.inputTokens && !row.outputTokens)
                return tr("Token counts unknown");
            return tr("%1 input, %2 output tokens")
                .arg(row.inputTokens ? formatCount(row.inputTokens) : tr("unknown"),
                     row.outputTokens ? formatCount(row.outputTokens) : tr("unknown"));
        case Input:
            return row.inputPreview.value_or(QString());
        case Output:
            return row.outputPreview.value_or(QString());
        case Model:
            return row.model ? QVariant() : QVariant(tr("Model unknown"));
        }
        return {};
    case Qt::DecorationRole:
        if (column == Status)
            return row.ok ? m_okDot : m_errorDot;
        return {};
    case Qt::ForegroundRole: {
        const ThemeColors colors = ThemeColors::fromPalette(QGuiApplication::palette());
        if (column == Status && !row.ok)
            return colors.error;
        if (column == Model && !row.model)
            return colors.muted;
        if (column == Output && !row.outputPreview)
            return colors.muted;
        if (column == Time)
            return colors.muted;
        return {};
    }
    case Qt::TextAlignmentRole:
        if (column == Tokens || column == Latency)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case IdRole:
        return row.id;
    }
    return {};
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Time:
            return tr("Time");
        case Model:
            return tr("Model");
        case Prompt:
            return tr("Prompt");
        case Status:
            return tr("Status");
        case Tokens:
            return tr("Tokens");
        case Latency:
            return tr("Latency");
        case Input:
            return tr("Input");
        case Output:
            return tr("Output");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Time:
            return tr("When the call started (local time). Click to sort.");
        case Tokens:
            return tr("Input → output tokens. Click to sort by the total.");
        case Latency:
            return tr("From the request to the last token. Click to sort.");
        case Input:
            return tr("The first words of the last user message");
        }
    }
    if (role == Qt::TextAlignmentRole && (section == Tokens || section == Latency))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

bool LogTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_fetching && m_total >= 0 && m_rows.size() < m_total;
}

void LogTableModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        request(m_rows.size(), m_pageSize, false, false,
                m_rows.isEmpty()
                    ? std::nullopt
                    : std::optional<LogCursor>(LogCursor::after(m_rows.last(), m_sort)));
}

void LogTableModel::sort(int column, Qt::SortOrder order)
{
    if (const auto sort = sortFor(column, order); sort && *sort != m_sort)
        setQuery(m_filter, *sort);
}

} // namespace ts
