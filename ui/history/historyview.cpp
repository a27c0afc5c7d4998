#include "history/historyview.h"


#include "common/themecolors.h"
#include "history/diffview.h"
#include "history/historycontroller.h"
#include "history/labelbadgedelegate.h"
#include "history/labeldialog.h"
#include "history/versionlistmodel.h"

#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ts {

HistoryView::HistoryView(HistoryController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_hint = new QLabel(
        tr("Select a version to see what it changed; Ctrl+click a second one to compare the two."),
        this);
    QPalette muted = m_hint->palette();
    muted.setColor(QPalette::WindowText, ThemeColors::fromPalette(palette()).muted);
    m_hint->setPalette(muted);
    m_hint->setWordWrap(true);
    m_setLabel = new QPushButton(tr("Set Label…"), this);
    m_removeLabel = new QPushButton(tr("Remove Label…"), this);
    m_restore = new QPushButton(tr("Restore…"), this);
    m_restore->setToolTip(tr("Save this version's content as a new latest version"));
    bar->addWidget(m_hint, 1);
    bar->addWidget(m_setLabel);
    bar->addWidget(m_removeLabel);
    bar->addWidget(m_restore);
    layout->addLayout(bar);

    m_table = new QTableView(this);
    m_table->setModel(controller.model());
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setItemDelegateForColumn(
        VersionListModel::LabelsColumn,
        new LabelBadgeDelegate(VersionListModel::LabelsRole, m_table));
    m_table->verticalHeader()->hide();
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionResizeMode(VersionListModel::NoteColumn,
                                                      QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(VersionListModel::NumberColumn,
                                                      QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(VersionListModel::LabelsColumn,
                                                      QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(VersionListModel::AuthorColumn,
                                                      QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(VersionListModel::TimeColumn,
                                                      QHeaderView::ResizeToContents);

    m_diff = new DiffView(this);
    m_moves = new QTreeWidget(this);
    m_moves->setRootIsDecorated(false);
    m_moves->setHeaderLabels({tr("Label"), tr("Move"), tr("By"), tr("When")});
    m_generations = new QTreeWidget(this);
    m_generations->setRootIsDecorated(false);
    m_generations->setHeaderLabels({tr("When"), tr("Model"), tr("Status"), tr("Output")});
    m_side = new QTabWidget(this);
    m_side->setDocumentMode(true);
    m_side->addTab(m_moves, tr("Label history"));
    m_side->addTab(m_generations, tr("Generations"));
    m_usedBy = new QTreeWidget(this);
    m_usedBy->setRootIsDecorated(false);
    m_usedBy->setHeaderLabels({tr("Prompt"), tr("Version")});
    m_side->addTab(m_usedBy, tr("Used by"));
    m_side->setTabVisible(2, false);

    m_hsplit = new QSplitter(Qt::Horizontal, this);
    m_hsplit->addWidget(m_diff);
    m_hsplit->addWidget(m_side);
    m_hsplit->setStretchFactor(0, 3);
    m_hsplit->setStretchFactor(1, 2);
    m_hsplit->setChildrenCollapsible(false);
    m_vsplit = new QSplitter(Qt::Vertical, this);
    m_vsplit->addWidget(m_table);
    m_vsplit->addWidget(m_hsplit);
    m_vsplit->setStretchFactor(0, 1);
    m_vsplit->setStretchFactor(1, 2);
    m_vsplit->setChildrenCollapsible(false);
    layout->addWidget(m_vsplit, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HistoryView::updateDiff);
    connect(&controller, &HistoryController::versionsLoaded, this, [this] {
        updateMoves();
        if (m_controller.model()->rowCount() > 0 && selectedVersions().isEmpty())
            m_table->selectRow(0);
        updateDiff();
    });
    connect(&controller, &HistoryController::loadingStarted, this, &HistoryView::updateDiff);
    connect(&controller, &HistoryController::generationsLoaded, this,
            &HistoryView::showGenerations);
    connect(&controller, &HistoryController::generationsAppended, this,
            &HistoryView::appendGenerations);
    connect(&controller, &HistoryController::generationCountKnown, this,
            [this](int number, qint64 count) {
                if (number != m_generationsOf)
                    return;
                m_generationTotal = count;
                updateGenerationsTab();
            });
    // Pages of 200 as the list scrolls to its end.
    connect(m_generations->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (value >= m_generations->verticalScrollBar()->maximum() - 4
            && m_controller.hasMoreGenerations())
            m_controller.loadMoreGenerations();
    });
    connect(m_restore, &QPushButton::clicked, this, &HistoryView::restoreSelected);
    connect(m_setLabel, &QPushButton::clicked, this, &HistoryView::setLabelOnSelected);
    connect(m_removeLabel, &QPushButton::clicked, this, &HistoryView::removeLabelFromSelected);
    updateDiff();
}

QList<int> HistoryView::selectedVersions() const
{
    QList<int> numbers;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        numbers << index.data(VersionListModel::NumberRole).toInt();
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

void HistoryView::selectVersions(const QList<int> &numbers)
{
    QItemSelection selection;
    for (int n : numbers) {
        const int row = m_controller.model()->rowOf(n);
        if (row >= 0)
            selection.select(m_controller.model()->index(row, 0),
                             m_controller.model()->index(row, VersionListModel::ColumnCount - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void HistoryView::updateDiff()
{
    const QList<int> selected = selectedVersions();
    const bool one = selected.size() == 1;
    m_restore->setEnabled(one);
    m_setLabel->setEnabled(one);
    m_removeLabel->setEnabled(one && !m_controller.model()->version(selected[0])->labels.isEmpty());
    if (m_controller.model()->rowCount() == 0) {
        m_diff->setPlaceholder(m_controller.isLoading()
                                   ? tr("Loading versions…")
                                   : tr("No versions yet. Edit the prompt and press Ctrl+S to "
                                        "save version 1."));
        m_generations->clear();
        m_generationsOf = 0;
        return;
    }
    if (selected.isEmpty()) {
        m_diff->setPlaceholder(tr("Select a version above to see what it changed."));
        return;
    }
    if (selected.size() > 2) {
        m_diff->setPlaceholder(tr("Select one or two versions to compare."));
        return;
    }
    const auto diff = one ? m_controller.diffWithParent(selected[0])
                          : m_controller.diff(selected[0], selected[1]);
    if (diff)
        m_diff->setDiff(*diff);
    requestGenerations(selected.last());
    updateUsedBy();
}

void HistoryView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    const QList<int> selected = selectedVersions();
    if (!selected.isEmpty())
        requestGenerations(selected.last());
}

void HistoryView::requestGenerations(int number)
{
    // Another version: say it is loading rather than keep the previous one's rows (or show a
    // false "not run yet"). The same version again keeps its rows until the new page arrives.
    if (number != m_generationsOf) {
        m_generationsOf = number;
        m_generationRows = 0;
        m_generationTotal.reset();
        m_generations->clear();
        auto *item = new QTreeWidgetItem(m_generations, {tr("Loading…")});
        item->setFirstColumnSpanned(true);
        item->setFlags(Qt::NoItemFlags);
        updateGenerationsTab();
    }
    m_controller.loadGenerations(number);
}

void HistoryView::updateGenerationsTab()
{
    const QLocale locale;
    QString text = tr("Generations");
    if (m_generationTotal && *m_generationTotal > m_generationRows)
        text = tr("Generations (%1 of %2)")
                   .arg(locale.toString(m_generationRows), locale.toString(*m_generationTotal));
    else if (m_generationRows > 0)
        text = tr("Generations (%1)").arg(locale.toString(m_generationRows));
    m_side->setTabText(1, text);
}

void HistoryView::appendGenerations(int number, const QList<GenerationSummary> &rows)
{
    if (number != m_generationsOf)
        return;
    for (const GenerationSummary &g : rows)
        new QTreeWidgetItem(
            m_generations,
            {VersionListModel::displayTime(g.createdAt), g.model, g.status, g.excerpt});
    m_generationRows += int(rows.size());
    updateGenerationsTab();
}

void HistoryView::updateUsedBy()
{
    // Snippets: which prompt versions render with the selected version (their lineage).
    const QList<int> selected = selectedVersions();
    const PromptVersion *v
        = selected.isEmpty() ? nullptr : m_controller.model()->version(selected.last());
    const bool snippet = v && v->content.messages.size() == 1
        && v->content.messages.first().role == QLatin1String(snippetRole);
    m_side->setTabVisible(1, !snippet);
    m_side->setTabVisible(2, snippet);
    if (snippet && !m_showingSnippet)
        m_side->setCurrentIndex(2); // a snippet's lineage is what its History is for
    m_showingSnippet = snippet;
    if (!snippet)
        return;
    m_usedBy->clear();
    const auto users = m_controller.usedBy(v->number);
    for (const auto &[name, number] : users)
        new QTreeWidgetItem(m_usedBy, {name, tr("v%1").arg(number)});
    if (users.isEmpty()) {
        auto *item = new QTreeWidgetItem(m_usedBy,
                                         {tr("No prompt version renders with version %1. Write {{> "
                                             "%2}} in a prompt and save it.")
                                              .arg(v->number)
                                              .arg(v->promptName)});
        item->setFirstColumnSpanned(true);
        item->setFlags(Qt::NoItemFlags);
    }
    m_side->setTabText(2, users.isEmpty() ? tr("Used by") : tr("Used by (%1)").arg(users.size()));
}

void HistoryView::updateMoves()
{
    m_moves->clear();
    for (const LabelMove &m : m_controller.labelMoves()) {
        QString move;
        if (!m.toVersion)
            move = tr("removed from v%1").arg(m.fromVersion.value_or(0));
        else if (m.fromVersion)
            move = tr("v%1 → v%2").arg(*m.fromVersion).arg(*m.toVersion);
        else
            move = tr("set on v%1").arg(*m.toVersion);
        new QTreeWidgetItem(m_moves,
                            {m.label, move, m.author, VersionListModel::displayTime(m.movedAt)});
    }
    if (m_controller.labelMoves().isEmpty()) {
        auto *item = new QTreeWidgetItem(
            m_moves, {tr("No labels yet. Select a version and use Set Label…")});
        item->setFirstColumnSpanned(true);
        item->setFlags(Qt::NoItemFlags);
    }
    for (int c = 0; c < m_moves->columnCount(); ++c)
        m_moves->resizeColumnToContents(c);
}

void HistoryView::showGenerations(int number, const QList<GenerationSummary> &rows)
{
    const QList<int> selected = selectedVersions();
    if (selected.isEmpty() || selected.last() != number)
        return;
    m_generationsOf = number;
    m_generationRows = int(rows.size());
    m_generations->clear();
    for (const GenerationSummary &g : rows)
        new QTreeWidgetItem(
            m_generations,
            {VersionListModel::displayTime(g.createdAt), g.model, g.status, g.excerpt});
    if (rows.isEmpty()) {
        auto *item = new QTreeWidgetItem(
            m_generations,
            {tr("Version %1 has not been run yet. Runs from the playground and evals appear here.")
                 .arg(number)});
        item->setFirstColumnSpanned(true);
        item->setFlags(Qt::NoItemFlags);
    }
    updateGenerationsTab();
}

void HistoryView::restoreSelected()
{
    const QList<int> selected = selectedVersions();
    if (selected.size() != 1)
        return;
    const auto answer = QMessageBox::question(
        this, tr("Restore Version %1").arg(selected[0]),
        tr("Save the content of version %1 as a new latest version?\n\n"
           "History is kept: nothing is deleted. Unsaved edits in the editor are replaced.")
            .arg(selected[0]),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
    if (answer == QMessageBox::Yes)
        m_controller.restore(selected[0]);
}

void HistoryView::setLabelOnSelected()
{
    const QList<int> selected = selectedVersions();
    QList<int> numbers;
    for (const PromptVersion &v : m_controller.model()->versions())
        numbers << v.number;
    LabelDialog dialog(m_controller.model()->allLabels(), numbers, selected.value(0), this);
    if (dialog.exec() == QDialog::Accepted)
        m_controller.setLabel(dialog.label(), dialog.version());
}

void HistoryView::removeLabelFromSelected()
{
    const QList<int> selected = selectedVersions();
    if (selected.size() != 1)
        return;
    const QStringList labels = m_controller.model()->version(selected[0])->labels;
    if (labels.isEmpty())
        return;
    bool ok = true;
    const QString label = labels.size() == 1
        ? labels[0]
        : QInputDialog::getItem(this, tr("Remove Label"), tr("Label to remove:"), labels, 0, false,
                                &ok);
    if (!ok)
        return;
    if (QMessageBox::question(
            this, tr("Remove Label"),
            tr("Remove the label “%1” from version %2?").arg(label).arg(selected[0]))
        == QMessageBox::Yes)
        m_controller.removeLabel(label);
}

} // namespace ts
