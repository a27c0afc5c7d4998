#pragma once

#include "common/error.h"
#include "logs/logfilter.h"
#include "logs/logrecord.h"

#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace ts {

class Database;
struct LogRowValues;

/// A table row: what the Logs view and `logs list` show without reading whole messages.
struct LogRow
{
    qint64 id = 0;
    std::optional<QString> startTime; ///< ISO 8601 UTC
    std::optional<QString> model;
    std::optional<QString> promptName;
    std::optional<QString> promptVersion;
    bool ok = true;
    std::optional<qint64> inputTokens;
    std::optional<qint64> outputTokens;
    std::optional<double> latencyMs;
    std::optional<QString> inputPreview;
    std::optional<QString> outputPreview;
    QString sourceFormat;
    bool hasToolCalls = false;
    std::optional<qint64> totalTokens; ///< what the token sorts order by
};

/// Where a page of rows ended in a sort order: the last row's sort value (nullopt when it
/// was NULL, which sorts first ascending and last descending) and its id. The next page is
/// read from here through the sort's index (keyset paging), so a page a million rows down
/// costs what the first one does, unlike an OFFSET that steps over every row before it.
struct LogCursor
{
    std::optional<std::variant<QString, double, qint64>> key;
    qint64 id = 0;

    /// The cursor just after `row` in `sort` order.
    static LogCursor after(const LogRow &row, LogSort sort);
};

/// What adding a batch did.
struct LogAddResult
{
    int added = 0;
    int duplicates = 0;
    QList<qint64> ids; ///< ids of the added records, in order
};

/// Production log records in a project: written in batches, read by filter in pages.
class LogStore final
{
public:
    explicit LogStore(Database &db);
    Database &database() const { return m_db; }

    /// Adds records in one transaction (a savepoint inside the caller's), skipping those whose
    /// dedupe key is already stored. Sets importedAt; fills the FTS index.
    Result<LogAddResult> add(const QList<LogRecord> &records);
    /// The same for records already turned into column values (LogRowValues::from), which
    /// the importer does on its reading thread.
    /// `savepoint` false: the caller's transaction alone holds the rows (the import's batch
    /// writer, which rolls it all back on failure); a savepoint makes FTS5 flush its pending
    /// index to disk when released.
    Result<LogAddResult> add(const QList<LogRowValues> &rows, bool savepoint = true);
    /// Keeps non-LLM spans for trace views; existing (trace, span) pairs are left alone.
    Result<void> addSpans(const QList<TraceSpan> &spans);

    Result<LogRecord> record(qint64 id);
    /// Whole records, for `logs list --json` and exports.
    Result<QList<LogRecord>> records(const LogFilter &filter, LogSort sort, int limit,
                                     qint64 offset = 0);
    /// Light rows for tables.
    Result<QList<LogRow>> rows(const LogFilter &filter, LogSort sort, int limit, qint64 offset = 0);
    /// The next `limit` rows after `cursor` in `sort` order: the same rows that
    /// rows(filter, sort, limit, offset) gives when `cursor` is after the row at offset - 1.
    Result<QList<LogRow>> rowsAfter(const LogFilter &filter, LogSort sort, const LogCursor &cursor,
                                    int limit);
    Result<qint64> count(const LogFilter &filter);
    /// Ids in `sort` order (all of them when limit < 0).
    Result<QList<qint64>> ids(const LogFilter &filter, LogSort sort = LogSort::TimeAscending,
                              int limit = -1);
    /// A seeded random sample of `n` ids (all when fewer match), in time order. The same
    /// seed and the same records give the same sample.
    Result<QList<qint64>> sample(const LogFilter &filter, int n, quint64 seed);
    /// Every span of a trace, LLM records (name "llm: MODEL") and other spans, by start time.
    Result<QList<TraceSpan>> traceSpans(const QString &traceId);
    /// The record with this (trace id, span id), if stored.
    Result<std::optional<qint64>> findBySpan(const QString &traceId, const QString &spanId);
    /// Distinct values for filter menus (at most `limit`).
    Result<QStringList> distinctModels(int limit = 200);
    Result<QStringList> distinctPrompts(int limit = 200);
    Result<QStringList> distinctSources(int limit = 50);

    /// One log_imports row per import or collection session.
    struct ImportCounts
    {
        int imported = 0;
        int duplicates = 0;
        int malformed = 0;
        int notLlm = 0;
    };
    Result<qint64> beginImport(const QString &source, const QString &format);
    Result<void> updateImport(qint64 importId, const ImportCounts &counts, const QString &status);

private:
    Database &m_db;
};

} // namespace ts
