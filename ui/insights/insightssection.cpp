#include "insights/insightssection.h"

#include "evals/evalscontroller.h"
#include "evals/evalssections.h"
#include "evals/evalsview.h"
#include "insights/driftpage.h"
#include "insights/evalchartspage.h"
#include "insights/insightscontroller.h"
#include "insights/insightsview.h"
#include "insights/monitorsview.h"
#include "logs/addtodatasetdialog.h"
#include "logs/logscontroller.h"
#include "logs/logssection.h"
#include "logs/logsview.h"
#include "shell/mainwindow.h"

#include <QAction>
#include <QMenu>
#include <QPointer>
#include <QStatusBar>
#include <QStyle>

namespace ts {

InsightsSection::InsightsSection(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_controller(new InsightsController(session, this))
{
}

InsightsSection::~InsightsSection() = default;

InsightsView *InsightsSection::view()
{
    if (!m_view)
        m_view = new InsightsView(*m_controller);
    return m_view;
}

void InsightsSection::install(MainWindow *window, EvalsSections *evals, LogsSection *logs)
{
    window->addSection(QStringLiteral("insights"), tr("Insights"),
                       window->style()->standardIcon(QStyle::SP_FileDialogContentsView), view());
    InsightsView *v = m_view;

    // A case behind a point: the Evals section with that eval and the case's cell.
    if (evals) {
        auto openEval = [window, evals](qint64 evalId, int caseIndex, int variant) {
            window->showSection(QStringLiteral("evals"));
            EvalsController &controller = evals->evals();
            if (controller.shownEvalId() == evalId && controller.results()) {
                if (caseIndex >= 0)
                    evals->evalsView()->showCell(caseIndex, variant);
                return;
            }
            if (caseIndex >= 0) {
                auto *once = new QObject(evals->evalsView());
                connect(&controller, &EvalsController::resultsLoaded, once,
                        [once, evals, evalId, caseIndex, variant](qint64 loaded) {
                            if (loaded != evalId)
                                return;
                            evals->evalsView()->showCell(caseIndex, variant);
                            once->deleteLater();
                        });
            }
            controller.openEval(evalId);
        };
        connect(v->evalCharts(), &EvalChartsPage::evalCellWanted, this, openEval);
        connect(v->evalCharts(), &EvalChartsPage::evalWanted, this,
                [openEval](qint64 evalId) { openEval(evalId, -1, -1); });
        connect(v->evalCharts(), &EvalChartsPage::newEvalWanted, this,
                [window] { window->showSection(QStringLiteral("evals")); });
    }
    // A record behind a topic or a map point: the Logs section's detail pane.
    if (logs) {
        connect(v->drift(), &DriftPage::logRecordWanted, this, [window, logs](qint64 id) {
            window->showSection(QStringLiteral("logs"));
            logs->controller().loadRecord(id);
        });
        connect(v->drift(), &DriftPage::importLogsWanted, this, [window, logs] {
            window->showSection(QStringLiteral("logs"));
            logs->view()->importLogs();
        });
        connect(v->drift(), &DriftPage::addToDatasetWanted, this,
                [v, logs](const QList<qint64> &ids, const QString &) {
                    auto *dialog
                        = new AddToDatasetDialog(logs->controller(), ids, LogFilter {}, 0, v);
                    dialog->setAttribute(Qt::WA_DeleteOnClose);
                    dialog->setScope(AddToDatasetDialog::Scope::Selected);
                    dialog->show();
                });
        // Monitors: a failing record opens in Logs, the chosen ones go to a dataset.
        connect(v->monitors(), &MonitorsView::logRecordWanted, this, [window, logs](qint64 id) {
            window->showSection(QStringLiteral("logs"));
            logs->controller().loadRecord(id);
        });
        connect(v->monitors(), &MonitorsView::addToDatasetWanted, this,
                [v, logs](const QList<qint64> &ids) {
                    auto *dialog
                        = new AddToDatasetDialog(logs->controller(), ids, LogFilter {}, 0, v);
                    dialog->setAttribute(Qt::WA_DeleteOnClose);
                    dialog->setScope(AddToDatasetDialog::Scope::Selected);
                    dialog->show();
                });
    }
    // An alerting monitor is said in the status bar as soon as it is known, whatever is shown.
    connect(v->monitors(), &MonitorsView::alertsChanged, this,
            [window](const QStringList &alerting) {
                if (!alerting.isEmpty())
                    window->statusBar()->showMessage(
                        tr("Monitor alert: %1 below the threshold (Insights › Monitors)")
                            .arg(alerting.join(QStringLiteral(", "))));
            });

    QMenu *menu = window->menu(tr("&Insights"));
    menu->addAction(tr("&Eval Charts"), v, [window, v] {
        window->showSection(QStringLiteral("insights"));
        v->showEvalCharts();
    });
    menu->addAction(tr("&Drift…"), v, [window, v] {
        window->showSection(QStringLiteral("insights"));
        v->showDrift();
    });
    menu->addAction(tr("&Monitors"), v, [window, v] {
        window->showSection(QStringLiteral("insights"));
        v->showMonitors();
    });
    menu->addSeparator();
    menu->addAction(tr("E&xport Chart…"), v, [window, v] {
        window->showSection(QStringLiteral("insights"));
        v->exportCurrentChart();
    });
}

} // namespace ts
