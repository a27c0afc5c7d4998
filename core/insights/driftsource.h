#pragma once

// Where the two sides of a drift comparison come from in a project: a dataset rendered with a
// prompt version, or a time range of production logs.

#include "common/error.h"
#include "insights/drift.h"

#include <QString>

#include <optional>

namespace ts {

class Database;

/// A parsed `--reference` / `--current` value.
struct DriftSourceSpec
{
    enum class Kind { Dataset, Logs };
    Kind kind = Kind::Logs;
    QString datasetAndPrompt; ///< "NAME@PROMPTREF" (split when loading)
    std::optional<qint64> sinceMs; ///< logs: start time >= since
    std::optional<qint64> untilMs; ///< logs: start time < until
    QString text; ///< as given, for messages
};

/// Parses "dataset:NAME@PROMPTREF" or "logs:FROM..TO". FROM and TO are ISO 8601 dates or
/// times (no offset = UTC), either may be empty; a date alone as TO includes that whole day.
Result<DriftSourceSpec> parseDriftSource(const QString &text);

/// The records of one side, and the response schema of the prompt version when it has one.
struct DriftSourceData
{
    QList<DriftRecord> records;
    QString description; ///< e.g. `dataset "tickets" rendered with support@3`
    std::shared_ptr<const JsonSchemaValidator> schema;
};

/// Loads a side. A dataset's cases are rendered with the prompt version (input = the rendered
/// messages' contents joined with "\n", output = the expected output when the case has one).
/// Log records keep their texts exactly as logged (LogRecord::inputText() and output); their
/// response schema is that of the prompt version they name (prompt name and version stored
/// with the record), else `fallbackSchema`. Records come in time order.
Result<DriftSourceData>
loadDriftSource(Database &db, const DriftSourceSpec &spec,
                const std::shared_ptr<const JsonSchemaValidator> &fallbackSchema = nullptr);

} // namespace ts
