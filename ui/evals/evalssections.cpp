#include "evals/evalssections.h"

#include "evals/datasetscontroller.h"
#include "evals/datasetsview.h"
#include "evals/evalscontroller.h"
#include "evals/evalsview.h"
#include "shell/mainwindow.h"

#include <QAction>
#include <QMenu>
#include <QSplitter>
#include <QStyle>

namespace ts {

EvalsSections::EvalsSections(ProjectSession &session, RunServices &services, QObject *parent)
    : QObject(parent)
    , m_datasets(new DatasetsController(session, this))
    , m_evals(new EvalsController(session, services, this))
{
}

EvalsSections::~EvalsSections() = default;

DatasetsView *EvalsSections::datasetsView()
{
    if (!m_datasetsView)
        m_datasetsView = new DatasetsView(*m_datasets);
    return m_datasetsView;
}

EvalsView *EvalsSections::evalsView()
{
    if (!m_evalsView)
        m_evalsView = new EvalsView(*m_evals);
    return m_evalsView;
}

void EvalsSections::install(MainWindow *window)
{
    QStyle *style = window->style();
    window->addSection(QStringLiteral("datasets"), tr("Datasets"), style->standardIcon(QStyle::SP_FileDialogListView),
                       datasetsView());
    window->addSection(QStringLiteral("evals"), tr("Evals"), style->standardIcon(QStyle::SP_DialogApplyButton),
                       evalsView());
    window->rememberSplitter(QStringLiteral("datasets/main"), m_datasetsView->splitter());
    window->rememberSplitter(QStringLiteral("evals/main"), m_evalsView->splitter());
    window->rememberSplitter(QStringLiteral("evals/results"), m_evalsView->resultsSplitter());

    QMenu *menu = window->menu(tr("E&val"));
    EvalsView *view = m_evalsView;
    DatasetsView *datasets = m_datasetsView;
    menu->addAction(tr("&New Eval…"), view, [window, view] {
        window->showSection(QStringLiteral("evals"));
        view->newEval();
    });
    menu->addAction(tr("&Resume Selected Eval"), view, [window, view] {
        window->showSection(QStringLiteral("evals"));
        view->resumeSelected();
    });
    menu->addAction(tr("&Cancel Running Eval"), m_evals, &EvalsController::cancel);
    menu->addSeparator();
    menu->addAction(tr("&Import Test Cases…"), datasets, [window, datasets] {
        window->showSection(QStringLiteral("datasets"));
        datasets->importCases();
    });
    menu->addAction(tr("&Export Test Cases…"), datasets, [window, datasets] {
        window->showSection(QStringLiteral("datasets"));
        datasets->exportCases();
    });
}

} // namespace ts
