#pragma once

#include "common/error.h"

#include <QString>

namespace ts {

/// Creates a demo project at `path` from resources/demo: a few prompts with several versions
/// and labels, model presets pointing at local servers, and a dataset. Fails if `path` exists.
Result<void> createDemoProject(const QString &path);

} // namespace ts
