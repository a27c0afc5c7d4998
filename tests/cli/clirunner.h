#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

#include <nlohmann/json.hpp>

/// Runs the built touchstone-cli binary and captures what a user would see.
struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
    nlohmann::json json() const
    {
        return nlohmann::json::parse(out.toStdString(), nullptr, false);
    }
};

inline CliResult runCli(const QStringList &args, const QByteArray &stdinData = {},
                        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(TOUCHSTONE_CLI_PATH), args);
    p.waitForStarted();
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}
