#include "logs/receiver/otlpprotojson.h"

#include <QByteArray>

namespace ts::otlpwire {

using nlohmann::json;

std::string hex(const std::string &bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(bytes.size() * 2, '0');
    for (size_t i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        out[2 * i] = digits[b >> 4];
        out[2 * i + 1] = digits[b & 15];
    }
    return out;
}

const char *binaryIdProblem(const std::string &bytes, size_t size)
{
    if (bytes.size() != size)
        return bytes.empty() ? "is missing" : "has the wrong length";
    for (char c : bytes)
        if (c != 0)
            return nullptr;
    return "is all zeroes";
}

const char *jsonIdProblem(const json *value, size_t bytes)
{
    if (!value || value->is_null())
        return "is missing";
    if (!value->is_string())
        return "is not a string";
    const std::string &text = value->get_ref<const std::string &>();
    if (text.empty())
        return "is missing";
    if (text.size() == 2 * bytes) {
        bool nonZero = false;
        for (char c : text) {
            const bool isHex
                = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!isHex)
                return "is not hexadecimal";
            nonZero = nonZero || c != '0';
        }
        return nonZero ? nullptr : "is all zeroes";
    }
    if (text.size() == (bytes + 2) / 3 * 4) {
        const auto decoded = QByteArray::fromBase64Encoding(
            QByteArray::fromRawData(text.data(), qsizetype(text.size())),
            QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && size_t(decoded.decoded.size()) == bytes)
            return binaryIdProblem(decoded.decoded.toStdString(), bytes);
    }
    return "has the wrong length";
}

json keyValuesJson(const google::protobuf::RepeatedPtrField<otlp::KeyValue> &values)
{
    json out = json::array();
    for (const otlp::KeyValue &kv : values)
        out.push_back(json {{"key", kv.key()}, {"value", anyValueJson(kv.value())}});
    return out;
}

json anyValueJson(const otlp::AnyValue &value)
{
    switch (value.value_case()) {
    case otlp::AnyValue::kStringValue:
        return json {{"stringValue", value.string_value()}};
    case otlp::AnyValue::kBoolValue:
        return json {{"boolValue", value.bool_value()}};
    case otlp::AnyValue::kIntValue:
        return json {{"intValue", std::to_string(value.int_value())}};
    case otlp::AnyValue::kDoubleValue:
        return json {{"doubleValue", value.double_value()}};
    case otlp::AnyValue::kArrayValue: {
        json values = json::array();
        for (const otlp::AnyValue &v : value.array_value().values())
            values.push_back(anyValueJson(v));
        return json {{"arrayValue", json {{"values", std::move(values)}}}};
    }
    case otlp::AnyValue::kKvlistValue:
        return json {
            {"kvlistValue", json {{"values", keyValuesJson(value.kvlist_value().values())}}}};
    case otlp::AnyValue::kBytesValue: {
        const std::string &b = value.bytes_value();
        return json {
            {"bytesValue",
             QByteArray::fromRawData(b.data(), qsizetype(b.size())).toBase64().toStdString()}};
    }
    case otlp::AnyValue::VALUE_NOT_SET:
        break;
    }
    return json::object();
}

void putCount(json &object, const char *key, quint32 count)
{
    if (count)
        object[key] = count;
}

json scopeJson(const otlp::InstrumentationScope &scope)
{
    json out {{"name", scope.name()}, {"attributes", keyValuesJson(scope.attributes())}};
    if (!scope.version().empty())
        out["version"] = scope.version();
    putCount(out, "droppedAttributesCount", scope.dropped_attributes_count());
    return out;
}

json resourceJson(const otlp::Resource &resource)
{
    json out {{"attributes", keyValuesJson(resource.attributes())}};
    putCount(out, "droppedAttributesCount", resource.dropped_attributes_count());
    return out;
}

json *member(json &object, const char *camel, const char *snake)
{
    if (auto it = object.find(camel); it != object.end())
        return &*it;
    if (auto it = object.find(snake); it != object.end())
        return &*it;
    return nullptr;
}

} // namespace ts::otlpwire
