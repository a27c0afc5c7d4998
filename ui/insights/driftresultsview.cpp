#include "insights/driftresultsview.h"

#include "charts/chartstyle.h"
#include "charts/chartwidget.h"
#include "insights/textmetrics.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabBar>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ts {

namespace {

QString isoDate(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date().toString(Qt::ISODate);
}

QString metricLabel(const QString &key)
{
    static const QHash<QString, QString> labels = {
        {QStringLiteral("input_length_psi"), DriftResultsView::tr("Input length PSI")},
        {QStringLiteral("output_length_psi"), DriftResultsView::tr("Output length PSI")},
        {QStringLiteral("input_vocab_jsd"), DriftResultsView::tr("Input vocabulary JSD")},
        {QStringLiteral("output_vocab_jsd"), DriftResultsView::tr("Output vocabulary JSD")},
        {QStringLiteral("output_json_rate_reference"),
         DriftResultsView::tr("JSON outputs, reference")},
        {QStringLiteral("output_json_rate_current"), DriftResultsView::tr("JSON outputs, current")},
        {QStringLiteral("output_schema_rate_reference"),
         DriftResultsView::tr("Schema matches, reference")},
        {QStringLiteral("output_schema_rate_current"),
         DriftResultsView::tr("Schema matches, current")},
        {QStringLiteral("centroid_distance"), DriftResultsView::tr("Centroid distance")},
        {QStringLiteral("domain_auc"), DriftResultsView::tr("Domain classifier AUC")},
        {QStringLiteral("domain_auc_threshold"),
         DriftResultsView::tr("AUC with shuffled labels (95th pct)")},
    };
    return labels.value(key, key);
}

bool isRate(const QString &key)
{
    return key.startsWith(QLatin1String("output_json"))
        || key.startsWith(QLatin1String("output_schema"));
}

QString excerpt(const QString &text, int length = 160)
{
    QString t = text.simplified();
    return t.size() > length ? t.left(length - 1) + QStringLiteral("…") : t;
}

QLabel *heading(const QString &text)
{
    auto *label = new QLabel(text);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

/// The alerts as a person reads them: overall ones one per line (metric names spelled out, new
/// topics after five folded into a count), and those of single windows one line per metric
/// ("in 5 of 7 windows, highest 0.891 from 2026-02-17") — the Per window chart has the rest.
QString alertsText(const DriftReport &r)
{
    QStringList lines;
    int newTopics = 0;
    QStringList windowMetrics; // in order of first appearance
    QHash<QString, QList<const DriftAlert *>> byMetric;
    for (const DriftAlert &a : r.alerts) {
        if (a.windowStartMs) {
            if (!byMetric.contains(a.metric))
                windowMetrics.append(a.metric);
            byMetric[a.metric].append(&a);
            continue;
        }
        if (a.metric == QLatin1String("new_topic") && ++newTopics > 5)
            continue;
        QString message = a.message;
        if (message.startsWith(a.metric))
            message.replace(0, a.metric.size(), metricLabel(a.metric));
        else if (!message.isEmpty())
            message[0] = message[0].toUpper();
        lines.append(QStringLiteral("• ") + message.toHtmlEscaped());
    }
    if (newTopics > 5)
        lines.append(
            QStringLiteral("• ")
            + DriftResultsView::tr("%1 more new topics (see Topics below)").arg(newTopics - 5));
    for (const QString &metric : std::as_const(windowMetrics)) {
        const QList<const DriftAlert *> &alerts = byMetric[metric];
        const DriftAlert *highest = *std::max_element(
            alerts.begin(), alerts.end(),
            [](const DriftAlert *a, const DriftAlert *b) { return a->value < b->value; });
        lines.append(QStringLiteral("• ")
                     + DriftResultsView::tr("%1 in %2 of %3 windows (highest %4, from %5)")
                           .arg(metricLabel(metric).toHtmlEscaped())
                           .arg(alerts.size())
                           .arg(r.windows.size())
                           .arg(isRate(metric) ? QString::number(100 * highest->value, 'f', 1)
                                        + QLatin1Char('%')
                                               : QString::number(highest->value, 'f', 3),
                                isoDate(*highest->windowStartMs)));
    }
    const QString title = r.alerts.size() == 1
        ? DriftResultsView::tr("<b>1 alert</b>")
        : DriftResultsView::tr("<b>%1 alerts</b>").arg(r.alerts.size());
    return title + QStringLiteral("<br>") + lines.join(QStringLiteral("<br>"));
}

} // namespace

DriftResultsView::DriftResultsView(InsightsController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_alerts = new QLabel;
    m_alerts->setWordWrap(true);
    m_metrics = new QTableWidget(0, 3);
    m_metrics->setHorizontalHeaderLabels({tr("Metric"), tr("Value"), tr("Band / limit")});
    m_metrics->verticalHeader()->hide();
    m_metrics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics->setSelectionMode(QAbstractItemView::NoSelection);
    m_metrics->setShowGrid(false);
    m_metrics->setFrameShape(QFrame::NoFrame);
    m_metrics->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_metrics->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_metrics->horizontalHeader()->setStretchLastSection(true);
    m_refWords = new QListWidget;
    m_curWords = new QListWidget;
    for (QListWidget *w : {m_refWords, m_curWords}) {
        w->setFrameShape(QFrame::NoFrame);
        w->setSelectionMode(QAbstractItemView::NoSelection);
    }
    auto *words = new QWidget;
    auto *wl = new QHBoxLayout(words);
    wl->setContentsMargins(0, 0, 0, 0);
    auto *wr = new QVBoxLayout;
    wr->addWidget(heading(tr("Typical of the reference")));
    wr->addWidget(m_refWords);
    auto *wc = new QVBoxLayout;
    wc->addWidget(heading(tr("Typical of current")));
    wc->addWidget(m_curWords);
    wl->addLayout(wr);
    wl->addLayout(wc);

    auto *left = new QWidget;
    auto *ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->addWidget(m_summary);
    ll->addWidget(m_alerts);
    ll->addWidget(m_metrics, 3);
    ll->addWidget(words, 2);

    m_chartTabs = new QTabBar;
    m_chartTabs->setDocumentMode(true);
    m_chartTabs->setDrawBase(false);
    m_chartTabs->addTab(tr("Topic map"));
    m_chartTabs->addTab(tr("Per window"));
    m_charts = new QStackedWidget;
    m_map = new ChartWidget;
    m_windowChart = new ChartWidget;
    m_charts->addWidget(m_map);
    m_charts->addWidget(m_windowChart);
    auto *right = new QWidget;
    auto *rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    rl->addWidget(m_chartTabs, 0, Qt::AlignLeft);
    rl->addWidget(m_charts, 1);

    m_clusters = new QTableWidget(0, 5);
    m_clusters->setHorizontalHeaderLabels(
        {tr("Topic"), tr("Reference"), tr("Current"), tr("Drift ratio"), tr("Typical words")});
    m_clusters->verticalHeader()->hide();
    m_clusters->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_clusters->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_clusters->setSelectionMode(QAbstractItemView::SingleSelection);
    m_clusters->setShowGrid(false);
    m_clusters->setFrameShape(QFrame::NoFrame);
    for (int c = 0; c < 4; ++c)
        m_clusters->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_clusters->horizontalHeader()->setStretchLastSection(true);
    m_examplesTitle = heading(tr("Examples"));
    m_examples = new QListWidget;
    m_examples->setFrameShape(QFrame::NoFrame);
    m_examples->setWordWrap(true);
    m_examples->setToolTip(tr("Double-click a record to open it in Logs"));
    m_addSample = new QPushButton(tr("Add a Sample of This Topic to a Dataset…"));
    m_addSample->setEnabled(false);
    auto *examples = new QWidget;
    auto *xl = new QVBoxLayout(examples);
    xl->setContentsMargins(0, 0, 0, 0);
    xl->addWidget(m_examplesTitle);
    xl->addWidget(m_examples, 1);
    xl->addWidget(m_addSample, 0, Qt::AlignLeft);

    auto *top = new QSplitter(Qt::Horizontal);
    top->addWidget(left);
    top->addWidget(right);
    top->setStretchFactor(0, 2);
    top->setStretchFactor(1, 3);
    auto *bottom = new QSplitter(Qt::Horizontal);
    auto *clusters = new QWidget;
    auto *cl = new QVBoxLayout(clusters);
    cl->setContentsMargins(0, 0, 0, 0);
    cl->addWidget(heading(tr("Topics (both sides clustered together; new topics first)")));
    cl->addWidget(m_clusters);
    bottom->addWidget(clusters);
    bottom->addWidget(examples);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    auto *results = new QSplitter(Qt::Vertical);
    results->addWidget(top);
    results->addWidget(bottom);
    results->setStretchFactor(0, 3);
    results->setStretchFactor(1, 2);
    results->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(results);

    connect(m_chartTabs, &QTabBar::currentChanged, m_charts, &QStackedWidget::setCurrentIndex);
    connect(m_clusters, &QTableWidget::itemSelectionChanged, this,
            &DriftResultsView::clusterSelected);
    connect(m_examples, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT logRecordWanted(item->data(Qt::UserRole).toLongLong());
    });
    connect(m_addSample, &QPushButton::clicked, this, [this] {
        const int row = m_clusters->currentRow();
        if (row < 0)
            return;
        Q_EMIT addToDatasetWanted(sampleOfSelectedTopic(),
                                  m_clusters->item(row, 0)->text() + QStringLiteral(": ")
                                      + m_clusters->item(row, 4)->text());
    });
    connect(m_map, &ChartWidget::pointActivated, this, [this](const ChartTarget &target) {
        if (target.kind == ChartTarget::Kind::LogRecords && !target.ids.isEmpty())
            Q_EMIT logRecordWanted(target.ids.front());
    });
}

DriftResultsView::~DriftResultsView() = default;

void DriftResultsView::clear()
{
    m_outcome.reset();
    ++m_examplesGeneration; // examples still loading are for the old outcome
}

ChartWidget *DriftResultsView::currentChart() const
{
    return m_charts->currentIndex() == 1 ? m_windowChart : m_map;
}

void DriftResultsView::showOutcome(const DriftOutcome &outcome)
{
    m_outcome = outcome;
    const DriftReport &r = outcome.report;
    const QLocale locale;
    m_summary->setText(
        tr("<b>Reference</b> %1 (%2 records) &nbsp;·&nbsp; <b>Current</b> %3 (%4 records)<br>"
           "Representation: %5 &nbsp;·&nbsp; Thresholds: %6%7")
            .arg(outcome.referenceDescription.toHtmlEscaped(), locale.toString(r.referenceN),
                 outcome.currentDescription.toHtmlEscaped(), locale.toString(r.currentN),
                 r.representation.toHtmlEscaped(),
                 r.thresholdMode == DriftThresholds::Learned
                     ? tr("learned (reference chunks' mean + 3 sd)")
                     : tr("fixed bands"),
                 r.thresholdNote.isEmpty()
                     ? QString()
                     : QStringLiteral("<br>") + r.thresholdNote.toHtmlEscaped()));
    const ChartStyle style = ChartStyle::fromPalette(palette(), font());
    if (r.alerts.isEmpty()) {
        m_alerts->setText(tr("No alerts: every metric is within its band."));
        m_alerts->setStyleSheet(QStringLiteral("color: %1").arg(style.pass.name()));
    } else {
        m_alerts->setText(alertsText(r));
        m_alerts->setStyleSheet(QStringLiteral("color: %1").arg(style.fail.name()));
    }
    showMetrics(r);
    auto fillWords = [](QListWidget *list, const QList<TypicalWord> &words) {
        list->clear();
        for (const TypicalWord &w : words) {
            auto *item = new QListWidgetItem(
                QStringLiteral("%1   z %2").arg(w.word, QString::number(w.z, 'f', 1)));
            item->setToolTip(tr("log-odds z-score %1 (informative Dirichlet prior)")
                                 .arg(QString::number(w.z, 'f', 2)));
            list->addItem(item);
        }
        if (words.isEmpty())
            list->addItem(tr("(none stands out)"));
    };
    fillWords(m_refWords, r.typicalWords.reference);
    fillWords(m_curWords, r.typicalWords.current);
    showClusters(r);
    showMap(outcome);
    showWindows(r);
    m_chartTabs->setTabEnabled(1, !r.windows.isEmpty());
    if (r.windows.isEmpty())
        m_chartTabs->setCurrentIndex(0);
}

void DriftResultsView::showMetrics(const DriftReport &r)
{
    const ChartStyle style = ChartStyle::fromPalette(palette(), font());
    auto limitOf = [&r](const QString &key) -> std::optional<double> {
        for (const auto &[k, v] : r.thresholds)
            if (k == key)
                return v;
        return std::nullopt;
    };
    auto alerted = [&r](const QString &key) {
        return std::any_of(r.alerts.begin(), r.alerts.end(), [&](const DriftAlert &a) {
            return a.metric == key && !a.windowStartMs;
        });
    };
    const auto entries = metricEntries(r.metrics);
    m_metrics->setRowCount(0);
    for (const auto &[key, value] : entries) {
        if (!value)
            continue;
        const int row = m_metrics->rowCount();
        m_metrics->insertRow(row);
        auto *name = new QTableWidgetItem(metricLabel(key));
        name->setData(Qt::UserRole, key);
        const QString text = isRate(key) ? QString::number(100 * *value, 'f', 1) + QLatin1Char('%')
            : key == QLatin1String("centroid_distance") ? QString::number(*value, 'f', 4)
                                                        : QString::number(*value, 'f', 3);
        auto *val = new QTableWidgetItem(text);
        val->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        QString band;
        QColor tone;
        if (key.endsWith(QLatin1String("length_psi"))) {
            const PsiBand b = psiBand(*value);
            band = psiBandName(b);
            tone = b == PsiBand::Stable  ? style.pass
                : b == PsiBand::Moderate ? style.warning
                                         : style.fail;
        }
        if (const auto limit = limitOf(key)) {
            const QString l = isRate(key)
                ? tr("drop ≤ %1 points").arg(QString::number(100 * *limit, 'f', 1))
                : tr("limit %1").arg(QString::number(*limit, 'f', 3));
            band = band.isEmpty() ? l : band + QStringLiteral(" · ") + l;
            if (!tone.isValid())
                tone = style.pass;
        }
        if (alerted(key)) {
            band = tr("ALERT") + (band.isEmpty() ? QString() : QStringLiteral(" · ") + band);
            tone = style.fail;
        }
        auto *bandItem = new QTableWidgetItem(band);
        if (tone.isValid())
            bandItem->setForeground(tone);
        m_metrics->setItem(row, 0, name);
        m_metrics->setItem(row, 1, val);
        m_metrics->setItem(row, 2, bandItem);
    }
}

void DriftResultsView::showClusters(const DriftReport &r)
{
    QList<DriftCluster> clusters = r.clusters;
    std::stable_sort(clusters.begin(), clusters.end(),
                     [](const DriftCluster &a, const DriftCluster &b) {
                         if (a.newTopic != b.newTopic)
                             return a.newTopic;
                         return a.driftRatio > b.driftRatio;
                     });
    const ChartStyle style = ChartStyle::fromPalette(palette(), font());
    m_clusters->setRowCount(0);
    for (const DriftCluster &c : clusters) {
        const int row = m_clusters->rowCount();
        m_clusters->insertRow(row);
        auto *topic = new QTableWidgetItem(c.newTopic ? tr("#%1  new topic").arg(c.id)
                                                      : tr("#%1").arg(c.id));
        topic->setData(Qt::UserRole, c.id);
        if (c.newTopic) {
            topic->setForeground(style.fail);
            QFont f = topic->font();
            f.setBold(true);
            topic->setFont(f);
        }
        auto number = [](int n) {
            auto *item = new QTableWidgetItem(QLocale().toString(n));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            return item;
        };
        auto *ratio = new QTableWidgetItem(QString::number(c.driftRatio, 'f', 2));
        ratio->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        ratio->setToolTip(
            tr("(current share − reference share) / (current share + reference share)"));
        m_clusters->setItem(row, 0, topic);
        m_clusters->setItem(row, 1, number(c.reference));
        m_clusters->setItem(row, 2, number(c.current));
        m_clusters->setItem(row, 3, ratio);
        m_clusters->setItem(row, 4, new QTableWidgetItem(c.words.join(QStringLiteral(", "))));
    }
    m_examples->clear();
    m_examplesTitle->setText(tr("Examples"));
    m_addSample->setEnabled(false);
    if (m_clusters->rowCount() > 0)
        m_clusters->selectRow(0);
}

void DriftResultsView::showMap(const DriftOutcome &outcome)
{
    const DriftReport &r = outcome.report;
    MapChartData d;
    d.title = tr("Topic map");
    d.subtitle = tr("Both sides on their first two principal components (across, up); ● current, □ "
                    "reference");
    d.primaryName = tr("current");
    d.secondaryName = tr("reference");
    d.secondaryKind
        = outcome.referenceIsDataset ? ChartTarget::Kind::TestCases : ChartTarget::Kind::LogRecords;
    QHash<int, int> group;
    for (const DriftCluster &c : r.clusters) {
        group.insert(c.id, int(d.groups.size()));
        const QString words = c.words.mid(0, 3).join(QStringLiteral(", "));
        d.groups.append(c.newTopic ? tr("#%1 new: %2").arg(c.id).arg(words)
                                   : tr("#%1 %2").arg(c.id).arg(words));
        if (c.newTopic)
            d.emphasized.append(int(d.groups.size()) - 1);
    }
    for (const DriftMapPoint &p : r.map) {
        if (!group.contains(p.cluster))
            continue;
        d.points.append({p.x, p.y, group.value(p.cluster), !p.current, p.recordId});
    }
    if (d.points.isEmpty())
        m_map->showEmpty(tr("No map: too few records to cluster."));
    else
        m_map->showMap(d);
}

void DriftResultsView::showWindows(const DriftReport &r)
{
    if (r.windows.isEmpty()) {
        m_windowChart->showEmpty(tr("Compare per day or per week to see drift over time."));
        return;
    }
    SeriesChartData d;
    d.title = tr("Length PSI per window");
    d.subtitle = tr("Each window of current logs against the whole reference");
    d.valueTitle = tr("population stability index");
    d.categoryTitle = tr("window start (UTC)");
    d.percent = false;
    d.minValue = 0;
    d.maxValue = 0.3;
    d.bands = {{0, 0.1, tr("stable"), ValueBand::Tone::Good},
               {0.1, 0.25, tr("moderate"), ValueBand::Tone::Warning},
               {0.25, 1e9, tr("major"), ValueBand::Tone::Bad}};
    SeriesLine input {tr("input length PSI"), {}};
    SeriesLine output {tr("output length PSI"), {}};
    for (int i = 0; i < r.windows.size(); ++i) {
        const DriftWindowResult &w = r.windows[i];
        d.categories.append(QDateTime::fromMSecsSinceEpoch(w.startMs, Qt::UTC)
                                .date()
                                .toString(QStringLiteral("MMM d")));
        const QString range
            = tr("%1 to %2, %3 records").arg(isoDate(w.startMs), isoDate(w.endMs - 1)).arg(w.n);
        auto alerted = [&r, &w](const QString &key) {
            return std::any_of(r.alerts.begin(), r.alerts.end(), [&](const DriftAlert &a) {
                return a.metric == key && a.windowStartMs == w.startMs;
            });
        };
        auto add = [&](SeriesLine &line, const std::optional<double> &psi, const QString &key) {
            if (!psi)
                return;
            line.points.append({i,
                                *psi,
                                std::nullopt,
                                std::nullopt,
                                alerted(key),
                                tr("%1 %2 (%3)\n%4")
                                    .arg(metricLabel(key), QString::number(*psi, 'f', 3),
                                         psiBandName(psiBand(*psi)), range),
                                {}});
        };
        add(input, w.metrics.inputLengthPsi, QStringLiteral("input_length_psi"));
        add(output, w.metrics.outputLengthPsi, QStringLiteral("output_length_psi"));
    }
    d.lines = {input, output};
    m_windowChart->showSeries(d);
}

int DriftResultsView::selectedCluster() const
{
    const int row = m_clusters->currentRow();
    if (row < 0 || !m_clusters->item(row, 0))
        return -1;
    return m_clusters->item(row, 0)->data(Qt::UserRole).toInt();
}

void DriftResultsView::selectCluster(int clusterId)
{
    for (int row = 0; row < m_clusters->rowCount(); ++row)
        if (m_clusters->item(row, 0)->data(Qt::UserRole).toInt() == clusterId) {
            m_clusters->selectRow(row);
            return;
        }
}

QList<qint64> DriftResultsView::sampleOfSelectedTopic(int limit) const
{
    QList<qint64> out;
    if (!m_outcome)
        return out;
    const int id = selectedCluster();
    for (const DriftCluster &c : m_outcome->report.clusters)
        if (c.id == id)
            for (qint64 e : c.examples)
                if (out.size() < limit && !out.contains(e))
                    out.append(e);
    QList<qint64> members;
    for (const DriftMapPoint &p : m_outcome->report.map)
        if (p.current && p.cluster == id && !out.contains(p.recordId))
            members.append(p.recordId);
    const int room = limit - int(out.size());
    if (room > 0 && !members.isEmpty()) {
        const double step = std::max(1.0, double(members.size()) / room);
        for (double i = 0; i < members.size() && out.size() < limit; i += step)
            out.append(members[int(i)]);
    }
    return out;
}

void DriftResultsView::clusterSelected()
{
    const int id = selectedCluster();
    m_examples->clear();
    if (!m_outcome || id < 0) {
        m_addSample->setEnabled(false);
        return;
    }
    const DriftCluster *cluster = nullptr;
    for (const DriftCluster &c : m_outcome->report.clusters)
        if (c.id == id)
            cluster = &c;
    if (!cluster)
        return;
    m_examplesTitle->setText(
        tr("Examples of topic #%1 (current records nearest its centre)").arg(id));
    m_addSample->setEnabled(cluster->current > 0);
    const quint64 generation = ++m_examplesGeneration;
    m_controller.loadRecords(
        cluster->examples, this, [this, generation](Result<QList<LogRecord>> records) {
            if (generation != m_examplesGeneration)
                return;
            if (!records) {
                m_examples->addItem(records.error().message);
                return;
            }
            for (const LogRecord &r : *records) {
                const QString when = r.startMs ? QDateTime::fromMSecsSinceEpoch(*r.startMs, Qt::UTC)
                                                     .toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                               : QString();
                auto *item = new QListWidgetItem(
                    QStringLiteral("#%1 · %2 · %3\n%4")
                        .arg(r.id)
                        .arg(when, r.model.value_or(QString()), excerpt(r.inputText())));
                item->setData(Qt::UserRole, r.id);
                item->setToolTip(excerpt(r.inputText(), 600));
                m_examples->addItem(item);
            }
            if (records->isEmpty())
                m_examples->addItem(tr("(no current records in this topic)"));
        });
}

} // namespace ts
