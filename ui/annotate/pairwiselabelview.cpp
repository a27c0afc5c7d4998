#include "annotate/pairwiselabelview.h"

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
#include <QVBoxLayout>

namespace ts {

namespace {

QTextBrowser *makeBrowser(QWidget *parent, const QString &name)
{
    auto *b = new QTextBrowser(parent);
    b->setObjectName(name);
    b->setFrameShape(QFrame::NoFrame);
    b->setFocusPolicy(Qt::NoFocus);
    b->setOpenLinks(false);
    b->document()->setDocumentMargin(2);
    return b;
}

QString sideContext(const nlohmann::json &context, bool second)
{
    QStringList parts;
    if (second) {
        if (context.contains("variant_b") && context["variant_b"].is_string())
            parts << QString::fromStdString(context["variant_b"].get<std::string>());
    } else {
        for (const char *key : {"variant", "model", "prompt"})
            if (context.contains(key) && context[key].is_string()) {
                parts << QString::fromStdString(context[key].get<std::string>());
                if (QLatin1String(key) == QLatin1String("variant"))
                    break;
            }
    }
    return parts.join(QStringLiteral(" · "));
}

/// The screen pick (0 left, 1 tie, 2 right, 3 both bad) a stored choice shows as.
int screenPick(Choice choice, bool leftIsA)
{
    switch (choice) {
    case Choice::A:
        return leftIsA ? 0 : 2;
    case Choice::B:
        return leftIsA ? 2 : 0;
    case Choice::Tie:
        return 1;
    case Choice::BothBad:
        return 3;
    }
    return 1;
}

bool isPairKey(const QKeyEvent *e)
{
    const auto mods = e->modifiers() & ~Qt::KeypadModifier;
    if (mods == Qt::ControlModifier)
        return e->key() == Qt::Key_Z;
    if (mods != Qt::NoModifier && mods != Qt::ShiftModifier)
        return false;
    if (e->key() >= Qt::Key_0 && e->key() <= Qt::Key_9)
        return true;
    switch (e->key()) {
    case Qt::Key_A:
    case Qt::Key_B:
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_T:
    case Qt::Key_X:
    case Qt::Key_Backspace:
    case Qt::Key_N:
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

PairwiseLabelView::PairwiseLabelView(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    const int gap = fontMetrics().height();
    const int ch = fontMetrics().averageCharWidth();
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(gap / 2);
    m_header = new LabelingHeader(this);
    outer->addWidget(m_header);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack, 1);

    auto *content = new QWidget(m_stack);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(gap / 2);
    m_split = new QSplitter(Qt::Vertical, content);
    m_split->setChildrenCollapsible(false);
    m_split->setHandleWidth(gap);

    auto *inputBox = new QWidget(m_split);
    auto *inputLayout = new QVBoxLayout(inputBox);
    inputLayout->setContentsMargins(0, 0, 0, 0);
    auto *inputHeader = new QHBoxLayout;
    inputHeader->addWidget(sectionLabel(tr("Input"), inputBox));
    inputHeader->addStretch(1);
    const QList<std::pair<QString, OutputFormat>> formats
        = {{tr("Markdown"), OutputFormat::Markdown},
           {tr("Raw"), OutputFormat::Raw},
           {tr("JSON"), OutputFormat::Json}};
    inputHeader->addWidget(sectionLabel(tr("Outputs as"), inputBox));
    for (const auto &[name, format] : formats) {
        auto *button = new QPushButton(name, inputBox);
        button->setCheckable(true);
        button->setFlat(true);
        button->setFocusPolicy(Qt::NoFocus);
        button->setToolTip(tr("Show both outputs as %1 (%2)").arg(name, name.left(1)));
        connect(button, &QPushButton::clicked, this, [this, format] { setOutputFormat(format); });
        inputHeader->addWidget(button);
        m_formatButtons << button;
    }
    m_formatButtons[0]->setChecked(true);
    inputLayout->addLayout(inputHeader);
    m_input = makeBrowser(inputBox, QStringLiteral("pairInput"));
    inputLayout->addWidget(m_input, 1);

    auto *sides = new QWidget(m_split);
    auto *sidesLayout = new QHBoxLayout(sides);
    sidesLayout->setContentsMargins(0, 0, 0, 0);
    sidesLayout->setSpacing(gap * 2);
    auto side = [&](const QString &letter, QTextBrowser *&browser, QLabel *&context,
                    const QString &name) {
        auto *column = new QWidget(sides);
        auto *layout = new QVBoxLayout(column);
        layout->setContentsMargins(0, 0, 0, 0);
        auto *head = new QHBoxLayout;
        auto *title = new QLabel(tr("Output %1").arg(letter), column);
        QFont f = title->font();
        f.setPointSizeF(f.pointSizeF() * 1.15);
        f.setWeight(QFont::DemiBold);
        title->setFont(f);
        context = new QLabel(column);
        context->setForegroundRole(QPalette::PlaceholderText);
        head->addWidget(title);
        head->addSpacing(ch);
        head->addWidget(context, 1);
        layout->addLayout(head);
        browser = makeBrowser(column, name);
        layout->addWidget(browser, 1);
        sidesLayout->addWidget(column, 1);
    };
    side(QStringLiteral("A"), m_left, m_leftContext, QStringLiteral("pairLeft"));
    side(QStringLiteral("B"), m_right, m_rightContext, QStringLiteral("pairRight"));
    m_split->addWidget(inputBox);
    m_split->addWidget(sides);
    m_split->setStretchFactor(0, 2);
    m_split->setStretchFactor(1, 3);
    contentLayout->addWidget(m_split, 1);

    m_rowsBox = new QWidget(content);
    auto *rowsLayout = new QVBoxLayout(m_rowsBox);
    rowsLayout->setContentsMargins(0, 0, 0, 0);
    rowsLayout->setSpacing(gap / 4);
    contentLayout->addWidget(m_rowsBox);
    auto *facts = new QHBoxLayout;
    m_note = new QLabel(content);
    m_note->setWordWrap(true);
    m_bias = new QLabel(content);
    m_bias->setObjectName(QStringLiteral("positionBias"));
    m_bias->setForegroundRole(QPalette::PlaceholderText);
    facts->addWidget(m_note, 1);
    facts->addWidget(m_bias);
    contentLayout->addLayout(facts);
    m_stack->addWidget(content);

    m_stack->addWidget(makeDonePage(m_stack, gap, m_doneTitle, m_doneBack));

    m_keys = new KeyBar(this);
    m_keys->setKeys({{QStringLiteral("A / ←"), tr("A is better")},
                     {QStringLiteral("B / →"), tr("B is better")},
                     {QStringLiteral("T"), tr("tie")},
                     {QStringLiteral("X"), tr("both bad")},
                     {QStringLiteral("1–9"), tr("answer a criterion")},
                     {QStringLiteral("0"), tr("overall")},
                     {QStringLiteral("⌫ / Ctrl+Z"), tr("undo")},
                     {QStringLiteral("N"), tr("note")},
                     {QStringLiteral("M R J"), tr("Markdown, raw, JSON")},
                     {QStringLiteral("PgUp PgDn"), tr("scroll")},
                     {QStringLiteral("Esc"), tr("queues")}});
    outer->addWidget(m_keys);

    connect(m_header, &LabelingHeader::backRequested, this, &PairwiseLabelView::backRequested);
    connect(m_doneBack, &QPushButton::clicked, this, &PairwiseLabelView::backRequested);
}

void PairwiseLabelView::setSession(LabelingSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_header->setSession(session);
    buildRows();
    if (session) {
        connect(session, &LabelingSession::itemChanged, this, &PairwiseLabelView::showItem);
        connect(session, &LabelingSession::labelsChanged, this, &PairwiseLabelView::updateChoices);
        connect(session, &LabelingSession::progressChanged, m_header, &LabelingHeader::refresh);
        connect(session, &QObject::destroyed, this, [this] { m_session = nullptr; });
    }
    showItem();
    setFocus();
}

void PairwiseLabelView::setPositionBias(const QString &text)
{
    m_bias->setText(text);
}

void PairwiseLabelView::buildRows()
{
    for (const Row &row : m_rows)
        delete row.widget;
    m_rows.clear();
    if (!m_session)
        return;
    const ThemeColors c = ThemeColors::fromPalette(palette());
    const QColor border
        = ThemeColors::mix(palette().color(QPalette::Text), palette().color(QPalette::Base), 0.25);
    const QColor chosenBg = ThemeColors::mix(palette().color(QPalette::Highlight),
                                             palette().color(QPalette::Base), c.dark ? 0.45 : 0.20);
    const QString style
        = QStringLiteral(
              "QPushButton { border: 1px solid %1; border-radius: 4px; padding: 3px 12px; "
              "background: %2; }"
              "QPushButton:checked { background: %3; border-color: %4; font-weight: 600; }")
              .arg(border.name(), palette().color(QPalette::Base).name(), chosenBg.name(),
                   palette().color(QPalette::Highlight).name());
    QStringList names = {tr("Overall")};
    for (const CriterionVersion &criterion : m_session->queue().criteria)
        names << criterion.name;
    auto *layout = static_cast<QVBoxLayout *>(m_rowsBox->layout());
    for (int i = 0; i < names.size(); ++i) {
        Row row;
        row.widget = new QWidget(m_rowsBox);
        row.widget->setObjectName(QStringLiteral("pairRow"));
        row.widget->setAttribute(Qt::WA_StyledBackground);
        auto *h = new QHBoxLayout(row.widget);
        const int pad = fontMetrics().height() / 3;
        h->setContentsMargins(pad, pad, pad, pad);
        h->setSpacing(pad);
        row.marker = new QLabel(row.widget);
        row.marker->setFixedWidth(fontMetrics().averageCharWidth() * 3);
        row.marker->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto *name = new QLabel(i == 0 ? names[i] : tr("%1 (optional)").arg(names[i]), row.widget);
        QFont bold = name->font();
        bold.setWeight(i == 0 ? QFont::DemiBold : QFont::Normal);
        name->setFont(bold);
        name->setMinimumWidth(fontMetrics().averageCharWidth() * 34);
        h->addWidget(row.marker);
        h->addWidget(name);
        const QStringList picks = {tr("A is better"), tr("Tie"), tr("B is better"), tr("Both bad")};
        const QList<LabelingSession::Pick> values
            = {LabelingSession::Pick::Left, LabelingSession::Pick::Tie,
               LabelingSession::Pick::Right, LabelingSession::Pick::BothBad};
        for (int p = 0; p < picks.size(); ++p) {
            auto *b = new QPushButton(picks[p], row.widget);
            b->setCheckable(true);
            b->setFocusPolicy(Qt::NoFocus);
            b->setStyleSheet(style);
            const int rowIndex = i - 1; // overallRow is -1
            const LabelingSession::Pick pick = values[p];
            connect(b, &QPushButton::clicked, this, [this, rowIndex, pick] {
                if (!m_session)
                    return;
                m_session->setFocusedRow(rowIndex);
                m_session->pick(pick);
                setFocus();
            });
            h->addWidget(b);
            row.picks << b;
        }
        h->addStretch(1);
        layout->addWidget(row.widget);
        m_rows << row;
    }
}

void PairwiseLabelView::showItem()
{
    m_header->refresh();
    if (!m_session || !m_session->current()) {
        m_stack->setCurrentIndex(1);
        const bool done = m_session && m_session->isDone();
        m_doneTitle->setText(done ? tr("Every pair of this queue is judged. Thank you!")
                                  : tr("Reading the next pair…"));
        m_doneBack->setVisible(done);
        return;
    }
    m_stack->setCurrentIndex(0);
    const LabelingItem &item = *m_session->current();
    const ThemeColors c = ThemeColors::fromPalette(palette());
    m_input->document()->setDefaultStyleSheet(itemStyleSheet(c));
    m_input->setHtml(inputHtml(item.item.input, c));
    scrollToQuestion(m_input);
    const bool blind = m_session->queue().blind;
    const QString contextA = blind ? QString() : sideContext(item.item.context, false);
    const QString contextB = blind ? QString() : sideContext(item.item.context, true);
    m_leftContext->setText(item.leftIsA ? contextA : contextB);
    m_rightContext->setText(item.leftIsA ? contextB : contextA);
    renderOutputs();
    updateChoices();
}

void PairwiseLabelView::renderOutputs()
{
    if (!m_session || !m_session->current())
        return;
    const LabelingItem &item = *m_session->current();
    const ThemeColors c = ThemeColors::fromPalette(palette());
    const QString a = item.item.outputA.value_or(QString());
    const QString b = item.item.outputB.value_or(QString());
    for (QTextBrowser *view : {m_left, m_right})
        view->document()->setDefaultStyleSheet(itemStyleSheet(c));
    m_left->setHtml(outputHtml(item.leftIsA ? a : b, m_format, c));
    m_right->setHtml(outputHtml(item.leftIsA ? b : a, m_format, c));
}

void PairwiseLabelView::updateChoices()
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
        std::optional<Choice> choice;
        if (i == 0)
            choice = item.overall;
        else if (item.criterionChoices.contains(criteria[i - 1].criterionId))
            choice = item.criterionChoices.value(criteria[i - 1].criterionId);
        const int shown = choice ? screenPick(*choice, item.leftIsA) : -1;
        for (int p = 0; p < row.picks.size(); ++p)
            row.picks[p]->setChecked(p == shown);
        const bool focused = i - 1 == m_session->focusedRow();
        row.marker->setText(focused ? QStringLiteral("▶") : QString::number(i));
        row.widget->setStyleSheet(
            focused ? QStringLiteral("#pairRow { background: %1; border-radius: 6px; }")
                          .arg(focus.name())
                    : QString());
    }
    m_note->setText(item.note ? tr("<b>Note</b> %1").arg(item.note->toHtmlEscaped()) : QString());
}

void PairwiseLabelView::setOutputFormat(OutputFormat format)
{
    m_format = format;
    for (int i = 0; i < m_formatButtons.size(); ++i)
        m_formatButtons[i]->setChecked(i == int(format));
    renderOutputs();
}

void PairwiseLabelView::editNote()
{
    if (!m_session || !m_session->current() || m_dialog)
        return;
    m_dialog = new TextEntryDialog(tr("Note"), tr("Why is one better? Saved with your choice."),
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

bool PairwiseLabelView::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride && isPairKey(static_cast<QKeyEvent *>(event))) {
        event->accept();
        return true;
    }
    return QWidget::event(event);
}

void PairwiseLabelView::keyPressEvent(QKeyEvent *event)
{
    if (!isPairKey(event)) {
        QWidget::keyPressEvent(event);
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        Q_EMIT backRequested();
        return;
    }
    if (!m_session)
        return;
    const int key = event->key();
    if (key >= Qt::Key_0 && key <= Qt::Key_9) {
        m_session->setFocusedRow(key == Qt::Key_0 ? LabelingSession::overallRow : key - Qt::Key_1);
        return;
    }
    switch (key) {
    case Qt::Key_A:
    case Qt::Key_Left:
        m_session->pick(LabelingSession::Pick::Left);
        break;
    case Qt::Key_B:
    case Qt::Key_Right:
        m_session->pick(LabelingSession::Pick::Right);
        break;
    case Qt::Key_T:
        m_session->pick(LabelingSession::Pick::Tie);
        break;
    case Qt::Key_X:
        m_session->pick(LabelingSession::Pick::BothBad);
        break;
    case Qt::Key_Z:
    case Qt::Key_Backspace:
        m_session->undo();
        break;
    case Qt::Key_N:
        editNote();
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
    case Qt::Key_PageDown:
        for (QTextBrowser *view : {m_left, m_right})
            view->verticalScrollBar()->triggerAction(key == Qt::Key_PageUp
                                                         ? QAbstractSlider::SliderPageStepSub
                                                         : QAbstractSlider::SliderPageStepAdd);
        break;
    default:
        break;
    }
}

} // namespace ts
