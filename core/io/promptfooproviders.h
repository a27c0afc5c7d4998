#pragma once

#include "io/promptfooimport.h"

namespace ts {

/// Maps one entry of promptfoo's `providers:` (an id string, {id, label, config}, or
/// {"<id>": {label, config}}) found at `where`. Returns nothing, and notes why in `unmapped`,
/// for a provider Touchstone cannot call.
std::optional<ImportedProvider> mapPromptfooProvider(const nlohmann::json &entry,
                                                     const QString &where, QStringList &unmapped);

} // namespace ts
