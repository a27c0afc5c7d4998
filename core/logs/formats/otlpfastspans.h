#pragma once

#include "logs/formats/otlpstream.h"

#include <QString>

#include <string_view>

namespace ts {

class LogSink;
struct LogJoinData;

namespace otlp {

/// Reads the spans of one JSON Lines line holding an OTLP/JSON TracesData straight from
/// simdjson's document into SpanData, then emitSpan(): the import's hot path. Building the
/// whole line as nlohmann::json first (and copying every attribute again into plain values)
/// was a third of an import's reading time. Only what the records keep is converted: ids,
/// times and status through the same helpers as the reference path, attribute values plain
/// in one step, resource and scope as nlohmann values (they are small).
///
/// The records are exactly those of the nlohmann path (otlptraces.cpp's spanFromOtlp through
/// walkDocument), which stays the reference: a line simdjson refuses (invalid JSON, control
/// characters, huge integers, deep nesting) or that is no TracesData object is Refused, and
/// the caller reads it that way, so every malformed-line message is the reference's.
class FastSpanReader final
{
public:
    FastSpanReader(LogSink &sink, const LogJoinData &join, QString sourceFormat);
    /// One trimmed, non-empty line; `number` is its line number (for malformed spans).
    LineOutcome read(std::string_view line, qint64 number);

private:
    LogSink &m_sink;
    const LogJoinData &m_join;
    const QString m_sourceFormat;
};

} // namespace otlp
} // namespace ts
