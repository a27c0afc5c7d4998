#include "cli.h"

#include "common/json.h"
#include "datasets/judgestore.h"
#include "models/modelstore.h"
#include "prompts/promptstore.h"
#include "storage/project.h"

namespace ts::cli {

namespace {

int add(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Add an LLM judge. Its prompt is an ordinary versioned prompt (NAME-judge, created from "
        "the default template for its kind unless --prompt names one), so rubrics get history "
        "and diffs. Kinds: pointwise (rubric, JSON verdict with reason/pass/score), pairwise "
        "(two outputs, asked in both orders), factuality (against the expected answer)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Judge name."));
    p.addOptions({
        {QStringLiteral("kind"), QStringLiteral("pointwise, pairwise or factuality."), QStringLiteral("KIND"), QStringLiteral("pointwise")},
        {QStringLiteral("model"), QStringLiteral("Configured model that judges."), QStringLiteral("NAME")},
        {QStringLiteral("rubric"), QStringLiteral("What a good answer does ({{rubric}} in the prompt)."), QStringLiteral("TEXT")},
        {QStringLiteral("prompt"), QStringLiteral("Use this saved prompt instead: NAME[@VERSION|@LABEL]."), QStringLiteral("REF")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("judge add"), 2, 2); code >= 0)
        return code;
    const auto kind = parseJudgeKind(p.value(QStringLiteral("kind")));
    if (!kind)
        return usageError(QStringLiteral("--kind must be pointwise, pairwise or factuality"), QStringLiteral("judge add"));
    if (!p.isSet(QStringLiteral("model")))
        return usageError(QStringLiteral("--model is required: which model judges"), QStringLiteral("judge add"));
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto model = ModelStore(project->db()).find(p.value(QStringLiteral("model")));
    if (!model)
        return report(model.error());
    JudgeStore judges(project->db());
    const QString name = p.positionalArguments().at(1);
    Result<JudgeConfig> added = fail(ErrorCode::Unknown, QString());
    if (p.isSet(QStringLiteral("prompt"))) {
        const QString ref = p.value(QStringLiteral("prompt"));
        auto version = PromptStore(project->db()).resolve(ref);
        if (!version)
            return report(version.error());
        JudgeConfig config;
        config.name = name;
        config.kind = *kind;
        config.promptId = version->promptId;
        config.promptRef = ref.contains(QLatin1Char('@')) ? ref.section(QLatin1Char('@'), -1) : QString();
        config.modelId = model->id;
        config.rubric = p.value(QStringLiteral("rubric"));
        added = judges.add(config);
    } else {
        added = judges.addWithDefaultPrompt(name, *kind, model->id, p.value(QStringLiteral("rubric")));
    }
    if (!added)
        return report(added.error());
    if (p.isSet(QStringLiteral("json")))
        outJson({{"id", added->id}, {"name", sstr(added->name)}, {"kind", sstr(judgeKindName(added->kind))}});
    else
        out(QStringLiteral("Added %1 judge %2 (model %3). Use it with 'touchstone-cli eval ... --judge \"%2\"'.\n")
                .arg(judgeKindName(added->kind), added->name, model->name));
    return Ok;
}

int list(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("List the judges of a project."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("judge list"), 1, 1); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto judges = JudgeStore(project->db()).list();
    if (!judges)
        return report(judges.error());
    nlohmann::json list = nlohmann::json::array();
    for (const JudgeConfig &j : *judges) {
        list.push_back({{"id", j.id}, {"name", sstr(j.name)}, {"kind", sstr(judgeKindName(j.kind))},
                        {"rubric", sstr(j.rubric)}});
        if (!p.isSet(QStringLiteral("json")))
            out(QStringLiteral("%1  %2  %3\n").arg(j.name, judgeKindName(j.kind), j.rubric.left(60)));
    }
    if (p.isSet(QStringLiteral("json")))
        outJson(list);
    return Ok;
}

} // namespace

int runJudge(const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub == QLatin1String("add"))
        return add(QStringList{QStringLiteral("judge add")} + args.mid(2));
    if (sub == QLatin1String("list"))
        return list(QStringList{QStringLiteral("judge list")} + args.mid(2));
    const QString help = QStringLiteral(
        "Usage: touchstone-cli judge SUBCOMMAND FILE ...\n\nSubcommands:\n"
        "  add   Add an LLM judge (pointwise, pairwise, factuality)\n"
        "  list  List judges\n");
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out(help);
        return Ok;
    }
    err(help);
    return BadUsage;
}

} // namespace ts::cli
