#pragma once

#include "common/error.h"
#include "insights/monitor.h"

#include <QObject>

#include <deque>

namespace ts {

class Database;
class RunEngine;
class GenerationJob;
struct Generation;

/// What one judge run of a monitor did.
struct MonitorJudgeSummary
{
    int judged = 0; ///< records with a verdict from the judge
    int failed = 0; ///< of which the judge failed
    int errors = 0; ///< judge calls that failed or gave an unreadable verdict
    int skippedByCap = 0; ///< sampled records left for a later run because the cap was reached
    double cost = 0; ///< spent by this run
};

/// The monitor's LLM-judge step, separate from its assertions: the judge (pointwise or
/// factuality) reads the records already checked that fall in the sample (inJudgeSample) and
/// have not been judged, one call at a time, until the cost cap is reached. The verdict is
/// stored beside the assertions' (monitor_results.judge_*) and a judge failure fails the
/// record. A call that fails on the wire is recorded as an error and asked again next run.
/// The judge's prompt gets {{output}}, {{rubric}}, {{input}} (the input messages joined) and
/// {{vars}}; {{expected}} is empty. The calls are not cached and not stored as generations.
class MonitorJudge final : public QObject
{
    Q_OBJECT

public:
    /// `db` and `engine` must outlive the run; `engine` may have no writer.
    MonitorJudge(Database &db, RunEngine *engine, QObject *parent = nullptr);

    /// Starts judging; `finished` follows (at once when there is nothing to judge). Fails
    /// without starting when the monitor has no judge, or its judge, prompt or model is gone.
    Result<void> start(const MonitorConfig &monitor);
    void cancel();

Q_SIGNALS:
    void finished(const ts::MonitorJudgeSummary &summary);
    void failed(const ts::Error &error);

private:
    struct Item
    {
        qint64 logId = 0;
        QString input;
        QString output;
    };
    void next();
    void onAnswer(const Item &item, const Generation &g);

    Database &m_db;
    RunEngine *m_engine;
    MonitorConfig m_monitor;
    std::deque<Item> m_items;
    MonitorJudgeSummary m_summary;
    GenerationJob *m_job = nullptr;
    bool m_cancelled = false;
    struct Plan;
    std::shared_ptr<Plan> m_plan;
};

} // namespace ts

Q_DECLARE_METATYPE(ts::MonitorJudgeSummary)
