#pragma once

#include "common/error.h"
#include "insights/monitor.h"

#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTreeWidget;

namespace ts {

class ChartWidget;
class EmptyState;
class InsightsController;
class MessageBar;
class MonitorListModel;
struct ChartTarget;
struct MonitorChoices;

/// A window of a monitor as the chart shows it, with its failing records' ids.
struct MonitorWindowEntry
{
    MonitorWindowStats stats;
    QList<qint64> failingIds; ///< newest first, at most 1,000
};

/// A failing record as the list shows it.
struct MonitorFailureRow
{
    MonitorFailure failure;
    QString model;
};

/// The Monitors tab of Insights: every monitor with its latest window's pass rate, interval and
/// alert state; New monitor, Run now (checks the records not yet checked, off the UI thread);
/// for the selected monitor its pass rate per window with the 95% intervals, the threshold and
/// the alerting windows; a click on a window lists its failing records (time, model, reason),
/// from where a double-click opens a record in Logs and the selected ones go to a review queue
/// or a dataset.
class MonitorsView final : public QWidget
{
    Q_OBJECT

public:
    explicit MonitorsView(InsightsController &controller, QWidget *parent = nullptr);
    ~MonitorsView() override;

    /// Reads the monitors and their latest windows again.
    void reload();
    void newMonitor();
    /// Checks every monitor's unchecked records, one monitor after the other, off the UI thread.
    void runNow();
    void selectMonitor(qint64 monitorId);
    /// Lists the failing records of the selected monitor's window starting at `start`.
    void showWindow(const QString &start);
    /// Creates a binary review queue `name` of the selected failing records (all of them when
    /// none is selected) with `criteria` (the monitor's name when empty).
    void sendToReviewQueue(const QString &name, const QStringList &criteria);
    /// Asks for the queue's name and criteria, then sendToReviewQueue().
    void sendToReviewQueueWithDialog();

    /// Ids of the failing records selected in the list (all listed when none is selected).
    QList<qint64> chosenFailureIds() const;
    const QList<MonitorWindowEntry> &windows() const { return m_windows; }
    const QList<MonitorFailureRow> &failureRows() const { return m_failureRows; }
    QString shownWindow() const { return m_shownWindow; }
    std::optional<MonitorConfig> selectedMonitor() const;

    MonitorListModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    ChartWidget *chart() const { return m_chart; }
    QTreeWidget *failureList() const { return m_failures; }
    MessageBar *messageBar() const { return m_messages; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *queueButton() const { return m_queue; }
    QPushButton *datasetButton() const { return m_dataset; }
    bool isRunning() const { return bool(m_runCancel); }

Q_SIGNALS:
    /// Monitors whose latest window alerts (after every load).
    void alertsChanged(const QStringList &alerting);
    void statusesLoaded();
    void windowsLoaded();
    void failuresLoaded();
    void runFinished(bool ok);
    void queueCreated(qint64 queueId, const QString &name);
    void logRecordWanted(qint64 logId);
    void addToDatasetWanted(const QList<qint64> &logIds);

private:
    void loadWindows();
    void showChart();
    void onPointActivated(const ChartTarget &target);
    void updateButtons();
    void removeSelected();
    void runNext(QList<MonitorConfig> remaining, MonitorRunResult total, int done, int all);
    void openDialog(const MonitorChoices &choices);

    InsightsController &m_controller;
    MonitorListModel *m_model = nullptr;
    QStackedWidget *m_listStack = nullptr;
    EmptyState *m_empty = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_summary = nullptr;
    QSplitter *m_detail = nullptr;
    ChartWidget *m_chart = nullptr;
    QLabel *m_failuresTitle = nullptr;
    QTreeWidget *m_failures = nullptr;
    QPushButton *m_queue = nullptr;
    QPushButton *m_dataset = nullptr;
    MessageBar *m_messages = nullptr;

    qint64 m_selectedId = 0;
    QList<MonitorWindowEntry> m_windows;
    QString m_shownWindow;
    QList<MonitorFailureRow> m_failureRows;
    std::shared_ptr<std::atomic_bool> m_runCancel;
    quint64 m_windowsSerial = 0;
    quint64 m_failuresSerial = 0;
};

} // namespace ts
