#include "evals/evalssections.h"

#include "evals/celldetailview.h"
#include "evals/datasetscontroller.h"
#include "evals/datasetsview.h"
#include "evals/evalresults.h"
#include "evals/evalscontroller.h"
#include "evals/evalsview.h"
#include "evals/resultsmatrixmodel.h"
#include "evals/statisticspanel.h"
#include "shell/mainwindow.h"

#include <QAction>
#include <QMenu>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QUrl>

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
    window->addSection(QStringLiteral("datasets"), tr("Datasets"),
                       style->standardIcon(QStyle::SP_FileDialogListView), datasetsView());
    window->addSection(QStringLiteral("evals"), tr("Evals"),
                       style->standardIcon(QStyle::SP_DialogApplyButton), evalsView());
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

void EvalsSections::runDemoEval(QObject *context, std::function<void(const QString &error)> done)
{
    datasetsView()->caseTable()->selectRow(0);
    m_evals->loadChoices(context, [this, context, done](Result<EvalChoices> choices) {
        if (!choices) {
            done(choices.error().message);
            return;
        }
        EvalConfig config;
        const EvalChoices::Prompt *prompt = nullptr;
        for (const EvalChoices::Prompt &p : choices->prompts)
            if (!prompt || p.versions.size() > prompt->versions.size())
                prompt = &p;
        int mostCases = -1;
        for (const DatasetInfo &d : choices->datasets)
            if (d.caseCount > mostCases) {
                mostCases = d.caseCount;
                config.datasetId = d.id;
            }
        QList<qint64> models;
        for (const ModelConfig &m : choices->models)
            if (QUrl(m.baseUrl).host() == QLatin1String("127.0.0.1") && models.size() < 2)
                models << m.id;
        if (!prompt || !config.datasetId || models.isEmpty()) {
            done(tr("the demo eval needs a prompt, a dataset and a model on 127.0.0.1"));
            return;
        }
        for (int i = qMin(1, int(prompt->versions.size()) - 1); i >= 0; --i)
            for (qint64 m : models)
                config.variants.append({prompt->versions[i].id, m});
        config.name = tr("%1: newest versions").arg(prompt->info.name);
        auto *once = new QObject(context);
        connect(m_evals, &EvalsController::prepared, once, [this] { m_evals->start(); });
        connect(m_evals, &EvalsController::prepareFailed, once,
                [once, done](const QString &message) {
                    once->deleteLater();
                    done(message);
                });
        // The finished eval's verdicts and statistics arrive after `finished`, in the background.
        connect(m_evals, &EvalsController::statisticsLoaded, once, [this, once, done] {
            auto results = m_evals->results();
            if (!results || results->status != QLatin1String("completed")
                || results->statisticsPending)
                return;
            once->deleteLater();
            ResultsMatrixModel *matrix = m_evals->matrixModel();
            // The most telling detail: a failure, next to the baseline's answer.
            for (int row = 0; row < matrix->rowCount(); ++row)
                for (int v = int(results->variants.size()) - 1; v >= 0; --v)
                    if (matrix->index(row, v + 1).data(ResultsMatrixModel::OutcomeRole).toString()
                        == QLatin1String("fail")) {
                        m_evalsView->matrix()->setCurrentIndex(matrix->index(row, v + 1));
                        m_evalsView->matrix()->scrollTo(matrix->index(row, 0));
                        m_evalsView->showCell(matrix->caseIndexAt(row), v);
                        m_evalsView->detail()->setCompareVariant(v == 0 ? 1 : 0);
                        done({});
                        return;
                    }
            m_evalsView->showCell(0, 0);
            done({});
        });
        m_evals->prepare(config);
    });
}

} // namespace ts
