#pragma once

#include "prompts/promptcontent.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QSplitter;
class QTabWidget;
class QVBoxLayout;

namespace ts {

class MessageBar;
class MessageEditor;
class ParametersPanel;
class PreviewPane;
class PromptsController;
class VariablesPanel;

/// The editor for the selected prompt: its messages on the left; variables, parameters and the
/// rendered preview on the right. Edits flow to the PromptsController as content.
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
    QSplitter *mainSplitter() const { return m_split; }
    QSplitter *sideSplitter() const { return m_sideSplit; }
    /// Problems that block saving (an invalid response schema), or "".
    QString blockingProblem() const;
    /// A one-line summary of template errors for the status bar, or "".
    QString errorSummary() const { return m_errorSummary; }

    void addMessage(const QString &role);
    /// Replaces the variable values (kept per prompt) and refreshes the preview.
    void setVariableValues(const nlohmann::json &values);

Q_SIGNALS:
    void errorSummaryChanged(const QString &summary);

private:
    void loadFromController();
    void setMessages(const QList<PromptMessage> &messages);
    void contentEdited();
    void analyze();
    void moveMessage(int from, int to);
    void removeMessage(int index);
    PromptContent collectContent() const;

    PromptsController &m_controller;
    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    MessageBar *m_note = nullptr;
    QWidget *m_body = nullptr;
    QLabel *m_empty = nullptr;
    QVBoxLayout *m_messagesLayout = nullptr;
    QList<MessageEditor *> m_editors;
    VariablesPanel *m_variables = nullptr;
    ParametersPanel *m_parameters = nullptr;
    PreviewPane *m_preview = nullptr;
    QTabWidget *m_sideTabs = nullptr;
    QSplitter *m_split = nullptr;
    QSplitter *m_sideSplit = nullptr;
    QTimer m_analysisTimer;
    QString m_errorSummary;
    std::optional<nlohmann::json> m_tools; ///< kept as loaded; not edited here yet
    bool m_loading = false;
};

} // namespace ts
