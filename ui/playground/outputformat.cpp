#include "playground/outputformat.h"

#include "common/json.h"
#include "common/markdown.h"

#include <QRegularExpression>

namespace ts {

namespace {

QString toolCallsHtml(const nlohmann::json &toolCalls)
{
    if (!toolCalls.is_array() || toolCalls.empty())
        return {};
    QString html = QStringLiteral("<p><b>Tool calls</b></p>");
    for (const nlohmann::json &call : toolCalls) {
        const QString name = jsonString(call, "name", QStringLiteral("(unnamed)"));
        QString args = jsonString(call, "arguments");
        if (call.contains("arguments_json") && !call["arguments_json"].is_null())
            args = qstr(call["arguments_json"].dump(2));
        html += QStringLiteral("<p><code>%1</code></p><pre>%2</pre>")
                    .arg(name.toHtmlEscaped(), args.toHtmlEscaped());
    }
    return html;
}

QString formatTokens(qint64 n)
{
    return QString::number(n);
}

} // namespace

std::optional<QString> prettyJson(const QString &text)
{
    QString body = text.trimmed();
    // Models often wrap JSON in a ```json fence; the JSON inside is what matters.
    static const QRegularExpression fence(QStringLiteral("^```[a-zA-Z]*\\s*\\n(.*)\\n```$"),
                                          QRegularExpression::DotMatchesEverythingOption);
    if (const auto m = fence.match(body); m.hasMatch())
        body = m.captured(1).trimmed();
    if (!body.startsWith(QLatin1Char('{')) && !body.startsWith(QLatin1Char('[')))
        return std::nullopt;
    auto json = parseJson(body);
    if (!json || !(json->is_object() || json->is_array()))
        return std::nullopt;
    return qstr(json->dump(2));
}

QString outputHtml(const QString &text, const nlohmann::json &toolCalls)
{
    QString html;
    if (auto json = prettyJson(text))
        html = QStringLiteral("<pre>%1</pre>").arg(json->toHtmlEscaped());
    else
        html = markdownToHtml(text);
    return html + toolCallsHtml(toolCalls);
}

QString metricsLine(const Generation &g)
{
    QStringList parts;
    if (g.cacheHit)
        parts << QObject::tr("cached");
    if (g.ttftMs)
        parts << QObject::tr("TTFT %1 ms").arg(qRound64(*g.ttftMs));
    if (auto tps = g.tokensPerSecond())
        parts << QObject::tr("%1 tok/s").arg(*tps, 0, 'f', 1);
    if (g.inputTokens || g.outputTokens)
        parts << QObject::tr("%1 in / %2 out")
                     .arg(g.inputTokens ? formatTokens(*g.inputTokens) : QStringLiteral("?"),
                          g.outputTokens ? formatTokens(*g.outputTokens) : QStringLiteral("?"));
    if (g.cost)
        parts << (*g.cost > 0 && *g.cost < 0.0001 ? QStringLiteral("<$0.0001")
                                                  : QStringLiteral("$%1").arg(*g.cost, 0, 'f', 4));
    if (!g.finishReason.isEmpty())
        parts << g.finishReason;
    else if (g.finish != FinishReason::Unknown)
        parts << finishReasonName(g.finish);
    return parts.join(QStringLiteral(" · "));
}

QString retryNote(int attempt, int delayMs, const QString &reason)
{
    QString why;
    static const QRegularExpression status(QStringLiteral("HTTP (\\d{3})"));
    const auto m = status.match(reason);
    const int code = m.hasMatch() ? m.captured(1).toInt() : 0;
    if (code == 429 || reason.contains(QLatin1String("rate"), Qt::CaseInsensitive))
        why = QObject::tr("Rate limited");
    else if (code == 529 || reason.contains(QLatin1String("overload"), Qt::CaseInsensitive))
        why = QObject::tr("Server overloaded");
    else if (code >= 500)
        why = QObject::tr("Server error %1").arg(code);
    else if (code > 0)
        why = QObject::tr("HTTP %1").arg(code);
    else
        why = QObject::tr("Connection failed");
    const double seconds = delayMs / 1000.0;
    const QString wait = seconds < 10 && delayMs % 1000 ? QString::number(seconds, 'f', 1)
                                                        : QString::number(qRound(seconds));
    return QObject::tr("%1, retrying in %2 s (attempt %3)").arg(why, wait).arg(attempt + 1);
}

} // namespace ts
