#pragma once

#include "common/error.h"
#include "evals/statistics.h"

#include <QList>
#include <QString>

#include <optional>

namespace ts {

class Database;

enum class MonitorWindow { Day, Week };
/// "day", "week".
QString monitorWindowName(MonitorWindow window);
std::optional<MonitorWindow> parseMonitorWindow(const QString &name);

/// Continuous evaluation of production logs: a dataset's dataset-level assertions applied to
/// the log records the filters take, optionally an LLM judge on a sampled fraction of them.
struct MonitorConfig
{
    qint64 id = 0;
    QString name;
    qint64 datasetId = 0;
    QString datasetName; ///< filled when read
    std::optional<QString> model; ///< exact model name; nullopt: every model
    std::optional<QString> promptName;
    std::optional<QString> promptVersion; ///< only with promptName
    double threshold = 0.9; ///< the pass rate a window should reach
    MonitorWindow window = MonitorWindow::Day;
    std::optional<qint64> judgeId;
    QString judgeName; ///< filled when read
    double judgeFraction = 0; ///< share of checked records with an output the judge sees
    std::optional<double> judgeCostCap; ///< USD per judge run; nullopt: no cap
    QString createdAt;
};

/// The `monitors` table.
class MonitorStore final
{
public:
    explicit MonitorStore(Database &db);

    /// Refuses a name in use, a threshold or fraction outside [0, 1], a version without a
    /// prompt name, and a dataset without a dataset-level assertion (unless a judge is set) or
    /// with assertions that need a grading model (use a judge for those).
    Result<MonitorConfig> add(const MonitorConfig &monitor);
    Result<void> remove(qint64 id);
    Result<QList<MonitorConfig>> list();
    Result<MonitorConfig> find(qint64 id);
    Result<MonitorConfig> find(const QString &name);

private:
    Database &m_db;
};

/// What one run of a monitor's assertions did.
struct MonitorRunResult
{
    int checked = 0; ///< records newly checked
    int passed = 0;
    int failed = 0;
    int noVerdict = 0; ///< records that failed as calls or have no output: in no rate
};

/// Applies a monitor's assertions to the records it has not checked yet (incremental), in
/// batches of one transaction each. `minLogId` limits the scan to newer records (the ids a
/// receiver just stored); the results are the same without it, only slower.
Result<MonitorRunResult> runMonitorAssertions(Database &db, const MonitorConfig &monitor,
                                              std::optional<qint64> minLogId = std::nullopt);

/// Every monitor, one after the other.
struct MonitorRunEntry
{
    MonitorConfig monitor;
    MonitorRunResult result;
};
Result<QList<MonitorRunEntry>> runAllMonitorAssertions(Database &db,
                                                       std::optional<qint64> minLogId = {});

/// Pass rate of one window (a UTC day, or an ISO week from Monday) of a monitor, by the
/// records' start time (their import time when the start is unknown).
struct MonitorWindowStats
{
    QString start; ///< "2024-06-03" (inclusive)
    QString end; ///< the next window's start (exclusive)
    int records = 0; ///< with a verdict
    int noVerdict = 0;
    stats::Proportion rate; ///< Wilson 95% over the records with a verdict
    /// Below the threshold AND the interval's upper bound below it too, so that a handful of
    /// records does not alert.
    bool alert = false;
};

/// The windows with checked records, oldest first.
Result<QList<MonitorWindowStats>> monitorWindows(Database &db, const MonitorConfig &monitor);

/// A monitor with its newest window.
struct MonitorStatus
{
    MonitorConfig monitor;
    std::optional<MonitorWindowStats> latest;
    int checked = 0; ///< records checked in all
    int failures = 0; ///< of which failed
    bool alert() const { return latest && latest->alert; }
};
Result<QList<MonitorStatus>> monitorStatuses(Database &db);

/// A record that failed a monitor: open it, or send it to a review queue or a dataset.
struct MonitorFailure
{
    qint64 logId = 0;
    QString time; ///< the record's start time (or import time)
    QString reason;
    std::optional<bool> judgePass;
    QString checkedAt;
};
/// Failures, newest first; with `windowStart`, only those in that window.
Result<QList<MonitorFailure>> monitorFailures(Database &db, const MonitorConfig &monitor,
                                              const QString &windowStart = {}, int limit = 1000);

/// Whether the record falls in the monitor's judge sample: a fixed hash of (monitor, record)
/// below the fraction, so repeated runs pick the same records.
bool inJudgeSample(qint64 monitorId, qint64 logId, double fraction);

} // namespace ts
