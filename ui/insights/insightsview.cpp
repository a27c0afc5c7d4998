#include "insights/insightsview.h"

#include "charts/chartwidget.h"
#include "insights/driftpage.h"
#include "insights/evalchartspage.h"
#include "insights/insightscontroller.h"

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
    m_evals = new EvalChartsPage(controller);
    m_drift = new DriftPage(controller);
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_evals);
    m_stack->addWidget(m_drift);
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

void InsightsView::exportCurrentChart()
{
    if (m_tabs->currentIndex() == 0)
        m_evals->chart()->exportWithDialog();
    else
        m_drift->currentChart()->exportWithDialog();
}

void InsightsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_loaded)
        return;
    m_loaded = true;
    m_evals->reload();
    m_drift->reload();
}

} // namespace ts
