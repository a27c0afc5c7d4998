#include "prompts/templateanalysis.h"

#include "common/json.h"
#include "runs/promptrenderer.h"

namespace ts {

namespace {

int kindRank(TemplateVariable::Kind kind)
{
    switch (kind) {
    case TemplateVariable::Kind::Section: return 2;
    case TemplateVariable::Kind::Value: return 1;
    case TemplateVariable::Kind::InvertedSection: return 0;
    }
    return 0;
}

void mergeInto(QList<TemplateVariable> &into, const QList<TemplateVariable> &more)
{
    for (const TemplateVariable &v : more) {
        auto it = std::find_if(into.begin(), into.end(),
                               [&](const TemplateVariable &x) { return x.name == v.name; });
        if (it == into.end()) {
            into.append(v);
            continue;
        }
        if (kindRank(v.kind) > kindRank(it->kind))
            it->kind = v.kind;
        for (const QString &p : v.paths)
            if (!it->paths.contains(p))
                it->paths.append(p);
        mergeInto(it->children, v.children);
    }
}

} // namespace

TemplateAnalysis TemplateAnalysis::analyze(const QList<PromptMessage> &messages,
                                           const PartialMap &snippets)
{
    TemplateAnalysis a;
    a.m_messages = messages;
    a.m_snippets = snippets;
    for (const PromptMessage &m : messages) {
        auto parsed = MustacheTemplate::parse(m.text);
        if (parsed) {
            mergeInto(a.m_variables, parsed->variables(snippets));
            a.m_templates.append(*parsed);
            a.m_errors.append(std::nullopt);
        } else {
            a.m_templates.append(MustacheTemplate());
            a.m_errors.append(parsed.error());
        }
    }
    return a;
}

int TemplateAnalysis::firstErrorMessage() const
{
    for (int i = 0; i < m_errors.size(); ++i)
        if (m_errors[i])
            return i;
    return -1;
}

QList<RenderedMessage> TemplateAnalysis::render(const nlohmann::json &values) const
{
    QList<RenderedMessage> out;
    for (int i = 0; i < m_messages.size(); ++i) {
        RenderedMessage r;
        r.role = m_messages[i].role;
        if (m_errors[i]) {
            r.error = m_errors[i];
        } else {
            RenderOptions options;
            options.strictPartials = true;
            options.keepLineAfterPartial = true;
            auto text = m_templates[i].renderChecked(values, m_snippets, options);
            if (text)
                r.text = *text;
            else
                r.error = snippetError(text.error());
        }
        out.append(r);
    }
    return out;
}

bool TemplateAnalysis::needsJson(const TemplateVariable &variable)
{
    if (variable.kind != TemplateVariable::Kind::Value)
        return true;
    return std::any_of(variable.paths.begin(), variable.paths.end(),
                       [](const QString &p) { return p.contains(QLatin1Char('.')); });
}

nlohmann::json TemplateAnalysis::defaultValue(const TemplateVariable &variable)
{
    switch (variable.kind) {
    case TemplateVariable::Kind::InvertedSection:
        return false;
    case TemplateVariable::Kind::Section: {
        if (variable.children.isEmpty())
            return nlohmann::json::array();
        nlohmann::json example = nlohmann::json::object();
        for (const TemplateVariable &child : variable.children)
            example[sstr(child.name)] = needsJson(child) ? defaultValue(child) : nlohmann::json("");
        return nlohmann::json::array({example});
    }
    case TemplateVariable::Kind::Value:
        break;
    }
    if (!needsJson(variable))
        return "";
    // {{person.name}}: an object with the dotted members.
    nlohmann::json object = nlohmann::json::object();
    for (const QString &path : variable.paths) {
        const QStringList parts = path.split(QLatin1Char('.'));
        nlohmann::json *at = &object;
        for (int i = 1; i < parts.size(); ++i) {
            if (!at->is_object())
                *at = nlohmann::json::object();
            at = &(*at)[sstr(parts[i])];
            if (i + 1 == parts.size() && at->is_null())
                *at = "";
        }
    }
    return object;
}

} // namespace ts
