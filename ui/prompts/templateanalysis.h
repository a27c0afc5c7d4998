#pragma once

#include "prompts/promptcontent.h"
#include "template/mustache.h"

#include <QList>

#include <optional>

namespace ts {

/// One message as it will be sent: role and rendered text, or why it could not be rendered.
struct RenderedMessage
{
    QString role;
    QString text;
    std::optional<TemplateError> error;
};

/// Parses every message of a prompt once: per-message errors, the union of the variables all
/// messages read, and rendering against variable values.
class TemplateAnalysis final
{
public:
    /// `snippets` are what {{> name}} includes: their variables count, and a name missing
    /// from them is an error at its tag when rendering (never an empty string).
    static TemplateAnalysis analyze(const QList<PromptMessage> &messages,
                                    const PartialMap &snippets = {});

    /// One entry per message; nullopt where the template parses.
    const QList<std::optional<TemplateError>> &errors() const { return m_errors; }
    /// The first error of any message with its 0-based message index, or -1.
    int firstErrorMessage() const;
    /// Variables of all messages merged by name, in order of first use.
    const QList<TemplateVariable> &variables() const { return m_variables; }
    QList<RenderedMessage> render(const nlohmann::json &values) const;

    /// A starting value for an input: "" for a value, a list with one example object for a
    /// section, false for an inverted section.
    static nlohmann::json defaultValue(const TemplateVariable &variable);
    /// Whether the variable takes structured JSON (sections, dotted names) rather than text.
    static bool needsJson(const TemplateVariable &variable);

private:
    QList<PromptMessage> m_messages;
    QList<MustacheTemplate> m_templates;
    QList<std::optional<TemplateError>> m_errors;
    PartialMap m_snippets;
    QList<TemplateVariable> m_variables;
};

} // namespace ts
