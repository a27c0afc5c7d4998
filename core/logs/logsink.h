#pragma once

#include "logs/logrecord.h"

#include <QString>

namespace ts {

/// Where a format reader hands what it parsed. The importer batches records into the store;
/// the receiver does the same per request; tests collect them in a list.
class LogSink
{
public:
    virtual ~LogSink() = default;
    /// One LLM call.
    virtual void record(LogRecord record) = 0;
    /// A span that is not an LLM call: counted as "not an LLM call" and kept for trace views.
    virtual void otherSpan(TraceSpan span) = 0;
    /// A record that could not be read: reported as FILE:LINE: reason and skipped.
    /// `line` is 1-based (for one JSON document, the element's 1-based index instead).
    virtual void malformed(qint64 line, const QString &reason) = 0;
    /// Readers check this between records and stop early when it is true.
    virtual bool cancelled() const { return false; }
};

} // namespace ts
