#pragma once

#include "logs/logformat.h"

namespace ts {

/// Vendor exports: Langfuse (UI export, blob-storage observations), OpenAI (Batch output with
/// its input file, stored completions, request/response pairs), LangSmith runs, promptfoo.
QList<LogFormat> vendorLogFormats();

} // namespace ts
