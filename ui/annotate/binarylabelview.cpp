#include "annotate/binarylabelview.h"

#include "annotate/labelingchrome.h"
#include "annotate/labelingsession.h"
#include "annotate/textentrydialog.h"
#include "common/themecolors.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace ts {

namespace {

QTextBrowser *makeBrowser(QWidget *parent)
{
    auto *b = new QTextBrowser(parent);
    b->setFrameShape(QFrame::NoFrame);
    b->setFocusPolicy(Qt::NoFocus);
    b->setOpenLinks(false);
    b->document()->setDocumentMargin(2);
    return b;
}

QString contextLine(const nlohmann::json &context)
{
    QStringList parts;
    for (const char *key : {"model", "prompt", "variant", "status", "verdict", "time"})
        if (context.contains(key) && context[key].is_string()
            && !context[key].get<std::string>().empty())
            parts << QString::fromStdString(context[key].get<std::string>());
    return parts.join(QStringLiteral(" · "));
}

} // namespace

QString formatSeconds(double seconds)
{
    const int s = int(seconds);
    if (s < 60)
        return QObject::tr("%1 s").arg(s);
    return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

BinaryLabelView::BinaryLabelView(QWidget *parent)
    : QWidget(parent)
    , m_clock(new QTimer(this))
{
    setFocusPolicy(Qt::StrongFocus);
    const int ch = fontMetrics().averageCharWidth();
    const int gap = fontMetrics().height();
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(gap / 2);
    m_header = new LabelingHeader(this);
    outer->addWidget(m_header);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack, 1);

    // Input | output | criteria: three columns separated by space, not by boxes.
    auto *content = new QWidget(m_stack);
    auto *columns = new QHBoxLayout(content);
    columns->setContentsMargins(0, 0, 0, 0);
    columns->setSpacing(gap * 3 / 2);
    m_split = new QSplitter(Qt::Horizontal, content);
    m_split->setChildrenCollapsible(false);
    m_split->setHandleWidth(gap);

    auto *inputColumn = new QWidget(m_split);
    auto *inputLayout = new QVBoxLayout(inputColumn);
    inputLayout->setContentsMargins(0, 0, 0, 0);
    inputLayout->addWidget(sectionLabel(tr("Input"), inputColumn));
    m_input = makeBrowser(inputColumn);
    m_input->setObjectName(QStringLiteral("itemInput"));
    inputLayout->addWidget(m_input, 1);

    auto *outputColumn = new QWidget(m_split);
    auto *outputLayout = new QVBoxLayout(outputColumn);
    outputLayout->setContentsMargins(0, 0, 0, 0);
    auto *outputHeader = new QHBoxLayout;
    outputHeader->addWidget(sectionLabel(tr("Output"), outputColumn));
    m_context = new QLabel(outputColumn);
    m_context->setForegroundRole(QPalette::PlaceholderText);
    outputHeader->addSpacing(ch);
    outputHeader->addWidget(m_context, 1);
    const QList<std::pair<QString, OutputFormat>> formats
        = {{tr("Markdown"), OutputFormat::Markdown},
           {tr("Raw"), OutputFormat::Raw},
           {tr("JSON"), OutputFormat::Json}};
    for (const auto &[name, format] : formats) {
        auto *button = new QPushButton(name, outputColumn);
        button->setCheckable(true);
        button->setFlat(true);
        button->setFocusPolicy(Qt::NoFocus);
        button->setToolTip(tr("Show the output as %1 (%2)").arg(name, name.left(1)));
        connect(button, &QPushButton::clicked, this, [this, format] { setOutputFormat(format); });
        outputHeader->addWidget(button);
        m_formatButtons << button;
    }
    m_formatButtons[0]->setChecked(true);
    outputLayout->addLayout(outputHeader);
    m_output = makeBrowser(outputColumn);
    m_output->setObjectName(QStringLiteral("itemOutput"));
    outputLayout->addWidget(m_output, 1);
    m_split->addWidget(inputColumn);
    m_split->addWidget(outputColumn);
    m_split->setStretchFactor(0, 2);
    m_split->setStretchFactor(1, 3);
    columns->addWidget(m_split, 1);

    auto *side = new QWidget(content);
    side->setFixedWidth(ch * 46);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->setSpacing(gap / 2);
    sideLayout->addWidget(sectionLabel(tr("Criteria"), side));
    m_criteriaBox = new QWidget(side);
    auto *criteriaLayout = new QVBoxLayout(m_criteriaBox);
    criteriaLayout->setContentsMargins(0, 0, 0, 0);
    criteriaLayout->setSpacing(gap / 4);
    sideLayout->addWidget(m_criteriaBox);
    sideLayout->addSpacing(gap / 2);
    m_note = new QLabel(side);
    m_note->setWordWrap(true);
    m_correction = new QLabel(side);
    m_correction->setWordWrap(true);
    m_time = new QLabel(side);
    m_time->setForegroundRole(QPalette::PlaceholderText);
    m_testCase = new QPushButton(tr("Add as Test Case…"), side);
    m_testCase->setObjectName(QStringLiteral("addTestCase"));
    m_testCase->setFocusPolicy(Qt::NoFocus);
    sideLayout->addWidget(m_note);
    sideLayout->addWidget(m_correction);
    sideLayout->addStretch(1);
    sideLayout->addWidget(m_testCase, 0, Qt::AlignLeft);
    sideLayout->addWidget(m_time);
    columns->addWidget(side);
    m_stack->addWidget(content);

    // Done (or reading the next item): one sentence, one action.
    m_stack->addWidget(makeDonePage(m_stack, gap, m_doneTitle, m_doneBack));

    m_keys = new KeyBar(this);
    m_keys->setKeys({{QStringLiteral("Y"), tr("yes")},
                     {QStringLiteral("X"), tr("no")},
                     {QStringLiteral("S"), tr("skip")},
                     {QStringLiteral("A"), tr("yes to the rest")},
                     {QStringLiteral("↑ ↓"), tr("criterion")},
                     {QStringLiteral("⌫ / Ctrl+Z"), tr("undo")},
                     {QStringLiteral("N"), tr("note")},
                     {QStringLiteral("E"), tr("correct the output")},
                     {QStringLiteral("T"), tr("test case")},
                     {QStringLiteral("M R J"), tr("Markdown, raw, JSON")},
                     {QStringLiteral("PgUp PgDn"), tr("scroll")},
                     {QStringLiteral("Esc"), tr("queues")}});
    outer->addWidget(m_keys);

    m_clock->setInterval(1000);
    connect(m_clock, &QTimer::timeout, this, [this] {
        if (m_session && m_session->current())
            m_time->setText(tr("%1 on this item").arg(formatSeconds(m_session->secondsOnItem())));
    });
    connect(m_header, &LabelingHeader::backRequested, this, &BinaryLabelView::backRequested);
    connect(m_doneBack, &QPushButton::clicked, this, &BinaryLabelView::backRequested);
    connect(m_testCase, &QPushButton::clicked, this, &BinaryLabelView::requestTestCase);
}

void BinaryLabelView::setSession(LabelingSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_header->setSession(session);
    buildCriteria();
    if (session) {
        connect(session, &LabelingSession::itemChanged, this, &BinaryLabelView::showItem);
        connect(session, &LabelingSession::labelsChanged, this, &BinaryLabelView::updateLabels);
        connect(session, &LabelingSession::progressChanged, m_header, &LabelingHeader::refresh);
        connect(session, &QObject::destroyed, this, [this] { m_session = nullptr; });
    }
    showItem();
    m_clock->start();
    setFocus();
}

void BinaryLabelView::buildCriteria()
{
    for (const Row &row : m_rows)
        delete row.widget;
    m_rows.clear();
    if (!m_session)
        return;
    const ThemeColors c = ThemeColors::fromPalette(palette());
    const QColor border
        = ThemeColors::mix(palette().color(QPalette::Text), palette().color(QPalette::Base), 0.25);
    auto buttonStyle = [&](const QColor &background, const QColor &text) {
        return QStringLiteral(
                   "QPushButton { border: 1px solid %1; border-radius: 4px; padding: 3px 12px; "
                   "background: %2; }"
                   "QPushButton:checked { background: %3; color: %4; border-color: %4; "
                   "font-weight: 600; }")
            .arg(border.name(), palette().color(QPalette::Base).name(), background.name(),
                 text.name());
    };
    const QList<CriterionVersion> &criteria = m_session->queue().criteria;
    auto *layout = static_cast<QVBoxLayout *>(m_criteriaBox->layout());
    for (int i = 0; i < criteria.size(); ++i) {
        Row row;
        row.widget = new QWidget(m_criteriaBox);
        row.widget->setObjectName(QStringLiteral("criterionRow"));
        row.widget->setAttribute(Qt::WA_StyledBackground);
        auto *grid = new QGridLayout(row.widget);
        const int pad = fontMetrics().height() / 3;
        grid->setContentsMargins(pad, pad, pad, pad);
        grid->setHorizontalSpacing(pad * 2);
        row.marker = new QLabel(QString::number(i + 1), row.widget);
        row.marker->setFixedWidth(fontMetrics().averageCharWidth() * 3);
        row.marker->setAlignment(Qt::AlignRight | Qt::AlignTop);
        auto *name = new QLabel(criteria[i].name, row.widget);
        QFont bold = name->font();
        bold.setWeight(QFont::DemiBold);
        name->setFont(bold);
        name->setWordWrap(true);
        grid->addWidget(row.marker, 0, 0);
        grid->addWidget(name, 0, 1);
        if (criteria[i].question != criteria[i].name) {
            auto *question = new QLabel(criteria[i].question, row.widget);
            question->setWordWrap(true);
            question->setForegroundRole(QPalette::PlaceholderText);
            grid->addWidget(question, 1, 1);
        }
        auto *buttons = new QHBoxLayout;
        buttons->setSpacing(pad);
        auto make = [&](const QString &text, const QColor &bg, const QColor &fg, LabelValue value) {
            auto *b = new QPushButton(text, row.widget);
            b->setCheckable(true);
            b->setFocusPolicy(Qt::NoFocus);
            b->setStyleSheet(buttonStyle(bg, fg));
            connect(b, &QPushButton::clicked, this, [this, i, value] {
                if (!m_session)
                    return;
                m_session->setFocusedRow(i);
                m_session->label(value);
                setFocus();
            });
            buttons->addWidget(b);
            return b;
        };
        row.yes = make(tr("Yes"), c.addedBackground, c.addedText, LabelValue::Yes);
        row.no = make(tr("No"), c.removedBackground, c.removedText, LabelValue::No);
        row.skip = make(tr("Skip"), c.panel, palette().color(QPalette::Text), LabelValue::Skip);
        buttons->addStretch(1);
        grid->addLayout(buttons, 2, 1);
        layout->addWidget(row.widget);
        m_rows << row;
    }
}

void BinaryLabelView::showItem()
{
    m_header->refresh();
    if (!m_session || !m_session->current()) {
        m_stack->setCurrentIndex(1);
        const bool done = m_session && m_session->isDone();
        m_doneTitle->setText(done ? tr("Every item of this queue is labeled. Thank you!")
                                  : tr("Reading the next item…"));
        m_doneBack->setVisible(done);
        m_time->clear();
        return;
    }
    m_stack->setCurrentIndex(0);
    const LabelingItem &item = *m_session->current();
    const ThemeColors c = ThemeColors::fromPalette(palette());
    m_input->document()->setDefaultStyleSheet(itemStyleSheet(c));
    m_input->setHtml(inputHtml(item.item.input, c));
    m_context->setText(m_session->queue().blind ? QString() : contextLine(item.item.context));
    renderOutput();
    m_output->verticalScrollBar()->setValue(0);
    scrollToQuestion(m_input);
    updateLabels();
}

void BinaryLabelView::renderOutput()
{
    if (!m_session || !m_session->current())
        return;
    const LabelingItem &item = *m_session->current();
    const ThemeColors c = ThemeColors::fromPalette(palette());
    m_output->document()->setDefaultStyleSheet(itemStyleSheet(c));
    QString html = outputHtml(item.item.outputA.value_or(QString()), m_format, c);
    if (item.correction)
        html += QStringLiteral("<p class='role'><span style='color:%1'>%2</span></p>")
                    .arg(c.addedText.name(), tr("YOUR CORRECTED ANSWER"))
            + outputHtml(*item.correction, m_format, c);
    m_output->setHtml(html);
    m_shownCorrection = item.correction;
}

void BinaryLabelView::updateLabels()
{
    if (!m_session || !m_session->current())
        return;
    const LabelingItem &item = *m_session->current();
    const ThemeColors c = ThemeColors::fromPalette(palette());
    const QColor focus = ThemeColors::mix(palette().color(QPalette::Highlight),
                                          palette().color(QPalette::Base), c.dark ? 0.30 : 0.12);
    const QList<CriterionVersion> &criteria = m_session->queue().criteria;
    for (int i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows[i];
        const auto value = item.labels.contains(criteria[i].criterionId)
            ? std::optional(item.labels.value(criteria[i].criterionId))
            : std::nullopt;
        row.yes->setChecked(value == LabelValue::Yes);
        row.no->setChecked(value == LabelValue::No);
        row.skip->setChecked(value == LabelValue::Skip);
        const bool focused = i == m_session->focusedRow();
        row.marker->setText(focused ? QStringLiteral("▶") : QString::number(i + 1));
        row.widget->setStyleSheet(
            focused ? QStringLiteral("#criterionRow { background: %1; border-radius: 6px; }")
                          .arg(focus.name())
                    : QString());
    }
    m_note->setText(item.note ? tr("<b>Note</b> %1").arg(item.note->toHtmlEscaped()) : QString());
    m_note->setVisible(item.note.has_value());
    m_correction->setText(
        tr("<span style='color:%1'>✎ Corrected answer saved</span> (the original is kept)")
            .arg(c.addedText.name()));
    m_correction->setVisible(item.correction.has_value());
    const auto failed = failedItem();
    m_testCase->setEnabled(failed != nullptr);
    m_testCase->setText(failed && failed.get() != m_session->current()
                            ? tr("Add Previous Item as Test Case…")
                            : tr("Add as Test Case…"));
    m_testCase->setToolTip(
        tr("A labeled failure becomes a test case (T); your correction is its expected output"));
    m_time->setText(tr("%1 on this item").arg(formatSeconds(m_session->secondsOnItem())));
    if (item.correction != m_shownCorrection) {
        // Only a new correction changes the output pane; keep where the reader scrolled to.
        const int scroll = m_output->verticalScrollBar()->value();
        renderOutput();
        m_output->verticalScrollBar()->setValue(scroll);
    }
}

void BinaryLabelView::setOutputFormat(OutputFormat format)
{
    m_format = format;
    for (int i = 0; i < m_formatButtons.size(); ++i)
        m_formatButtons[i]->setChecked(i == int(format));
    renderOutput();
}

std::shared_ptr<const LabelingItem> BinaryLabelView::failedItem() const
{
    if (!m_session)
        return nullptr;
    if (const LabelingItem *current = m_session->current(); current && current->hasFailure())
        return std::shared_ptr<const LabelingItem>(std::make_shared<LabelingItem>(*current));
    if (auto previous = m_session->previous(); previous && previous->hasFailure())
        return previous;
    return nullptr;
}

void BinaryLabelView::requestTestCase()
{
    if (auto item = failedItem())
        Q_EMIT addTestCaseRequested(item);
}

void BinaryLabelView::editNote()
{
    if (!m_session || !m_session->current() || m_dialog)
        return;
    m_dialog = new TextEntryDialog(
        tr("Note"), tr("What should the team know about this item? Saved with your labels."),
        m_session->current()->note.value_or(QString()), false, this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<LabelingSession> session = m_session;
    connect(m_dialog, &QDialog::accepted, this, [this, session] {
        if (session)
            session->saveNote(m_dialog->text());
    });
    connect(m_dialog, &QObject::destroyed, this, [this] {
        m_dialog = nullptr;
        setFocus();
    });
    m_dialog->open();
}

void BinaryLabelView::editCorrection()
{
    if (!m_session || !m_session->current() || m_dialog)
        return;
    const LabelingItem &item = *m_session->current();
    m_dialog = new TextEntryDialog(
        tr("Correct the Output"),
        tr("Edit the answer into what it should have been. It is kept as your "
           "correction; the original output stays as it was."),
        item.correction.value_or(item.item.outputA.value_or(QString())), true, this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<LabelingSession> session = m_session;
    connect(m_dialog, &QDialog::accepted, this, [this, session] {
        if (session)
            session->saveCorrection(m_dialog->text());
    });
    connect(m_dialog, &QObject::destroyed, this, [this] {
        m_dialog = nullptr;
        setFocus();
    });
    m_dialog->open();
}

namespace {
bool isLabelingKey(const QKeyEvent *e)
{
    const auto mods = e->modifiers() & ~Qt::KeypadModifier;
    if (mods == Qt::ControlModifier)
        return e->key() == Qt::Key_Z;
    if (mods != Qt::NoModifier && mods != Qt::ShiftModifier)
        return false;
    switch (e->key()) {
    case Qt::Key_Y:
    case Qt::Key_X:
    case Qt::Key_S:
    case Qt::Key_A:
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_Backspace:
    case Qt::Key_N:
    case Qt::Key_E:
    case Qt::Key_T:
    case Qt::Key_M:
    case Qt::Key_R:
    case Qt::Key_J:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
    case Qt::Key_Escape:
        return true;
    default:
        return false;
    }
}
} // namespace

bool BinaryLabelView::event(QEvent *event)
{
    // Single keys and Ctrl+Z belong to labeling while this view has the focus, before any
    // menu shortcut.
    if (event->type() == QEvent::ShortcutOverride
        && isLabelingKey(static_cast<QKeyEvent *>(event))) {
        event->accept();
        return true;
    }
    return QWidget::event(event);
}

void BinaryLabelView::keyPressEvent(QKeyEvent *event)
{
    if (!isLabelingKey(event)) {
        QWidget::keyPressEvent(event);
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        Q_EMIT backRequested();
        return;
    }
    if (!m_session)
        return;
    switch (event->key()) {
    case Qt::Key_Y:
        m_session->label(LabelValue::Yes);
        break;
    case Qt::Key_X:
        m_session->label(LabelValue::No);
        break;
    case Qt::Key_S:
        m_session->label(LabelValue::Skip);
        break;
    case Qt::Key_A:
        m_session->labelRemaining(LabelValue::Yes);
        break;
    case Qt::Key_Up:
        m_session->setFocusedRow(m_session->focusedRow() - 1);
        break;
    case Qt::Key_Down:
        m_session->setFocusedRow(m_session->focusedRow() + 1);
        break;
    case Qt::Key_Z:
    case Qt::Key_Backspace:
        m_session->undo();
        break;
    case Qt::Key_N:
        editNote();
        break;
    case Qt::Key_E:
        editCorrection();
        break;
    case Qt::Key_T:
        requestTestCase();
        break;
    case Qt::Key_M:
        setOutputFormat(OutputFormat::Markdown);
        break;
    case Qt::Key_R:
        setOutputFormat(OutputFormat::Raw);
        break;
    case Qt::Key_J:
        setOutputFormat(OutputFormat::Json);
        break;
    case Qt::Key_PageUp:
        m_output->verticalScrollBar()->triggerAction(QAbstractSlider::SliderPageStepSub);
        break;
    case Qt::Key_PageDown:
        m_output->verticalScrollBar()->triggerAction(QAbstractSlider::SliderPageStepAdd);
        break;
    default:
        break;
    }
}

void BinaryLabelView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_session) {
        buildCriteria();
        showItem();
    }
}

} // namespace ts
