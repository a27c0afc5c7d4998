// `check`: the full integrity check that opening a project no longer runs (issue 13), for a
// file suspected of damage or before archiving it.
#include "cli.h"

#include "storage/project.h"

#include <QElapsedTimer>
#include <QFileInfo>

namespace ts::cli {

int runCheck(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Check a project file for damage: every page of every table and index is "
                       "read and verified (PRAGMA integrity_check). Opening a project only checks "
                       "its header and schema, so run this when a file seems damaged or before "
                       "archiving it. Reads only; exit 1 when damage is found."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    addJsonOption(parser);
    if (int code = parseOrExit(parser, args, QStringLiteral("check"), 1, 1); code >= 0)
        return code;
    const QString file = parser.positionalArguments().first();
    const bool json = parser.isSet(QStringLiteral("json"));
    if (!json)
        err(QStringLiteral("Checking %1 (%2 MB)…\n")
                .arg(file)
                .arg(QFileInfo(file).size() / 1e6, 0, 'f', 1));
    QElapsedTimer clock;
    clock.start();
    auto ok = Project::checkIntegrity(file);
    const double seconds = clock.elapsed() / 1000.0;
    if (!ok && ok.error().code != ErrorCode::Corrupt)
        return report(ok.error());
    if (json) {
        outJson({{"file", file.toStdString()},
                 {"ok", ok.has_value()},
                 {"problems", ok ? std::string() : ok.error().message.toStdString()},
                 {"seconds", seconds}});
    } else if (ok) {
        out(QStringLiteral("%1 is sound (checked in %2 s).\n").arg(file).arg(seconds, 0, 'f', 1));
    } else {
        out(ok.error().message + QLatin1Char('\n'));
    }
    return ok ? Ok : Failure;
}

} // namespace ts::cli
