#include "evals/statisticspanel.h"

#include "evals/counted.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ts {

namespace {
enum Column { Variant, PassRate, Score, PassAtK, PassHatK, Flaky, Errors, Cost, ColumnCount };

QString percent(double v)
{
    return QStringLiteral("%1%").arg(qRound(100 * v));
}
} // namespace

StatisticsPanel::StatisticsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_overall = new QLabel(this);
    m_overall->setWordWrap(true);
    layout->addWidget(m_overall);
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setHorizontalHeaderLabels({tr("Variant"), tr("Pass rate (95% CI)"),
                                        tr("Mean score (95% CI)"), tr("pass@k"), tr("pass^k"),
                                        tr("Flaky"), tr("Errors"), tr("Cost")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(Variant, QHeaderView::Stretch);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    layout->addWidget(m_table, 1);

    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Baseline"), this));
    m_baseline = new QComboBox(this);
    row->addWidget(m_baseline, 1);
    row->addWidget(new QLabel(tr("Candidate"), this));
    m_candidate = new QComboBox(this);
    row->addWidget(m_candidate, 1);
    layout->addLayout(row);
    m_sentence = new QLabel(this);
    m_sentence->setWordWrap(true);
    m_sentence->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_sentence);

    auto changed = [this] {
        compare();
        Q_EMIT comparisonChanged(m_baseline->currentIndex(), m_candidate->currentIndex());
    };
    connect(m_baseline, &QComboBox::currentIndexChanged, this, changed);
    connect(m_candidate, &QComboBox::currentIndexChanged, this, changed);
}

QString StatisticsPanel::formatRate(const stats::CasePassRate &p, int errors)
{
    const QString errorText = errors > 0 ? counted(errors, tr("error"), tr("errors")) : QString();
    if (p.trials == 0)
        return errorText.isEmpty() ? QStringLiteral("–") : QStringLiteral("– · ") + errorText;
    QString text
        = QStringLiteral("%1 [%2–%3] · ")
              .arg(percent(p.estimate), QString::number(qRound(100 * p.ci.low)), percent(p.ci.high))
        + tr("%1/%2 passed").arg(p.successes).arg(p.trials);
    if (!errorText.isEmpty())
        text += QStringLiteral(", ") + errorText;
    return text;
}

QString StatisticsPanel::unitText(const EvalResults &r)
{
    bool repeated = false;
    for (const EvalVariantSummary &v : r.variants)
        repeated = repeated || v.passRate.method == stats::RateMethod::CaseBootstrap;
    if (!repeated)
        return tr("Unit: the test case. Pass rate = share of cases passed, 95% Wilson interval; "
                  "comparisons: McNemar exact on paired cases. Errors (calls that failed) are left "
                  "out of every number.");
    return tr("Unit: the test case; its %1 samples stay together. Pass rate = mean over cases of "
              "each case's pass share, 95% bootstrap interval resampling cases; comparisons: "
              "paired bootstrap over cases of the pass-share difference (McNemar on per-case "
              "majority verdicts for reference). Passed/scored count samples. Errors (calls "
              "that failed) are left out of every number.")
        .arg(r.samples);
}

bool StatisticsPanel::hasChecks(const EvalResults &r)
{
    // Nothing answered yet: nothing to say either way.
    return r.scoredSamples == 0 || r.checked;
}

QString StatisticsPanel::summaryText() const
{
    return m_overall->text();
}

QString StatisticsPanel::formatMean(const stats::MeanEstimate &m)
{
    if (m.n == 0)
        return QStringLiteral("–");
    return QStringLiteral("%1 [%2–%3]")
        .arg(m.mean, 0, 'f', 2)
        .arg(m.ci.low, 0, 'f', 2)
        .arg(m.ci.high, 0, 'f', 2);
}

void StatisticsPanel::setResults(std::shared_ptr<const EvalResults> results)
{
    const bool sameVariants = results && m_results && results->evalId == m_results->evalId
        && results->variants.size() == m_results->variants.size();
    m_results = std::move(results);
    ++m_serial;
    const int n = m_results ? int(m_results->variants.size()) : 0;
    const bool checked = !m_results || hasChecks(*m_results);
    m_table->setRowCount(n);
    for (int v = 0; v < n; ++v) {
        const EvalVariantSummary &s = m_results->variants[v];
        auto put = [&](int column, const QString &text) {
            auto *item = m_table->item(v, column);
            if (!item) {
                item = new QTableWidgetItem;
                m_table->setItem(v, column, item);
            }
            item->setText(text);
        };
        put(Variant, s.label);
        const bool intervalPending = m_results->statisticsPending
            && s.passRate.method == stats::RateMethod::CaseBootstrap && s.passRate.trials > 0;
        put(PassRate,
            checked ? (intervalPending ? tr("%1 [computing…] · %2/%3 passed")
                                             .arg(percent(s.passRate.estimate))
                                             .arg(s.passRate.successes)
                                             .arg(s.passRate.trials)
                               + (s.errors > 0 ? QStringLiteral(", ")
                                          + counted(s.errors, tr("error"), tr("errors"))
                                               : QString())
                                       : formatRate(s.passRate, s.errors))
                    : tr("no checks · %1 answered").arg(s.passRate.trials)
                    + (s.errors > 0
                           ? QStringLiteral(", ") + counted(s.errors, tr("error"), tr("errors"))
                           : QString()));
        put(Score,
            !checked ? QStringLiteral("–")
                : m_results->statisticsPending && s.score.n > 0
                ? tr("%1 [computing…]").arg(s.score.mean, 0, 'f', 2)
                : formatMean(s.score));
        put(PassAtK, s.passAtK ? percent(*s.passAtK) : QStringLiteral("–"));
        put(PassHatK, s.passHatK ? percent(*s.passHatK) : QStringLiteral("–"));
        put(Flaky,
            m_results->samples > 1 ? QString::number(s.flakyCases.size()) : QStringLiteral("–"));
        put(Errors,
            QString::number(s.errors)
                + (s.missing ? tr(" (%1 to run)").arg(s.missing) : QString()));
        m_table->item(v, PassRate)
            ->setToolTip(s.passRate.method == stats::RateMethod::Wilson
                             ? tr("Share of %1 passed (95% Wilson interval); errors left out")
                                   .arg(counted(s.passRate.cases, tr("case"), tr("cases")))
                             : tr("Mean per-case pass share over %1 (95% bootstrap interval "
                                  "resampling cases); errors left out")
                                   .arg(counted(s.passRate.cases, tr("case"), tr("cases"))));
        put(Cost,
            s.cost > 0 ? QStringLiteral("$%1").arg(s.cost, 0, 'f', s.cost < 0.1 ? 4 : 2)
                       : QStringLiteral("–"));
    }
    m_table->setColumnHidden(PassAtK, !m_results || m_results->samples <= 1);
    m_table->setColumnHidden(PassHatK, !m_results || m_results->samples <= 1);
    m_table->setColumnHidden(Flaky, !m_results || m_results->samples <= 1);
    for (int c = PassRate; c < ColumnCount; ++c)
        m_table->resizeColumnToContents(c);
    if (m_results) {
        QString text = tr("<b>Statistics</b> · %1")
                           .arg(counted(m_results->dataset.caseCount, tr("case"), tr("cases")));
        if (m_results->samples > 1)
            text += tr(" × %1 samples (k = %1)").arg(m_results->samples);
        if (m_results->scoredSamples == 0 && m_results->errorCount == 0)
            text += QStringLiteral(" · ") + tr("no answers yet");
        else if (checked)
            text += QStringLiteral(" · ")
                + tr("%1/%2 passed").arg(m_results->passedSamples).arg(m_results->scoredSamples);
        else
            text += QStringLiteral(" · ")
                + tr("no checks: the dataset has no assertions and the eval no judges, so the "
                     "%1 answers were not checked")
                      .arg(m_results->scoredSamples);
        if (m_results->errorCount > 0)
            text
                += QStringLiteral(", ") + counted(m_results->errorCount, tr("error"), tr("errors"));
        if (m_results->statisticsPending)
            text += QStringLiteral(" · <i>") + tr("Computing statistics…") + QStringLiteral("</i>");
        text += QStringLiteral("<br><small>") + unitText(*m_results).toHtmlEscaped()
            + QStringLiteral("</small>");
        m_overall->setText(text);
    } else {
        m_overall->clear();
    }

    if (!sameVariants) {
        const QSignalBlocker b1(m_baseline), b2(m_candidate);
        m_baseline->clear();
        m_candidate->clear();
        for (int v = 0; v < n; ++v) {
            m_baseline->addItem(m_results->variants[v].label);
            m_candidate->addItem(m_results->variants[v].label);
        }
        m_baseline->setCurrentIndex(n > 0 ? 0 : -1);
        // Prompt engineers mostly ask "is the new version better on the same model?".
        int candidate = n > 1 ? 1 : (n > 0 ? 0 : -1);
        for (int v = n - 1; v > 0; --v)
            if (m_results->variants[v].modelId == m_results->variants[0].modelId
                && m_results->variants[v].promptVersionId != m_results->variants[0].promptVersionId)
                candidate = v;
        m_candidate->setCurrentIndex(candidate);
    }
    m_baseline->setEnabled(n > 1);
    m_candidate->setEnabled(n > 1);
    compare();
}

void StatisticsPanel::setComparison(int baseline, int candidate)
{
    m_baseline->setCurrentIndex(baseline);
    m_candidate->setCurrentIndex(candidate);
}

QString StatisticsPanel::comparisonText() const
{
    return m_sentence->text();
}

void StatisticsPanel::compare()
{
    if (!m_results || m_results->variants.size() < 2) {
        m_sentence->setText(m_results ? tr("Add a second variant to compare.") : QString());
        return;
    }
    const int a = m_baseline->currentIndex();
    const int b = m_candidate->currentIndex();
    if (a < 0 || b < 0 || a == b) {
        m_sentence->setText(tr("Choose two different variants to compare."));
        return;
    }
    if (!hasChecks(*m_results)) {
        m_sentence->setText(tr("Nothing to compare: no checks. Add assertions to the dataset or "
                               "a judge to the eval."));
        return;
    }
    if (m_results->statisticsPending) {
        // The paired test resamples every case: it waits for the statistics.
        m_sentence->setText(tr("Comparing once the statistics are computed…"));
        return;
    }
    // Asked once per pair and statistics; the answer comes back through showComparison().
    if (m_askedSerial == m_serial && m_askedBaseline == a && m_askedCandidate == b)
        return;
    m_askedSerial = m_serial;
    m_askedBaseline = a;
    m_askedCandidate = b;
    m_sentence->setText(tr("Comparing…"));
    Q_EMIT comparisonWanted(m_results->evalId, a, b);
}

void StatisticsPanel::showComparison(qint64 evalId, int baseline, int candidate,
                                     const QString &sentence)
{
    if (!m_results || evalId != m_results->evalId || baseline != m_baseline->currentIndex()
        || candidate != m_candidate->currentIndex())
        return;
    m_sentence->setText(sentence);
}

} // namespace ts
