#include "cli.h"

#include "common/json.h"

#include <QFile>

#include <cstdio>

namespace ts::cli {

void out(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    std::fflush(stdout);
}

void err(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
    std::fflush(stderr);
}

void outJson(const nlohmann::json &json)
{
    out(QString::fromStdString(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace))
        + QLatin1Char('\n'));
}

int report(const Error &error)
{
    err(QStringLiteral("touchstone-cli: ") + error.message + QLatin1Char('\n'));
    switch (error.code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::NotFound:
    case ErrorCode::AlreadyExists:
    case ErrorCode::NotAProject:
    case ErrorCode::NewerSchema:
    case ErrorCode::Corrupt:
    case ErrorCode::Template:
        return BadUsage;
    default:
        return Failure;
    }
}

int usageError(const QString &message, const QString &helpCommand)
{
    const QString command = helpCommand.isEmpty() ? QString() : helpCommand + QLatin1Char(' ');
    err(QStringLiteral("touchstone-cli: ") + message + QStringLiteral("\nTry 'touchstone-cli ")
        + command + QStringLiteral("--help'.\n"));
    return BadUsage;
}

int parseOrExit(QCommandLineParser &parser, const QStringList &args, const QString &helpCommand,
                int minPositional, int maxPositional)
{
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args))
        return usageError(parser.errorText(), helpCommand);
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        // QCommandLineParser names the binary; show the subcommand the user typed.
        const qsizetype firstSpace = text.indexOf(QLatin1Char(' '), 7);
        text.replace(0, firstSpace, QStringLiteral("Usage: touchstone-cli ") + helpCommand);
        out(text);
        return Ok;
    }
    const qsizetype n = parser.positionalArguments().size();
    if (n < minPositional)
        return usageError(QStringLiteral("missing arguments"), helpCommand);
    if (maxPositional >= 0 && n > maxPositional)
        return usageError(QStringLiteral("unexpected argument \"%1\"")
                              .arg(parser.positionalArguments().at(maxPositional)),
                          helpCommand);
    return -1;
}

void addJsonOption(QCommandLineParser &parser)
{
    parser.addOption(QCommandLineOption(QStringLiteral("json"),
                                        QStringLiteral("Print machine-readable JSON.")));
}

Result<QByteArray> readInput(const QString &path)
{
    QFile file;
    const bool ok = path == QLatin1String("-") ? file.open(stdin, QIODevice::ReadOnly)
                                              : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!ok)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
    return file.readAll();
}

Result<nlohmann::json> parseKeyValues(const QStringList &pairs, const QString &what)
{
    nlohmann::json object = nlohmann::json::object();
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1 \"%2\" is not of the form name=value").arg(what, pair));
        const QString value = pair.mid(eq + 1);
        auto parsed = parseJson(value);
        object[pair.left(eq).toStdString()] = parsed && !parsed->is_discarded()
                                                  ? *parsed
                                                  : nlohmann::json(value.toStdString());
    }
    return object;
}

} // namespace ts::cli
