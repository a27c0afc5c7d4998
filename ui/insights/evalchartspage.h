#pragma once

#include "charts/charttypes.h"
#include "insights/insightscontroller.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QTabBar;

namespace ts {

class ChartWidget;
class MessageBar;

/// The eval charts: pick an eval and its baseline, then one chart at a time — pass rate per
/// variant, mean score, checks x variants, pass rate per prompt version, quality against cost
/// or latency, pairwise win rates, score histograms. Clicking a point lists the cases behind it
/// under the chart; opening one shows its cell in the Evals section.
class EvalChartsPage final : public QWidget
{
    Q_OBJECT

public:
    enum class Chart { PassRate, MeanScore, Checks, Versions, QualityCost, WinRates, Scores };

    explicit EvalChartsPage(InsightsController &controller, QWidget *parent = nullptr);

    void reload();
    /// Shows eval `evalId` (loading it) with variant `baseline` as the baseline.
    void showEval(qint64 evalId, int baseline = 0);
    void showChart(Chart chart);
    /// For the quality chart: cost per 1,000 calls (0), median (1) or p95 latency (2).
    void setCostAxis(int axis);

    qint64 evalId() const { return m_evalId; }
    const std::optional<LoadedEvalCharts> &loaded() const { return m_loaded; }
    ChartWidget *chart() const { return m_chart; }
    QComboBox *evalCombo() const { return m_eval; }
    QComboBox *baselineCombo() const { return m_baseline; }
    QListWidget *casesList() const { return m_cases; }
    QLabel *casesTitle() const { return m_casesTitle; }
    bool isShowingEmptyState() const;

Q_SIGNALS:
    /// Open case `caseIndex` of the eval in the Evals section, in `variant`'s column.
    void evalCellWanted(qint64 evalId, int caseIndex, int variant);
    void evalWanted(qint64 evalId);
    /// The empty state's action: there is no eval yet.
    void newEvalWanted();
    /// Charts of another eval were loaded (tests and screenshots wait for it).
    void chartsLoaded(qint64 evalId);

private:
    void redraw();
    void showTarget(const ChartTarget &target);
    void updateEmptyState();

    InsightsController &m_controller;
    QComboBox *m_eval = nullptr;
    QComboBox *m_baseline = nullptr;
    QTabBar *m_tabs = nullptr;
    QComboBox *m_costAxis = nullptr;
    QPushButton *m_export = nullptr;
    MessageBar *m_messages = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyText = nullptr;
    QPushButton *m_emptyAction = nullptr;
    ChartWidget *m_chart = nullptr;
    QLabel *m_casesTitle = nullptr;
    QListWidget *m_cases = nullptr;
    QWidget *m_casesPanel = nullptr;
    qint64 m_evalId = 0;
    int m_evalCount = -1;
    std::optional<LoadedEvalCharts> m_loaded;
    ChartTarget m_target;
    bool m_filling = false;
};

} // namespace ts
