#include "cli.h"

#include "demo/demoproject.h"
#include "storage/project.h"

namespace ts::cli {

int runInit(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create a new, empty Touchstone project file."));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("The project file to create (*.touchstone)."));
    parser.addOption(QCommandLineOption(QStringLiteral("demo"),
                                        QStringLiteral("Fill it with the demo prompts, models and dataset.")));
    addJsonOption(parser);
    if (int code = parseOrExit(parser, args, QStringLiteral("init"), 1, 1); code >= 0)
        return code;
    const QString file = parser.positionalArguments().first();
    if (parser.isSet(QStringLiteral("demo"))) {
        if (auto ok = createDemoProject(file); !ok)
            return report(ok.error());
    }
    auto project = parser.isSet(QStringLiteral("demo")) ? Project::open(file) : Project::create(file);
    if (!project)
        return report(project.error());
    if (parser.isSet(QStringLiteral("json")))
        outJson({{"file", file.toStdString()}, {"schema_version", project->schemaVersion()}});
    else
        out(QStringLiteral("Created %1 (schema %2)\n").arg(file).arg(project->schemaVersion()));
    return Ok;
}

} // namespace ts::cli
