#pragma once

#include "common/error.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace ts::cli {

/// Exit codes every subcommand uses.
enum Exit : int { Ok = 0, Failure = 1, BadUsage = 2 };

/// A subcommand: `touchstone-cli NAME ...`. `args` starts with the subcommand's own name.
struct Command
{
    QString name;
    QString summary;
    int (*run)(const QStringList &args);
};

/// Writes to stdout / stderr as UTF-8.
void out(const QString &text);
void err(const QString &text);
void outJson(const nlohmann::json &json);

/// Prints "touchstone-cli: message" to stderr and returns the exit code the error deserves:
/// 2 for bad input (not found, invalid, not a project...), 1 for a runtime failure.
int report(const Error &error);
int usageError(const QString &message, const QString &helpCommand);

/// Parses `args` with a parser that already has its options; handles --help. Returns -1 to
/// continue, or an exit code to return right away.
int parseOrExit(QCommandLineParser &parser, const QStringList &args, const QString &helpCommand,
                int minPositional, int maxPositional);

/// Adds the common --json flag.
void addJsonOption(QCommandLineParser &parser);

/// Reads a whole file, or stdin for "-".
Result<QByteArray> readInput(const QString &path);

/// "k=v" pairs; the value is parsed as JSON when it is valid JSON, else kept as a string.
Result<nlohmann::json> parseKeyValues(const QStringList &pairs, const QString &what);

int runInit(const QStringList &args);
int runPrompt(const QStringList &args);
int runRender(const QStringList &args);
int runSnippet(const QStringList &args);
int runComplete(const QStringList &args);
int runModel(const QStringList &args);
int runModels(const QStringList &args);
int runRun(const QStringList &args);
int runEval(const QStringList &args);
int runDataset(const QStringList &args);
int runImportPromptfoo(const QStringList &args);
int runJudge(const QStringList &args);
int runLogs(const QStringList &args);
int runCollect(const QStringList &args);
int runDrift(const QStringList &args);
int runMonitor(const QStringList &args);
int runReport(const QStringList &args);
int runQueue(const QStringList &args);
int runLabels(const QStringList &args);
int runAgreement(const QStringList &args);
int runAlignment(const QStringList &args);
int runExport(const QStringList &args);
int runCheck(const QStringList &args);

} // namespace ts::cli
