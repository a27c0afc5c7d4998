#include "shell/screenshotter.h"

#include "annotate/annotatecontroller.h"
#include "annotate/annotatesection.h"
#include "annotate/annotateview.h"
#include "annotate/labelingsession.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "evals/evalscontroller.h"
#include "evals/evalssections.h"
#include "history/historycontroller.h"
#include "history/historyview.h"
#include "history/versionlistmodel.h"
#include "insights/driftpage.h"
#include "insights/evalchartspage.h"
#include "insights/insightssection.h"
#include "insights/insightsview.h"
#include "logs/logssection.h"
#include "logs/logsview.h"
#include "logs/logtablemodel.h"
#include "playground/modelcatalog.h"
#include "playground/playground.h"
#include "playground/playgroundcontroller.h"
#include "playground/playgroundview.h"
#include "prompts/prompteditor.h"
#include "prompts/promptlistmodel.h"
#include "prompts/promptscontroller.h"
#include "prompts/promptssection.h"
#include "shell/mainwindow.h"
#include "shell/workbench.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QTableView>
#include <QTimer>
#include <QUrl>

#include <cstdio>

namespace ts {

namespace {
// Long enough for the debounced analysis and a repaint; screenshots are not timing-critical.
constexpr int settleMs = 600;
} // namespace

Screenshotter::Screenshotter(Workbench &workbench, const QString &directory, QObject *parent)
    : QObject(parent)
    , m_workbench(workbench)
    , m_directory(directory)
{
    QDir().mkpath(directory);
    connect(&workbench.session(), &ProjectSession::openFailed, this,
            [this](const QString &, const Error &error) { finish(1, error.message); });
    connect(&workbench.prompts(), &PromptsController::promptsRefreshed, this,
            &Screenshotter::selectPrompt);
    // The whole tour runs a playground, an eval and queues against a local server: generous
    // on a loaded 2-core machine, and the message says which screen never came.
    QTimer::singleShot(180'000, this, [this] {
        finish(1,
               QStringLiteral("timed out after %1")
                   .arg(m_lastShot.isEmpty() ? QStringLiteral("start") : m_lastShot));
    });
}

void Screenshotter::selectPrompt()
{
    if (m_selected)
        return;
    m_selected = true;
    PromptListModel *list = m_workbench.prompts().listModel();
    qint64 id = 0;
    int bestVersions = -1;
    for (int row = 0; row < list->rowCount(); ++row) {
        const PromptInfo *p = list->promptAt(row);
        if (p->versionCount > bestVersions) {
            bestVersions = p->versionCount;
            id = p->id;
        }
    }
    if (!id) {
        finish(1, QStringLiteral("the project has no prompts"));
        return;
    }
    auto *c = new QObject(this);
    connect(&m_workbench.prompts(), &PromptsController::promptLoaded, c, [this, c] {
        delete c;
        QTimer::singleShot(settleMs, this, &Screenshotter::grabEditor);
    });
    m_workbench.prompts().selectPrompt(id);
}

void Screenshotter::grabEditor()
{
    m_workbench.promptsSection()->showEditor();
    // Example values, as a person would type them, so the preview shows a real message.
    m_workbench.promptsSection()->editor()->setVariableValues(nlohmann::json {
        {"shop", "Spoke & Chain Cycles"},
        {"agent", "Maya"},
        {"policies",
         {"Free safety check within 30 days of purchase",
          "Repairs are quoted before any work starts"}},
        {"message",
         "Hi! I bought a bike from you last week and the rear brake squeaks loudly.\nCan you fix "
         "it?"},
        {"email",
         "Order #4411: 2 inner tubes and a pump. Please ship fast, it's for a race on Sunday."},
    });
    QTimer::singleShot(settleMs, this, &Screenshotter::grabEditorNow);
}

void Screenshotter::grabEditorNow()
{
    if (!grabTo(QStringLiteral("editor.png")))
        return;
    m_workbench.promptsSection()->showHistory();
    HistoryView *history = m_workbench.promptsSection()->historyView();
    const auto &versions = m_workbench.history().model()->versions();
    if (versions.size() >= 2)
        history->selectVersions({versions[1].number, versions[0].number});
    QTimer::singleShot(settleMs, this, &Screenshotter::grabHistory);
}

void Screenshotter::grabHistory()
{
    if (grabTo(QStringLiteral("history.png")))
        grabPlayground();
}

void Screenshotter::grabPlayground()
{
    Playground *playground = m_workbench.playground();
    if (!playground) {
        finish(0);
        return;
    }
    m_workbench.window()->showSection(QStringLiteral("playground"));
    QTimer::singleShot(settleMs, this, [this] {
        if (!grabTo(QStringLiteral("playground-empty.png")))
            return;
        const auto info = m_workbench.session().info();
        if (info && info->demo)
            runPlayground();
        else
            grabStills();
    });
}

void Screenshotter::runPlayground()
{
    PlaygroundController &controller = m_workbench.playground()->controller();
    // Models on this machine only: the screenshot script serves them from a fake server.
    QStringList local;
    for (const ModelConfig &m : m_workbench.playground()->catalog().models())
        if (QUrl(m.baseUrl).host() == QLatin1String("127.0.0.1") && local.size() < 3)
            local << m.name;
    if (local.isEmpty()) {
        finish(1,
               QStringLiteral(
                   "no model on 127.0.0.1 for playground.png (see tests/ui/take-screenshots.sh)"));
        return;
    }
    controller.setColumnModels(local);
    connect(&controller, &PlaygroundController::runFinished, this, [this] {
        QTimer::singleShot(settleMs, this, [this] {
            if (grabTo(QStringLiteral("playground.png")))
                grabEvals();
        });
    });
    QTimer::singleShot(settleMs, this,
                       [this] { m_workbench.playground()->view()->runAction()->trigger(); });
}

void Screenshotter::grabEvals()
{
    // Datasets (datasets.png), then an eval of that prompt on the local models (evals.png).
    m_workbench.window()->showSection(QStringLiteral("datasets"));
    QTimer::singleShot(settleMs, this, [this] {
        if (!grabTo(QStringLiteral("datasets.png")))
            return;
        m_workbench.window()->showSection(QStringLiteral("evals"));
        m_workbench.evals()->runDemoEval(this, [this](const QString &error) {
            if (!error.isEmpty()) {
                finish(1, QStringLiteral("evals.png: %1").arg(error));
                return;
            }
            QTimer::singleShot(settleMs, this, [this] {
                if (grabTo(QStringLiteral("evals.png")))
                    grabInsights();
            });
        });
    });
}

void Screenshotter::grabStills()
{
    // Not the demo project: the sections as they are, no runs, no eval.
    m_workbench.window()->showSection(QStringLiteral("datasets"));
    QTimer::singleShot(settleMs, this, [this] {
        if (!grabTo(QStringLiteral("datasets.png")))
            return;
        m_workbench.window()->showSection(QStringLiteral("evals"));
        QTimer::singleShot(settleMs, this, [this] {
            if (grabTo(QStringLiteral("evals.png")))
                finish(0);
        });
    });
}

void Screenshotter::grabInsights()
{
    // Insights: the eval just run as charts (insights-evals.png, insights-cost.png), then drift
    // of a week of logs against the two before it, per day (insights-drift.png).
    m_workbench.window()->showSection(QStringLiteral("insights"));
    InsightsView *view = m_workbench.insights()->view();
    view->showEvalCharts();
    EvalChartsPage *page = view->evalCharts();
    auto *loaded = new QObject(this);
    connect(page, &EvalChartsPage::chartsLoaded, loaded, [this, loaded, page, view] {
        delete loaded;
        page->showChart(EvalChartsPage::Chart::PassRate);
        QTimer::singleShot(settleMs, this, [this, page, view] {
            if (!grabTo(QStringLiteral("insights-evals.png")))
                return;
            page->showChart(EvalChartsPage::Chart::QualityCost);
            QTimer::singleShot(settleMs, this, [this, view] {
                if (!grabTo(QStringLiteral("insights-cost.png")))
                    return;
                view->showDrift();
                DriftPage *drift = view->drift();
                drift->setReferenceLogs(QStringLiteral("2026-02-01"), QStringLiteral("2026-02-14"));
                drift->setCurrentLogs(QStringLiteral("2026-02-15"), QStringLiteral("2026-02-21"));
                drift->setWindow(QStringLiteral("day"));
                connect(drift, &DriftPage::running, this, [this](bool on) {
                    if (!on)
                        QTimer::singleShot(settleMs, this, [this] {
                            if (grabTo(QStringLiteral("insights-drift.png")))
                                grabLogs();
                        });
                });
                QTimer::singleShot(settleMs, drift, [drift] { drift->compare(); });
            });
        });
    });
    page->showEval(m_workbench.evals()->evals().shownEvalId());
}

void Screenshotter::grabLogs()
{
    // Logs (logs.png): a call with a tool round trip, as the script imports them.
    m_workbench.window()->showSection(QStringLiteral("logs"));
    QTimer::singleShot(settleMs, this, [this] {
        LogsView *view = m_workbench.logs()->view();
        const auto *model = static_cast<const LogTableModel *>(view->table()->model());
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->rowAt(row)->hasToolCalls && model->rowAt(row)->ok) {
                view->table()->setCurrentIndex(model->index(row, 0));
                break;
            }
        QTimer::singleShot(settleMs, this, [this] {
            if (grabTo(QStringLiteral("logs.png")))
                grabAnnotate();
        });
    });
}

void Screenshotter::grabAnnotate()
{
    // Annotate: a yes/no queue over the imported logs with one criterion answered
    // (annotate-binary.png), a blind pairwise queue over the demo eval's two newest variants
    // (annotate-pairwise.png), and the queue list (annotate.png).
    m_workbench.window()->showSection(QStringLiteral("annotate"));
    AnnotateController &controller = m_workbench.annotate()->controller();
    controller.loadChoices(this, [this, &controller](Result<QueueChoices> choices) {
        if (!choices) {
            finish(1, QStringLiteral("annotate: %1").arg(choices.error().message));
            return;
        }
        NewQueueRequest binary;
        binary.source = NewQueueRequest::Source::Logs;
        binary.spec.name = QStringLiteral("Support replies, week 14");
        binary.newCriteria
            = {{QStringLiteral("Answers the question"),
                QStringLiteral("Does it answer what the customer asked?")},
               {QStringLiteral("Follows shop policy"),
                QStringLiteral("Is every promise one the shop's policies allow?")},
               {QStringLiteral("Friendly tone"), QStringLiteral("Would you send it as it is?")}};
        for (const auto &c : binary.newCriteria)
            binary.spec.criteria << c.first;
        binary.strategy = SamplingStrategy::Stratified;
        binary.size = 20;
        std::optional<NewQueueRequest> pairwise;
        for (const QueueChoices::Eval &e : choices->evals)
            if (e.variants.size() >= 2 && !pairwise) {
                pairwise.emplace();
                pairwise->source = NewQueueRequest::Source::EvalPairs;
                pairwise->spec.name = QStringLiteral("%1: blind A/B").arg(e.name);
                pairwise->spec.criteria = {QStringLiteral("Follows shop policy")};
                pairwise->evalId = e.id;
                pairwise->variantA = 0;
                pairwise->variantB = int(e.variants.size()) - 1;
            }
        if (!pairwise) {
            finish(1, QStringLiteral("annotate-pairwise.png needs an eval with two variants"));
            return;
        }
        controller.createQueue(
            *pairwise, this, [this, &controller, binary](Result<QueueInfo> pairs) {
                if (!pairs) {
                    finish(1,
                           QStringLiteral("annotate-pairwise.png: %1").arg(pairs.error().message));
                    return;
                }
                controller.createQueue(
                    binary, this, [this, pairs = *pairs](Result<QueueInfo> queue) {
                        if (!queue) {
                            finish(1,
                                   QStringLiteral("annotate-binary.png: %1")
                                       .arg(queue.error().message));
                            return;
                        }
                        AnnotateView *view = m_workbench.annotate()->view();
                        view->startQueue(*queue);
                        QTimer::singleShot(settleMs, this, [this, view, pairs] {
                            if (view->labelingSession())
                                view->labelingSession()->label(LabelValue::Yes);
                            QTimer::singleShot(settleMs, this, [this, view, pairs] {
                                if (!grabTo(QStringLiteral("annotate-binary.png")))
                                    return;
                                view->startQueue(pairs);
                                QTimer::singleShot(settleMs * 2, this, [this, view] {
                                    if (!grabTo(QStringLiteral("annotate-pairwise.png")))
                                        return;
                                    view->backToQueues();
                                    QTimer::singleShot(settleMs, this, [this] {
                                        if (grabTo(QStringLiteral("annotate.png")))
                                            finish(0);
                                    });
                                });
                            });
                        });
                    });
            });
    });
}

bool Screenshotter::grabTo(const QString &fileName)
{
    const QString path = QDir(m_directory).filePath(fileName);
    // Notices ("Eval #1 finished.") fade within seconds; a tour shows the screen once settled.
    const auto bars = m_workbench.window()->findChildren<MessageBar *>();
    for (MessageBar *bar : bars)
        if (bar->isVisible() && bar->kind() == MessageBar::Kind::Info && !bar->isShowingProgress())
            bar->clear();
    if (!m_workbench.window()->grab().save(path)) {
        finish(1, QStringLiteral("could not write %1").arg(path));
        return false;
    }
    std::fprintf(stdout, "%s\n", qPrintable(QDir::toNativeSeparators(path)));
    m_lastShot = fileName;
    return true;
}

void Screenshotter::finish(int code, const QString &message)
{
    if (!message.isEmpty())
        std::fprintf(stderr, "touchstone --screenshot: %s\n", qPrintable(message));
    QApplication::exit(code);
}

} // namespace ts
