#include "prompts/prompteditor.h"

#include "common/jsonedit.h"
#include "common/messagebar.h"
#include "common/themecolors.h"
#include "prompts/messageeditor.h"
#include "prompts/parameterspanel.h"
#include "prompts/previewpane.h"
#include "prompts/promptscontroller.h"
#include "prompts/templateanalysis.h"
#include "prompts/templatetextedit.h"
#include "prompts/variablespanel.h"

#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace ts {

PromptEditor::PromptEditor(PromptsController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_empty = new QLabel(tr("Select a prompt on the left, or create one with File ▸ New Prompt (Ctrl+N)."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    layout->addWidget(m_empty, 1);

    m_body = new QWidget(this);
    auto *body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(m_body);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_subtitle = new QLabel(m_body);
    QPalette muted = m_subtitle->palette();
    muted.setColor(QPalette::WindowText, ThemeColors::fromPalette(palette()).muted);
    m_subtitle->setPalette(muted);
    m_note = new MessageBar(m_body);
    body->addWidget(m_title);
    body->addWidget(m_subtitle);
    body->addWidget(m_note);

    // Messages, one editor each, in a scrolling column.
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *column = new QWidget;
    m_messagesLayout = new QVBoxLayout(column);
    m_messagesLayout->setContentsMargins(0, 0, 0, 0);
    auto *add = new QToolButton(column);
    add->setText(tr("Add message"));
    add->setToolButtonStyle(Qt::ToolButtonTextOnly);
    add->setPopupMode(QToolButton::MenuButtonPopup);
    auto *menu = new QMenu(add);
    for (const auto &[role, label] : {std::pair{QStringLiteral("system"), tr("System message")},
                                      std::pair{QStringLiteral("user"), tr("User turn")},
                                      std::pair{QStringLiteral("assistant"), tr("Assistant turn (few-shot answer)")}})
        connect(menu->addAction(label), &QAction::triggered, this, [this, r = role] { addMessage(r); });
    add->setMenu(menu);
    connect(add, &QToolButton::clicked, this, [this] {
        // Alternate turns: after a user turn the natural next one is the assistant's answer.
        const bool afterUser = !m_editors.isEmpty() && m_editors.last()->message().role == QLatin1String("user");
        addMessage(afterUser ? QStringLiteral("assistant") : QStringLiteral("user"));
    });
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(add);
    addRow->addStretch(1);
    m_messagesLayout->addLayout(addRow);
    m_messagesLayout->addStretch(1);
    scroll->setWidget(column);

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
    m_sideTabs->addTab(paramsScroll, tr("Parameters"));

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
    connect(m_variables, &VariablesPanel::valuesEdited, this, [this] {
        m_controller.setVariableValues(m_variables->values());
        m_analysisTimer.start();
    });
    connect(&m_controller, &PromptsController::promptLoaded, this, &PromptEditor::loadFromController);
    connect(&m_controller, &PromptsController::promptCleared, this, [this] {
        m_body->hide();
        m_empty->show();
    });
    auto updateSubtitle = [this] {
        const auto base = m_controller.baseVersion();
        QString text = base ? tr("Latest version %1").arg(*base) : tr("No saved version yet");
        if (const QString d = m_controller.currentPromptDescription(); !d.isEmpty())
            text = d + QStringLiteral(" · ") + text;
        if (m_controller.isDirty())
            text += tr(" · unsaved changes — Ctrl+S saves a new version");
        m_subtitle->setText(text);
    };
    connect(&m_controller, &PromptsController::dirtyChanged, this, updateSubtitle);
    connect(&m_controller, &PromptsController::versionSaved, this, updateSubtitle);
    connect(&m_controller, &PromptsController::promptLoaded, this, updateSubtitle);
}

void PromptEditor::loadFromController()
{
    const PromptContent &content = m_controller.content();
    m_loading = true;
    m_title->setText(m_controller.currentPromptName());
    if (m_controller.draftNote().isEmpty())
        m_note->clear();
    else
        m_note->showMessage(MessageBar::Kind::Info, m_controller.draftNote());
    setMessages(content.messages);
    m_parameters->setParameters(content.params, content.responseSchema);
    m_tools = content.tools;
    m_loading = false;
    m_empty->hide();
    m_body->show();
    m_variables->setValues(m_controller.variableValues());
    analyze();
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
    for (int i = 0; i < messages.size(); ++i) {
        m_editors[i]->setMessage(messages[i]);
        m_editors[i]->setPosition(i, int(messages.size()));
    }
    m_loading = wasLoading;
}

void PromptEditor::addMessage(const QString &role)
{
    QList<PromptMessage> messages = collectContent().messages;
    messages.append({role, QString()});
    setMessages(messages);
    m_editors.last()->textEdit()->setFocus();
    contentEdited();
}

void PromptEditor::moveMessage(int from, int to)
{
    QList<PromptMessage> messages = collectContent().messages;
    if (from < 0 || to < 0 || from >= messages.size() || to >= messages.size())
        return;
    messages.move(from, to);
    setMessages(messages);
    m_editors[to]->textEdit()->setFocus();
    contentEdited();
}

void PromptEditor::removeMessage(int index)
{
    QList<PromptMessage> messages = collectContent().messages;
    if (index < 0 || index >= messages.size())
        return;
    messages.removeAt(index);
    setMessages(messages);
    contentEdited();
}

PromptContent PromptEditor::collectContent() const
{
    PromptContent content;
    for (const MessageEditor *e : m_editors)
        content.messages.append(e->message());
    content.params = m_parameters->parameters();
    content.responseSchema = m_parameters->responseSchema();
    content.tools = m_tools;
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
    analyze();
}

QString PromptEditor::blockingProblem() const
{
    const QString schema = m_parameters->schemaProblem();
    return schema.isEmpty() ? QString() : tr("The response schema is not valid: %1").arg(schema);
}

void PromptEditor::analyze()
{
    m_analysisTimer.stop();
    const PromptContent content = collectContent();
    const TemplateAnalysis analysis = TemplateAnalysis::analyze(content.messages);
    QString summary;
    for (int i = 0; i < m_editors.size() && i < analysis.errors().size(); ++i) {
        const auto &error = analysis.errors()[i];
        m_editors[i]->setTemplateError(error);
        if (error && summary.isEmpty())
            summary = tr("Message %1, line %2, column %3: %4")
                          .arg(i + 1).arg(error->line).arg(error->column).arg(error->message);
    }
    m_variables->setVariables(analysis.variables());
    m_controller.setVariableValues(m_variables->values());
    const nlohmann::json values = m_variables->values();
    QStringList unset;
    for (const TemplateVariable &v : analysis.variables()) {
        const auto it = values.find(v.name.toStdString());
        if (it == values.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())
            || (it->is_array() && it->empty()))
            unset << v.name;
    }
    m_preview->setMessages(analysis.render(values), unset);
    if (summary != m_errorSummary) {
        m_errorSummary = summary;
        Q_EMIT errorSummaryChanged(summary);
    }
}

} // namespace ts
