#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <utility>

namespace ts {

class InputFile;
class LogSink;

/// What one file of an import lends to the others: OTLP log events joined to spans by
/// trace and span id, and OpenAI Batch input requests joined to outputs by custom_id.
struct LogJoinData
{
    /// "traceid:spanid" (lower-case hex) -> OTLP LogRecord JSON objects, in file order.
    QHash<QString, QList<nlohmann::json>> otlpEvents;
    /// custom_id -> the request body of an OpenAI Batch input line.
    QHash<QString, nlohmann::json> batchRequests;
    /// Stored completion id -> its input messages (`GET /chat/completions/{id}/messages`),
    /// each with its index in the conversation (the message id's "-N" suffix).
    QHash<QString, QList<std::pair<qint64, nlohmann::json>>> storedMessages;
};

/// A production-log format Touchstone reads.
struct LogFormat
{
    QString name; ///< as given to --format: "otlp", "langfuse", ...
    QString description; ///< for messages: "OTLP/JSON traces (OpenTelemetry GenAI)"
    /// True when the file's first bytes (decompressed, up to 64 KiB) look like this format.
    bool (*detect)(const QByteArray &head) = nullptr;
    /// An auxiliary file (OTLP logs, OpenAI Batch input) only fills `join`; it is read before
    /// the main files of the same import.
    bool auxiliary = false;
    Result<void> (*collect)(InputFile &file, LogSink &sink, LogJoinData &join) = nullptr;
    /// Reads a main file, handing records to the sink. A fatal problem (not this format
    /// at all, unreadable file) is an error; a bad record is sink.malformed() and reading
    /// goes on.
    Result<void> (*read)(InputFile &file, LogSink &sink, const LogJoinData &join) = nullptr;
};

/// Every format in detection order (most specific first).
const QList<LogFormat> &logFormats();
/// The format named `name`, or nullptr.
const LogFormat *findLogFormat(const QString &name);
/// The first format whose detect() accepts `head`, or nullptr.
const LogFormat *detectLogFormat(const QByteArray &head);

} // namespace ts
