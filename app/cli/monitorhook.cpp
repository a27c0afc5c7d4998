#include "monitorhook.h"

#include "insights/monitor.h"

namespace ts::cli {

void monitorAfterImport(Database &db, nlohmann::json &entries, QStringList &lines,
                        std::optional<qint64> minLogId)
{
    auto runs = runAllMonitorAssertions(db, minLogId);
    if (!runs) {
        lines.append(QStringLiteral("Monitors not run: %1\n").arg(runs.error().message));
        return;
    }
    if (runs->isEmpty())
        return;
    auto statuses = monitorStatuses(db);
    if (!statuses) {
        lines.append(QStringLiteral("Monitors not read: %1\n").arg(statuses.error().message));
        return;
    }
    for (const MonitorRunEntry &run : std::as_const(*runs)) {
        const auto status = std::find_if(statuses->begin(), statuses->end(), [&](const auto &s) {
            return s.monitor.id == run.monitor.id;
        });
        nlohmann::json latest = nullptr;
        bool alert = false;
        if (status != statuses->end() && status->latest) {
            const MonitorWindowStats &w = *status->latest;
            alert = w.alert;
            latest = {{"start", w.start.toStdString()},
                      {"records", w.records},
                      {"passed", w.rate.successes},
                      {"pass_rate", w.rate.estimate},
                      {"ci", {w.rate.ci.low, w.rate.ci.high}},
                      {"alert", w.alert}};
            if (run.result.checked > 0)
                lines.append(QStringLiteral("Monitor %1: %2 checked, %3 failed; %4 %5: %6/%7 "
                                            "passed (%8%)%9\n")
                                 .arg(run.monitor.name)
                                 .arg(run.result.checked)
                                 .arg(run.result.failed)
                                 .arg(monitorWindowName(run.monitor.window), w.start)
                                 .arg(w.rate.successes)
                                 .arg(w.records)
                                 .arg(QString::number(100 * w.rate.estimate, 'f', 1),
                                      w.alert ? QStringLiteral(" ALERT: below %1%")
                                                    .arg(QString::number(
                                                        100 * run.monitor.threshold, 'f', 1))
                                              : QString()));
        }
        entries.push_back({{"name", run.monitor.name.toStdString()},
                           {"checked", run.result.checked},
                           {"failed", run.result.failed},
                           {"latest", latest},
                           {"alert", alert}});
    }
}

} // namespace ts::cli
