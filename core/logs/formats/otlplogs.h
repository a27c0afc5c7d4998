#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

class InputFile;
class LogSink;
struct LogJoinData;

/// Reads an OTLP/JSON logs file (JSON Lines of LogsData, or one LogsData document) and keeps
/// its GenAI events (gen_ai.user.message, gen_ai.choice, ...; named by `eventName` or the
/// `event.name` attribute) in `join.otlpEvents` under "traceid:spanid", so the spans of the
/// same import find their messages. Other log records are left out.
Result<void> collectOtlpLogs(InputFile &file, LogSink &sink, LogJoinData &join);

/// What a span keeps of an OTLP log record that carries one of its GenAI events.
struct JoinableEvent
{
    QString key; ///< "traceid:spanid", lower-case hex
    nlohmann::json kept; ///< eventName, times, attributes and body: what the join reads
};

/// The GenAI event in `logRecord` (an OTLP/JSON LogRecord, camelCase or snake_case), keyed by
/// the span it belongs to; nullopt when it is no GenAI event or names no span. An invalid trace
/// or span id sets `problem` ("log record has an invalid trace id") and gives nullopt.
std::optional<JoinableEvent> joinableGenAiEvent(const nlohmann::json &logRecord, QString *problem);

/// True when `head` looks like OTLP/JSON logs.
bool looksLikeOtlpLogs(const QByteArray &head);

} // namespace ts
