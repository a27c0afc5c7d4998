#pragma once

#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {
class Database;
}

namespace ts::cli {

/// Runs every monitor's assertions on the records not checked yet (those from `minLogId` on,
/// when given) after `logs import` or a `collect` batch. Fills one JSON entry per monitor
/// ({"name", "checked", "failed", "latest": {...} | null, "alert"}) and one line of text per
/// monitor that checked something; an error becomes a line too (the import itself stands).
void monitorAfterImport(Database &db, nlohmann::json &entries, QStringList &lines,
                        std::optional<qint64> minLogId = std::nullopt);

} // namespace ts::cli
