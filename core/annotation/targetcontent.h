#pragma once

#include "annotation/target.h"
#include "common/error.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

class Database;

/// What a person saw when judging a target: its input and its output.
struct TargetContent
{
    /// {"messages": [{role, content, ...}]} or {"variables": {...}}.
    nlohmann::json input = nlohmann::json::object();
    std::optional<QString> output;

    /// The input's messages (empty when the input is variables only).
    nlohmann::json messages() const;
};

/// The target's input and output: from a queue item's snapshot when the target is in a queue
/// (so it works in a label pack, which has no generations or logs), else from the stored
/// generation, log record or test case (its production output).
Result<TargetContent> loadTargetContent(Database &db, const Target &target);

} // namespace ts
