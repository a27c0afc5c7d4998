#include "evals/datasetsview.h"

#include "common/designsystem.h"
#include "common/messagebar.h"
#include "evals/assertionspanel.h"
#include "evals/casetablemodel.h"
#include "evals/counted.h"
#include "evals/datasetscontroller.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace ts {

DatasetsView::DatasetsView(DatasetsController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    m_messages = new MessageBar(this);
    outer->addWidget(m_messages);

    m_split = new QSplitter(Qt::Horizontal, this);
    outer->addWidget(m_split, 1);

    // Left: datasets.
    auto *left = new QWidget(m_split);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(new QLabel(tr("<b>Datasets</b>"), left));
    m_datasets = new QListWidget(left);
    leftLayout->addWidget(m_datasets, 1);
    auto *leftButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("New…"), left);
    m_rename = new QPushButton(tr("Rename…"), left);
    m_delete = new QPushButton(tr("Delete"), left);
    leftButtons->addWidget(add);
    leftButtons->addWidget(m_rename);
    leftButtons->addWidget(m_delete);
    leftLayout->addLayout(leftButtons);

    // Centre: the cases.
    auto *centre = new QWidget(m_split);
    auto *centreLayout = new QVBoxLayout(centre);
    auto *bar = new QToolBar(centre);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_addAction = bar->addAction(tr("Add case"), this, &DatasetsView::addCase);
    m_duplicateAction = bar->addAction(tr("Duplicate"), this, &DatasetsView::duplicateCase);
    m_deleteAction = bar->addAction(tr("Delete"), this, &DatasetsView::deleteSelectedCases);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    bar->addSeparator();
    m_importAction = bar->addAction(tr("Import…"), this, &DatasetsView::importCases);
    m_exportAction = bar->addAction(tr("Export…"), this, &DatasetsView::exportCases);
    bar->addSeparator();
    // The section binds its own keys (a text field being edited keeps its own undo).
    m_undoAction = controller.undoStack()->createUndoAction(this, tr("Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_undoAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_redoAction = controller.undoStack()->createRedoAction(this, tr("Redo"));
    // Ctrl+Shift+Z everywhere, plus the platform's own key (Ctrl+Y on Windows).
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)))
        redoKeys.prepend(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    m_redoAction->setShortcuts(redoKeys);
    m_redoAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_undoAction);
    addAction(m_redoAction);
    addAction(m_deleteAction);
    bar->addAction(m_undoAction);
    bar->addAction(m_redoAction);
    centreLayout->addWidget(bar);

    m_progressPanel = new QWidget(centre);
    auto *progress = new QHBoxLayout(m_progressPanel);
    progress->setContentsMargins(0, 0, 0, 0);
    m_progressLabel = new QLabel(m_progressPanel);
    m_progressBar = new QProgressBar(m_progressPanel);
    m_progressBar->setTextVisible(false);
    m_progressBar->setMaximumHeight(m_progressLabel->fontMetrics().height());
    m_cancelImport = new QPushButton(tr("Cancel"), m_progressPanel);
    m_cancelImport->setToolTip(tr("Stop the import; the dataset stays as it was"));
    progress->addWidget(m_progressLabel);
    progress->addWidget(m_progressBar, 1);
    progress->addWidget(m_cancelImport);
    m_progressPanel->hide();
    centreLayout->addWidget(m_progressPanel);
    m_caseStatus = new QLabel(centre);
    design::setTextRole(m_caseStatus, design::TextRole::Secondary);
    m_caseStatus->hide();
    centreLayout->addWidget(m_caseStatus);
    m_table = new QTableView(centre);
    m_table->setModel(controller.caseModel());
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                             | QAbstractItemView::AnyKeyPressed);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultSectionSize(160);
    // Column widths follow the rows on screen, not every loaded row (a page is 200).
    m_table->horizontalHeader()->setResizeContentsPrecision(0);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    centreLayout->addWidget(m_table, 1);
    auto *hint = new QLabel(tr("Double-click a cell to edit. Lists and objects are JSON, e.g. "
                               "[\"Returns within 30 days\"]."),
                            centre);
    design::setTextRole(hint, design::TextRole::Secondary);
    centreLayout->addWidget(hint);

    // Right: assertions.
    auto *right = new QWidget(m_split);
    auto *rightLayout = new QVBoxLayout(right);
    m_assertions = new AssertionsPanel(controller, right);
    rightLayout->addWidget(m_assertions);

    m_split->addWidget(left);
    m_split->addWidget(centre);
    m_split->addWidget(right);
    m_split->setStretchFactor(1, 1);
    m_split->setSizes({200, 780, 400});

    connect(add, &QPushButton::clicked, this, &DatasetsView::newDataset);
    connect(m_rename, &QPushButton::clicked, this, &DatasetsView::renameDataset);
    connect(m_delete, &QPushButton::clicked, this, &DatasetsView::deleteDataset);
    connect(m_datasets, &QListWidget::currentRowChanged, this, [this](int row) {
        if (m_rebuilding || row < 0 || row >= m_controller.datasets().size())
            return;
        const qint64 id = m_controller.datasets()[row].id;
        if (id != m_controller.currentDatasetId())
            m_controller.selectDataset(id);
    });
    connect(m_cancelImport, &QPushButton::clicked, &controller, &DatasetsController::cancelImport);
    connect(&controller, &DatasetsController::importProgress, this,
            &DatasetsView::showImportProgress);
    connect(&controller, &DatasetsController::importFinished, this, [this] {
        m_progressPanel->hide();
        updateActions();
    });
    connect(&controller, &DatasetsController::datasetsChanged, this,
            &DatasetsView::rebuildDatasetList);
    connect(&controller, &DatasetsController::datasetSelected, this,
            &DatasetsView::rebuildDatasetList);
    connect(&controller, &DatasetsController::errorOccurred, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Error, message);
    });
    connect(&controller, &DatasetsController::notice, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Info, message);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DatasetsView::currentCaseChanged);
    CaseTableModel *model = controller.caseModel();
    connect(model, &CaseTableModel::loadingChanged, this, &DatasetsView::updateCaseStatus);
    connect(model, &QAbstractItemModel::modelReset, this, &DatasetsView::updateCaseStatus);
    connect(model, &QAbstractItemModel::rowsInserted, this, &DatasetsView::updateCaseStatus);
    connect(&controller, &DatasetsController::casesLoaded, this, [this] {
        m_table->resizeColumnsToContents();
        for (int c = 0; c < m_table->model()->columnCount(); ++c)
            m_table->setColumnWidth(c, qBound(80, m_table->columnWidth(c), 320));
        currentCaseChanged();
    });
    rebuildDatasetList();
}

void DatasetsView::rebuildDatasetList()
{
    m_rebuilding = true;
    m_datasets->clear();
    int current = -1;
    const auto &list = m_controller.datasets();
    for (int i = 0; i < list.size(); ++i) {
        auto *item = new QListWidgetItem(
            QStringLiteral("%1  (%2)")
                .arg(list[i].name, counted(list[i].caseCount, tr("case"), tr("cases"))),
            m_datasets);
        item->setToolTip(list[i].description);
        if (list[i].id == m_controller.currentDatasetId())
            current = i;
    }
    m_datasets->setCurrentRow(current);
    m_rebuilding = false;
    m_rename->setEnabled(current >= 0);
    m_delete->setEnabled(current >= 0);
    updateActions();
}

void DatasetsView::updateActions()
{
    // Offer only what can work: every case action needs a selected dataset.
    const bool dataset = m_controller.currentDataset().has_value();
    m_addAction->setEnabled(dataset);
    m_duplicateAction->setEnabled(dataset);
    m_deleteAction->setEnabled(dataset);
    m_importAction->setEnabled(dataset && !m_controller.isImporting());
    m_exportAction->setEnabled(dataset);
    const QString why = tr("Create a dataset first (New… on the left)");
    m_importAction->setToolTip(dataset ? tr("Add test cases from a .csv or .jsonl file") : why);
}

void DatasetsView::showImportProgress(const QString &fileName, int done, int total)
{
    m_progressPanel->show();
    m_importAction->setEnabled(false);
    if (total <= 0) {
        m_progressLabel->setText(tr("Reading %1…").arg(fileName));
        m_progressBar->setRange(0, 0); // busy until the rows are counted
        return;
    }
    m_progressLabel->setText(
        tr("Importing %1: %2 of %3 rows")
            .arg(fileName, QLocale().toString(done), QLocale().toString(total)));
    m_progressBar->setRange(0, total);
    m_progressBar->setValue(done);
}

void DatasetsView::currentCaseChanged()
{
    const int row = m_table->currentIndex().row();
    const TestCase *c = m_controller.caseModel()->caseAt(row);
    m_assertions->setCurrentCase(c ? std::optional<qint64>(c->id) : std::nullopt, row);
}

QList<qint64> DatasetsView::selectedCaseIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        if (const TestCase *c = m_controller.caseModel()->caseAt(index.row()))
            ids << c->id;
    if (ids.isEmpty())
        if (const TestCase *c = m_controller.caseModel()->caseAt(m_table->currentIndex().row()))
            ids << c->id;
    return ids;
}

void DatasetsView::newDataset()
{
    bool ok = false;
    const QString name
        = QInputDialog::getText(this, tr("New Dataset"), tr("Name:"), QLineEdit::Normal, {}, &ok);
    if (ok && !name.trimmed().isEmpty())
        m_controller.createDataset(name.trimmed());
}

void DatasetsView::renameDataset()
{
    const auto current = m_controller.currentDataset();
    if (!current)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename Dataset"), tr("Name:"),
                                               QLineEdit::Normal, current->name, &ok);
    if (ok && !name.trimmed().isEmpty() && name.trimmed() != current->name)
        m_controller.renameDataset(current->id, name.trimmed());
}

void DatasetsView::deleteDataset()
{
    const auto current = m_controller.currentDataset();
    if (!current)
        return;
    const auto answer = QMessageBox::question(
        this, tr("Delete Dataset"),
        tr("Delete \"%1\" with its %2 and their assertions? Eval results keep their outputs.")
            .arg(current->name, counted(current->caseCount, tr("test case"), tr("test cases"))));
    if (answer == QMessageBox::Yes)
        m_controller.deleteDataset(current->id);
}

void DatasetsView::importCases()
{
    if (!m_controller.currentDataset()) {
        // Asked before a file is picked: a file chosen now could go nowhere.
        m_messages->showMessage(MessageBar::Kind::Info,
                                tr("Create a dataset first (New… on the left), then import test "
                                   "cases into it."));
        return;
    }
    if (m_controller.isImporting())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Test Cases"), {}, tr("Test cases (*.csv *.jsonl);;All files (*)"));
    if (!path.isEmpty())
        m_controller.importFile(path);
}

void DatasetsView::exportCases()
{
    const auto current = m_controller.currentDataset();
    if (!current)
        return;
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Test Cases"), current->name + QStringLiteral(".csv"),
        tr("CSV (*.csv);;JSON Lines (*.jsonl)"), &filter);
    if (path.isEmpty())
        return;
    const bool jsonl = path.endsWith(QStringLiteral(".jsonl"), Qt::CaseInsensitive)
        || filter.contains(QStringLiteral("jsonl"));
    m_controller.exportFile(path, jsonl ? ExportFormat::Jsonl : ExportFormat::Csv);
}

void DatasetsView::addCase()
{
    m_controller.addCase();
}

void DatasetsView::duplicateCase()
{
    const auto ids = selectedCaseIds();
    if (ids.size() > 1)
        m_controller.undoStack()->beginMacro(tr("Duplicate %1 cases").arg(ids.size()));
    for (qint64 id : ids)
        m_controller.duplicateCase(id);
    if (ids.size() > 1)
        m_controller.undoStack()->endMacro();
}

void DatasetsView::deleteSelectedCases()
{
    const auto ids = selectedCaseIds();
    if (ids.isEmpty())
        return;
    // No question: Undo brings them back (with their assertions and eval links).
    m_controller.deleteCases(ids);
    m_messages->showMessage(
        MessageBar::Kind::Info,
        (ids.size() == 1 ? tr("Deleted %1. %2 brings it back.")
                         : tr("Deleted %1. %2 brings them back."))
            .arg(counted(ids.size(), tr("test case"), tr("test cases")),
                 QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText)));
}

void DatasetsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Other sections add cases (the playground's "add as test case"): show what is stored.
    m_controller.setViewVisible(true);
    m_controller.reload();
}

void DatasetsView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_controller.setViewVisible(false);
}

void DatasetsView::updateCaseStatus()
{
    const CaseTableModel *model = m_controller.caseModel();
    if (model->isLoading()) {
        m_caseStatus->setText(tr("Loading…"));
        m_caseStatus->show();
        return;
    }
    const int loaded = model->rowCount();
    const int total = model->totalCount();
    m_caseStatus->setVisible(loaded < total);
    if (loaded < total)
        m_caseStatus->setText(tr("Showing %1 of %2 cases; scroll down for more.")
                                  .arg(QLocale().toString(loaded), QLocale().toString(total)));
}

} // namespace ts
