#include "insights/monitorjudge.h"

#include "datasets/judgestore.h"
#include "evals/evaljudging.h"
#include "evals/evalplan.h"
#include "logs/logrecord.h"
#include "models/modelstore.h"
#include "prompts/promptstore.h"
#include "runs/promptrenderer.h"
#include "runs/runengine.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QTimer>

namespace ts {

struct MonitorJudge::Plan
{
    JudgeConfig judge;
    PromptVersion prompt;
    ModelConfig model;
    GenerationParams params;
};

MonitorJudge::MonitorJudge(Database &db, RunEngine *engine, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_engine(engine)
{
}

Result<void> MonitorJudge::start(const MonitorConfig &monitor)
{
    if (!monitor.judgeId)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Monitor \"%1\" has no judge.").arg(monitor.name));
    m_monitor = monitor;
    m_summary = {};
    m_cancelled = false;
    auto plan = std::make_shared<Plan>();
    auto judge = JudgeStore(m_db).find(*monitor.judgeId);
    if (!judge)
        return fail(judge.error());
    plan->judge = *judge;
    PromptStore prompts(m_db);
    auto info = prompts.prompt(judge->promptId);
    if (!info)
        return fail(info.error());
    auto version = prompts.resolve(judge->reference(info->name));
    if (!version)
        return fail(version.error());
    plan->prompt = *version;
    if (!judge->modelId)
        return fail(
            ErrorCode::InvalidArgument,
            QStringLiteral("Judge \"%1\" has no model; give it one first.").arg(judge->name));
    auto model = ModelStore(m_db).find(*judge->modelId);
    if (!model)
        return fail(model.error());
    plan->model = *model;
    if (monitor.judgeCostCap && !model->priceInputPerMTok && !model->priceOutputPerMTok)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Model \"%1\" has no prices, so the judge's cost cap of $%2 "
                                   "cannot be kept; set its prices (model add --price-input/"
                                   "--price-output) or drop the cap.")
                        .arg(model->name)
                        .arg(*monitor.judgeCostCap));
    plan->params = effectiveParams(model->params, version->content);
    m_plan = plan;

    auto stmt = m_db.prepare(QStringLiteral(
        "SELECT r.log_id, l.messages, l.output FROM monitor_results r JOIN logs l ON l.id = "
        "r.log_id WHERE r.monitor_id = ? AND r.pass IS NOT NULL AND r.judged_at IS NULL "
        "ORDER BY r.log_id"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, monitor.id);
    m_items.clear();
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        const qint64 id = stmt->int64(0);
        if (!inJudgeSample(monitor.id, id, monitor.judgeFraction))
            continue;
        LogRecord record;
        record.messages
            = messagesFromJson(nlohmann::json::parse(stmt->text(1).toStdString(), nullptr, false));
        m_items.push_back({id, record.inputText(), stmt->text(2)});
    }
    QTimer::singleShot(0, this, &MonitorJudge::next);
    return {};
}

void MonitorJudge::cancel()
{
    m_cancelled = true;
    m_items.clear();
    if (m_job)
        m_job->cancel();
}

void MonitorJudge::next()
{
    if (m_cancelled || m_items.empty()) {
        Q_EMIT finished(m_summary);
        return;
    }
    if (m_monitor.judgeCostCap && m_summary.cost >= *m_monitor.judgeCostCap) {
        m_summary.skippedByCap = int(m_items.size());
        m_items.clear();
        Q_EMIT finished(m_summary);
        return;
    }
    const Item item = m_items.front();
    m_items.pop_front();
    PlannedCase pc;
    pc.testCase.data.vars = {{"input", item.input.toStdString()}};
    GenerationSpec spec;
    spec.model = m_plan->model;
    spec.params = m_plan->params;
    spec.variables = judgeVariables(m_plan->judge, pc, item.output);
    spec.useCache = false;
    spec.stream = false;
    spec.retryCutShort = true;
    auto messages = renderPrompt(m_plan->prompt.content, spec.variables);
    if (!messages) {
        Q_EMIT failed(Error {
            messages.error().code,
            QStringLiteral("Judge \"%1\": %2").arg(m_plan->judge.name, messages.error().message)});
        return;
    }
    spec.messages = *messages;
    m_job = m_engine->start(spec, this);
    connect(m_job, &GenerationJob::finished, this, [this, item](const Generation &g) {
        m_job->deleteLater();
        m_job = nullptr;
        onAnswer(item, g);
    });
}

void MonitorJudge::onAnswer(const Item &item, const Generation &g)
{
    if (g.status == GenerationStatus::Cancelled) {
        Q_EMIT finished(m_summary);
        return;
    }
    const JudgeReading reading = readJudgeAnswer(m_plan->judge, g);
    m_summary.cost += g.cost.value_or(0);
    Result<void> stored;
    if (!g.ok()) {
        // Not the judge's answer: recorded, and asked again next run.
        ++m_summary.errors;
        auto stmt = m_db.prepare(QStringLiteral("UPDATE monitor_results SET judge_error = ? "
                                                "WHERE monitor_id = ? AND log_id = ?"));
        if (!stmt) {
            Q_EMIT failed(stmt.error());
            return;
        }
        stmt->bind(1, reading.error).bind(2, m_monitor.id).bind(3, item.logId);
        stored = stmt->run();
    } else {
        // An unreadable verdict is never a pass (as in evals).
        const bool pass = reading.error.isEmpty() && reading.pass.value_or(false);
        if (reading.error.isEmpty())
            ++m_summary.judged;
        else
            ++m_summary.errors;
        if (!pass)
            ++m_summary.failed;
        const QString reason = reading.error.isEmpty()
            ? QStringLiteral("Judge %1: %2").arg(m_plan->judge.name, reading.reason)
            : QStringLiteral("Judge %1 gave no verdict: %2").arg(m_plan->judge.name, reading.error);
        auto stmt = m_db.prepare(QStringLiteral(
            "UPDATE monitor_results SET judge_pass = ?, judge_score = ?, judge_reason = ?, "
            "judge_error = ?, judge_cost = ?, judged_at = ?, "
            "reason = CASE WHEN pass = 1 AND ? = 0 THEN ? ELSE reason END, "
            "pass = CASE WHEN ? = 1 THEN pass ELSE 0 END, "
            "score = (coalesce(score, 0) + ?) / 2.0 WHERE monitor_id = ? AND log_id = ?"));
        if (!stmt) {
            Q_EMIT failed(stmt.error());
            return;
        }
        stmt->bind(1, reading.error.isEmpty() ? std::optional<bool>(pass) : std::nullopt);
        stmt->bind(2, reading.score).bind(3, reading.reason);
        stmt->bind(4,
                   reading.error.isEmpty() ? std::nullopt : std::optional<QString>(reading.error));
        stmt->bind(5, g.cost).bind(6, nowUtc()).bind(7, pass).bind(8, reason).bind(9, pass);
        stmt->bind(10, reading.score.value_or(pass ? 1.0 : 0.0));
        stmt->bind(11, m_monitor.id).bind(12, item.logId);
        stored = stmt->run();
    }
    if (!stored) {
        Q_EMIT failed(stored.error());
        return;
    }
    next();
}

} // namespace ts
