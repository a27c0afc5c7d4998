#pragma once

// Internal: turns HTTP statuses and libcurl failures into messages a person can act on.

#include "common/error.h"
#include "common/httprequest.h"

#include <QString>

#include <curl/curl.h>

#include <optional>

namespace ts::detail {

/// "host:port" when the URL names a port, else "host"; never path or query (keys live there).
QString hostLabel(const QByteArray &url);

/// "120 s", "0.3 s".
QString formatSeconds(qint64 ms);

/// The provider's own message from a JSON error body, or a trimmed excerpt of the text.
QString bodyExcerpt(const QByteArray &body);

/// The error for a final non-2xx answer.
Error statusError(int status, const HttpHeaders &headers, const QByteArray &body,
                  const QString &host, int attempts);

/// True for failures that happen before a response and are worth retrying.
bool isConnectionFailure(CURLcode code);

/// The error for a failed transfer. Once a 2xx response has started (`responseStarted`),
/// any failure is reported as the connection being cut after `bodyBytes` bytes.
Error transferError(CURLcode code, const QString &curlMessage, const QString &host,
                    bool responseStarted, qint64 bodyBytes, int connectTimeoutMs, int attempts);

} // namespace ts::detail
