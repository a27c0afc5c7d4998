#pragma once

#include "common/modelparameters.h"

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

    nlohmann::json messagesJson() const;
    static QList<PromptMessage> messagesFromJson(const nlohmann::json &json);
    nlohmann::json toJson() const;
    static PromptContent fromJson(const nlohmann::json &json);

    /// SHA-256 over a canonical JSON form: identical content gives an identical hash.
    QString contentHash() const;
    bool operator==(const PromptContent &) const = default;
};

/// Roles a message may have.
bool isValidRole(const QString &role);

} // namespace ts
