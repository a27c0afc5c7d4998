#pragma once

// POST /v1/logs bodies: applications instrumented with GenAI conventions up to v1.36 send the
// messages of a call as log events (gen_ai.user.message, gen_ai.choice, ...) beside its span.

#include "common/error.h"
#include "logs/receiver/otlpcodec.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace ts {

/// An ExportLogsServiceRequest made ready for the GenAI event join.
struct OtlpLogsRequest
{
    /// Canonical OTLP/JSON LogsData ({"resourceLogs": [...]}: camelCase keys, lower-case hex ids,
    /// 64-bit integers as strings) without the rejected log records.
    nlohmann::json logsData;
    qint64 logRecords = 0; ///< log records in the request, rejected ones included
    qint64 rejected = 0;
    /// Why, one entry per rejected log record ("log record 2: traceId has the wrong length").
    QStringList problems;
};

/// Reads the body of `POST /v1/logs` (already gunzipped). An error means the body is not an
/// OTLP ExportLogsServiceRequest at all (400). A log record whose trace or span id is present
/// but not 16 or 8 bytes is rejected and counted (ids are optional for logs); the others are
/// kept, whatever they carry.
Result<OtlpLogsRequest> decodeOtlpLogsRequest(const QByteArray &body, OtlpEncoding encoding);

/// An ExportLogsServiceResponse: empty when nothing was rejected, else partialSuccess with
/// rejectedLogRecords and errorMessage.
QByteArray otlpLogsExportResponse(OtlpEncoding encoding, qint64 rejectedLogRecords,
                                  const QString &errorMessage);

} // namespace ts
