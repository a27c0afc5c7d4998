#include "insights/insightsview.h"

#include "charts/chartwidget.h"
#include "common/themecolors.h"
#include "insights/driftpage.h"
#include "insights/evalchartspage.h"
#include "insights/insightscontroller.h"
#include "insights/monitorsview.h"

#include <QStackedWidget>
#include <QTabBar>
#include <QVBoxLayout>

namespace ts {

InsightsView::InsightsView(InsightsController &controller, QWidget *parent)
    : QWidget(parent)
{
    m_tabs = new QTabBar;
    m_tabs->setDocumentMode(true);
    m_tabs->setExpanding(false);
    m_tabs->addTab(tr("Eval Charts"));
    m_tabs->addTab(tr("Drift"));
    m_tabs->addTab(tr("Monitors"));
    m_evals = new EvalChartsPage(controller);
    m_drift = new DriftPage(controller);
    m_monitors = new MonitorsView(controller);
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_evals);
    m_stack->addWidget(m_drift);
    m_stack->addWidget(m_monitors);
    connect(m_monitors, &MonitorsView::alertsChanged, this, [this](const QStringList &alerting) {
        const int monitorsTab = 2;
        m_tabs->setTabText(monitorsTab,
                           alerting.isEmpty()
                               ? tr("Monitors")
                               : tr("Monitors · %n alert(s)", nullptr, int(alerting.size())));
        m_tabs->setTabToolTip(
            monitorsTab,
            alerting.isEmpty()
                ? QString()
                : tr("Below the threshold: %1").arg(alerting.join(QStringLiteral(", "))));
        m_tabs->setTabTextColor(monitorsTab,
                                alerting.isEmpty()
                                    ? QColor()
                                    : ThemeColors::fromPalette(palette()).status(Status::Fail));
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->addWidget(m_tabs);
    layout->addWidget(m_stack, 1);
    connect(m_tabs, &QTabBar::currentChanged, m_stack, &QStackedWidget::setCurrentIndex);
    // A project opened while the section is hidden is read when it is next shown.
    connect(&controller, &InsightsController::projectChanged, this, [this] {
        if (!isVisible())
            m_loaded = false;
    });
}

void InsightsView::showEvalCharts()
{
    m_tabs->setCurrentIndex(0);
}

void InsightsView::showDrift()
{
    m_tabs->setCurrentIndex(1);
}

void InsightsView::showMonitors()
{
    m_tabs->setCurrentIndex(2);
}

void InsightsView::exportCurrentChart()
{
    if (m_tabs->currentIndex() == 0)
        m_evals->chart()->exportWithDialog();
    else if (m_tabs->currentIndex() == 1)
        m_drift->currentChart()->exportWithDialog();
    else
        m_monitors->chart()->exportWithDialog();
}

void InsightsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_loaded)
        return;
    m_loaded = true;
    m_evals->reload();
    m_drift->reload();
    m_monitors->reload();
}

} // namespace ts
