#include "logs/logrecord.h"

#include "common/json.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QRegularExpression>

#include <chrono>
#include <cstdio>

namespace ts {

namespace {

nlohmann::json optionalText(const std::optional<QString> &text)
{
    return text ? nlohmann::json(sstr(*text)) : nlohmann::json();
}

std::optional<QString> textOrNull(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return std::nullopt;
    return qstr(it->get<std::string>());
}

} // namespace

QString LogRecord::dedupeKey() const
{
    if (traceId && spanId && !traceId->isEmpty() && !spanId->isEmpty())
        return QStringLiteral("span:") + *traceId + QLatin1Char(':') + *spanId;
    // No ids: the same call imported twice has the same content. Keep the key independent of
    // metadata, which exporters fill inconsistently.
    nlohmann::json content = {
        {"messages", messagesToJson(messages)},
        {"output", optionalText(output)},
        {"tool_calls", toolCallsToJson(outputToolCalls)},
        {"model", optionalText(model)},
        {"start", startMs ? nlohmann::json(*startMs) : nlohmann::json()},
        {"error", optionalText(error)},
        {"source", sstr(sourceFormat)},
    };
    const QByteArray bytes = toJsonText(content).toUtf8();
    return QStringLiteral("hash:")
        + QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString LogRecord::inputText() const
{
    QStringList parts;
    for (const LogMessage &m : messages)
        if (m.content)
            parts.append(*m.content);
    return parts.join(QLatin1Char('\n'));
}

bool LogRecord::hasToolCalls() const
{
    if (!outputToolCalls.isEmpty())
        return true;
    for (const LogMessage &m : messages)
        if (!m.toolCalls.isEmpty() || m.toolCallId)
            return true;
    return false;
}

QString mediaPlaceholder(const QString &mimeType, qint64 bytes)
{
    const QString type = mimeType.isEmpty() ? QStringLiteral("application/octet-stream") : mimeType;
    return QStringLiteral("[%1, %2 bytes]").arg(type).arg(bytes);
}

qint64 base64DecodedSize(const QString &base64)
{
    qint64 chars = 0;
    qint64 padding = 0;
    for (const QChar c : base64) {
        if (c == QLatin1Char('='))
            ++padding;
        else if (c.isLetterOrNumber() || c == QLatin1Char('+') || c == QLatin1Char('/')
                 || c == QLatin1Char('-') || c == QLatin1Char('_'))
            ++chars;
    }
    Q_UNUSED(padding);
    return chars * 3 / 4;
}

QString isoFromEpochMs(qint64 ms)
{
    // Every stored record formats two times: std::chrono's calendar is several times faster
    // than QDateTime::toString, with the same text for years 1 to 9999.
    using namespace std::chrono;
    const sys_time<milliseconds> time {milliseconds {ms}};
    const sys_days day = floor<days>(time);
    const year_month_day date {day};
    const int y = int(date.year());
    if (y < 1 || y > 9999)
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    const hh_mm_ss clock {time - day};
    char text[32];
    const int n = std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y,
                                unsigned(date.month()), unsigned(date.day()),
                                int(clock.hours().count()), int(clock.minutes().count()),
                                int(clock.seconds().count()), int(clock.subseconds().count()));
    return QString::fromLatin1(text, n);
}

std::optional<qint64> epochMsFromText(const QString &raw)
{
    const QString text = raw.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const double number = text.toDouble(&isNumber);
    if (isNumber) {
        // Seconds until the year 5138; larger values are milliseconds.
        if (std::abs(number) < 1e11)
            return qint64(std::llround(number * 1000.0));
        return qint64(std::llround(number));
    }
    static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (dateOnly.match(text).hasMatch()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (!d.isValid())
            return std::nullopt;
        return QDateTime(d, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    }
    QString t = text;
    t.replace(QLatin1Char(' '), QLatin1Char('T'));
    // Fractions longer than milliseconds (Python writes microseconds, OTLP nanoseconds).
    static const QRegularExpression longFraction(QStringLiteral("(\\.\\d{3})\\d+"));
    t.replace(longFraction, QStringLiteral("\\1"));
    static const QRegularExpression hasZone(QStringLiteral("(Z|[+-]\\d{2}:?\\d{2})$"));
    QDateTime dt;
    if (hasZone.match(t).hasMatch()) {
        dt = QDateTime::fromString(t, Qt::ISODateWithMs);
        if (!dt.isValid())
            dt = QDateTime::fromString(t, Qt::ISODate);
    } else {
        dt = QDateTime::fromString(t, Qt::ISODateWithMs);
        if (!dt.isValid())
            dt = QDateTime::fromString(t, Qt::ISODate);
        if (dt.isValid())
            dt = QDateTime(dt.date(), dt.time(), Qt::UTC); // no zone means UTC
    }
    if (!dt.isValid())
        return std::nullopt;
    return dt.toMSecsSinceEpoch();
}

nlohmann::json toolCallsToJson(const QList<LogToolCall> &calls)
{
    nlohmann::json array = nlohmann::json::array();
    for (const LogToolCall &c : calls)
        array.push_back(
            {{"id", optionalText(c.id)}, {"name", sstr(c.name)}, {"arguments", c.arguments}});
    return array;
}

QList<LogToolCall> toolCallsFromJson(const nlohmann::json &json)
{
    QList<LogToolCall> calls;
    if (!json.is_array())
        return calls;
    for (const nlohmann::json &c : json) {
        if (!c.is_object())
            continue;
        LogToolCall call;
        call.id = textOrNull(c, "id");
        call.name = jsonString(c, "name");
        if (const auto it = c.find("arguments"); it != c.end())
            call.arguments = *it;
        calls.append(call);
    }
    return calls;
}

nlohmann::json messagesToJson(const QList<LogMessage> &messages)
{
    nlohmann::json array = nlohmann::json::array();
    for (const LogMessage &m : messages) {
        nlohmann::json item = {{"role", sstr(m.role)}, {"content", optionalText(m.content)}};
        if (!m.toolCalls.isEmpty())
            item["tool_calls"] = toolCallsToJson(m.toolCalls);
        if (m.toolCallId)
            item["tool_call_id"] = sstr(*m.toolCallId);
        array.push_back(std::move(item));
    }
    return array;
}

QList<LogMessage> messagesFromJson(const nlohmann::json &json)
{
    QList<LogMessage> messages;
    if (!json.is_array())
        return messages;
    for (const nlohmann::json &item : json) {
        if (!item.is_object())
            continue;
        LogMessage m;
        m.role = jsonString(item, "role");
        m.content = textOrNull(item, "content");
        if (const auto it = item.find("tool_calls"); it != item.end())
            m.toolCalls = toolCallsFromJson(*it);
        m.toolCallId = textOrNull(item, "tool_call_id");
        messages.append(m);
    }
    return messages;
}

} // namespace ts
