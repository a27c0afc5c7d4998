#pragma once

#include "common/httprequest.h"

#include <QString>

#include <functional>

namespace ts {

/// What to do with a failed attempt.
enum class RetryVerdict {
    Retry, ///< try again after a backoff (or the server's retry-after)
    Fail, ///< give up and report the error
};

/// When and how often a call is re-sent. The defaults follow the provider SDKs.
struct RetryPolicy
{
    int maxRetries = 4; ///< retries after the first attempt
    int baseDelayMs = 500; ///< delay before the first retry; doubles each time
    int maxDelayMs = 30000; ///< cap on the computed backoff
    int maxRetryAfterMs = 60000; ///< a server asking to wait longer than this is not retried
    bool jitter = true; ///< randomise each delay down by up to 25 %
    /// Decides whether a non-2xx answer is retried. Empty: Backoff::defaultClassify
    /// (408, 409, 429 unless the body says insufficient_quota, and 5xx).
    std::function<RetryVerdict(int status, const HttpHeaders &headers, const QByteArray &body)>
        classify;
};

/// Per-call settings: timeouts, retries and a concurrency limit.
struct CallOptions
{
    int connectTimeoutMs = 10000; ///< TCP + TLS connect
    int firstByteTimeoutMs = 120000; ///< request sent until the first response byte
    int idleTimeoutMs = 60000; ///< longest silence once the response has started
    RetryPolicy retry;
    /// Calls sharing a key are limited to maxConcurrency in flight; the rest wait FIFO. A call
    /// waiting out a retry backoff gives its slot back and, when the wait ends, takes the next
    /// free one ahead of calls that have not started.
    QString concurrencyKey;
    int maxConcurrency = 0; ///< 0 = unlimited
    /// Also keep the whole 2xx body in HttpOutcome::body (handy for small JSON answers).
    bool collectBody = false;
};

} // namespace ts
