#pragma once

#include "common/error.h"
#include "logs/logformat.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace ts {

class InputFile;
class LogSink;

/// Reads one OTLP `TracesData` (or an `ExportTraceServiceRequest`, which has the same shape)
/// given as JSON: the canonical OTLP/JSON mapping (camelCase keys, hex trace and span ids,
/// 64-bit integers as strings, enums as integers) and the variants found in the wild
/// (snake_case keys, ids in any case or base64, integers as numbers, enums by name).
///
/// Every span that is an LLM call becomes a record (OpenTelemetry GenAI conventions in every
/// shape, OpenLLMetry's flattened attributes, OpenInference); legacy GenAI events are taken from
/// the span's own events or from `join.otlpEvents`. Other spans go to `sink.otherSpan()`. A span
/// that cannot be read is `sink.malformed(n, reason)` with `n` its 1-based index in the
/// document. Records use `sourceFormat`, except that when it is "otlp", spans written with
/// the OpenInference conventions are named "openinference".
///
/// Fails (InvalidArgument) only when `tracesData` is not a TracesData at all: not an object,
/// or `resourceSpans` present but not an array.
Result<void> readTracesData(const nlohmann::json &tracesData, LogSink &sink,
                            const LogJoinData &join,
                            const QString &sourceFormat = QStringLiteral("otlp"));

/// Reads an OTLP/JSON traces file: the file exporter's JSON Lines (one TracesData per line,
/// a bad line is reported and skipped) or one TracesData document of any size, parsed as a
/// stream so that memory does not grow with the file.
Result<void> readOtlpTracesFile(InputFile &file, LogSink &sink, const LogJoinData &join);

/// True when `head` (the first bytes of a file) looks like OTLP/JSON traces.
bool looksLikeOtlpTraces(const QByteArray &head);
/// True when `head` looks like OTLP/JSON traces carrying OpenInference attributes.
bool looksLikeOpenInferenceTraces(const QByteArray &head);

} // namespace ts
