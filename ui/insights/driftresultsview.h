#pragma once

#include "insights/driftjob.h"
#include "insights/insightscontroller.h"

#include <QWidget>

#include <optional>

class QLabel;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QTabBar;
class QTableWidget;

namespace ts {

class ChartWidget;

/// The outcome of a drift comparison: the sides compared and the alerts, the metrics with their
/// bands, the words typical of each side, a 2-D topic map and the length PSI per window, and
/// the topics (new ones first) with example records of the selected one, which can be opened
/// in Logs or sampled into a dataset.
class DriftResultsView final : public QWidget
{
    Q_OBJECT

public:
    explicit DriftResultsView(InsightsController &controller, QWidget *parent = nullptr);
    ~DriftResultsView() override;

    void showOutcome(const DriftOutcome &outcome);
    /// Forgets the outcome (another project was opened).
    void clear();
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
    QPushButton *addSampleButton() const { return m_addSample; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *alertsLabel() const { return m_alerts; }
    /// Selects the cluster row showing topic `clusterId`.
    void selectCluster(int clusterId);
    /// Current record ids of the selected topic to add to a dataset (examples first, then an
    /// even spread of the topic's records on the map), at most `limit`.
    QList<qint64> sampleOfSelectedTopic(int limit = 25) const;

Q_SIGNALS:
    void logRecordWanted(qint64 id);
    void addToDatasetWanted(const QList<qint64> &ids, const QString &topic);

private:
    void showMetrics(const DriftReport &report);
    void showClusters(const DriftReport &report);
    void showMap(const DriftOutcome &outcome);
    void showWindows(const DriftReport &report);
    void clusterSelected();
    int selectedCluster() const;

    InsightsController &m_controller;
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
    std::optional<DriftOutcome> m_outcome;
    quint64 m_examplesGeneration = 0;
};

} // namespace ts
