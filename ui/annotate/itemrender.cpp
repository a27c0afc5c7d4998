#include "annotate/itemrender.h"

#include "common/json.h"
#include "common/markdown.h"
#include "common/themecolors.h"

#include <QObject>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTimer>

namespace ts {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString str(const nlohmann::json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_null())
        return {};
    return QString::fromStdString(
        value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

QString roleTitle(const QString &role)
{
    if (role == QLatin1String("system"))
        return QObject::tr("System");
    if (role == QLatin1String("user"))
        return QObject::tr("User");
    if (role == QLatin1String("assistant"))
        return QObject::tr("Assistant");
    if (role == QLatin1String("tool"))
        return QObject::tr("Tool result");
    return role.isEmpty() ? QObject::tr("Message") : role.left(1).toUpper() + role.mid(1);
}

QColor roleColor(const QString &role, const ThemeColors &c)
{
    if (role == QLatin1String("user"))
        return c.variable;
    if (role == QLatin1String("assistant"))
        return c.addedText;
    if (role == QLatin1String("tool"))
        return c.section;
    return c.muted;
}

/// The text of a message's content: a string, or the text parts of a list of parts.
QString contentText(const nlohmann::json &content)
{
    if (content.is_string())
        return QString::fromStdString(content.get<std::string>());
    if (content.is_array()) {
        QStringList parts;
        for (const auto &part : content)
            if (part.is_object() && part.contains("text") && part["text"].is_string())
                parts << QString::fromStdString(part["text"].get<std::string>());
            else if (part.is_object() && part.contains("content") && part["content"].is_string())
                parts << QString::fromStdString(part["content"].get<std::string>());
        return parts.join(QLatin1Char('\n'));
    }
    return str(content);
}

std::optional<nlohmann::json> jsonDocument(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(QLatin1Char('{')) && !trimmed.startsWith(QLatin1Char('[')))
        return std::nullopt;
    auto json = parseJson(trimmed);
    if (!json || !(json->is_object() || json->is_array()))
        return std::nullopt;
    return *json;
}

QString codeBlock(const QString &text)
{
    return QStringLiteral("<pre class='code'>%1</pre>").arg(esc(text));
}

} // namespace

QString itemStyleSheet(const ThemeColors &c)
{
    return QStringLiteral("p.role { margin-top: 12px; margin-bottom: 2px; font-size: small; "
                          "font-weight: 600; }"
                          ".muted { color: %1; font-weight: normal; }"
                          "pre.code { background-color: %2; font-family: monospace; "
                          "white-space: pre-wrap; }"
                          "pre { white-space: pre-wrap; }"
                          "td.name { color: %1; padding-right: 12px; vertical-align: top; }"
                          "a { color: %3; }")
        .arg(c.muted.name(), c.panel.name(), c.variable.name());
}

QString inputHtml(const nlohmann::json &input, const ThemeColors &c)
{
    QString html;
    if (input.contains("messages") && input["messages"].is_array()) {
        const nlohmann::json &messages = input["messages"];
        size_t question = messages.size();
        for (size_t i = 0; i < messages.size(); ++i)
            if (messages[i].is_object() && messages[i].value("role", std::string()) == "user")
                question = i;
        for (size_t i = 0; i < messages.size(); ++i) {
            const auto &m = messages[i];
            if (!m.is_object())
                continue;
            const QString role = QString::fromStdString(m.value("role", std::string()));
            if (i == question)
                html += QStringLiteral("<a name='%1'></a>").arg(QLatin1String(kQuestionAnchor));
            html += QStringLiteral("<p class='role'><span style='color:%1'>%2</span></p>")
                        .arg(roleColor(role, c).name(), esc(roleTitle(role).toUpper()));
            const QString text = m.contains("content") ? contentText(m["content"]) : QString();
            if (auto json = jsonDocument(text))
                html += codeBlock(str(*json));
            else if (!text.isEmpty())
                html += markdownToHtml(text);
            if (m.contains("tool_calls") && !m["tool_calls"].empty())
                html += codeBlock(str(m["tool_calls"]));
        }
    } else if (input.contains("variables") && input["variables"].is_object()
               && !input["variables"].empty()) {
        html += QStringLiteral("<p class='role'><span class='muted'>%1</span></p><table>")
                    .arg(QObject::tr("VARIABLES"));
        for (auto it = input["variables"].begin(); it != input["variables"].end(); ++it)
            html += QStringLiteral("<tr><td class='name'>%1</td><td>%2</td></tr>")
                        .arg(esc(QString::fromStdString(it.key())),
                             esc(str(*it)).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
        html += QStringLiteral("</table>");
    }
    if (html.isEmpty())
        html = QStringLiteral("<p class='muted'><i>%1</i></p>")
                   .arg(QObject::tr("No input was recorded."));
    return html;
}

void scrollToQuestion(QTextBrowser *input)
{
    input->verticalScrollBar()->setValue(0);
    input->scrollToAnchor(QLatin1String(kQuestionAnchor));
    // Again once pending layouts have run: a pane laid out at another width wraps the text
    // above the question differently.
    QTimer::singleShot(0, input,
                       [input] { input->scrollToAnchor(QLatin1String(kQuestionAnchor)); });
}

QString outputHtml(const QString &text, OutputFormat format, const ThemeColors &c)
{
    Q_UNUSED(c);
    if (text.isEmpty())
        return QStringLiteral("<p class='muted'><i>%1</i></p>").arg(QObject::tr("Empty output."));
    switch (format) {
    case OutputFormat::Markdown:
        if (auto json = jsonDocument(text))
            return codeBlock(str(*json));
        return markdownToHtml(text);
    case OutputFormat::Raw:
        return QStringLiteral("<pre>%1</pre>").arg(esc(text));
    case OutputFormat::Json:
        if (auto json = jsonDocument(text))
            return codeBlock(str(*json));
        return QStringLiteral("<p class='muted'><i>%1</i></p><pre>%2</pre>")
            .arg(QObject::tr("Not a JSON document; shown as written."), esc(text));
    }
    return {};
}

} // namespace ts
