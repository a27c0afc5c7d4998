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

void CsvColumns::include(const TestCaseData &c)
{
    for (auto it = c.vars.begin(); it != c.vars.end(); ++it) {
        const QString name = QString::fromStdString(it.key());
        if (!variables.contains(name))
            variables.append(name);
    }
    expected = expected || c.expected.has_value();
    tags = tags || !c.tags.isEmpty();
    description = description || !c.description.isEmpty();
}

QByteArray CsvColumns::headerRow() const
{
    QStringList header = variables;
    if (expected)
        header.append(QStringLiteral("__expected"));
    if (tags)
        header.append(QStringLiteral("__tags"));
    if (description)
        header.append(QStringLiteral("__description"));
    QByteArray out;
    appendRow(out, header);
    return out;
}

QByteArray CsvColumns::row(const TestCaseData &c) const
{
    QStringList cells;
    for (const QString &name : variables) {
        const auto it = c.vars.find(name.toStdString());
        cells.append(it == c.vars.end() ? QString() : valueText(*it));
    }
    if (expected)
        cells.append(c.expected.value_or(QString()));
    if (tags)
        cells.append(c.tags.join(QLatin1Char(',')));
    if (description)
        cells.append(c.description);
    QByteArray out;
    appendRow(out, cells);
    return out;
}

QByteArray toCsv(const QList<TestCaseData> &cases)
{
    CsvColumns columns;
    for (const TestCaseData &c : cases)
        columns.include(c);
    QByteArray out = columns.headerRow();
    for (const TestCaseData &c : cases)
        out.append(columns.row(c));
    return out;
}

QByteArray jsonlLine(const TestCaseData &c)
{
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
    QByteArray out(text.data(), qsizetype(text.size()));
    out.append('\n');
    return out;
}

QByteArray toJsonl(const QList<TestCaseData> &cases)
{
    QByteArray out;
    for (const TestCaseData &c : cases)
        out.append(jsonlLine(c));
    return out;
}

} // namespace ts
