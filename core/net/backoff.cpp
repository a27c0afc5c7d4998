#include "net/backoff.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <curl/curl.h>

#include <algorithm>
#include <cmath>

namespace ts {

int Backoff::delayMs(int attempt, const RetryPolicy &policy)
{
    const int exponent = std::clamp(attempt - 1, 0, 30);
    const double raw = double(std::max(policy.baseDelayMs, 0)) * std::pow(2.0, exponent);
    double delay = std::min(raw, double(std::max(policy.maxDelayMs, 0)));
    if (policy.jitter)
        delay *= 1.0 - 0.25 * QRandomGenerator::global()->generateDouble();
    return int(std::lround(delay));
}

std::optional<int> Backoff::retryAfterMs(const HttpHeaders &headers)
{
    bool ok = false;
    const QByteArray ms = headerValue(headers, "retry-after-ms").trimmed();
    if (!ms.isEmpty()) {
        const double value = ms.toDouble(&ok);
        if (ok && value >= 0 && value < 1e9)
            return int(std::lround(value));
    }
    const QByteArray after = headerValue(headers, "retry-after").trimmed();
    if (after.isEmpty())
        return std::nullopt;
    const double seconds = after.toDouble(&ok);
    if (ok)
        return seconds >= 0 && seconds < 1e6 ? std::optional<int>(int(std::lround(seconds * 1000)))
                                             : std::nullopt;
    // An HTTP date; curl_getdate understands every format RFC 9110 allows.
    const time_t when = curl_getdate(after.constData(), nullptr);
    if (when < 0)
        return std::nullopt;
    const qint64 wait = qint64(when) * 1000 - QDateTime::currentMSecsSinceEpoch();
    return int(std::clamp<qint64>(wait, 0, 1000LL * 1000 * 1000));
}

RetryVerdict Backoff::defaultClassify(int status, const HttpHeaders &headers,
                                      const QByteArray &body)
{
    const QByteArray shouldRetry = headerValue(headers, "x-should-retry").trimmed().toLower();
    if (shouldRetry == "true")
        return RetryVerdict::Retry;
    if (shouldRetry == "false")
        return RetryVerdict::Fail;
    if (status == 429)
        return body.contains("insufficient_quota") ? RetryVerdict::Fail : RetryVerdict::Retry;
    if (status == 408 || status == 409 || status >= 500)
        return RetryVerdict::Retry;
    return RetryVerdict::Fail;
}

} // namespace ts
