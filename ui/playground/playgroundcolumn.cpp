#include "playground/playgroundcolumn.h"

#include "common/designsystem.h"
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
#include <QResizeEvent>
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

// A one-line label that elides its text (full text in the tooltip) instead of claiming the
// width of all of it: column headers stay compact when six columns share a screen.
class ElidedLabel final : public QLabel
{
public:
    using QLabel::QLabel;

    void setFullText(const QString &text)
    {
        m_full = text;
        setToolTip(text);
        updateElided();
    }
    QString fullText() const { return m_full; }
    QSize minimumSizeHint() const override
    {
        return {fontMetrics().averageCharWidth() * 4, QLabel::minimumSizeHint().height()};
    }
    QSize sizeHint() const override
    {
        return {fontMetrics().horizontalAdvance(m_full) + 2, QLabel::sizeHint().height()};
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QLabel::resizeEvent(event);
        updateElided();
    }

private:
    void updateElided()
    {
        QLabel::setText(fontMetrics().elidedText(m_full, Qt::ElideRight, std::max(0, width())));
    }
    QString m_full;
};

} // namespace

PlaygroundColumn::PlaygroundColumn(PlaygroundController &controller, int column, QWidget *parent)
    : QFrame(parent)
    , m_controller(controller)
    , m_column(column)
    , m_markdown(nullptr)
{
    setObjectName(QStringLiteral("playgroundColumn"));
    setMinimumWidth(minimumWidthPerSample);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    // A compact two-line header: name, state and ✕; provider · model id and the actions.
    auto *header = new QFrame(this);
    header->setObjectName(QStringLiteral("columnHeader"));
    auto *headerLayout = new QVBoxLayout(header);
    headerLayout->setContentsMargins(design::space::s, design::space::xs + 2, design::space::xs,
                                     design::space::xs);
    headerLayout->setSpacing(0);
    auto *top = new QHBoxLayout;
    top->setSpacing(design::space::xs);
    auto *title = new ElidedLabel(header);
    title->setFont(design::font(design::TextRole::ItemTitle, title->font()));
    m_title = title;
    m_state = new QLabel(header);
    m_state->setObjectName(QStringLiteral("columnState"));
    m_state->setAlignment(Qt::AlignCenter);
    m_removeButton = toolButton(QStringLiteral("✕"), tr("Remove this column"), header);
    top->addWidget(m_title, 1);
    top->addWidget(m_state);
    top->addWidget(m_removeButton);
    headerLayout->addLayout(top);

    auto *subtitle = new ElidedLabel(header);
    subtitle->setObjectName(QStringLiteral("columnSubtitle"));
    subtitle->setFont(design::font(design::TextRole::Secondary, subtitle->font()));
    m_subtitle = subtitle;
    headerLayout->addWidget(m_subtitle);
    // The actions on an output sit under it, in the footer.
    m_rawButton = toolButton(tr("Raw"), tr("Show the raw text instead of rendered Markdown"), this);
    m_rawButton->setCheckable(true);
    m_copyButton = toolButton(tr("Copy"), tr("Copy this output"), this);
    m_caseButton = toolButton(tr("+ Case"),
                              tr("Save these variables (and optionally this output as "
                                 "the expected answer) as a test case"),
                              this);
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
    m_samplesPage = new QWidget(m_stack);
    m_samplesLayout = new QHBoxLayout(m_samplesPage);
    m_samplesLayout->setContentsMargins(0, 0, 0, 0);
    m_samplesLayout->setSpacing(design::space::s);
    m_stack->addWidget(m_browser);
    m_stack->addWidget(m_raw);
    m_stack->addWidget(m_samplesPage);
    bodyLayout->addWidget(m_stack, 1);
    layout->addWidget(body, 1);

    auto *footer = new QFrame(this);
    footer->setObjectName(QStringLiteral("columnFooter"));
    auto *footerLayout = new QVBoxLayout(footer);
    footerLayout->setContentsMargins(design::space::xs, design::space::xs, design::space::m,
                                     design::space::s);
    footerLayout->setSpacing(design::space::xs);
    m_metrics = new QLabel(footer);
    m_metrics->setObjectName(QStringLiteral("columnMetrics"));
    m_metrics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_metrics->setWordWrap(true);
    m_metrics->setContentsMargins(design::space::s, 0, 0, 0);
    m_error = new QLabel(footer);
    m_error->setObjectName(QStringLiteral("columnError"));
    m_error->setWordWrap(true);
    m_error->setContentsMargins(design::space::s, 0, 0, 0);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    auto *actions = new QHBoxLayout;
    actions->setSpacing(0);
    actions->addWidget(m_rawButton);
    actions->addWidget(m_copyButton);
    actions->addWidget(m_caseButton);
    actions->addStretch(1);
    footerLayout->addLayout(actions);
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
    m_styledBase = palette().color(QPalette::Base);
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
    for (QTextBrowser *view : std::as_const(m_sampleViews))
        view->document()->setDefaultStyleSheet(m_browser->document()->defaultStyleSheet());
}

void PlaygroundColumn::refresh()
{
    if (m_column >= m_controller.columnCount())
        return;
    const PlaygroundColumnState &state = m_controller.column(m_column);
    static_cast<ElidedLabel *>(m_title)->setFullText(state.model.name);
    const QString where = state.model.baseUrl.isEmpty() ? defaultBaseUrl(state.model.provider)
                                                        : state.model.baseUrl;
    auto *subtitle = static_cast<ElidedLabel *>(m_subtitle);
    subtitle->setFullText(QStringLiteral("%1 · %2").arg(providerDisplayName(state.model.provider),
                                                        state.model.modelId));
    subtitle->setToolTip(subtitle->fullText() + QLatin1Char('\n') + where);
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
    if (m_sample >= n)
        m_sample = 0;
    m_tabs->setCurrentIndex(m_sample);
    updateSamplesLayout();
}

bool PlaygroundColumn::showsSamplesSideBySide() const
{
    return m_sideBySide && m_controller.column(m_column).samples.size() > 1;
}

void PlaygroundColumn::setSamplesSideBySide(bool sideBySide)
{
    if (m_sideBySide == sideBySide)
        return;
    m_sideBySide = sideBySide;
    m_rawShown = 0;
    updateSamplesLayout();
    m_renderPending = true;
    Q_EMIT renderRequested();
}

void PlaygroundColumn::updateSamplesLayout()
{
    const int n = int(m_controller.column(m_column).samples.size());
    const bool side = m_sideBySide && n > 1;
    m_tabs->setVisible(n > 1 && !side);
    const int wanted = side ? n : 0;
    while (m_sampleViews.size() > wanted) {
        delete m_sampleViews.takeLast();
        delete m_sampleCaptions.takeLast();
        m_sampleMarkdown.pop_back();
    }
    while (m_sampleViews.size() < wanted) {
        auto *pane = new QVBoxLayout;
        pane->setSpacing(design::space::xs);
        auto *caption = new QLabel(m_samplesPage);
        caption->setObjectName(QStringLiteral("columnMetrics"));
        caption->setWordWrap(true);
        caption->setFont(design::font(design::TextRole::Secondary, caption->font()));
        auto *view = new QTextBrowser(m_samplesPage);
        view->setOpenExternalLinks(true);
        view->setFrameShape(QFrame::NoFrame);
        view->document()->setDefaultStyleSheet(m_browser->document()->defaultStyleSheet());
        pane->addWidget(caption);
        pane->addWidget(view, 1);
        m_samplesLayout->addLayout(pane, 1);
        m_sampleCaptions.append(caption);
        m_sampleViews.append(view);
        m_sampleMarkdown.emplace_back(view->document());
    }
    setMinimumWidth(minimumWidthPerSample * std::max(1, wanted));
    m_stack->setCurrentWidget(side          ? m_samplesPage
                                  : isRaw() ? static_cast<QWidget *>(m_raw)
                                            : m_browser);
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
    m_rawShown = 0;
    updateSamplesLayout();
    renderOutput();
}

bool PlaygroundColumn::isRaw() const
{
    return m_rawButton->isChecked();
}

void PlaygroundColumn::sampleProgressed(int sample)
{
    if (sample != m_sample && !showsSamplesSideBySide())
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

void PlaygroundColumn::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    // A theme switch: the colours are drawn from the palette, so draw them again.
    if (event->type() == QEvent::PaletteChange && m_browser
        && palette().color(QPalette::Base) != m_styledBase) {
        applyStyle();
        updateSampleView();
    }
}

void PlaygroundColumn::sampleChanged(int sample)
{
    updateTabs();
    if (sample == m_sample)
        updateSampleView();
    else if (showsSamplesSideBySide()) {
        m_renderPending = true;
        Q_EMIT renderRequested();
    }
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
        stateColor = colors.status(Status::Running);
        break;
    case Phase::Done:
        stateText = s->generation && s->generation->cacheHit ? tr("Done · cached") : tr("Done");
        stateColor = colors.status(Status::Pass);
        break;
    case Phase::Stopped:
        stateText = tr("Stopped");
        stateColor = colors.status(Status::Warning);
        break;
    case Phase::Failed:
        stateText = tr("Error");
        stateColor = colors.status(Status::Fail);
        break;
    }
    m_state->setText(stateText);
    m_state->setStyleSheet(
        QStringLiteral("QLabel { color: %1; border: 1px solid %1; border-radius: 8px;"
                       " padding: 0px 6px; font-weight: 600; }")
            .arg(colorCss(stateColor)));

    const bool hasRun = phase != Phase::Idle;
    QString note = s && !s->retryNote.isEmpty() ? s->retryNote : QString();
    if (note.isEmpty())
        note = hasRun ? m_controller.runDescription()
                      : tr("Press Ctrl+Enter to run the current prompt");
    m_note->setText(note);
    m_note->setToolTip(note);
    m_note->setStyleSheet(
        s && !s->retryNote.isEmpty()
            ? QStringLiteral("QLabel { color: %1; }").arg(colorCss(colors.status(Status::Warning)))
            : QString());

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
    if (showsSamplesSideBySide()) {
        renderSideBySide();
        return;
    }

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

void PlaygroundColumn::renderSideBySide()
{
    const PlaygroundColumnState &state = m_controller.column(m_column);
    for (int i = 0; i < m_sampleViews.size() && i < state.samples.size(); ++i) {
        const PlaygroundSample &s = state.samples[i];
        QString caption = tr("Sample %1").arg(i + 1);
        if (s.generation)
            caption += QStringLiteral(" · ") + metricsLine(*s.generation);
        else if (s.isActive())
            caption += QStringLiteral(" · ") + s.liveMetrics();
        m_sampleCaptions[i]->setText(caption);
        QTextBrowser *view = m_sampleViews[i];
        QScrollBar *bar = view->verticalScrollBar();
        const bool atEnd = bar->value() >= bar->maximum() - 4;
        const int before = bar->value();
        if (isRaw()) {
            if (view->toPlainText() != s.text)
                view->setPlainText(s.text);
        } else if (s.text.isEmpty() && (!s.generation || s.generation->toolCalls.empty())) {
            m_sampleMarkdown[size_t(i)].clear();
        } else {
            m_sampleMarkdown[size_t(i)].show(
                s.text, s.generation ? s.generation->toolCalls : nlohmann::json::array(),
                s.isActive());
        }
        bar->setValue(s.isActive() && atEnd ? bar->maximum() : before);
    }
}

void PlaygroundColumn::copyOutput()
{
    const QString text = outputText();
    if (text.isEmpty())
        return;
    QApplication::clipboard()->setText(text);
    Q_EMIT copied(
        tr("Copied the output of %1").arg(static_cast<ElidedLabel *>(m_title)->fullText()));
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
