#pragma once

#include "common/error.h"
#include "logs/logrecord.h"

#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

namespace ts {

class Database;

/// Fills in the messages and the output of a live-received LLM call from its GenAI log events
/// (gen_ai.user.message, gen_ai.choice, ...), which arrive on POST /v1/logs apart from the span:
/// before it is stored (apply) or after (complete). Only what the record does not know yet is
/// filled, as when a file import joins a logs file to its traces.
class RecordCompletion
{
public:
    explicit RecordCompletion(Database &db);

    /// Applies `events` (OTLP/JSON log records) to a record not stored yet. True when its
    /// messages or output changed.
    static bool apply(LogRecord &record, const QList<nlohmann::json> &events);

    enum class Outcome { NoRecord, Unchanged, Completed };
    /// Applies `events` to the stored record of span `key` ("traceid:spanid") and writes what
    /// changed (messages, output, tool calls, previews and the full-text index) in the current
    /// transaction. `earlier` are the events already applied to it: what they gave is rebuilt
    /// from all of them, so messages that arrive one request at a time add up (a span's own
    /// messages are never replaced). NoRecord when no record of that span is stored; `id` is
    /// set otherwise.
    Result<Outcome> complete(const QString &key, const QList<nlohmann::json> &earlier,
                             const QList<nlohmann::json> &events, qint64 &id);

private:
    Database &m_db;
};

} // namespace ts
