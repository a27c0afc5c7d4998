#pragma once

#include "logs/logrecord.h"

#include <QByteArray>

#include <optional>

namespace ts {

/// A record as the `logs` and `logs_fts` columns store it: JSON already serialized, previews,
/// ISO times, normalized ids and the dedupe key, all as UTF-8. Computing these is most of the
/// cost of storing a record apart from SQLite itself, so the importer builds them on the
/// reading thread and the writer thread only binds and steps.
struct LogRowValues
{
    std::optional<QByteArray> startTime, endTime;
    std::optional<double> latencyMs, ttftMs;
    std::optional<QByteArray> model, provider;
    QByteArray messages; ///< JSON array
    std::optional<QByteArray> output;
    std::optional<QByteArray> outputToolCalls; ///< JSON array, or NULL when there are none
    std::optional<QByteArray> reasoning, finishReason;
    std::optional<qint64> inputTokens, outputTokens, totalTokens;
    std::optional<double> cost;
    bool ok = true;
    std::optional<QByteArray> error;
    std::optional<QByteArray> traceId, spanId, parentSpanId, sessionId;
    std::optional<QByteArray> promptName, promptVersion;
    QByteArray metadata; ///< JSON object
    bool hasToolCalls = false;
    std::optional<QByteArray> inputPreview, outputPreview;
    QByteArray sourceFormat;
    std::optional<QByteArray> sourceFile;
    QByteArray dedupeKey;
    QByteArray ftsInput, ftsOutput; ///< what full-text search indexes

    static LogRowValues from(const LogRecord &record);
};

/// Hex ids (OTLP) compare case-insensitively and are stored lower-case; other ids (Langfuse,
/// OpenAI, LangSmith) are case-sensitive and kept as they are.
QString normalizeLogId(const QString &id);

} // namespace ts
