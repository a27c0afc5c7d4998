#include "template/mustache.h"

#include "template/mustacheparser.h"
#include "template/partialcache.h"

#include <charconv>
#include <cmath>
#include <optional>

namespace ts {

using mustache::Node;
using mustache::NodeList;
using mustache::NodeType;
using mustache::ParsedPartial;
using nlohmann::json;

namespace {

// Deeper than any sane prompt; stops a partial that includes itself unconditionally.
constexpr int maxPartialDepth = 100;

bool isIndex(const std::string &key)
{
    if (key.empty() || key.size() > 9)
        return false;
    for (char c : key) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

// One step down a dotted name: a key of an object, or an index ("items.0") into a list.
const json *child(const json &value, const std::string &key)
{
    if (value.is_object()) {
        const auto it = value.find(key);
        return it == value.end() ? nullptr : &*it;
    }
    if (value.is_array() && isIndex(key)) {
        const size_t index = std::stoul(key);
        return index < value.size() ? &value[index] : nullptr;
    }
    return nullptr;
}

// The spec's `!!data`, JavaScript truthiness.
bool isTruthy(const json &value)
{
    switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
        return false;
    case json::value_t::boolean:
        return value.get<bool>();
    case json::value_t::number_integer:
        return value.get<std::int64_t>() != 0;
    case json::value_t::number_unsigned:
        return value.get<std::uint64_t>() != 0;
    case json::value_t::number_float: {
        const double d = value.get<double>();
        return d != 0.0 && !std::isnan(d);
    }
    case json::value_t::string:
        return !value.get_ref<const std::string &>().empty();
    case json::value_t::array:
        return !value.empty();
    case json::value_t::object:
    case json::value_t::binary:
        return true;
    }
    return true;
}

void appendEscaped(std::string &out, std::string_view text)
{
    size_t plainFrom = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char *entity = nullptr;
        switch (text[i]) {
        case '&':
            entity = "&amp;";
            break;
        case '<':
            entity = "&lt;";
            break;
        case '>':
            entity = "&gt;";
            break;
        case '"':
            entity = "&quot;";
            break;
        case '\'':
            entity = "&#39;";
            break;
        default:
            continue;
        }
        out.append(text.substr(plainFrom, i - plainFrom));
        out.append(entity);
        plainFrom = i + 1;
    }
    out.append(text.substr(plainFrom));
}

template<typename Number> void appendNumber(std::string &out, Number number)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    out.append(buffer, result.ptr);
}

} // namespace

struct MustacheTemplate::Impl
{
    NodeList nodes;
    std::string source; // kept to place render errors
    mutable mustache::PartialCache partials;
};

namespace {

class Renderer final
{
public:
    Renderer(const MustacheTemplate::Impl &impl, const PartialMap &partials,
             const RenderOptions &options, std::string &out)
        : m_impl(impl)
        , m_partials(partials)
        , m_options(options)
        , m_out(out)
    {
    }

    void render(const NodeList &nodes, const json &data)
    {
        m_stack.push_back(&data);
        renderList(nodes);
        m_stack.pop_back();
    }

    std::optional<TemplateError> error;

private:
    void renderList(const NodeList &nodes);
    void renderPartial(const Node &node);
    const json *lookup(const Node &node) const;
    void appendValue(const json &value, bool escape);
    void fail(const Node &tag, const QString &message)
    {
        if (error)
            return;
        auto [line, column] = mustache::lineColumn(*m_text, tag.offset);
        error = TemplateError {line, column - int(m_indentSize), message, m_currentPartial};
    }

    const MustacheTemplate::Impl &m_impl;
    const PartialMap &m_partials;
    const RenderOptions &m_options;
    std::string &m_out;
    std::vector<const json *> m_stack;
    int m_depth = 0;
    // Where the tags being rendered were written, for errors.
    QString m_currentPartial;
    const std::string *m_text = &m_impl.source;
    size_t m_indentSize = 0;
};

const json *Renderer::lookup(const Node &node) const
{
    if (node.path.empty())
        return m_stack.back();
    const json *found = nullptr;
    for (auto it = m_stack.rbegin(); it != m_stack.rend() && !found; ++it)
        found = child(**it, node.path.front());
    // Later parts resolve only against what the first part found (no masking).
    for (size_t i = 1; found && i < node.path.size(); ++i)
        found = child(*found, node.path[i]);
    return found;
}

void Renderer::appendValue(const json &value, bool escape)
{
    switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
        return;
    case json::value_t::string: {
        const auto &text = value.get_ref<const std::string &>();
        if (escape)
            appendEscaped(m_out, text);
        else
            m_out.append(text);
        return;
    }
    case json::value_t::boolean:
        m_out.append(value.get<bool>() ? "true" : "false");
        return;
    case json::value_t::number_integer:
        appendNumber(m_out, value.get<std::int64_t>());
        return;
    case json::value_t::number_unsigned:
        appendNumber(m_out, value.get<std::uint64_t>());
        return;
    case json::value_t::number_float: {
        const double d = value.get<double>();
        // As JavaScript prints numbers: 1.0 is "1".
        if (std::isfinite(d) && d == std::trunc(d) && std::abs(d) < 1e15)
            appendNumber(m_out, static_cast<std::int64_t>(d));
        else if (std::isfinite(d))
            appendNumber(m_out, d);
        else
            m_out.append(std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"));
        return;
    }
    case json::value_t::object:
    case json::value_t::array:
    case json::value_t::binary: {
        const std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
        if (escape)
            appendEscaped(m_out, text);
        else
            m_out.append(text);
        return;
    }
    }
}

void Renderer::renderList(const NodeList &nodes)
{
    for (const Node &node : nodes) {
        switch (node.type) {
        case NodeType::Text:
            m_out.append(node.text);
            break;
        case NodeType::Variable:
            if (const json *value = lookup(node))
                appendValue(*value, node.escape && m_options.escapeHtml);
            break;
        case NodeType::Section: {
            const json *value = lookup(node);
            if (!value || !isTruthy(*value))
                break;
            if (value->is_array()) {
                for (const json &item : *value) {
                    m_stack.push_back(&item);
                    renderList(node.children);
                    m_stack.pop_back();
                }
            } else {
                m_stack.push_back(value);
                renderList(node.children);
                m_stack.pop_back();
            }
            break;
        }
        case NodeType::InvertedSection: {
            const json *value = lookup(node);
            if (!value || !isTruthy(*value))
                renderList(node.children);
            break;
        }
        case NodeType::Partial:
            renderPartial(node);
            break;
        }
    }
}

void Renderer::renderPartial(const Node &node)
{
    const auto it = m_partials.constFind(node.partialName);
    if (it == m_partials.cend()) {
        if (m_options.strictPartials)
            fail(node, QStringLiteral("Unknown partial \"%1\"").arg(node.partialName));
        return;
    }
    if (m_depth >= maxPartialDepth) {
        fail(node,
             QStringLiteral("Partials nested more than %1 deep: does \"%2\" include "
                            "itself without a section that ends the recursion?")
                 .arg(maxPartialDepth)
                 .arg(node.partialName));
        return;
    }
    const auto parsed = m_impl.partials.get(node, it.value());
    if (parsed->error) {
        if (!error)
            error = parsed->error;
        return;
    }
    const QString outerPartial = std::exchange(m_currentPartial, node.partialName);
    const std::string *outerText = std::exchange(m_text, &parsed->text);
    const size_t outerIndent = std::exchange(m_indentSize, parsed->indentSize);
    ++m_depth;
    const size_t start = m_out.size();
    renderList(parsed->nodes);
    --m_depth;
    if (m_options.keepLineAfterPartial && !node.lineBreak.empty() && m_out.size() > start
        && m_out.back() != '\n')
        m_out.append(node.lineBreak);
    m_currentPartial = outerPartial;
    m_text = outerText;
    m_indentSize = outerIndent;
}

int kindRank(TemplateVariable::Kind kind)
{
    switch (kind) {
    case TemplateVariable::Kind::Value:
        return 0;
    case TemplateVariable::Kind::InvertedSection:
        return 1;
    case TemplateVariable::Kind::Section:
        return 2;
    }
    return 0;
}

class VariableCollector final
{
public:
    VariableCollector(const MustacheTemplate::Impl &impl, const PartialMap *partials)
        : m_impl(impl)
        , m_partials(partials)
    {
    }

    void collect(const NodeList &nodes, QList<TemplateVariable> &out)
    {
        for (const Node &node : nodes) {
            switch (node.type) {
            case NodeType::Text:
                break;
            case NodeType::Variable:
                if (!node.path.empty())
                    entry(node, TemplateVariable::Kind::Value, out);
                break;
            case NodeType::Section:
            case NodeType::InvertedSection: {
                if (node.path.empty()) { // {{#.}}: its names belong to the enclosing scope
                    collect(node.children, out);
                    break;
                }
                const auto kind = node.type == NodeType::Section
                    ? TemplateVariable::Kind::Section
                    : TemplateVariable::Kind::InvertedSection;
                TemplateVariable &section = entry(node, kind, out);
                collect(node.children, section.children);
                break;
            }
            case NodeType::Partial: {
                if (!m_partials || m_following.contains(node.partialName))
                    break;
                const auto it = m_partials->constFind(node.partialName);
                if (it == m_partials->cend())
                    break;
                const auto parsed = m_impl.partials.get(node, it.value());
                m_following.append(node.partialName);
                collect(parsed->nodes, out);
                m_following.removeLast();
                break;
            }
            }
        }
    }

private:
    static TemplateVariable &entry(const Node &node, TemplateVariable::Kind kind,
                                   QList<TemplateVariable> &out)
    {
        const QString name = QString::fromStdString(node.path.front());
        const QString path = QString::fromStdString(node.text);
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const TemplateVariable &v) { return v.name == name; });
        if (it == out.end()) {
            out.append(TemplateVariable {name, kind, {}, {}});
            it = out.end() - 1;
        }
        if (kindRank(kind) > kindRank(it->kind))
            it->kind = kind;
        if (!it->paths.contains(path))
            it->paths.append(path);
        return *it;
    }

    const MustacheTemplate::Impl &m_impl;
    const PartialMap *m_partials;
    QStringList m_following; // partials being expanded, to stop at recursion
};

void collectPartials(const NodeList &nodes, QStringList &out)
{
    for (const Node &node : nodes) {
        if (node.type == NodeType::Partial && !out.contains(node.partialName))
            out.append(node.partialName);
        collectPartials(node.children, out);
    }
}

} // namespace

QString TemplateError::toString() const
{
    const QString at = QStringLiteral("%1:%2: %3").arg(line).arg(column).arg(message);
    return partial.isEmpty() ? at : QStringLiteral("partial \"%1\" ").arg(partial) + at;
}

Error TemplateError::toError() const
{
    return Error {ErrorCode::Template, toString()};
}

MustacheTemplate::MustacheTemplate()
    : m_impl(std::make_shared<Impl>())
{
}

MustacheTemplate::MustacheTemplate(std::shared_ptr<const Impl> impl)
    : m_impl(std::move(impl))
{
}

tl::expected<MustacheTemplate, TemplateError> MustacheTemplate::parse(const QString &source)
{
    const QByteArray utf8 = source.toUtf8();
    return parseUtf8(std::string_view(utf8.constData(), size_t(utf8.size())));
}

tl::expected<MustacheTemplate, TemplateError> MustacheTemplate::parseUtf8(std::string_view source)
{
    auto nodes = mustache::parse(source);
    if (!nodes)
        return tl::unexpected(nodes.error());
    auto impl = std::make_shared<Impl>();
    impl->nodes = std::move(*nodes);
    impl->source = std::string(source);
    return MustacheTemplate(std::move(impl));
}

std::string MustacheTemplate::renderUtf8(const json &data, const PartialMap &partials,
                                         const RenderOptions &options) const
{
    std::string out;
    out.reserve(m_impl->source.size() * 2 + 64);
    Renderer(*m_impl, partials, options, out).render(m_impl->nodes, data);
    return out;
}

QString MustacheTemplate::render(const json &data, const PartialMap &partials,
                                 const RenderOptions &options) const
{
    return QString::fromStdString(renderUtf8(data, partials, options));
}

tl::expected<QString, TemplateError>
MustacheTemplate::renderChecked(const json &data, const PartialMap &partials,
                                const RenderOptions &options) const
{
    std::string out;
    out.reserve(m_impl->source.size() * 2 + 64);
    Renderer renderer(*m_impl, partials, options, out);
    renderer.render(m_impl->nodes, data);
    if (renderer.error)
        return tl::unexpected(*renderer.error);
    return QString::fromStdString(out);
}

QList<TemplateVariable> MustacheTemplate::variables() const
{
    QList<TemplateVariable> out;
    VariableCollector(*m_impl, nullptr).collect(m_impl->nodes, out);
    return out;
}

QList<TemplateVariable> MustacheTemplate::variables(const PartialMap &partials) const
{
    QList<TemplateVariable> out;
    VariableCollector(*m_impl, &partials).collect(m_impl->nodes, out);
    return out;
}

QStringList MustacheTemplate::partials() const
{
    QStringList out;
    collectPartials(m_impl->nodes, out);
    return out;
}

} // namespace ts
