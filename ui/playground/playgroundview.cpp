#include "playground/playgroundview.h"

#include "common/designsystem.h"
#include "common/emptystate.h"
#include "common/messagebar.h"
#include "playground/modellistmodel.h"
#include "playground/playgroundcolumn.h"
#include "playground/playgroundcontroller.h"
#include "playground/testcasedialog.h"
#include "prompts/prompteditor.h"
#include "prompts/promptscontroller.h"

#include <QAction>
#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace ts {

namespace {

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text.toUpper(), parent);
    QFont f = design::font(design::TextRole::Secondary, label->font());
    f.setWeight(QFont::DemiBold);
    f.setLetterSpacing(QFont::PercentageSpacing, 106);
    label->setFont(f);
    design::setTextRole(label, design::TextRole::Secondary);
    label->setFont(f);
    return label;
}

constexpr int frameIntervalMs = 6;

} // namespace

PlaygroundView::PlaygroundView(PlaygroundController &controller, PromptsController &prompts,
                               QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_prompts(prompts)
{
    m_runAction = new QAction(tr("&Run on All Models"), this);
    m_runAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_runAction->setToolTip(
        tr("Run the current prompt and variables on every column (Ctrl+Enter)"));
    m_stopAction = new QAction(tr("&Stop"), this);
    m_stopAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_stopAction->setEnabled(false);
    addAction(m_runAction);
    addAction(m_stopAction);
    connect(m_runAction, &QAction::triggered, &controller, [this] { m_controller.run(); });
    connect(m_stopAction, &QAction::triggered, &controller, &PlaygroundController::stop);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setChildrenCollapsible(true);
    layout->addWidget(m_split);

    // The prompt pane: what runs, editable in place.
    m_promptPane = new QFrame(m_split);
    m_promptPane->setObjectName(QStringLiteral("promptPane"));
    m_promptPane->setMinimumWidth(fontMetrics().averageCharWidth() * 34);
    auto *side = new QVBoxLayout(m_promptPane);
    side->setContentsMargins(design::space::m, design::space::m, design::space::s,
                             design::space::s);
    side->setSpacing(design::space::xs);
    auto *paneHeader = new QHBoxLayout;
    paneHeader->addWidget(heading(tr("Prompt"), m_promptPane));
    paneHeader->addStretch(1);
    auto *hide = new QToolButton(m_promptPane);
    hide->setText(QStringLiteral("«"));
    hide->setAutoRaise(true);
    hide->setToolTip(
        tr("Hide the prompt to give the columns the width (the Prompt button shows it again)"));
    paneHeader->addWidget(hide);
    side->addLayout(paneHeader);
    m_promptName = new QLabel(m_promptPane);
    m_promptName->setWordWrap(true);
    design::setTextRole(m_promptName, design::TextRole::ItemTitle);
    m_promptState = new QLabel(m_promptPane);
    m_promptState->setWordWrap(true);
    design::setTextRole(m_promptState, design::TextRole::Secondary);
    side->addWidget(m_promptName);
    side->addWidget(m_promptState);
    m_editorHost = new QVBoxLayout;
    m_editorHost->setContentsMargins(0, 0, 0, 0);
    side->addLayout(m_editorHost, 1);
    auto *tip = new QLabel(
        tr("Every run is saved with the prompt version and shows in its history."), m_promptPane);
    tip->setWordWrap(true);
    design::setTextRole(tip, design::TextRole::Secondary);
    side->addWidget(tip);

    // The columns, under one row of tools.
    auto *main = new QWidget(m_split);
    auto *right = new QVBoxLayout(main);
    right->setContentsMargins(design::space::m, design::space::m, design::space::m,
                              design::space::m);
    right->setSpacing(design::space::s);
    auto *tools = new QHBoxLayout;
    tools->setSpacing(design::space::s);
    m_promptToggle = new QToolButton(main);
    m_promptToggle->setText(tr("Prompt"));
    m_promptToggle->setCheckable(true);
    m_promptToggle->setChecked(true);
    m_promptToggle->setToolTip(tr("Show or hide the prompt and its variables beside the columns"));
    m_modelsButton = new QToolButton(main);
    m_modelsButton->setPopupMode(QToolButton::InstantPopup);
    m_modelsButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_modelsButton->setToolTip(tr("Tick models to compare: each becomes a column"));
    m_samples = new QSpinBox(main);
    m_samples->setRange(1, PlaygroundController::maxSamples);
    m_samples->setValue(controller.samples());
    m_samples->setPrefix(tr("Samples "));
    m_samples->setToolTip(tr("Run each model several times to see how much its answers vary"));
    m_sideBySide = new QToolButton(main);
    m_sideBySide->setText(tr("Side by side"));
    m_sideBySide->setCheckable(true);
    m_sideBySide->setToolTip(tr("Show a model's samples next to each other instead of as tabs"));
    m_sideBySide->setVisible(controller.samples() > 1);
    m_cache = new QCheckBox(tr("Reuse cache"), main);
    m_cache->setChecked(controller.useCache());
    m_cache->setToolTip(
        tr("Identical requests are answered from the project's cache. Untick for fresh samples."));
    m_stop = new QPushButton(design::icon(QStringLiteral("media-playback-stop")), tr("Stop"), main);
    m_stop->setToolTip(tr("Stop every column (Esc)"));
    m_stop->setEnabled(false);
    m_run = new QPushButton(design::icon(QStringLiteral("media-playback-start")), tr("Run"), main);
    m_run->setProperty("primary", true);
    m_run->setToolTip(m_runAction->toolTip());
    tools->addWidget(m_promptToggle);
    tools->addWidget(m_modelsButton);
    tools->addWidget(m_samples);
    tools->addWidget(m_sideBySide);
    tools->addWidget(m_cache);
    tools->addStretch(1);
    tools->addWidget(m_stop);
    tools->addWidget(m_run);
    right->addLayout(tools);

    // The model picker, a popup under the Models button.
    m_pickerPopup = new QFrame(this, Qt::Popup);
    m_pickerPopup->setObjectName(QStringLiteral("modelPicker"));
    m_pickerPopup->setFrameShape(QFrame::StyledPanel);
    auto *pickerLayout = new QVBoxLayout(m_pickerPopup);
    pickerLayout->setContentsMargins(design::space::s, design::space::s, design::space::s,
                                     design::space::s);
    pickerLayout->addWidget(heading(tr("Models to compare"), m_pickerPopup));
    m_picker = new QListView(m_pickerPopup);
    m_picker->setModel(controller.picker());
    m_picker->setUniformItemSizes(true);
    m_picker->setFrameShape(QFrame::NoFrame);
    m_picker->setToolTip(m_modelsButton->toolTip());
    pickerLayout->addWidget(m_picker);
    m_manage = new QPushButton(tr("Manage models…"), m_pickerPopup);
    pickerLayout->addWidget(m_manage);

    m_messages = new MessageBar(main);
    m_messages->hide();
    right->addWidget(m_messages);
    m_stack = new QStackedWidget(main);
    m_empty = new EmptyState(m_stack);
    m_scroll = new QScrollArea(m_stack);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_host = new QWidget(m_scroll);
    m_hostLayout = new QHBoxLayout(m_host);
    m_hostLayout->setContentsMargins(0, 0, 0, 0);
    m_hostLayout->setSpacing(design::space::s);
    m_scroll->setWidget(m_host);
    m_host->installEventFilter(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_scroll);
    right->addWidget(m_stack, 1);

    m_split->addWidget(m_promptPane);
    m_split->addWidget(main);
    m_split->setCollapsible(1, false);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    m_split->setSizes(
        {fontMetrics().averageCharWidth() * 50, fontMetrics().averageCharWidth() * 160});

    connect(hide, &QToolButton::clicked, this, [this] { setPromptPaneVisible(false); });
    connect(m_promptToggle, &QToolButton::toggled, this, &PlaygroundView::setPromptPaneVisible);
    connect(m_split, &QSplitter::splitterMoved, this, [this] {
        const QSignalBlocker block(m_promptToggle);
        m_promptToggle->setChecked(m_split->sizes().value(0) > 0);
    });
    connect(m_modelsButton, &QToolButton::clicked, this, &PlaygroundView::showModelPicker);
    connect(m_empty, &EmptyState::actionTriggered, this, [this] {
        if (m_controller.picker()->rowCount() > 0)
            showModelPicker();
        else
            Q_EMIT manageModelsRequested();
    });
    connect(m_run, &QPushButton::clicked, m_runAction, &QAction::trigger);
    connect(m_stop, &QPushButton::clicked, m_stopAction, &QAction::trigger);
    connect(m_manage, &QPushButton::clicked, this, [this] {
        m_pickerPopup->hide();
        Q_EMIT manageModelsRequested();
    });
    connect(m_samples, &QSpinBox::valueChanged, &controller, &PlaygroundController::setSamples);
    connect(m_samples, &QSpinBox::valueChanged, this,
            [this](int n) { m_sideBySide->setVisible(n > 1); });
    connect(m_sideBySide, &QToolButton::toggled, this, [this](bool on) {
        for (PlaygroundColumn *c : std::as_const(m_columns))
            c->setSamplesSideBySide(on);
    });
    connect(m_cache, &QCheckBox::toggled, &controller, &PlaygroundController::setUseCache);
    connect(&controller, &PlaygroundController::columnsChanged, this,
            &PlaygroundView::rebuildColumns);
    connect(&controller, &PlaygroundController::runningChanged, this,
            &PlaygroundView::updateRunning);
    connect(&controller, &PlaygroundController::runStarted, this, [this] {
        m_messages->clear();
        m_messages->hide();
        for (PlaygroundColumn *c : m_columns)
            c->refresh();
    });
    connect(&controller, &PlaygroundController::sampleProgress, this,
            [this](int column, int sample, const QString &, const QString &) {
                if (column < m_columns.size())
                    m_columns[column]->sampleProgressed(sample);
            });
    connect(&controller, &PlaygroundController::sampleChanged, this,
            [this](int column, int sample) {
                if (column < m_columns.size())
                    m_columns[column]->sampleChanged(sample);
            });
    connect(&controller, &PlaygroundController::errorOccurred, this,
            [this](const QString &message) {
                m_messages->showMessage(MessageBar::Kind::Error, message);
                m_messages->show();
            });
    connect(&controller, &PlaygroundController::notice, this, &PlaygroundView::statusMessage);
    connect(controller.picker(), &ModelListModel::modelReset, this,
            &PlaygroundView::updateEmptyState);
    connect(controller.picker(), &ModelListModel::modelReset, this,
            &PlaygroundView::updateModelsButton);
    connect(controller.picker(), &ModelListModel::checkedChanged, this,
            &PlaygroundView::updateModelsButton);
    connect(&prompts, &PromptsController::promptLoaded, this, &PlaygroundView::updatePromptSummary);
    connect(&prompts, &PromptsController::promptCleared, this,
            &PlaygroundView::updatePromptSummary);
    connect(&prompts, &PromptsController::dirtyChanged, this, &PlaygroundView::updatePromptSummary);
    connect(&prompts, &PromptsController::versionSaved, this, &PlaygroundView::updatePromptSummary);

    // Columns render one per tick rather than all in the same frame: streams started together
    // deliver their batches together, and one repaint laying out six long outputs would stall.
    m_frameTimer.setInterval(frameIntervalMs);
    connect(&m_frameTimer, &QTimer::timeout, this, &PlaygroundView::renderNextColumn);

    rebuildColumns();
    updateModelsButton();
    updatePromptSummary();
    updateRunning(controller.isRunning());
}

void PlaygroundView::setPromptPaneVisible(bool visible)
{
    {
        const QSignalBlocker block(m_promptToggle);
        m_promptToggle->setChecked(visible);
    }
    const int total = m_split->width();
    const int pane = std::min(fontMetrics().averageCharWidth() * 50, total / 2);
    m_split->setSizes(visible ? QList<int> {pane, std::max(0, total - pane)}
                              : QList<int> {0, total});
}

void PlaygroundView::setPromptEditor(PromptEditor *editor)
{
    m_editor = editor;
    if (isVisible())
        adoptEditor();
}

void PlaygroundView::showEvent(QShowEvent *event)
{
    adoptEditor();
    QWidget::showEvent(event);
}

void PlaygroundView::adoptEditor()
{
    if (!m_editor || m_editor->parentWidget() == m_promptPane)
        return;
    m_editor->setParent(m_promptPane);
    m_editorHost->addWidget(m_editor);
    m_editor->setCompact(true);
    m_editor->show();
    updatePromptSummary();
}

void PlaygroundView::showModelPicker()
{
    const int rows = std::clamp(m_controller.picker()->rowCount(), 3, 14);
    const int rowHeight
        = std::max(m_picker->sizeHintForRow(0), m_picker->fontMetrics().height() + 4);
    m_picker->setFixedHeight(rows * rowHeight + 2 * m_picker->frameWidth() + 4);
    m_pickerPopup->setMinimumWidth(
        std::max(m_modelsButton->width(), fontMetrics().averageCharWidth() * 34));
    m_pickerPopup->adjustSize();
    m_pickerPopup->move(m_modelsButton->mapToGlobal(QPoint(0, m_modelsButton->height())));
    m_pickerPopup->show();
    m_picker->setFocus();
}

void PlaygroundView::updateModelsButton()
{
    const int all = m_controller.picker()->rowCount();
    const int ticked = int(m_controller.picker()->checkedNames().size());
    m_modelsButton->setText(all == 0 ? tr("Models: none yet ▾")
                                     : tr("Models · %1 of %2 ▾").arg(ticked).arg(all));
}

void PlaygroundView::rebuildColumns()
{
    qDeleteAll(m_columns);
    m_columns.clear();
    while (QLayoutItem *item = m_hostLayout->takeAt(0))
        delete item;
    QStringList models;
    PlaygroundColumn *added = nullptr;
    for (int i = 0; i < m_controller.columnCount(); ++i) {
        auto *column = new PlaygroundColumn(m_controller, i, m_host);
        column->setSamplesSideBySide(m_sideBySide->isChecked());
        connect(column, &PlaygroundColumn::removeRequested, this, [this](int index) {
            QStringList names = m_controller.picker()->checkedNames();
            names.removeAll(m_controller.column(index).model.name);
            // Deferred: the column asking is deleted by the rebuild.
            QMetaObject::invokeMethod(
                this, [this, names] { m_controller.setColumnModels(names); }, Qt::QueuedConnection);
        });
        connect(column, &PlaygroundColumn::addTestCaseRequested, this,
                &PlaygroundView::addTestCase);
        connect(column, &PlaygroundColumn::copied, this, &PlaygroundView::statusMessage);
        connect(column, &PlaygroundColumn::renderRequested, this, [this] {
            if (!m_frameTimer.isActive()) {
                m_frameTimer.start();
                renderNextColumn(); // a lone update shows at once
            }
        });
        m_hostLayout->addWidget(column, 1);
        m_columns.append(column);
        const QString name = m_controller.column(i).model.name;
        if (!added && !m_columnModels.isEmpty() && !m_columnModels.contains(name))
            added = column;
        models << name;
    }
    m_columnModels = models;
    updateEmptyState();
    if (added) {
        // A column added beyond the right edge scrolls into view once the scroll area has
        // resized the row of columns to fit it (see eventFilter).
        m_scrollTarget = added;
        QTimer::singleShot(250, this, [this] { m_scrollTarget = nullptr; });
    }
}

bool PlaygroundView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_host && event->type() == QEvent::Resize && m_scrollTarget) {
        QPointer<PlaygroundColumn> target = m_scrollTarget;
        QMetaObject::invokeMethod(
            this,
            [this, target] {
                if (target)
                    m_scroll->ensureWidgetVisible(target, 0, 0);
            },
            Qt::QueuedConnection);
    }
    return QWidget::eventFilter(watched, event);
}

void PlaygroundView::renderNextColumn()
{
    const int n = int(m_columns.size());
    for (int i = 0; i < n; ++i) {
        PlaygroundColumn *column = m_columns[(m_nextRender + i) % n];
        if (column->renderIfPending()) {
            m_nextRender = (m_nextRender + i + 1) % n;
            return;
        }
    }
    m_frameTimer.stop(); // nothing left to render
}

void PlaygroundView::updateEmptyState()
{
    const bool hasModels = m_controller.picker()->rowCount() > 0;
    m_empty->setContent(
        QStringLiteral("media-playback-start"), tr("Pick models and press Ctrl+Enter"),
        hasModels ? tr("Each model you tick becomes a column. Ctrl+Enter runs the prompt on the "
                       "left, with its variables, on all of them at once, streaming side by side; "
                       "Esc stops them.")
                  : tr("This project has no models yet. Add one (OpenAI or any OpenAI-compatible "
                       "server, Anthropic, Gemini or Ollama), then tick it here."));
    m_empty->setAction(hasModels ? tr("Choose Models…") : tr("Add a Model…"));
    m_stack->setCurrentWidget(m_columns.isEmpty() ? static_cast<QWidget *>(m_empty) : m_scroll);
}

QString PlaygroundView::emptyStateText() const
{
    return m_columns.isEmpty() ? m_empty->title() : QString();
}

void PlaygroundView::updatePromptSummary()
{
    // The lent editor shows the name and version itself; the summary stands in for it.
    const bool editorShown = m_editor && m_editor->parentWidget() == m_promptPane;
    m_promptName->setVisible(!editorShown);
    m_promptState->setVisible(!editorShown);
    if (!m_prompts.currentPromptId()) {
        m_promptName->setText(tr("No prompt selected"));
        m_promptState->setText(tr("Select a prompt in Prompts; the playground runs it with the "
                                  "variables you set there."));
        return;
    }
    m_promptName->setText(m_prompts.currentPromptName());
    const auto base = m_prompts.baseVersion();
    QString state;
    if (!base)
        state = tr("Not saved yet: runs are kept once you save a version (Ctrl+S).");
    else if (m_prompts.isDirty())
        state
            = tr("Unsaved changes to v%1: runs use the draft and are stored with v%1.").arg(*base);
    else
        state = tr("Version %1").arg(*base);
    const nlohmann::json vars = m_prompts.variableValues();
    if (vars.is_object() && !vars.empty())
        state += QLatin1Char('\n')
            + (vars.size() == 1 ? tr("1 variable set in the editor")
                                : tr("%1 variables set in the editor").arg(vars.size()));
    if (editorShown) // the editor says which version and whether it has unsaved changes
        state.clear();
    m_promptState->setText(state);
    m_promptState->setVisible(!state.isEmpty());
}

void PlaygroundView::updateRunning(bool running)
{
    m_stopAction->setEnabled(running);
    m_stop->setEnabled(running);
    m_run->setEnabled(!running);
    m_runAction->setEnabled(!running);
    m_picker->setEnabled(!running);
    m_modelsButton->setEnabled(!running);
    m_samples->setEnabled(!running);
    if (running)
        updatePromptSummary();
    const int n = m_controller.columnCount();
    Q_EMIT statusMessage(!running     ? QString()
                             : n == 1 ? tr("Running on 1 model… Esc stops.")
                                      : tr("Running on %1 models… Esc stops.").arg(n));
}

void PlaygroundView::addTestCase(int column, int sample)
{
    if (column >= m_controller.columnCount())
        return;
    const PlaygroundColumnState &state = m_controller.column(column);
    const QString output = sample < state.samples.size() ? state.samples[sample].text : QString();
    auto *dialog = new TestCaseDialog(m_controller, output, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TestCaseDialog::saved, this, &PlaygroundView::statusMessage);
    dialog->open();
}

} // namespace ts
