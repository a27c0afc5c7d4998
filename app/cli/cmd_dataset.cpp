#include "cli.h"

#include "common/json.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "storage/project.h"

#include <QFile>
#include <QSaveFile>

#include <limits>

namespace ts::cli {

namespace {

Result<DatasetInfo> findDataset(DatasetStore &store, const QString &name, bool create)
{
    auto info = store.dataset(name);
    if (!info && create && info.error().code == ErrorCode::NotFound)
        return store.createDataset(name);
    if (!info && info.error().code == ErrorCode::NotFound)
        return fail(ErrorCode::NotFound,
                    QStringLiteral("No dataset named \"%1\" (add --create to make it).").arg(name));
    return info;
}

int import(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Import test cases from a CSV or JSONL file. All or nothing: on any error nothing is "
        "imported and the message names file:line:col. Cases identical to existing ones are "
        "skipped and counted."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("PATH"),
                            QStringLiteral(".csv, .jsonl or .ndjson file."));
    p.addOptions({
        {QStringLiteral("dataset"), QStringLiteral("Dataset name."), QStringLiteral("NAME")},
        {QStringLiteral("create"), QStringLiteral("Create the dataset when it does not exist.")},
        {QStringLiteral("all-errors"), QStringLiteral("Report every error, not just the first.")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("dataset import"), 2, 2); code >= 0)
        return code;
    if (!p.isSet(QStringLiteral("dataset")))
        return usageError(QStringLiteral("--dataset is required"),
                          QStringLiteral("dataset import"));
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    DatasetStore store(project->db());
    ImportOptions options;
    options.reportAllErrors = p.isSet(QStringLiteral("all-errors"));
    // Parse first: a file with errors must not leave an empty dataset behind.
    auto parsed = importDatasetFile(p.positionalArguments().at(1), options);
    if (!parsed)
        return report(parsed.error());
    auto dataset
        = findDataset(store, p.value(QStringLiteral("dataset")), p.isSet(QStringLiteral("create")));
    if (!dataset)
        return report(dataset.error());
    auto summary = store.importCases(dataset->id, *parsed, CaseSource::Import);
    if (!summary)
        return report(summary.error());
    (void)project->optimize(); // the planner's statistics for the cases just added
    if (p.isSet(QStringLiteral("json")))
        outJson({{"dataset", sstr(dataset->name)},
                 {"added", summary->added},
                 {"skipped_duplicates", summary->skippedDuplicates}});
    else
        out(QStringLiteral("Imported %1 case%2 into \"%3\" (%4 duplicate%5 skipped).\n")
                .arg(summary->added)
                .arg(summary->added == 1 ? QString() : QStringLiteral("s"))
                .arg(dataset->name)
                .arg(summary->skippedDuplicates)
                .arg(summary->skippedDuplicates == 1 ? QString() : QStringLiteral("s")));
    return Ok;
}

int exportCases(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Export a dataset's test cases as CSV or JSONL."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("dataset"), QStringLiteral("Dataset name."), QStringLiteral("NAME")},
        {QStringLiteral("format"),
         QStringLiteral("csv or jsonl (default: from --output, else jsonl)."),
         QStringLiteral("FORMAT")},
        {QStringLiteral("output"), QStringLiteral("Output file, or - for stdout (default)."),
         QStringLiteral("PATH"), QStringLiteral("-")},
    });
    if (int code = parseOrExit(p, args, QStringLiteral("dataset export"), 1, 1); code >= 0)
        return code;
    if (!p.isSet(QStringLiteral("dataset")))
        return usageError(QStringLiteral("--dataset is required"),
                          QStringLiteral("dataset export"));
    const QString output = p.value(QStringLiteral("output"));
    QString format = p.value(QStringLiteral("format")).toLower();
    if (format.isEmpty())
        format = output.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive)
            ? QStringLiteral("csv")
            : QStringLiteral("jsonl");
    if (format != QLatin1String("csv") && format != QLatin1String("jsonl"))
        return usageError(QStringLiteral("--format must be csv or jsonl"),
                          QStringLiteral("dataset export"));
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    DatasetStore store(project->db());
    auto dataset = findDataset(store, p.value(QStringLiteral("dataset")), false);
    if (!dataset)
        return report(dataset.error());
    const ExportFormat exportFormat
        = format == QLatin1String("csv") ? ExportFormat::Csv : ExportFormat::Jsonl;
    // Streamed case by case: memory stays flat however large the dataset is.
    if (output == QLatin1String("-")) {
        QFile console;
        if (!console.open(stdout, QIODevice::WriteOnly))
            return report(Error {
                ErrorCode::Io,
                QStringLiteral("Cannot write to standard output: %1").arg(console.errorString())});
        auto written = store.exportCases(dataset->id, exportFormat, console);
        console.close();
        return written ? Ok : report(written.error());
    }
    // A failed export leaves no half-written file behind (nor spoils an existing one).
    QSaveFile file(output);
    if (!file.open(QIODevice::WriteOnly))
        return report(Error {
            ErrorCode::Io, QStringLiteral("Cannot write %1: %2").arg(output, file.errorString())});
    auto written = store.exportCases(dataset->id, exportFormat, file);
    if (!written)
        return report(
            Error {written.error().code,
                   QStringLiteral("Cannot write %1: %2").arg(output, written.error().message)});
    if (!file.commit())
        return report(Error {
            ErrorCode::Io, QStringLiteral("Cannot write %1: %2").arg(output, file.errorString())});
    err(QStringLiteral("Exported %1 cases to %2\n").arg(*written).arg(output));
    return Ok;
}

int list(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("List the datasets of a project."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("dataset list"), 1, 1); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto datasets = DatasetStore(project->db()).listDatasets();
    if (!datasets)
        return report(datasets.error());
    AssertionStore assertions(project->db());
    nlohmann::json json = nlohmann::json::array();
    QString text;
    for (const DatasetInfo &d : *datasets) {
        const auto a = assertions.forDataset(d.id);
        const int count = a ? int(a->size()) : 0;
        json.push_back({{"name", sstr(d.name)},
                        {"cases", d.caseCount},
                        {"assertions", count},
                        {"description", sstr(d.description)},
                        {"created_at", sstr(d.createdAt)}});
        text += QStringLiteral("%1  %2 case%3, %4 assertion%5\n")
                    .arg(d.name)
                    .arg(d.caseCount)
                    .arg(d.caseCount == 1 ? QString() : QStringLiteral("s"))
                    .arg(count)
                    .arg(count == 1 ? QString() : QStringLiteral("s"));
    }
    if (p.isSet(QStringLiteral("json")))
        outJson(json);
    else
        out(text.isEmpty()
                ? QStringLiteral("No datasets yet. Import one with 'touchstone-cli dataset "
                                 "import FILE --dataset NAME --create PATH'.\n")
                : text);
    return Ok;
}

int assertCmd(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Attach an assertion to every case of a dataset (or to one case with --case). The value "
        "is read as JSON when it is valid JSON, else as text. Invalid regexes and schemas are "
        "refused with the reason."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("dataset"), QStringLiteral("Dataset name."), QStringLiteral("NAME")},
        {QStringLiteral("type"),
         QStringLiteral("Assertion type, e.g. contains, regex, is-json, not-icontains."),
         QStringLiteral("TYPE")},
        {QStringLiteral("value"), QStringLiteral("Value (text or JSON)."), QStringLiteral("VALUE")},
        {QStringLiteral("weight"), QStringLiteral("Weight (default 1; 0 = informational)."),
         QStringLiteral("W")},
        {QStringLiteral("threshold"), QStringLiteral("Threshold for graded types."),
         QStringLiteral("X")},
        {QStringLiteral("case"), QStringLiteral("Only this case (1-based position)."),
         QStringLiteral("N")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("dataset assert"), 1, 1); code >= 0)
        return code;
    if (!p.isSet(QStringLiteral("dataset")) || !p.isSet(QStringLiteral("type")))
        return usageError(QStringLiteral("--dataset and --type are required"),
                          QStringLiteral("dataset assert"));
    AssertionSpec spec;
    spec.type = p.value(QStringLiteral("type"));
    if (p.isSet(QStringLiteral("value"))) {
        const QString value = p.value(QStringLiteral("value"));
        auto parsed = parseJson(value);
        spec.value = parsed ? *parsed : nlohmann::json(sstr(value));
    }
    bool ok = true;
    if (p.isSet(QStringLiteral("weight")))
        spec.weight = p.value(QStringLiteral("weight")).toDouble(&ok);
    if (!ok)
        return usageError(QStringLiteral("--weight must be a number"),
                          QStringLiteral("dataset assert"));
    if (p.isSet(QStringLiteral("threshold")))
        spec.threshold = p.value(QStringLiteral("threshold")).toDouble(&ok);
    if (!ok)
        return usageError(QStringLiteral("--threshold must be a number"),
                          QStringLiteral("dataset assert"));
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    DatasetStore store(project->db());
    auto dataset = findDataset(store, p.value(QStringLiteral("dataset")), false);
    if (!dataset)
        return report(dataset.error());
    std::optional<qint64> caseId;
    if (p.isSet(QStringLiteral("case"))) {
        const int position = p.value(QStringLiteral("case")).toInt(&ok);
        auto count = store.caseCount(dataset->id);
        if (!count)
            return report(count.error());
        if (!ok || position < 1 || position > *count)
            return usageError(QStringLiteral("--case must be between 1 and %1").arg(*count),
                              QStringLiteral("dataset assert"));
        // Positions run 0..count-1: the case after every one at position - 2 is case N.
        auto page = store.casesPage(dataset->id,
                                    CaseKey {position - 2, std::numeric_limits<qint64>::max()}, 1);
        if (!page)
            return report(page.error());
        if (page->isEmpty())
            return report(Error {
                ErrorCode::NotFound,
                QStringLiteral("Case %1 of \"%2\" is missing.").arg(position).arg(dataset->name)});
        caseId = page->first().id;
    }
    auto added = AssertionStore(project->db()).add(dataset->id, caseId, spec);
    if (!added)
        return report(added.error());
    if (p.isSet(QStringLiteral("json")))
        outJson(
            {{"id", added->id}, {"dataset", sstr(dataset->name)}, {"assertion", spec.toJson()}});
    else
        out(QStringLiteral("Added %1 assertion to %2\n")
                .arg(spec.type,
                     caseId ? QStringLiteral("case %1 of \"%2\"")
                                  .arg(p.value(QStringLiteral("case")), dataset->name)
                            : QStringLiteral("every case of \"%1\"").arg(dataset->name)));
    return Ok;
}

} // namespace

int runDataset(const QStringList &args)
{
    struct Sub
    {
        const char *name;
        int (*run)(const QStringList &);
        const char *summary;
    };
    static const Sub subs[] = {
        {"import", &import, "Import cases from CSV/JSONL (all or nothing, duplicates skipped)"},
        {"export", &exportCases, "Export cases as CSV or JSONL"},
        {"list", &list, "List datasets"},
        {"assert", &assertCmd, "Attach an assertion to a dataset or one case"},
    };
    const QString sub = args.value(1);
    for (const Sub &s : subs)
        if (sub == QLatin1String(s.name))
            return s.run(QStringList {QStringLiteral("dataset ") + sub} + args.mid(2));
    QString help
        = QStringLiteral("Usage: touchstone-cli dataset SUBCOMMAND FILE ...\n\nSubcommands:\n");
    for (const Sub &s : subs)
        help += QStringLiteral("  %1%2\n")
                    .arg(QLatin1String(s.name), -8)
                    .arg(QLatin1String(s.summary));
    help += QStringLiteral("\nRun 'touchstone-cli dataset SUBCOMMAND --help' for its options.\n");
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out(help);
        return sub.isEmpty() ? BadUsage : Ok;
    }
    err(QStringLiteral("touchstone-cli: unknown dataset subcommand \"%1\"\n\n").arg(sub) + help);
    return BadUsage;
}

} // namespace ts::cli
