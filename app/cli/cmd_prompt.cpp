#include "cli.h"

#include "common/json.h"
#include "prompts/promptdiff.h"
#include "prompts/promptstore.h"
#include "storage/project.h"
#include "template/mustache.h"

#include <QFileInfo>

namespace ts::cli {

namespace {

const QString helpName = QStringLiteral("prompt");

Result<Project> openProject(const QString &file)
{
    return Project::open(file);
}

bool jsonWanted(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("json"));
}

QString labelSuffix(const QStringList &labels)
{
    return labels.isEmpty() ? QString() : QStringLiteral("  [") + labels.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// Messages from --system / --message ROLE=TEXT / --user, in that order, or from --file.
Result<PromptContent> contentFromOptions(const QCommandLineParser &p)
{
    PromptContent content;
    if (p.isSet(QStringLiteral("file"))) {
        auto bytes = readInput(p.value(QStringLiteral("file")));
        if (!bytes)
            return fail(bytes.error());
        auto json = parseJson(bytes->toStdString());
        if (!json)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1 is not valid JSON").arg(p.value(QStringLiteral("file"))));
        // Either a list of {role, template|content} or a whole version object.
        if (json->is_array()) {
            for (const auto &m : *json)
                content.messages.append({jsonString(m, "role", QStringLiteral("user")),
                                         jsonString(m, "template", jsonString(m, "content"))});
        } else {
            content = PromptContent::fromJson(*json);
        }
    }
    if (p.isSet(QStringLiteral("system")))
        content.messages.prepend({QStringLiteral("system"), p.value(QStringLiteral("system"))});
    for (const QString &spec : p.values(QStringLiteral("message"))) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("--message \"%1\" is not ROLE=TEXT").arg(spec));
        content.messages.append({spec.left(eq), spec.mid(eq + 1)});
    }
    if (p.isSet(QStringLiteral("user")))
        content.messages.append({QStringLiteral("user"), p.value(QStringLiteral("user"))});

    auto params = parseKeyValues(p.values(QStringLiteral("param")), QStringLiteral("--param"));
    if (!params)
        return fail(params.error());
    if (!params->empty()) {
        for (auto it = params->begin(); it != params->end(); ++it) {
            static const QStringList known = {QStringLiteral("temperature"), QStringLiteral("max_tokens"),
                                              QStringLiteral("top_p"), QStringLiteral("seed"),
                                              QStringLiteral("stop")};
            if (!known.contains(QString::fromStdString(it.key())))
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("Unknown parameter \"%1\" (known: %2)")
                                .arg(QString::fromStdString(it.key()), known.join(QStringLiteral(", "))));
        }
        nlohmann::json merged = content.params.toJson();
        merged.update(*params);
        content.params = ModelParameters::fromJson(merged);
    }
    if (p.isSet(QStringLiteral("schema"))) {
        auto bytes = readInput(p.value(QStringLiteral("schema")));
        if (!bytes)
            return fail(bytes.error());
        auto schema = parseJson(bytes->toStdString());
        if (!schema || !schema->is_object())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1 is not a JSON object (a JSON Schema)")
                            .arg(p.value(QStringLiteral("schema"))));
        content.responseSchema = *schema;
    }
    // A template that does not parse is refused with where it breaks.
    for (qsizetype i = 0; i < content.messages.size(); ++i) {
        auto parsed = MustacheTemplate::parse(content.messages[i].text);
        if (!parsed)
            return fail(ErrorCode::Template, QStringLiteral("message %1 (%2): %3")
                                                 .arg(i + 1)
                                                 .arg(content.messages[i].role, parsed.error().toString()));
    }
    return content;
}

int add(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Save a new version of a prompt, creating the prompt if needed. Messages come from "
        "--system, --message ROLE=TEXT (repeatable, in order) and --user, or from --file. "
        "Saving content identical to the latest version creates nothing."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Prompt name."));
    p.addOptions({
        {QStringLiteral("system"), QStringLiteral("System message template."), QStringLiteral("TEXT")},
        {QStringLiteral("message"), QStringLiteral("A message, e.g. assistant=Sure."), QStringLiteral("ROLE=TEXT")},
        {QStringLiteral("user"), QStringLiteral("User message template (last)."), QStringLiteral("TEXT")},
        {QStringLiteral("file"), QStringLiteral("JSON: [{role, template}] or a version object from 'prompt show --json'."), QStringLiteral("PATH")},
        {QStringLiteral("param"), QStringLiteral("temperature, max_tokens, top_p, seed or stop (repeatable)."), QStringLiteral("NAME=VALUE")},
        {QStringLiteral("schema"), QStringLiteral("Response JSON Schema file."), QStringLiteral("PATH")},
        {QStringLiteral("note"), QStringLiteral("What changed and why."), QStringLiteral("TEXT")},
        {QStringLiteral("description"), QStringLiteral("Description for a new prompt."), QStringLiteral("TEXT")},
        {QStringLiteral("author"), QStringLiteral("Author (default: $TOUCHSTONE_AUTHOR or your login)."), QStringLiteral("NAME")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("prompt add"), 2, 2); code >= 0)
        return code;
    const QString file = p.positionalArguments().at(0);
    const QString name = p.positionalArguments().at(1);
    auto content = contentFromOptions(p);
    if (!content)
        return report(content.error());
    if (content->messages.isEmpty())
        return usageError(QStringLiteral("give at least one message (--system, --user, --message or --file)"),
                          QStringLiteral("prompt add"));
    auto project = openProject(file);
    if (!project)
        return report(project.error());
    PromptStore store(project->db());
    auto info = store.prompt(name);
    if (!info && info.error().code == ErrorCode::NotFound)
        info = store.createPrompt(name, p.value(QStringLiteral("description")));
    if (!info)
        return report(info.error());
    const QString author = p.isSet(QStringLiteral("author")) ? p.value(QStringLiteral("author")) : currentAuthor();
    auto saved = store.saveVersion(info->id, *content, p.value(QStringLiteral("note")), author);
    if (!saved)
        return report(saved.error());
    if (jsonWanted(p)) {
        nlohmann::json json = versionToJson(saved->version);
        json["created"] = saved->created;
        outJson(json);
    } else if (saved->created) {
        out(QStringLiteral("Saved %1@%2\n").arg(name).arg(saved->version.number));
    } else {
        out(QStringLiteral("No change: %1@%2 already has this content\n").arg(name).arg(saved->version.number));
    }
    return Ok;
}

int list(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("List the prompts of a project."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOption({QStringLiteral("search"), QStringLiteral("Only names or descriptions containing TEXT."), QStringLiteral("TEXT")});
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("prompt list"), 1, 1); code >= 0)
        return code;
    auto project = openProject(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    PromptStore store(project->db());
    auto prompts = store.listPrompts(p.value(QStringLiteral("search")));
    if (!prompts)
        return report(prompts.error());
    if (jsonWanted(p)) {
        nlohmann::json list = nlohmann::json::array();
        for (const PromptInfo &i : *prompts) {
            nlohmann::json labels = nlohmann::json::array();
            for (const QString &l : i.labels)
                labels.push_back(sstr(l));
            list.push_back({{"name", sstr(i.name)}, {"description", sstr(i.description)},
                            {"versions", i.versionCount}, {"latest_version", i.latestVersion},
                            {"labels", labels}, {"updated_at", sstr(i.updatedAt)}});
        }
        outJson(list);
        return Ok;
    }
    if (prompts->isEmpty()) {
        out(QStringLiteral("No prompts yet. Add one with 'touchstone-cli prompt add FILE NAME --user TEXT'.\n"));
        return Ok;
    }
    for (const PromptInfo &i : *prompts)
        out(QStringLiteral("%1  v%2  (%3 version%4)%5\n")
                .arg(i.name)
                .arg(i.latestVersion)
                .arg(i.versionCount)
                .arg(i.versionCount == 1 ? QString() : QStringLiteral("s"))
                .arg(labelSuffix(i.labels)));
    return Ok;
}

int show(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Show one version of a prompt (default: the latest)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME[@VERSION|@LABEL]"), QStringLiteral("Which version."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("prompt show"), 2, 2); code >= 0)
        return code;
    auto project = openProject(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    PromptStore store(project->db());
    auto v = store.resolve(p.positionalArguments().at(1));
    if (!v)
        return report(v.error());
    if (jsonWanted(p)) {
        outJson(versionToJson(*v));
        return Ok;
    }
    QString text = QStringLiteral("%1@%2%3\n").arg(v->promptName).arg(v->number).arg(labelSuffix(v->labels));
    text += QStringLiteral("by %1 at %2").arg(v->author, v->createdAt);
    if (v->parentNumber)
        text += QStringLiteral(", parent v%1").arg(*v->parentNumber);
    text += QLatin1Char('\n');
    if (!v->note.isEmpty())
        text += QStringLiteral("note: ") + v->note + QLatin1Char('\n');
    const QString params = QString::fromStdString(v->content.params.toJson().dump());
    if (params != QLatin1String("{}"))
        text += QStringLiteral("parameters: ") + params + QLatin1Char('\n');
    for (const PromptMessage &m : v->content.messages)
        text += QStringLiteral("\n[") + m.role + QStringLiteral("]\n") + m.text + QLatin1Char('\n');
    if (v->content.responseSchema)
        text += QStringLiteral("\n[response schema]\n") + QString::fromStdString(v->content.responseSchema->dump(2)) + QLatin1Char('\n');
    out(text);
    return Ok;
}

int history(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("List the versions of a prompt, newest first, and label moves."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Prompt name."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("prompt history"), 2, 2); code >= 0)
        return code;
    auto project = openProject(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    PromptStore store(project->db());
    auto info = store.prompt(p.positionalArguments().at(1));
    if (!info)
        return report(info.error());
    auto versions = store.versions(info->id);
    if (!versions)
        return report(versions.error());
    auto moves = store.labelHistory(info->id);
    if (!moves)
        return report(moves.error());
    if (jsonWanted(p)) {
        nlohmann::json list = nlohmann::json::array();
        for (const PromptVersion &v : *versions) {
            nlohmann::json j = versionToJson(v);
            j.erase("messages");
            list.push_back(j);
        }
        nlohmann::json labelMoves = nlohmann::json::array();
        for (const LabelMove &m : *moves)
            labelMoves.push_back({{"label", sstr(m.label)},
                                  {"from", m.fromVersion ? nlohmann::json(*m.fromVersion) : nlohmann::json()},
                                  {"to", m.toVersion ? nlohmann::json(*m.toVersion) : nlohmann::json()},
                                  {"author", sstr(m.author)}, {"moved_at", sstr(m.movedAt)}});
        outJson({{"prompt", sstr(info->name)}, {"versions", list}, {"label_moves", labelMoves}});
        return Ok;
    }
    QString text;
    for (const PromptVersion &v : *versions)
        text += QStringLiteral("v%1  %2  %3  %4%5\n")
                    .arg(v.number)
                    .arg(v.createdAt, v.author, v.note.isEmpty() ? QStringLiteral("-") : v.note)
                    .arg(labelSuffix(v.labels));
    if (!moves->isEmpty()) {
        text += QStringLiteral("\nLabel moves:\n");
        for (const LabelMove &m : *moves)
            text += QStringLiteral("  %1: %2 -> %3  by %4 at %5\n")
                        .arg(m.label,
                             m.fromVersion ? QStringLiteral("v%1").arg(*m.fromVersion) : QStringLiteral("(none)"),
                             m.toVersion ? QStringLiteral("v%1").arg(*m.toVersion) : QStringLiteral("(removed)"),
                             m.author, m.movedAt);
    }
    out(text);
    return Ok;
}

int diff(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Show what changed between two versions as a unified diff: per message, parameters and "
        "response schema. Versions are NAME@VERSION or NAME@LABEL; 'prompt diff FILE NAME 2 5' "
        "also works. Exit code 0 either way."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("FROM"), QStringLiteral("NAME@VERSION|@LABEL"));
    p.addPositionalArgument(QStringLiteral("TO"), QStringLiteral("NAME@VERSION|@LABEL (default: latest)"));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("prompt diff"), 2, 4); code >= 0)
        return code;
    QStringList refs = p.positionalArguments().mid(1);
    if (refs.size() == 3) // NAME A B
        refs = {refs[0] + QLatin1Char('@') + refs[1], refs[0] + QLatin1Char('@') + refs[2]};
    if (refs.size() == 1) {
        const QString name = refs[0].section(QLatin1Char('@'), 0, 0);
        refs.append(name + QStringLiteral("@latest"));
    }
    auto project = openProject(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    PromptStore store(project->db());
    auto a = store.resolve(refs[0]);
    if (!a)
        return report(a.error());
    auto b = store.resolve(refs[1]);
    if (!b)
        return report(b.error());
    const PromptDiff d = diffVersions(*a, *b);
    if (jsonWanted(p)) {
        nlohmann::json sections = nlohmann::json::array();
        for (const DiffSection &s : d.sections) {
            nlohmann::json lines = nlohmann::json::array();
            for (const DiffLine &l : s.lines)
                lines.push_back({{"op", l.kind == DiffLine::Kind::Added ? "+" : l.kind == DiffLine::Kind::Removed ? "-" : " "},
                                 {"text", sstr(l.text)}, {"old_line", l.oldLine}, {"new_line", l.newLine}});
            sections.push_back({{"title", sstr(s.title)}, {"changed", s.changed()}, {"lines", lines}});
        }
        outJson({{"from", sstr(d.fromName)}, {"to", sstr(d.toName)}, {"changed", d.hasChanges()},
                 {"sections", sections}, {"unified", sstr(d.unified())}});
        return Ok;
    }
    out(d.hasChanges() ? d.unified() : QStringLiteral("No differences between %1 and %2\n").arg(d.fromName, d.toName));
    return Ok;
}

int label(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Point a label (production, staging, any name) at a version, moving it if it exists. "
        "The move is recorded in the history."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME@VERSION"), QStringLiteral("The version to label."));
    p.addPositionalArgument(QStringLiteral("LABEL"), QStringLiteral("Label name."));
    p.addOption({QStringLiteral("remove"), QStringLiteral("Remove LABEL instead (NAME alone is enough).")});
    p.addOption({QStringLiteral("author"), QStringLiteral("Who moved it."), QStringLiteral("NAME")});
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("prompt label"), 3, 3); code >= 0)
        return code;
    auto project = openProject(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    PromptStore store(project->db());
    const QString ref = p.positionalArguments().at(1);
    const QString labelName = p.positionalArguments().at(2);
    const QString author = p.isSet(QStringLiteral("author")) ? p.value(QStringLiteral("author")) : currentAuthor();
    if (p.isSet(QStringLiteral("remove"))) {
        auto info = store.prompt(ref.section(QLatin1Char('@'), 0, 0));
        if (!info)
            return report(info.error());
        if (auto ok = store.removeLabel(info->id, labelName, author); !ok)
            return report(ok.error());
        if (jsonWanted(p))
            outJson({{"prompt", sstr(info->name)}, {"label", sstr(labelName)}, {"version", nullptr}});
        else
            out(QStringLiteral("Removed label %1 from %2\n").arg(labelName, info->name));
        return Ok;
    }
    if (!ref.contains(QLatin1Char('@')))
        return usageError(QStringLiteral("say which version: NAME@VERSION"), QStringLiteral("prompt label"));
    auto v = store.resolve(ref);
    if (!v)
        return report(v.error());
    if (auto ok = store.setLabel(v->promptId, labelName, v->number, author); !ok)
        return report(ok.error());
    if (jsonWanted(p))
        outJson({{"prompt", sstr(v->promptName)}, {"label", sstr(labelName)}, {"version", v->number}});
    else
        out(QStringLiteral("%1@%2 is now %3\n").arg(v->promptName).arg(v->number).arg(labelName));
    return Ok;
}

int restore(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Restore an old version: saves its content as a new version whose parent is the current one."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME@VERSION"), QStringLiteral("The version to restore."));
    p.addOption({QStringLiteral("author"), QStringLiteral("Who restored it."), QStringLiteral("NAME")});
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("prompt restore"), 2, 2); code >= 0)
        return code;
    auto project = openProject(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    PromptStore store(project->db());
    auto old = store.resolve(p.positionalArguments().at(1));
    if (!old)
        return report(old.error());
    const QString author = p.isSet(QStringLiteral("author")) ? p.value(QStringLiteral("author")) : currentAuthor();
    auto restored = store.restore(old->promptId, old->number, author);
    if (!restored)
        return report(restored.error());
    if (jsonWanted(p))
        outJson(versionToJson(*restored));
    else
        out(QStringLiteral("Restored %1@%2 as %1@%3\n").arg(old->promptName).arg(old->number).arg(restored->number));
    return Ok;
}

} // namespace

int runPrompt(const QStringList &args)
{
    struct Sub { const char *name; int (*run)(const QStringList &); const char *summary; };
    static const Sub subs[] = {
        {"add", &add, "Save a new version (creates the prompt if needed)"},
        {"list", &list, "List prompts"},
        {"show", &show, "Show a version: NAME[@VERSION|@LABEL]"},
        {"history", &history, "List versions and label moves"},
        {"diff", &diff, "Unified diff between two versions"},
        {"label", &label, "Set, move or remove a label"},
        {"restore", &restore, "Restore an old version as a new one"},
    };
    const QString sub = args.value(1);
    for (const Sub &s : subs)
        if (sub == QLatin1String(s.name))
            return s.run(QStringList{QStringLiteral("prompt ") + sub} + args.mid(2));
    QString help = QStringLiteral("Usage: touchstone-cli prompt SUBCOMMAND FILE ...\n\nSubcommands:\n");
    for (const Sub &s : subs)
        help += QStringLiteral("  %1%2\n").arg(QLatin1String(s.name), -9).arg(QLatin1String(s.summary));
    help += QStringLiteral("\nRun 'touchstone-cli prompt SUBCOMMAND --help' for its options.\n");
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out(help);
        return sub.isEmpty() ? BadUsage : Ok;
    }
    err(QStringLiteral("touchstone-cli: unknown prompt subcommand \"%1\"\n\n").arg(sub) + help);
    return BadUsage;
}

} // namespace ts::cli
