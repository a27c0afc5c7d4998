#include "cli.h"

#include "evals/evalresults.h"
#include "evals/evalstatistics.h"
#include "insights/drift.h"
#include "insights/driftsource.h"
#include "insights/evalcharts.h"
#include "insights/htmlreport.h"
#include "storage/project.h"

#include <QSaveFile>

namespace ts::cli {

int runReport(const QStringList &args)
{
    const QString help = QStringLiteral("report");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Write one self-contained HTML page about an eval: the statistics, SVG charts (pass rate "
        "per variant with intervals, checks x variants, quality against cost and latency with "
        "the Pareto front) and the failing cases; with --drift, the drift between --reference "
        "and --current too. Inline CSS and SVG only: it fetches nothing, so it can be attached "
        "to a pull request or mailed."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("eval"), QStringLiteral("Eval id, or \"latest\"."), QStringLiteral("ID")},
        {QStringLiteral("baseline"),
         QStringLiteral("Variant the others are compared with (1 = the eval's first, default)."),
         QStringLiteral("N"), QStringLiteral("1")},
        {QStringLiteral("drift"), QStringLiteral("Add the drift section.")},
        {QStringLiteral("reference"),
         QStringLiteral("With --drift: dataset:NAME@PROMPTREF or logs:FROM..TO."),
         QStringLiteral("SOURCE")},
        {QStringLiteral("current"), QStringLiteral("With --drift: logs:FROM..TO."),
         QStringLiteral("SOURCE")},
        {QStringLiteral("html"), QStringLiteral("Where to write the page."), QStringLiteral("OUT")},
    });
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    if (!p.isSet(QStringLiteral("eval")))
        return usageError(QStringLiteral("--eval is required (an id, or latest)"), help);
    if (!p.isSet(QStringLiteral("html")))
        return usageError(QStringLiteral("--html is required: the file to write"), help);
    bool ok = false;
    const int baseline = p.value(QStringLiteral("baseline")).toInt(&ok);
    if (!ok || baseline < 1)
        return usageError(QStringLiteral("--baseline must be a variant number from 1"), help);
    const bool drift = p.isSet(QStringLiteral("drift"));
    if (drift && (!p.isSet(QStringLiteral("reference")) || !p.isSet(QStringLiteral("current"))))
        return usageError(QStringLiteral("--drift needs --reference and --current"), help);
    if (!drift && (p.isSet(QStringLiteral("reference")) || p.isSet(QStringLiteral("current"))))
        return usageError(QStringLiteral("--reference and --current go with --drift"), help);
    std::optional<DriftSourceSpec> referenceSpec;
    std::optional<DriftSourceSpec> currentSpec;
    if (drift) {
        auto r = parseDriftSource(p.value(QStringLiteral("reference")));
        if (!r)
            return usageError(QStringLiteral("--reference: ") + r.error().message, help);
        auto c = parseDriftSource(p.value(QStringLiteral("current")));
        if (!c)
            return usageError(QStringLiteral("--current: ") + c.error().message, help);
        if (c->kind != DriftSourceSpec::Kind::Logs)
            return usageError(QStringLiteral("--current must be logs:FROM..TO"), help);
        referenceSpec = *r;
        currentSpec = *c;
    }

    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    Database &db = project->db();
    qint64 evalId = 0;
    if (p.value(QStringLiteral("eval")) == QLatin1String("latest")) {
        auto latest = EvalResults::latestEvalId(db);
        if (!latest)
            return report(latest.error());
        if (*latest == 0)
            return report({ErrorCode::NotFound, QStringLiteral("The project has no eval yet.")});
        evalId = *latest;
    } else {
        evalId = p.value(QStringLiteral("eval")).toLongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("--eval must be a number or latest"), help);
    }
    auto results = EvalStatistics::loadWhole(db, evalId);
    if (!results)
        return report(results.error());
    if (baseline > results->variants.size())
        return usageError(QStringLiteral("--baseline %1: eval %2 has %3 variants")
                              .arg(baseline)
                              .arg(evalId)
                              .arg(results->variants.size()),
                          help);
    EvalChartOptions chartOptions;
    chartOptions.baseline = baseline - 1;
    auto charts = loadEvalCharts(db, *results, chartOptions);
    if (!charts)
        return report(charts.error());

    HtmlReportOptions options;
    std::optional<DriftReport> driftReport;
    if (drift) {
        auto reference = loadDriftSource(db, *referenceSpec);
        if (!reference)
            return report(reference.error());
        auto current = loadDriftSource(db, *currentSpec, reference->schema);
        if (!current)
            return report(current.error());
        if (reference->records.isEmpty())
            return report(
                {ErrorCode::NotFound,
                 QStringLiteral("The reference (%1) has no records.").arg(reference->description)});
        if (current->records.isEmpty())
            return report({ErrorCode::NotFound,
                           QStringLiteral("No log records in %1.").arg(currentSpec->text)});
        auto computed = computeDrift(reference->records, current->records);
        if (!computed)
            return report(computed.error());
        driftReport = std::move(*computed);
        options.drift = &*driftReport;
        options.driftReference = reference->description;
        options.driftCurrent = currentSpec->text;
    }
    const QString html = renderHtmlReport(*results, *charts, options);
    const QString outPath = p.value(QStringLiteral("html"));
    QSaveFile file(outPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(html.toUtf8()) < 0 || !file.commit())
        return report({ErrorCode::Io,
                       QStringLiteral("Cannot write %1: %2").arg(outPath, file.errorString())});
    out(QStringLiteral("Wrote %1 (eval #%2, %3 variants, %4 failing cases%5).\n")
            .arg(outPath)
            .arg(evalId)
            .arg(results->variants.size())
            .arg(results->rows(EvalResults::Filter::FailuresOnly).size())
            .arg(drift ? QStringLiteral(", drift") : QString()));
    return Ok;
}

} // namespace ts::cli
