#include "insights/monitor.h"

#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "datasets/judgestore.h"
#include "evals/assertion.h"
#include "logs/logrecord.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QDate>
#include <QSet>

namespace ts {

namespace {

constexpr int kBatch = 500;

const QString kTime = QStringLiteral("coalesce(l.start_time, l.imported_at)");

QString windowExpr(MonitorWindow w)
{
    // The Monday on or before the day: back 6 days, then forward to the next Monday.
    return w == MonitorWindow::Day ? QStringLiteral("date(%1)").arg(kTime)
                                   : QStringLiteral("date(%1, '-6 days', 'weekday 1')").arg(kTime);
}

bool needsGradingModel(const QString &type)
{
    static const QSet<QString> graded {QStringLiteral("llm-rubric"),
                                       QStringLiteral("factuality"),
                                       QStringLiteral("model-graded-factuality"),
                                       QStringLiteral("model-graded-closedqa"),
                                       QStringLiteral("answer-relevance"),
                                       QStringLiteral("similar"),
                                       QStringLiteral("select-best"),
                                       QStringLiteral("max-score")};
    QString base = type;
    if (base.startsWith(QLatin1String("not-")))
        base = base.mid(4);
    return graded.contains(base);
}

Result<QList<AssertionSpec>> datasetLevelAssertions(Database &db, qint64 datasetId)
{
    auto stored = AssertionStore(db).forDataset(datasetId);
    if (!stored)
        return fail(stored.error());
    QList<AssertionSpec> specs;
    for (const StoredAssertion &a : *stored)
        if (!a.testCaseId)
            specs.append(a.spec);
    return specs;
}

const QString kSelect = QStringLiteral(
    "SELECT m.id, m.name, m.dataset_id, coalesce(d.name, ''), m.model, m.prompt_name, "
    "m.prompt_version, m.threshold, m.window_unit, m.judge_id, coalesce(j.name, ''), "
    "m.judge_fraction, m.judge_cost_cap, m.created_at FROM monitors m "
    "LEFT JOIN datasets d ON d.id = m.dataset_id LEFT JOIN judges j ON j.id = m.judge_id ");

MonitorConfig monitorFromRow(const Statement &s)
{
    MonitorConfig m;
    m.id = s.int64(0);
    m.name = s.text(1);
    m.datasetId = s.int64(2);
    m.datasetName = s.text(3);
    m.model = s.optionalText(4);
    m.promptName = s.optionalText(5);
    m.promptVersion = s.optionalText(6);
    m.threshold = s.real(7);
    m.window = parseMonitorWindow(s.text(8)).value_or(MonitorWindow::Day);
    m.judgeId = s.optionalInt(9);
    m.judgeName = s.text(10);
    m.judgeFraction = s.real(11);
    m.judgeCostCap = s.optionalReal(12);
    m.createdAt = s.text(13);
    return m;
}

/// OpenAI-style tool calls for is-valid-openai-tools-call and friends.
nlohmann::json openAiToolCalls(const QList<LogToolCall> &calls)
{
    if (calls.isEmpty())
        return nullptr;
    nlohmann::json list = nlohmann::json::array();
    for (const LogToolCall &c : calls) {
        const std::string arguments = c.arguments.is_string()
            ? c.arguments.get<std::string>()
            : (c.arguments.is_null() ? std::string("{}") : c.arguments.dump());
        list.push_back({{"id", c.id.value_or(QString()).toStdString()},
                        {"type", "function"},
                        {"function", {{"name", c.name.toStdString()}, {"arguments", arguments}}}});
    }
    return list;
}

struct PendingResult
{
    qint64 logId = 0;
    std::optional<bool> pass;
    std::optional<double> score;
    QString reason;
};

Result<void> storeResults(Database &db, qint64 monitorId, const QList<PendingResult> &results)
{
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    auto stmt = db.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO monitor_results (monitor_id, log_id, pass, score, reason, "
        "checked_at) VALUES (?, ?, ?, ?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    const QString now = nowUtc();
    for (const PendingResult &r : results) {
        stmt->reset();
        stmt->bind(1, monitorId).bind(2, r.logId).bind(3, r.pass).bind(4, r.score);
        stmt->bind(5, r.reason).bind(6, now);
        if (auto ok = stmt->run(); !ok)
            return fail(ok.error());
    }
    return tx->commit();
}

} // namespace

QString monitorWindowName(MonitorWindow window)
{
    return window == MonitorWindow::Day ? QStringLiteral("day") : QStringLiteral("week");
}

std::optional<MonitorWindow> parseMonitorWindow(const QString &name)
{
    if (name == QLatin1String("day"))
        return MonitorWindow::Day;
    if (name == QLatin1String("week"))
        return MonitorWindow::Week;
    return std::nullopt;
}

MonitorStore::MonitorStore(Database &db)
    : m_db(db)
{
}

Result<MonitorConfig> MonitorStore::add(const MonitorConfig &m)
{
    if (m.name.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A monitor needs a name."));
    if (m.threshold < 0 || m.threshold > 1)
        return fail(
            ErrorCode::InvalidArgument,
            QStringLiteral("The threshold is a pass rate from 0 to 1, not %1.").arg(m.threshold));
    if (m.judgeFraction < 0 || m.judgeFraction > 1)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The judge fraction is a share from 0 to 1, not %1.")
                        .arg(m.judgeFraction));
    if (m.judgeCostCap && *m.judgeCostCap < 0)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The judge cost cap is negative."));
    if (m.promptVersion && !m.promptName)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("A prompt version filter needs the prompt's name."));
    if (auto existing = find(m.name))
        return fail(ErrorCode::AlreadyExists,
                    QStringLiteral("A monitor named \"%1\" already exists.").arg(m.name));
    auto dataset = DatasetStore(m_db).dataset(m.datasetId);
    if (!dataset)
        return fail(dataset.error());
    auto specs = datasetLevelAssertions(m_db, m.datasetId);
    if (!specs)
        return fail(specs.error());
    for (const AssertionSpec &s : *specs)
        if (needsGradingModel(s.type))
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("Dataset \"%1\" has a \"%2\" assertion, which needs a "
                                       "grading model; a monitor runs deterministic assertions. "
                                       "Use a judge (--judge) for model-graded checks.")
                            .arg(dataset->name, s.type));
    if (specs->isEmpty() && !m.judgeId)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Dataset \"%1\" has no assertion on all its cases and no judge "
                                   "is given: the monitor would check nothing.")
                        .arg(dataset->name));
    if (m.judgeId) {
        auto judge = JudgeStore(m_db).find(*m.judgeId);
        if (!judge)
            return fail(judge.error());
        if (judge->kind == JudgeKind::Pairwise)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("Judge \"%1\" is pairwise; a monitor judges one record at a "
                                       "time (pointwise or factuality).")
                            .arg(judge->name));
    }
    auto stmt = m_db.prepare(QStringLiteral(
        "INSERT INTO monitors (name, dataset_id, model, prompt_name, prompt_version, threshold, "
        "window_unit, judge_id, judge_fraction, judge_cost_cap, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, m.name.trimmed()).bind(2, m.datasetId).bind(3, m.model).bind(4, m.promptName);
    stmt->bind(5, m.promptVersion).bind(6, m.threshold).bind(7, monitorWindowName(m.window));
    stmt->bind(8, m.judgeId).bind(9, m.judgeFraction).bind(10, m.judgeCostCap).bind(11, nowUtc());
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    return find(m.name.trimmed());
}

Result<void> MonitorStore::remove(qint64 id)
{
    auto stmt = m_db.prepare(QStringLiteral("DELETE FROM monitors WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, id);
    return stmt->run();
}

Result<QList<MonitorConfig>> MonitorStore::list()
{
    auto stmt = m_db.prepare(kSelect + QStringLiteral("ORDER BY m.name"));
    if (!stmt)
        return fail(stmt.error());
    return stmt->all(monitorFromRow);
}

Result<MonitorConfig> MonitorStore::find(qint64 id)
{
    auto stmt = m_db.prepare(kSelect + QStringLiteral("WHERE m.id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, id);
    return stmt->one(monitorFromRow, QStringLiteral("No monitor with id %1.").arg(id));
}

Result<MonitorConfig> MonitorStore::find(const QString &name)
{
    auto stmt = m_db.prepare(kSelect + QStringLiteral("WHERE m.name = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, name.trimmed());
    return stmt->one(monitorFromRow, QStringLiteral("No monitor named \"%1\".").arg(name));
}

Result<MonitorRunResult> runMonitorAssertions(Database &db, const MonitorConfig &monitor,
                                              std::optional<qint64> minLogId)
{
    auto specs = datasetLevelAssertions(db, monitor.datasetId);
    if (!specs)
        return fail(specs.error());
    QString sql = QStringLiteral(
        "SELECT l.id, l.messages, l.output, l.latency_ms, l.cost, l.finish_reason, "
        "l.output_tool_calls, l.status FROM logs l WHERE l.id > ? AND NOT EXISTS (SELECT 1 FROM "
        "monitor_results r WHERE r.monitor_id = ? AND r.log_id = l.id)");
    if (monitor.model)
        sql += QStringLiteral(" AND l.model = ?");
    if (monitor.promptName)
        sql += QStringLiteral(" AND l.prompt_name = ?");
    if (monitor.promptVersion)
        sql += QStringLiteral(" AND l.prompt_version = ?");
    sql += QStringLiteral(" ORDER BY l.id LIMIT %1").arg(kBatch);

    MonitorRunResult result;
    qint64 after = minLogId ? *minLogId - 1 : 0;
    for (;;) {
        auto stmt = db.prepare(sql);
        if (!stmt)
            return fail(stmt.error());
        int i = 1;
        stmt->bind(i++, after);
        stmt->bind(i++, monitor.id);
        if (monitor.model)
            stmt->bind(i++, *monitor.model);
        if (monitor.promptName)
            stmt->bind(i++, *monitor.promptName);
        if (monitor.promptVersion)
            stmt->bind(i++, *monitor.promptVersion);
        QList<PendingResult> batch;
        for (;;) {
            auto row = stmt->step();
            if (!row)
                return fail(row.error());
            if (!*row)
                break;
            PendingResult r;
            r.logId = stmt->int64(0);
            after = r.logId;
            const std::optional<QString> output = stmt->optionalText(2);
            if (stmt->text(7) != QLatin1String("ok") || !output) {
                // A failed call or one without an output says nothing of the checks.
                r.reason = stmt->text(7) != QLatin1String("ok")
                    ? QStringLiteral("The call failed: no output to check.")
                    : QStringLiteral("No output was logged.");
                ++result.noVerdict;
                batch.append(r);
                continue;
            }
            LogRecord record;
            record.messages = messagesFromJson(
                nlohmann::json::parse(stmt->text(1).toStdString(), nullptr, false));
            AssertionContext ctx;
            ctx.output = *output;
            ctx.vars = {{"input", record.inputText().toStdString()}};
            for (auto m = record.messages.crbegin(); m != record.messages.crend(); ++m)
                if (m->role == QLatin1String("user") && m->content) {
                    ctx.prompt = *m->content;
                    break;
                }
            ctx.latencyMs = stmt->optionalReal(3);
            ctx.cost = stmt->optionalReal(4);
            ctx.finishReason = stmt->optionalText(5);
            if (auto calls = stmt->optionalText(6))
                ctx.toolCalls = openAiToolCalls(
                    toolCallsFromJson(nlohmann::json::parse(calls->toStdString(), nullptr, false)));
            const CaseVerdict verdict = evaluateCase(*specs, ctx);
            r.pass = verdict.pass;
            r.score = verdict.score;
            r.reason = verdict.reason;
            ++(verdict.pass ? result.passed : result.failed);
            batch.append(r);
        }
        if (batch.isEmpty())
            return result;
        if (auto ok = storeResults(db, monitor.id, batch); !ok)
            return fail(ok.error());
        result.checked += int(batch.size());
    }
}

Result<QList<MonitorRunEntry>> runAllMonitorAssertions(Database &db, std::optional<qint64> minLogId)
{
    auto monitors = MonitorStore(db).list();
    if (!monitors)
        return fail(monitors.error());
    QList<MonitorRunEntry> entries;
    for (const MonitorConfig &m : *monitors) {
        auto r = runMonitorAssertions(db, m, minLogId);
        if (!r)
            return fail(r.error().code,
                        QStringLiteral("Monitor \"%1\": %2").arg(m.name, r.error().message));
        entries.append({m, *r});
    }
    return entries;
}

Result<QList<MonitorWindowStats>> monitorWindows(Database &db, const MonitorConfig &monitor)
{
    const QString w = windowExpr(monitor.window);
    auto stmt = db.prepare(QStringLiteral("SELECT %1 AS w, count(r.pass), coalesce(sum(r.pass), "
                                          "0), sum(r.pass IS NULL) FROM monitor_results r JOIN "
                                          "logs l ON l.id = r.log_id WHERE r.monitor_id = ? "
                                          "GROUP BY w ORDER BY w")
                               .arg(w));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, monitor.id);
    auto rows = stmt->all([&](const Statement &s) {
        MonitorWindowStats win;
        win.start = s.text(0);
        const QDate start = QDate::fromString(win.start, Qt::ISODate);
        win.end = start.addDays(monitor.window == MonitorWindow::Day ? 1 : 7).toString(Qt::ISODate);
        win.records = int(s.int64(1));
        win.noVerdict = int(s.int64(3));
        win.rate = stats::wilson(int(s.int64(2)), win.records);
        win.alert = win.records > 0 && win.rate.estimate < monitor.threshold
            && win.rate.ci.high < monitor.threshold;
        return win;
    });
    if (!rows)
        return fail(rows.error());
    return *rows;
}

Result<QList<MonitorStatus>> monitorStatuses(Database &db)
{
    auto monitors = MonitorStore(db).list();
    if (!monitors)
        return fail(monitors.error());
    QList<MonitorStatus> list;
    for (const MonitorConfig &m : *monitors) {
        MonitorStatus s;
        s.monitor = m;
        auto windows = monitorWindows(db, m);
        if (!windows)
            return fail(windows.error());
        if (!windows->isEmpty())
            s.latest = windows->last();
        auto stmt = db.prepare(QStringLiteral("SELECT count(*), coalesce(sum(pass = 0), 0) FROM "
                                              "monitor_results WHERE monitor_id = ?"));
        if (!stmt)
            return fail(stmt.error());
        stmt->bind(1, m.id);
        auto counts = stmt->one(
            [](const Statement &st) { return std::pair(int(st.int64(0)), int(st.int64(1))); },
            QString());
        if (!counts)
            return fail(counts.error());
        s.checked = counts->first;
        s.failures = counts->second;
        list.append(s);
    }
    return list;
}

Result<QList<MonitorFailure>> monitorFailures(Database &db, const MonitorConfig &monitor,
                                              const QString &windowStart, int limit)
{
    QString sql = QStringLiteral("SELECT r.log_id, %1, r.reason, r.judge_pass, r.checked_at FROM "
                                 "monitor_results r JOIN logs l ON l.id = r.log_id WHERE "
                                 "r.monitor_id = ? AND r.pass = 0")
                      .arg(kTime);
    if (!windowStart.isEmpty())
        sql += QStringLiteral(" AND %1 = ?").arg(windowExpr(monitor.window));
    sql += QStringLiteral(" ORDER BY 2 DESC, r.log_id DESC LIMIT ?");
    auto stmt = db.prepare(sql);
    if (!stmt)
        return fail(stmt.error());
    int i = 1;
    stmt->bind(i++, monitor.id);
    if (!windowStart.isEmpty())
        stmt->bind(i++, windowStart);
    stmt->bind(i, limit);
    return stmt->all([](const Statement &s) {
        MonitorFailure f;
        f.logId = s.int64(0);
        f.time = s.text(1);
        f.reason = s.text(2);
        if (!s.isNull(3))
            f.judgePass = s.int64(3) != 0;
        f.checkedAt = s.text(4);
        return f;
    });
}

bool inJudgeSample(qint64 monitorId, qint64 logId, double fraction)
{
    if (fraction >= 1)
        return true;
    if (fraction <= 0)
        return false;
    // splitmix64 of the pair: a fixed, well-mixed value per (monitor, record).
    std::uint64_t x = std::uint64_t(monitorId) * 0x9E3779B97F4A7C15ull ^ std::uint64_t(logId);
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x ^= x >> 31;
    return double(x >> 11) / double(1ull << 53) < fraction;
}

} // namespace ts
