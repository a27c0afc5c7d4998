#pragma once

#include "insights/driftjob.h"
#include "insights/insightscontroller.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QTabBar;
class QTableWidget;
class QTreeWidget;

namespace ts {

class ChartWidget;
class MessageBar;

/// Drift between what was tested and what users send: a reference (a dataset rendered with a
/// prompt version, or a time range of logs) against current logs, measured off the UI thread
/// with progress and Cancel. Shows the metrics with their bands and alerts, the words typical
/// of each side, the topics (new ones first) with example records, a 2-D map coloured by
/// topic, and the length PSI per window.
class DriftPage final : public QWidget
{
    Q_OBJECT

public:
    explicit DriftPage(InsightsController &controller, QWidget *parent = nullptr);
    ~DriftPage() override;

    /// Reloads the pickers (datasets, prompt versions, the logs' time span).
    void reload();
    /// Starts a comparison with the pickers' values.
    void compare();
    void cancel();

    void setReferenceDataset(const QString &dataset, const QString &promptVersion);
    void setReferenceLogs(const QString &from, const QString &to);
    void setCurrentLogs(const QString &from, const QString &to);
    /// "" (overall only), "day" or "week".
    void setWindow(const QString &window);

    bool isRunning() const;
    const std::optional<DriftOutcome> &outcome() const { return m_outcome; }
    QTableWidget *metricsTable() const { return m_metrics; }
    QTableWidget *clustersTable() const { return m_clusters; }
    QListWidget *examplesList() const { return m_examples; }
    QListWidget *referenceWords() const { return m_refWords; }
    QListWidget *currentWords() const { return m_curWords; }
    ChartWidget *mapChart() const { return m_map; }
    ChartWidget *windowChart() const { return m_windowChart; }
    /// The chart on screen (the map or the per-window chart).
    ChartWidget *currentChart() const;
    QPushButton *compareButton() const { return m_compare; }
    QPushButton *addSampleButton() const { return m_addSample; }
    MessageBar *messages() const { return m_messages; }
    QLabel *summaryLabel() const { return m_summary; }
    /// Selects the cluster row showing topic `clusterId`.
    void selectCluster(int clusterId);
    /// Current record ids of the selected topic to add to a dataset (examples first, then an
    /// even spread of the topic's records on the map), at most `limit`.
    QList<qint64> sampleOfSelectedTopic(int limit = 25) const;

Q_SIGNALS:
    void logRecordWanted(qint64 id);
    void addToDatasetWanted(const QList<qint64> &ids, const QString &topic);
    void importLogsWanted();
    void running(bool on);

private:
    void fillChoices(const DriftChoices &choices);
    void showOutcome(const DriftOutcome &outcome);
    void showMetrics(const DriftReport &report);
    void showClusters(const DriftReport &report);
    void showMap(const DriftOutcome &outcome);
    void showWindows(const DriftReport &report);
    void clusterSelected();
    void updateReferenceKind();
    void updateEmptyState();
    int selectedCluster() const;

    InsightsController &m_controller;
    QComboBox *m_referenceKind = nullptr;
    QComboBox *m_dataset = nullptr;
    QComboBox *m_prompt = nullptr;
    QLineEdit *m_refFrom = nullptr;
    QLineEdit *m_refTo = nullptr;
    QWidget *m_datasetPickers = nullptr;
    QWidget *m_logPickers = nullptr;
    QLineEdit *m_curFrom = nullptr;
    QLineEdit *m_curTo = nullptr;
    QComboBox *m_window = nullptr;
    QComboBox *m_thresholds = nullptr;
    QPushButton *m_compare = nullptr;
    MessageBar *m_messages = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_empty = nullptr;
    QLabel *m_emptyText = nullptr;
    QPushButton *m_emptyAction = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_alerts = nullptr;
    QTableWidget *m_metrics = nullptr;
    QListWidget *m_refWords = nullptr;
    QListWidget *m_curWords = nullptr;
    QTabBar *m_chartTabs = nullptr;
    QStackedWidget *m_charts = nullptr;
    ChartWidget *m_map = nullptr;
    ChartWidget *m_windowChart = nullptr;
    QTableWidget *m_clusters = nullptr;
    QLabel *m_examplesTitle = nullptr;
    QListWidget *m_examples = nullptr;
    QPushButton *m_addSample = nullptr;
    DriftJob *m_job = nullptr;
    std::optional<DriftOutcome> m_outcome;
    DriftChoices m_choices;
    bool m_hasChoices = false;
    quint64 m_examplesGeneration = 0;
};

} // namespace ts
