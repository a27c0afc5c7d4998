#include "prompts/promptdiff.h"

#include "common/json.h"
#include "prompts/promptstore.h"

#include <dtl/dtl.hpp>

#include <algorithm>

#include <string>
#include <vector>

namespace ts {

namespace {

std::vector<std::string> splitLines(const QString &text)
{
    std::vector<std::string> lines;
    if (text.isEmpty())
        return lines;
    const QStringList parts = text.split(QLatin1Char('\n'));
    lines.reserve(size_t(parts.size()));
    for (const QString &part : parts)
        lines.push_back(part.toStdString());
    return lines;
}

QString prettyJson(const std::optional<nlohmann::json> &json)
{
    if (!json || json->is_null() || (json->is_object() && json->empty()))
        return {};
    return QString::fromStdString(json->dump(2));
}

QString parametersText(const ModelParameters &params)
{
    // One "name: value" per line, so a changed value shows as one changed line.
    QStringList lines;
    const nlohmann::json json = params.toJson();
    for (auto it = json.begin(); it != json.end(); ++it)
        lines.append(QString::fromStdString(it.key()) + QStringLiteral(": ")
                     + QString::fromStdString(it.value().dump()));
    return lines.join(QLatin1Char('\n'));
}

DiffSection section(const QString &title, const QString &before, const QString &after)
{
    return DiffSection{title, diffLines(before, after)};
}

} // namespace

QList<DiffLine> diffLines(const QString &before, const QString &after)
{
    const std::vector<std::string> a = splitLines(before);
    const std::vector<std::string> b = splitLines(after);
    dtl::Diff<std::string, std::vector<std::string>> diff(a, b);
    diff.onHuge();
    diff.compose();
    QList<DiffLine> lines;
    for (const auto &[elem, info] : diff.getSes().getSequence()) {
        DiffLine line;
        line.text = QString::fromStdString(elem);
        if (info.type == dtl::SES_ADD) {
            line.kind = DiffLine::Kind::Added;
            line.newLine = int(info.afterIdx);
        } else if (info.type == dtl::SES_DELETE) {
            line.kind = DiffLine::Kind::Removed;
            line.oldLine = int(info.beforeIdx);
        } else {
            line.oldLine = int(info.beforeIdx);
            line.newLine = int(info.afterIdx);
        }
        lines.append(line);
    }
    // dtl may emit an addition before the removal it replaces; readers expect "-" then "+".
    for (qsizetype i = 0; i < lines.size();) {
        if (lines[i].kind == DiffLine::Kind::Same) {
            ++i;
            continue;
        }
        qsizetype end = i;
        while (end < lines.size() && lines[end].kind != DiffLine::Kind::Same)
            ++end;
        std::stable_partition(lines.begin() + i, lines.begin() + end, [](const DiffLine &l) {
            return l.kind == DiffLine::Kind::Removed;
        });
        i = end;
    }
    return lines;
}

bool DiffSection::changed() const
{
    for (const DiffLine &line : lines)
        if (line.kind != DiffLine::Kind::Same)
            return true;
    return false;
}

bool PromptDiff::hasChanges() const
{
    for (const DiffSection &s : sections)
        if (s.changed())
            return true;
    return false;
}

QString PromptDiff::unified(int context) const
{
    QString out = QStringLiteral("--- ") + fromName + QStringLiteral("\n+++ ") + toName
                  + QLatin1Char('\n');
    for (const DiffSection &s : sections) {
        if (!s.changed())
            continue;
        const qsizetype n = s.lines.size();
        // Mark lines within `context` of a change, then print each run as one hunk.
        QList<bool> keep(n, false);
        for (qsizetype i = 0; i < n; ++i) {
            if (s.lines[i].kind == DiffLine::Kind::Same)
                continue;
            for (qsizetype j = std::max<qsizetype>(0, i - context);
                 j <= std::min<qsizetype>(n - 1, i + context); ++j)
                keep[j] = true;
        }
        qsizetype i = 0;
        while (i < n) {
            if (!keep[i]) {
                ++i;
                continue;
            }
            qsizetype end = i;
            while (end < n && keep[end])
                ++end;
            int oldStart = 0, newStart = 0, oldCount = 0, newCount = 0;
            for (qsizetype k = i; k < end; ++k) {
                const DiffLine &l = s.lines[k];
                if (l.kind != DiffLine::Kind::Added) {
                    if (!oldStart)
                        oldStart = l.oldLine;
                    ++oldCount;
                }
                if (l.kind != DiffLine::Kind::Removed) {
                    if (!newStart)
                        newStart = l.newLine;
                    ++newCount;
                }
            }
            out += QStringLiteral("@@ -%1,%2 +%3,%4 @@ %5\n")
                       .arg(oldStart)
                       .arg(oldCount)
                       .arg(newStart)
                       .arg(newCount)
                       .arg(s.title);
            for (qsizetype k = i; k < end; ++k) {
                const DiffLine &l = s.lines[k];
                const QChar mark = l.kind == DiffLine::Kind::Added     ? QLatin1Char('+')
                                   : l.kind == DiffLine::Kind::Removed ? QLatin1Char('-')
                                                                       : QLatin1Char(' ');
                out += mark + l.text + QLatin1Char('\n');
            }
            i = end;
        }
    }
    return out;
}

namespace {

QString messageText(const PromptMessage &m)
{
    // The role is the first line, so a role change shows up as a changed line.
    return m.role.isEmpty() ? QString() : QStringLiteral("[") + m.role + QStringLiteral("]\n") + m.text;
}

std::string messageKey(const PromptMessage &m)
{
    return QString(m.role + QLatin1Char('\x1f') + m.text).toStdString();
}

/// One step of the message alignment: a message on both sides (same or edited), or only on one.
struct MessagePair
{
    int from = -1; ///< index in the old messages, or -1
    int to = -1;   ///< index in the new messages, or -1
};

/// Aligns messages by content (a sequence diff over whole messages), so inserting a few-shot
/// pair shows two added messages instead of every later message as changed. Between two equal
/// messages, removed and added ones are paired as edits: one for one when the counts match,
/// otherwise by role in order; the rest stay removed or added.
QList<MessagePair> alignMessages(const QList<PromptMessage> &a, const QList<PromptMessage> &b)
{
    std::vector<std::string> ka, kb;
    for (const PromptMessage &m : a)
        ka.push_back(messageKey(m));
    for (const PromptMessage &m : b)
        kb.push_back(messageKey(m));
    dtl::Diff<std::string, std::vector<std::string>> diff(ka, kb);
    diff.onHuge();
    diff.compose();
    QList<MessagePair> pairs;
    QList<int> removed, added;
    auto flush = [&] {
        QList<MessagePair> run;
        if (removed.size() == added.size()) {
            for (qsizetype i = 0; i < removed.size(); ++i)
                run.append({removed[i], added[i]});
        } else {
            qsizetype next = 0; // the next added message a removed one may pair with
            for (int r : removed) {
                qsizetype match = -1;
                for (qsizetype j = next; j < added.size(); ++j)
                    if (b[added[j]].role == a[r].role) {
                        match = j;
                        break;
                    }
                if (match < 0) {
                    run.append({r, -1});
                    continue;
                }
                for (qsizetype j = next; j < match; ++j)
                    run.append({-1, added[j]});
                run.append({r, added[match]});
                next = match + 1;
            }
            for (qsizetype j = next; j < added.size(); ++j)
                run.append({-1, added[j]});
        }
        pairs.append(run);
        removed.clear();
        added.clear();
    };
    for (const auto &[elem, info] : diff.getSes().getSequence()) {
        if (info.type == dtl::SES_DELETE) {
            removed.append(int(info.beforeIdx) - 1);
        } else if (info.type == dtl::SES_ADD) {
            added.append(int(info.afterIdx) - 1);
        } else {
            flush();
            pairs.append({int(info.beforeIdx) - 1, int(info.afterIdx) - 1});
        }
    }
    flush();
    return pairs;
}

} // namespace

PromptDiff diffContent(const PromptContent &from, const PromptContent &to, const QString &fromName,
                       const QString &toName)
{
    PromptDiff diff{fromName, toName, {}};
    const auto isSnippet = [](const PromptContent &c) {
        return c.messages.size() == 1 && c.messages[0].role == QLatin1String(snippetRole);
    };
    const bool snippets = isSnippet(from) || isSnippet(to);
    if (snippets) {
        // A snippet is its text: it has no parameters, schema or tools to compare.
        diff.sections.append(section(QStringLiteral("snippet text"), from.snippetText(), to.snippetText()));
    } else {
        for (const MessagePair &p : alignMessages(from.messages, to.messages)) {
            const PromptMessage a = p.from >= 0 ? from.messages[p.from] : PromptMessage{};
            const PromptMessage b = p.to >= 0 ? to.messages[p.to] : PromptMessage{};
            QString role = b.role.isEmpty() ? a.role : b.role;
            if (!a.role.isEmpty() && !b.role.isEmpty() && a.role != b.role)
                role = a.role + QStringLiteral(" → ") + b.role;
            const QString title = p.to >= 0
                                      ? QStringLiteral("message %1 (%2)").arg(p.to + 1).arg(role)
                                      : QStringLiteral("removed message %1 (%2)").arg(p.from + 1).arg(role);
            diff.sections.append(section(title, messageText(a), messageText(b)));
        }
    }
    if (!snippets) {
        diff.sections.append(section(QStringLiteral("parameters"), parametersText(from.params),
                                     parametersText(to.params)));
        diff.sections.append(section(QStringLiteral("response schema"),
                                     prettyJson(from.responseSchema), prettyJson(to.responseSchema)));
        diff.sections.append(
            section(QStringLiteral("tools"), prettyJson(from.tools), prettyJson(to.tools)));
    }
    // The snippets each side renders with: a changed shared snippet shows in every prompt's diff.
    QStringList names = from.snippets.keys() + to.snippets.keys();
    names.sort();
    names.removeDuplicates();
    for (const QString &name : names)
        diff.sections.append(section(QStringLiteral("snippet \"%1\"").arg(name),
                                     from.snippets.value(name), to.snippets.value(name)));
    return diff;
}

PromptDiff diffVersions(const PromptVersion &from, const PromptVersion &to)
{
    PromptDiff diff = diffContent(from.content, to.content,
                                  QStringLiteral("%1@%2").arg(from.promptName).arg(from.number),
                                  QStringLiteral("%1@%2").arg(to.promptName).arg(to.number));
    auto pinned = [](const PromptVersion &v, const QString &name) {
        for (const PromptVersion::SnippetPin &p : v.snippets)
            if (p.name == name)
                return QStringLiteral("v%1").arg(p.version);
        return QStringLiteral("none");
    };
    for (DiffSection &s : diff.sections) {
        if (!s.title.startsWith(QLatin1String("snippet \"")))
            continue;
        const QString name = s.title.mid(9, s.title.size() - 10);
        const QString a = pinned(from, name), b = pinned(to, name);
        if (a != b)
            s.title += QStringLiteral(" (%1 → %2)").arg(a, b);
    }
    return diff;
}

} // namespace ts
