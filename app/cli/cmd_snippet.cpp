#include "cli.h"

#include "common/json.h"
#include "snippets/snippetstore.h"
#include "storage/project.h"

namespace ts::cli {

namespace {

QString authorOf(const QCommandLineParser &p)
{
    return p.isSet(QStringLiteral("author")) ? p.value(QStringLiteral("author")) : currentAuthor();
}

QString labelSuffix(const QStringList &labels)
{
    return labels.isEmpty()
        ? QString()
        : QStringLiteral("  [") + labels.join(QStringLiteral(", ")) + QLatin1Char(']');
}

nlohmann::json snippetVersionJson(const PromptVersion &v)
{
    nlohmann::json j
        = {{"snippet", sstr(v.promptName)},
           {"version", v.number},
           {"parent_version", v.parentNumber ? nlohmann::json(*v.parentNumber) : nlohmann::json()},
           {"text", sstr(v.content.snippetText())},
           {"note", sstr(v.note)},
           {"author", sstr(v.author)},
           {"content_hash", sstr(v.contentHash)},
           {"created_at", sstr(v.createdAt)}};
    nlohmann::json labels = nlohmann::json::array();
    for (const QString &l : v.labels)
        labels.push_back(sstr(l));
    j["labels"] = labels;
    nlohmann::json uses = nlohmann::json::array();
    for (const PromptVersion::SnippetPin &pin : v.snippets)
        uses.push_back({{"name", sstr(pin.name)}, {"version", pin.version}});
    j["snippets"] = uses;
    return j;
}

nlohmann::json usersJson(const QList<PromptInfo> &users)
{
    nlohmann::json list = nlohmann::json::array();
    for (const PromptInfo &u : users)
        list.push_back({{"name", sstr(u.name)},
                        {"kind", u.kind == PromptKind::Snippet ? "snippet" : "prompt"},
                        {"latest_version", u.latestVersion}});
    return list;
}

QString usersText(const QList<PromptInfo> &users)
{
    QStringList names;
    for (const PromptInfo &u : users)
        names << QStringLiteral("%1@%2").arg(u.name).arg(u.latestVersion);
    return names.isEmpty() ? QStringLiteral("no prompt yet") : names.join(QStringLiteral(", "));
}

int add(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Save a new version of a snippet (text that prompts include with {{> NAME}}), creating "
        "it if needed. Every prompt whose latest version uses the snippet gets a new version "
        "with the new text; labels such as production stay where they are."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Snippet name."));
    p.addOptions({
        {QStringLiteral("text"), QStringLiteral("The snippet's text (a Mustache template)."),
         QStringLiteral("TEXT")},
        {QStringLiteral("file"), QStringLiteral("Read the text from a file, or - for stdin."),
         QStringLiteral("PATH")},
        {QStringLiteral("note"), QStringLiteral("What changed and why."), QStringLiteral("TEXT")},
        {QStringLiteral("description"), QStringLiteral("Description for a new snippet."),
         QStringLiteral("TEXT")},
        {QStringLiteral("author"),
         QStringLiteral("Author (default: $TOUCHSTONE_AUTHOR or your login)."),
         QStringLiteral("NAME")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("snippet add"), 2, 2); code >= 0)
        return code;
    if (p.isSet(QStringLiteral("text")) == p.isSet(QStringLiteral("file")))
        return usageError(QStringLiteral("give the text with exactly one of --text and --file"),
                          QStringLiteral("snippet add"));
    QString text = p.value(QStringLiteral("text"));
    if (p.isSet(QStringLiteral("file"))) {
        auto bytes = readInput(p.value(QStringLiteral("file")));
        if (!bytes)
            return report(bytes.error());
        text = QString::fromUtf8(*bytes);
    }
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    const QString name = p.positionalArguments().at(1);
    SnippetStore store(project->db());
    auto info = store.snippet(name);
    if (!info && info.error().code == ErrorCode::NotFound)
        info = store.create(name, p.value(QStringLiteral("description")));
    if (!info)
        return report(info.error());
    auto saved = store.save(info->id, text, p.value(QStringLiteral("note")), authorOf(p));
    if (!saved)
        return report(saved.error());
    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json j = snippetVersionJson(saved->saved.version);
        j["created"] = saved->saved.created;
        nlohmann::json updated = nlohmann::json::array();
        for (const PromptVersion &v : saved->updated)
            updated.push_back({{"name", sstr(v.promptName)}, {"version", v.number}});
        j["updated"] = updated;
        outJson(j);
        return Ok;
    }
    if (!saved->saved.created) {
        out(QStringLiteral("No change: %1@%2 already has this text\n")
                .arg(name)
                .arg(saved->saved.version.number));
        return Ok;
    }
    QString message = QStringLiteral("Saved %1@%2\n").arg(name).arg(saved->saved.version.number);
    for (const PromptVersion &v : saved->updated)
        message += QStringLiteral("Updated %1@%2 (renders with %3@%4)\n")
                       .arg(v.promptName)
                       .arg(v.number)
                       .arg(name)
                       .arg(saved->saved.version.number);
    out(message);
    return Ok;
}

int list(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("List the snippets of a project and the prompts using them."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("snippet list"), 1, 1); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    SnippetStore store(project->db());
    auto snippets = store.list();
    if (!snippets)
        return report(snippets.error());
    nlohmann::json json = nlohmann::json::array();
    QString text;
    for (const PromptInfo &s : *snippets) {
        auto users = store.dependents(s.id);
        if (!users)
            return report(users.error());
        json.push_back({{"name", sstr(s.name)},
                        {"description", sstr(s.description)},
                        {"latest_version", s.latestVersion},
                        {"used_by", usersJson(*users)}});
        text += QStringLiteral("%1  v%2  used by %3\n")
                    .arg(s.name)
                    .arg(s.latestVersion)
                    .arg(usersText(*users));
    }
    if (p.isSet(QStringLiteral("json")))
        outJson(json);
    else
        out(snippets->isEmpty() ? QStringLiteral("No snippets yet. Add one with 'touchstone-cli "
                                                 "snippet add FILE NAME --text TEXT'.\n")
                                : text);
    return Ok;
}

int show(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Show one version of a snippet (default: the latest)."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME[@VERSION|@LABEL]"),
                            QStringLiteral("Which version."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("snippet show"), 2, 2); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    SnippetStore store(project->db());
    auto v = store.resolve(p.positionalArguments().at(1));
    if (!v)
        return report(v.error());
    auto users = store.dependents(v->promptId);
    if (!users)
        return report(users.error());
    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json j = snippetVersionJson(*v);
        j["used_by"] = usersJson(*users);
        outJson(j);
        return Ok;
    }
    QString text
        = QStringLiteral("%1@%2%3\n").arg(v->promptName).arg(v->number).arg(labelSuffix(v->labels));
    text += QStringLiteral("by %1 at %2").arg(v->author, v->createdAt);
    if (v->parentNumber)
        text += QStringLiteral(", parent v%1").arg(*v->parentNumber);
    text += QLatin1Char('\n');
    if (!v->note.isEmpty())
        text += QStringLiteral("note: ") + v->note + QLatin1Char('\n');
    text += QStringLiteral("used by: ") + usersText(*users) + QLatin1Char('\n');
    text += QLatin1Char('\n') + v->content.snippetText();
    if (!text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    out(text);
    return Ok;
}

int history(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "List the versions of a snippet, newest first, with the prompt versions made from each."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Snippet name."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, QStringLiteral("snippet history"), 2, 2); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    SnippetStore store(project->db());
    auto info = store.snippet(p.positionalArguments().at(1));
    if (!info)
        return report(info.error());
    PromptStore prompts(project->db());
    auto versions = prompts.versions(info->id);
    if (!versions)
        return report(versions.error());
    auto users = store.usersByVersion(info->id);
    if (!users)
        return report(users.error());
    nlohmann::json json = nlohmann::json::array();
    QString text;
    for (const PromptVersion &v : *versions) {
        nlohmann::json j = snippetVersionJson(v);
        j.erase("text");
        nlohmann::json usedBy = nlohmann::json::array();
        QStringList names;
        for (const auto &[name, number] : users->value(v.number)) {
            usedBy.push_back({{"name", sstr(name)}, {"version", number}});
            names << QStringLiteral("%1@%2").arg(name).arg(number);
        }
        j["used_by"] = usedBy;
        json.push_back(j);
        text += QStringLiteral("v%1  %2  %3  %4%5\n")
                    .arg(v.number)
                    .arg(v.createdAt, v.author, v.note.isEmpty() ? QStringLiteral("-") : v.note)
                    .arg(labelSuffix(v.labels));
        if (!names.isEmpty())
            text += QStringLiteral("    used by ") + names.join(QStringLiteral(", "))
                + QLatin1Char('\n');
    }
    if (p.isSet(QStringLiteral("json")))
        outJson({{"snippet", sstr(info->name)}, {"versions", json}});
    else
        out(text);
    return Ok;
}

} // namespace

int runSnippet(const QStringList &args)
{
    struct Sub
    {
        const char *name;
        int (*run)(const QStringList &);
        const char *summary;
    };
    static const Sub subs[] = {
        {"add", &add, "Save a new version (creates the snippet if needed)"},
        {"list", &list, "List snippets and the prompts using them"},
        {"show", &show, "Show a version: NAME[@VERSION|@LABEL]"},
        {"history", &history, "List versions and the prompt versions using each"},
    };
    const QString sub = args.value(1);
    for (const Sub &s : subs)
        if (sub == QLatin1String(s.name))
            return s.run(QStringList {QStringLiteral("snippet ") + sub} + args.mid(2));
    QString help = QStringLiteral(
        "Usage: touchstone-cli snippet SUBCOMMAND FILE ...\n\n"
        "Snippets are shared texts a prompt includes with {{> NAME}}.\n\nSubcommands:\n");
    for (const Sub &s : subs)
        help += QStringLiteral("  %1%2\n")
                    .arg(QLatin1String(s.name), -9)
                    .arg(QLatin1String(s.summary));
    help += QStringLiteral("\nRun 'touchstone-cli snippet SUBCOMMAND --help' for its options.\n");
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out(help);
        return sub.isEmpty() ? BadUsage : Ok;
    }
    err(QStringLiteral("touchstone-cli: unknown snippet subcommand \"%1\"\n\n").arg(sub) + help);
    return BadUsage;
}

} // namespace ts::cli
