#include "prompts/promptssection.h"

#include "common/designsystem.h"
#include "common/projectsession.h"
#include "history/historyview.h"
#include "prompts/prompteditor.h"
#include "prompts/promptfilterproxy.h"
#include "prompts/promptitemdelegate.h"
#include "prompts/promptlistmodel.h"
#include "prompts/promptscontroller.h"

#include <QAction>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace ts {

PromptsSection::PromptsSection(PromptsController &prompts, HistoryController &history,
                               QWidget *parent)
    : QWidget(parent)
    , m_prompts(prompts)
{
    auto *layout = new QHBoxLayout(this);
    // The same breathing room as the banner above and the other sections.
    layout->setContentsMargins(design::space::s, design::space::xs, design::space::s,
                               design::space::s);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_search = new QLineEdit(left);
    m_search->setPlaceholderText(tr("Search prompts and snippets"));
    m_search->setClearButtonEnabled(true);
    m_proxy = new PromptFilterProxy(this);
    m_proxy->setSourceModel(prompts.listModel());
    m_list = new QListView(left);
    m_list->setModel(m_proxy);
    m_list->setItemDelegate(new PromptItemDelegate(m_list));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setUniformItemSizes(false); // the first snippet row carries the "Snippets" heading
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    auto *buttons = new QHBoxLayout;
    m_new = new QPushButton(tr("New Prompt…"), left);
    m_newSnippet = new QPushButton(tr("New Snippet…"), left);
    m_newSnippet->setToolTip(
        tr("Shared text that prompts include with {{> name}}, versioned like a prompt"));
    m_delete = new QPushButton(tr("Delete…"), left);
    m_delete->setEnabled(false);
    buttons->addWidget(m_new);
    buttons->addWidget(m_newSnippet);
    buttons->addStretch(1);
    buttons->addWidget(m_delete);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_list, 1);
    leftLayout->addLayout(buttons);

    m_editorPage = new QWidget(this);
    auto *editorLayout = new QVBoxLayout(m_editorPage);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    m_editor = new PromptEditor(prompts, m_editorPage);
    editorLayout->addWidget(m_editor);
    m_history = new HistoryView(history, this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(m_editorPage, tr("Editor"));
    m_tabs->addTab(m_history, tr("History"));

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->addWidget(left);
    m_split->addWidget(m_tabs);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    m_split->setChildrenCollapsible(false);
    m_split->setSizes(
        {fontMetrics().averageCharWidth() * 36, fontMetrics().averageCharWidth() * 160});
    layout->addWidget(m_split);

    connect(m_search, &QLineEdit::textChanged, m_proxy, &PromptFilterProxy::setSearchText);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                m_delete->setEnabled(current.isValid());
                if (current.isValid())
                    m_prompts.selectPrompt(current.data(PromptListModel::IdRole).toLongLong());
            });
    connect(&prompts, &PromptsController::promptsRefreshed, this,
            &PromptsSection::selectCurrentInList);
    connect(&prompts, &PromptsController::promptLoaded, this, &PromptsSection::selectCurrentInList);
    connect(m_new, &QPushButton::clicked, this, &PromptsSection::newPrompt);
    connect(m_newSnippet, &QPushButton::clicked, this, &PromptsSection::newSnippet);
    connect(m_editor, &PromptEditor::renameRequested, this, &PromptsSection::renameSelected);
    connect(m_editor, &PromptEditor::discardRequested, this, &PromptsSection::discardChanges);
    // New Prompt/Snippet are offered only when they can work: with a project open.
    auto updateEnabled = [this] {
        const bool open = m_prompts.session().hasProject();
        m_new->setEnabled(open);
        m_newSnippet->setEnabled(open);
        m_search->setEnabled(open);
    };
    connect(&prompts.session(), &ProjectSession::projectOpened, this, updateEnabled);
    connect(&prompts.session(), &ProjectSession::projectClosed, this, updateEnabled);
    updateEnabled();
    auto *rename = new QAction(tr("Rename…"), this);
    rename->setShortcut(Qt::Key_F2);
    rename->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(rename, &QAction::triggered, this, &PromptsSection::renameSelected);
    m_list->addAction(rename);
    connect(m_list, &QListView::customContextMenuRequested, this,
            [this, rename](const QPoint &pos) {
                if (!m_list->indexAt(pos).isValid())
                    return;
                QMenu menu(this);
                menu.addAction(rename);
                menu.addAction(tr("Delete…"), this, &PromptsSection::deleteSelected);
                menu.exec(m_list->viewport()->mapToGlobal(pos));
            });
    connect(m_delete, &QPushButton::clicked, this, &PromptsSection::deleteSelected);
    connect(m_editor, &PromptEditor::errorSummaryChanged, this, &PromptsSection::statusMessage);
}

void PromptsSection::selectCurrentInList()
{
    const int row = m_prompts.listModel()->rowOf(m_prompts.currentPromptId());
    const QModelIndex index = m_proxy->mapFromSource(m_prompts.listModel()->index(row, 0));
    if (row >= 0 && index.isValid() && m_list->currentIndex() != index) {
        QSignalBlocker block(m_list->selectionModel());
        m_list->setCurrentIndex(index);
        m_list->viewport()->update();
        m_delete->setEnabled(true);
    }
}

void PromptsSection::showEditor()
{
    reclaimEditor();
    m_tabs->setCurrentWidget(m_editorPage);
}

void PromptsSection::reclaimEditor()
{
    if (m_editor->parentWidget() == m_editorPage)
        return;
    m_editorPage->layout()->addWidget(m_editor);
    m_editor->setCompact(false);
    m_editor->show();
}

void PromptsSection::showEvent(QShowEvent *event)
{
    reclaimEditor();
    QWidget::showEvent(event);
}

void PromptsSection::showHistory()
{
    m_tabs->setCurrentWidget(m_history);
}

bool PromptsSection::requireProject()
{
    if (m_prompts.session().hasProject())
        return true;
    Q_EMIT statusMessage(
        tr("Open or create a project first (File menu): prompts live in a project."));
    return false;
}

void PromptsSection::newPrompt()
{
    if (!requireProject())
        return;
    bool ok = false;
    const QString name
        = QInputDialog::getText(this, tr("New Prompt"), tr("Name (letters, digits, - _ . /):"),
                                QLineEdit::Normal, QString(), &ok)
              .trimmed();
    if (ok && !name.isEmpty())
        m_prompts.createPrompt(name);
}

void PromptsSection::newSnippet()
{
    if (!requireProject())
        return;
    bool ok = false;
    const QString name
        = QInputDialog::getText(
              this, tr("New Snippet"),
              tr("Name (letters, digits, - _ . /); prompts include it with {{> name}}:"),
              QLineEdit::Normal, QString(), &ok)
              .trimmed();
    if (ok && !name.isEmpty())
        m_prompts.createSnippet(name);
}

void PromptsSection::renameSelected()
{
    const QModelIndex index = m_list->currentIndex();
    if (!index.isValid())
        return;
    const QString old = index.data(PromptListModel::NameRole).toString();
    const bool snippet = index.data(PromptListModel::SnippetRole).toBool();
    bool ok = false;
    const QString name
        = QInputDialog::getText(
              this, snippet ? tr("Rename Snippet") : tr("Rename Prompt"),
              snippet ? tr("New name for “%1” (prompts that use it must be edited first):").arg(old)
                      : tr("New name for “%1” (versions, labels and runs stay with it):").arg(old),
              QLineEdit::Normal, old, &ok)
              .trimmed();
    if (ok && !name.isEmpty() && name != old)
        m_prompts.renamePrompt(index.data(PromptListModel::IdRole).toLongLong(), name);
}

void PromptsSection::discardChanges()
{
    if (!m_prompts.isDirty())
        return;
    const auto answer
        = QMessageBox::question(this, tr("Discard Changes"),
                                tr("Drop the unsaved changes to “%1” and go back to version %2?")
                                    .arg(m_prompts.currentPromptName())
                                    .arg(m_prompts.baseVersion().value_or(0)),
                                QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Discard)
        m_prompts.discardDraft();
}

void PromptsSection::deleteSelected()
{
    const QModelIndex index = m_list->currentIndex();
    if (!index.isValid())
        return;
    const QString name = index.data(PromptListModel::NameRole).toString();
    const int versions = index.data(PromptListModel::VersionCountRole).toInt();
    const bool snippet = index.data(PromptListModel::SnippetRole).toBool();
    const auto answer = QMessageBox::warning(
        this, snippet ? tr("Delete Snippet") : tr("Delete Prompt"),
        tr("Delete “%1” with its %n version(s), labels and draft? This cannot be undone.", nullptr,
           versions)
            .arg(name),
        QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Discard)
        m_prompts.deletePrompt(index.data(PromptListModel::IdRole).toLongLong());
}

void PromptsSection::saveVersion()
{
    if (!m_prompts.currentPromptId()) {
        Q_EMIT statusMessage(tr("Select a prompt to save"));
        return;
    }
    if (const QString problem = m_editor->blockingProblem(); !problem.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot Save"), problem);
        return;
    }
    if (!m_prompts.isDirty()) {
        Q_EMIT m_prompts.notice(tr("No changes to save"));
        return;
    }
    const int next = m_prompts.baseVersion().value_or(0) + 1;
    bool ok = false;
    const QString note = QInputDialog::getText(this, tr("Save Version %1").arg(next),
                                               tr("What changed? (a short note for the history)"),
                                               QLineEdit::Normal, QString(), &ok);
    if (ok)
        m_prompts.saveVersion(note.trimmed());
}

} // namespace ts
