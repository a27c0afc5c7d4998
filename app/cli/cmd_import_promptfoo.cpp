#include "cli.h"

#include "common/json.h"
#include "datasets/promptfooproject.h"
#include "io/promptfooimport.h"
#include "storage/project.h"

#include <QFileInfo>

namespace ts::cli {

int runImportPromptfoo(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Import a promptfoo config into a project: prompts become versions, providers become "
        "models (API keys by environment variable name, never values), tests become a dataset "
        "with their assertions. Everything that could not be mapped is listed; nothing is "
        "dropped silently. All or nothing: on an error the project is unchanged."));
    p.addPositionalArgument(QStringLiteral("CONFIG"), QStringLiteral("promptfooconfig.yaml"));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("dataset"),
         QStringLiteral("Dataset name (default: the config's file name)."), QStringLiteral("NAME")},
        {QStringLiteral("create"),
         QStringLiteral("Create the project file when it does not exist.")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("import-promptfoo"), 2, 2); code >= 0)
        return code;
    const QString configPath = p.positionalArguments().at(0);
    const QString file = p.positionalArguments().at(1);
    auto config = importPromptfooConfig(configPath);
    if (!config) {
        // An unreadable config is bad input (exit 2), like a malformed one.
        Error e = config.error();
        if (e.code == ErrorCode::Io)
            e.code = ErrorCode::InvalidArgument;
        return report(e);
    }
    auto project = p.isSet(QStringLiteral("create")) && !QFileInfo::exists(file)
        ? Project::create(file)
        : Project::open(file);
    if (!project)
        return report(project.error());
    const QString datasetName = p.isSet(QStringLiteral("dataset"))
        ? p.value(QStringLiteral("dataset"))
        : QFileInfo(configPath).completeBaseName();
    auto imported = importPromptfooIntoProject(project->db(), *config, datasetName);
    if (!imported)
        return report(imported.error());

    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json prompts = nlohmann::json::array();
        for (const auto &i : imported->prompts)
            prompts.push_back(
                {{"name", sstr(i.name)}, {"version", i.version}, {"created", i.created}});
        nlohmann::json models = nlohmann::json::array();
        for (const auto &i : imported->models)
            models.push_back({{"name", sstr(i.name)}, {"created", i.created}});
        nlohmann::json unmapped = nlohmann::json::array();
        for (const QString &u : imported->unmapped)
            unmapped.push_back(sstr(u));
        outJson({{"prompts", prompts},
                 {"models", models},
                 {"dataset", sstr(imported->datasetName)},
                 {"cases_added", imported->casesAdded},
                 {"cases_skipped", imported->casesSkipped},
                 {"dataset_assertions", imported->datasetAssertions},
                 {"case_assertions", imported->caseAssertions},
                 {"unmapped", unmapped}});
        return Ok;
    }
    QString text;
    for (const auto &i : imported->prompts)
        text += QStringLiteral("Prompt %1@%2%3\n")
                    .arg(i.name)
                    .arg(i.version)
                    .arg(i.created ? QString() : QStringLiteral(" (unchanged)"));
    for (const auto &i : imported->models)
        text += QStringLiteral("Model %1%2\n")
                    .arg(i.name, i.created ? QString() : QStringLiteral(" (already there)"));
    text += QStringLiteral("Dataset \"%1\": %2 cases added, %3 duplicates skipped, %4 dataset and "
                           "%5 case assertions\n")
                .arg(imported->datasetName)
                .arg(imported->casesAdded)
                .arg(imported->casesSkipped)
                .arg(imported->datasetAssertions)
                .arg(imported->caseAssertions);
    if (!imported->unmapped.isEmpty()) {
        text += QStringLiteral("\nNot imported (%1):\n").arg(imported->unmapped.size());
        for (const QString &u : imported->unmapped)
            text += QStringLiteral("  - ") + u + QLatin1Char('\n');
    }
    out(text);
    return Ok;
}

} // namespace ts::cli
