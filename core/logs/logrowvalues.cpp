#include "logs/logrowvalues.h"

#include "common/json.h"

#include <QStringList>

#include <cctype>

namespace ts {

namespace {

constexpr int previewLength = 160;

QString preview(const QString &text)
{
    // Runs of white space become one space, ends trimmed (QChar::isSpace is the set that
    // \s matches in a QRegularExpression; a loop, because the regex replace was a tenth of an
    // import's time).
    const QStringView head = QStringView(text).left(previewLength * 2);
    QString flat(head.size(), Qt::Uninitialized);
    QChar *out = flat.data();
    qsizetype n = 0;
    bool pendingSpace = false;
    for (const QChar c : head) {
        if (c.isSpace()) {
            pendingSpace = true;
            continue;
        }
        if (pendingSpace && n > 0)
            out[n++] = QLatin1Char(' ');
        pendingSpace = false;
        out[n++] = c;
    }
    flat.truncate(n);
    if (flat.size() > previewLength)
        flat = flat.left(previewLength - 1) + QChar(0x2026);
    return flat;
}

std::optional<QString> inputPreviewOf(const LogRecord &r)
{
    // What the user asked: the last user message, else the last message with content.
    for (auto it = r.messages.crbegin(); it != r.messages.crend(); ++it)
        if (it->role == QLatin1String("user") && it->content && !it->content->isEmpty())
            return preview(*it->content);
    for (auto it = r.messages.crbegin(); it != r.messages.crend(); ++it)
        if (it->content && !it->content->isEmpty())
            return preview(*it->content);
    return std::nullopt;
}

std::optional<QString> outputPreviewOf(const LogRecord &r)
{
    if (r.output && !r.output->isEmpty())
        return preview(*r.output);
    if (!r.outputToolCalls.isEmpty()) {
        QStringList names;
        for (const LogToolCall &c : r.outputToolCalls)
            names.append(c.name + QStringLiteral("(…)"));
        return QStringLiteral("→ ") + names.join(QStringLiteral(", "));
    }
    if (r.error)
        return preview(*r.error);
    return std::nullopt;
}

std::optional<QByteArray> utf8(const std::optional<QString> &text)
{
    return text ? std::optional<QByteArray>(text->toUtf8()) : std::nullopt;
}

/// Unknown and empty are both NULL for these columns.
std::optional<QByteArray> utf8OrNull(const std::optional<QString> &text)
{
    return text && !text->isEmpty() ? std::optional<QByteArray>(text->toUtf8()) : std::nullopt;
}

QByteArray jsonUtf8(const nlohmann::json &json)
{
    const std::string text = json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return QByteArray(text.data(), qsizetype(text.size()));
}

// What nlohmann's dump() (no ASCII escaping) writes for a string of valid UTF-8, which
// QString::toUtf8() always gives: quote, backslash and control characters escaped.
void appendJsonString(QByteArray &out, const QByteArray &utf8)
{
    out += '"';
    const char *run = utf8.constData();
    const char *const end = run + utf8.size();
    for (const char *p = run; p < end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            static const char hex[] = "0123456789abcdef";
            const char escape[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(escape, sizeof escape);
        }
        }
    }
    out.append(run, end - run);
    out += '"';
}

// `logs.messages` as messagesToJson() dumped by nlohmann gives it (keys in its sorted order),
// written directly from the contents already in UTF-8: building the JSON value and dumping it
// was a tenth of an import's reading thread. Messages with tool calls take that way still.
QByteArray messagesJson(const QList<LogMessage> &messages,
                        const QList<std::optional<QByteArray>> &contents)
{
    for (const LogMessage &m : messages)
        if (!m.toolCalls.isEmpty())
            return jsonUtf8(messagesToJson(messages));
    QByteArray out;
    qsizetype size = 2;
    for (const auto &content : contents)
        size += 40 + (content ? content->size() + content->size() / 8 : 0);
    out.reserve(size);
    out += '[';
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const LogMessage &m = messages[i];
        if (i > 0)
            out += ',';
        out += "{\"content\":";
        if (contents[i])
            appendJsonString(out, *contents[i]);
        else
            out += "null";
        out += ",\"role\":";
        appendJsonString(out, m.role.toUtf8());
        if (m.toolCallId) {
            out += ",\"tool_call_id\":";
            appendJsonString(out, m.toolCallId->toUtf8());
        }
        out += '}';
    }
    out += ']';
    return out;
}

std::optional<QString> normalizedId(const std::optional<QString> &id)
{
    return id ? std::optional<QString>(normalizeLogId(*id)) : std::nullopt;
}

} // namespace

QString normalizeLogId(const QString &id)
{
    for (const QChar c : id)
        if (!isxdigit(c.unicode() < 128 ? int(c.unicode()) : 0))
            return id;
    return id.toLower();
}

LogRowValues LogRowValues::from(const LogRecord &r)
{
    LogRowValues v;
    if (r.startMs)
        v.startTime = isoFromEpochMs(*r.startMs).toUtf8();
    if (r.endMs)
        v.endTime = isoFromEpochMs(*r.endMs).toUtf8();
    v.latencyMs = r.latencyMs;
    if (!v.latencyMs && r.startMs && r.endMs)
        v.latencyMs = double(*r.endMs - *r.startMs);
    v.ttftMs = r.ttftMs;
    v.model = utf8OrNull(r.model);
    v.provider = utf8OrNull(r.provider);
    // Each content converted once, for the messages column and the full-text input.
    QList<std::optional<QByteArray>> contents;
    contents.reserve(r.messages.size());
    for (const LogMessage &m : r.messages)
        contents.append(utf8(m.content));
    v.messages = messagesJson(r.messages, contents);
    v.output = utf8(r.output);
    if (!r.outputToolCalls.isEmpty())
        v.outputToolCalls = jsonUtf8(toolCallsToJson(r.outputToolCalls));
    v.reasoning = utf8(r.reasoning);
    v.finishReason = utf8OrNull(r.finishReason);
    v.inputTokens = r.inputTokens;
    v.outputTokens = r.outputTokens;
    if (r.inputTokens || r.outputTokens)
        v.totalTokens = r.inputTokens.value_or(0) + r.outputTokens.value_or(0);
    v.cost = r.cost;
    v.ok = r.ok;
    v.error = utf8(r.error);
    const auto traceId = normalizedId(r.traceId);
    const auto spanId = normalizedId(r.spanId);
    v.traceId = utf8OrNull(traceId);
    v.spanId = utf8OrNull(spanId);
    v.parentSpanId = utf8OrNull(normalizedId(r.parentSpanId));
    v.sessionId = utf8OrNull(r.sessionId);
    v.promptName = utf8OrNull(r.promptName);
    v.promptVersion = utf8OrNull(r.promptVersion);
    v.metadata = jsonUtf8(r.metadata.is_object() ? r.metadata : nlohmann::json::object());
    v.hasToolCalls = r.hasToolCalls();
    v.inputPreview = utf8(inputPreviewOf(r));
    v.outputPreview = utf8(outputPreviewOf(r));
    v.sourceFormat = r.sourceFormat.toUtf8();
    v.sourceFile = utf8(r.sourceFile);
    // Ids as stored, so that 'span:ABC:1' and 'span:abc:1' are the same hex span.
    v.dedupeKey = (traceId && spanId && !traceId->isEmpty() && !spanId->isEmpty()
                       ? QStringLiteral("span:") + *traceId + QLatin1Char(':') + *spanId
                       : r.dedupeKey())
                      .toUtf8();
    // inputText() in UTF-8: the known contents joined with "\n".
    bool first = true;
    for (const auto &content : contents) {
        if (!content)
            continue;
        if (!first)
            v.ftsInput += '\n';
        first = false;
        v.ftsInput += *content;
    }
    if (v.output)
        v.ftsOutput = *v.output; // shared, not copied
    return v;
}

} // namespace ts
