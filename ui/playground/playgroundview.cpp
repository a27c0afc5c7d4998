#include "playground/playgroundview.h"

#include "common/messagebar.h"
#include "common/themecolors.h"
#include "playground/modellistmodel.h"
#include "playground/playgroundcolumn.h"
#include "playground/playgroundcontroller.h"
#include "playground/testcasedialog.h"
#include "prompts/promptscontroller.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace ts {

namespace {

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text.toUpper(), parent);
    QFont f = label->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 0.85);
    f.setLetterSpacing(QFont::PercentageSpacing, 106);
    label->setFont(f);
    label->setStyleSheet(QStringLiteral("QLabel { color: %1; }")
                             .arg(ThemeColors::fromPalette(label->palette()).muted.name()));
    return label;
}

constexpr int frameIntervalMs = 6;

} // namespace

PlaygroundView::PlaygroundView(PlaygroundController &controller, PromptsController &prompts, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_prompts(prompts)
{
    const ThemeColors colors = ThemeColors::fromPalette(palette());
    m_runAction = new QAction(tr("&Run on All Models"), this);
    m_runAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_runAction->setToolTip(tr("Run the current prompt and variables on every column (Ctrl+Enter)"));
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

    // The run panel.
    auto *panel = new QFrame(this);
    panel->setObjectName(QStringLiteral("runPanel"));
    panel->setFixedWidth(250);
    panel->setStyleSheet(QStringLiteral("#runPanel { background: %1; border-right: 1px solid %2; }")
                             .arg(colors.panel.name(), ThemeColors::mix(palette().color(QPalette::WindowText),
                                                                         palette().color(QPalette::Window), 0.15)
                                                           .name()));
    auto *side = new QVBoxLayout(panel);
    side->setContentsMargins(14, 14, 14, 14);
    side->setSpacing(6);
    side->addWidget(heading(tr("Prompt"), panel));
    m_promptName = new QLabel(panel);
    QFont nameFont = m_promptName->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.1);
    m_promptName->setFont(nameFont);
    m_promptName->setWordWrap(true);
    m_promptState = new QLabel(panel);
    m_promptState->setWordWrap(true);
    m_promptState->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(colors.muted.name()));
    side->addWidget(m_promptName);
    side->addWidget(m_promptState);
    side->addSpacing(10);

    side->addWidget(heading(tr("Models"), panel));
    m_picker = new QListView(panel);
    m_picker->setModel(controller.picker());
    m_picker->setUniformItemSizes(true);
    m_picker->setToolTip(tr("Tick models to compare: each becomes a column"));
    side->addWidget(m_picker);
    m_manage = new QPushButton(tr("Manage models…"), panel);
    side->addWidget(m_manage);
    side->addSpacing(10);

    side->addWidget(heading(tr("Samples per model"), panel));
    m_samples = new QSpinBox(panel);
    m_samples->setRange(1, PlaygroundController::maxSamples);
    m_samples->setValue(controller.samples());
    m_samples->setToolTip(tr("Run each model several times to see how much its answers vary"));
    side->addWidget(m_samples);
    m_cache = new QCheckBox(tr("Reuse cached answers"), panel);
    m_cache->setChecked(controller.useCache());
    m_cache->setToolTip(tr("Identical requests are answered from the project's cache. Untick for fresh samples."));
    side->addWidget(m_cache);
    side->addSpacing(14);

    m_run = new QPushButton(tr("Run   Ctrl+Enter"), panel);
    m_run->setMinimumHeight(34);
    const QColor accent = palette().color(QPalette::Highlight);
    m_run->setStyleSheet(QStringLiteral(
        "QPushButton { background: %1; color: %2; border: none; border-radius: 5px; font-weight: 600; }"
        "QPushButton:hover { background: %3; }"
        "QPushButton:disabled { background: %4; color: %5; }")
                             .arg(accent.name(), palette().color(QPalette::HighlightedText).name(),
                                  accent.lighter(112).name(), colors.muted.name(), colors.panel.name()));
    m_stop = new QPushButton(tr("Stop   Esc"), panel);
    m_stop->setMinimumHeight(30);
    m_stop->setEnabled(false);
    side->addWidget(m_run);
    side->addWidget(m_stop);
    side->addSpacing(10);
    auto *tip = new QLabel(tr("Every run is saved with the prompt version and shows in its history."), panel);
    tip->setWordWrap(true);
    tip->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(colors.muted.name()));
    side->addWidget(tip);
    side->addStretch(1);
    layout->addWidget(panel);

    // The columns.
    auto *right = new QVBoxLayout;
    right->setContentsMargins(12, 12, 12, 12);
    right->setSpacing(8);
    m_messages = new MessageBar(this);
    m_messages->hide();
    right->addWidget(m_messages);
    m_stack = new QStackedWidget(this);
    m_empty = new QWidget(m_stack);
    auto *emptyLayout = new QVBoxLayout(m_empty);
    emptyLayout->addStretch(2);
    m_emptyTitle = new QLabel(tr("Pick models and press Ctrl+Enter"), m_empty);
    QFont big = m_emptyTitle->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_emptyTitle->setFont(big);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    m_emptyDetail = new QLabel(m_empty);
    m_emptyDetail->setAlignment(Qt::AlignCenter);
    m_emptyDetail->setWordWrap(true);
    m_emptyDetail->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(colors.muted.name()));
    m_emptyDetail->setFixedWidth(560); // a wrapped label needs a width to compute its height
    emptyLayout->addWidget(m_emptyTitle);
    emptyLayout->addWidget(m_emptyDetail, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(3);
    m_scroll = new QScrollArea(m_stack);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_host = new QWidget(m_scroll);
    m_hostLayout = new QHBoxLayout(m_host);
    m_hostLayout->setContentsMargins(0, 0, 0, 0);
    m_hostLayout->setSpacing(10);
    m_scroll->setWidget(m_host);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_scroll);
    right->addWidget(m_stack, 1);
    layout->addLayout(right, 1);

    connect(m_run, &QPushButton::clicked, m_runAction, &QAction::trigger);
    connect(m_stop, &QPushButton::clicked, m_stopAction, &QAction::trigger);
    connect(m_manage, &QPushButton::clicked, this, &PlaygroundView::manageModelsRequested);
    connect(m_samples, &QSpinBox::valueChanged, &controller, &PlaygroundController::setSamples);
    connect(m_cache, &QCheckBox::toggled, &controller, &PlaygroundController::setUseCache);
    connect(&controller, &PlaygroundController::columnsChanged, this, &PlaygroundView::rebuildColumns);
    connect(&controller, &PlaygroundController::runningChanged, this, &PlaygroundView::updateRunning);
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
    connect(&controller, &PlaygroundController::sampleChanged, this, [this](int column, int sample) {
        if (column < m_columns.size())
            m_columns[column]->sampleChanged(sample);
    });
    connect(&controller, &PlaygroundController::errorOccurred, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Error, message);
        m_messages->show();
    });
    connect(&controller, &PlaygroundController::notice, this, &PlaygroundView::statusMessage);
    connect(controller.picker(), &ModelListModel::modelReset, this, &PlaygroundView::updateEmptyState);
    // The picker is as tall as its models (4 to 12 rows), so Run stays close to them.
    auto fitPicker = [this] {
        const int rows = std::clamp(m_controller.picker()->rowCount(), 4, 12);
        const int rowHeight = std::max(m_picker->sizeHintForRow(0), m_picker->fontMetrics().height() + 4);
        m_picker->setFixedHeight(rows * rowHeight + 2 * m_picker->frameWidth() + 4);
    };
    connect(controller.picker(), &ModelListModel::modelReset, this, fitPicker);
    fitPicker();
    connect(&prompts, &PromptsController::promptLoaded, this, &PlaygroundView::updatePromptSummary);
    connect(&prompts, &PromptsController::promptCleared, this, &PlaygroundView::updatePromptSummary);
    connect(&prompts, &PromptsController::dirtyChanged, this, &PlaygroundView::updatePromptSummary);
    connect(&prompts, &PromptsController::versionSaved, this, &PlaygroundView::updatePromptSummary);

    // Columns render one per tick rather than all in the same frame: streams started together
    // deliver their batches together, and one repaint laying out six long outputs would stall.
    m_frameTimer.setInterval(frameIntervalMs);
    connect(&m_frameTimer, &QTimer::timeout, this, &PlaygroundView::renderNextColumn);

    rebuildColumns();
    updatePromptSummary();
    updateRunning(controller.isRunning());
}

void PlaygroundView::rebuildColumns()
{
    qDeleteAll(m_columns);
    m_columns.clear();
    while (QLayoutItem *item = m_hostLayout->takeAt(0))
        delete item;
    for (int i = 0; i < m_controller.columnCount(); ++i) {
        auto *column = new PlaygroundColumn(m_controller, i, m_host);
        connect(column, &PlaygroundColumn::removeRequested, this, [this](int index) {
            QStringList names = m_controller.picker()->checkedNames();
            names.removeAll(m_controller.column(index).model.name);
            // Deferred: the column asking is deleted by the rebuild.
            QMetaObject::invokeMethod(this, [this, names] { m_controller.setColumnModels(names); },
                                      Qt::QueuedConnection);
        });
        connect(column, &PlaygroundColumn::addTestCaseRequested, this, &PlaygroundView::addTestCase);
        connect(column, &PlaygroundColumn::copied, this, &PlaygroundView::statusMessage);
        connect(column, &PlaygroundColumn::renderRequested, this, [this] {
            if (!m_frameTimer.isActive()) {
                m_frameTimer.start();
                renderNextColumn(); // a lone update shows at once
            }
        });
        m_hostLayout->addWidget(column, 1);
        m_columns.append(column);
    }
    updateEmptyState();
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
    m_emptyDetail->setText(
        hasModels ? tr("Tick models on the left: each becomes a column. Ctrl+Enter runs the prompt you "
                       "are editing, with its variables, on all of them at once, streaming side by "
                       "side; Esc stops them.")
                  : tr("This project has no models yet. Add one with Manage models… (OpenAI or any "
                       "OpenAI-compatible server, Anthropic, Gemini or Ollama), then tick it here."));
    m_stack->setCurrentWidget(m_columns.isEmpty() ? m_empty : static_cast<QWidget *>(m_scroll));
}

QString PlaygroundView::emptyStateText() const
{
    return m_columns.isEmpty() ? m_emptyTitle->text() : QString();
}

void PlaygroundView::updatePromptSummary()
{
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
        state = tr("Unsaved changes to v%1: runs use the draft and are stored with v%1.").arg(*base);
    else
        state = tr("Version %1").arg(*base);
    const nlohmann::json vars = m_prompts.variableValues();
    if (vars.is_object() && !vars.empty())
        state += QLatin1Char('\n') + (vars.size() == 1 ? tr("1 variable set in the editor")
                                                : tr("%1 variables set in the editor").arg(vars.size()));
    m_promptState->setText(state);
}

void PlaygroundView::updateRunning(bool running)
{
    m_stopAction->setEnabled(running);
    m_stop->setEnabled(running);
    m_run->setEnabled(!running);
    m_runAction->setEnabled(!running);
    m_picker->setEnabled(!running);
    m_samples->setEnabled(!running);
    if (running)
        updatePromptSummary();
    const int n = m_controller.columnCount();
    Q_EMIT statusMessage(!running ? QString()
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
