#pragma once

#include "logs/logrecord.h"
#include "prompts/promptcontent.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace ts {

/// How one variable of a prompt version was recovered from a logged call.
struct RecoveredVariable
{
    enum class Status {
        Captured, ///< matched exactly between the template's literal text
        WholeMessage, ///< the message could not be matched piece by piece: it took all of it
        Unrecovered, ///< no value (see `reason`)
    };
    /// As written in the template; dotted names ("person.name") are stored nested.
    QString name;
    Status status = Status::Unrecovered;
    /// 0-based index of the logged message the value came from; -1 when unrecovered.
    int messageIndex = -1;
    /// Why the value is approximate or missing, for the person adding the case.
    QString reason;
};

/// The case variables recovered from one logged call.
struct TemplateInversion
{
    nlohmann::json vars = nlohmann::json::object();
    /// Every variable the template uses, in order of first use.
    QList<RecoveredVariable> variables;

    /// Names of the variables that got no value.
    QStringList unrecovered() const;
    /// Names of the variables that took a whole message (approximate values).
    QStringList wholeMessage() const;
};

/// Recovers a prompt version's variables from the messages a call logged. The version's
/// messages are paired with the logged ones by role, in order (the system message first):
/// each prompt message takes the next logged message with its role. In a message made of text
/// and `{{var}}` tags only, each variable becomes a capture between the escaped literal text
/// around it (non-greedy, anchored at both ends; a variable used twice must match the same
/// text both times). A message with a section, an inverted section or a partial cannot be
/// inverted reliably: its first interpolated variable outside sections takes the whole logged
/// message and its other variables are reported unrecovered — and so are those of a message
/// whose logged text no longer matches its template.
TemplateInversion invertTemplate(const PromptContent &version, const QList<LogMessage> &logged);

/// Without a prompt version: the last user message with known content becomes `input`
/// (unrecovered when there is none).
TemplateInversion inputFromLastUserMessage(const QList<LogMessage> &logged);

} // namespace ts
