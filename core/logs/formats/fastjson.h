#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace simdjson::dom {
class element;
}

namespace ts::otlp {

/// Parses JSON text into an nlohmann::json value through simdjson: the same value that
/// `nlohmann::json::parse(text, nullptr, false)` gives (a discarded value when the text is not
/// JSON), several times faster, because simdjson's lexer does the work nlohmann's
/// character-at-a-time lexer did and only the tree is built here. Text that simdjson refuses
/// (control characters, integers past 64 bits, deep nesting) goes to nlohmann. Used on the OTLP
/// import's hot path: every JSON Lines document and the message lists embedded in it as JSON
/// strings.
nlohmann::json parseJsonFast(std::string_view text);

/// One value of a simdjson document as nlohmann::json (what parseJsonFast() builds).
nlohmann::json toNlohmann(simdjson::dom::element e);

} // namespace ts::otlp
