#pragma once

#include "logs/logformat.h"

namespace ts {

/// "langsmith": LangSmith runs as JSON Lines (or one JSON array), as the SDK's list_runs or the
/// run export writes them. Runs with run_type "llm" become records: inputs.messages in OpenAI or
/// LangChain shapes (also nested [[...]] batches and inputs.prompts), outputs as a chat
/// completion or LangChain generations, usage_metadata, error, start_time/end_time (no time zone
/// means UTC), first_token_time, the model from the response or extra.metadata.ls_model_name,
/// trace_id/id/parent_run_id as ids. Other runs (chains, tools, retrievers) are spans that are
/// not LLM calls.
LogFormat langSmithLogFormat();

} // namespace ts
