#include "cli.h"

#include "datasets/datasetstore.h"
#include "datasets/judgestore.h"
#include "insights/monitor.h"
#include "insights/monitorjudge.h"
#include "net/networkclient.h"
#include "runs/runengine.h"
#include "storage/project.h"

#include <QEventLoop>

namespace ts::cli {

namespace {

QString percent(double v)
{
    return QString::number(100 * v, 'f', 1) + QLatin1Char('%');
}

nlohmann::json optionalText(const std::optional<QString> &v)
{
    return v ? nlohmann::json(v->toStdString()) : nlohmann::json(nullptr);
}

nlohmann::json windowJson(const MonitorWindowStats &w)
{
    return {{"start", w.start.toStdString()},
            {"end", w.end.toStdString()},
            {"records", w.records},
            {"passed", w.rate.successes},
            {"no_verdict", w.noVerdict},
            {"pass_rate", w.rate.estimate},
            {"ci", {w.rate.ci.low, w.rate.ci.high}},
            {"alert", w.alert}};
}

nlohmann::json monitorJson(const MonitorConfig &m)
{
    return {{"id", m.id},
            {"name", m.name.toStdString()},
            {"dataset", m.datasetName.toStdString()},
            {"model", optionalText(m.model)},
            {"prompt", optionalText(m.promptName)},
            {"prompt_version", optionalText(m.promptVersion)},
            {"threshold", m.threshold},
            {"window", monitorWindowName(m.window).toStdString()},
            {"judge", m.judgeId ? nlohmann::json(m.judgeName.toStdString()) : nullptr},
            {"judge_fraction", m.judgeFraction},
            {"judge_cost_cap", m.judgeCostCap ? nlohmann::json(*m.judgeCostCap) : nullptr}};
}

nlohmann::json statusJson(const MonitorStatus &s, Database &db, bool withFailures)
{
    nlohmann::json j = monitorJson(s.monitor);
    j["checked"] = s.checked;
    j["failures"] = s.failures;
    j["latest"] = s.latest ? windowJson(*s.latest) : nlohmann::json(nullptr);
    j["alert"] = s.alert();
    if (withFailures) {
        nlohmann::json ids = nlohmann::json::array();
        if (s.latest)
            if (auto failures = monitorFailures(db, s.monitor, s.latest->start))
                for (const MonitorFailure &f : *failures)
                    ids.push_back(f.logId);
        j["failing_log_ids"] = ids;
    }
    return j;
}

QString statusLine(const MonitorStatus &s)
{
    QString filter;
    if (s.monitor.model)
        filter += QStringLiteral(" model=%1").arg(*s.monitor.model);
    if (s.monitor.promptName)
        filter += QStringLiteral(" prompt=%1%2")
                      .arg(*s.monitor.promptName,
                           s.monitor.promptVersion ? QLatin1Char('@') + *s.monitor.promptVersion
                                                   : QString());
    QString latest = QStringLiteral("no records checked yet");
    if (s.latest)
        latest = QStringLiteral("%1 %2: %3/%4 passed, %5 [%6, %7]")
                     .arg(monitorWindowName(s.monitor.window), s.latest->start)
                     .arg(s.latest->rate.successes)
                     .arg(s.latest->records)
                     .arg(percent(s.latest->rate.estimate), percent(s.latest->rate.ci.low),
                          percent(s.latest->rate.ci.high));
    return QStringLiteral("%1  dataset %2%3, threshold %4\n    %5%6\n")
        .arg(s.monitor.name, s.monitor.datasetName, filter, percent(s.monitor.threshold), latest,
             s.alert() ? QStringLiteral("  ALERT: below the threshold") : QString());
}

int add(const QStringList &args)
{
    const QString help = QStringLiteral("monitor add");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Add a monitor: a dataset's assertions (those on all its cases) applied to production "
        "log records as they are imported or collected, optionally an LLM judge on a sampled "
        "fraction with a cost cap per run."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Monitor name."));
    p.addOptions({
        {QStringLiteral("dataset"), QStringLiteral("Dataset whose assertions are checked."),
         QStringLiteral("NAME")},
        {QStringLiteral("model"), QStringLiteral("Only records of this model."),
         QStringLiteral("M")},
        {QStringLiteral("prompt"), QStringLiteral("Only records of this prompt (NAME or NAME@V)."),
         QStringLiteral("NAME[@V]")},
        {QStringLiteral("threshold"),
         QStringLiteral("Pass rate a window should reach (0..1, default 0.9)."),
         QStringLiteral("RATE"), QStringLiteral("0.9")},
        {QStringLiteral("window"), QStringLiteral("day (default) or week (ISO, from Monday)."),
         QStringLiteral("W"), QStringLiteral("day")},
        {QStringLiteral("judge"), QStringLiteral("Pointwise or factuality judge to run too."),
         QStringLiteral("NAME")},
        {QStringLiteral("judge-fraction"),
         QStringLiteral("Share of records the judge sees (0..1, default 0.1)."),
         QStringLiteral("F"), QStringLiteral("0.1")},
        {QStringLiteral("judge-cost-cap"),
         QStringLiteral("Most a `monitor run` spends on judge calls, in USD."),
         QStringLiteral("USD")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 2, 2); code >= 0)
        return code;
    if (!p.isSet(QStringLiteral("dataset")))
        return usageError(QStringLiteral("--dataset is required: whose assertions to check"), help);
    MonitorConfig m;
    m.name = p.positionalArguments().at(1);
    bool ok = false;
    m.threshold = p.value(QStringLiteral("threshold")).toDouble(&ok);
    if (!ok)
        return usageError(QStringLiteral("--threshold must be a number from 0 to 1"), help);
    const auto window = parseMonitorWindow(p.value(QStringLiteral("window")));
    if (!window)
        return usageError(QStringLiteral("--window must be day or week"), help);
    m.window = *window;
    if (p.isSet(QStringLiteral("model")))
        m.model = p.value(QStringLiteral("model"));
    if (p.isSet(QStringLiteral("prompt"))) {
        const QString ref = p.value(QStringLiteral("prompt"));
        m.promptName = ref.section(QLatin1Char('@'), 0, 0);
        if (ref.contains(QLatin1Char('@')))
            m.promptVersion = ref.section(QLatin1Char('@'), 1);
    }
    if (!p.isSet(QStringLiteral("judge"))
        && (p.isSet(QStringLiteral("judge-fraction")) || p.isSet(QStringLiteral("judge-cost-cap"))))
        return usageError(QStringLiteral("--judge-fraction and --judge-cost-cap need --judge"),
                          help);

    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto dataset = DatasetStore(project->db()).dataset(p.value(QStringLiteral("dataset")));
    if (!dataset)
        return report(dataset.error());
    m.datasetId = dataset->id;
    if (p.isSet(QStringLiteral("judge"))) {
        auto judge = JudgeStore(project->db()).find(p.value(QStringLiteral("judge")));
        if (!judge)
            return report(judge.error());
        m.judgeId = judge->id;
        m.judgeFraction = p.value(QStringLiteral("judge-fraction")).toDouble(&ok);
        if (!ok)
            return usageError(QStringLiteral("--judge-fraction must be a number from 0 to 1"),
                              help);
        if (p.isSet(QStringLiteral("judge-cost-cap"))) {
            m.judgeCostCap = p.value(QStringLiteral("judge-cost-cap")).toDouble(&ok);
            if (!ok)
                return usageError(QStringLiteral("--judge-cost-cap must be an amount in USD"),
                                  help);
        }
    }
    auto added = MonitorStore(project->db()).add(m);
    if (!added)
        return report(added.error());
    if (p.isSet(QStringLiteral("json")))
        outJson(monitorJson(*added));
    else
        out(QStringLiteral("Added monitor \"%1\" (dataset %2, threshold %3 per %4).\n")
                .arg(added->name, added->datasetName, percent(added->threshold),
                     monitorWindowName(added->window)));
    return Ok;
}

int list(const QStringList &args)
{
    const QString help = QStringLiteral("monitor list");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "List monitors with their latest window's pass rate, 95% Wilson interval and alert "
        "state (without checking new records; see monitor run)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto statuses = monitorStatuses(project->db());
    if (!statuses)
        return report(statuses.error());
    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json list = nlohmann::json::array();
        for (const MonitorStatus &s : *statuses)
            list.push_back(statusJson(s, project->db(), false));
        outJson({{"monitors", list}});
        return Ok;
    }
    if (statuses->isEmpty())
        out(QStringLiteral("No monitors. Add one with: touchstone-cli monitor add FILE NAME "
                           "--dataset NAME\n"));
    for (const MonitorStatus &s : *statuses)
        out(statusLine(s));
    return Ok;
}

int run(const QStringList &args)
{
    const QString help = QStringLiteral("monitor run");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Apply every monitor to the log records it has not checked yet, run its judge on the "
        "sampled fraction (within its cost cap), and print each monitor's latest window. Exit "
        "1 when a latest window's pass rate and its 95% interval's upper bound are both below "
        "the threshold."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions(
        {{QStringLiteral("no-judge"), QStringLiteral("Skip the judges (assertions only).")},
         {QStringLiteral("monitor"), QStringLiteral("Only this monitor."),
          QStringLiteral("NAME")}});
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    Database &db = project->db();
    auto monitors = MonitorStore(db).list();
    if (!monitors)
        return report(monitors.error());
    if (p.isSet(QStringLiteral("monitor"))) {
        auto one = MonitorStore(db).find(p.value(QStringLiteral("monitor")));
        if (!one)
            return report(one.error());
        monitors = QList<MonitorConfig> {*one};
    }
    const bool json = p.isSet(QStringLiteral("json"));
    QHash<qint64, nlohmann::json> runs;
    NetworkClient network;
    RunEngine engine(nullptr, &network);
    for (const MonitorConfig &m : std::as_const(*monitors)) {
        auto result = runMonitorAssertions(db, m);
        if (!result)
            return report(result.error());
        nlohmann::json r = {{"checked", result->checked},
                            {"passed", result->passed},
                            {"failed", result->failed},
                            {"no_verdict", result->noVerdict}};
        if (!json)
            out(QStringLiteral("%1: %2 new records checked (%3 passed, %4 failed, %5 without "
                               "output)\n")
                    .arg(m.name)
                    .arg(result->checked)
                    .arg(result->passed)
                    .arg(result->failed)
                    .arg(result->noVerdict));
        if (m.judgeId && !p.isSet(QStringLiteral("no-judge"))) {
            MonitorJudge judge(db, &engine);
            QEventLoop loop;
            std::optional<MonitorJudgeSummary> summary;
            std::optional<Error> error;
            QObject::connect(&judge, &MonitorJudge::finished, &loop,
                             [&](const MonitorJudgeSummary &s) {
                                 summary = s;
                                 loop.quit();
                             });
            QObject::connect(&judge, &MonitorJudge::failed, &loop, [&](const Error &e) {
                error = e;
                loop.quit();
            });
            if (auto started = judge.start(m); !started)
                return report(started.error());
            loop.exec();
            if (error)
                return report(*error);
            r["judge"] = {{"judged", summary->judged},
                          {"failed", summary->failed},
                          {"errors", summary->errors},
                          {"skipped_by_cap", summary->skippedByCap},
                          {"cost", summary->cost}};
            if (!json)
                out(QStringLiteral("  judge %1: %2 judged (%3 failed), %4 errors, $%5 spent%6\n")
                        .arg(m.judgeName)
                        .arg(summary->judged)
                        .arg(summary->failed)
                        .arg(summary->errors)
                        .arg(QString::number(summary->cost, 'f', 4),
                             summary->skippedByCap
                                 ? QStringLiteral(", %1 sampled records left for the next run "
                                                  "(cost cap)")
                                       .arg(summary->skippedByCap)
                                 : QString()));
        }
        runs.insert(m.id, r);
    }
    auto statuses = monitorStatuses(db);
    if (!statuses)
        return report(statuses.error());
    bool alert = false;
    nlohmann::json list = nlohmann::json::array();
    for (const MonitorStatus &s : *statuses) {
        if (!runs.contains(s.monitor.id))
            continue;
        alert = alert || s.alert();
        nlohmann::json j = statusJson(s, db, true);
        j["run"] = runs.value(s.monitor.id);
        list.push_back(j);
        if (!json)
            out(statusLine(s));
    }
    if (json)
        outJson({{"monitors", list}, {"alert", alert}});
    return alert ? Failure : Ok;
}

} // namespace

int runMonitor(const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub == QLatin1String("add"))
        return add(QStringList {QStringLiteral("monitor add")} + args.mid(2));
    if (sub == QLatin1String("list"))
        return list(QStringList {QStringLiteral("monitor list")} + args.mid(2));
    if (sub == QLatin1String("run"))
        return run(QStringList {QStringLiteral("monitor run")} + args.mid(2));
    const QString help
        = QStringLiteral("Usage: touchstone-cli monitor SUBCOMMAND FILE ...\n\nSubcommands:\n"
                         "  add   Add a monitor (a dataset's assertions on production logs)\n"
                         "  list  Monitors with their latest window and alert state\n"
                         "  run   Check new records; exit 1 when a monitor alerts\n");
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out(help);
        return Ok;
    }
    err(help);
    return BadUsage;
}

} // namespace ts::cli
