#pragma once

#include "net/calloptions.h"

#include <optional>

namespace ts {

/// Backoff arithmetic shared by NetworkClient and by callers that re-issue a request
/// themselves (e.g. after a mid-stream "overloaded" error).
class Backoff final
{
public:
    /// Delay before retry number `attempt` (1 = first retry): baseDelayMs * 2^(attempt-1),
    /// capped at maxDelayMs, minus up to 25 % jitter when policy.jitter is set.
    static int delayMs(int attempt, const RetryPolicy &policy);

    /// The wait a server asked for: `retry-after-ms`, then `retry-after` (seconds or an HTTP
    /// date). Empty when neither header is present or parseable.
    static std::optional<int> retryAfterMs(const HttpHeaders &headers);

    /// The default retry rule: 408, 409, 429 (unless the body says insufficient_quota) and
    /// any 5xx are retried; an `x-should-retry: true|false` header overrides.
    static RetryVerdict defaultClassify(int status, const HttpHeaders &headers,
                                        const QByteArray &body);
};

} // namespace ts
