#pragma once

// Internal to core_template: parsed partials, shared by the copies of one template.

#include "template/mustacheparser.h"

#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace ts::mustache {

/// A partial as parsed for one tag: its nodes, or why it does not parse.
struct ParsedPartial
{
    NodeList nodes;
    std::optional<TemplateError> error;
    std::string text; ///< what was parsed: the source with the tag's indentation
    size_t indentSize = 0; ///< added to every non-empty line; subtract it from columns
};

/// Parses each partial at the indentation of its tag on first use, and again only when
/// its source changes. Safe to use from several threads.
class PartialCache final
{
public:
    std::shared_ptr<const ParsedPartial> get(const Node &tag, const QString &source);

private:
    struct Entry
    {
        QString source;
        std::shared_ptr<const ParsedPartial> parsed;
    };
    std::mutex m_mutex;
    std::unordered_map<std::string, Entry> m_entries; // by Node::cacheKey
};

} // namespace ts::mustache
