#include "logs/formats/vendorformats.h"

#include "logs/formats/langfuseformats.h"
#include "logs/formats/langsmithformat.h"
#include "logs/formats/openaiformats.h"
#include "logs/formats/promptfooformat.h"

namespace ts {

// Names for --format (each detector looks for keys only its format has, so the order among
// them does not matter; OTLP's resourceSpans/resourceLogs come before all of them):
//   openai-batch-input  OpenAI Batch API input file (auxiliary: lends requests by custom_id)
//   openai-batch        OpenAI Batch API output file
//   openai-stored       OpenAI stored chat completions list
//   openai-stored-messages  a stored completion's messages (auxiliary: joined by completion id)
//   openai-pairs        OpenAI request/response pairs (JSON Lines)
//   langsmith           LangSmith runs (JSON Lines)
//   langfuse            Langfuse UI export of observations (JSON, JSON Lines, CSV)
//   langfuse-blob       Langfuse blob-storage observations_v2 export (JSON Lines, JSON, CSV)
//   promptfoo           promptfoo eval output (results.json, version 2 or 3)
QList<LogFormat> vendorLogFormats()
{
    QList<LogFormat> formats = openAiLogFormats();
    formats.append(langSmithLogFormat());
    formats += langfuseLogFormats();
    formats.append(promptfooLogFormat());
    return formats;
}

} // namespace ts
