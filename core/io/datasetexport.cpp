#include "io/datasetexport.h"

#include <QStringList>

#include <algorithm>

namespace ts {

namespace {

using nlohmann::json;

QByteArray csvField(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    const bool needsQuotes = bytes.contains(',') || bytes.contains('"') || bytes.contains('\n')
        || bytes.contains('\r')
        || (!text.isEmpty() && (text.front().isSpace() || text.back().isSpace()));
    if (!needsQuotes)
        return bytes;
    bytes.replace("\"", "\"\"");
    return '"' + bytes + '"';
}

QString valueText(const json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    return QString::fromStdString(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

bool looksLikePromptfooTest(const json &line)
{
    static const char *const keys[] = {"vars",     "assert",  "description", "threshold",
                                       "metadata", "options", "provider",    "providers"};
    if (!line.contains("vars") || !line["vars"].is_object())
        return false;
    for (auto it = line.begin(); it != line.end(); ++it) {
        if (std::find(std::begin(keys), std::end(keys), it.key()) == std::end(keys))
            return false;
    }
    return true;
}

void appendRow(QByteArray &out, const QStringList &cells)
{
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out.append(',');
        out.append(csvField(cells.at(i)));
    }
    out.append("\r\n");
}

} // namespace

QByteArray toCsv(const QList<TestCaseData> &cases)
{
    QStringList varNames;
    bool anyExpected = false, anyTags = false, anyDescription = false;
    for (const TestCaseData &c : cases) {
        for (auto it = c.vars.begin(); it != c.vars.end(); ++it) {
            const QString name = QString::fromStdString(it.key());
            if (!varNames.contains(name))
                varNames.append(name);
        }
        anyExpected = anyExpected || c.expected.has_value();
        anyTags = anyTags || !c.tags.isEmpty();
        anyDescription = anyDescription || !c.description.isEmpty();
    }

    QStringList header = varNames;
    if (anyExpected)
        header.append(QStringLiteral("__expected"));
    if (anyTags)
        header.append(QStringLiteral("__tags"));
    if (anyDescription)
        header.append(QStringLiteral("__description"));

    QByteArray out;
    appendRow(out, header);
    for (const TestCaseData &c : cases) {
        QStringList cells;
        for (const QString &name : std::as_const(varNames)) {
            const auto it = c.vars.find(name.toStdString());
            cells.append(it == c.vars.end() ? QString() : valueText(*it));
        }
        if (anyExpected)
            cells.append(c.expected.value_or(QString()));
        if (anyTags)
            cells.append(c.tags.join(QLatin1Char(',')));
        if (anyDescription)
            cells.append(c.description);
        appendRow(out, cells);
    }
    return out;
}

QByteArray toJsonl(const QList<TestCaseData> &cases)
{
    QByteArray out;
    for (const TestCaseData &c : cases) {
        json line = c.vars.is_object() ? c.vars : json::object();
        if (c.expected)
            line["__expected"] = c.expected->toStdString();
        if (!c.tags.isEmpty()) {
            json tags = json::array();
            for (const QString &tag : c.tags)
                tags.push_back(tag.toStdString());
            line["__tags"] = std::move(tags);
        }
        // Variables named like promptfoo's test keys ({"vars": {...}}) would read back as a
        // promptfoo test line; a `__` key marks the line as a flat case.
        if (!c.description.isEmpty() || looksLikePromptfooTest(line))
            line["__description"] = c.description.toStdString();
        const std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace);
        out.append(text.data(), qsizetype(text.size()));
        out.append('\n');
    }
    return out;
}

} // namespace ts
