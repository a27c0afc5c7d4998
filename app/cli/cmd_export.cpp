#include "cli.h"

#include "annotation/trainingexport.h"
#include "common/json.h"
#include "storage/project.h"

#include <QFile>

namespace ts::cli {

int runExport(const QStringList &args)
{
    const QString help = QStringLiteral("export");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Export human decisions as fine-tuning data (see LABELS_JSON.md). --sft: {\"messages\": "
        "[...]} per output people approved (every criterion yes, adjudicated or by majority) or "
        "corrected, the corrected answer taking the place of the output. --dpo: {\"prompt\": "
        "[...], \"chosen\": [...], \"rejected\": [...]} per pair with a winner (adjudicated, else "
        "the majority of the annotators); ties and \"both bad\" are left out."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("OUT"),
                            QStringLiteral("JSON Lines file to write, or - for stdout."));
    p.addOptions({
        {QStringLiteral("sft"), QStringLiteral("Supervised fine-tuning examples.")},
        {QStringLiteral("dpo"), QStringLiteral("Preference pairs.")},
        {QStringLiteral("queue"), QStringLiteral("Only this queue's items."),
         QStringLiteral("NAME")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 2, 2); code >= 0)
        return code;
    const bool sft = p.isSet(QStringLiteral("sft"));
    if (sft == p.isSet(QStringLiteral("dpo")))
        return usageError(QStringLiteral("choose --sft or --dpo"), help);
    TrainingExportScope scope;
    if (p.isSet(QStringLiteral("queue")))
        scope.queue = p.value(QStringLiteral("queue"));
    const QStringList pos = p.positionalArguments();
    auto project = Project::open(pos.at(0));
    if (!project)
        return report(project.error());
    auto made = sft ? trainingexport::sft(project->db(), scope)
                    : trainingexport::dpo(project->db(), scope);
    if (!made)
        return report(made.error());
    const bool toStdout = pos.at(1) == QLatin1String("-");
    if (toStdout) {
        out(QString::fromUtf8(made->jsonl));
    } else {
        QFile file(pos.at(1));
        if (!file.open(QIODevice::WriteOnly) || file.write(made->jsonl) != made->jsonl.size())
            return report(Error {
                ErrorCode::Io,
                QStringLiteral("Cannot write %1: %2").arg(file.fileName(), file.errorString())});
    }
    if (p.isSet(QStringLiteral("json")) && !toStdout) {
        outJson({{"format", sft ? "sft" : "dpo"},
                 {"path", sstr(pos.at(1))},
                 {"examples", made->examples},
                 {"left_out", made->leftOut},
                 {"without_messages", made->withoutMessages}});
        return Ok;
    }
    const QString summary
        = QStringLiteral("Wrote %1 %2 example%3%4; left out %5 %6%7.\n")
              .arg(made->examples)
              .arg(sft ? QStringLiteral("SFT") : QStringLiteral("DPO"))
              .arg(made->examples == 1 ? QString() : QStringLiteral("s"))
              .arg(toStdout ? QString() : QStringLiteral(" to ") + pos.at(1))
              .arg(made->leftOut)
              .arg(sft ? QStringLiteral("labeled outputs neither approved nor corrected")
                       : QStringLiteral("pairs that were ties, both bad or undecided"))
              .arg(made->withoutMessages > 0
                       ? QStringLiteral(" and %1 without input messages").arg(made->withoutMessages)
                       : QString());
    if (toStdout)
        err(summary);
    else
        out(summary);
    return Ok;
}

} // namespace ts::cli
