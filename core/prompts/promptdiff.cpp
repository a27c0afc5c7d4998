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

PromptDiff diffContent(const PromptContent &from, const PromptContent &to, const QString &fromName,
                       const QString &toName)
{
    PromptDiff diff{fromName, toName, {}};
    const qsizetype count = std::max(from.messages.size(), to.messages.size());
    for (qsizetype i = 0; i < count; ++i) {
        const PromptMessage a = i < from.messages.size() ? from.messages[i] : PromptMessage{};
        const PromptMessage b = i < to.messages.size() ? to.messages[i] : PromptMessage{};
        QString role = b.role.isEmpty() ? a.role : b.role;
        if (!a.role.isEmpty() && !b.role.isEmpty() && a.role != b.role)
            role = a.role + QStringLiteral(" → ") + b.role;
        // The role is the first line, so a role change shows up as a changed line.
        const QString before = a.role.isEmpty() ? QString() : QStringLiteral("[") + a.role + QStringLiteral("]\n") + a.text;
        const QString after = b.role.isEmpty() ? QString() : QStringLiteral("[") + b.role + QStringLiteral("]\n") + b.text;
        diff.sections.append(
            section(QStringLiteral("message %1 (%2)").arg(i + 1).arg(role), before, after));
    }
    diff.sections.append(section(QStringLiteral("parameters"), parametersText(from.params),
                                 parametersText(to.params)));
    diff.sections.append(section(QStringLiteral("response schema"), prettyJson(from.responseSchema),
                                 prettyJson(to.responseSchema)));
    diff.sections.append(
        section(QStringLiteral("tools"), prettyJson(from.tools), prettyJson(to.tools)));
    return diff;
}

PromptDiff diffVersions(const PromptVersion &from, const PromptVersion &to)
{
    return diffContent(from.content, to.content,
                       QStringLiteral("%1@%2").arg(from.promptName).arg(from.number),
                       QStringLiteral("%1@%2").arg(to.promptName).arg(to.number));
}

} // namespace ts
