#pragma once

#include "common/error.h"

#include <QByteArray>

namespace ts {

class InputFile;
class LogSink;
struct LogJoinData;

/// Reads Arize Phoenix's span export: JSON Lines of span rows ({name, context: {trace_id,
/// span_id}, span_kind, parent_id, start_time, end_time, status_code, status_message,
/// attributes, events}) with OpenInference attributes, flat ("llm.model_name") or nested
/// ({"llm": {"model_name": ...}}). A line may also hold a REST page ({"data": [spans]}).
/// LLM spans become records with source format "phoenix"; the others are trace spans.
Result<void> readPhoenixFile(InputFile &file, LogSink &sink, const LogJoinData &join);

/// True when `head` looks like a Phoenix span export.
bool looksLikePhoenixSpans(const QByteArray &head);

} // namespace ts
