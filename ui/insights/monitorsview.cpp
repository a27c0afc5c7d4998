#include "insights/monitorsview.h"

#include "annotation/queuebuilder.h"
#include "annotation/queuestore.h"
#include "charts/chartwidget.h"
#include "common/designsystem.h"
#include "common/emptystate.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "datasets/datasetstore.h"
#include "datasets/judgestore.h"
#include "insights/insightscontroller.h"
#include "insights/monitorlistmodel.h"
#include "insights/newmonitordialog.h"
#include "logs/logstore.h"
#include "storage/project.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ts {

namespace {

QString percent(double v)
{
    return QString::number(100 * v, 'f', 1) + QLatin1Char('%');
}

QString shortTime(const QString &iso)
{
    // "2024-06-02T10:15:00.000Z" -> "2024-06-02 10:15:00"
    QString t = iso;
    t.replace(QLatin1Char('T'), QLatin1Char(' '));
    const int dot = t.indexOf(QLatin1Char('.'));
    if (dot > 0)
        t.truncate(dot);
    if (t.endsWith(QLatin1Char('Z')))
        t.chop(1);
    return t;
}

} // namespace

MonitorsView::MonitorsView(InsightsController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    m_new = new QPushButton(design::icon(QStringLiteral("list-add")), tr("New Monitor…"));
    m_run = new QPushButton(design::icon(QStringLiteral("media-playback-start")), tr("Run Now"));
    m_run->setToolTip(tr("Check every monitor against the log records it has not checked yet."));
    m_remove = new QPushButton(tr("Delete"));
    m_summary = new QLabel;
    design::setTextRole(m_summary, design::TextRole::Secondary);
    auto *bar = new QHBoxLayout;
    bar->setSpacing(design::space::s);
    bar->addWidget(m_new);
    bar->addWidget(m_run);
    bar->addWidget(m_remove);
    bar->addSpacing(design::space::m);
    bar->addWidget(m_summary, 1);

    m_model = new MonitorListModel(this);
    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_empty = new EmptyState;
    m_empty->setContent(QStringLiteral("utilities-system-monitor"), tr("No monitors yet"),
                        tr("A monitor checks production log records against a dataset's "
                           "assertions as they arrive, charts the pass rate per day or week and "
                           "alerts when it falls below a threshold."));
    m_empty->setAction(tr("New Monitor…"));
    m_listStack = new QStackedWidget;
    m_listStack->addWidget(m_empty);
    m_listStack->addWidget(m_table);

    m_chart = new ChartWidget;
    m_chart->setMinimumHeight(240);
    m_chart->showEmpty(tr("Select a monitor to chart its pass rate per window."));
    m_failuresTitle = new QLabel(tr("Failing records"));
    m_failuresTitle->setObjectName(QStringLiteral("failuresTitle"));
    design::setTextRole(m_failuresTitle, design::TextRole::ItemTitle);
    m_failuresTitle->setWordWrap(true);
    m_failures = new QTreeWidget;
    m_failures->setRootIsDecorated(false);
    m_failures->setUniformRowHeights(true);
    m_failures->setAlternatingRowColors(true);
    m_failures->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_failures->setHeaderLabels({tr("Time (UTC)"), tr("Model"), tr("Reason")});
    m_failures->header()->setStretchLastSection(true);
    m_failures->setToolTip(tr("Double-click a record to open it in Logs."));
    m_queue = new QPushButton(tr("Send to Review Queue…"));
    m_dataset = new QPushButton(tr("Add to Dataset…"));
    auto *failureButtons = new QHBoxLayout;
    failureButtons->setSpacing(design::space::s);
    failureButtons->addStretch(1);
    failureButtons->addWidget(m_queue);
    failureButtons->addWidget(m_dataset);
    auto *failurePane = new QWidget;
    auto *failureLayout = new QVBoxLayout(failurePane);
    failureLayout->setContentsMargins(design::space::s, 0, 0, 0);
    failureLayout->setSpacing(design::space::s);
    failureLayout->addWidget(m_failuresTitle);
    failureLayout->addWidget(m_failures, 1);
    failureLayout->addLayout(failureButtons);

    m_detail = new QSplitter(Qt::Horizontal);
    m_detail->setChildrenCollapsible(false);
    m_detail->addWidget(m_chart);
    m_detail->addWidget(failurePane);
    m_detail->setStretchFactor(0, 3);
    m_detail->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Vertical);
    split->setChildrenCollapsible(false);
    split->addWidget(m_listStack);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, design::space::s, 0, 0);
    layout->setSpacing(design::space::s);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    m_messages = new MessageBar(this);

    connect(m_new, &QPushButton::clicked, this, &MonitorsView::newMonitor);
    connect(m_empty, &EmptyState::actionTriggered, this, &MonitorsView::newMonitor);
    connect(m_run, &QPushButton::clicked, this, &MonitorsView::runNow);
    connect(m_remove, &QPushButton::clicked, this, &MonitorsView::removeSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const MonitorStatus *s = m_model->statusAt(current.row());
                const qint64 id = s ? s->monitor.id : 0;
                if (id == m_selectedId)
                    return;
                m_selectedId = id;
                loadWindows();
            });
    connect(m_chart, &ChartWidget::pointActivated, this, &MonitorsView::onPointActivated);
    connect(m_failures, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        Q_EMIT logRecordWanted(item->data(0, Qt::UserRole).toLongLong());
    });
    connect(m_failures, &QTreeWidget::itemSelectionChanged, this, &MonitorsView::updateButtons);
    connect(m_queue, &QPushButton::clicked, this, &MonitorsView::sendToReviewQueueWithDialog);
    connect(m_dataset, &QPushButton::clicked, this,
            [this] { Q_EMIT addToDatasetWanted(chosenFailureIds()); });
    connect(m_messages, &MessageBar::cancelled, this, [this] {
        if (m_runCancel)
            m_runCancel->store(true);
    });
    // The alert state is wanted outside the tab too: read it as soon as a project opens.
    connect(&controller, &InsightsController::projectChanged, this, [this] {
        m_selectedId = 0;
        m_windows.clear();
        m_failureRows.clear();
        m_shownWindow.clear();
        m_failures->clear();
        m_model->setStatuses({});
        if (m_controller.session().hasProject())
            reload();
        else
            Q_EMIT alertsChanged({});
    });
    updateButtons();
}

MonitorsView::~MonitorsView()
{
    if (m_runCancel)
        m_runCancel->store(true);
}

std::optional<MonitorConfig> MonitorsView::selectedMonitor() const
{
    const int row = m_model->rowOf(m_selectedId);
    if (row < 0)
        return std::nullopt;
    return m_model->statusAt(row)->monitor;
}

void MonitorsView::reload()
{
    m_controller.session().post<Result<QList<MonitorStatus>>>(
        [](WorkContext &ctx) -> Result<QList<MonitorStatus>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return monitorStatuses(ctx.project->db());
        },
        this,
        [this](Result<QList<MonitorStatus>> statuses) {
            if (!statuses) {
                m_messages->showMessage(
                    MessageBar::Kind::Error,
                    tr("Could not read the monitors: %1").arg(statuses.error().message));
                return;
            }
            const qint64 keep = m_selectedId;
            m_model->setStatuses(std::move(*statuses));
            m_table->resizeColumnsToContents();
            m_listStack->setCurrentWidget(m_model->rowCount() ? static_cast<QWidget *>(m_table)
                                                              : m_empty);
            QStringList alerting;
            for (const MonitorStatus &s : m_model->statuses())
                if (s.alert())
                    alerting << s.monitor.name;
            const int n = m_model->rowCount();
            m_summary->setText(
                n == 0 ? QString()
                    : alerting.isEmpty()
                    ? tr("%n monitor(s), none alerting", nullptr, n)
                    : tr("%n monitor(s), %1 alerting", nullptr, n).arg(alerting.size()));
            int row = m_model->rowOf(keep);
            if (row < 0 && n > 0) {
                // Start with the first alerting monitor: that is what the user came for.
                row = 0;
                for (int i = 0; i < n; ++i)
                    if (m_model->statusAt(i)->alert()) {
                        row = i;
                        break;
                    }
            }
            m_selectedId = -1; // reload the windows of the (re)selected monitor
            if (row >= 0) {
                m_table->selectRow(row);
                if (m_selectedId != m_model->statusAt(row)->monitor.id) {
                    m_selectedId = m_model->statusAt(row)->monitor.id;
                    loadWindows();
                }
            } else {
                m_selectedId = 0;
                loadWindows();
            }
            updateButtons();
            Q_EMIT alertsChanged(alerting);
            Q_EMIT statusesLoaded();
        });
}

void MonitorsView::selectMonitor(qint64 monitorId)
{
    const int row = m_model->rowOf(monitorId);
    if (row >= 0)
        m_table->selectRow(row);
}

void MonitorsView::loadWindows()
{
    const std::optional<MonitorConfig> monitor = selectedMonitor();
    m_windows.clear();
    m_failureRows.clear();
    m_shownWindow.clear();
    m_failures->clear();
    m_failuresTitle->setText(tr("Failing records"));
    const quint64 serial = ++m_windowsSerial;
    if (!monitor) {
        m_chart->showEmpty(m_model->rowCount()
                               ? tr("Select a monitor to chart its pass rate per window.")
                               : tr("No monitors yet."));
        updateButtons();
        Q_EMIT windowsLoaded();
        return;
    }
    m_controller.session().post<Result<QList<MonitorWindowEntry>>>(
        [m = *monitor](WorkContext &ctx) -> Result<QList<MonitorWindowEntry>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            auto windows = monitorWindows(ctx.project->db(), m);
            if (!windows)
                return fail(windows.error());
            QList<MonitorWindowEntry> out;
            for (const MonitorWindowStats &w : *windows) {
                MonitorWindowEntry e {w, {}};
                if (w.records > w.rate.successes) {
                    auto failures = monitorFailures(ctx.project->db(), m, w.start);
                    if (!failures)
                        return fail(failures.error());
                    for (const MonitorFailure &f : *failures)
                        e.failingIds.append(f.logId);
                }
                out.append(std::move(e));
            }
            return out;
        },
        this,
        [this, serial](Result<QList<MonitorWindowEntry>> windows) {
            if (serial != m_windowsSerial)
                return;
            if (!windows) {
                m_chart->showEmpty(
                    tr("Could not read the windows: %1").arg(windows.error().message));
                return;
            }
            m_windows = std::move(*windows);
            showChart();
            // The newest alerting window's failures are listed at once.
            for (auto it = m_windows.crbegin(); it != m_windows.crend(); ++it)
                if (it->stats.alert) {
                    showWindow(it->stats.start);
                    break;
                }
            if (m_shownWindow.isEmpty())
                m_failuresTitle->setText(m_windows.isEmpty()
                                             ? tr("Failing records")
                                             : tr("Click a window in the chart to list its "
                                                  "failing records."));
            updateButtons();
            Q_EMIT windowsLoaded();
        });
}

void MonitorsView::showChart()
{
    const std::optional<MonitorConfig> monitor = selectedMonitor();
    if (!monitor)
        return;
    if (m_windows.isEmpty()) {
        m_chart->showEmpty(tr("“%1” has not checked any records yet. Run Now checks the "
                              "records it takes.")
                               .arg(monitor->name));
        return;
    }
    const bool daily = monitor->window == MonitorWindow::Day;
    SeriesChartData data;
    data.title = tr("%1: pass rate per %2").arg(monitor->name, monitorWindowName(monitor->window));
    int alerts = 0;
    for (const MonitorWindowEntry &w : m_windows)
        alerts += w.stats.alert ? 1 : 0;
    data.subtitle
        = tr("Dataset %1 on %2 · 95% Wilson intervals · %n alerting window(s)", nullptr, alerts)
              .arg(monitor->datasetName, MonitorListModel::filterText(*monitor));
    data.valueTitle = tr("Pass rate");
    data.categoryTitle = daily ? tr("Day (UTC)") : tr("Week from Monday (UTC)");
    data.percent = true;
    data.threshold = monitor->threshold;
    data.thresholdLabel = tr("Threshold");
    SeriesLine line;
    line.name = tr("Pass rate");
    for (int i = 0; i < m_windows.size(); ++i) {
        const MonitorWindowStats &w = m_windows[i].stats;
        data.categories.append(w.start.mid(5)); // "06-02": the year is in the tooltip
        SeriesPoint p;
        p.category = i;
        p.value = w.rate.estimate;
        p.low = w.rate.ci.low;
        p.high = w.rate.ci.high;
        p.alert = w.alert;
        const int failing = w.records - w.rate.successes;
        p.tooltip
            = tr("%1 %2: %3/%4 passed, %5 [%6, %7]%8")
                  .arg(monitorWindowName(monitor->window), w.start)
                  .arg(w.rate.successes)
                  .arg(w.records)
                  .arg(percent(w.rate.estimate), percent(w.rate.ci.low), percent(w.rate.ci.high),
                       w.alert ? tr("\nAlert: below the threshold") : QString());
        if (failing > 0)
            p.tooltip += QLatin1Char('\n')
                + tr("Click to list the %n failing record(s)", nullptr, failing);
        p.target.kind = ChartTarget::Kind::LogRecords;
        p.target.ids = m_windows[i].failingIds;
        p.target.description = w.start;
        line.points.append(p);
    }
    data.lines.append(line);
    m_chart->showSeries(data);
}

void MonitorsView::onPointActivated(const ChartTarget &target)
{
    if (target.kind == ChartTarget::Kind::LogRecords && !target.description.isEmpty())
        showWindow(target.description);
}

void MonitorsView::showWindow(const QString &start)
{
    const std::optional<MonitorConfig> monitor = selectedMonitor();
    if (!monitor)
        return;
    m_shownWindow = start;
    const quint64 serial = ++m_failuresSerial;
    m_controller.session().post<Result<QList<MonitorFailureRow>>>(
        [m = *monitor, start](WorkContext &ctx) -> Result<QList<MonitorFailureRow>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            auto failures = monitorFailures(ctx.project->db(), m, start);
            if (!failures)
                return fail(failures.error());
            LogStore logs(ctx.project->db());
            QList<MonitorFailureRow> rows;
            for (const MonitorFailure &f : *failures) {
                MonitorFailureRow row {f, {}};
                if (auto record = logs.record(f.logId))
                    row.model = record->model.value_or(QString());
                rows.append(std::move(row));
            }
            return rows;
        },
        this,
        [this, serial, start, window = monitor->window](Result<QList<MonitorFailureRow>> rows) {
            if (serial != m_failuresSerial)
                return;
            m_failures->clear();
            if (!rows) {
                m_failureRows.clear();
                m_failuresTitle->setText(
                    tr("Could not read the failures: %1").arg(rows.error().message));
                return;
            }
            m_failureRows = std::move(*rows);
            m_failuresTitle->setText(
                window == MonitorWindow::Day
                    ? tr("%n failing record(s) on %1", nullptr, int(m_failureRows.size()))
                          .arg(start)
                    : tr("%n failing record(s) in the week of %1", nullptr,
                         int(m_failureRows.size()))
                          .arg(start));
            QList<QTreeWidgetItem *> items;
            for (const MonitorFailureRow &r : m_failureRows) {
                QString reason = r.failure.reason;
                if (r.failure.judgePass && !*r.failure.judgePass && reason.isEmpty())
                    reason = tr("The judge failed it");
                auto *item = new QTreeWidgetItem(
                    {shortTime(r.failure.time), r.model, reason.simplified()});
                item->setData(0, Qt::UserRole, r.failure.logId);
                item->setToolTip(2, r.failure.reason);
                items.append(item);
            }
            m_failures->addTopLevelItems(items);
            m_failures->resizeColumnToContents(0);
            m_failures->resizeColumnToContents(1);
            updateButtons();
            Q_EMIT failuresLoaded();
        });
}

QList<qint64> MonitorsView::chosenFailureIds() const
{
    QList<qint64> ids;
    for (int i = 0; i < m_failures->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_failures->topLevelItem(i);
        if (item->isSelected())
            ids.append(item->data(0, Qt::UserRole).toLongLong());
    }
    if (ids.isEmpty())
        for (const MonitorFailureRow &r : m_failureRows)
            ids.append(r.failure.logId);
    return ids;
}

void MonitorsView::updateButtons()
{
    const bool project = m_controller.session().hasProject();
    m_new->setEnabled(project);
    m_run->setEnabled(project && m_model->rowCount() > 0 && !m_runCancel);
    m_remove->setEnabled(project && selectedMonitor().has_value() && !m_runCancel);
    const bool any = !m_failureRows.isEmpty();
    m_queue->setEnabled(any);
    m_dataset->setEnabled(any);
    const int selected = int(m_failures->selectedItems().size());
    const QString which = selected
        ? tr("the %n selected record(s)", nullptr, selected)
        : tr("all %n listed record(s)", nullptr, int(m_failureRows.size()));
    m_queue->setToolTip(tr("Create a review queue of %1.").arg(which));
    m_dataset->setToolTip(tr("Add %1 to a dataset as test cases.").arg(which));
}

void MonitorsView::newMonitor()
{
    m_controller.session().post<Result<MonitorChoices>>(
        [](WorkContext &ctx) -> Result<MonitorChoices> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            MonitorChoices c;
            auto datasets = DatasetStore(ctx.project->db()).listDatasets();
            if (!datasets)
                return fail(datasets.error());
            for (const DatasetInfo &d : *datasets)
                c.datasets.append({d.id, d.name});
            auto judges = JudgeStore(ctx.project->db()).list();
            if (!judges)
                return fail(judges.error());
            for (const JudgeConfig &j : *judges)
                if (j.kind == JudgeKind::Pointwise || j.kind == JudgeKind::Factuality)
                    c.judges.append({j.id, j.name});
            LogStore logs(ctx.project->db());
            if (auto models = logs.distinctModels())
                c.models = *models;
            if (auto prompts = logs.distinctPrompts())
                c.prompts = *prompts;
            return c;
        },
        this,
        [this](Result<MonitorChoices> choices) {
            if (!choices) {
                m_messages->showMessage(MessageBar::Kind::Error, choices.error().message);
                return;
            }
            if (choices->datasets.isEmpty()) {
                m_messages->showMessage(MessageBar::Kind::Warning,
                                        tr("A monitor checks a dataset's assertions: create a "
                                           "dataset with an assertion on all its cases first."));
                return;
            }
            openDialog(*choices);
        });
}

void MonitorsView::openDialog(const MonitorChoices &choices)
{
    auto *dialog = new NewMonitorDialog(choices, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<NewMonitorDialog> guard(dialog);
    connect(dialog, &NewMonitorDialog::monitorWanted, this, [this, guard](MonitorConfig m) {
        m_controller.session().post<Result<MonitorConfig>>(
            [m](WorkContext &ctx) -> Result<MonitorConfig> {
                if (!ctx.project)
                    return fail(WorkContext::noProject());
                return MonitorStore(ctx.project->db()).add(m);
            },
            this,
            [this, guard](Result<MonitorConfig> added) {
                if (!added) {
                    if (guard)
                        guard->showError(added.error().message);
                    return;
                }
                if (guard)
                    guard->accept();
                m_selectedId = added->id;
                m_messages->showMessage(MessageBar::Kind::Info,
                                        tr("Added monitor “%1”. Run Now checks the records it "
                                           "takes.")
                                            .arg(added->name));
                reload();
            });
    });
    dialog->open();
}

void MonitorsView::removeSelected()
{
    const std::optional<MonitorConfig> monitor = selectedMonitor();
    if (!monitor)
        return;
    if (QMessageBox::question(
            this, tr("Delete Monitor"),
            tr("Delete the monitor “%1” and its results? The log records stay.").arg(monitor->name))
        != QMessageBox::Yes)
        return;
    m_controller.session().post<Result<void>>(
        [id = monitor->id](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return MonitorStore(ctx.project->db()).remove(id);
        },
        this,
        [this](Result<void> removed) {
            if (!removed)
                m_messages->showMessage(MessageBar::Kind::Error, removed.error().message);
            m_selectedId = 0;
            reload();
        });
}

void MonitorsView::runNow()
{
    if (m_runCancel || m_model->rowCount() == 0)
        return;
    QList<MonitorConfig> monitors;
    for (const MonitorStatus &s : m_model->statuses())
        monitors.append(s.monitor);
    m_runCancel = std::make_shared<std::atomic_bool>(false);
    updateButtons();
    const int all = int(monitors.size());
    runNext(std::move(monitors), {}, 0, all);
}

void MonitorsView::runNext(QList<MonitorConfig> remaining, MonitorRunResult total, int done,
                           int all)
{
    auto finish = [this](bool ok) {
        m_runCancel.reset();
        m_messages->hideProgress();
        updateButtons();
        reload();
        Q_EMIT runFinished(ok);
    };
    if (remaining.isEmpty() || m_runCancel->load()) {
        const bool cancelled = !remaining.isEmpty();
        bool judged = false;
        for (const MonitorStatus &s : m_model->statuses())
            judged = judged || s.monitor.judgeId.has_value();
        finish(true);
        m_messages->showMessage(
            MessageBar::Kind::Info,
            (cancelled ? tr("Stopped after %1 of %2 monitors. ").arg(done).arg(all) : QString())
                + (total.checked == 0
                       ? tr("No new records to check.")
                       : tr("Checked %n new record(s): %1 passed, %2 failed, %3 without a "
                            "verdict.",
                            nullptr, total.checked)
                             .arg(total.passed)
                             .arg(total.failed)
                             .arg(total.noVerdict))
                + (judged ? tr(" Judges see their sample with touchstone-cli monitor run.")
                          : QString()));
        return;
    }
    const MonitorConfig monitor = remaining.takeFirst();
    m_messages->showProgress(
        tr("Checking new records for “%1” (%2 of %3)…").arg(monitor.name).arg(done + 1).arg(all));
    m_controller.session().post<Result<MonitorRunResult>>(
        [monitor](WorkContext &ctx) -> Result<MonitorRunResult> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return runMonitorAssertions(ctx.project->db(), monitor);
        },
        this,
        [this, remaining, total, done, all, finish,
         name = monitor.name](Result<MonitorRunResult> result) mutable {
            if (!result) {
                finish(false);
                m_messages->showMessage(
                    MessageBar::Kind::Error,
                    tr("Monitor “%1” could not run: %2").arg(name, result.error().message));
                return;
            }
            total.checked += result->checked;
            total.passed += result->passed;
            total.failed += result->failed;
            total.noVerdict += result->noVerdict;
            runNext(std::move(remaining), total, done + 1, all);
        });
}

void MonitorsView::sendToReviewQueueWithDialog()
{
    const std::optional<MonitorConfig> monitor = selectedMonitor();
    if (!monitor || m_failureRows.isEmpty())
        return;
    const QList<qint64> ids = chosenFailureIds();
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Send to Review Queue"));
    auto *name = new QLineEdit(tr("%1 failures %2").arg(monitor->name, m_shownWindow));
    auto *criteria = new QLineEdit(monitor->name);
    criteria->setToolTip(tr("Comma-separated; a criterion that does not exist yet is created with "
                            "its name as the question."));
    auto *form = new QFormLayout;
    form->addRow(tr("Queue &name:"), name);
    form->addRow(tr("&Criteria:"), criteria);
    auto *hint = new QLabel(tr("A binary queue of %n failing record(s); reviewers answer each "
                               "criterion with pass or fail.",
                               nullptr, int(ids.size())));
    hint->setWordWrap(true);
    design::setTextRole(hint, design::TextRole::Secondary);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create Queue"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(buttons);
    dialog.resize(440, dialog.sizeHint().height());
    if (dialog.exec() != QDialog::Accepted)
        return;
    QStringList names;
    for (const QString &c : criteria->text().split(QLatin1Char(',')))
        if (!c.trimmed().isEmpty())
            names << c.trimmed();
    sendToReviewQueue(name->text().trimmed(), names);
}

void MonitorsView::sendToReviewQueue(const QString &name, const QStringList &criteria)
{
    const std::optional<MonitorConfig> monitor = selectedMonitor();
    if (!monitor)
        return;
    const QList<qint64> ids = chosenFailureIds();
    if (ids.isEmpty())
        return;
    QHash<qint64, QString> reasons;
    for (const MonitorFailureRow &r : m_failureRows)
        reasons.insert(r.failure.logId, r.failure.reason);
    QueueSpec spec;
    spec.name = name.isEmpty() ? tr("%1 failures %2").arg(monitor->name, m_shownWindow) : name;
    spec.kind = QueueKind::Binary;
    spec.criteria = criteria.isEmpty() ? QStringList {monitor->name} : criteria;
    spec.origin = {{"source", "monitor"},
                   {"monitor", monitor->name.toStdString()},
                   {"window", m_shownWindow.toStdString()}};
    m_controller.session().post<Result<QueueInfo>>(
        [ids, spec, reasons, monitorName = monitor->name](WorkContext &ctx) -> Result<QueueInfo> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            Database &db = ctx.project->db();
            LogStore logs(db);
            QList<QueueItem> items;
            for (qint64 id : ids) {
                auto record = logs.record(id);
                if (!record)
                    return fail(record.error());
                QueueItem item;
                item.a = Target {Target::Kind::Log, id};
                auto input = queuesource::targetInput(db, item.a);
                if (!input)
                    return fail(input.error());
                item.input = *input;
                item.outputA = record->output;
                nlohmann::json context = {{"status", record->ok ? "ok" : "error"},
                                          {"monitor", monitorName.toStdString()},
                                          {"reason", reasons.value(id).toStdString()}};
                if (record->model)
                    context["model"] = record->model->toStdString();
                if (record->startMs)
                    context["time"] = isoFromEpochMs(*record->startMs).toStdString();
                item.context = context;
                items.append(std::move(item));
            }
            return QueueStore(db).create(spec, items);
        },
        this,
        [this](Result<QueueInfo> queue) {
            if (!queue) {
                m_messages->showMessage(
                    MessageBar::Kind::Error,
                    tr("Could not create the review queue: %1").arg(queue.error().message));
                return;
            }
            m_messages->showMessage(MessageBar::Kind::Info,
                                    tr("Created the review queue “%1” with %n item(s); open it "
                                       "in Annotate.",
                                       nullptr, queue->itemCount)
                                        .arg(queue->name));
            Q_EMIT queueCreated(queue->id, queue->name);
        });
}

} // namespace ts
