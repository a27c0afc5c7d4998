#include "logs/logstore.h"

#include "logs/logrowvalues.h"

#include "common/json.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QRegularExpression>
#include <QVariant>

#include <sqlite3.h>

#include <cctype>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

namespace ts {

namespace {

/// Turns what a person types into an FTS5 query: every word must occur (quoted, so that
/// FTS5 operators and punctuation in the text are taken literally).
QString ftsQuery(const QString &search)
{
    static const QRegularExpression words(QStringLiteral("[\\p{L}\\p{N}_]+"));
    QStringList terms;
    auto it = words.globalMatch(search);
    while (it.hasNext())
        terms.append(QLatin1Char('"') + it.next().captured(0) + QLatin1Char('"'));
    return terms.join(QLatin1Char(' '));
}

/// WHERE clause and its bound values for a filter.
struct Where
{
    QString sql;
    QList<QVariant> values;
};

/// How a full-text search joins the rest of the query.
enum class SearchPlan {
    /// Every match from the FTS index first, then sorted: best when matches are few.
    MatchFirst,
    /// Rows walked in the ORDER BY index, each probed in the FTS index (rowid = id): best
    /// when a page fills after a few hundred rows because the words are common.
    ProbeRows
};

Where whereFor(const LogFilter &f, SearchPlan plan = SearchPlan::MatchFirst)
{
    QStringList parts;
    Where w;
    if (f.sinceMs) {
        parts.append(QStringLiteral("start_time >= ?"));
        w.values.append(isoFromEpochMs(*f.sinceMs));
    }
    if (f.untilMs) {
        parts.append(QStringLiteral("start_time < ?"));
        w.values.append(isoFromEpochMs(*f.untilMs));
    }
    if (f.model) {
        parts.append(QStringLiteral("model = ?"));
        w.values.append(*f.model);
    }
    if (f.ok) {
        parts.append(QStringLiteral("status = ?"));
        w.values.append(*f.ok ? QStringLiteral("ok") : QStringLiteral("error"));
    }
    if (const QString q = ftsQuery(f.search); !q.isEmpty()) {
        parts.append(
            plan == SearchPlan::ProbeRows
                ? QStringLiteral("EXISTS (SELECT 1 FROM logs_fts WHERE logs_fts MATCH ? "
                                 "AND logs_fts.rowid = logs.id)")
                : QStringLiteral("id IN (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ?)"));
        w.values.append(q);
    } else if (!f.search.trimmed().isEmpty()) {
        parts.append(QStringLiteral("0")); // only punctuation: nothing can match
    }
    if (f.promptName) {
        parts.append(QStringLiteral("prompt_name = ?"));
        w.values.append(*f.promptName);
        if (f.promptVersion) {
            parts.append(QStringLiteral("prompt_version = ?"));
            w.values.append(*f.promptVersion);
        }
    }
    if (f.sourceFormat) {
        parts.append(QStringLiteral("source_format = ?"));
        w.values.append(*f.sourceFormat);
    }
    if (f.hasToolCalls) {
        parts.append(QStringLiteral("has_tool_calls = ?"));
        w.values.append(qint64(*f.hasToolCalls ? 1 : 0));
    }
    if (f.importedSince) {
        parts.append(QStringLiteral("imported_at > ?"));
        w.values.append(*f.importedSince);
    }
    if (!parts.isEmpty())
        w.sql = QStringLiteral(" WHERE ") + parts.join(QStringLiteral(" AND "));
    return w;
}

QString orderFor(LogSort sort)
{
    switch (sort) {
    case LogSort::TimeAscending:
        return QStringLiteral(" ORDER BY start_time ASC, id ASC");
    case LogSort::TimeDescending:
        return QStringLiteral(" ORDER BY start_time DESC, id DESC");
    case LogSort::LatencyAscending:
        return QStringLiteral(" ORDER BY latency_ms ASC, id ASC");
    case LogSort::LatencyDescending:
        return QStringLiteral(" ORDER BY latency_ms DESC, id DESC");
    case LogSort::TokensAscending:
        return QStringLiteral(" ORDER BY total_tokens ASC, id ASC");
    case LogSort::TokensDescending:
        return QStringLiteral(" ORDER BY total_tokens DESC, id DESC");
    }
    return {};
}

void bindAll(Statement &st, const QList<QVariant> &values, int first = 1)
{
    int i = first;
    for (const QVariant &v : values) {
        if (v.typeId() == QMetaType::LongLong)
            st.bind(i++, v.toLongLong());
        else if (v.typeId() == QMetaType::Double)
            st.bind(i++, v.toDouble());
        else
            st.bind(i++, v.toString());
    }
}

const QString recordColumns = QStringLiteral(
    "id, start_time, end_time, latency_ms, ttft_ms, model, provider, messages, output, "
    "output_tool_calls, reasoning, finish_reason, input_tokens, output_tokens, cost, status, "
    "error, trace_id, span_id, parent_span_id, session_id, prompt_name, prompt_version, metadata, "
    "source_format, source_file, imported_at");

/// A statement of the raw API, finalized on scope exit.
struct RawStatement
{
    RawStatement(sqlite3 *db, const char *sql) { sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr); }
    ~RawStatement() { sqlite3_finalize(stmt); }
    RawStatement(const RawStatement &) = delete;
    RawStatement &operator=(const RawStatement &) = delete;
    sqlite3_stmt *stmt = nullptr;
};

// Values stay alive until the step that uses them: SQLITE_STATIC, no copy.
void bindText(sqlite3_stmt *st, int i, const QByteArray &text)
{
    sqlite3_bind_text(st, i, text.constData(), int(text.size()), SQLITE_STATIC);
}

void bindText(sqlite3_stmt *st, int i, const std::optional<QByteArray> &text)
{
    if (text)
        bindText(st, i, *text);
    else
        sqlite3_bind_null(st, i);
}

void bindReal(sqlite3_stmt *st, int i, std::optional<double> value)
{
    if (value)
        sqlite3_bind_double(st, i, *value);
    else
        sqlite3_bind_null(st, i);
}

void bindInt(sqlite3_stmt *st, int i, std::optional<qint64> value)
{
    if (value)
        sqlite3_bind_int64(st, i, *value);
    else
        sqlite3_bind_null(st, i);
}

const QString rowColumns = QStringLiteral(
    "SELECT id, start_time, model, prompt_name, prompt_version, status, input_tokens, "
    "output_tokens, latency_ms, input_preview, output_preview, source_format, has_tool_calls, "
    "total_tokens FROM logs");

LogRow rowFrom(const Statement &s)
{
    LogRow r;
    r.id = s.int64(0);
    r.startTime = s.optionalText(1);
    r.model = s.optionalText(2);
    r.promptName = s.optionalText(3);
    r.promptVersion = s.optionalText(4);
    r.ok = s.text(5) != QLatin1String("error");
    r.inputTokens = s.optionalInt(6);
    r.outputTokens = s.optionalInt(7);
    r.latencyMs = s.optionalReal(8);
    r.inputPreview = s.optionalText(9);
    r.outputPreview = s.optionalText(10);
    r.sourceFormat = s.text(11);
    r.hasToolCalls = s.int64(12) != 0;
    r.totalTokens = s.optionalInt(13);
    return r;
}

/// The column a sort orders by (ties by id, in the same direction).
QString sortColumn(LogSort sort)
{
    switch (sort) {
    case LogSort::TimeAscending:
    case LogSort::TimeDescending:
        return QStringLiteral("start_time");
    case LogSort::LatencyAscending:
    case LogSort::LatencyDescending:
        return QStringLiteral("latency_ms");
    case LogSort::TokensAscending:
    case LogSort::TokensDescending:
        return QStringLiteral("total_tokens");
    }
    return QStringLiteral("start_time");
}

LogRecord recordFrom(const Statement &s)
{
    LogRecord r;
    r.id = s.int64(0);
    if (auto t = s.optionalText(1))
        r.startMs = epochMsFromText(*t);
    if (auto t = s.optionalText(2))
        r.endMs = epochMsFromText(*t);
    r.latencyMs = s.optionalReal(3);
    r.ttftMs = s.optionalReal(4);
    r.model = s.optionalText(5);
    r.provider = s.optionalText(6);
    r.messages = messagesFromJson(parseJson(s.text(7)).value_or(nlohmann::json::array()));
    r.output = s.optionalText(8);
    if (auto t = s.optionalText(9))
        r.outputToolCalls = toolCallsFromJson(parseJson(*t).value_or(nlohmann::json::array()));
    r.reasoning = s.optionalText(10);
    r.finishReason = s.optionalText(11);
    r.inputTokens = s.optionalInt(12);
    r.outputTokens = s.optionalInt(13);
    r.cost = s.optionalReal(14);
    r.ok = s.text(15) != QLatin1String("error");
    r.error = s.optionalText(16);
    r.traceId = s.optionalText(17);
    r.spanId = s.optionalText(18);
    r.parentSpanId = s.optionalText(19);
    r.sessionId = s.optionalText(20);
    r.promptName = s.optionalText(21);
    r.promptVersion = s.optionalText(22);
    r.metadata = parseJson(s.text(23)).value_or(nlohmann::json::object());
    r.sourceFormat = s.text(24);
    r.sourceFile = s.optionalText(25);
    r.importedAt = s.text(26);
    return r;
}

std::optional<QString> normalizeId(const std::optional<QString> &id)
{
    return id ? std::optional<QString>(normalizeLogId(*id)) : std::nullopt;
}

/// The plan for a page of `needed` rows (offset + limit; < 0 = all of them). Measured on a
/// million records: probing costs ~18 us per row walked, matching first ~1.1 us per match.
/// Walking needed * rows / matches rows is cheaper once matches^2 > 16 * needed * rows, so
/// the matches are counted only up to that point (a few ms at most) to decide. Both plans
/// give the same rows in the same order; only the time differs.
SearchPlan searchPlan(Database &db, const LogFilter &f, qint64 needed)
{
    const QString q = ftsQuery(f.search);
    if (q.isEmpty() || needed < 0)
        return SearchPlan::MatchFirst;
    auto rows = db.prepare(QStringLiteral("SELECT coalesce(max(id), 0) FROM logs"));
    if (!rows)
        return SearchPlan::MatchFirst;
    auto total = rows->one([](const Statement &s) { return s.int64(0); }, QStringLiteral("rows"));
    if (!total || *total == 0)
        return SearchPlan::MatchFirst;
    const qint64 threshold
        = qint64(std::ceil(std::sqrt(16.0 * double(std::max<qint64>(needed, 1)) * double(*total))));
    auto matches = db.prepare(QStringLiteral(
        "SELECT count(*) FROM (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ? LIMIT ?)"));
    if (!matches)
        return SearchPlan::MatchFirst;
    matches->bind(1, q).bind(2, threshold);
    auto counted
        = matches->one([](const Statement &s) { return s.int64(0); }, QStringLiteral("matches"));
    return counted && *counted >= threshold ? SearchPlan::ProbeRows : SearchPlan::MatchFirst;
}

} // namespace

LogStore::LogStore(Database &db)
    : m_db(db)
{
}

Result<LogAddResult> LogStore::add(const QList<LogRecord> &records)
{
    QList<LogRowValues> rows;
    rows.reserve(records.size());
    for (const LogRecord &r : records)
        rows.append(LogRowValues::from(r));
    return add(rows);
}

Result<LogAddResult> LogStore::add(const QList<LogRowValues> &rows, bool savepoint)
{
    LogAddResult result;
    if (rows.isEmpty())
        return result;
    std::optional<Transaction> tx;
    if (savepoint || !m_db.inTransaction()) {
        auto begun = Transaction::begin(m_db);
        if (!begun)
            return fail(begun.error());
        tx.emplace(std::move(*begun));
    }
    sqlite3 *db = m_db.handle();
    auto failed = [db](const char *what) {
        return fail(ErrorCode::Database,
                    QStringLiteral("Could not store log records (%1): %2")
                        .arg(QLatin1String(what), QString::fromUtf8(sqlite3_errmsg(db))));
    };
    // The raw API binds the UTF-8 values as they are (Statement would convert from QString).
    RawStatement insert(db,
                        "INSERT OR IGNORE INTO logs (start_time, end_time, latency_ms, ttft_ms, "
                        "model, provider, messages, output, output_tool_calls, reasoning, "
                        "finish_reason, input_tokens, output_tokens, total_tokens, cost, status, "
                        "error, trace_id, span_id, parent_span_id, session_id, prompt_name, "
                        "prompt_version, metadata, has_tool_calls, input_preview, output_preview, "
                        "source_format, source_file, dedupe_key, imported_at) VALUES "
                        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    RawStatement fts(db, "INSERT INTO logs_fts (rowid, input, output) VALUES (?, ?, ?)");
    if (!insert.stmt || !fts.stmt)
        return failed("prepare");
    const QByteArray now = nowUtc().toUtf8();
    for (const LogRowValues &v : rows) {
        sqlite3_stmt *st = insert.stmt;
        sqlite3_reset(st);
        int i = 1;
        bindText(st, i++, v.startTime);
        bindText(st, i++, v.endTime);
        bindReal(st, i++, v.latencyMs);
        bindReal(st, i++, v.ttftMs);
        bindText(st, i++, v.model);
        bindText(st, i++, v.provider);
        bindText(st, i++, v.messages);
        bindText(st, i++, v.output);
        bindText(st, i++, v.outputToolCalls);
        bindText(st, i++, v.reasoning);
        bindText(st, i++, v.finishReason);
        bindInt(st, i++, v.inputTokens);
        bindInt(st, i++, v.outputTokens);
        bindInt(st, i++, v.totalTokens);
        bindReal(st, i++, v.cost);
        sqlite3_bind_text(st, i++, v.ok ? "ok" : "error", -1, SQLITE_STATIC);
        bindText(st, i++, v.error);
        bindText(st, i++, v.traceId);
        bindText(st, i++, v.spanId);
        bindText(st, i++, v.parentSpanId);
        bindText(st, i++, v.sessionId);
        bindText(st, i++, v.promptName);
        bindText(st, i++, v.promptVersion);
        bindText(st, i++, v.metadata);
        sqlite3_bind_int64(st, i++, v.hasToolCalls ? 1 : 0);
        bindText(st, i++, v.inputPreview);
        bindText(st, i++, v.outputPreview);
        bindText(st, i++, v.sourceFormat);
        bindText(st, i++, v.sourceFile);
        bindText(st, i++, v.dedupeKey);
        bindText(st, i++, now);
        if (sqlite3_step(st) != SQLITE_DONE)
            return failed("logs");
        if (sqlite3_changes(db) == 0) {
            ++result.duplicates;
            continue;
        }
        const qint64 id = sqlite3_last_insert_rowid(db);
        result.ids.append(id);
        ++result.added;
        sqlite3_reset(fts.stmt);
        sqlite3_bind_int64(fts.stmt, 1, id);
        bindText(fts.stmt, 2, v.ftsInput);
        bindText(fts.stmt, 3, v.ftsOutput);
        if (sqlite3_step(fts.stmt) != SQLITE_DONE)
            return failed("full-text index");
    }
    if (tx)
        if (auto ok = tx->commit(); !ok)
            return fail(ok.error());
    return result;
}

Result<void> LogStore::addSpans(const QList<TraceSpan> &spans)
{
    if (spans.isEmpty())
        return {};
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return fail(tx.error());
    auto st = m_db.prepare(QStringLiteral(
        "INSERT OR IGNORE INTO trace_spans (trace_id, span_id, parent_span_id, name, start_time, "
        "end_time, status) VALUES (?,?,?,?,?,?,?)"));
    if (!st)
        return fail(st.error());
    for (const TraceSpan &s : spans) {
        if (s.traceId.isEmpty() || s.spanId.isEmpty())
            continue;
        st->reset();
        st->bind(1, normalizeId(s.traceId))
            .bind(2, normalizeLogId(s.spanId))
            .bind(3, normalizeId(s.parentSpanId))
            .bind(4, s.name)
            .bind(5, s.startMs ? std::optional<QString>(isoFromEpochMs(*s.startMs)) : std::nullopt)
            .bind(6, s.endMs ? std::optional<QString>(isoFromEpochMs(*s.endMs)) : std::nullopt)
            .bind(7, s.status);
        if (auto ok = st->run(); !ok)
            return fail(ok.error());
    }
    return tx->commit();
}

Result<LogRecord> LogStore::record(qint64 id)
{
    auto st = m_db.prepare(QStringLiteral("SELECT ") + recordColumns
                           + QStringLiteral(" FROM logs WHERE id = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, id);
    return st->one(recordFrom, QStringLiteral("No log record %1 in this project.").arg(id));
}

Result<QList<LogRecord>> LogStore::records(const LogFilter &filter, LogSort sort, int limit,
                                           qint64 offset)
{
    const Where w = whereFor(filter, searchPlan(m_db, filter, limit < 0 ? -1 : offset + limit));
    auto st = m_db.prepare(QStringLiteral("SELECT ") + recordColumns + QStringLiteral(" FROM logs")
                           + w.sql + orderFor(sort) + QStringLiteral(" LIMIT ? OFFSET ?"));
    if (!st)
        return fail(st.error());
    bindAll(*st, w.values);
    st->bind(int(w.values.size()) + 1, qint64(limit < 0 ? -1 : limit));
    st->bind(int(w.values.size()) + 2, offset);
    return st->all(recordFrom);
}

Result<QList<LogRow>> LogStore::rows(const LogFilter &filter, LogSort sort, int limit,
                                     qint64 offset)
{
    const Where w = whereFor(filter, searchPlan(m_db, filter, limit < 0 ? -1 : offset + limit));
    auto st
        = m_db.prepare(rowColumns + w.sql + orderFor(sort) + QStringLiteral(" LIMIT ? OFFSET ?"));
    if (!st)
        return fail(st.error());
    bindAll(*st, w.values);
    st->bind(int(w.values.size()) + 1, qint64(limit < 0 ? -1 : limit));
    st->bind(int(w.values.size()) + 2, offset);
    return st->all(rowFrom);
}

LogCursor LogCursor::after(const LogRow &row, LogSort sort)
{
    LogCursor c;
    c.id = row.id;
    switch (sort) {
    case LogSort::TimeAscending:
    case LogSort::TimeDescending:
        if (row.startTime)
            c.key = *row.startTime;
        break;
    case LogSort::LatencyAscending:
    case LogSort::LatencyDescending:
        if (row.latencyMs)
            c.key = *row.latencyMs;
        break;
    case LogSort::TokensAscending:
    case LogSort::TokensDescending:
        if (row.totalTokens)
            c.key = *row.totalTokens;
        break;
    }
    return c;
}

Result<QList<LogRow>> LogStore::rowsAfter(const LogFilter &filter, LogSort sort,
                                          const LogCursor &cursor, int limit)
{
    const QString column = sortColumn(sort);
    const bool ascending = sort == LogSort::TimeAscending || sort == LogSort::LatencyAscending
        || sort == LogSort::TokensAscending;
    const SearchPlan plan = searchPlan(m_db, filter, limit);
    // One piece per run of the order: the rows with a sort value, and those without (NULLs
    // come first ascending, last descending). Each piece is one range of the sort's index.
    struct Piece
    {
        QString condition;
        QList<QVariant> values;
    };
    QList<Piece> pieces;
    const QString after = ascending ? QStringLiteral(" > ") : QStringLiteral(" < ");
    if (cursor.key) {
        QVariant key;
        if (const auto *text = std::get_if<QString>(&*cursor.key))
            key = *text;
        else if (const auto *real = std::get_if<double>(&*cursor.key))
            key = *real;
        else
            key = std::get<qint64>(*cursor.key);
        pieces.append({QStringLiteral("(") + column + QStringLiteral(", id)") + after
                           + QStringLiteral("(?, ?)"),
                       {key, cursor.id}});
        if (!ascending)
            pieces.append({column + QStringLiteral(" IS NULL"), {}});
    } else {
        pieces.append({column + QStringLiteral(" IS NULL AND id") + after + QStringLiteral("?"),
                       {cursor.id}});
        if (ascending)
            pieces.append({column + QStringLiteral(" IS NOT NULL"), {}});
    }
    QList<LogRow> out;
    for (const Piece &piece : pieces) {
        const int wanted = limit < 0 ? -1 : limit - int(out.size());
        if (wanted == 0)
            break;
        Where w = whereFor(filter, plan);
        w.sql += (w.sql.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND "))
            + piece.condition;
        w.values.append(piece.values);
        auto st = m_db.prepare(rowColumns + w.sql + orderFor(sort) + QStringLiteral(" LIMIT ?"));
        if (!st)
            return fail(st.error());
        bindAll(*st, w.values);
        st->bind(int(w.values.size()) + 1, qint64(wanted));
        auto rows = st->all(rowFrom);
        if (!rows)
            return fail(rows.error());
        out.append(std::move(*rows));
    }
    return out;
}

Result<qint64> LogStore::count(const LogFilter &filter)
{
    const Where w = whereFor(filter);
    auto st = m_db.prepare(QStringLiteral("SELECT count(*) FROM logs") + w.sql);
    if (!st)
        return fail(st.error());
    bindAll(*st, w.values);
    return st->one([](const Statement &s) { return s.int64(0); }, QStringLiteral("count"));
}

Result<QList<qint64>> LogStore::ids(const LogFilter &filter, LogSort sort, int limit)
{
    const Where w = whereFor(filter, searchPlan(m_db, filter, limit));
    auto st = m_db.prepare(QStringLiteral("SELECT id FROM logs") + w.sql + orderFor(sort)
                           + QStringLiteral(" LIMIT ?"));
    if (!st)
        return fail(st.error());
    bindAll(*st, w.values);
    st->bind(int(w.values.size()) + 1, qint64(limit < 0 ? -1 : limit));
    return st->all([](const Statement &s) { return s.int64(0); });
}

Result<QList<qint64>> LogStore::sample(const LogFilter &filter, int n, quint64 seed)
{
    auto all = ids(filter, LogSort::TimeAscending);
    if (!all)
        return fail(all.error());
    QList<qint64> &pool = *all;
    if (n < 0 || n >= pool.size())
        return pool;
    // Partial Fisher-Yates over positions with a fixed generator: the same seed and the same
    // records give the same sample on every machine.
    std::mt19937_64 rng(seed);
    QList<qsizetype> positions(pool.size());
    for (qsizetype i = 0; i < pool.size(); ++i)
        positions[i] = i;
    for (int i = 0; i < n; ++i) {
        std::uniform_int_distribution<qsizetype> pick(i, positions.size() - 1);
        std::swap(positions[i], positions[pick(rng)]);
    }
    positions.resize(n);
    std::sort(positions.begin(), positions.end());
    QList<qint64> chosen;
    chosen.reserve(n);
    for (qsizetype p : positions)
        chosen.append(pool[p]);
    return chosen;
}

Result<QList<TraceSpan>> LogStore::traceSpans(const QString &traceId)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT trace_id, span_id, parent_span_id, name, start_time, end_time, status, NULL "
        "FROM trace_spans WHERE trace_id = ?1 "
        "UNION ALL SELECT trace_id, span_id, parent_span_id, 'llm: ' || coalesce(model, '?'), "
        "start_time, end_time, status, id FROM logs WHERE trace_id = ?1 "
        "ORDER BY 5, 2"));
    if (!st)
        return fail(st.error());
    st->bind(1, normalizeLogId(traceId));
    return st->all([](const Statement &s) {
        TraceSpan t;
        t.traceId = s.text(0);
        t.spanId = s.optionalText(1).value_or(QString());
        t.parentSpanId = s.optionalText(2);
        t.name = s.text(3);
        if (auto v = s.optionalText(4))
            t.startMs = epochMsFromText(*v);
        if (auto v = s.optionalText(5))
            t.endMs = epochMsFromText(*v);
        t.status = s.optionalText(6);
        t.logId = s.optionalInt(7);
        return t;
    });
}

Result<std::optional<qint64>> LogStore::findBySpan(const QString &traceId, const QString &spanId)
{
    auto st = m_db.prepare(QStringLiteral("SELECT id FROM logs WHERE dedupe_key = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1,
             QStringLiteral("span:") + normalizeLogId(traceId) + QLatin1Char(':')
                 + normalizeLogId(spanId));
    auto row = st->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return std::optional<qint64>();
    return std::optional<qint64>(st->int64(0));
}

namespace {

Result<QStringList> distinct(Database &db, const QString &sql, int limit)
{
    auto st = db.prepare(sql);
    if (!st)
        return fail(st.error());
    st->bind(1, qint64(limit));
    return st->all([](const Statement &s) { return s.text(0); });
}

} // namespace

Result<QStringList> LogStore::distinctModels(int limit)
{
    // Skip-scan over the model index: fast even with millions of rows.
    return distinct(m_db,
                    QStringLiteral("SELECT DISTINCT model FROM logs WHERE model IS NOT NULL "
                                   "ORDER BY model LIMIT ?"),
                    limit);
}

Result<QStringList> LogStore::distinctPrompts(int limit)
{
    return distinct(m_db,
                    QStringLiteral("SELECT DISTINCT prompt_name FROM logs WHERE prompt_name IS NOT "
                                   "NULL ORDER BY prompt_name LIMIT ?"),
                    limit);
}

Result<QStringList> LogStore::distinctSources(int limit)
{
    return distinct(
        m_db, QStringLiteral("SELECT DISTINCT source_format FROM logs ORDER BY 1 LIMIT ?"), limit);
}

Result<qint64> LogStore::beginImport(const QString &source, const QString &format)
{
    auto st = m_db.prepare(
        QStringLiteral("INSERT INTO log_imports (source, format, started_at) VALUES (?, ?, ?)"));
    if (!st)
        return fail(st.error());
    st->bind(1, source).bind(2, format).bind(3, nowUtc());
    if (auto ok = st->run(); !ok)
        return fail(ok.error());
    return m_db.lastInsertId();
}

Result<void> LogStore::updateImport(qint64 importId, const ImportCounts &c, const QString &status)
{
    auto st = m_db.prepare(QStringLiteral(
        "UPDATE log_imports SET imported = ?, duplicates = ?, malformed = ?, not_llm = ?, "
        "status = ?, finished_at = CASE WHEN ? = 'running' THEN NULL ELSE ? END WHERE id = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, c.imported).bind(2, c.duplicates).bind(3, c.malformed).bind(4, c.notLlm);
    st->bind(5, status).bind(6, status).bind(7, nowUtc()).bind(8, importId);
    return st->run();
}

} // namespace ts
