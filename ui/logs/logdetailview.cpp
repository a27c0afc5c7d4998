#include "logs/logdetailview.h"

#include "common/json.h"
#include "common/markdown.h"
#include "common/themecolors.h"
#include "logs/logtablemodel.h"

#include <QDateTime>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <limits>

namespace ts {

namespace {
const QString reasoningLink = QStringLiteral("touchstone:toggle-reasoning");

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

std::string pretty(const nlohmann::json &json)
{
    return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

template<typename T> nlohmann::json orNull(const std::optional<T> &value)
{
    if (!value)
        return nullptr;
    if constexpr (std::is_same_v<T, QString>)
        return value->toStdString();
    else
        return *value;
}

/// Text that is a JSON object or array, parsed; nullopt for everything else.
std::optional<nlohmann::json> jsonDocument(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!(trimmed.startsWith(QLatin1Char('{')) && trimmed.endsWith(QLatin1Char('}')))
        && !(trimmed.startsWith(QLatin1Char('[')) && trimmed.endsWith(QLatin1Char(']'))))
        return std::nullopt;
    auto json = parseJson(trimmed);
    if (!json || !(json->is_object() || json->is_array()))
        return std::nullopt;
    return json;
}

QString codeBlock(const QString &text)
{
    return QStringLiteral("<pre class='code'>%1</pre>").arg(esc(text));
}

/// A message's text as a person reads it: JSON pretty-printed, everything else as Markdown.
QString contentHtml(const QString &text)
{
    if (auto json = jsonDocument(text))
        return codeBlock(QString::fromStdString(pretty(*json)));
    return markdownToHtml(text);
}

QString argumentsText(const nlohmann::json &arguments)
{
    if (arguments.is_null())
        return QObject::tr("(arguments unknown)");
    if (arguments.is_string()) {
        const QString text = QString::fromStdString(arguments.get<std::string>());
        if (auto json = jsonDocument(text))
            return QString::fromStdString(pretty(*json));
        return text;
    }
    return QString::fromStdString(pretty(arguments));
}

QString toolCallsHtml(const QList<LogToolCall> &calls, const ThemeColors &c)
{
    QString html;
    for (const LogToolCall &call : calls) {
        html += QStringLiteral("<p class='call'><span style='color:%1'>→ %2</span>")
                    .arg(c.variable.name(),
                         esc(call.name.isEmpty() ? QObject::tr("(unnamed tool)") : call.name));
        if (call.id)
            html += QStringLiteral(" <span class='muted'>%1</span>").arg(esc(*call.id));
        html += QStringLiteral("</p>") + codeBlock(argumentsText(call.arguments));
    }
    return html;
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

QString roleHeader(const QString &title, const QColor &color, const QString &extra = {})
{
    QString html = QStringLiteral("<p class='role'><span style='color:%1'>%2</span>")
                       .arg(color.name(), esc(title.toUpper()));
    if (!extra.isEmpty())
        html += QStringLiteral(" <span class='muted'>%1</span>").arg(esc(extra));
    return html + QStringLiteral("</p>");
}

QString durationBetween(std::optional<qint64> start, std::optional<qint64> end)
{
    if (!start || !end || *end < *start)
        return {};
    return formatLatency(double(*end - *start));
}
} // namespace

nlohmann::json logRecordToJson(const LogRecord &r)
{
    nlohmann::json j;
    j["id"] = r.id;
    j["time"] = r.startMs ? nlohmann::json(isoFromEpochMs(*r.startMs).toStdString()) : nullptr;
    j["end_time"] = r.endMs ? nlohmann::json(isoFromEpochMs(*r.endMs).toStdString()) : nullptr;
    j["source_format"] = r.sourceFormat.toStdString();
    j["source_file"] = orNull(r.sourceFile);
    j["trace_id"] = orNull(r.traceId);
    j["span_id"] = orNull(r.spanId);
    j["parent_span_id"] = orNull(r.parentSpanId);
    j["session_id"] = orNull(r.sessionId);
    j["model"] = orNull(r.model);
    j["provider"] = orNull(r.provider);
    j["messages"] = messagesToJson(r.messages);
    j["output"] = orNull(r.output);
    j["output_tool_calls"] = toolCallsToJson(r.outputToolCalls);
    j["reasoning"] = orNull(r.reasoning);
    j["input_tokens"] = orNull(r.inputTokens);
    j["output_tokens"] = orNull(r.outputTokens);
    j["latency_ms"] = orNull(r.latencyMs);
    j["ttft_ms"] = orNull(r.ttftMs);
    j["cost"] = orNull(r.cost);
    j["status"] = r.ok ? "ok" : "error";
    j["error"] = orNull(r.error);
    j["finish_reason"] = orNull(r.finishReason);
    if (r.promptName)
        j["prompt"] = {{"name", r.promptName->toStdString()}, {"version", orNull(r.promptVersion)}};
    else
        j["prompt"] = nullptr;
    j["metadata"] = r.metadata.is_object() ? r.metadata : nlohmann::json::object();
    j["imported_at"] = r.importedAt.toStdString();
    return j;
}

LogDetailView::LogDetailView(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    m_placeholder = new QLabel(tr("Select a record to read the conversation.\n"
                                  "↑ and ↓ move through the table."),
                               m_stack);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_placeholder);

    auto *page = new QWidget(m_stack);
    auto *layout = new QVBoxLayout(page);
    const int gap = fontMetrics().height() / 2;
    layout->setContentsMargins(gap, gap / 2, 0, 0);
    layout->setSpacing(gap / 2);
    m_title = new QLabel(page);
    m_title->setTextFormat(Qt::RichText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_facts = new QLabel(page);
    m_facts->setTextFormat(Qt::RichText);
    m_facts->setWordWrap(true);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    layout->addWidget(m_facts);

    m_tabs = new QTabWidget(page);
    m_tabs->setDocumentMode(true);
    m_conversation = new QTextBrowser(m_tabs);
    m_conversation->setObjectName(QStringLiteral("logConversation"));
    m_conversation->setOpenLinks(false);
    m_conversation->setFrameShape(QFrame::NoFrame);
    m_trace = new QTreeWidget(m_tabs);
    m_trace->setObjectName(QStringLiteral("logTrace"));
    m_trace->setFrameShape(QFrame::NoFrame);
    m_trace->setHeaderLabels({tr("Span"), tr("Duration"), tr("Status")});
    m_trace->header()->setStretchLastSection(false);
    m_trace->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_trace->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_trace->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_trace->setRootIsDecorated(true);
    m_metadata = new QTextBrowser(m_tabs);
    m_metadata->setFrameShape(QFrame::NoFrame);
    m_raw = new QPlainTextEdit(m_tabs);
    m_raw->setObjectName(QStringLiteral("logRaw"));
    m_raw->setReadOnly(true);
    m_raw->setFrameShape(QFrame::NoFrame);
    m_raw->setFont(editorFont());
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_tabs->addTab(m_conversation, tr("Conversation"));
    m_tabs->addTab(m_trace, tr("Trace"));
    m_tabs->addTab(m_metadata, tr("Metadata"));
    m_tabs->addTab(m_raw, tr("Raw"));
    layout->addWidget(m_tabs, 1);
    m_stack->addWidget(page);

    connect(m_conversation, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.toString() == reasoningLink)
            setReasoningOpen(!m_reasoningOpen);
    });
    connect(m_trace, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QVariant id = item->data(0, Qt::UserRole);
        if (id.isValid() && id.toLongLong() != recordId().value_or(0))
            Q_EMIT recordRequested(id.toLongLong());
    });
    clear();
}

void LogDetailView::showRecord(const LogRecord &record, const QList<TraceSpan> &spans)
{
    m_record = record;
    m_spans = spans;
    render();
}

void LogDetailView::clear()
{
    m_record.reset();
    m_spans.clear();
    m_stack->setCurrentWidget(m_placeholder);
}

std::optional<qint64> LogDetailView::recordId() const
{
    return m_record ? std::optional<qint64>(m_record->id) : std::nullopt;
}

void LogDetailView::setReasoningOpen(bool open)
{
    m_reasoningOpen = open;
    if (m_record) {
        const int scroll = m_conversation->verticalScrollBar()->value();
        renderConversation();
        m_conversation->verticalScrollBar()->setValue(scroll);
    }
}

QString LogDetailView::headerText() const
{
    return m_title->text() + QLatin1Char('\n') + m_facts->text();
}

QString LogDetailView::conversationText() const
{
    return m_conversation->toPlainText();
}

QString LogDetailView::metadataText() const
{
    return m_metadata->toPlainText();
}

QString LogDetailView::rawText() const
{
    return m_raw->toPlainText();
}

void LogDetailView::render()
{
    if (!m_record) {
        clear();
        return;
    }
    const LogRecord &r = *m_record;
    const ThemeColors c = ThemeColors::fromPalette(palette());
    m_stack->setCurrentIndex(1);

    const QColor statusColor = r.ok ? c.addedText : c.error;
    m_title->setText(QStringLiteral("<b>%1</b>&nbsp;&nbsp;<span style='color:%2'>● %3</span>")
                         .arg(esc(r.model.value_or(tr("Unknown model"))), statusColor.name(),
                              r.ok ? tr("OK") : tr("Error")));

    QStringList facts;
    if (r.startMs)
        facts << esc(QDateTime::fromMSecsSinceEpoch(*r.startMs)
                         .toLocalTime()
                         .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
    if (r.latencyMs)
        facts << tr("%1 latency").arg(formatLatency(r.latencyMs));
    if (r.ttftMs)
        facts << tr("%1 to first token").arg(formatLatency(r.ttftMs));
    if (r.inputTokens || r.outputTokens)
        facts << tr("%1 in → %2 out tokens")
                     .arg(r.inputTokens ? formatCount(r.inputTokens) : QStringLiteral("?"),
                          r.outputTokens ? formatCount(r.outputTokens) : QStringLiteral("?"));
    if (r.cost)
        facts << QStringLiteral("$%1").arg(*r.cost, 0, 'f', *r.cost < 0.01 ? 5 : 3);
    // Only an unusual end is worth a word ("length", "content_filter", "tool_calls").
    static const QStringList normalEnds = {QStringLiteral("stop"), QStringLiteral("end_turn"),
                                           QStringLiteral("completed"), QStringLiteral("eos")};
    if (r.finishReason && !normalEnds.contains(r.finishReason->toLower()))
        facts << tr("finished: %1").arg(esc(*r.finishReason));
    QStringList origin;
    if (r.promptName) {
        bool numeric = false;
        if (r.promptVersion)
            r.promptVersion->toLongLong(&numeric);
        QString version;
        if (r.promptVersion)
            version
                = (numeric ? QStringLiteral(" v") : QStringLiteral(" @ ")) + esc(*r.promptVersion);
        origin << tr("prompt <b>%1</b>%2").arg(esc(*r.promptName), version);
    }
    if (r.provider)
        origin << esc(*r.provider);
    origin << tr("from %1").arg(esc(r.sourceFormat));
    m_facts->setText(QStringLiteral("<span style='color:%1'>%2<br>%3</span>")
                         .arg(c.muted.name(), facts.join(QStringLiteral(" · ")),
                              origin.join(QStringLiteral(" · "))));

    renderConversation();
    renderTrace();

    // Metadata: the ids that tie the record to its trace, then every other attribute.
    QString meta = QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    auto row = [&meta, &c](const QString &key, const std::optional<QString> &value) {
        meta
            += QStringLiteral(
                   "<tr><td style='color:%1; padding-right:12px'>%2</td><td>%3</td></tr>")
                   .arg(
                       c.muted.name(), esc(key),
                       value
                           ? esc(*value)
                           : QStringLiteral("<span style='color:%1'>—</span>").arg(c.muted.name()));
    };
    row(tr("Record"), QString::number(r.id));
    row(tr("Trace id"), r.traceId);
    row(tr("Span id"), r.spanId);
    row(tr("Parent span"), r.parentSpanId);
    row(tr("Session"), r.sessionId);
    row(tr("Source file"), r.sourceFile);
    row(tr("Imported"), formatLocalTime(r.importedAt));
    meta += QStringLiteral("</table>");
    if (r.metadata.is_object() && !r.metadata.empty())
        meta += QStringLiteral("<p class='role'>%1</p>").arg(tr("ATTRIBUTES"))
            + codeBlock(QString::fromStdString(pretty(r.metadata)));
    else
        meta += QStringLiteral("<p class='muted'>%1</p>").arg(tr("No other attributes."));
    m_metadata->document()->setDefaultStyleSheet(m_conversation->document()->defaultStyleSheet());
    m_metadata->setHtml(meta);

    m_raw->setPlainText(QString::fromStdString(pretty(logRecordToJson(r))));
}

void LogDetailView::renderConversation()
{
    const LogRecord &r = *m_record;
    const ThemeColors c = ThemeColors::fromPalette(palette());
    m_conversation->document()->setDefaultStyleSheet(
        QStringLiteral("p.role { margin-top: 14px; margin-bottom: 2px; font-size: small; "
                       "font-weight: 600; }"
                       "p.call { margin-top: 6px; margin-bottom: 0px; font-weight: 600; }"
                       ".muted { color: %1; font-weight: normal; }"
                       "pre.code { background-color: %2; font-family: monospace; "
                       "white-space: pre-wrap; }"
                       "pre { white-space: pre-wrap; }"
                       "a { color: %3; }")
            .arg(c.muted.name(), c.panel.name(), c.variable.name()));

    // Tool results name the call they answer.
    QHash<QString, QString> toolNames;
    for (const LogMessage &m : r.messages)
        for (const LogToolCall &call : m.toolCalls)
            if (call.id)
                toolNames.insert(*call.id, call.name);

    QString html;
    for (const LogMessage &m : r.messages) {
        QString extra;
        if (m.role == QLatin1String("tool") && m.toolCallId) {
            const QString name = toolNames.value(*m.toolCallId);
            extra = name.isEmpty() ? *m.toolCallId
                                   : QStringLiteral("%1 · %2").arg(name, *m.toolCallId);
        }
        html += roleHeader(roleTitle(m.role), roleColor(m.role, c), extra);
        if (m.content)
            html += contentHtml(*m.content);
        else if (m.toolCalls.isEmpty())
            html += QStringLiteral("<p class='muted'><i>%1</i></p>")
                        .arg(tr("Content unknown or redacted."));
        html += toolCallsHtml(m.toolCalls, c);
    }

    const bool answered = r.output || !r.outputToolCalls.isEmpty() || r.reasoning;
    if (answered) {
        html += roleHeader(tr("Assistant"), c.addedText, tr("output"));
        if (r.reasoning) {
            const QString count = tr("%1 characters").arg(formatCount(r.reasoning->size()));
            html += QStringLiteral("<p><a href='%1'>%2 %3</a> <span class='muted'>%4</span></p>")
                        .arg(reasoningLink,
                             m_reasoningOpen ? QStringLiteral("▾") : QStringLiteral("▸"),
                             tr("Reasoning"), count);
            if (m_reasoningOpen)
                html += QStringLiteral("<div style='color:%1'>%2</div>")
                            .arg(c.muted.name(), markdownToHtml(*r.reasoning));
        }
        if (r.output)
            html += contentHtml(*r.output);
        html += toolCallsHtml(r.outputToolCalls, c);
    }
    if (!r.ok || r.error) {
        html += roleHeader(tr("Error"), c.error);
        html
            += QStringLiteral("<p style='color:%1'>%2</p>")
                   .arg(c.error.name(), esc(r.error.value_or(tr("The call failed (no message)."))));
    }
    if (!answered && r.ok)
        html += roleHeader(tr("Assistant"), c.addedText, tr("output"))
            + QStringLiteral("<p class='muted'><i>%1</i></p>").arg(tr("No output was logged."));
    m_conversation->setHtml(html);
}

void LogDetailView::renderTrace()
{
    const LogRecord &r = *m_record;
    m_trace->clear();
    const int index = m_tabs->indexOf(m_trace);
    m_tabs->setTabText(index,
                       m_spans.size() > 1 ? tr("Trace (%1)").arg(m_spans.size()) : tr("Trace"));
    if (m_spans.isEmpty()) {
        auto *item = new QTreeWidgetItem(m_trace,
                                         {r.traceId ? tr("No other spans of this trace are stored.")
                                                    : tr("This record has no trace id.")});
        item->setFlags(Qt::NoItemFlags);
        return;
    }
    const ThemeColors c = ThemeColors::fromPalette(palette());
    QHash<QString, QTreeWidgetItem *> bySpan;
    QList<QPair<const TraceSpan *, QTreeWidgetItem *>> made;
    const qint64 traceStart = [this] {
        qint64 first = std::numeric_limits<qint64>::max();
        for (const TraceSpan &s : m_spans)
            if (s.startMs)
                first = qMin(first, *s.startMs);
        return first;
    }();
    for (const TraceSpan &s : m_spans) {
        auto *item = new QTreeWidgetItem;
        QString name = s.name.isEmpty() ? tr("(unnamed span)") : s.name;
        if (s.startMs && traceStart != std::numeric_limits<qint64>::max()
            && *s.startMs > traceStart)
            item->setToolTip(
                0,
                tr("Starts %1 into the trace").arg(formatLatency(double(*s.startMs - traceStart))));
        item->setText(0, name);
        item->setText(1, durationBetween(s.startMs, s.endMs));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        if (s.status) {
            item->setText(2, *s.status == QLatin1String("error") ? tr("Error") : tr("OK"));
            if (*s.status == QLatin1String("error"))
                item->setForeground(2, c.error);
        }
        if (s.logId) {
            item->setData(0, Qt::UserRole, *s.logId);
            const bool self = *s.logId == r.id;
            QFont font = item->font(0);
            font.setBold(self);
            item->setFont(0, font);
            if (!self) {
                item->setForeground(0, c.variable);
                item->setToolTip(0, tr("An LLM call: press Enter or double-click to open it"));
            } else {
                item->setText(0, tr("%1 (this call)").arg(name));
            }
        } else {
            item->setForeground(0, c.muted);
        }
        bySpan.insert(s.spanId, item);
        made.append({&s, item});
    }
    for (const auto &[span, item] : made) {
        QTreeWidgetItem *parent = span->parentSpanId ? bySpan.value(*span->parentSpanId) : nullptr;
        // A parent that is the item itself or below it (a malformed trace) would make a cycle.
        bool cycle = false;
        for (QTreeWidgetItem *up = parent; up && !cycle; up = up->parent())
            cycle = up == item;
        if (parent && !cycle)
            parent->addChild(item);
        else
            m_trace->addTopLevelItem(item);
    }
    m_trace->expandAll();
    for (const auto &[span, item] : made)
        if (span->logId && *span->logId == r.id)
            m_trace->setCurrentItem(item);
}

} // namespace ts
