#pragma once

#include "prompts/promptcontent.h"
#include "template/mustache.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QSplitter;
class QTabWidget;
class QToolButton;
class QUndoStack;
class QVBoxLayout;

namespace ts {

class JsonEdit;
class MessageBar;
class MessageEditor;
class ParametersPanel;
class PreviewPane;
class PromptsController;
class TemplateAnalysis;
class VariablesPanel;
struct RenderedMessage;

/// The editor for the selected prompt: its messages on the left; variables, parameters, tools
/// and the rendered preview on the right. Edits flow to the PromptsController as content.
/// Adding, removing and moving messages go through an undo stack (Ctrl+Z / Ctrl+Shift+Z when
/// no text field has the focus). A snippet is edited here too, as one text.
class PromptEditor final : public QWidget
{
    Q_OBJECT

public:
    /// Delay between the last keystroke and re-parsing, variables and preview.
    static constexpr int analysisDelayMs = 100;

    explicit PromptEditor(PromptsController &controller, QWidget *parent = nullptr);

    QList<MessageEditor *> messageEditors() const { return m_editors; }
    VariablesPanel *variablesPanel() const { return m_variables; }
    ParametersPanel *parametersPanel() const { return m_parameters; }
    PreviewPane *previewPane() const { return m_preview; }
    JsonEdit *toolsEdit() const { return m_tools; }
    QTabWidget *sideTabs() const { return m_sideTabs; }
    QSplitter *mainSplitter() const { return m_split; }
    QSplitter *sideSplitter() const { return m_sideSplit; }
    QUndoStack *undoStack() const { return m_undo; }
    QPushButton *discardButton() const { return m_discard; }
    QLabel *emptyLabel() const { return m_empty; }
    /// Problems that block saving (an invalid response schema or tools), or "".
    QString blockingProblem() const;
    /// A one-line summary of template errors for the status bar, or "".
    QString errorSummary() const { return m_errorSummary; }

    /// Compact: the messages above the variables (no preview) for a narrow pane such as the
    /// playground's; otherwise messages beside variables and preview.
    void setCompact(bool compact);
    bool isCompact() const { return m_compact; }

    void addMessage(const QString &role);
    void moveMessage(int from, int to);
    void removeMessage(int index);
    /// Replaces the variable values (kept per prompt) and refreshes the preview.
    void setVariableValues(const nlohmann::json &values);

Q_SIGNALS:
    void errorSummaryChanged(const QString &summary);
    /// The person asked to rename the prompt (the title's Rename button).
    void renameRequested();
    /// The person pressed Discard Changes (the section asks before discarding).
    void discardRequested();

private:
    friend class MessagesCommand;
    void loadFromController();
    void setMessages(const QList<PromptMessage> &messages);
    /// Applies a structural change to the messages (from the undo stack) and focuses `focus`.
    void applyMessages(const QList<PromptMessage> &messages, int focus);
    void contentEdited();
    void analyze();
    /// With `wait`, on this thread and applied before returning; else on a pool thread.
    void analyzeNow(bool wait);
    void applyAnalysis(const TemplateAnalysis &analysis, const QList<RenderedMessage> &rendered,
                       const nlohmann::json &values);
    void updateEmptyText();
    void updateSubtitle();
    PromptContent collectContent() const;
    static QString toolsProblem(const nlohmann::json &tools);

    PromptsController &m_controller;
    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    QToolButton *m_rename = nullptr;
    QPushButton *m_discard = nullptr;
    MessageBar *m_note = nullptr;
    QWidget *m_body = nullptr;
    QWidget *m_column = nullptr;
    QWidget *m_addRow = nullptr;
    QLabel *m_empty = nullptr;
    QVBoxLayout *m_messagesLayout = nullptr;
    QList<MessageEditor *> m_editors;
    VariablesPanel *m_variables = nullptr;
    ParametersPanel *m_parameters = nullptr;
    QWidget *m_paramsPage = nullptr;
    JsonEdit *m_tools = nullptr;
    PreviewPane *m_preview = nullptr;
    QTabWidget *m_sideTabs = nullptr;
    QSplitter *m_split = nullptr;
    QSplitter *m_sideSplit = nullptr;
    QUndoStack *m_undo = nullptr;
    QTimer m_analysisTimer;
    quint64 m_analysisSerial = 0;
    QString m_errorSummary;
    /// The variables of the last analysis without a parse error: a half-typed tag does not
    /// make the inputs (and their values) disappear.
    QList<TemplateVariable> m_lastGoodVariables;
    bool m_loading = false;
    bool m_compact = false;
    QList<int> m_wideSizes; ///< the main splitter's sizes before it went compact
};

} // namespace ts
