#pragma once

#include "common/error.h"
#include "prompts/promptcontent.h"
#include "providers/chattypes.h"
#include "template/mustache.h"

namespace ts {

/// Renders every message template of a prompt with the given variables: the exact messages
/// that will be sent. A template error names the message and its line:column.
Result<QList<ChatMessage>> renderPrompt(const PromptContent &content,
                                        const nlohmann::json &variables,
                                        const PartialMap &partials = {});

/// A prompt version's parameters applied over a model's defaults, with the response schema.
GenerationParams effectiveParams(const ModelParameters &modelDefaults, const PromptContent &content);

} // namespace ts
