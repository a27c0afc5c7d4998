#include "evals/evalsview.h"

#include "common/messagebar.h"
#include "evals/celldetailview.h"
#include "evals/counted.h"
#include "evals/evallistmodel.h"
#include "evals/evalscontroller.h"
#include "evals/newevaldialog.h"
#include "evals/resultsmatrixmodel.h"
#include "evals/statisticspanel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ts {

namespace {
QString formatEta(double seconds)
{
    const int s = qMax(0, qRound(seconds));
    if (s < 60)
        return QObject::tr("%1 s left").arg(s);
    return QObject::tr("%1 min %2 s left").arg(s / 60).arg(s % 60);
}
} // namespace

EvalsView::EvalsView(EvalsController &controller, QWidget *parent)
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

    // Left: past evals.
    auto *left = new QWidget(m_split);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(new QLabel(tr("<b>Evals</b>"), left));
    m_list = new QTableView(left);
    m_list->setModel(controller.listModel());
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->verticalHeader()->hide();
    m_list->setShowGrid(false);
    m_list->horizontalHeader()->setSectionResizeMode(EvalListModel::Name, QHeaderView::Stretch);
    m_list->horizontalHeader()->setSectionResizeMode(EvalListModel::Status,
                                                     QHeaderView::ResizeToContents);
    m_list->horizontalHeader()->setSectionResizeMode(EvalListModel::PassRate,
                                                     QHeaderView::ResizeToContents);
    // The name cell carries status, pass rate and date on its second line.
    for (int c = EvalListModel::Status; c < EvalListModel::ColumnCount; ++c)
        m_list->setColumnHidden(c, true);
    m_list->horizontalHeader()->hide();
    m_list->setWordWrap(false);
    m_list->verticalHeader()->setDefaultSectionSize(2 * m_list->fontMetrics().height() + 10);
    leftLayout->addWidget(m_list, 1);
    auto *leftButtons = new QHBoxLayout;
    m_new = new QPushButton(tr("New eval…"), left);
    m_resume = new QPushButton(tr("Resume"), left);
    m_resume->setToolTip(tr("Continue an interrupted eval without repeating finished calls"));
    m_retry = new QPushButton(tr("Retry errors"), left);
    m_retry->setToolTip(tr("Ask again only the calls of this eval that failed (network faults, "
                           "rate limits, timeouts); errors are left out of the pass rates"));
    m_export = new QPushButton(tr("Export…"), left);
    m_export->setToolTip(tr("Save the shown eval's results as JSON, JUnit XML, CSV or an HTML "
                            "report"));
    m_delete = new QPushButton(tr("Delete…"), left);
    m_delete->setToolTip(tr("Delete the selected eval with its outputs and results"));
    leftButtons->addWidget(m_new);
    leftButtons->addWidget(m_resume);
    leftButtons->addWidget(m_delete);
    leftLayout->addLayout(leftButtons);
    leftLayout->addWidget(m_retry);
    leftLayout->addWidget(m_export);

    // Right: progress, matrix + statistics, detail.
    auto *right = new QWidget(m_split);
    auto *rightLayout = new QVBoxLayout(right);
    m_progressRow = new QWidget(right);
    auto *progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setFormat(tr("%v / %m calls"));
    m_progressText = new QLabel(m_progressRow);
    m_cancel = new QPushButton(tr("Cancel"), m_progressRow);
    progressLayout->addWidget(m_progress, 1);
    progressLayout->addWidget(m_progressText);
    progressLayout->addWidget(m_cancel);
    m_progressRow->hide();
    rightLayout->addWidget(m_progressRow);

    auto *filterRow = new QHBoxLayout;
    m_title = new QLabel(right);
    filterRow->addWidget(m_title, 1);
    filterRow->addWidget(new QLabel(tr("Show"), right));
    m_filter = new QComboBox(right);
    m_filter->addItem(tr("All cases"), int(EvalResults::Filter::All));
    m_filter->addItem(tr("Failures only"), int(EvalResults::Filter::FailuresOnly));
    m_filter->addItem(tr("Flaky only"), int(EvalResults::Filter::FlakyOnly));
    m_filter->addItem(tr("Changed: baseline vs candidate"),
                      int(EvalResults::Filter::ChangedBetween));
    m_filter->addItem(tr("Errors only"), int(EvalResults::Filter::ErrorsOnly));
    filterRow->addWidget(m_filter);
    rightLayout->addLayout(filterRow);

    m_resultsSplit = new QSplitter(Qt::Horizontal, right);
    auto *matrixAndStats = new QSplitter(Qt::Vertical, m_resultsSplit);
    m_matrix = new QTableView(matrixAndStats);
    m_matrix->setModel(controller.matrixModel());
    m_matrix->setSelectionMode(QAbstractItemView::SingleSelection);
    m_matrix->setWordWrap(false);
    m_matrix->horizontalHeader()->setDefaultSectionSize(150);
    m_matrix->verticalHeader()->hide();
    m_matrix->verticalHeader()->setDefaultSectionSize(m_matrix->fontMetrics().height() + 10);
    m_stats = new StatisticsPanel(matrixAndStats);
    matrixAndStats->addWidget(m_matrix);
    matrixAndStats->addWidget(m_stats);
    matrixAndStats->setStretchFactor(0, 3);
    matrixAndStats->setStretchFactor(1, 2);
    m_detail = new CellDetailView(m_resultsSplit);
    m_resultsSplit->addWidget(matrixAndStats);
    m_resultsSplit->addWidget(m_detail);
    m_resultsSplit->setStretchFactor(0, 3);
    m_resultsSplit->setStretchFactor(1, 2);
    rightLayout->addWidget(m_resultsSplit, 1);

    m_split->addWidget(left);
    m_split->addWidget(right);
    m_split->setStretchFactor(1, 1);
    m_split->setSizes({210, 1120});
    m_resultsSplit->setSizes({760, 360});

    connect(m_new, &QPushButton::clicked, this, [this] { newEval(); });
    connect(m_resume, &QPushButton::clicked, this, &EvalsView::resumeSelected);
    connect(m_retry, &QPushButton::clicked, this, &EvalsView::retryErrors);
    connect(m_delete, &QPushButton::clicked, this, &EvalsView::deleteSelected);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const auto results = m_controller.results();
        if (!results)
            return;
        const QStringList filters = {tr("HTML report (*.html)"), tr("JSON (*.json)"),
                                     tr("JUnit XML (*.xml)"), tr("CSV (*.csv)")};
        QString filter = filters.first();
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export eval results"), QStringLiteral("eval-%1.html").arg(results->evalId),
            filters.join(QStringLiteral(";;")), &filter);
        if (path.isEmpty())
            return;
        exportShown(path);
    });
    connect(&controller, &EvalsController::exported, this, [this](const QString &path) {
        m_messages->showMessage(MessageBar::Kind::Info,
                                tr("Exported to %1.").arg(QDir::toNativeSeparators(path)));
    });
    connect(m_cancel, &QPushButton::clicked, &controller, &EvalsController::cancel);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                updateButtons();
                if (const EvalListEntry *e = m_controller.listModel()->entryAt(current.row());
                    e && e->id != m_controller.shownEvalId())
                    m_controller.openEval(e->id);
            });
    connect(controller.listModel(), &QAbstractItemModel::modelReset, this, [this] {
        const int row = m_controller.listModel()->rowOf(m_controller.shownEvalId());
        if (row >= 0) {
            const QSignalBlocker blocker(m_list->selectionModel());
            m_list->selectRow(row);
        } else if (isVisible() && !m_controller.shownEvalId()
                   && m_controller.listModel()->rowCount() > 0) {
            // The newest eval, once the section is shown (showEvent lists again): opening a
            // project must not start reading an eval, nor its statistics, nobody looks at.
            m_list->selectRow(0);
        }
        updateButtons();
    });
    // The current cell, however it moved (click, arrow keys, Page Down), is the one detailed.
    connect(m_matrix->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &index) {
                if (!index.isValid())
                    return;
                showCell(index.data(ResultsMatrixModel::CaseIndexRole).toInt(),
                         index.data(ResultsMatrixModel::VariantRole).toInt());
            });
    connect(m_matrix, &QTableView::clicked, this, [this](const QModelIndex &index) {
        showCell(index.data(ResultsMatrixModel::CaseIndexRole).toInt(),
                 index.data(ResultsMatrixModel::VariantRole).toInt());
    });
    connect(m_filter, &QComboBox::currentIndexChanged, this, &EvalsView::applyFilter);
    connect(m_detail, &CellDetailView::requestWanted, this, [this](qint64 generationId) {
        m_controller.loadRequest(
            generationId, m_detail, [this, generationId](Result<QList<RenderedMessage>> messages) {
                m_detail->setRequest(
                    generationId,
                    messages ? *messages
                             : QList<RenderedMessage> {{tr("error"), messages.error().message}});
            });
    });
    connect(m_stats, &StatisticsPanel::comparisonChanged, this, [this](int baseline, int) {
        if (EvalResults::Filter(m_filter->currentData().toInt())
            == EvalResults::Filter::ChangedBetween)
            applyFilter();
        if (m_detailVariant >= 0)
            m_detail->setCompareVariant(baseline == m_detailVariant ? -1 : baseline);
    });
    connect(&controller, &EvalsController::resultsLoaded, this, &EvalsView::resultsLoaded);
    // A finished eval's status arrives with its counts, not as a new first page.
    connect(&controller, &EvalsController::statisticsLoaded, this, [this] {
        m_stats->setResults(m_controller.results());
        updateTitle();
        if (m_progressRow->isVisible())
            updateProgressText();
        updateButtons();
        announceErrors();
    });
    connect(m_stats, &StatisticsPanel::comparisonWanted, &controller,
            &EvalsController::compareVariants);
    connect(&controller, &EvalsController::comparisonReady, m_stats,
            &StatisticsPanel::showComparison);
    // A page of rows arrived: the detail pane may be waiting for its case.
    connect(controller.matrixModel(), &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const int row = m_controller.matrixModel()->rowOfCase(m_detailCase);
                if (m_detailCase >= 0 && row >= topLeft.row() && row <= bottomRight.row())
                    showCell(m_detailCase, m_detailVariant);
            });
    connect(&controller, &EvalsController::progressed, this, &EvalsView::showProgress);
    connect(&controller, &EvalsController::started, this, [this](qint64) {
        m_lastProgress.reset();
        m_progress->setRange(0, 0);
        m_progressText->setText(tr("Starting…"));
        m_progressRow->show();
        m_cancel->setEnabled(true);
        m_messages->clear();
        updateButtons();
    });
    connect(&controller, &EvalsController::finished, this,
            [this](qint64 evalId, const QString &status) {
                m_progressRow->hide();
                updateButtons();
                m_announceErrors = status == QLatin1String("completed") ? evalId : 0;
                if (status == QLatin1String("completed"))
                    m_messages->showMessage(MessageBar::Kind::Info,
                                            tr("Eval #%1 finished.").arg(evalId));
                else if (status == QLatin1String("cancelled"))
                    m_messages->showMessage(
                        MessageBar::Kind::Warning,
                        tr("Eval #%1 was cancelled. Select it and press Resume to finish it.")
                            .arg(evalId));
                else
                    m_messages->showMessage(MessageBar::Kind::Error,
                                            tr("Eval #%1 %2.").arg(evalId).arg(status));
            });
    connect(&controller, &EvalsController::errorOccurred, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Error, message);
    });
    connect(&controller, &EvalsController::prepareFailed, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Error, message);
    });
    connect(&controller, &EvalsController::notice, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Info, message);
    });
    connect(&controller, &EvalsController::runningChanged, this, &EvalsView::updateButtons);
    updateButtons();
    resultsLoaded();
}

NewEvalDialog *EvalsView::newEval()
{
    auto *dialog = new NewEvalDialog(m_controller, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void EvalsView::resumeSelected()
{
    const EvalListEntry *e = m_controller.listModel()->entryAt(m_list->currentIndex().row());
    if (e && e->resumable())
        m_controller.resume(e->id);
}

void EvalsView::exportShown(const QString &path)
{
    const auto results = m_controller.results();
    if (!results)
        return;
    const QString suffix = QFileInfo(path).suffix().toLower();
    using Format = EvalsController::ExportFormat;
    const Format format = suffix == QLatin1String("json") ? Format::Json
        : suffix == QLatin1String("xml")                  ? Format::JUnit
        : suffix == QLatin1String("csv")                  ? Format::Csv
                                                          : Format::Html;
    m_controller.exportResults(results->evalId, format, path);
}

void EvalsView::deleteSelected()
{
    const EvalListEntry *e = m_controller.listModel()->entryAt(m_list->currentIndex().row());
    if (!e)
        return;
    const qint64 id = e->id;
    const QString name = e->name.isEmpty() ? tr("Eval #%1").arg(id) : e->name;
    QMessageBox box(QMessageBox::Question, tr("Delete eval"),
                    tr("Delete “%1” with its outputs, assertion results and judgments? This "
                       "cannot be undone.")
                        .arg(name),
                    QMessageBox::Cancel, this);
    QPushButton *confirm = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == confirm)
        m_controller.deleteEval(id);
}

void EvalsView::retryErrors()
{
    const auto results = m_controller.results();
    if (results && results->errorCount > 0 && m_controller.canRun())
        m_controller.resume(results->evalId);
}

void EvalsView::updateButtons()
{
    const EvalListEntry *e = m_controller.listModel()->entryAt(m_list->currentIndex().row());
    const bool running = m_controller.isRunning();
    m_resume->setEnabled(e && e->resumable() && !running && m_controller.canRun());
    m_new->setEnabled(!running);
    m_export->setEnabled(m_controller.results() != nullptr);
    m_delete->setEnabled(e && !(running && m_controller.runningEvalId() == e->id));
    const auto results = m_controller.results();
    const int errors = results ? results->errorCount : 0;
    m_retry->setEnabled(errors > 0 && !running && m_controller.canRun());
    m_retry->setText(errors > 0 ? tr("Retry %1").arg(counted(errors, tr("error"), tr("errors")))
                                : tr("Retry errors"));
}

void EvalsView::showProgress(const EvalProgress &p)
{
    m_lastProgress = p;
    m_progressRow->show();
    m_progress->setRange(0, qMax(1, p.total));
    m_progress->setValue(p.done);
    updateProgressText();
}

void EvalsView::updateProgressText()
{
    if (!m_lastProgress)
        return;
    const EvalProgress &p = *m_lastProgress;
    QStringList parts;
    // The live rate comes from the same results as the statistics panel once those hold an
    // answer, so the two never disagree; before that (the panel says "no answers yet"), from
    // the runner's own count.
    const auto results = m_controller.results();
    const bool sameEval = results && results->evalId == p.evalId;
    if (!p.hasChecks || (sameEval && !StatisticsPanel::hasChecks(*results)))
        parts << tr("no checks");
    else if (sameEval && results->scoredSamples > 0)
        parts << tr("%1% passing so far (%2/%3)")
                     .arg(qRound(100.0 * results->passedSamples / results->scoredSamples))
                     .arg(results->passedSamples)
                     .arg(results->scoredSamples);
    else if (p.evaluated > 0) // the statistics have no answer of this eval yet
        parts << tr("%1% passing so far (%2/%3)")
                     .arg(qRound(100 * p.passRate()))
                     .arg(p.passed)
                     .arg(p.evaluated);
    if (p.errors > 0)
        parts << counted(p.errors, tr("error"), tr("errors"));
    if (p.etaSeconds)
        parts << formatEta(*p.etaSeconds);
    m_progressText->setText(parts.join(QStringLiteral(" · ")));
}

void EvalsView::applyFilter()
{
    const auto filter = EvalResults::Filter(m_filter->currentData().toInt());
    m_controller.matrixModel()->setFilter(filter, m_stats->baselineCombo()->currentIndex(),
                                          m_stats->candidateCombo()->currentIndex());
}

void EvalsView::announceErrors()
{
    const auto results = m_controller.results();
    if (results && results->evalId == m_announceErrors
        && results->status == QLatin1String("completed") && !results->statisticsPending) {
        m_announceErrors = 0;
        if (results->errorCount > 0)
            m_messages->showMessage(
                MessageBar::Kind::Warning,
                tr("Eval #%1 finished with %2: calls that failed even after retries. They are "
                   "left out of the pass rates; press “Retry errors” to ask them again.")
                    .arg(results->evalId)
                    .arg(counted(results->errorCount, tr("error"), tr("errors"))));
    }
}

void EvalsView::updateTitle()
{
    auto results = m_controller.results();
    if (!results)
        return;
    m_title->setText(
        tr("<b>%1</b> — %2 on %3")
            .arg((results->name.isEmpty() ? tr("Eval #%1").arg(results->evalId) : results->name)
                     .toHtmlEscaped(),
                 results->status, results->dataset.name.toHtmlEscaped()));
}

void EvalsView::resultsLoaded()
{
    auto results = m_controller.results();
    m_stats->setResults(results);
    if (m_progressRow->isVisible())
        updateProgressText();
    updateButtons();
    if (!results) {
        m_title->setText(tr("<i>No eval shown. Press “New eval…” to compare prompt versions and "
                            "models on a dataset.</i>"));
        m_detail->showCell(nullptr, -1, -1);
        return;
    }
    updateTitle();
    if (results->evalId != m_sizedEval) {
        // Size the columns once per eval; later live refreshes keep what the user set.
        m_sizedEval = results->evalId;
        m_matrix->horizontalHeader()->setMinimumHeight(3 * m_matrix->fontMetrics().height() + 12);
        for (int c = 1; c < m_matrix->model()->columnCount(); ++c) {
            m_matrix->resizeColumnToContents(c);
            m_matrix->setColumnWidth(c, qBound(90, m_matrix->columnWidth(c) + 8, 220));
        }
        m_matrix->setColumnWidth(0, 200);
    }
    if (m_detailCase >= 0 && m_detailCase < m_controller.matrixModel()->caseCount())
        showCell(m_detailCase, m_detailVariant);
    else
        m_detail->showCell(nullptr, -1, -1);
}

void EvalsView::showCell(int caseIndex, int variant)
{
    m_detailCase = caseIndex;
    m_detailVariant = variant;
    m_detailPending = false;
    // The case's cells come from the matrix's page when it is loaded, else are read alone.
    int inPage = -1;
    if (auto page = m_controller.matrixModel()->pageOfCase(caseIndex, &inPage)) {
        m_detail->showCell(page, inPage, variant);
        return;
    }
    if (caseIndex < 0 || caseIndex >= m_controller.matrixModel()->caseCount()) {
        m_detail->showCell(nullptr, -1, -1);
        return;
    }
    m_detailPending = true;
    const qint64 evalId = m_controller.shownEvalId();
    m_controller.loadCase(
        caseIndex, this,
        [this, evalId, caseIndex, variant](Result<std::shared_ptr<const EvalResults>> loaded) {
            if (evalId != m_controller.shownEvalId() || caseIndex != m_detailCase
                || variant != m_detailVariant || !m_detailPending)
                return;
            m_detailPending = false;
            if (!loaded) {
                m_messages->showMessage(MessageBar::Kind::Error, loaded.error().message);
                return;
            }
            m_detail->showCell(*loaded, (*loaded)->cases.isEmpty() ? -1 : 0, variant);
        });
}

void EvalsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The CLI or another window may have run evals meanwhile.
    m_controller.reloadList();
}

} // namespace ts
