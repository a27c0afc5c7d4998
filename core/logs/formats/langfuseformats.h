#pragma once

#include "logs/logformat.h"

namespace ts {

/// Langfuse formats, by --format name:
/// - "langfuse": the UI batch export of the observations table (camelCase Observation rows) as
///   a JSON array, JSON Lines, or CSV whose object cells hold JSON text; also one trace's
///   "Download JSON" ({..., "observations": [...]});
/// - "langfuse-blob": the blob-storage export (observations_v2/ enriched observations, and the
///   legacy observations/ file; snake_case, "YYYY-MM-DD HH:MM:SS.ffffff" UTC times) as JSON
///   Lines, a JSON array, or CSV.
/// GENERATION observations become records (trace id + observation id as their ids, prompt name
/// and version kept, level ERROR with its status message as the error); the others are spans
/// that are not LLM calls.
QList<LogFormat> langfuseLogFormats();

} // namespace ts
