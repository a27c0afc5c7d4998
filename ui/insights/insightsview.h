#pragma once

#include <QWidget>

class QStackedWidget;
class QTabBar;

namespace ts {

class DriftPage;
class EvalChartsPage;
class InsightsController;
class MonitorsView;

/// The Insights section: eval charts, drift and monitors, one at a time under a tab bar. The
/// Monitors tab's title says how many monitors alert, so an alert shows from any tab.
class InsightsView final : public QWidget
{
    Q_OBJECT

public:
    explicit InsightsView(InsightsController &controller, QWidget *parent = nullptr);

    EvalChartsPage *evalCharts() const { return m_evals; }
    DriftPage *drift() const { return m_drift; }
    MonitorsView *monitors() const { return m_monitors; }
    void showEvalCharts();
    void showDrift();
    void showMonitors();
    /// Asks for a file and writes the chart on screen as PNG or SVG.
    void exportCurrentChart();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QTabBar *m_tabs = nullptr;
    QStackedWidget *m_stack = nullptr;
    EvalChartsPage *m_evals = nullptr;
    DriftPage *m_drift = nullptr;
    MonitorsView *m_monitors = nullptr;
    bool m_loaded = false;
};

} // namespace ts
