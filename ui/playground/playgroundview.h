#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QAction;
class QCheckBox;
class QFrame;
class QLabel;
class QListView;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QSplitter;
class QStackedWidget;
class QHBoxLayout;
class QToolButton;
class QVBoxLayout;

namespace ts {

class EmptyState;
class MessageBar;
class PlaygroundColumn;
class PlaygroundController;
class PromptEditor;
class PromptsController;

/// The Playground section: on the left (collapsible, in a splitter) the prompt being run, its
/// messages and variables editable in place when the Prompts editor is lent here; on the right
/// a tool row (models to compare, samples per model and how they show, the cache, Run / Stop)
/// above one column per model, side by side, streaming in parallel, scrolling sideways beyond
/// what fits. Ctrl+Enter runs, Esc stops.
class PlaygroundView final : public QWidget
{
    Q_OBJECT

public:
    PlaygroundView(PlaygroundController &controller, PromptsController &prompts,
                   QWidget *parent = nullptr);

    /// Ctrl+Enter: runs the current prompt on every column. Shared with the window's menu.
    QAction *runAction() const { return m_runAction; }
    /// Esc: stops every column (enabled only while running).
    QAction *stopAction() const { return m_stopAction; }

    QList<PlaygroundColumn *> columns() const { return m_columns; }
    QListView *modelPicker() const { return m_picker; }
    /// "Models · 2 of 7": opens the picker.
    QToolButton *modelsButton() const { return m_modelsButton; }
    /// Shows the model picker under the Models button.
    void showModelPicker();
    QSpinBox *samplesBox() const { return m_samples; }
    /// Samples side by side within each column (shown when samples per model > 1).
    QToolButton *sideBySideButton() const { return m_sideBySide; }
    QPushButton *manageModelsButton() const { return m_manage; }
    MessageBar *messageBar() const { return m_messages; }
    QScrollArea *columnsArea() const { return m_scroll; }
    QSplitter *splitter() const { return m_split; }
    /// The prompt pane on the left; hidden with the Prompt button (or by dragging it closed).
    QFrame *promptPane() const { return m_promptPane; }
    void setPromptPaneVisible(bool visible);
    EmptyState *emptyState() const { return m_empty; }
    /// The sentence shown when there are no columns, or "" when columns are shown.
    QString emptyStateText() const;

    /// Lends the Prompts section's editor to the prompt pane whenever the playground shows
    /// (compact: messages above variables); the Prompts section takes it back when it shows.
    void setPromptEditor(PromptEditor *editor);
    PromptEditor *promptEditor() const { return m_editor; }

Q_SIGNALS:
    void manageModelsRequested();
    void statusMessage(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void adoptEditor();
    void updateModelsButton();
    void rebuildColumns();
    void updatePromptSummary();
    void updateEmptyState();
    void updateRunning(bool running);
    void addTestCase(int column, int sample);
    void renderNextColumn();

    PlaygroundController &m_controller;
    PromptsController &m_prompts;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QSplitter *m_split = nullptr;
    QFrame *m_promptPane = nullptr;
    QVBoxLayout *m_editorHost = nullptr;
    PromptEditor *m_editor = nullptr;
    QLabel *m_promptName = nullptr;
    QLabel *m_promptState = nullptr;
    QToolButton *m_promptToggle = nullptr;
    QToolButton *m_modelsButton = nullptr;
    QFrame *m_pickerPopup = nullptr;
    QListView *m_picker = nullptr;
    QPushButton *m_manage = nullptr;
    QSpinBox *m_samples = nullptr;
    QToolButton *m_sideBySide = nullptr;
    QCheckBox *m_cache = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_stop = nullptr;
    MessageBar *m_messages = nullptr;
    QStackedWidget *m_stack = nullptr;
    EmptyState *m_empty = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_host = nullptr;
    QHBoxLayout *m_hostLayout = nullptr;
    QList<PlaygroundColumn *> m_columns;
    QStringList m_columnModels; ///< the models of m_columns, to tell which column is new
    QPointer<PlaygroundColumn> m_scrollTarget; ///< a new column to scroll to once placed
    QTimer m_frameTimer; ///< renders one column per tick, round-robin
    int m_nextRender = 0;
};

} // namespace ts
