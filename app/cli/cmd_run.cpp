#include "cli.h"
#include "clirunner.h"

#include "common/json.h"
#include "models/modelstore.h"
#include "net/networkclient.h"
#include "prompts/promptstore.h"
#include "runs/generationwriter.h"
#include "runs/promptrenderer.h"
#include "runs/runengine.h"
#include "storage/project.h"

#include <QEventLoop>

namespace ts::cli {

int runRun(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Run a saved prompt version on one or more models and store every generation in the "
        "project (it appears in the version's history in the app). Prints one JSON line per "
        "generation with --json, else the outputs."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("prompt"), QStringLiteral("NAME[@VERSION|@LABEL]"), QStringLiteral("REF")},
        {QStringLiteral("model"), QStringLiteral("Configured model name (repeatable)."), QStringLiteral("NAME")},
        {QStringLiteral("var"), QStringLiteral("Template variable (repeatable; JSON values allowed)."), QStringLiteral("K=V")},
        {QStringLiteral("vars"), QStringLiteral("JSON file with all variables."), QStringLiteral("PATH")},
        {QStringLiteral("samples"), QStringLiteral("Samples per model (default 1)."), QStringLiteral("N"), QStringLiteral("1")},
        {QStringLiteral("no-cache"), QStringLiteral("Always ask the model, never the response cache.")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("run"), 1, 1); code >= 0)
        return code;
    if (!p.isSet(QStringLiteral("prompt")) || !p.isSet(QStringLiteral("model")))
        return usageError(QStringLiteral("--prompt and --model are required"), QStringLiteral("run"));
    bool ok = false;
    const int samples = p.value(QStringLiteral("samples")).toInt(&ok);
    if (!ok || samples < 1 || samples > 1000)
        return usageError(QStringLiteral("--samples must be between 1 and 1000"), QStringLiteral("run"));

    nlohmann::json vars = nlohmann::json::object();
    if (p.isSet(QStringLiteral("vars"))) {
        auto bytes = readInput(p.value(QStringLiteral("vars")));
        if (!bytes)
            return report(bytes.error());
        auto parsed = parseJson(bytes->toStdString());
        if (!parsed || !parsed->is_object())
            return report(Error{ErrorCode::InvalidArgument,
                                QStringLiteral("%1 must hold a JSON object").arg(p.value(QStringLiteral("vars")))});
        vars = *parsed;
    }
    auto extra = parseKeyValues(p.values(QStringLiteral("var")), QStringLiteral("--var"));
    if (!extra)
        return report(extra.error());
    vars.update(*extra);

    const QString file = p.positionalArguments().at(0);
    auto project = Project::open(file);
    if (!project)
        return report(project.error());
    PromptStore prompts(project->db());
    auto version = prompts.resolve(p.value(QStringLiteral("prompt")));
    if (!version)
        return report(version.error());
    auto messages = renderPrompt(version->content, vars);
    if (!messages)
        return report(messages.error());
    QList<ModelConfig> models;
    ModelStore modelStore(project->db());
    for (const QString &name : p.values(QStringLiteral("model"))) {
        auto m = modelStore.find(name);
        if (!m)
            return report(m.error());
        models.append(*m);
    }

    NetworkClient network;
    GenerationWriter writer(file);
    RunEngine engine(&writer, &network);
    QList<GenerationSpec> specs;
    QList<qint64> runIds;
    for (const ModelConfig &m : models) {
        RunRecord run;
        run.kind = QStringLiteral("playground");
        run.promptVersionId = version->id;
        run.modelId = m.id;
        run.modelSnapshot = m.toJson();
        run.samples = samples;
        run.params = effectiveParams(m.params, version->content).toJson();
        QEventLoop loop;
        Result<qint64> runId = 0;
        writer.createRun(run, &loop, [&](Result<qint64> id) {
            runId = id;
            loop.quit();
        });
        loop.exec();
        if (!runId)
            return report(runId.error());
        runIds.append(*runId);
        for (int s = 0; s < samples; ++s) {
            GenerationSpec spec;
            spec.model = m;
            spec.messages = *messages;
            spec.params = effectiveParams(m.params, version->content);
            spec.runId = *runId;
            spec.sampleIndex = s;
            spec.variables = vars;
            spec.useCache = !p.isSet(QStringLiteral("no-cache"));
            specs.append(spec);
        }
    }
    const QList<Generation> results = runJobs(engine, specs, !p.isSet(QStringLiteral("json")) && specs.size() > 1);
    int failures = 0;
    for (qsizetype i = 0; i < results.size(); ++i) {
        const Generation &g = results[i];
        failures += g.ok() ? 0 : 1;
        if (p.isSet(QStringLiteral("json"))) {
            nlohmann::json line = completionJson(g);
            line["model"] = sstr(specs[i].model.name);
            line["sample_index"] = g.sampleIndex;
            line["run_id"] = g.runId;
            line["prompt"] = sstr(version->promptName);
            line["version"] = version->number;
            out(QString::fromStdString(line.dump()) + QLatin1Char('\n'));
        } else {
            out(QStringLiteral("== %1 (sample %2)%3 ==\n%4\n")
                    .arg(specs[i].model.name)
                    .arg(g.sampleIndex)
                    .arg(g.cacheHit ? QStringLiteral(", cached") : QString())
                    .arg(g.ok() ? g.output : QStringLiteral("error: ") + (g.error ? g.error->message : QString())));
        }
    }
    QHash<qint64, bool> runFailed;
    for (const Generation &g : results)
        runFailed[g.runId] = runFailed.value(g.runId) || !g.ok();
    for (qint64 id : runIds)
        writer.finishRun(id, runFailed.value(id) ? QStringLiteral("failed") : QStringLiteral("completed"));
    QEventLoop loop;
    Result<void> flushed;
    writer.flush(&loop, [&](Result<void> r) {
        flushed = r;
        loop.quit();
    });
    loop.exec();
    if (!flushed)
        return report(flushed.error());
    return failures ? Failure : Ok;
}

} // namespace ts::cli
