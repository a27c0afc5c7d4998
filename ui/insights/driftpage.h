#pragma once

#include "insights/driftjob.h"
#include "insights/driftresultsview.h"
#include "insights/insightscontroller.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace ts {

class MessageBar;

/// Drift between what was tested and what users send: a reference (a dataset rendered with a
/// prompt version, or a time range of logs) against current logs, measured off the UI thread
/// with progress and Cancel; the outcome shows in a DriftResultsView.
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
    const std::optional<DriftOutcome> &outcome() const;
    DriftResultsView *results() const { return m_results; }
    QTableWidget *metricsTable() const { return m_results->metricsTable(); }
    QTableWidget *clustersTable() const { return m_results->clustersTable(); }
    QListWidget *examplesList() const { return m_results->examplesList(); }
    QListWidget *referenceWords() const { return m_results->referenceWords(); }
    QListWidget *currentWords() const { return m_results->currentWords(); }
    ChartWidget *mapChart() const { return m_results->mapChart(); }
    ChartWidget *windowChart() const { return m_results->windowChart(); }
    ChartWidget *currentChart() const { return m_results->currentChart(); }
    QPushButton *compareButton() const { return m_compare; }
    QPushButton *addSampleButton() const { return m_results->addSampleButton(); }
    MessageBar *messages() const { return m_messages; }
    QLabel *summaryLabel() const { return m_results->summaryLabel(); }
    void selectCluster(int clusterId) { m_results->selectCluster(clusterId); }
    QList<qint64> sampleOfSelectedTopic(int limit = 25) const
    {
        return m_results->sampleOfSelectedTopic(limit);
    }

Q_SIGNALS:
    void logRecordWanted(qint64 id);
    void addToDatasetWanted(const QList<qint64> &ids, const QString &topic);
    void importLogsWanted();
    void running(bool on);

private:
    void fillChoices(const DriftChoices &choices);
    void showOutcome(const DriftOutcome &outcome);
    void updateReferenceKind();
    void updateEmptyState();

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
    DriftResultsView *m_results = nullptr;
    DriftJob *m_job = nullptr;
    DriftChoices m_choices;
    bool m_hasChoices = false;
};

} // namespace ts
