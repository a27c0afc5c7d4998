#pragma once

#include "common/error.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace ts {

class Database;

struct LogImportOptions
{
    QString format;      ///< empty: detect per file from its content
    bool strict = false; ///< one malformed record imports nothing
    int batchSize = 2000; ///< records per committed transaction
    /// Called now and then from the importing thread: bytes read of all files, and their size.
    std::function<void(qint64 done, qint64 total)> progress;
    const std::atomic_bool *cancel = nullptr;
};

struct LogImportSummary
{
    int imported = 0;
    int duplicates = 0;
    int malformed = 0;
    int notLlmCalls = 0;
    /// "FILE:LINE: reason", one per malformed record (the first 1,000).
    QStringList problems;
    QStringList formats; ///< the format used for each file, in order
    bool cancelled = false; ///< what was committed before the cancel stays
    /// --strict found malformed records: the import was rolled back and nothing was added.
    bool rolledBack = false;
    qint64 importId = 0;
};

/// Imports log files into a project: detects each file's format, reads auxiliary files
/// (OTLP logs, OpenAI Batch input) first, and commits records in batches so that a cancelled
/// or interrupted import keeps what it committed and a re-import continues without duplicates.
/// A file in no known format is an InvalidArgument error naming the formats tried, and
/// nothing is imported.
class LogImporter final
{
public:
    explicit LogImporter(Database &db);
    Result<LogImportSummary> run(const QStringList &files, const LogImportOptions &options);

private:
    Database &m_db;
};

} // namespace ts
