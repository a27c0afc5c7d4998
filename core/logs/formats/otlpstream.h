#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <functional>
#include <string_view>

namespace ts {

class InputFile;
class LogSink;

namespace otlp {

/// Which OTLP/JSON document is walked: TracesData (resourceSpans / scopeSpans / spans) or
/// LogsData (resourceLogs / scopeLogs / logRecords).
enum class Signal { Traces, Logs };

/// Called for each span or log record with its resource and scope (each as read so far; the
/// OTLP/JSON encoders write them before the items) and its 1-based index in the document.
/// Returns false to stop reading (cancelled).
using ItemHandler = std::function<bool(const nlohmann::json &item, const nlohmann::json &resource,
                                       const nlohmann::json &scope, qint64 index)>;

/// How a LineReader dealt with one line of a JSON Lines file.
enum class LineOutcome {
    Read, ///< every item handed to the sink (or reported malformed)
    Stopped, ///< the sink was cancelled
    Refused ///< not read: the line goes to the nlohmann path, which decides
};
/// A faster reader for one whole (trimmed, non-empty) JSON Lines line, given its line number.
using LineReader = std::function<LineOutcome(std::string_view line, qint64 number)>;

/// The resource's attributes and the scope's name, version and attributes as records keep
/// them in their metadata.
nlohmann::json resourceInfo(const nlohmann::json &resource);
nlohmann::json scopeInfo(const nlohmann::json &scope);

/// Walks one already parsed document. Fails when it is not an object or its resource list is
/// not an array.
Result<void> walkDocument(const nlohmann::json &document, Signal signal, const ItemHandler &handle);

/// Reads a file of OTLP/JSON documents: JSON Lines (each line walked on its own; a line that
/// is not JSON, or not a document, is sink.malformed(line) and reading goes on; the handler's
/// `index` is then the line number) or one document of any size, parsed as a stream (SAX) so
/// only one span or log record is in memory at a time (`index` is the item's 1-based index).
/// Stops when the handler returns false or sink.cancelled(). With `fastLine`, each line of a
/// JSON Lines file goes to it first, and to `handle` only when it refuses the line.
Result<void> readOtlpFile(InputFile &file, Signal signal, LogSink &sink, const ItemHandler &handle,
                          const LineReader &fastLine = {});

/// True when `head` is an OTLP/JSON document of that signal (its top-level key is present).
bool looksLikeOtlp(const QByteArray &head, Signal signal);

} // namespace otlp
} // namespace ts
