#pragma once

#include "common/projectsession.h"
#include "datasets/datasetstore.h"

#include <functional>

namespace ts {

/// The Datasets section's file work, run on the session's worker thread: importing a file in
/// chunks (progress, cancellable, all or nothing) and exporting a dataset streamed to a file.
namespace datasetfiles {

/// Reports `done` of `total` rows (`total` 0 while the file is being read). Called on the worker.
using Progress = std::function<void(int done, int total)>;

/// Parses `path` and adds its cases to `datasetId` in one transaction written in chunks, with
/// `progress` at most ~20 times a second. Cancelled (ctx.isCancelled()), nothing is kept.
Result<ImportSummary> import(WorkContext &ctx, qint64 datasetId, const QString &path,
                             const Progress &progress);

/// Writes the dataset to `path` case by case (bounded memory), replacing the file only once
/// every case is written. Returns how many cases were written.
Result<int> exportTo(WorkContext &ctx, qint64 datasetId, const QString &path, ExportFormat format);

} // namespace datasetfiles

} // namespace ts
