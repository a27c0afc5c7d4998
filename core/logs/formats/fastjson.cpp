#include "logs/formats/fastjson.h"

#include <simdjson.h>

#include <string>

namespace ts::otlp {

using nlohmann::json;

json toNlohmann(simdjson::dom::element e)
{
    switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
        json out = json::object();
        auto &map = out.get_ref<json::object_t &>();
        for (auto field : simdjson::dom::object(e))
            // Assignment, not emplace: a repeated key keeps its last value, as in nlohmann.
            map[std::string(field.key)] = toNlohmann(field.value);
        return out;
    }
    case simdjson::dom::element_type::ARRAY: {
        const simdjson::dom::array array(e);
        json out = json::array();
        auto &items = out.get_ref<json::array_t &>();
        items.reserve(array.size());
        for (auto item : array)
            items.push_back(toNlohmann(item));
        return out;
    }
    case simdjson::dom::element_type::STRING:
        return json(std::string(std::string_view(e)));
    case simdjson::dom::element_type::INT64: {
        // nlohmann keeps non-negative integers unsigned and negative ones signed.
        const int64_t v = int64_t(e);
        return v >= 0 ? json(uint64_t(v)) : json(v);
    }
    case simdjson::dom::element_type::UINT64:
        return json(uint64_t(e));
    case simdjson::dom::element_type::DOUBLE:
        return json(double(e));
    case simdjson::dom::element_type::BOOL:
        return json(bool(e));
    case simdjson::dom::element_type::NULL_VALUE:
        return json(nullptr);
    }
    return json(nullptr);
}

json parseJsonFast(std::string_view text)
{
    thread_local simdjson::dom::parser parser;
    thread_local std::string buffer;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end.
    buffer.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    buffer.assign(text.data(), text.size());
    simdjson::dom::element root;
    if (parser.parse(buffer.data(), buffer.size(), /*realloc_if_needed=*/false).get(root)
        == simdjson::SUCCESS)
        return toNlohmann(root);
    // What simdjson refuses (control characters, a byte order mark, integers past 64 bits,
    // deep nesting, or text that is not JSON) nlohmann decides, so the result never depends
    // on which parser ran.
    return json::parse(text.begin(), text.end(), nullptr, false);
}

} // namespace ts::otlp
