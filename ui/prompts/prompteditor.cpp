#include "prompts/prompteditor.h"

#include "common/jsonedit.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "common/themecolors.h"
#include "prompts/messageeditor.h"
#include "prompts/parameterspanel.h"
#include "prompts/previewpane.h"
#include "prompts/promptscontroller.h"
#include "prompts/templateanalysis.h"
#include "prompts/templatetextedit.h"
#include "prompts/variablespanel.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QThreadPool>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <functional>

namespace ts {

/// One structural change to the messages (add, remove, move), undone by its inverse. The
/// operations work on the messages as they are when applied, so text typed in between stays.
class MessagesCommand final : public QUndoCommand
{
public:
    using Change = std::function<int(QList<PromptMessage> &)>; ///< returns the row to focus

    MessagesCommand(PromptEditor &editor, const QString &text, Change redo, Change undo)
        : QUndoCommand(text)
        , m_editor(editor)
        , m_redo(std::move(redo))
        , m_undo(std::move(undo))
    {
    }

    void redo() override { apply(m_redo); }
    void undo() override { apply(m_undo); }

private:
    void apply(const Change &change)
    {
        QList<PromptMessage> messages = m_editor.collectContent().messages;
        const int focus = change(messages);
        m_editor.applyMessages(messages, focus);
    }

    PromptEditor &m_editor;
    Change m_redo;
    Change m_undo;
};

namespace {

QString roleName(const QString &role)
{
    if (role == QLatin1String("system"))
        return QObject::tr("system message");
    if (role == QLatin1String("assistant"))
        return QObject::tr("assistant turn");
    return QObject::tr("user turn");
}

} // namespace

PromptEditor::PromptEditor(PromptsController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_undo(new QUndoStack(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    layout->addWidget(m_empty, 1);

    m_body = new QWidget(this);
    auto *body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    auto *titleRow = new QHBoxLayout;
    m_title = new QLabel(m_body);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rename = new QToolButton(m_body);
    m_rename->setText(tr("Rename…"));
    m_rename->setAutoRaise(true);
    m_rename->setToolTip(tr("Give it another name; versions, labels and runs stay with it (F2)"));
    m_discard = new QPushButton(tr("Discard Changes"), m_body);
    m_discard->setToolTip(
        tr("Drop the unsaved changes and the autosaved draft; back to the latest version"));
    m_discard->hide();
    titleRow->addWidget(m_title);
    titleRow->addWidget(m_rename);
    titleRow->addStretch(1);
    titleRow->addWidget(m_discard);
    m_subtitle = new QLabel(m_body);
    m_subtitle->setWordWrap(true);
    QPalette muted = m_subtitle->palette();
    muted.setColor(QPalette::WindowText, ThemeColors::fromPalette(palette()).muted);
    m_subtitle->setPalette(muted);
    m_note = new MessageBar(m_body);
    body->addLayout(titleRow);
    body->addWidget(m_subtitle);
    body->addWidget(m_note);

    // Messages, one editor each, in a scrolling column.
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_column = new QWidget;
    m_column->setFocusPolicy(Qt::ClickFocus); // a click beside the messages leaves the text fields
    m_messagesLayout = new QVBoxLayout(m_column);
    m_messagesLayout->setContentsMargins(0, 0, 0, 0);
    auto *add = new QToolButton(m_column);
    add->setText(tr("Add message"));
    add->setToolButtonStyle(Qt::ToolButtonTextOnly);
    add->setPopupMode(QToolButton::MenuButtonPopup);
    auto *menu = new QMenu(add);
    for (const auto &[role, label] :
         {std::pair {QStringLiteral("system"), tr("System message")},
          std::pair {QStringLiteral("user"), tr("User turn")},
          std::pair {QStringLiteral("assistant"), tr("Assistant turn (few-shot answer)")}})
        connect(menu->addAction(label), &QAction::triggered, this,
                [this, r = role] { addMessage(r); });
    add->setMenu(menu);
    connect(add, &QToolButton::clicked, this, [this] {
        // Alternate turns: after a user turn the natural next one is the assistant's answer.
        const bool afterUser
            = !m_editors.isEmpty() && m_editors.last()->message().role == QLatin1String("user");
        addMessage(afterUser ? QStringLiteral("assistant") : QStringLiteral("user"));
    });

    // Undo/redo of message structure: buttons beside "Add message", and Ctrl+Z / Ctrl+Shift+Z
    // whenever no text field has the focus (a text field undoes its own typing).
    QAction *undo = m_undo->createUndoAction(this, tr("Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    undo->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    QAction *redo = m_undo->createRedoAction(this, tr("Redo"));
    redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)});
    redo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    redo->setIcon(style()->standardIcon(QStyle::SP_ArrowForward));
    addAction(undo);
    addAction(redo);
    auto *undoButton = new QToolButton(m_column);
    undoButton->setDefaultAction(undo);
    undoButton->setAutoRaise(true);
    undoButton->setObjectName(QStringLiteral("undoMessages"));
    auto *redoButton = new QToolButton(m_column);
    redoButton->setDefaultAction(redo);
    redoButton->setAutoRaise(true);
    redoButton->setObjectName(QStringLiteral("redoMessages"));
    auto keepTips = [undo, redo] {
        undo->setToolTip(undo->text() + QStringLiteral(" (Ctrl+Z)"));
        redo->setToolTip(redo->text() + QStringLiteral(" (Ctrl+Shift+Z)"));
    };
    connect(m_undo, &QUndoStack::indexChanged, this, keepTips);
    keepTips();

    m_addRow = new QWidget(m_column);
    auto *addRow = new QHBoxLayout(m_addRow);
    addRow->setContentsMargins(0, 0, 0, 0);
    addRow->addWidget(add);
    addRow->addWidget(undoButton);
    addRow->addWidget(redoButton);
    addRow->addStretch(1);
    m_messagesLayout->addWidget(m_addRow);
    m_messagesLayout->addStretch(1);
    scroll->setWidget(m_column);

    m_variables = new VariablesPanel;
    m_parameters = new ParametersPanel;
    m_preview = new PreviewPane;
    m_sideTabs = new QTabWidget;
    m_sideTabs->setDocumentMode(true);
    m_sideTabs->addTab(m_variables, tr("Variables"));
    auto *paramsScroll = new QScrollArea;
    paramsScroll->setWidgetResizable(true);
    paramsScroll->setFrameShape(QFrame::NoFrame);
    paramsScroll->setWidget(m_parameters);
    m_paramsPage = paramsScroll;
    m_sideTabs->addTab(paramsScroll, tr("Parameters"));
    m_tools = new JsonEdit;
    m_tools->setAllowEmpty(true);
    m_tools->setPlaceholderText(
        tr("Tools the model may call, as a JSON list. OpenAI style:\n"
           "[{\"type\": \"function\", \"function\": {\"name\": \"get_order\",\n"
           "  \"description\": \"…\", \"parameters\": {\"type\": \"object\", …}}}]\n"
           "or Anthropic style: [{\"name\": \"get_order\", \"input_schema\": {…}}]"));
    m_tools->setCheck(&PromptEditor::toolsProblem);
    m_sideTabs->addTab(m_tools, tr("Tools"));

    m_sideSplit = new QSplitter(Qt::Vertical);
    m_sideSplit->addWidget(m_sideTabs);
    m_sideSplit->addWidget(m_preview);
    m_sideSplit->setChildrenCollapsible(false);
    m_sideSplit->setStretchFactor(0, 1);
    m_sideSplit->setStretchFactor(1, 1);

    m_split = new QSplitter(Qt::Horizontal, m_body);
    m_split->addWidget(scroll);
    m_split->addWidget(m_sideSplit);
    m_split->setChildrenCollapsible(false);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    const int ch = fontMetrics().averageCharWidth();
    m_split->setSizes({ch * 95, ch * 70});
    m_sideSplit->setSizes({fontMetrics().height() * 18, fontMetrics().height() * 14});
    body->addWidget(m_split, 1);
    layout->addWidget(m_body, 1);
    m_body->hide();

    m_analysisTimer.setSingleShot(true);
    m_analysisTimer.setInterval(analysisDelayMs);
    connect(&m_analysisTimer, &QTimer::timeout, this, &PromptEditor::analyze);
    connect(m_parameters, &ParametersPanel::edited, this, &PromptEditor::contentEdited);
    connect(m_tools, &JsonEdit::edited, this, [this] {
        if (m_tools->isValid())
            contentEdited();
    });
    connect(m_variables, &VariablesPanel::valuesEdited, this, [this] {
        m_controller.setVariableValues(m_variables->values());
        m_analysisTimer.start();
    });
    connect(&m_controller, &PromptsController::promptLoaded, this,
            &PromptEditor::loadFromController);
    connect(&m_controller, &PromptsController::promptCleared, this, [this] {
        m_undo->clear();
        m_body->hide();
        updateEmptyText();
        m_empty->show();
    });
    connect(&m_controller, &PromptsController::promptRenamed, this,
            [this](qint64 id, const QString &name) {
                if (id == m_controller.currentPromptId())
                    m_title->setText(name);
                updateSubtitle();
            });
    connect(&m_controller, &PromptsController::promptsRefreshed, this, [this] {
        // New or changed snippets: the preview and the variables follow them.
        if (m_body->isVisible())
            m_analysisTimer.start();
    });
    connect(&m_controller.session(), &ProjectSession::projectOpened, this,
            &PromptEditor::updateEmptyText);
    connect(&m_controller.session(), &ProjectSession::projectClosed, this,
            &PromptEditor::updateEmptyText);
    connect(m_rename, &QToolButton::clicked, this, &PromptEditor::renameRequested);
    connect(m_discard, &QPushButton::clicked, this, &PromptEditor::discardRequested);
    connect(&m_controller, &PromptsController::dirtyChanged, this, &PromptEditor::updateSubtitle);
    connect(&m_controller, &PromptsController::versionSaved, this, &PromptEditor::updateSubtitle);
    connect(&m_controller, &PromptsController::promptLoaded, this, &PromptEditor::updateSubtitle);
    updateEmptyText();
}

void PromptEditor::setCompact(bool compact)
{
    if (compact == m_compact)
        return;
    m_compact = compact;
    // A narrow pane: the name wraps, Rename stays in the Prompt menu and the list (F2).
    m_title->setWordWrap(compact);
    m_rename->setVisible(!compact);
    m_discard->setText(compact ? tr("Discard") : tr("Discard Changes"));
    if (compact) {
        m_wideSizes = m_split->sizes();
        m_split->setOrientation(Qt::Vertical);
        m_preview->hide();
        const int h = std::max(height(), fontMetrics().height() * 30);
        m_split->setSizes({h * 11 / 20, h * 9 / 20});
    } else {
        m_split->setOrientation(Qt::Horizontal);
        m_preview->show();
        if (m_wideSizes.size() == 2)
            m_split->setSizes(m_wideSizes);
        if (m_body->isVisible())
            m_analysisTimer.start(); // the preview skipped while hidden
    }
    updateEmptyText();
}

void PromptEditor::updateEmptyText()
{
    m_empty->setText(
        m_controller.session().hasProject()
            ? (m_compact ? tr("Select a prompt in Prompts (Ctrl+1); it shows here to edit and "
                              "re-run beside the answers.")
                         : tr("Select a prompt on the left, or create one with Prompt ▸ New "
                              "Prompt (Ctrl+N)."))
            : tr("No project is open. Open one or create a new one from the File menu; "
                 "its prompts appear here."));
}

void PromptEditor::updateSubtitle()
{
    const auto base = m_controller.baseVersion();
    QString text;
    if (m_controller.isSnippet())
        text
            = tr("Snippet · prompts include it with {{> %1}}").arg(m_controller.currentPromptName())
            + QStringLiteral(" · ");
    text += base ? tr("Latest version %1").arg(*base) : tr("No saved version yet");
    if (const QString d = m_controller.currentPromptDescription(); !d.isEmpty())
        text = d + QStringLiteral(" · ") + text;
    const bool dirty = m_controller.isDirty();
    if (dirty)
        text += tr(" · unsaved changes — Ctrl+S saves a new version");
    m_subtitle->setText(text);
    m_discard->setVisible(dirty && base);
}

void PromptEditor::loadFromController()
{
    const PromptContent &content = m_controller.content();
    const bool snippet = m_controller.isSnippet();
    m_loading = true;
    m_undo->clear();
    m_lastGoodVariables.clear();
    m_title->setText(m_controller.currentPromptName());
    if (m_controller.draftNote().isEmpty())
        m_note->clear();
    else
        m_note->showMessage(MessageBar::Kind::Info, m_controller.draftNote());
    setMessages(content.messages);
    m_addRow->setVisible(!snippet);
    m_sideTabs->setTabVisible(m_sideTabs->indexOf(m_paramsPage), !snippet);
    m_sideTabs->setTabVisible(m_sideTabs->indexOf(m_tools), !snippet);
    m_parameters->setParameters(content.params, content.responseSchema);
    m_tools->setJson(content.tools);
    m_loading = false;
    m_empty->hide();
    m_body->show();
    m_variables->setValues(m_controller.allVariableValues());
    analyzeNow(true);
}

void PromptEditor::setMessages(const QList<PromptMessage> &messages)
{
    const bool wasLoading = m_loading;
    m_loading = true;
    while (m_editors.size() > messages.size())
        delete m_editors.takeLast();
    while (m_editors.size() < messages.size()) {
        auto *editor = new MessageEditor;
        m_messagesLayout->insertWidget(int(m_editors.size()), editor);
        connect(editor, &MessageEditor::edited, this, &PromptEditor::contentEdited);
        connect(editor, &MessageEditor::moveUpClicked, this, [this, editor] {
            const int i = int(m_editors.indexOf(editor));
            moveMessage(i, i - 1);
        });
        connect(editor, &MessageEditor::moveDownClicked, this, [this, editor] {
            const int i = int(m_editors.indexOf(editor));
            moveMessage(i, i + 1);
        });
        connect(editor, &MessageEditor::removeClicked, this,
                [this, editor] { removeMessage(int(m_editors.indexOf(editor))); });
        m_editors.append(editor);
    }
    const bool snippet = m_controller.isSnippet();
    for (int i = 0; i < messages.size(); ++i) {
        m_editors[i]->setSnippetMode(snippet);
        m_editors[i]->setMessage(messages[i]);
        m_editors[i]->setPosition(i, int(messages.size()));
    }
    m_loading = wasLoading;
}

void PromptEditor::applyMessages(const QList<PromptMessage> &messages, int focus)
{
    setMessages(messages);
    if (focus >= 0 && focus < m_editors.size())
        m_editors[focus]->textEdit()->setFocus();
    else
        m_column->setFocus(); // out of the text fields, so Ctrl+Z undoes the structure again
    contentEdited();
}

void PromptEditor::addMessage(const QString &role)
{
    const int at = int(m_editors.size());
    m_undo->push(new MessagesCommand(
        *this, tr("Add %1").arg(roleName(role)),
        [at, role](QList<PromptMessage> &m) {
            m.insert(std::min<int>(at, int(m.size())), {role, QString()});
            return at;
        },
        [at](QList<PromptMessage> &m) {
            if (at < m.size())
                m.removeAt(at);
            return -1;
        }));
}

void PromptEditor::moveMessage(int from, int to)
{
    const int count = int(m_editors.size());
    if (from < 0 || to < 0 || from >= count || to >= count || from == to)
        return;
    m_undo->push(new MessagesCommand(
        *this, tr("Move message %1 %2").arg(from + 1).arg(to < from ? tr("up") : tr("down")),
        [from, to](QList<PromptMessage> &m) {
            if (from < m.size() && to < m.size())
                m.move(from, to);
            return -1;
        },
        [from, to](QList<PromptMessage> &m) {
            if (from < m.size() && to < m.size())
                m.move(to, from);
            return -1;
        }));
    m_editors[to]->moveDownButton()->setFocus();
}

void PromptEditor::removeMessage(int index)
{
    if (index < 0 || index >= m_editors.size())
        return;
    // The text as it is when removed comes back on undo.
    auto removed = std::make_shared<PromptMessage>(m_editors[index]->message());
    m_undo->push(new MessagesCommand(
        *this, tr("Remove message %1 (%2)").arg(index + 1).arg(roleName(removed->role)),
        [index, removed](QList<PromptMessage> &m) {
            if (index < m.size())
                *removed = m.takeAt(index);
            return -1;
        },
        [index, removed](QList<PromptMessage> &m) {
            m.insert(std::min<int>(index, int(m.size())), *removed);
            return -1;
        }));
}

PromptContent PromptEditor::collectContent() const
{
    PromptContent content;
    for (const MessageEditor *e : m_editors)
        content.messages.append(e->message());
    if (m_controller.isSnippet())
        return content;
    content.params = m_parameters->parameters();
    content.responseSchema = m_parameters->responseSchema();
    content.tools = m_tools->isValid() ? m_tools->json() : m_controller.content().tools;
    return content;
}

void PromptEditor::contentEdited()
{
    if (m_loading)
        return;
    m_controller.setContent(collectContent());
    m_analysisTimer.start();
}

void PromptEditor::setVariableValues(const nlohmann::json &values)
{
    m_variables->setValues(values);
    m_controller.setVariableValues(m_variables->values());
    analyzeNow(true);
}

QString PromptEditor::toolsProblem(const nlohmann::json &tools)
{
    if (!tools.is_array())
        return tr("Tools are a JSON list: [{…}, {…}]");
    for (size_t i = 0; i < tools.size(); ++i) {
        const nlohmann::json &t = tools[i];
        const nlohmann::json *named = &t;
        if (t.is_object() && t.contains("function"))
            named = &t["function"];
        if (!t.is_object() || !named->is_object() || !named->contains("name")
            || !(*named)["name"].is_string() || (*named)["name"].get<std::string>().empty())
            return tr("Tool %1 needs a name: {\"name\": …} or {\"type\": \"function\", "
                      "\"function\": {\"name\": …}}")
                .arg(i + 1);
        const char *schemaKey = named == &t ? "input_schema" : "parameters";
        if (named->contains(schemaKey) && !(*named)[schemaKey].is_object())
            return tr("Tool %1 (%2): \"%3\" must be a JSON Schema object")
                .arg(i + 1)
                .arg(QString::fromStdString((*named)["name"].get<std::string>()),
                     QString::fromLatin1(schemaKey));
    }
    return {};
}

QString PromptEditor::blockingProblem() const
{
    const QString schema = m_parameters->schemaProblem();
    if (!schema.isEmpty() && !m_controller.isSnippet())
        return tr("The response schema is not valid: %1").arg(schema);
    if (!m_tools->isValid() && !m_controller.isSnippet())
        return tr("The tools are not valid: %1").arg(m_tools->problem());
    return {};
}

void PromptEditor::analyze()
{
    analyzeNow(false);
}

void PromptEditor::analyzeNow(bool wait)
{
    // After typing, parsing, variables and rendering a long prompt run on a pool thread and
    // only the widgets are updated here; a newer analysis makes an older result stale. Loading
    // a prompt analyzes at once, so it opens complete.
    m_analysisTimer.stop();
    const quint64 serial = ++m_analysisSerial;
    const QList<PromptMessage> messages = collectContent().messages;
    const PartialMap snippets = m_controller.snippets();
    const nlohmann::json values = [&] {
        nlohmann::json v = m_variables->values();
        return v.is_object() ? v : nlohmann::json::object();
    }();
    if (wait) {
        const TemplateAnalysis analysis = TemplateAnalysis::analyze(messages, snippets);
        applyAnalysis(analysis, analysis.render(values), values);
        return;
    }
    QPointer<PromptEditor> self(this);
    QThreadPool::globalInstance()->start([self, serial, messages, snippets, values] {
        auto analysis
            = std::make_shared<TemplateAnalysis>(TemplateAnalysis::analyze(messages, snippets));
        auto rendered = std::make_shared<QList<RenderedMessage>>(analysis->render(values));
        QMetaObject::invokeMethod(
            qApp,
            [self, serial, analysis, rendered, values] {
                if (self && serial == self->m_analysisSerial)
                    self->applyAnalysis(*analysis, *rendered, values);
            },
            Qt::QueuedConnection);
    });
}

void PromptEditor::applyAnalysis(const TemplateAnalysis &analysis,
                                 const QList<RenderedMessage> &rendered,
                                 const nlohmann::json &values)
{
    QString summary;
    for (int i = 0; i < m_editors.size() && i < analysis.errors().size(); ++i) {
        std::optional<TemplateError> error = analysis.errors()[i];
        // A missing snippet is marked at its tag like a syntax error.
        if (!error && i < rendered.size() && rendered[i].error
            && rendered[i].error->partial.isEmpty())
            error = rendered[i].error;
        m_editors[i]->setTemplateError(error);
        if (error && summary.isEmpty())
            summary = tr("Message %1, line %2, column %3: %4")
                          .arg(i + 1)
                          .arg(error->line)
                          .arg(error->column)
                          .arg(error->message);
    }
    // While a message does not parse, its variables are unknown: keep the last good set (plus
    // anything new elsewhere) instead of dropping inputs and their values.
    QList<TemplateVariable> variables = analysis.variables();
    if (analysis.firstErrorMessage() >= 0) {
        QList<TemplateVariable> kept = m_lastGoodVariables;
        for (const TemplateVariable &v : variables)
            if (std::none_of(kept.begin(), kept.end(),
                             [&](const TemplateVariable &k) { return k.name == v.name; }))
                kept.append(v);
        variables = kept;
    } else {
        m_lastGoodVariables = variables;
    }
    m_variables->setVariables(variables);
    QStringList names;
    for (const TemplateVariable &v : variables)
        names << v.name;
    m_controller.setTemplateVariables(names);
    m_controller.setVariableValues(m_variables->values());
    const nlohmann::json current = m_variables->values();
    QStringList unset;
    for (const TemplateVariable &v : variables) {
        const auto it = current.find(v.name.toStdString());
        if (it == current.end() || it->is_null()
            || (it->is_string() && it->get<std::string>().empty())
            || (it->is_array() && it->empty()))
            unset << v.name;
    }
    // New variables got default values: render once more with them (rare, and short).
    m_preview->setMessages(current == values ? rendered : analysis.render(current), unset);
    if (summary != m_errorSummary) {
        m_errorSummary = summary;
        Q_EMIT errorSummaryChanged(summary);
    }
}

} // namespace ts
