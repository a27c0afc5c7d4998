#pragma once

// Building blocks shared by the vendor-export readers (Langfuse, OpenAI, LangSmith, promptfoo):
// streaming iteration over JSON Lines, one JSON array, an array inside one JSON document and
// CSV rows, a tolerant look at a file's first bytes for detection, and lenient JSON accessors
// that turn "absent", null, "" and unparseable values into nullopt.

#include "common/error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <string>

namespace ts {

class InputFile;
class LogSink;

namespace vendor {

using nlohmann::json;

/// Called with one element (an object) and its 1-based line (JSON Lines, CSV) or element index
/// (one JSON document).
using ObjectHandler = std::function<void(json &&object, qint64 line)>;

/// Reads JSON Lines, or, when the first non-blank byte is '[', one JSON array streamed element
/// by element. Lines that are not JSON objects are reported malformed and skipped.
Result<void> readObjects(InputFile &file, LogSink &sink, const ObjectHandler &handle);

/// Streams the elements of the array at `arrayPath` (object keys joined by '.') inside one JSON
/// document, discarding each one after `handle`. Scalars met outside that array at most two
/// levels deep are put into `scalars` by path ("results.version") as they are read, so a handler
/// sees those that precede the array. An error when the document holds no such array or is not
/// JSON from its start; a syntax error after some elements is reported malformed.
Result<void> readDocumentArray(InputFile &file, LogSink &sink, const std::string &arrayPath,
                               std::map<std::string, json> *scalars, const ObjectHandler &handle);

/// Reads CSV (RFC 4180: quoted cells may hold commas, quotes and newlines) with a header row;
/// each row becomes an object of header -> cell text, empty cells left out. The line is the
/// one where the row starts.
Result<void> readCsvObjects(InputFile &file, LogSink &sink, const ObjectHandler &handle);

/// Splits one complete CSV record into cells.
QStringList splitCsvRecord(const QByteArray &record);

/// What the first bytes of a file show: the first non-blank byte, and the key paths of the first
/// record (the root object, or the first element of a root array) with their scalar values
/// (containers map to null), as far as the bytes go. Paths join keys with '.', array elements
/// appear as "[]": "response.body.choices[].message.role".
struct HeadInfo
{
    char first = 0;
    std::map<std::string, json> paths;
    QStringList csvHeader; ///< the first line split as CSV when the file is not JSON

    bool has(const char *path) const { return paths.count(path) != 0; }
    /// The scalar at `path` as text ("" when absent or not a string).
    QString text(const char *path) const;
};
HeadInfo inspectHead(const QByteArray &head);

// ---- lenient accessors -------------------------------------------------------------------

/// The member `key`, or nullptr when `value` is not an object, the key is absent or null.
const json *member(const json &value, const char *key);
/// A non-empty string (numbers are printed); nullopt for absent, null, "" or containers.
std::optional<QString> text(const json &value, const char *key);
std::optional<QString> text(const json *value);
/// An integer from a number or a numeric string.
std::optional<qint64> integer(const json &value, const char *key);
std::optional<qint64> integer(const json *value);
/// A number from a number or a numeric string.
std::optional<double> number(const json &value, const char *key);
std::optional<double> number(const json *value);
/// A point in time: ISO 8601 (also "YYYY-MM-DD HH:MM:SS.ffffff", and no offset means UTC) or
/// epoch seconds / milliseconds as a number or numeric text.
std::optional<qint64> timeMs(const json *value);
/// A string that holds JSON (an object or an array) parsed; otherwise the value unchanged.
json unwrapJsonText(const json &value);
/// Compact JSON text that never throws (invalid UTF-8 replaced).
std::string dumpJson(const json &value);
/// Adds `value` to `metadata` under `key` unless it is null, "" or an empty container.
void putMeta(json &metadata, const std::string &key, const json &value);
/// Merges the members of `object` into `metadata` (later keys win).
void mergeMeta(json &metadata, const json &object);

} // namespace vendor
} // namespace ts
