#pragma once

#include <QString>

#include <optional>

namespace ts {

/// Which log records a list, a count, a sample or a queue takes. Every field is optional;
/// an empty filter takes every record.
struct LogFilter
{
    std::optional<qint64> sinceMs; ///< start time >= since (epoch ms, UTC)
    std::optional<qint64> untilMs; ///< start time < until
    std::optional<QString> model;
    std::optional<bool> ok; ///< true: status ok, false: status error
    /// Full-text search over inputs and outputs; words are ANDed, each matched as a prefix-free
    /// token ("refund policy" finds records with both words).
    QString search;
    std::optional<QString> promptName;
    std::optional<QString> promptVersion; ///< only with promptName
    std::optional<QString> sourceFormat;
    std::optional<bool> hasToolCalls;
    std::optional<QString> importedSince; ///< imported_at > this ISO 8601 time (new arrivals)

    bool isEmpty() const;
};

/// Sort orders the Logs table offers; ties are broken by id in the same direction.
enum class LogSort { TimeAscending, TimeDescending, LatencyAscending, LatencyDescending,
                     TokensAscending, TokensDescending };

} // namespace ts
