#include "runs/promptrenderer.h"

namespace ts {

TemplateError snippetError(const TemplateError &error)
{
    static const QString unknown = QStringLiteral("Unknown partial ");
    TemplateError e = error;
    if (e.message.startsWith(unknown))
        e.message = QStringLiteral("No snippet named %1").arg(e.message.mid(unknown.size()));
    return e;
}

Result<QList<ChatMessage>> renderPrompt(const PromptContent &content,
                                        const nlohmann::json &variables, const PartialMap &partials)
{
    PartialMap snippets = content.snippets;
    for (auto it = partials.cbegin(); it != partials.cend(); ++it)
        snippets.insert(it.key(), it.value());
    RenderOptions options;
    options.strictPartials = true;
    options.keepLineAfterPartial = true;
    QList<ChatMessage> messages;
    messages.reserve(content.messages.size());
    for (qsizetype i = 0; i < content.messages.size(); ++i) {
        const PromptMessage &m = content.messages[i];
        auto parsed = MustacheTemplate::parse(m.text);
        if (!parsed)
            return fail(ErrorCode::Template,
                        QStringLiteral("Message %1 (%2): %3")
                            .arg(i + 1)
                            .arg(m.role, parsed.error().toString()));
        auto rendered = parsed->renderChecked(variables, snippets, options);
        if (!rendered)
            return fail(ErrorCode::Template,
                        QStringLiteral("Message %1 (%2): %3")
                            .arg(i + 1)
                            .arg(m.role, snippetError(rendered.error()).toString()));
        messages.append(ChatMessage {m.role, *rendered});
    }
    return messages;
}

GenerationParams effectiveParams(const ModelParameters &modelDefaults, const PromptContent &content)
{
    const ModelParameters p = content.params.overriding(modelDefaults);
    GenerationParams g;
    g.temperature = p.temperature;
    g.maxTokens = p.maxTokens;
    g.topP = p.topP;
    g.seed = p.seed;
    g.stop = p.stop;
    g.responseSchema = content.responseSchema;
    return g;
}

} // namespace ts
