#include "evals/xmlcheck.h"

#include <QHash>
#include <QList>
#include <QXmlStreamReader>

#include <algorithm>

namespace ts::xmlcheck {

namespace {

struct Node
{
    QString name;
    QHash<QString, QString> attributes;
    QList<Node> children;
    bool hasText = false;
};

struct Parsed
{
    bool ok = false;
    QString error;
    Node root;
};

Parsed parse(const QString &text)
{
    Parsed out;
    QXmlStreamReader reader(text);
    QList<Node> stack;
    bool sawRoot = false;
    while (!reader.atEnd()) {
        const auto token = reader.readNext();
        if (token == QXmlStreamReader::DTD && reader.text().contains(QLatin1Char('['))) {
            out.error = QStringLiteral("DTD internal subsets are not supported");
            return out;
        }
        if (token == QXmlStreamReader::StartElement) {
            Node n;
            n.name = reader.qualifiedName().toString();
            for (const QXmlStreamAttribute &a : reader.attributes())
                n.attributes.insert(a.qualifiedName().toString(), a.value().toString());
            stack.append(std::move(n));
        } else if (token == QXmlStreamReader::EndElement) {
            Node done = stack.takeLast();
            if (stack.isEmpty()) {
                out.root = std::move(done);
                sawRoot = true;
            } else {
                stack.last().children.append(std::move(done));
            }
        } else if (token == QXmlStreamReader::Characters && !stack.isEmpty()
                   && !reader.isWhitespace()) {
            stack.last().hasText = true;
        }
    }
    if (reader.hasError()) {
        out.error = QStringLiteral("line %1, column %2: %3")
                        .arg(reader.lineNumber())
                        .arg(reader.columnNumber())
                        .arg(reader.errorString());
        return out;
    }
    if (!sawRoot) {
        out.error = QStringLiteral("no root element");
        return out;
    }
    out.ok = true;
    return out;
}

// The path as fast-xml-parser's object would be walked: the first step names the root,
// repeated elements form a list indexed by number, "@_x" is an attribute, "#text" the text.
bool hasPath(const Node &root, const QString &path)
{
    const QStringList steps = path.split(QLatin1Char('.'));
    QList<const Node *> current; // one node, or the repeated ones (a list)
    bool isList = false;
    bool leaf = false; // an attribute or text: nothing below it
    Node document;
    document.children.append(root);
    current.append(&document);
    for (const QString &step : steps) {
        if (leaf)
            return false;
        if (isList) {
            bool ok = false;
            const int index = step.toInt(&ok);
            if (!ok || index < 0 || index >= current.size() || QString::number(index) != step)
                return false;
            current = {current.at(index)};
            isList = false;
            continue;
        }
        const Node *node = current.constFirst();
        if (step.startsWith(QLatin1String("@_"))) {
            if (!node->attributes.contains(step.mid(2)))
                return false;
            leaf = true;
            continue;
        }
        if (step == QLatin1String("#text")) {
            if (!node->hasText)
                return false;
            leaf = true;
            continue;
        }
        QList<const Node *> matches;
        for (const Node &child : node->children) {
            if (child.name == step)
                matches.append(&child);
        }
        if (matches.isEmpty())
            return false;
        current = matches;
        isList = matches.size() > 1;
    }
    return true;
}

struct Candidate
{
    qsizetype start = 0;
    qsizetype end = 0; // one past the closing '>'
};

bool isNameStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_') || c == QLatin1Char(':');
}

// '>' ending the tag at `start`, honouring quoted attribute values; -1 if a '<' comes first.
qsizetype tagEnd(const QString &text, qsizetype start)
{
    QChar quote;
    for (qsizetype i = start + 1; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            quote = c;
        } else if (c == QLatin1Char('<')) {
            return -1;
        } else if (c == QLatin1Char('>')) {
            return i;
        }
    }
    return -1;
}

QList<Candidate> candidates(const QString &text)
{
    struct Open
    {
        QString name;
        qsizetype start;
    };
    QList<Open> stack;
    QList<Candidate> found;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('<') || i + 1 >= text.size())
            continue;
        const QChar next = text.at(i + 1);
        if (next == QLatin1Char('!') || next == QLatin1Char('?')) {
            const QString close = text.mid(i, 4) == QLatin1String("<!--") ? QStringLiteral("-->")
                : text.mid(i, 9) == QLatin1String("<![CDATA[")            ? QStringLiteral("]]>")
                : next == QLatin1Char('?')                                ? QStringLiteral("?>")
                                                                          : QStringLiteral(">");
            const qsizetype end = text.indexOf(close, i + 2);
            if (end < 0)
                break;
            i = end + close.size() - 1;
            continue;
        }
        const bool closing = next == QLatin1Char('/');
        const qsizetype nameStart = i + (closing ? 2 : 1);
        if (nameStart >= text.size() || !isNameStart(text.at(nameStart)))
            continue;
        qsizetype nameEnd = nameStart;
        while (nameEnd < text.size()
               && (text.at(nameEnd).isLetterOrNumber() || text.at(nameEnd) == QLatin1Char('_')
                   || text.at(nameEnd) == QLatin1Char(':') || text.at(nameEnd) == QLatin1Char('-')
                   || text.at(nameEnd) == QLatin1Char('.')))
            ++nameEnd;
        const qsizetype end = tagEnd(text, i);
        if (end < 0)
            continue;
        const QString name = text.mid(nameStart, nameEnd - nameStart);
        if (closing) {
            if (!stack.isEmpty() && stack.last().name == name) {
                found.append({stack.takeLast().start, end + 1});
            } else {
                stack.clear();
            }
        } else if (text.at(end - 1) == QLatin1Char('/')) {
            found.append({i, end + 1});
        } else {
            stack.append({name, i});
        }
        i = end;
    }
    std::sort(found.begin(), found.end(), [](const Candidate &a, const Candidate &b) {
        return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    return found;
}

XmlVerdict checkParsed(const Parsed &parsed, const QStringList &required)
{
    if (!parsed.ok)
        return {false, QStringLiteral("XML parsing failed: %1").arg(parsed.error)};
    QStringList missing;
    for (const QString &path : required) {
        if (!hasPath(parsed.root, path))
            missing.append(path);
    }
    if (!missing.isEmpty())
        return {false,
                QStringLiteral("XML is missing required elements: %1")
                    .arg(missing.join(QStringLiteral(", ")))};
    return {true, QStringLiteral("XML is valid and contains all required elements")};
}

} // namespace

XmlVerdict validateXml(const QString &text, const QStringList &requiredElements)
{
    if (!text.startsWith(QLatin1Char('<')))
        return {false, QStringLiteral("XML is missing opening tag")};
    return checkParsed(parse(text), requiredElements);
}

XmlVerdict containsXml(const QString &text, const QStringList &requiredElements)
{
    const QList<Candidate> found = candidates(text);
    if (found.isEmpty())
        return {false, QStringLiteral("No XML content found in the output")};
    QList<Candidate> wellFormed;
    XmlVerdict last {false, QStringLiteral("No valid XML content found matching the requirements")};
    for (const Candidate &c : found) {
        const bool inside = std::any_of(wellFormed.cbegin(), wellFormed.cend(), [&](const auto &w) {
            return c.start >= w.start && c.end <= w.end;
        });
        if (inside)
            continue;
        const Parsed parsed = parse(text.mid(c.start, c.end - c.start));
        const XmlVerdict verdict = checkParsed(parsed, requiredElements);
        if (verdict.valid)
            return verdict;
        if (parsed.ok) {
            wellFormed.append(c);
            last = verdict;
        }
    }
    return last;
}

} // namespace ts::xmlcheck
