#pragma once

#include "common/error.h"
#include "common/httprequest.h"

#include <QMetaType>

#include <optional>

namespace ts {

/// How a call ended. Exactly one HttpCall::finished carries it.
struct HttpOutcome
{
    int status = 0; ///< last HTTP status seen, 0 if none
    HttpHeaders headers; ///< headers of the last response
    QByteArray errorBody; ///< body of a non-2xx answer (buffered, never streamed)
    QByteArray body; ///< whole 2xx body, only with CallOptions::collectBody
    std::optional<Error> error; ///< set when the call failed (or was cancelled)
    bool cancelled = false;
    int attempts = 0; ///< requests actually sent (1 + retries)
    qint64 bodyBytes = 0; ///< 2xx body bytes delivered through dataReceived
    qint64 firstByteMs = -1; ///< from the start of the last attempt to its first byte
    qint64 totalMs = 0; ///< from start() to the end, retries and queueing included

    bool ok() const { return !error.has_value(); }
};

} // namespace ts

Q_DECLARE_METATYPE(ts::HttpOutcome)
