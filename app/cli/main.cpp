#include "cli.h"

#include <QCoreApplication>

#include <array>

using namespace ts::cli;

namespace {

const std::array commands = {
    Command{QStringLiteral("init"), QStringLiteral("Create a project file"), &runInit},
    Command{QStringLiteral("prompt"),
            QStringLiteral("Prompts and versions: add, list, show, history, diff, label, restore"),
            &runPrompt},
    Command{QStringLiteral("snippet"),
            QStringLiteral("Snippets for {{> name}}: add, list, show, history"), &runSnippet},
    Command{QStringLiteral("render"), QStringLiteral("Render a Mustache template with JSON data"),
            &runRender},
    Command{QStringLiteral("complete"), QStringLiteral("Send one chat request to a model and print JSON"),
            &runComplete},
    Command{QStringLiteral("model"), QStringLiteral("Model configurations: add, list, remove, test"),
            &runModel},
    Command{QStringLiteral("models"), QStringLiteral("List the models a server offers (--remote)"),
            &runModels},
    Command{QStringLiteral("run"), QStringLiteral("Run a saved prompt on a model and store the generations"),
            &runRun},
    Command{QStringLiteral("eval"), QStringLiteral("Evaluate prompt versions on a dataset (for CI)"),
            &runEval},
    Command{QStringLiteral("dataset"), QStringLiteral("Datasets: import, export, list"),
            &runDataset},
    Command{QStringLiteral("judge"), QStringLiteral("LLM judges: add, list"), &runJudge},
    Command{QStringLiteral("import-promptfoo"), QStringLiteral("Import a promptfooconfig.yaml into a project"),
            &runImportPromptfoo},
    Command{QStringLiteral("logs"),
            QStringLiteral("Production logs: import, list, show, to-dataset"), &runLogs},
    Command{QStringLiteral("collect"),
            QStringLiteral("Receive OpenTelemetry traces over OTLP/HTTP into a project"), &runCollect},
    Command{QStringLiteral("drift"),
            QStringLiteral("Compare what was tested with what production sends (exit 1 on alert)"),
            &runDrift},
    Command{QStringLiteral("monitor"),
            QStringLiteral("Monitors on production logs: add, list, run (exit 1 on alert)"),
            &runMonitor},
    Command{QStringLiteral("report"),
            QStringLiteral("One self-contained HTML page about an eval (and drift)"), &runReport},
    Command{QStringLiteral("queue"),
            QStringLiteral("Review queues: create, daily, list, show, export-pack, import-pack"),
            &runQueue},
    Command{QStringLiteral("labels"), QStringLiteral("Human labels: import, export (JSON Lines, CSV)"),
            &runLabels},
    Command{QStringLiteral("agreement"),
            QStringLiteral("Agreement between annotators per criterion (kappa, alpha)"), &runAgreement},
    Command{QStringLiteral("alignment"),
            QStringLiteral("Assertions and LLM judges scored against human labels"), &runAlignment},
    Command{QStringLiteral("export"), QStringLiteral("Fine-tuning data from labels: --sft or --dpo"),
            &runExport},
    Command{QStringLiteral("check"), QStringLiteral("Check a project file for damage (every page)"),
            &runCheck},
};

int printHelp()
{
    QString text = QStringLiteral(
        "Usage: touchstone-cli COMMAND [ARGS...]\n\n"
        "Touchstone's command line: the same project files as the desktop app.\n\nCommands:\n");
    for (const Command &c : commands)
        text += QStringLiteral("  %1%2\n").arg(c.name, -18).arg(c.summary);
    text += QStringLiteral("\nOptions:\n  --version  Print the version.\n  --help     Show this help.\n"
                           "\nRun 'touchstone-cli COMMAND --help' for a command's options.\n"
                           "Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.\n");
    out(text);
    return Ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("touchstone-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TOUCHSTONE_VERSION));
    const QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty()) {
        printHelp();
        return BadUsage;
    }
    const QString &first = args.first();
    if (first == QLatin1String("--help") || first == QLatin1String("-h")
        || first == QLatin1String("help"))
        return printHelp();
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        out(QStringLiteral("touchstone-cli " TOUCHSTONE_VERSION "\n"));
        return Ok;
    }
    for (const Command &c : commands)
        if (c.name == first)
            return c.run(args);
    return usageError(QStringLiteral("unknown command \"%1\"").arg(first), QString());
}
