#pragma once

// Internal to core_template: the parsed form of a Mustache template.

#include "template/mustache.h"

#include <string>
#include <string_view>
#include <vector>

namespace ts::mustache {

enum class NodeType { Text, Variable, Section, InvertedSection, Partial };

struct Node
{
    NodeType type = NodeType::Text;
    /// Variables only: {{name}} escapes (when asked), {{{name}}} and {{&name}} never.
    bool escape = true;
    /// Text: the literal text. Variable/sections: the name as written. Partial: its name.
    std::string text;
    /// The name split on '.'; empty for the implicit iterator {{.}}.
    std::vector<std::string> path;
    /// Partial only: the partial name, the indentation of a standalone tag, and the key
    /// of the parsed (indented) partial in the cache.
    QString partialName;
    std::string indent;
    /// Partial only: the line break a standalone tag took with its line ("" otherwise).
    std::string lineBreak;
    std::string cacheKey;
    /// Sections and partials: the byte offset of the tag in the parsed text, for messages.
    size_t offset = 0;
    /// Sections only.
    std::vector<Node> children;
};

using NodeList = std::vector<Node>;

/// Parses UTF-8 Mustache source. A parse error carries line, column and message; the
/// caller fills in which partial it came from.
tl::expected<NodeList, TemplateError> parse(std::string_view source);

/// Prepends \a indent to every non-empty line of \a source, as the spec asks for a
/// standalone partial tag.
std::string indentLines(std::string_view source, std::string_view indent);

/// 1-based line and code-point column of byte \a offset in \a source.
std::pair<int, int> lineColumn(std::string_view source, size_t offset);

} // namespace ts::mustache
