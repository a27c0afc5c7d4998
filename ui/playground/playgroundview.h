#pragma once

#include <QTimer>
#include <QWidget>

class QAction;
class QCheckBox;
class QLabel;
class QListView;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QStackedWidget;
class QHBoxLayout;

namespace ts {

class MessageBar;
class PlaygroundColumn;
class PlaygroundController;
class PromptsController;

/// The Playground section: on the left the prompt being run, the models to compare (ticked
/// models become columns), samples per model and Run / Stop; on the right one column per model,
/// side by side, streaming in parallel. Ctrl+Enter runs, Esc stops.
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
    QSpinBox *samplesBox() const { return m_samples; }
    QPushButton *manageModelsButton() const { return m_manage; }
    MessageBar *messageBar() const { return m_messages; }
    /// The sentence shown when there are no columns, or "" when columns are shown.
    QString emptyStateText() const;

Q_SIGNALS:
    void manageModelsRequested();
    void statusMessage(const QString &message);

private:
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
    QLabel *m_promptName = nullptr;
    QLabel *m_promptState = nullptr;
    QListView *m_picker = nullptr;
    QPushButton *m_manage = nullptr;
    QSpinBox *m_samples = nullptr;
    QCheckBox *m_cache = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_stop = nullptr;
    MessageBar *m_messages = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_empty = nullptr;
    QLabel *m_emptyTitle = nullptr;
    QLabel *m_emptyDetail = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_host = nullptr;
    QHBoxLayout *m_hostLayout = nullptr;
    QList<PlaygroundColumn *> m_columns;
    QTimer m_frameTimer; ///< renders one column per tick, round-robin
    int m_nextRender = 0;
};

} // namespace ts
