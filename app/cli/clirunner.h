#pragma once

#include "runs/generation.h"
#include "runs/generationjob.h"

#include <QList>

namespace ts {
class RunEngine;
}

namespace ts::cli {

/// Runs generation jobs to completion on the CLI's event loop; Ctrl+C cancels them.
QList<Generation> runJobs(RunEngine &engine, const QList<GenerationSpec> &specs,
                          bool printProgress = false);

/// A generation as the `complete` command prints it.
nlohmann::json completionJson(const Generation &g);

} // namespace ts::cli
