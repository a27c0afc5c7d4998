#pragma once

#include <QWidget>

class QLineEdit;
class QListView;
class QPushButton;
class QSplitter;
class QTabWidget;

namespace ts {

class HistoryController;
class HistoryView;
class PromptEditor;
class PromptFilterProxy;
class PromptsController;

/// The "Prompts" section: a searchable prompt list on the left; the editor and the version
/// history of the selected prompt on the right.
class PromptsSection final : public QWidget
{
    Q_OBJECT

public:
    PromptsSection(PromptsController &prompts, HistoryController &history,
                   QWidget *parent = nullptr);

    PromptEditor *editor() const { return m_editor; }
    HistoryView *historyView() const { return m_history; }
    QTabWidget *tabs() const { return m_tabs; }
    QListView *listView() const { return m_list; }
    QLineEdit *searchField() const { return m_search; }
    QSplitter *splitter() const { return m_split; }
    PromptFilterProxy *proxy() const { return m_proxy; }

    void showEditor();
    /// Puts the editor back in the Editor tab (full layout) after another section such as the
    /// playground borrowed it; done whenever the section is shown.
    void reclaimEditor();
    void showHistory();
    /// Asks for a name and creates a prompt (with no project open, says so and asks nothing).
    void newPrompt();
    /// Asks for a name and creates a snippet, shared text prompts include with {{> name}}.
    void newSnippet();
    /// Asks for a new name for the selected prompt or snippet.
    void renameSelected();
    /// Drops the current prompt's unsaved changes (after asking).
    void discardChanges();
    QPushButton *newPromptButton() const { return m_new; }
    QPushButton *newSnippetButton() const { return m_newSnippet; }
    /// Asks for confirmation and deletes the selected prompt.
    void deleteSelected();
    /// Asks for a note and saves a version (Ctrl+S).
    void saveVersion();

Q_SIGNALS:
    /// A message for the window's status line.
    void statusMessage(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void selectCurrentInList();
    /// Whether a project is open; if not, says so on the status line.
    bool requireProject();

    PromptsController &m_prompts;
    QLineEdit *m_search = nullptr;
    QListView *m_list = nullptr;
    PromptFilterProxy *m_proxy = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_newSnippet = nullptr;
    QTabWidget *m_tabs = nullptr;
    PromptEditor *m_editor = nullptr;
    QWidget *m_editorPage = nullptr; ///< the Editor tab; holds m_editor unless it is lent out
    HistoryView *m_history = nullptr;
    QSplitter *m_split = nullptr;
};

} // namespace ts
