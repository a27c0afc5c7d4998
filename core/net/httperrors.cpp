#include "net/httperrors.h"

#include "net/backoff.h"

#include <QUrl>

#include <nlohmann/json.hpp>

namespace ts::detail {

namespace {

QString attemptsSuffix(int attempts)
{
    return attempts > 1 ? QStringLiteral(" (after %1 attempts)").arg(attempts) : QString();
}

QString withExcerpt(const QString &message, const QByteArray &body)
{
    const QString excerpt = bodyExcerpt(body);
    return excerpt.isEmpty() ? message : message + QStringLiteral(": ") + excerpt;
}

} // namespace

QString hostLabel(const QByteArray &url)
{
    const QUrl parsed = QUrl::fromEncoded(url);
    QString host = parsed.host();
    if (host.isEmpty())
        return QStringLiteral("the server");
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return parsed.port() >= 0 ? host + QLatin1Char(':') + QString::number(parsed.port()) : host;
}

QString formatSeconds(qint64 ms)
{
    if (ms % 1000 == 0)
        return QStringLiteral("%1 s").arg(ms / 1000);
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'g', 3);
}

QString bodyExcerpt(const QByteArray &body)
{
    constexpr int maxChars = 300;
    QString text;
    try {
        const auto json = nlohmann::json::parse(body.constData(), body.constData() + body.size());
        const nlohmann::json *node = &json;
        if (json.is_object() && json.contains("error"))
            node = &json["error"];
        if (node->is_string()) {
            text = QString::fromStdString(node->get<std::string>());
        } else if (node->is_object() && node->contains("message")
                   && (*node)["message"].is_string()) {
            text = QString::fromStdString((*node)["message"].get<std::string>());
        }
    } catch (const nlohmann::json::exception &) {
        // Not JSON: fall back to the raw text below.
    }
    if (text.isEmpty())
        text = QString::fromUtf8(body);
    text = text.simplified();
    if (text.size() > maxChars)
        text = text.left(maxChars) + QStringLiteral("…");
    return text;
}

Error statusError(int status, const HttpHeaders &headers, const QByteArray &body,
                  const QString &host, int attempts)
{
    const QString tail = attemptsSuffix(attempts);
    if (status == 401 || status == 403) {
        return Error {ErrorCode::Auth,
                      withExcerpt(QStringLiteral("HTTP %1 from %2: API key missing or rejected%3")
                                      .arg(status)
                                      .arg(host, tail),
                                  body)};
    }
    if (status == 404) {
        return Error {
            ErrorCode::ModelNotFound,
            withExcerpt(
                QStringLiteral("HTTP 404 from %1: model or endpoint not found%2").arg(host, tail),
                body)};
    }
    if (status == 429 && body.contains("insufficient_quota")) {
        return Error {ErrorCode::QuotaExceeded,
                      withExcerpt(QStringLiteral("HTTP 429 from %1: quota exceeded, check the "
                                                 "plan and billing of this key%2")
                                      .arg(host, tail),
                                  body)};
    }
    if (status == 429) {
        const std::optional<int> wait = Backoff::retryAfterMs(headers);
        const QString waitText = wait
            ? QStringLiteral(", the server asks to wait %1").arg(formatSeconds(*wait))
            : QString();
        return Error {
            ErrorCode::RateLimited,
            withExcerpt(
                QStringLiteral("Rate limited by %1 (HTTP 429)%2%3").arg(host, waitText, tail),
                body)};
    }
    if (status >= 500) {
        return Error {
            ErrorCode::ServerError,
            withExcerpt(
                QStringLiteral("Server error from %1 (HTTP %2)%3").arg(host).arg(status).arg(tail),
                body)};
    }
    if (status == 408) {
        return Error {ErrorCode::Timeout,
                      withExcerpt(QStringLiteral("HTTP 408 from %1: the server timed out waiting "
                                                 "for the request%2")
                                      .arg(host, tail),
                                  body)};
    }
    return Error {
        status >= 400 && status < 500 ? ErrorCode::InvalidArgument : ErrorCode::Protocol,
        withExcerpt(
            QStringLiteral("HTTP %1 from %2: request rejected%3").arg(status).arg(host, tail),
            body)};
}

bool isConnectionFailure(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

Error transferError(CURLcode code, const QString &curlMessage, const QString &host,
                    bool responseStarted, qint64 bodyBytes, int connectTimeoutMs, int attempts)
{
    const QString tail = attemptsSuffix(attempts);
    if (responseStarted) {
        return Error {ErrorCode::Network,
                      QStringLiteral("Connection to %1 was cut after %2 bytes (%3)")
                          .arg(host)
                          .arg(bodyBytes)
                          .arg(curlMessage)};
    }
    switch (code) {
    case CURLE_COULDNT_CONNECT:
        return Error {ErrorCode::Network,
                      QStringLiteral("Cannot connect to %1: connection refused%2").arg(host, tail)};
    case CURLE_COULDNT_RESOLVE_HOST:
        return Error {ErrorCode::Network,
                      QStringLiteral("Cannot resolve host %1 (DNS)%2").arg(host, tail)};
    case CURLE_COULDNT_RESOLVE_PROXY:
        return Error {ErrorCode::Network,
                      QStringLiteral("Cannot resolve the proxy for %1 (DNS)%2").arg(host, tail)};
    case CURLE_OPERATION_TIMEDOUT:
        return Error {ErrorCode::Timeout,
                      QStringLiteral("Cannot connect to %1: no answer within %2%3")
                          .arg(host, formatSeconds(connectTimeoutMs), tail)};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
        return Error {ErrorCode::Network,
                      QStringLiteral("TLS handshake with %1 failed: %2").arg(host, curlMessage)};
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return Error {ErrorCode::Network,
                      QStringLiteral("Connection to %1 was reset before a response (%2)%3")
                          .arg(host, curlMessage, tail)};
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return Error {ErrorCode::InvalidArgument,
                      QStringLiteral("Invalid URL for %1: %2").arg(host, curlMessage)};
    default:
        return Error {ErrorCode::Network,
                      QStringLiteral("Request to %1 failed: %2%3").arg(host, curlMessage, tail)};
    }
}

} // namespace ts::detail
