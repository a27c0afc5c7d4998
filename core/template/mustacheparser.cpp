#include "template/mustacheparser.h"

namespace ts::mustache {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

QString fromUtf8(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// Quoted for a message, cut short so that a runaway tag does not flood the error line.
QString shownQuoted(std::string_view s)
{
    constexpr size_t maxBytes = 40;
    if (s.size() <= maxBytes)
        return QLatin1Char('"') + fromUtf8(s) + QLatin1Char('"');
    size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut; // never split a UTF-8 sequence
    return QLatin1Char('"') + fromUtf8(s.substr(0, cut)) + QStringLiteral("…\"");
}

enum class Tag { Variable, Unescaped, Section, Inverted, Close, Comment, Partial, SetDelimiters };

class Parser final
{
public:
    explicit Parser(std::string_view source)
        : m_src(source)
    {
    }

    tl::expected<NodeList, TemplateError> run();

private:
    TemplateError errorAt(size_t offset, const QString &message) const;
    QString where(size_t offset) const;
    NodeList &current() { return m_open.empty() ? m_root : m_open.back().children; }
    void appendText(size_t from, size_t to);
    std::optional<TemplateError> checkName(std::string_view name, size_t tagStart, bool dotted);

    std::string_view m_src;
    std::string m_openDelim = "{{";
    std::string m_closeDelim = "}}";
    NodeList m_root;
    std::vector<Node> m_open; // sections not yet closed, innermost last
};

// Positions are worked out only for an error, so parsing pays nothing for them.
TemplateError Parser::errorAt(size_t offset, const QString &message) const
{
    const auto [line, column] = lineColumn(m_src, offset);
    return TemplateError {line, column, message, {}};
}

QString Parser::where(size_t offset) const
{
    const auto [line, column] = lineColumn(m_src, offset);
    return QStringLiteral("%1:%2").arg(line).arg(column);
}

void Parser::appendText(size_t from, size_t to)
{
    if (to <= from)
        return;
    NodeList &list = current();
    if (!list.empty() && list.back().type == NodeType::Text) {
        list.back().text.append(m_src.substr(from, to - from)); // e.g. around a comment
        return;
    }
    Node node;
    node.type = NodeType::Text;
    node.text = std::string(m_src.substr(from, to - from));
    list.push_back(std::move(node));
}

std::optional<TemplateError> Parser::checkName(std::string_view name, size_t tagStart, bool dotted)
{
    if (name.empty())
        return errorAt(tagStart, QStringLiteral("Tag has no name"));
    for (char c : name) {
        if (isSpace(c))
            return errorAt(
                tagStart, QStringLiteral("Tag name %1 contains whitespace").arg(shownQuoted(name)));
    }
    if (dotted && name != ".") {
        if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos)
            return errorAt(tagStart,
                           QStringLiteral("Invalid name %1: a dotted name needs a name "
                                          "on each side of every dot")
                               .arg(shownQuoted(name)));
    }
    return std::nullopt;
}

std::vector<std::string> splitPath(std::string_view name)
{
    std::vector<std::string> parts;
    if (name == ".")
        return parts;
    size_t start = 0;
    while (true) {
        const size_t dot = name.find('.', start);
        parts.emplace_back(name.substr(start, dot == std::string_view::npos ? dot : dot - start));
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    return parts;
}

tl::expected<NodeList, TemplateError> Parser::run()
{
    const size_t n = m_src.size();
    size_t textStart = 0;
    while (true) {
        const size_t tagStart = m_src.find(m_openDelim, textStart);
        if (tagStart == std::string_view::npos) {
            appendText(textStart, n);
            break;
        }
        size_t p = tagStart + m_openDelim.size();
        Tag kind = Tag::Variable;
        std::string closeSeq = m_closeDelim;
        switch (p < n ? m_src[p] : '\0') {
        case '{':
            kind = Tag::Unescaped;
            closeSeq = '}' + m_closeDelim;
            break;
        case '&':
            kind = Tag::Unescaped;
            break;
        case '#':
            kind = Tag::Section;
            break;
        case '^':
            kind = Tag::Inverted;
            break;
        case '/':
            kind = Tag::Close;
            break;
        case '!':
            kind = Tag::Comment;
            break;
        case '>':
            kind = Tag::Partial;
            break;
        case '=':
            kind = Tag::SetDelimiters;
            closeSeq = '=' + m_closeDelim;
            break;
        case '<':
        case '$':
            return tl::unexpected(errorAt(
                tagStart,
                QStringLiteral("Template inheritance ({{<parent}}, {{$block}}) is not supported")));
        default:
            break;
        }
        if (kind != Tag::Variable)
            ++p;

        const size_t contentEnd = m_src.find(closeSeq, p);
        if (contentEnd == std::string_view::npos) {
            if (kind == Tag::SetDelimiters && m_src.find(m_closeDelim, p) != std::string_view::npos)
                return tl::unexpected(errorAt(
                    tagStart,
                    QStringLiteral("Set-delimiter tag must end with \"=%1\", as in %2=<% %>=%1")
                        .arg(fromUtf8(m_closeDelim), fromUtf8(m_openDelim))));
            return tl::unexpected(
                errorAt(tagStart,
                        QStringLiteral("Tag %1 is never closed: expected %2")
                            .arg(shownQuoted(m_src.substr(tagStart, p - tagStart)),
                                 shownQuoted(closeSeq))));
        }
        const size_t tagEnd = contentEnd + closeSeq.size();
        const std::string_view content = trimmed(m_src.substr(p, contentEnd - p));

        // A standalone tag (alone on its line but for blanks) takes its whole line with it.
        size_t textEnd = tagStart;
        size_t next = tagEnd;
        std::string_view indent;
        std::string_view lineBreak;
        if (kind != Tag::Variable && kind != Tag::Unescaped) {
            size_t lineStart = tagStart;
            while (lineStart > textStart && isBlank(m_src[lineStart - 1]))
                --lineStart;
            size_t after = tagEnd;
            while (after < n && isBlank(m_src[after]))
                ++after;
            const bool aloneBefore = lineStart == 0 || m_src[lineStart - 1] == '\n';
            const bool aloneAfter = after == n || m_src[after] == '\n'
                || (m_src[after] == '\r' && after + 1 < n && m_src[after + 1] == '\n');
            if (aloneBefore && aloneAfter) {
                textEnd = lineStart;
                indent = m_src.substr(lineStart, tagStart - lineStart);
                next = after == n ? n : after + (m_src[after] == '\r' ? 2 : 1);
                lineBreak = m_src.substr(after, next - after);
            }
        }
        appendText(textStart, textEnd);
        textStart = next;

        switch (kind) {
        case Tag::Comment:
            break;
        case Tag::Variable:
        case Tag::Unescaped: {
            if (auto error = checkName(content, tagStart, true))
                return tl::unexpected(*error);
            Node node;
            node.type = NodeType::Variable;
            node.escape = kind == Tag::Variable;
            node.text = std::string(content);
            node.path = splitPath(content);
            current().push_back(std::move(node));
            break;
        }
        case Tag::Section:
        case Tag::Inverted: {
            if (auto error = checkName(content, tagStart, true))
                return tl::unexpected(*error);
            Node node;
            node.type = kind == Tag::Section ? NodeType::Section : NodeType::InvertedSection;
            node.text = std::string(content);
            node.path = splitPath(content);
            node.offset = tagStart;
            m_open.push_back(std::move(node));
            break;
        }
        case Tag::Close: {
            if (auto error = checkName(content, tagStart, true))
                return tl::unexpected(*error);
            const QString tagText = shownQuoted(m_src.substr(tagStart, tagEnd - tagStart));
            if (m_open.empty())
                return tl::unexpected(errorAt(
                    tagStart, QStringLiteral("Closing tag %1 has no open section").arg(tagText)));
            if (m_open.back().text != content) {
                const Node &open = m_open.back();
                return tl::unexpected(
                    errorAt(tagStart,
                            QStringLiteral("Closing tag %1 does not match section \"%2\" "
                                           "opened at %3")
                                .arg(tagText, fromUtf8(open.text), where(open.offset))));
            }
            Node done = std::move(m_open.back());
            m_open.pop_back();
            current().push_back(std::move(done));
            break;
        }
        case Tag::Partial: {
            if (auto error = checkName(content, tagStart, false))
                return tl::unexpected(*error);
            Node node;
            node.type = NodeType::Partial;
            node.text = std::string(content);
            node.partialName = fromUtf8(content);
            node.indent = std::string(indent);
            node.lineBreak = std::string(lineBreak);
            node.cacheKey = node.text + ' ' + node.indent; // names hold no blanks: unambiguous
            node.offset = tagStart;
            current().push_back(std::move(node));
            break;
        }
        case Tag::SetDelimiters: {
            size_t split = 0;
            while (split < content.size() && !isSpace(content[split]))
                ++split;
            const std::string_view open = content.substr(0, split);
            const std::string_view close = trimmed(content.substr(split));
            bool valid = !open.empty() && !close.empty();
            for (char c : close)
                valid = valid && !isSpace(c);
            if (!valid)
                return tl::unexpected(errorAt(
                    tagStart,
                    QStringLiteral(
                        "Set-delimiter tag needs two delimiters separated by a space, as in "
                        "%1=<% %>=%2")
                        .arg(fromUtf8(m_openDelim), fromUtf8(m_closeDelim))));
            m_openDelim = std::string(open);
            m_closeDelim = std::string(close);
            break;
        }
        }
    }
    if (!m_open.empty()) {
        const Node &open = m_open.back();
        const QString what = open.type == NodeType::Section ? QStringLiteral("Section")
                                                            : QStringLiteral("Inverted section");
        return tl::unexpected(errorAt(open.offset,
                                      QStringLiteral("%1 \"%2\" opened at %3 is never closed")
                                          .arg(what, fromUtf8(open.text), where(open.offset))));
    }
    return std::move(m_root);
}

} // namespace

tl::expected<NodeList, TemplateError> parse(std::string_view source)
{
    return Parser(source).run();
}

std::string indentLines(std::string_view source, std::string_view indent)
{
    std::string out;
    out.reserve(source.size() + indent.size() * 8);
    bool atLineStart = true;
    for (size_t i = 0; i < source.size(); ++i) {
        const char c = source[i];
        if (atLineStart) {
            const bool emptyLine
                = c == '\n' || (c == '\r' && i + 1 < source.size() && source[i + 1] == '\n');
            if (!emptyLine)
                out.append(indent);
            atLineStart = false;
        }
        out.push_back(c);
        if (c == '\n')
            atLineStart = true;
    }
    return out;
}

std::pair<int, int> lineColumn(std::string_view source, size_t offset)
{
    int line = 1;
    int column = 1;
    for (size_t i = 0; i < offset && i < source.size(); ++i) {
        const auto c = static_cast<unsigned char>(source[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column;
        }
    }
    return {line, column};
}

} // namespace ts::mustache
