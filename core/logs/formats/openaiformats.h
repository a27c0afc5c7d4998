#pragma once

#include "logs/logformat.h"

namespace ts {

/// OpenAI formats, by --format name:
/// - "openai-batch-input": a Batch API input file (JSON Lines of {custom_id, method, url, body});
///   auxiliary: it only lends its requests, by custom_id, to the output file of the same import.
/// - "openai-batch": a Batch API output file (JSON Lines of {id, custom_id, response: {status_code,
///   request_id, body}, error}); joined with the input file's messages when both are imported,
///   without messages when alone.
/// - "openai-stored": the stored-completions list (GET /v1/chat/completions with store=true:
///   {"object": "list", "data": [chat completions]}), streamed; it holds no input messages.
/// - "openai-pairs": JSON Lines of {"request": <chat completions body>, "response": <chat
///   completion>, "timestamp": ISO 8601 or epoch seconds, "latency_ms", "metadata", "error"}.
QList<LogFormat> openAiLogFormats();

} // namespace ts
