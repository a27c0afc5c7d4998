#include "logs/formats/otlpfastspans.h"

#include "logs/formats/fastjson.h"
#include "logs/formats/otlpjson.h"
#include "logs/formats/otlpspan.h"
#include "logs/logsink.h"

#include <simdjson.h>

#include <optional>
#include <string>
#include <variant>

namespace ts::otlp {

using nlohmann::json;
using Element = simdjson::dom::element;

namespace {

// The value of `key` as nlohmann finds it in the same text: the last of repeated keys
// (simdjson keeps them all; nlohmann's object keeps the last one written).
std::optional<Element> field(Element object, std::string_view key)
{
    std::optional<Element> found;
    for (simdjson::dom::key_value_pair f : simdjson::dom::object(object))
        if (f.key == key)
            found = f.value;
    return found;
}

// member() of otlpjson.h: the camelCase spelling, else the snake_case one.
std::optional<Element> member(Element object, std::string_view camel, std::string_view snake)
{
    if (!object.is_object())
        return std::nullopt;
    if (auto value = field(object, camel))
        return value;
    return camel == snake ? std::nullopt : field(object, snake);
}

// A member as nlohmann::json (null when absent), for the helpers that take `const json *`.
struct Converted
{
    explicit Converted(const std::optional<Element> &e)
        : present(e.has_value())
        , value(e ? toNlohmann(*e) : json())
    {
    }
    const json *get() const { return present ? &value : nullptr; }
    bool present;
    json value;
};

json plainAttributes(const std::optional<Element> &attributes);

// plainValue() of otlpjson.h read from simdjson. The one-member AnyValue objects (every
// attribute of a conforming producer) are read here; anything else is converted and given
// to the reference, which picks among several members in nlohmann's key order.
json plainValue(Element anyValue)
{
    if (!anyValue.is_object())
        return toNlohmann(anyValue);
    const simdjson::dom::object object = simdjson::dom::object(anyValue);
    if (object.size() == 1) {
        const simdjson::dom::key_value_pair only = *object.begin();
        const std::string_view key = only.key;
        if (key == "stringValue" || key == "string_value")
            return toNlohmann(only.value);
        if (key == "arrayValue" || key == "array_value") {
            json out = json::array();
            if (auto values = member(only.value, "values", "values"); values && values->is_array())
                for (Element e : simdjson::dom::array(*values))
                    out.push_back(plainValue(e));
            return out;
        }
        if (key == "kvlistValue" || key == "kvlist_value")
            return plainAttributes(member(only.value, "values", "values"));
    }
    return otlp::plainValue(toNlohmann(anyValue));
}

// plainAttributes() of otlpjson.h read from simdjson.
json plainAttributes(const std::optional<Element> &attributes)
{
    json out = json::object();
    if (!attributes)
        return out;
    if (attributes->is_object())
        return toNlohmann(*attributes);
    if (!attributes->is_array())
        return out;
    auto &map = out.get_ref<json::object_t &>();
    for (Element kv : simdjson::dom::array(*attributes)) {
        if (!kv.is_object())
            continue;
        const auto key = field(kv, "key");
        if (!key || !key->is_string())
            continue;
        const auto value = field(kv, "value");
        map[std::string(std::string_view(*key))] = value ? plainValue(*value) : json(nullptr);
    }
    return out;
}

std::optional<QString> text(const std::optional<Element> &e)
{
    if (!e || !e->is_string())
        return std::nullopt;
    const std::string_view s = std::string_view(*e);
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// spanFromOtlp() of otlptraces.cpp, the same checks and messages, read from simdjson.
std::variant<SpanData, QString> spanFrom(Element span, const json &resource, const json &scope)
{
    if (!span.is_object())
        return QStringLiteral("span is not a JSON object");
    SpanData out;
    bool invalid = false;
    const Converted traceId(member(span, "traceId", "trace_id"));
    out.traceId = normalizeId(traceId.get(), 16, &invalid);
    if (invalid)
        return QStringLiteral("traceId %1 is not a 16-byte id in hex")
            .arg(QString::fromStdString(traceId.value.dump()));
    const Converted spanId(member(span, "spanId", "span_id"));
    out.spanId = normalizeId(spanId.get(), 8, &invalid);
    if (invalid)
        return QStringLiteral("spanId %1 is not an 8-byte id in hex")
            .arg(QString::fromStdString(spanId.value.dump()));
    // A broken parent link loses only the link, not the call.
    out.parentSpanId
        = normalizeId(Converted(member(span, "parentSpanId", "parent_span_id")).get(), 8, &invalid);
    if (auto name = text(member(span, "name", "name")))
        out.name = *name;
    out.kind = spanKindName(Converted(member(span, "kind", "kind")).get());
    out.startMs
        = nanosToMs(Converted(member(span, "startTimeUnixNano", "start_time_unix_nano")).get());
    out.endMs = nanosToMs(Converted(member(span, "endTimeUnixNano", "end_time_unix_nano")).get());
    if (auto status = member(span, "status", "status"); status && status->is_object()) {
        out.status = statusCode(Converted(member(*status, "code", "code")).get());
        if (auto message = member(*status, "message", "message"))
            if (auto t = toText(toNlohmann(*message)); t && !t->isEmpty())
                out.statusMessage = t;
    }
    const auto attributes = member(span, "attributes", "attributes");
    if (attributes && !attributes->is_array() && !attributes->is_object() && !attributes->is_null())
        return QStringLiteral("span attributes are not a list");
    out.attributes = plainAttributes(attributes);
    if (auto events = member(span, "events", "events"); events && events->is_array()) {
        for (Element e : simdjson::dom::array(*events)) {
            if (!e.is_object())
                continue;
            SpanEvent event;
            if (auto name = member(e, "name", "name"); name && name->is_string())
                event.name = std::string(std::string_view(*name));
            event.timeMs = nanosToMs(Converted(member(e, "timeUnixNano", "time_unix_nano")).get());
            event.attributes = plainAttributes(member(e, "attributes", "attributes"));
            out.events << std::move(event);
        }
    }
    out.resource = resource;
    out.scope = scope;
    return out;
}

} // namespace

FastSpanReader::FastSpanReader(LogSink &sink, const LogJoinData &join, QString sourceFormat)
    : m_sink(sink)
    , m_join(join)
    , m_sourceFormat(std::move(sourceFormat))
{
}

LineOutcome FastSpanReader::read(std::string_view line, qint64 number)
{
    // A parser of its own: emitSpan() parses embedded JSON text with parseJsonFast()'s
    // parser while this document is still being walked.
    thread_local simdjson::dom::parser parser;
    thread_local std::string buffer;
    buffer.reserve(line.size() + simdjson::SIMDJSON_PADDING);
    buffer.assign(line.data(), line.size());
    Element root;
    if (parser.parse(buffer.data(), buffer.size(), /*realloc_if_needed=*/false).get(root)
        != simdjson::SUCCESS)
        return LineOutcome::Refused;
    if (!root.is_object())
        return LineOutcome::Refused;
    // walkDocument() of otlpstream.cpp, for traces.
    const auto resources = member(root, "resourceSpans", "resource_spans");
    if (!resources)
        return LineOutcome::Refused; // "not an OTLP/JSON TracesData object" is reported there
    if (resources->is_null())
        return LineOutcome::Read;
    if (!resources->is_array())
        return LineOutcome::Refused;
    for (Element rs : simdjson::dom::array(*resources)) {
        if (!rs.is_object())
            continue;
        json resource = json::object();
        if (auto r = member(rs, "resource", "resource"))
            resource = resourceInfo(toNlohmann(*r));
        auto scopes = member(rs, "scopeSpans", "scope_spans");
        if (!scopes)
            scopes = member(rs, "instrumentationLibrarySpans", "instrumentation_library_spans");
        if (!scopes || !scopes->is_array())
            continue;
        for (Element ss : simdjson::dom::array(*scopes)) {
            if (!ss.is_object())
                continue;
            auto scopeObject = member(ss, "scope", "scope");
            if (!scopeObject)
                scopeObject = member(ss, "instrumentationLibrary", "instrumentation_library");
            const json scope = scopeObject ? scopeInfo(toNlohmann(*scopeObject)) : json::object();
            const auto items = member(ss, "spans", "spans");
            if (!items || !items->is_array())
                continue;
            for (Element item : simdjson::dom::array(*items)) {
                if (m_sink.cancelled())
                    return LineOutcome::Stopped;
                auto parsed = spanFrom(item, resource, scope);
                if (auto *reason = std::get_if<QString>(&parsed))
                    m_sink.malformed(number, *reason);
                else
                    emitSpan(std::move(std::get<SpanData>(parsed)), m_sink, m_join, m_sourceFormat);
            }
        }
    }
    return LineOutcome::Read;
}

} // namespace ts::otlp
