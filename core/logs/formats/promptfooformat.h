#pragma once

#include "logs/logformat.h"

namespace ts {

/// "promptfoo": a promptfoo eval output file (`promptfoo eval --output results.json`, results
/// version 2 or 3, also a bare results summary), streamed. One record per result: its prompt
/// (raw text as a user message, or the chat messages when the raw prompt is a JSON message
/// list), vars (metadata "vars"), output, token usage, cost, latency and error; the provider id
/// "openai:chat:gpt-4o-mini" gives provider and model; the eval's timestamp is the start time.
/// A result that failed its assertions is an ok call (the verdict is metadata); a result whose
/// call failed is an error.
LogFormat promptfooLogFormat();

} // namespace ts
