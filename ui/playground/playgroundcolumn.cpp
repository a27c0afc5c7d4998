#include "playground/playgroundcolumn.h"

#include "common/themecolors.h"
#include "playground/outputformat.h"
#include "playground/playgroundcontroller.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTabBar>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

namespace ts {

namespace {

QToolButton *toolButton(const QString &text, const QString &tip, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    b->setCursor(Qt::PointingHandCursor);
    return b;
}

QString colorCss(const QColor &c)
{
    return c.name(QColor::HexRgb);
}

} // namespace

PlaygroundColumn::PlaygroundColumn(PlaygroundController &controller, int column, QWidget *parent)
    : QFrame(parent)
    , m_controller(controller)
    , m_column(column)
    , m_markdown(nullptr)
{
    setObjectName(QStringLiteral("playgroundColumn"));
    setMinimumWidth(300);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto *header = new QFrame(this);
    header->setObjectName(QStringLiteral("columnHeader"));
    auto *headerLayout = new QVBoxLayout(header);
    headerLayout->setContentsMargins(12, 8, 6, 6);
    headerLayout->setSpacing(2);
    auto *top = new QHBoxLayout;
    top->setSpacing(4);
    m_title = new QLabel(header);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.08);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_state = new QLabel(header);
    m_state->setObjectName(QStringLiteral("columnState"));
    m_state->setAlignment(Qt::AlignCenter);
    m_removeButton = toolButton(QStringLiteral("✕"), tr("Remove this column"), header);
    top->addWidget(m_title, 1);
    top->addWidget(m_state);
    top->addWidget(m_removeButton);
    headerLayout->addLayout(top);

    auto *second = new QHBoxLayout;
    second->setSpacing(2);
    m_subtitle = new QLabel(header);
    m_subtitle->setObjectName(QStringLiteral("columnSubtitle"));
    m_rawButton
        = toolButton(tr("Raw"), tr("Show the raw text instead of rendered Markdown"), header);
    m_rawButton->setCheckable(true);
    m_copyButton = toolButton(tr("Copy"), tr("Copy this output"), header);
    m_caseButton = toolButton(tr("+ Test case"),
                              tr("Save these variables (and optionally this output as "
                                 "the expected answer) as a test case"),
                              header);
    second->addWidget(m_subtitle, 1);
    second->addWidget(m_rawButton);
    second->addWidget(m_copyButton);
    second->addWidget(m_caseButton);
    headerLayout->addLayout(second);
    layout->addWidget(header);

    m_tabs = new QTabBar(this);
    m_tabs->setDocumentMode(true);
    m_tabs->setExpanding(false);
    m_tabs->setDrawBase(false);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->hide();
    layout->addWidget(m_tabs);

    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("columnNote"));
    m_note->setContentsMargins(12, 4, 12, 4);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_note);

    auto *body = new QWidget(this);
    auto *bodyLayout = new QVBoxLayout(body);
    bodyLayout->setContentsMargins(12, 4, 12, 8);
    bodyLayout->setSpacing(6);
    m_reasoningToggle = new QToolButton(body);
    m_reasoningToggle->setCheckable(true);
    m_reasoningToggle->setAutoRaise(true);
    m_reasoningToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_reasoningToggle->setArrowType(Qt::RightArrow);
    m_reasoningToggle->hide();
    m_reasoning = new QPlainTextEdit(body);
    m_reasoning->setReadOnly(true);
    m_reasoning->setMaximumHeight(180);
    m_reasoning->hide();
    bodyLayout->addWidget(m_reasoningToggle, 0, Qt::AlignLeft);
    bodyLayout->addWidget(m_reasoning);

    m_stack = new QStackedWidget(body);
    m_browser = new QTextBrowser(m_stack);
    m_browser->setOpenExternalLinks(true);
    m_browser->setFrameShape(QFrame::NoFrame);
    m_browser->setPlaceholderText(tr("Press Ctrl+Enter to run"));
    m_markdown = StreamingMarkdown(m_browser->document());
    m_raw = new QPlainTextEdit(m_stack);
    m_raw->setReadOnly(true);
    m_raw->setFrameShape(QFrame::NoFrame);
    m_raw->setFont(editorFont());
    m_stack->addWidget(m_browser);
    m_stack->addWidget(m_raw);
    bodyLayout->addWidget(m_stack, 1);
    layout->addWidget(body, 1);

    auto *footer = new QFrame(this);
    footer->setObjectName(QStringLiteral("columnFooter"));
    auto *footerLayout = new QVBoxLayout(footer);
    footerLayout->setContentsMargins(12, 6, 12, 8);
    footerLayout->setSpacing(4);
    m_metrics = new QLabel(footer);
    m_metrics->setObjectName(QStringLiteral("columnMetrics"));
    m_metrics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_metrics->setWordWrap(true);
    m_error = new QLabel(footer);
    m_error->setObjectName(QStringLiteral("columnError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    footerLayout->addWidget(m_metrics);
    footerLayout->addWidget(m_error);
    layout->addWidget(footer);

    connect(m_rawButton, &QToolButton::toggled, this, &PlaygroundColumn::setRaw);
    connect(m_copyButton, &QToolButton::clicked, this, &PlaygroundColumn::copyOutput);
    connect(m_caseButton, &QToolButton::clicked, this,
            [this] { Q_EMIT addTestCaseRequested(m_column, m_sample); });
    connect(m_removeButton, &QToolButton::clicked, this,
            [this] { Q_EMIT removeRequested(m_column); });
    connect(m_tabs, &QTabBar::currentChanged, this, [this](int index) {
        if (index >= 0 && index != m_sample)
            showSample(index);
    });
    connect(m_reasoningToggle, &QToolButton::toggled, this, [this](bool open) {
        m_reasoning->setVisible(open);
        m_reasoningToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_reasoningShown = 0;
        renderOutput();
    });
    applyStyle();
    refresh();
}

void PlaygroundColumn::applyStyle()
{
    const ThemeColors c = ThemeColors::fromPalette(palette());
    const QColor border = ThemeColors::mix(palette().color(QPalette::WindowText),
                                           palette().color(QPalette::Base), 0.18);
    setStyleSheet(
        QStringLiteral(
            "#playgroundColumn { background: %1; border: 1px solid %2; border-radius: 6px; }"
            "#columnHeader { background: %3; border: none; border-bottom: 1px solid %2;"
            "  border-top-left-radius: 6px; border-top-right-radius: 6px; }"
            "#columnFooter { background: %3; border: none; border-top: 1px solid %2;"
            "  border-bottom-left-radius: 6px; border-bottom-right-radius: 6px; }"
            "#columnSubtitle, #columnMetrics, #columnNote { color: %4; }"
            "#columnError { color: %5; }")
            .arg(colorCss(palette().color(QPalette::Base)), colorCss(border), colorCss(c.panel),
                 colorCss(c.muted), colorCss(c.error)));
    m_browser->document()->setDefaultStyleSheet(
        QStringLiteral("pre { background-color: %1; font-family: monospace; }"
                       "code { background-color: %1; font-family: monospace; }"
                       "h1, h2, h3 { margin-top: 6px; }")
            .arg(colorCss(c.panel)));
}

void PlaygroundColumn::refresh()
{
    if (m_column >= m_controller.columnCount())
        return;
    const PlaygroundColumnState &state = m_controller.column(m_column);
    m_title->setText(state.model.name);
    m_subtitle->setText(QStringLiteral("%1 · %2").arg(providerDisplayName(state.model.provider),
                                                      state.model.modelId));
    m_subtitle->setToolTip(state.model.baseUrl.isEmpty() ? defaultBaseUrl(state.model.provider)
                                                         : state.model.baseUrl);
    updateTabs();
    updateSampleView();
}

void PlaygroundColumn::updateTabs()
{
    const PlaygroundColumnState &state = m_controller.column(m_column);
    const int n = int(state.samples.size());
    const QSignalBlocker block(m_tabs);
    while (m_tabs->count() > n)
        m_tabs->removeTab(m_tabs->count() - 1);
    while (m_tabs->count() < n)
        m_tabs->addTab(tr("Sample %1").arg(m_tabs->count() + 1));
    for (int i = 0; i < n; ++i) {
        const PlaygroundSample &s = state.samples[i];
        QString mark;
        switch (s.phase) {
        case PlaygroundSample::Phase::Waiting:
        case PlaygroundSample::Phase::Streaming:
            mark = QStringLiteral(" …");
            break;
        case PlaygroundSample::Phase::Stopped:
            mark = QStringLiteral(" ■");
            break;
        case PlaygroundSample::Phase::Failed:
            mark = QStringLiteral(" !");
            break;
        default:
            break;
        }
        m_tabs->setTabText(i, tr("Sample %1").arg(i + 1) + mark);
    }
    m_tabs->setVisible(n > 1);
    if (m_sample >= n)
        m_sample = 0;
    m_tabs->setCurrentIndex(m_sample);
}

void PlaygroundColumn::showSample(int sample)
{
    m_sample = sample;
    m_rawShown = 0;
    m_reasoningShown = 0;
    updateTabs();
    updateSampleView();
}

void PlaygroundColumn::setRaw(bool raw)
{
    if (m_rawButton->isChecked() != raw)
        m_rawButton->setChecked(raw); // toggled() comes back here
    m_stack->setCurrentWidget(raw ? static_cast<QWidget *>(m_raw) : m_browser);
    m_rawShown = 0;
    renderOutput();
}

bool PlaygroundColumn::isRaw() const
{
    return m_rawButton->isChecked();
}

void PlaygroundColumn::sampleProgressed(int sample)
{
    if (sample != m_sample)
        return;
    m_renderPending = true;
    Q_EMIT renderRequested();
}

bool PlaygroundColumn::renderIfPending()
{
    if (!m_renderPending || !isVisible())
        return false;
    renderOutput();
    return true;
}

void PlaygroundColumn::showEvent(QShowEvent *event)
{
    QFrame::showEvent(event);
    if (m_renderPending)
        Q_EMIT renderRequested();
}

void PlaygroundColumn::sampleChanged(int sample)
{
    updateTabs();
    if (sample == m_sample)
        updateSampleView();
}

void PlaygroundColumn::updateSampleView()
{
    const PlaygroundColumnState &state = m_controller.column(m_column);
    const PlaygroundSample *s
        = m_sample < state.samples.size() ? &state.samples[m_sample] : nullptr;
    const ThemeColors colors = ThemeColors::fromPalette(palette());
    QString stateText;
    QColor stateColor = colors.muted;
    using Phase = PlaygroundSample::Phase;
    const Phase phase = s ? s->phase : Phase::Idle;
    switch (phase) {
    case Phase::Idle:
        stateText = tr("Ready");
        break;
    case Phase::Waiting:
        stateText = tr("Waiting…");
        break;
    case Phase::Streaming:
        stateText = tr("Streaming…");
        stateColor = palette().color(QPalette::Highlight);
        break;
    case Phase::Done:
        stateText = s->generation && s->generation->cacheHit ? tr("Done · cached") : tr("Done");
        stateColor = colors.addedText;
        break;
    case Phase::Stopped:
        stateText = tr("Stopped");
        stateColor = QColor(0xb2, 0x6b, 0x00);
        break;
    case Phase::Failed:
        stateText = tr("Error");
        stateColor = colors.error;
        break;
    }
    m_state->setText(stateText);
    m_state->setStyleSheet(
        QStringLiteral("QLabel { color: %1; border: 1px solid %1; border-radius: 8px;"
                       " padding: 0px 7px; font-weight: 600; }")
            .arg(colorCss(stateColor)));

    const bool hasRun = phase != Phase::Idle;
    QString note = s && !s->retryNote.isEmpty() ? s->retryNote : QString();
    if (note.isEmpty())
        note = hasRun ? m_controller.runDescription()
                      : tr("Press Ctrl+Enter to run the current prompt");
    m_note->setText(note);
    m_note->setToolTip(note);
    m_note->setStyleSheet(
        s && !s->retryNote.isEmpty() ? QStringLiteral("QLabel { color: #b26b00; }") : QString());

    const bool hasText = s && !s->text.isEmpty();
    m_copyButton->setEnabled(hasText);
    m_caseButton->setEnabled(hasRun && !s->isActive());

    const QString reasoning = s ? s->reasoning : QString();
    m_reasoningToggle->setVisible(!reasoning.isEmpty());
    m_reasoning->setVisible(!reasoning.isEmpty() && m_reasoningToggle->isChecked());
    const auto words
        = reasoning.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts).size();
    m_reasoningToggle->setText(words == 1 ? tr("Reasoning · 1 word")
                                          : tr("Reasoning · %1 words").arg(words));

    if (s && s->generation) {
        m_metrics->setText(metricsLine(*s->generation));
        const auto &error = s->generation->error;
        const bool showError = error && phase != Phase::Stopped;
        m_error->setText(showError ? error->message : QString());
        m_error->setVisible(showError);
        if (phase == Phase::Stopped && m_metrics->text().isEmpty())
            m_metrics->setText(tr("stopped by you"));
        else if (phase == Phase::Stopped)
            m_metrics->setText(m_metrics->text() + tr(" · stopped by you"));
    } else {
        // Live while it streams; the server's own counts replace it when the answer ends.
        m_metrics->setText(s && s->isActive() ? s->liveMetrics() : QStringLiteral(" "));
        m_error->hide();
    }
    m_rawShown = std::min(m_rawShown, s ? s->text.size() : 0);
    m_renderPending = true;
    Q_EMIT renderRequested();
}

void PlaygroundColumn::renderOutput()
{
    QElapsedTimer clock;
    clock.start();
    renderOutputNow();
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    m_renderMaxMs = std::max(m_renderMaxMs, ms);
    m_renderTotalMs += ms;
}

void PlaygroundColumn::renderOutputNow()
{
    m_renderPending = false;
    ++m_renders;
    const PlaygroundColumnState &state = m_controller.column(m_column);
    const PlaygroundSample *s
        = m_sample < state.samples.size() ? &state.samples[m_sample] : nullptr;
    const QString text = s ? s->text : QString();
    if (s && s->isActive() && !s->generation)
        m_metrics->setText(s->liveMetrics());

    if (!s || s->reasoning.size() < m_reasoningShown)
        m_reasoningShown = 0;
    if (s && m_reasoning->isVisible() && s->reasoning.size() > m_reasoningShown) {
        if (m_reasoningShown == 0)
            m_reasoning->setPlainText(s->reasoning);
        else {
            QTextCursor cursor(m_reasoning->document());
            cursor.movePosition(QTextCursor::End);
            cursor.insertText(s->reasoning.mid(m_reasoningShown));
        }
        m_reasoningShown = s->reasoning.size();
    } else if (s && !m_reasoning->isVisible()) {
        m_reasoningShown = 0;
        m_reasoning->clear();
    }

    if (isRaw()) {
        // Appending keeps long outputs cheap while they stream.
        if (m_rawShown == 0 || text.size() < m_rawShown) {
            m_raw->setPlainText(text);
        } else if (text.size() > m_rawShown) {
            QScrollBar *bar = m_raw->verticalScrollBar();
            const bool atEnd = bar->value() >= bar->maximum() - 4;
            QTextCursor cursor(m_raw->document());
            cursor.movePosition(QTextCursor::End);
            cursor.insertText(text.mid(m_rawShown));
            if (atEnd)
                bar->setValue(bar->maximum());
        }
        m_rawShown = text.size();
        return;
    }
    QScrollBar *bar = m_browser->verticalScrollBar();
    const bool streaming = s && s->isActive();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    const int before = bar->value();
    if (text.isEmpty() && (!s || !s->generation || s->generation->toolCalls.empty()))
        m_markdown.clear();
    else
        m_markdown.show(text, s->generation ? s->generation->toolCalls : nlohmann::json::array(),
                        streaming);
    bar->setValue(streaming && atEnd ? bar->maximum() : before);
}

void PlaygroundColumn::copyOutput()
{
    const QString text = outputText();
    if (text.isEmpty())
        return;
    QApplication::clipboard()->setText(text);
    Q_EMIT copied(tr("Copied the output of %1").arg(m_title->text()));
}

QString PlaygroundColumn::outputText() const
{
    const PlaygroundColumnState &state = m_controller.column(m_column);
    return m_sample < state.samples.size() ? state.samples[m_sample].text : QString();
}

QString PlaygroundColumn::stateText() const
{
    return m_state->text();
}

QString PlaygroundColumn::metricsText() const
{
    return m_metrics->text();
}

QString PlaygroundColumn::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString PlaygroundColumn::noteText() const
{
    return m_note->text();
}

} // namespace ts
