#pragma once

#include "common/error.h"
#include "evals/evalscontroller.h"

#include <atomic>

namespace ts {

class Database;

/// Writes the "Export results" file of an eval (on a read connection, off the UI thread).
/// JSON, JUnit and CSV stream a page of cases at a time; the HTML report, one page of charts
/// and the failing cases, reads the eval. The file is replaced only once it is complete.
Result<void> writeEvalExportFile(Database &db, qint64 evalId, EvalsController::ExportFormat format,
                                 const QString &path, const std::atomic_bool *cancel);

} // namespace ts
