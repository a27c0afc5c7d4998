#pragma once

#include "common/modelparameters.h"

#include <QHash>
#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

/// One chat message of a prompt: a role (system, user, assistant) and a Mustache template.
struct PromptMessage
{
    QString role;
    QString text;
    bool operator==(const PromptMessage &) const = default;
};

/// Everything a prompt version fixes: what is hashed and compared when saving.
struct PromptContent
{
    QList<PromptMessage> messages;
    ModelParameters params;
    std::optional<nlohmann::json> responseSchema;
    std::optional<nlohmann::json> tools;
    /// The snippet sources this content renders with ({{> name}} -> text; the same type as
    /// ts::PartialMap). A version read from the store carries the snippet versions it was saved
    /// with; the editor fills in the latest ones. Not part of equality (which compares what the
    /// author wrote) but part of the hash, so new snippet text makes a new version.
    QHash<QString, QString> snippets;

    nlohmann::json messagesJson() const;
    static QList<PromptMessage> messagesFromJson(const nlohmann::json &json);
    nlohmann::json toJson() const;
    static PromptContent fromJson(const nlohmann::json &json);

    /// SHA-256 over a canonical JSON form: identical content gives an identical hash. With
    /// snippets, their names and texts are hashed too.
    QString contentHash() const;
    /// Messages, parameters, schema and tools; snippets are left out.
    bool operator==(const PromptContent &other) const;
    /// A snippet's content: one message of role "snippet" holding its text.
    static PromptContent snippet(const QString &text);
    /// The text of a snippet's content ("" when it is not one).
    QString snippetText() const;
};

/// Roles a message may have.
bool isValidRole(const QString &role);

/// The role of the single message that holds a snippet's text.
inline constexpr auto snippetRole = "snippet";

} // namespace ts
