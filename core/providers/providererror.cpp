#include "providers/providererror.h"

#include "providers/jsonutil.h"

#include <QLocale>

namespace ts {

using jsonutil::json;
using jsonutil::str;
using jsonutil::strOrNumber;

namespace {

QString lower(const QString &s)
{
    return s.toLower();
}

bool isQuotaExhausted(const ProviderError &e)
{
    static const QStringList markers{QStringLiteral("insufficient_quota"),
                                     QStringLiteral("billing_hard_limit_reached"),
                                     QStringLiteral("billing_not_active")};
    return markers.contains(lower(e.type)) || markers.contains(lower(e.code));
}

QString bodyExcerpt(QByteArrayView body)
{
    QString text = QString::fromUtf8(body).simplified();
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("…");
    return text;
}

} // namespace

std::optional<ProviderError> errorFromJson(ProviderKind kind, int httpStatus, const json &j)
{
    const json *root = &j;
    if (j.is_array()) {
        if (j.empty())
            return std::nullopt;
        root = &j.front();
    }
    if (!root->is_object())
        return std::nullopt;

    ProviderError e;
    e.provider = kind;
    e.httpStatus = httpStatus;
    const json *err = jsonutil::member(*root, "error");
    if (err && err->is_object()) {
        e.message = str(*err, "message");
        e.type = str(*err, "type");
        e.code = strOrNumber(*err, "code");
        e.status = str(*err, "status");
    } else if (err && err->is_string()) {
        e.message = jsonutil::toQString(err->get_ref<const std::string &>());
        e.type = str(*root, "type");
    } else if (err && !err->is_null() && !(err->is_boolean() && !err->get<bool>())) {
        e.message = jsonutil::toQString(err->dump());
    } else if (str(*root, "object") == QLatin1String("error")) {
        e.message = str(*root, "message");
        e.type = str(*root, "type");
        e.code = strOrNumber(*root, "code");
    } else {
        return std::nullopt;
    }
    if (e.message.isEmpty() && e.type.isEmpty() && e.code.isEmpty() && e.status.isEmpty())
        return std::nullopt;
    classifyProviderError(e);
    return e;
}

void classifyProviderError(ProviderError &e)
{
    const int s = e.httpStatus;
    const QString type = lower(e.type);
    const QString status = e.status.toUpper();
    int effective = s;
    if (effective == 0) {
        bool ok = false;
        const int code = e.code.toInt(&ok);
        if (ok && code >= 400 && code < 600)
            effective = code; // Gemini and vLLM put the HTTP status in "code"
    }

    e.retryable = false;
    if (isQuotaExhausted(e)) {
        e.category = ErrorCode::QuotaExceeded;
    } else if (effective == 429 || type == QLatin1String("rate_limit_error")
               || type == QLatin1String("rate_limit_exceeded") || type == QLatin1String("tokens")
               || type == QLatin1String("requests") || lower(e.code) == QLatin1String("rate_limit_exceeded")
               || status == QLatin1String("RESOURCE_EXHAUSTED")) {
        e.category = ErrorCode::RateLimited;
        e.retryable = true;
    } else if (effective == 401 || type == QLatin1String("authentication_error")
               // Gemini answers a bad key with 400 INVALID_ARGUMENT "API key not valid".
               || e.message.contains(QLatin1String("API key not valid"))
               || status == QLatin1String("UNAUTHENTICATED")
               || lower(e.code) == QLatin1String("invalid_api_key")) {
        e.category = ErrorCode::Auth;
    } else if (effective == 403 || type == QLatin1String("permission_error")
               || status == QLatin1String("PERMISSION_DENIED")) {
        e.category = ErrorCode::Auth;
    } else if (effective == 404 || type == QLatin1String("not_found_error")
               || status == QLatin1String("NOT_FOUND") || lower(e.code) == QLatin1String("model_not_found")) {
        e.category = ErrorCode::ModelNotFound;
    } else if (effective == 408 || status == QLatin1String("DEADLINE_EXCEEDED")) {
        e.category = ErrorCode::Timeout;
        e.retryable = true;
    } else if (effective == 409) {
        e.category = ErrorCode::ServerError;
        e.retryable = true;
    } else if (effective >= 500 || type == QLatin1String("overloaded_error")
               || type == QLatin1String("api_error") || type == QLatin1String("server_error")
               || status == QLatin1String("UNAVAILABLE") || status == QLatin1String("INTERNAL")) {
        e.category = ErrorCode::ServerError;
        e.retryable = true;
    } else if (effective >= 400) {
        e.category = ErrorCode::InvalidArgument;
    } else {
        e.category = ErrorCode::ServerError; // an error inside a stream with nothing more to go on
    }
}

QString ProviderError::displayMessage() const
{
    const QString who = providerDisplayName(provider);
    const QString what = message.isEmpty() ? (type.isEmpty() ? status : type) : message;
    const QString statusText = httpStatus > 0 ? QString::number(httpStatus) : code;
    switch (category) {
    case ErrorCode::QuotaExceeded:
        return QStringLiteral("Quota exhausted at %1 (check plan and billing): %2").arg(who, what);
    case ErrorCode::RateLimited:
        return QStringLiteral("Rate limited by %1: %2").arg(who, what);
    case ErrorCode::Auth:
        if (httpStatus == 403 || lower(type) == QLatin1String("permission_error")
            || status == QLatin1String("PERMISSION_DENIED"))
            return QStringLiteral("Access denied by %1 (403): %2").arg(who, what);
        return QStringLiteral("API key rejected (%1): %2")
            .arg(statusText.isEmpty() ? QStringLiteral("401") : statusText, what);
    case ErrorCode::ModelNotFound:
        return QStringLiteral("Model not found: %1").arg(what);
    case ErrorCode::Timeout:
        return QStringLiteral("%1 timed out: %2").arg(who, what);
    case ErrorCode::InvalidArgument:
        return QStringLiteral("Request rejected by %1 (%2): %3").arg(who, statusText, what);
    default:
        break;
    }
    if (lower(type) == QLatin1String("overloaded_error") || httpStatus == 529)
        return QStringLiteral("%1 is overloaded: %2").arg(who, what);
    if (!statusText.isEmpty())
        return QStringLiteral("Server error at %1 (%2): %3").arg(who, statusText, what);
    return QStringLiteral("Error from %1: %2").arg(who, what);
}

ProviderError parseErrorBody(ProviderKind kind, int httpStatus, QByteArrayView body)
{
    const json j = jsonutil::parse(std::string_view(body.data(), size_t(body.size())));
    if (!j.is_discarded()) {
        if (auto e = errorFromJson(kind, httpStatus, j))
            return *e;
    }
    ProviderError e;
    e.provider = kind;
    e.httpStatus = httpStatus;
    e.message = bodyExcerpt(body);
    if (e.message.isEmpty())
        e.message = QStringLiteral("HTTP %1 with an empty body").arg(httpStatus);
    classifyProviderError(e);
    return e;
}

std::optional<qint64> parseDurationMs(QByteArrayView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    double total = 0;
    qsizetype i = 0;
    bool any = false;
    while (i < text.size()) {
        const qsizetype start = i;
        while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.'))
            ++i;
        if (i == start)
            return std::nullopt;
        bool ok = false;
        const double value = text.sliced(start, i - start).toByteArray().toDouble(&ok);
        if (!ok)
            return std::nullopt;
        const qsizetype unitStart = i;
        while (i < text.size() && text[i] >= 'a' && text[i] <= 'z')
            ++i;
        const QByteArrayView unit = text.sliced(unitStart, i - unitStart);
        if (unit == "ms")
            total += value;
        else if (unit == "s" || unit.isEmpty())
            total += value * 1000.0;
        else if (unit == "m")
            total += value * 60'000.0;
        else if (unit == "h")
            total += value * 3'600'000.0;
        else
            return std::nullopt;
        any = true;
    }
    return any ? std::optional<qint64>(qint64(total + 0.5)) : std::nullopt;
}

} // namespace ts
