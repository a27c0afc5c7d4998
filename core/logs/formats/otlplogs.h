#pragma once

#include "common/error.h"

#include <QByteArray>

namespace ts {

class InputFile;
class LogSink;
struct LogJoinData;

/// Reads an OTLP/JSON logs file (JSON Lines of LogsData, or one LogsData document) and keeps
/// its GenAI events (gen_ai.user.message, gen_ai.choice, ...; named by `eventName` or the
/// `event.name` attribute) in `join.otlpEvents` under "traceid:spanid", so the spans of the
/// same import find their messages. Other log records are left out.
Result<void> collectOtlpLogs(InputFile &file, LogSink &sink, LogJoinData &join);

/// True when `head` looks like OTLP/JSON logs.
bool looksLikeOtlpLogs(const QByteArray &head);

} // namespace ts
