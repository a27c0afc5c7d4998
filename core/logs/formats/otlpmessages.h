#pragma once

#include "logs/logrecord.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ts::otlp {

/// Removes `key` from the attribute object and returns its value (null when absent).
nlohmann::json take(nlohmann::json &attrs, std::string_view key);
/// Removes `key` and returns it as text (numbers are printed); nullopt when absent, empty or
/// not a scalar.
std::optional<QString> takeText(nlohmann::json &attrs, std::string_view key);
std::optional<qint64> takeInt(nlohmann::json &attrs, std::string_view key);
std::optional<double> takeDouble(nlohmann::json &attrs, std::string_view key);
/// True when an attribute `key` exists, or one starting with `key` + ".".
bool hasKeyOrPrefix(const nlohmann::json &attrs, std::string_view key);

/// Removes every attribute `prefix` + "." + rest and returns them as a tree: "a.0.b" = x becomes
/// {"a": {"0": {"b": x}}}. Index levels stay objects keyed by their number (see indexed()).
/// With `indexedOnly`, only keys whose first segment after the prefix is a number are taken
/// ("gen_ai.prompt.0.role" but not "gen_ai.prompt.name").
nlohmann::json takeTree(nlohmann::json &attrs, std::string_view prefix, bool indexedOnly = false);
/// The children of `node` whose keys are non-negative integers, in numeric order (10 after 9);
/// an array is returned as it is.
std::vector<const nlohmann::json *> indexed(const nlohmann::json &node);
/// `node[path...]` following dotted segments, or nullptr.
const nlohmann::json *at(const nlohmann::json &node, std::initializer_list<const char *> path);

/// Text that is JSON (an object or array) parsed; anything else (plain text, a parse error)
/// is returned unchanged. Structured values are returned as they are.
nlohmann::json parseIfJsonText(const nlohmann::json &value);

/// Tool call arguments as stored: structured JSON as it is, JSON text parsed to its value,
/// other text as a JSON string, null when unknown.
nlohmann::json toolArguments(const nlohmann::json &value);

/// Text of a JSON value for a message: strings as they are, other values as compact JSON,
/// nullopt for null / "" / "__REDACTED__". Inline media becomes a placeholder.
std::optional<QString> contentText(const nlohmann::json &value);

/// Content parts of any common shape (GenAI semconv `parts`, OpenAI `content` arrays, Anthropic
/// blocks) folded into one message: text joined with "\n", media as placeholders, tool calls
/// and tool call responses into the message's fields. Reasoning goes to `reasoning` when given.
void applyParts(const nlohmann::json &parts, LogMessage &message, QStringList *reasoning = nullptr);

/// A GenAI semconv message ({role, parts}) or an OpenAI-style one ({role, content, tool_calls,
/// tool_call_id}). Reasoning parts go to `reasoning` when given, else they are left out.
LogMessage messageFromJson(const nlohmann::json &message, const QString &defaultRole = {},
                           QStringList *reasoning = nullptr);
/// The messages of a JSON array (or JSON text holding one) of such messages.
QList<LogMessage> messagesFrom(const nlohmann::json &value);
/// OpenAI-style tool_calls ([{id, function: {name, arguments}}] or flat {id, name, arguments}).
QList<LogToolCall> toolCallsFrom(const nlohmann::json &value);

/// An output choice's content folded into the record (output, reasoning, tool calls,
/// finish reason), for the first choice only.
void applyOutputMessage(const LogMessage &message, const QStringList &reasoning, LogRecord &record);

/// "__REDACTED__" (OpenInference's hidden value) or an empty text.
bool isRedacted(const nlohmann::json &value);

} // namespace ts::otlp
