#include "insights/evalchartspage.h"

#include "charts/chartwidget.h"
#include "common/messagebar.h"
#include "evals/evallistmodel.h"
#include "evals/evalresults.h"
#include "insights/evalchartmapping.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabBar>
#include <QVBoxLayout>

namespace ts {

namespace {

QString caseSummary(const TestCase &c, int index)
{
    QString vars = QString::fromStdString(c.data.vars.dump());
    if (c.data.vars.is_object() && !c.data.vars.empty()) {
        QStringList parts;
        for (auto it = c.data.vars.begin(); it != c.data.vars.end(); ++it)
            parts.append(QString::fromStdString(it.key()) + QStringLiteral(": ")
                         + (it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString::fromStdString(it->dump())));
        vars = parts.join(QStringLiteral(" · "));
    }
    vars = vars.simplified();
    if (vars.size() > 140)
        vars = vars.left(139) + QStringLiteral("…");
    const QString title = c.data.description.isEmpty() ? QStringLiteral("Case %1").arg(index + 1)
                                                       : c.data.description;
    return title + QStringLiteral(" — ") + vars;
}

} // namespace

EvalChartsPage::EvalChartsPage(InsightsController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    m_eval = new QComboBox;
    m_eval->setMinimumContentsLength(48); // "prompt: eval name — dataset" whole
    m_eval->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_baseline = new QComboBox;
    m_baseline->setMinimumContentsLength(32); // "prompt@version · model" whole
    m_baseline->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_tabs = new QTabBar;
    m_tabs->setDocumentMode(true);
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(false);
    for (const QString &t : {tr("Pass rate"), tr("Mean score"), tr("Checks"), tr("Versions"),
                             tr("Cost && latency"), tr("Win rates"), tr("Scores")})
        m_tabs->addTab(t);
    m_costAxis = new QComboBox;
    m_costAxis->addItems({tr("Cost per 1,000 calls"), tr("Median latency"), tr("p95 latency")});
    m_export = new QPushButton(tr("Export…"));
    m_export->setToolTip(tr("Save the chart as PNG or SVG"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Eval")));
    controls->addWidget(m_eval);
    controls->addSpacing(8);
    controls->addWidget(new QLabel(tr("Baseline")));
    controls->addWidget(m_baseline);
    controls->addStretch(1);
    controls->addWidget(m_export);
    auto *chartRow = new QHBoxLayout;
    chartRow->addWidget(m_tabs);
    chartRow->addStretch(1);
    chartRow->addWidget(m_costAxis);

    m_messages = new MessageBar;
    m_chart = new ChartWidget;
    m_casesTitle = new QLabel;
    m_casesTitle->setWordWrap(true);
    m_cases = new QListWidget;
    m_cases->setFrameShape(QFrame::NoFrame);
    m_cases->setToolTip(tr("Double-click a case to open it in Evals"));
    m_casesPanel = new QWidget;
    auto *cl = new QVBoxLayout(m_casesPanel);
    cl->setContentsMargins(0, 4, 0, 0);
    cl->addWidget(m_casesTitle);
    cl->addWidget(m_cases);
    m_casesPanel->hide();
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_chart);
    split->addWidget(m_casesPanel);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *empty = new QWidget;
    auto *el = new QVBoxLayout(empty);
    m_emptyText = new QLabel;
    m_emptyText->setWordWrap(true);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setForegroundRole(QPalette::PlaceholderText);
    m_emptyAction = new QPushButton(tr("Go to Evals"));
    el->addStretch(1);
    el->addWidget(m_emptyText);
    el->addWidget(m_emptyAction, 0, Qt::AlignHCenter);
    el->addStretch(2);

    auto *charts = new QWidget;
    auto *chl = new QVBoxLayout(charts);
    chl->setContentsMargins(0, 0, 0, 0);
    chl->addLayout(chartRow);
    chl->addWidget(split, 1);
    m_stack = new QStackedWidget;
    m_stack->addWidget(empty);
    m_stack->addWidget(charts);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_messages);
    layout->addWidget(m_stack, 1);

    connect(m_eval, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling && m_eval->currentIndex() >= 0)
            showEval(m_eval->currentData().toLongLong(), 0);
    });
    connect(m_baseline, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (!m_filling && index >= 0 && m_evalId)
            showEval(m_evalId, index);
    });
    connect(m_tabs, &QTabBar::currentChanged, this, &EvalChartsPage::redraw);
    connect(m_costAxis, &QComboBox::currentIndexChanged, this, &EvalChartsPage::redraw);
    connect(m_export, &QPushButton::clicked, m_chart, &ChartWidget::exportWithDialog);
    connect(m_chart, &ChartWidget::pointActivated, this, &EvalChartsPage::showTarget);
    connect(m_cases, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT evalCellWanted(m_evalId, item->data(Qt::UserRole).toInt(),
                              item->data(Qt::UserRole + 1).toInt());
    });
    connect(m_emptyAction, &QPushButton::clicked, this, &EvalChartsPage::newEvalWanted);
    // Hidden, the page is read when the Insights section is next shown (InsightsView).
    connect(&controller, &InsightsController::projectChanged, this, [this] {
        m_evalId = 0;
        m_loaded.reset();
        if (isVisible())
            reload();
    });
    updateEmptyState();
}

void EvalChartsPage::reload()
{
    m_controller.listEvals(this, [this](Result<QList<EvalListEntry>> evals) {
        if (!evals) {
            m_messages->showMessage(MessageBar::Kind::Error, evals.error().message);
            return;
        }
        m_filling = true;
        m_eval->clear();
        for (const EvalListEntry &e : *evals) {
            const QString name = e.name.isEmpty() ? tr("Eval #%1").arg(e.id) : e.name;
            m_eval->addItem(tr("%1 — %2, %3 variants").arg(name, e.dataset).arg(e.variants), e.id);
        }
        m_evalCount = int(evals->size());
        const int keep = m_evalId ? m_eval->findData(m_evalId) : -1;
        m_eval->setCurrentIndex(keep >= 0 ? keep : (m_eval->count() ? 0 : -1));
        m_filling = false;
        updateEmptyState();
        if (keep < 0 && m_eval->count() > 0)
            showEval(m_eval->currentData().toLongLong(), 0);
    });
}

void EvalChartsPage::showEval(qint64 evalId, int baseline)
{
    m_evalId = evalId;
    m_messages->showProgress(tr("Loading the eval's charts…"));
    m_controller.loadEvalCharts(
        evalId, baseline, this, [this, evalId](Result<LoadedEvalCharts> loaded) {
            if (evalId != m_evalId)
                return;
            m_messages->hideProgress();
            if (!loaded) {
                m_messages->showMessage(MessageBar::Kind::Error, loaded.error().message);
                return;
            }
            m_messages->clear();
            m_loaded = std::move(*loaded);
            m_filling = true;
            const int index = m_eval->findData(evalId);
            if (index >= 0)
                m_eval->setCurrentIndex(index);
            m_baseline->clear();
            for (const EvalVariantSummary &v : m_loaded->results->variants)
                m_baseline->addItem(v.label);
            m_baseline->setCurrentIndex(m_loaded->charts.passRate.baseline);
            m_filling = false;
            m_casesPanel->hide();
            updateEmptyState();
            redraw();
            Q_EMIT chartsLoaded(evalId);
        });
}

void EvalChartsPage::showChart(Chart chart)
{
    m_tabs->setCurrentIndex(int(chart));
    redraw();
}

void EvalChartsPage::setCostAxis(int axis)
{
    m_costAxis->setCurrentIndex(axis);
}

bool EvalChartsPage::isShowingEmptyState() const
{
    return m_stack->currentIndex() == 0;
}

void EvalChartsPage::updateEmptyState()
{
    const bool none = m_evalCount == 0;
    m_stack->setCurrentIndex(none || !m_loaded ? 0 : 1);
    m_emptyText->setText(none ? tr("No evals yet. Run an eval of a prompt over a dataset to chart "
                                   "its pass rates, costs and latencies here.")
                              : tr("Loading…"));
    m_emptyAction->setVisible(none);
    m_baseline->setEnabled(m_loaded.has_value());
    m_export->setEnabled(m_loaded.has_value());
}

void EvalChartsPage::redraw()
{
    const Chart chart = Chart(m_tabs->currentIndex());
    m_costAxis->setVisible(chart == Chart::QualityCost);
    if (!m_loaded)
        return;
    const EvalCharts &c = m_loaded->charts;
    switch (chart) {
    case Chart::PassRate:
        m_chart->showIntervals(passRateChartData(c));
        break;
    case Chart::MeanScore:
        if (c.scores.isEmpty())
            m_chart->showEmpty(tr("No scores yet: nothing has been scored in this eval."));
        else
            m_chart->showIntervals(meanScoreChartData(c));
        break;
    case Chart::Checks:
        if (c.heatMap.rows.isEmpty())
            m_chart->showEmpty(tr("This eval has no assertions or pointwise judges to chart."));
        else
            m_chart->showHeatmap(checksHeatmapData(c));
        break;
    case Chart::Versions: {
        bool any = false;
        for (const VersionHistorySeries &s : c.history)
            any = any || s.points.size() > 0;
        if (!any)
            m_chart->showEmpty(tr("No other version of these prompts was evaluated on this "
                                  "dataset with the same model."));
        else
            m_chart->showSeries(versionHistoryData(c));
        break;
    }
    case Chart::QualityCost: {
        const ScatterChartData d = qualityCostData(c, CostAxis(m_costAxis->currentIndex()));
        if (d.items.isEmpty())
            m_chart->showEmpty(
                m_costAxis->currentIndex() == 0
                    ? tr("No costs recorded: set the models' prices to chart quality "
                         "against cost.")
                    : tr("No latencies recorded for calls made in this eval."));
        else
            m_chart->showScatter(d);
        break;
    }
    case Chart::WinRates:
        if (c.winRates.isEmpty())
            m_chart->showEmpty(tr("No pairwise comparisons yet: add a pairwise judge to the eval, "
                                  "or label pairs in Annotate."));
        else
            m_chart->showIntervals(winRateChartData(c));
        break;
    case Chart::Scores:
        if (c.histograms.isEmpty())
            m_chart->showEmpty(tr("No scores yet: nothing has been scored in this eval."));
        else
            m_chart->showHistogram(scoreHistogramData(c));
        break;
    }
}

void EvalChartsPage::showTarget(const ChartTarget &target)
{
    if (target.kind == ChartTarget::Kind::Eval && !target.ids.isEmpty()) {
        Q_EMIT evalWanted(target.ids.front());
        return;
    }
    if (target.kind != ChartTarget::Kind::EvalCases || !m_loaded)
        return;
    m_target = target;
    const EvalResults &results = *m_loaded->results;
    m_cases->clear();
    m_casesTitle->setText(
        QStringLiteral("<b>%1</b> — %2")
            .arg(target.description.toHtmlEscaped(), tr("double-click one to open it in Evals")));
    for (qint64 id : target.ids) {
        const int index = int(id);
        if (index < 0 || index >= results.cases.size())
            continue;
        const EvalCell &cell = results.cell(index, target.variant);
        QString verdict = cell.outputs() == 0 ? tr("no output")
            : cell.pass()                     ? tr("pass")
                                              : tr("fail");
        if (cell.samples.size() > 1)
            verdict = tr("%1 of %2 passed").arg(cell.passes()).arg(cell.outputs());
        auto *item = new QListWidgetItem(
            QStringLiteral("[%1] %2").arg(verdict, caseSummary(results.cases[index], index)));
        item->setData(Qt::UserRole, index);
        item->setData(Qt::UserRole + 1, target.variant);
        m_cases->addItem(item);
    }
    m_casesPanel->setVisible(true);
}

} // namespace ts
