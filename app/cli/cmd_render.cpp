#include "cli.h"

#include "common/json.h"
#include "runs/promptrenderer.h"
#include "snippets/snippetstore.h"
#include "storage/project.h"
#include "template/mustache.h"

namespace ts::cli {

int runRender(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Render a Mustache template. The result goes to stdout; a template or data error goes to "
        "stderr as LINE:COLUMN: message, with exit code 2. With --project, {{> NAME}} takes the "
        "latest version of the project's snippet NAME, and a missing snippet is an error."));
    const QCommandLineOption templateOpt(QStringLiteral("template"),
                                         QStringLiteral("Template file, or - for stdin."),
                                         QStringLiteral("PATH"));
    const QCommandLineOption dataOpt(QStringLiteral("data"),
                                     QStringLiteral("JSON data file, or - for stdin."),
                                     QStringLiteral("JSON_PATH"));
    const QCommandLineOption partialOpt(QStringLiteral("partial"),
                                        QStringLiteral("A partial for {{> NAME}} (repeatable)."),
                                        QStringLiteral("NAME=PATH"));
    const QCommandLineOption escapeOpt(QStringLiteral("escape"),
                                       QStringLiteral("none (default, for prompts) or html."),
                                       QStringLiteral("MODE"), QStringLiteral("none"));
    const QCommandLineOption projectOpt(
        QStringLiteral("project"),
        QStringLiteral("Resolve {{> NAME}} with this project's snippets (--partial overrides)."),
        QStringLiteral("FILE"));
    parser.addOptions({templateOpt, dataOpt, partialOpt, escapeOpt, projectOpt});
    if (int code = parseOrExit(parser, args, QStringLiteral("render"), 0, 0); code >= 0)
        return code;

    if (!parser.isSet(templateOpt))
        return usageError(QStringLiteral("--template is required"), QStringLiteral("render"));
    const QString escape = parser.value(escapeOpt);
    if (escape != QLatin1String("none") && escape != QLatin1String("html"))
        return usageError(QStringLiteral("--escape must be none or html, not \"%1\"").arg(escape),
                          QStringLiteral("render"));
    if (parser.value(templateOpt) == QLatin1String("-") && parser.value(dataOpt) == QLatin1String("-"))
        return usageError(QStringLiteral("--template and --data cannot both read stdin"),
                          QStringLiteral("render"));

    auto source = readInput(parser.value(templateOpt));
    if (!source)
        return report(source.error());
    nlohmann::json data = nlohmann::json::object();
    if (parser.isSet(dataOpt)) {
        auto bytes = readInput(parser.value(dataOpt));
        if (!bytes)
            return report(bytes.error());
        try {
            data = nlohmann::json::parse(bytes->constData(), bytes->constData() + bytes->size());
        } catch (const nlohmann::json::parse_error &e) {
            // nlohmann reports a byte offset; turn it into line:column for the person.
            const qsizetype offset = qsizetype(e.byte) > 0 ? qsizetype(e.byte) - 1 : 0;
            const QByteArray before = bytes->left(offset);
            const qsizetype line = before.count('\n') + 1;
            const qsizetype column = QString::fromUtf8(before.mid(before.lastIndexOf('\n') + 1)).size() + 1;
            err(QStringLiteral("%1:%2:%3: invalid JSON data: %4\n")
                    .arg(parser.value(dataOpt))
                    .arg(line)
                    .arg(column)
                    .arg(QString::fromUtf8(e.what())));
            return BadUsage;
        }
    }
    PartialMap partials;
    if (parser.isSet(projectOpt)) {
        auto project = Project::open(parser.value(projectOpt));
        if (!project)
            return report(project.error());
        auto texts = SnippetStore(project->db()).latestTexts();
        if (!texts)
            return report(texts.error());
        partials = *texts;
    }
    for (const QString &spec : parser.values(partialOpt)) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return usageError(QStringLiteral("--partial \"%1\" is not NAME=PATH").arg(spec),
                              QStringLiteral("render"));
        auto text = readInput(spec.mid(eq + 1));
        if (!text)
            return report(text.error());
        partials.insert(spec.left(eq), QString::fromUtf8(*text));
    }

    const QString templatePath = parser.value(templateOpt);
    auto parsed = MustacheTemplate::parse(QString::fromUtf8(*source));
    if (!parsed) {
        err(templatePath + QLatin1Char(':') + parsed.error().toString() + QLatin1Char('\n'));
        return BadUsage;
    }
    RenderOptions options;
    options.escapeHtml = escape == QLatin1String("html");
    options.strictPartials = parser.isSet(projectOpt);
    options.keepLineAfterPartial = parser.isSet(projectOpt);
    auto rendered = parsed->renderChecked(data, partials, options);
    if (!rendered) {
        err(templatePath + QLatin1Char(':') + snippetError(rendered.error()).toString() + QLatin1Char('\n'));
        return BadUsage;
    }
    out(*rendered);
    return Ok;
}

} // namespace ts::cli
