#pragma once

// Chat message shapes that every vendor export carries: OpenAI Chat Completions and Responses
// (requests and responses), and LangChain messages as LangSmith stores them (serialized
// constructors, to_dict form, plain dicts). Shared by the OpenAI, Langfuse, LangSmith and
// promptfoo readers.

#include "logs/logrecord.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace ts::vendor {

/// The text of a message content: a string, or an array of parts whose text is joined with "\n"
/// and whose inline media (data: URLs, base64 audio, files) becomes mediaPlaceholder(). nullopt
/// when there is no text and no media.
std::optional<QString> contentText(const nlohmann::json &content);

/// One tool call in OpenAI ({id, function: {name, arguments: JSON text}}), Responses
/// ({call_id, name, arguments}) or LangChain ({id, name, args}) shape; arguments given as JSON
/// text become the parsed JSON value (the text itself when it does not parse).
LogToolCall toolCall(const nlohmann::json &call);
QList<LogToolCall> toolCalls(const nlohmann::json *calls);

/// One message: OpenAI chat ({role, content, tool_calls, tool_call_id}), a Responses input item,
/// or a LangChain message; a plain string is a user message. nullopt when it is none of these.
std::optional<LogMessage> message(const nlohmann::json &value);
/// Every message of an array (elements that are not messages are left out).
QList<LogMessage> messages(const nlohmann::json &value);

/// A Chat Completions / Responses / Completions request body: its messages (instructions as a
/// first system message), the request model when the record has none, the other parameters as
/// metadata "parameters" and its "metadata" object merged into the record's metadata.
void applyRequest(const nlohmann::json &body, LogRecord &record);

/// A chat completion, Responses API response or text completion: output text, tool calls,
/// reasoning, finish reason, token usage, the response model, fingerprint and tier as metadata.
void applyResponse(const nlohmann::json &body, LogRecord &record);

/// Token usage in OpenAI (prompt_tokens/completion_tokens), Responses and LangChain
/// (input_tokens/output_tokens) or Langfuse (input/output) shape; absent counts stay unknown.
void applyUsage(const nlohmann::json &usage, LogRecord &record);

/// A readable message from an error value: a string, {message}, {error: ...}, {body: ...}.
std::optional<QString> errorMessage(const nlohmann::json &value);

/// The body with inline media parts replaced by text parts holding their placeholder, so that a
/// request kept in memory for a join does not hold images or audio.
nlohmann::json compactRequestBody(nlohmann::json body);

/// "openai:chat:gpt-4o-mini" -> provider "openai", model "gpt-4o-mini" (promptfoo provider ids).
std::pair<std::optional<QString>, std::optional<QString>> splitProviderId(const QString &id);

} // namespace ts::vendor
