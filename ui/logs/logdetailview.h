#pragma once

#include "logs/logrecord.h"

#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;
class QTextBrowser;
class QTreeWidget;

namespace ts {

/// The whole record as JSON, with the keys of `logs list --json` plus the rest of the row.
nlohmann::json logRecordToJson(const LogRecord &record);

/// The detail pane of the Logs section: the conversation as a person reads it (roles, Markdown,
/// pretty-printed JSON, tool calls with their results, reasoning folded), a header with the
/// model, status, tokens and timings, the trace's other spans (an LLM span opens that record),
/// the metadata and the raw record.
class LogDetailView final : public QWidget
{
    Q_OBJECT

public:
    enum Tab { ConversationTab, TraceTab, MetadataTab, RawTab };

    explicit LogDetailView(QWidget *parent = nullptr);

    void showRecord(const LogRecord &record, const QList<TraceSpan> &spans);
    void clear();
    std::optional<qint64> recordId() const;

    /// Reasoning is folded until opened; it stays open for the next records.
    void setReasoningOpen(bool open);
    bool isReasoningOpen() const { return m_reasoningOpen; }

    QTabWidget *tabs() const { return m_tabs; }
    QTextBrowser *conversation() const { return m_conversation; }
    QTreeWidget *trace() const { return m_trace; }
    QString headerText() const;
    QString conversationText() const;
    QString metadataText() const;
    QString rawText() const;

Q_SIGNALS:
    /// An LLM span of the trace was opened.
    void recordRequested(qint64 id);

private:
    void render();
    void renderConversation();
    void renderTrace();

    std::optional<LogRecord> m_record;
    QList<TraceSpan> m_spans;
    bool m_reasoningOpen = false;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_facts = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTextBrowser *m_conversation = nullptr;
    QTreeWidget *m_trace = nullptr;
    QTextBrowser *m_metadata = nullptr;
    QPlainTextEdit *m_raw = nullptr;
};

} // namespace ts
