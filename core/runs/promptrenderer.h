#pragma once

#include "common/error.h"
#include "prompts/promptcontent.h"
#include "providers/chattypes.h"
#include "template/mustache.h"

namespace ts {

/// Renders every message template of a prompt with the given variables: the exact messages
/// that will be sent. Snippets ({{> name}}) come from content.snippets (a saved version's pinned
/// snippet versions, or the latest ones in the editor), overridden by `partials`. A template
/// error or a snippet that does not exist names the message and its line:column; a missing
/// snippet never renders as "".
Result<QList<ChatMessage>> renderPrompt(const PromptContent &content,
                                        const nlohmann::json &variables,
                                        const PartialMap &partials = {});

/// A rendering error in the words of snippets: an unknown partial reads "No snippet named ...".
TemplateError snippetError(const TemplateError &error);

/// A prompt version's parameters applied over a model's defaults, with the response schema.
GenerationParams effectiveParams(const ModelParameters &modelDefaults,
                                 const PromptContent &content);

} // namespace ts
