#include "logs/todataset/templateinversion.h"

#include "template/mustacheparser.h"

#include <QHash>
#include <QRegularExpression>

#include <string>
#include <vector>

namespace ts {

namespace {

using Status = RecoveredVariable::Status;

/// One top-level piece of a message template: literal text or an interpolated variable.
struct Piece
{
    bool isVariable = false;
    QString text; ///< literal text, or the variable name as written
    std::vector<std::string> path;
};

/// What a message template is made of, as far as inversion cares.
struct MessageShape
{
    QList<Piece> pieces; ///< top level only; consecutive text merged
    /// Sections, inverted sections, partials or {{.}} at the top level: no piecewise match.
    QStringList obstacles;
    /// Variable names in order of first use: interpolated ones outside sections, and the
    /// names of sections and inverted sections.
    QStringList names;
    QHash<QString, std::vector<std::string>> paths;
};

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

void addName(MessageShape &shape, const QString &name, const std::vector<std::string> &path)
{
    if (!shape.names.contains(name)) {
        shape.names.append(name);
        shape.paths.insert(name, path);
    }
}

MessageShape shapeOf(const mustache::NodeList &nodes)
{
    MessageShape shape;
    for (const mustache::Node &node : nodes) {
        switch (node.type) {
        case mustache::NodeType::Text:
            if (!shape.pieces.isEmpty() && !shape.pieces.last().isVariable)
                shape.pieces.last().text += fromStd(node.text);
            else
                shape.pieces.append({false, fromStd(node.text), {}});
            break;
        case mustache::NodeType::Variable:
            if (node.path.empty()) {
                shape.obstacles.append(QStringLiteral("{{.}}"));
                break;
            }
            shape.pieces.append({true, fromStd(node.text), node.path});
            addName(shape, fromStd(node.text), node.path);
            break;
        case mustache::NodeType::Section:
            shape.obstacles.append(QStringLiteral("section {{#%1}}").arg(fromStd(node.text)));
            if (!node.path.empty())
                addName(shape, fromStd(node.text), node.path);
            break;
        case mustache::NodeType::InvertedSection:
            shape.obstacles.append(
                QStringLiteral("inverted section {{^%1}}").arg(fromStd(node.text)));
            if (!node.path.empty())
                addName(shape, fromStd(node.text), node.path);
            break;
        case mustache::NodeType::Partial:
            shape.obstacles.append(QStringLiteral("partial {{> %1}}").arg(node.partialName));
            break;
        }
    }
    return shape;
}

bool sameRole(const QString &promptRole, const QString &loggedRole)
{
    const QString a = promptRole.toLower();
    const QString b = loggedRole.toLower();
    if (a == b)
        return true;
    // OpenAI's newer models call system instructions "developer" messages.
    const auto isSystem = [](const QString &r) {
        return r == QLatin1String("system") || r == QLatin1String("developer");
    };
    return isSystem(a) && isSystem(b);
}

/// Values captured by matching a message's pieces against its logged text; empty optional
/// when the text does not match. `adjacent` lists variables that follow another variable
/// with no text between them (they cannot be told apart; the first of the run takes both).
struct Capture
{
    bool matched = false;
    QHash<QString, QString> values;
    QHash<QString, QString> adjacentTo; ///< name -> the variable it follows
};

Capture capture(const QList<Piece> &pieces, const QString &logged, bool relaxEdges)
{
    QString pattern = QStringLiteral("\\A");
    QHash<QString, int> groupOf; // first group of each variable in this message
    QList<QString> groupNames; // group number - 1 -> variable name
    Capture result;
    QString previousVariable;
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        const Piece &piece = pieces[i];
        if (!piece.isVariable) {
            QString literal = piece.text;
            const bool first = i == 0;
            const bool last = i == pieces.size() - 1;
            // Some SDKs trim what they log; a second attempt lets whitespace at the edges of
            // the template differ.
            if (relaxEdges && first) {
                pattern += QStringLiteral("\\s*");
                while (!literal.isEmpty() && literal.front().isSpace())
                    literal.remove(0, 1);
            }
            QString trailing;
            if (relaxEdges && last) {
                while (!literal.isEmpty() && literal.back().isSpace())
                    literal.chop(1);
                trailing = QStringLiteral("\\s*");
            }
            pattern += QRegularExpression::escape(literal) + trailing;
            previousVariable.clear();
            continue;
        }
        if (const auto it = groupOf.constFind(piece.text); it != groupOf.cend()) {
            pattern += QStringLiteral("\\g{%1}").arg(*it);
        } else if (!previousVariable.isEmpty()) {
            result.adjacentTo.insert(piece.text, previousVariable);
            continue; // no group: the previous variable's capture takes this text too
        } else {
            groupNames.append(piece.text);
            groupOf.insert(piece.text, int(groupNames.size()));
            pattern += QStringLiteral("(.*?)");
        }
        previousVariable = piece.text;
    }
    if (relaxEdges && (pieces.isEmpty() || pieces.last().isVariable))
        pattern += QStringLiteral("\\s*");
    pattern += QStringLiteral("\\z");
    const QRegularExpression re(pattern, QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = re.match(logged);
    if (!m.hasMatch())
        return result;
    result.matched = true;
    for (qsizetype g = 0; g < groupNames.size(); ++g)
        result.values.insert(groupNames[g], m.captured(int(g) + 1));
    return result;
}

/// What the inversion knows about one variable so far.
struct Known
{
    RecoveredVariable info;
    std::optional<QString> value;
    std::vector<std::string> path;
};

class Inverter
{
public:
    void declare(const QString &name, const std::vector<std::string> &path)
    {
        if (m_index.contains(name))
            return;
        m_index.insert(name, int(m_known.size()));
        Known k;
        k.info.name = name;
        k.path = path;
        m_known.append(k);
    }

    /// Records an outcome; a better status replaces a worse one (Captured beats WholeMessage
    /// beats Unrecovered); between equals the first message wins.
    void set(const QString &name, Status status, int messageIndex, const QString &reason,
             std::optional<QString> value = std::nullopt)
    {
        Known &k = m_known[m_index.value(name)];
        const auto rank = [](Status s) {
            return s == Status::Captured ? 2 : s == Status::WholeMessage ? 1 : 0;
        };
        const bool first = k.info.messageIndex < 0 && k.info.reason.isEmpty()
            && k.info.status == Status::Unrecovered;
        if (!first && rank(status) <= rank(k.info.status))
            return;
        k.info.status = status;
        k.info.messageIndex = status == Status::Unrecovered ? -1 : messageIndex;
        k.info.reason = reason;
        k.value = std::move(value);
    }

    TemplateInversion result() const
    {
        TemplateInversion inv;
        for (const Known &k : m_known) {
            inv.variables.append(k.info);
            if (k.value)
                setPath(inv.vars, k.path, *k.value);
        }
        return inv;
    }

private:
    static void setPath(nlohmann::json &vars, const std::vector<std::string> &path,
                        const QString &value)
    {
        nlohmann::json *node = &vars;
        for (size_t i = 0; i + 1 < path.size(); ++i) {
            nlohmann::json &next = (*node)[path[i]];
            if (next.is_null())
                next = nlohmann::json::object();
            if (!next.is_object())
                return; // "a" already holds a value; "a.b" cannot sit inside it
            node = &next;
        }
        (*node)[path.back()] = value.toStdString();
    }

    QList<Known> m_known;
    QHash<QString, int> m_index;
};

QString ordinalRole(const QString &role, int n)
{
    return n == 1 ? QStringLiteral("the %1 message").arg(role)
                  : QStringLiteral("%1 message %2").arg(role).arg(n);
}

} // namespace

QStringList TemplateInversion::unrecovered() const
{
    QStringList names;
    for (const RecoveredVariable &v : variables)
        if (v.status == RecoveredVariable::Status::Unrecovered)
            names << v.name;
    return names;
}

QStringList TemplateInversion::wholeMessage() const
{
    QStringList names;
    for (const RecoveredVariable &v : variables)
        if (v.status == RecoveredVariable::Status::WholeMessage)
            names << v.name;
    return names;
}

TemplateInversion invertTemplate(const PromptContent &version, const QList<LogMessage> &logged)
{
    Inverter inverter;
    QList<MessageShape> shapes;
    QList<QString> parseErrors;
    for (const PromptMessage &m : version.messages) {
        const QByteArray utf8 = m.text.toUtf8();
        auto nodes = mustache::parse(std::string_view(utf8.constData(), size_t(utf8.size())));
        if (nodes) {
            shapes.append(shapeOf(*nodes));
            parseErrors.append(QString());
        } else {
            shapes.append(MessageShape{});
            parseErrors.append(nodes.error().toString());
        }
        for (const QString &name : std::as_const(shapes.last().names))
            inverter.declare(name, shapes.last().paths.value(name));
    }

    QHash<QString, int> roleCount;
    qsizetype next = 0; // the first logged message not yet paired
    for (qsizetype i = 0; i < version.messages.size(); ++i) {
        const PromptMessage &pm = version.messages[i];
        const MessageShape &shape = shapes[i];
        const QString which = ordinalRole(pm.role, ++roleCount[pm.role.toLower()]);
        if (!parseErrors[i].isEmpty()) {
            // A template that does not parse uses no variable we could name; nothing to do.
            continue;
        }
        qsizetype found = -1;
        for (qsizetype j = next; j < logged.size(); ++j)
            if (sameRole(pm.role, logged[j].role)) {
                found = j;
                break;
            }
        if (found < 0) {
            for (const QString &name : shape.names)
                inverter.set(name, Status::Unrecovered, -1,
                             QStringLiteral("the call logged no %1 to match %2 of the template")
                                 .arg(pm.role, which));
            continue;
        }
        next = found + 1;
        const LogMessage &lm = logged[found];
        if (!lm.content) {
            for (const QString &name : shape.names)
                inverter.set(name, Status::Unrecovered, -1,
                             QStringLiteral("%1 was logged without its content (unknown or "
                                            "redacted)")
                                 .arg(which));
            continue;
        }
        const QString &text = *lm.content;

        QString fallbackReason;
        if (shape.obstacles.isEmpty()) {
            Capture c = capture(shape.pieces, text, false);
            if (!c.matched)
                c = capture(shape.pieces, text, true);
            if (c.matched) {
                for (const QString &name : shape.names) {
                    if (const auto it = c.values.constFind(name); it != c.values.cend())
                        inverter.set(name, Status::Captured, int(found), {}, *it);
                    else if (c.adjacentTo.contains(name))
                        inverter.set(name, Status::Unrecovered, -1,
                                     QStringLiteral("it follows {{%1}} in %2 with no text "
                                                    "between them, so {{%1}} took both")
                                         .arg(c.adjacentTo.value(name), which));
                }
                continue;
            }
            fallbackReason
                = QStringLiteral("the logged %1 does not match the template's")
                      .arg(which.startsWith(QLatin1String("the ")) ? which.mid(4) : which);
        } else {
            fallbackReason = QStringLiteral("%1 has a %2").arg(which, shape.obstacles.first());
        }

        // Fall back to the whole message: its first interpolated variable takes it all.
        QString taker;
        for (const Piece &p : shape.pieces)
            if (p.isVariable) {
                taker = p.text;
                break;
            }
        for (const QString &name : shape.names) {
            if (name == taker)
                inverter.set(name, Status::WholeMessage, int(found),
                             fallbackReason + QStringLiteral(": took the whole message"), text);
            else
                inverter.set(name, Status::Unrecovered, -1, fallbackReason);
        }
    }
    return inverter.result();
}

TemplateInversion inputFromLastUserMessage(const QList<LogMessage> &logged)
{
    TemplateInversion inv;
    RecoveredVariable input;
    input.name = QStringLiteral("input");
    for (qsizetype i = logged.size() - 1; i >= 0; --i) {
        if (logged[i].role.compare(QLatin1String("user"), Qt::CaseInsensitive) == 0
            && logged[i].content) {
            input.status = RecoveredVariable::Status::Captured;
            input.messageIndex = int(i);
            inv.vars["input"] = logged[i].content->toStdString();
            break;
        }
    }
    if (input.status == RecoveredVariable::Status::Unrecovered)
        input.reason = QStringLiteral("the call logged no user message with content");
    inv.variables.append(input);
    return inv;
}

} // namespace ts
