#include "logs/formats/otlpjson.h"

#include "logs/logrecord.h"

#include <QByteArray>

#include <charconv>
#include <cmath>
#include <limits>

namespace ts::otlp {

using nlohmann::json;

namespace {

bool isHex(std::string_view s)
{
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return false;
    return true;
}

bool isBase64Char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='
        || c == '-' || c == '_';
}

// Strings this long made only of base64 characters are binary data, not prose.
constexpr size_t kLongBase64 = 256;

} // namespace

const json *member(const json &object, std::string_view camel, std::string_view snake)
{
    if (!object.is_object())
        return nullptr;
    auto it = object.find(camel);
    if (it != object.end())
        return &*it;
    it = object.find(snake);
    return it != object.end() ? &*it : nullptr;
}

std::optional<qint64> toInt64(const json &value)
{
    if (value.is_number_integer())
        return value.get<qint64>();
    if (value.is_number_unsigned()) {
        const auto u = value.get<quint64>();
        if (u > quint64(std::numeric_limits<qint64>::max()))
            return std::nullopt;
        return qint64(u);
    }
    if (value.is_number_float()) {
        const double d = value.get<double>();
        if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.2e18)
            return std::nullopt;
        return qint64(d);
    }
    if (value.is_string()) {
        const auto &s = value.get_ref<const std::string &>();
        qint64 out = 0;
        const char *begin = s.data();
        const char *end = s.data() + s.size();
        if (begin != end && *begin == '+')
            ++begin;
        auto [ptr, ec] = std::from_chars(begin, end, out);
        if (ec == std::errc() && ptr == end && begin != end)
            return out;
    }
    return std::nullopt;
}

std::optional<double> toDouble(const json &value)
{
    if (value.is_number())
        return value.get<double>();
    if (value.is_string()) {
        bool ok = false;
        const double d = QString::fromStdString(value.get<std::string>()).toDouble(&ok);
        if (ok)
            return d;
    }
    return std::nullopt;
}

std::optional<QString> toText(const json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    return std::nullopt;
}

std::optional<QString> normalizeId(const json *value, int bytes, bool *invalid)
{
    if (invalid)
        *invalid = false;
    if (!value || value->is_null())
        return std::nullopt;
    if (!value->is_string()) {
        if (invalid)
            *invalid = true;
        return std::nullopt;
    }
    const auto &s = value->get_ref<const std::string &>();
    if (s.empty())
        return std::nullopt;
    QByteArray raw;
    if (int(s.size()) == bytes * 2 && isHex(s)) {
        // The canonical form: lower-case it without decoding.
        if (s.find_first_not_of('0') == std::string::npos)
            return std::nullopt;
        QString hex = QString::fromLatin1(s.data(), qsizetype(s.size()));
        return hex.toLower();
    } else {
        auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromStdString(s),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || decoded.decoded.size() != bytes) {
            if (invalid)
                *invalid = true;
            return std::nullopt;
        }
        raw = decoded.decoded;
    }
    if (raw.count('\0') == raw.size())
        return std::nullopt;
    return QString::fromLatin1(raw.toHex());
}

json plainValue(const json &anyValue)
{
    if (!anyValue.is_object())
        return anyValue;
    if (anyValue.empty())
        return nullptr;
    for (auto it = anyValue.begin(); it != anyValue.end(); ++it) {
        const std::string &k = it.key();
        const json &v = *it;
        if (k == "stringValue" || k == "string_value")
            return v;
        if (k == "boolValue" || k == "bool_value") {
            if (v.is_string())
                return v.get<std::string>() == "true";
            return v;
        }
        if (k == "intValue" || k == "int_value") {
            if (auto i = toInt64(v))
                return *i;
            return v;
        }
        if (k == "doubleValue" || k == "double_value") {
            if (auto d = toDouble(v); d && std::isfinite(*d))
                return *d;
            return v.is_string() ? v : json(nullptr);
        }
        if (k == "bytesValue" || k == "bytes_value")
            return v; // base64 text; replaceInlineMedia() turns long ones into placeholders
        if (k == "arrayValue" || k == "array_value") {
            json out = json::array();
            if (const json *values = member(v, "values", "values"); values && values->is_array())
                for (const json &e : *values)
                    out.push_back(plainValue(e));
            return out;
        }
        if (k == "kvlistValue" || k == "kvlist_value")
            return plainAttributes(member(v, "values", "values"));
    }
    // Not an AnyValue: an object a producer wrote as plain JSON.
    return anyValue;
}

json plainAttributes(const json *attributes)
{
    json out = json::object();
    if (!attributes)
        return out;
    if (attributes->is_object())
        return *attributes;
    if (!attributes->is_array())
        return out;
    for (const json &kv : *attributes) {
        if (!kv.is_object())
            continue;
        auto key = kv.find("key");
        if (key == kv.end() || !key->is_string())
            continue;
        auto value = kv.find("value");
        out[key->get<std::string>()] = value != kv.end() ? plainValue(*value) : json(nullptr);
    }
    return out;
}

StatusCode statusCode(const json *code)
{
    if (!code)
        return StatusCode::Unset;
    if (auto i = toInt64(*code))
        return *i == 2 ? StatusCode::Error : *i == 1 ? StatusCode::Ok : StatusCode::Unset;
    if (code->is_string()) {
        QString name = QString::fromStdString(code->get<std::string>()).toUpper();
        name.remove(QStringLiteral("STATUS_CODE_"));
        if (name == QLatin1String("ERROR"))
            return StatusCode::Error;
        if (name == QLatin1String("OK"))
            return StatusCode::Ok;
    }
    return StatusCode::Unset;
}

QString spanKindName(const json *kind)
{
    static const char *const names[] = {"", "internal", "server", "client", "producer", "consumer"};
    if (!kind)
        return {};
    if (auto i = toInt64(*kind))
        return *i >= 0 && *i <= 5 ? QString::fromLatin1(names[*i]) : QString();
    if (kind->is_string()) {
        QString name = QString::fromStdString(kind->get<std::string>()).toLower();
        name.remove(QStringLiteral("span_kind_"));
        return name == QLatin1String("unspecified") ? QString() : name;
    }
    return {};
}

std::optional<qint64> nanosToMs(const json *nanos)
{
    if (!nanos)
        return std::nullopt;
    auto n = toInt64(*nanos);
    if (!n && nanos->is_number_unsigned())
        n = qint64(nanos->get<quint64>() / 1000000) * 1000000;
    if (!n || *n <= 0)
        return std::nullopt;
    return *n / 1000000;
}

std::optional<QString> mediaText(const std::string &text)
{
    if (text.size() > 5 && text.compare(0, 5, "data:") == 0) {
        const size_t marker = text.find(";base64,");
        const size_t comma = text.find(',');
        if (marker != std::string::npos && comma == marker + 7) {
            const QString mime = QString::fromStdString(text.substr(5, marker - 5));
            const QString data
                = QString::fromLatin1(text.data() + comma + 1, qsizetype(text.size() - comma - 1));
            return mediaPlaceholder(mime.isEmpty() ? QStringLiteral("application/octet-stream")
                                                   : mime,
                                    base64DecodedSize(data));
        }
        return std::nullopt;
    }
    if (text.size() < kLongBase64)
        return std::nullopt;
    for (char c : text)
        if (!isBase64Char(c))
            return std::nullopt;
    return mediaPlaceholder(QStringLiteral("application/octet-stream"),
                            base64DecodedSize(QString::fromLatin1(text)));
}

void replaceInlineMedia(json &value)
{
    if (value.is_string()) {
        if (auto text = mediaText(value.get_ref<const std::string &>()))
            value = text->toStdString();
    } else if (value.is_structured()) {
        for (json &child : value)
            replaceInlineMedia(child);
    }
}

} // namespace ts::otlp
