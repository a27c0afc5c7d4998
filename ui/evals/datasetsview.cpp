#include "evals/datasetsview.h"

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
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
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
    bar->addAction(tr("Add case"), this, &DatasetsView::addCase);
    bar->addAction(tr("Duplicate"), this, &DatasetsView::duplicateCase);
    bar->addAction(tr("Delete"), this, &DatasetsView::deleteSelectedCases);
    bar->addSeparator();
    bar->addAction(tr("Import…"), this, &DatasetsView::importCases);
    bar->addAction(tr("Export…"), this, &DatasetsView::exportCases);
    centreLayout->addWidget(bar);
    m_table = new QTableView(centre);
    m_table->setModel(controller.caseModel());
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                             | QAbstractItemView::AnyKeyPressed);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultSectionSize(160);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    centreLayout->addWidget(m_table, 1);
    auto *hint = new QLabel(tr("Double-click a cell to edit. Lists and objects are JSON, e.g. "
                               "[\"Returns within 30 days\"]."),
                            centre);
    hint->setEnabled(false);
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
    for (qint64 id : ids)
        m_controller.duplicateCase(id);
}

void DatasetsView::deleteSelectedCases()
{
    const auto ids = selectedCaseIds();
    if (ids.isEmpty())
        return;
    const auto answer = QMessageBox::question(
        this, tr("Delete Test Cases"),
        tr("Delete %1?").arg(counted(ids.size(), tr("test case"), tr("test cases"))));
    if (answer == QMessageBox::Yes)
        m_controller.deleteCases(ids);
}

void DatasetsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Other sections add cases (the playground's "add as test case"): show what is stored.
    if (m_controller.currentDatasetId())
        m_controller.selectDataset(m_controller.currentDatasetId());
    m_controller.reload();
}

} // namespace ts
