#pragma once

#include <QWidget>

class QStackedWidget;
class QTabBar;

namespace ts {

class DriftPage;
class EvalChartsPage;
class InsightsController;

/// The Insights section: eval charts and drift, one at a time under a tab bar.
class InsightsView final : public QWidget
{
    Q_OBJECT

public:
    explicit InsightsView(InsightsController &controller, QWidget *parent = nullptr);

    EvalChartsPage *evalCharts() const { return m_evals; }
    DriftPage *drift() const { return m_drift; }
    void showEvalCharts();
    void showDrift();
    /// Asks for a file and writes the chart on screen as PNG or SVG.
    void exportCurrentChart();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QTabBar *m_tabs = nullptr;
    QStackedWidget *m_stack = nullptr;
    EvalChartsPage *m_evals = nullptr;
    DriftPage *m_drift = nullptr;
    bool m_loaded = false;
};

} // namespace ts
