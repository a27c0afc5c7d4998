#include "cli.h"

#include "annotation/labelio.h"
#include "common/json.h"
#include "storage/project.h"

#include <QFile>

namespace ts::cli {

namespace {

QString plural(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

int import(const QStringList &args)
{
    const QString help = QStringLiteral("labels import");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Import human labels from JSON Lines, one label per line (see LABELS_JSON.md). Binary: "
        "{\"target\": T, \"criterion\": NAME, \"annotator\": NAME, \"label\": "
        "\"yes\"|\"no\"|\"skip\", "
        "\"note\": optional}; pairwise: {\"a\": T, \"b\": T, \"criterion\": optional, "
        "\"annotator\": "
        "NAME, \"choice\": \"a\"|\"b\"|\"tie\"}; T is {\"generation\": ID}, {\"log\": ID} or "
        "{\"span\": \"TRACEID:SPANID\"}. A criterion that does not exist is created. Bad lines are "
        "listed as FILE:LINE: reason and nothing is imported (exit 2). Labels already there are "
        "kept as they are, so importing a file twice adds nothing."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("LABELS"),
                            QStringLiteral("JSON Lines file, or - for stdin."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 2, 2); code >= 0)
        return code;
    const QStringList pos = p.positionalArguments();
    auto content = readInput(pos.at(1));
    if (!content)
        return report(content.error());
    auto project = Project::open(pos.at(0));
    if (!project)
        return report(project.error());
    const QString name = pos.at(1) == QLatin1String("-") ? QStringLiteral("<stdin>") : pos.at(1);
    auto s = labelio::importLabels(project->db(), *content, name);
    if (!s)
        return report(s.error());
    for (const QString &problem : std::as_const(s->problems))
        err(problem + QLatin1Char('\n'));
    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json problems = nlohmann::json::array();
        for (const QString &problem : std::as_const(s->problems))
            problems.push_back(sstr(problem));
        nlohmann::json created = nlohmann::json::array();
        for (const QString &c : std::as_const(s->createdCriteria))
            created.push_back(sstr(c));
        outJson({{"lines", s->lines},
                 {"labels_added", s->labelsAdded},
                 {"preferences_added", s->preferencesAdded},
                 {"already_present", s->alreadyPresent},
                 {"created_criteria", created},
                 {"problems", problems}});
    }
    if (!s->problems.isEmpty()) {
        err(QStringLiteral("touchstone-cli: %1: nothing was imported\n")
                .arg(plural(s->problems.size(), QStringLiteral("bad line"),
                            QStringLiteral("bad lines"))));
        return BadUsage;
    }
    if (!p.isSet(QStringLiteral("json"))) {
        QString text
            = QStringLiteral("Imported %1 and %2 (%3 already there).\n")
                  .arg(plural(s->labelsAdded, QStringLiteral("label"), QStringLiteral("labels")),
                       plural(s->preferencesAdded, QStringLiteral("pairwise choice"),
                              QStringLiteral("pairwise choices")))
                  .arg(s->alreadyPresent);
        if (!s->createdCriteria.isEmpty())
            text += QStringLiteral("New criteria: %1 (the question is the name; edit it in the "
                                   "Annotate section).\n")
                        .arg(s->createdCriteria.join(QStringLiteral(", ")));
        out(text);
    }
    return Ok;
}

int exportLabels(const QStringList &args)
{
    const QString help = QStringLiteral("labels export");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Export every human label and pairwise choice with its annotator, time, criterion name "
        "and wording version, target, queue item, value, note, seconds spent and the side it was "
        "shown on, as JSON Lines (default) or CSV (see LABELS_JSON.md)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("format"), QStringLiteral("jsonl (default) or csv."),
         QStringLiteral("FORMAT")},
        {QStringLiteral("queue"), QStringLiteral("Only the labels on this queue's items."),
         QStringLiteral("NAME")},
        {{QStringLiteral("o"), QStringLiteral("output")},
         QStringLiteral("Write to this file instead of stdout."),
         QStringLiteral("OUT")},
    });
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    const QString format = p.value(QStringLiteral("format")).toLower();
    if (!format.isEmpty() && format != QLatin1String("jsonl") && format != QLatin1String("csv"))
        return usageError(QStringLiteral("--format must be jsonl or csv, not \"%1\"").arg(format),
                          help);
    LabelExportScope scope;
    if (p.isSet(QStringLiteral("queue")))
        scope.queue = p.value(QStringLiteral("queue"));
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto data = labelio::exportLabels(
        project->db(),
        format == QLatin1String("csv") ? LabelExportFormat::Csv : LabelExportFormat::Jsonl, scope);
    if (!data)
        return report(data.error());
    if (!p.isSet(QStringLiteral("output"))) {
        out(QString::fromUtf8(*data));
        return Ok;
    }
    QFile file(p.value(QStringLiteral("output")));
    if (!file.open(QIODevice::WriteOnly) || file.write(*data) != data->size())
        return report(
            Error {ErrorCode::Io,
                   QStringLiteral("Cannot write %1: %2").arg(file.fileName(), file.errorString())});
    return Ok;
}

} // namespace

int runLabels(const QStringList &args)
{
    const QString sub = args.value(1);
    const QStringList rest = args.mid(1);
    if (sub == QLatin1String("import"))
        return import(rest);
    if (sub == QLatin1String("export"))
        return exportLabels(rest);
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out(QStringLiteral("Usage: touchstone-cli labels SUBCOMMAND ...\n\n"
                           "Human labels in and out of a project:\n"
                           "  import FILE LABELS.jsonl [--json]\n"
                           "  export FILE [--format jsonl|csv] [--queue NAME] [-o OUT]\n"
                           "\nRun 'touchstone-cli labels SUBCOMMAND --help' for details.\n"));
        return sub.isEmpty() ? BadUsage : Ok;
    }
    return usageError(QStringLiteral("unknown labels subcommand \"%1\"").arg(sub),
                      QStringLiteral("labels"));
}

} // namespace ts::cli
