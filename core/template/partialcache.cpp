#include "template/partialcache.h"

namespace ts::mustache {

std::shared_ptr<const ParsedPartial> PartialCache::get(const Node &tag, const QString &source)
{
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_entries.find(tag.cacheKey);
        if (it != m_entries.end() && it->second.source == source)
            return it->second.parsed;
    }
    // Parsed outside the lock: a slow partial does not hold up other renders.
    auto parsed = std::make_shared<ParsedPartial>();
    const QByteArray utf8 = source.toUtf8();
    const std::string_view raw(utf8.constData(), size_t(utf8.size()));
    parsed->text = tag.indent.empty() ? std::string(raw) : indentLines(raw, tag.indent);
    parsed->indentSize = tag.indent.size();
    auto nodes = parse(parsed->text);
    if (nodes) {
        parsed->nodes = std::move(*nodes);
    } else {
        // Report positions in the source as written, not in its indented copy.
        auto plain = tag.indent.empty() ? nodes : parse(raw);
        parsed->error = plain ? nodes.error() : plain.error();
        parsed->error->partial = tag.partialName;
    }
    std::lock_guard lock(m_mutex);
    m_entries[tag.cacheKey] = Entry {source, parsed};
    return parsed;
}

} // namespace ts::mustache
