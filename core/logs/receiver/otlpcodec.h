#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace ts {

/// The two OTLP/HTTP body encodings; answers use the encoding of the request.
enum class OtlpEncoding { Json, Protobuf };

/// An ExportTraceServiceRequest made ready for the OTLP/JSON trace reader.
struct OtlpTraceRequest
{
    /// Canonical OTLP/JSON TracesData ({"resourceSpans": [...]}: camelCase keys, lower-case hex
    /// ids, 64-bit integers as strings, enums as integers) without the rejected spans.
    nlohmann::json tracesData;
    qint64 spans = 0; ///< spans in the request, rejected ones included
    qint64 rejected = 0; ///< spans left out of tracesData
    /// Why, one entry per rejected span ("span 3: traceId is not 16 bytes").
    QStringList problems;
};

/// Reads the body of `POST /v1/traces` (already gunzipped). An error means the body is not an
/// OTLP ExportTraceServiceRequest at all (the receiver answers 400).
///
/// A *rejected span* is one that is not a valid span by the OTLP specification: its trace id is
/// not 16 bytes (32 hex digits in JSON) or is all zeroes, its span id is not 8 bytes (16 hex
/// digits) or is all zeroes, or (JSON) it is not an object. It is left out and counted; the
/// other spans of the request are kept.
Result<OtlpTraceRequest> decodeOtlpTraceRequest(const QByteArray &body, OtlpEncoding encoding);

/// Decompresses a gzip body (one or more members). A corrupt stream is InvalidArgument; a
/// result larger than `maxBytes` is QuotaExceeded (so a small "gzip bomb" cannot fill memory).
Result<QByteArray> gunzip(const QByteArray &body, qint64 maxBytes);
/// Compresses `data` as one gzip member (tests and benches send gzip bodies).
QByteArray gzip(const QByteArray &data);

/// An ExportTraceServiceResponse: empty when nothing was rejected, else partialSuccess with
/// rejectedSpans and errorMessage.
QByteArray otlpExportResponse(OtlpEncoding encoding, qint64 rejectedSpans,
                              const QString &errorMessage);
/// A google.rpc.Status body for 4xx/5xx answers; `code` is a google.rpc.Code.
QByteArray otlpErrorStatus(OtlpEncoding encoding, int code, const QString &message);
/// "application/json" or "application/x-protobuf".
QByteArray otlpContentType(OtlpEncoding encoding);

/// google.rpc.Code values used in error bodies.
namespace rpc {
inline constexpr int InvalidArgument = 3;
inline constexpr int NotFound = 5;
inline constexpr int ResourceExhausted = 8;
inline constexpr int Unimplemented = 12;
inline constexpr int Unavailable = 14;
} // namespace rpc

} // namespace ts
