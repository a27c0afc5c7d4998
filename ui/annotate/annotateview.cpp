#include "annotate/annotateview.h"

#include "annotate/addtestcasedialog.h"
#include "annotate/agreementmodels.h"
#include "annotate/alignmentview.h"
#include "annotate/annotatecontroller.h"
#include "annotate/binarylabelview.h"
#include "annotate/labelingchrome.h"
#include "annotate/labelingsession.h"
#include "annotate/newqueuedialog.h"
#include "annotate/pairwiselabelview.h"
#include "annotate/queuelistmodel.h"
#include "common/designsystem.h"
#include "common/messagebar.h"
#include "common/themecolors.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace ts {

namespace {

enum Page { ListPage, BinaryPage, PairwisePage, AlignmentPage };

QString plural(int n, const QString &one, const QString &many)
{
    return (n == 1 ? one : many).arg(n);
}

QTableView *makeTable(QWidget *parent, QAbstractItemModel *model)
{
    auto *t = new QTableView(parent);
    t->setModel(model);
    t->setFrameShape(QFrame::NoFrame);
    t->setShowGrid(false);
    t->setWordWrap(false);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 10);
    t->horizontalHeader()->setHighlightSections(false);
    t->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setTextElideMode(Qt::ElideRight);
    return t;
}

QString originText(const QueueInfo &q)
{
    const nlohmann::json &o = q.origin;
    const QString source = QString::fromStdString(o.value("source", std::string()));
    QString from;
    if (source == QLatin1String("daily"))
        from = QObject::tr("daily vibe check from production logs");
    else if (source == QLatin1String("logs"))
        from = QObject::tr("from production logs");
    else if (source == QLatin1String("eval"))
        from = QObject::tr("from eval %1").arg(o.value("eval", 0));
    else if (source == QLatin1String("eval-pairs"))
        from = QObject::tr("two variants of eval %1").arg(o.value("eval", 0));
    else if (source == QLatin1String("against-production"))
        from = QObject::tr("eval %1 against production").arg(o.value("eval", 0));
    else if (source == QLatin1String("playground"))
        from = QObject::tr("from playground runs");
    else if (q.packId)
        from = QObject::tr("from a label pack");
    QStringList parts;
    if (!from.isEmpty())
        parts << from;
    if (o.contains("strategy") && o["strategy"].is_string())
        parts << QObject::tr("%1 sample, seed %2")
                     .arg(QString::fromStdString(o["strategy"].get<std::string>()))
                     .arg(o.value("seed", 0));
    return parts.join(QStringLiteral(" · "));
}

} // namespace

AnnotateView::AnnotateView(AnnotateController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    const int gap = fontMetrics().height();
    const int ch = fontMetrics().averageCharWidth();
    auto *outer = new QVBoxLayout(this);
    // The same breathing room as the banner above and the other sections.
    outer->setContentsMargins(design::space::s, design::space::xs, design::space::s,
                              design::space::s);
    m_pages = new QStackedWidget(this);
    outer->addWidget(m_pages);

    // The queue list page.
    auto *listPage = new QWidget(m_pages);
    auto *listLayout = new QVBoxLayout(listPage);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(gap / 3);
    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("Annotate"), listPage);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    m_count = new QLabel(listPage);
    m_count->setForegroundRole(QPalette::PlaceholderText);
    m_annotator = new QPushButton(listPage);
    m_annotator->setFlat(true);
    m_annotator->setToolTip(tr("The name put on every label you make"));
    m_newQueue = new QPushButton(tr("New Queue…"), listPage);
    m_newQueue->setToolTip(
        tr("Review production logs, an eval's outputs or two variants side by side"));
    m_daily = new QPushButton(tr("Today's Vibe Check"), listPage);
    m_daily->setObjectName(QStringLiteral("dailyButton"));
    m_daily->setToolTip(
        tr("25 production records that arrived since the last check, stratified by model, "
           "prompt and status; everyone gets the same sample today"));
    header->addWidget(title);
    header->addSpacing(ch);
    header->addWidget(m_count, 0, Qt::AlignBaseline);
    header->addStretch(1);
    header->addWidget(m_annotator);
    header->addSpacing(ch * 2);
    header->addWidget(m_newQueue);
    header->addWidget(m_daily);
    m_alignmentButton = new QPushButton(tr("Judges vs People"), listPage);
    m_alignmentButton->setObjectName(QStringLiteral("alignmentButton"));
    m_alignmentButton->setToolTip(
        tr("How far an eval's assertions and LLM judges agree with the people's labels"));
    header->addWidget(m_alignmentButton);
    listLayout->addLayout(header);
    m_messages = new MessageBar(listPage);
    listLayout->addWidget(m_messages);

    m_listStack = new QStackedWidget(listPage);
    listLayout->addWidget(m_listStack, 1);
    m_split = new QSplitter(Qt::Horizontal, m_listStack);
    m_split->setChildrenCollapsible(false);
    m_split->setHandleWidth(gap);
    m_table = makeTable(m_split, controller.queues());
    m_table->setObjectName(QStringLiteral("queueTable"));
    const QFontMetrics fm = m_table->fontMetrics();
    m_table->setColumnWidth(QueueListModel::Name,
                            fm.horizontalAdvance(QStringLiteral("Daily 2026-03-30 review"))
                                + ch * 3);
    m_table->setColumnWidth(QueueListModel::Kind,
                            fm.horizontalAdvance(QStringLiteral("Pairwise, blind")) + ch * 3);
    m_table->setColumnWidth(QueueListModel::Items,
                            fm.horizontalAdvance(QStringLiteral("10,000")) + ch * 3);
    m_table->setColumnWidth(QueueListModel::Progress,
                            fm.horizontalAdvance(QStringLiteral("Your progress")) + ch * 3);

    auto *detail = new QWidget(m_split);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(gap / 2, 0, 0, 0);
    detailLayout->setSpacing(gap / 3);
    m_detailTitle = new QLabel(detail);
    QFont itemFont = m_detailTitle->font();
    itemFont.setPointSizeF(itemFont.pointSizeF() * 1.15);
    itemFont.setWeight(QFont::DemiBold);
    m_detailTitle->setFont(itemFont);
    m_detailFacts = new QLabel(detail);
    m_detailFacts->setWordWrap(true);
    m_detailFacts->setForegroundRole(QPalette::PlaceholderText);
    m_start = new QPushButton(tr("Start Labeling"), detail);
    m_start->setObjectName(QStringLiteral("startLabeling"));
    m_start->setToolTip(tr("Opens where you stopped (Enter on the list)"));
    m_start->setDefault(true);
    detailLayout->addWidget(m_detailTitle);
    detailLayout->addWidget(m_detailFacts);
    detailLayout->addWidget(m_start, 0, Qt::AlignLeft);
    detailLayout->addSpacing(gap / 2);
    detailLayout->addWidget(sectionLabel(tr("Agreement between annotators"), detail));
    m_agreement = new AgreementModel(this);
    m_agreementTable = makeTable(detail, m_agreement);
    m_agreementTable->setObjectName(QStringLiteral("agreementTable"));
    m_agreementTable->setMaximumHeight(gap * 8);
    m_agreementTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_agreementEmpty = new QLabel(detail);
    m_agreementEmpty->setWordWrap(true);
    m_agreementEmpty->setForegroundRole(QPalette::PlaceholderText);
    detailLayout->addWidget(m_agreementTable);
    detailLayout->addWidget(m_agreementEmpty);
    detailLayout->addSpacing(gap / 2);
    m_disagreementTitle = sectionLabel(tr("Items people disagree on"), detail);
    detailLayout->addWidget(m_disagreementTitle);
    m_disagreements = new DisagreementModel(this);
    m_disagreementTable = makeTable(detail, m_disagreements);
    m_disagreementTable->setObjectName(QStringLiteral("disagreementTable"));
    m_disagreementTable->setColumnWidth(DisagreementModel::Criterion, ch * 18);
    m_disagreementTable->setColumnWidth(DisagreementModel::Item, ch * 40);
    m_disagreementTable->setColumnWidth(DisagreementModel::Labels, ch * 30);
    detailLayout->addWidget(m_disagreementTable, 1);
    auto *finals = new QHBoxLayout;
    m_finalsBox = new QWidget(detail);
    finals->setContentsMargins(0, 0, 0, 0);
    m_finalsBox->setLayout(finals);
    finals->addWidget(new QLabel(tr("Set final label:"), m_finalsBox));
    const QList<std::pair<QString, QString>> values
        = {{tr("Yes"), QStringLiteral("yes")},        {tr("No"), QStringLiteral("no")},
           {tr("First better"), QStringLiteral("a")}, {tr("Second better"), QStringLiteral("b")},
           {tr("Tie"), QStringLiteral("tie")},        {tr("Both bad"), QStringLiteral("both_bad")}};
    for (const auto &[text, value] : values) {
        auto *b = new QPushButton(text, m_finalsBox);
        b->setProperty("finalValue", value);
        connect(b, &QPushButton::clicked, this, [this, value = value] { setFinal(value); });
        finals->addWidget(b);
        m_finalButtons << b;
    }
    finals->addStretch(1);
    detailLayout->addWidget(m_finalsBox);
    m_bias = new QLabel(detail);
    m_bias->setObjectName(QStringLiteral("biasSummary"));
    m_bias->setWordWrap(true);
    m_bias->setForegroundRole(QPalette::PlaceholderText);
    detailLayout->addWidget(m_bias);
    m_detailStretch = new QWidget(detail);
    detailLayout->addWidget(m_detailStretch, 1);
    m_split->addWidget(m_table);
    m_split->addWidget(detail);
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 1);
    const int tableWidth = [this] {
        int w = 0;
        for (int c = 0; c < QueueListModel::ColumnCount; ++c)
            w += m_table->columnWidth(c);
        return w;
    }();
    m_split->setSizes({tableWidth + ch * 14, 760});
    m_listStack->addWidget(m_split);

    // Empty state: one sentence, one action.
    auto *empty = new QWidget(m_listStack);
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch(2);
    auto *emptyTitle = new QLabel(tr("No review queues yet"), empty);
    QFont emptyFont = emptyTitle->font();
    emptyFont.setPointSizeF(emptyFont.pointSizeF() * 1.25);
    emptyFont.setWeight(QFont::DemiBold);
    emptyTitle->setFont(emptyFont);
    emptyTitle->setAlignment(Qt::AlignCenter);
    auto *emptyText = new QLabel(
        tr("Look at a sample of what production answered today: %1 records, labeled yes "
           "or no with one key each. Queues over eval outputs and side-by-side "
           "comparisons are under New Queue….")
            .arg(m_dailySize),
        empty);
    emptyText->setAlignment(Qt::AlignCenter);
    emptyText->setWordWrap(true);
    emptyText->setForegroundRole(QPalette::PlaceholderText);
    emptyText->setMaximumWidth(ch * 70);
    m_emptyAction = new QPushButton(tr("Start Today's Vibe Check"), empty);
    m_emptyAction->setDefault(true);
    emptyLayout->addWidget(emptyTitle);
    emptyLayout->addWidget(emptyText, 0, Qt::AlignHCenter);
    emptyLayout->addSpacing(gap / 2);
    emptyLayout->addWidget(m_emptyAction, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(3);
    m_listStack->addWidget(empty);
    m_pages->addWidget(listPage);

    m_binary = new BinaryLabelView(m_pages);
    m_pages->addWidget(m_binary);
    m_pairwise = new PairwiseLabelView(m_pages);
    m_pages->addWidget(m_pairwise);
    m_alignment = new AlignmentView(controller, m_pages);
    m_pages->addWidget(m_alignment);

    m_annotator->setText(tr("Labeling as %1").arg(controller.annotator()));
    connect(&controller, &AnnotateController::annotatorChanged, this,
            [this](const QString &name) { m_annotator->setText(tr("Labeling as %1").arg(name)); });
    connect(&controller, &AnnotateController::queuesReloaded, this, &AnnotateView::queuesReloaded);
    connect(&controller, &AnnotateController::errorOccurred, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Error, message);
    });
    connect(m_annotator, &QPushButton::clicked, this, &AnnotateView::changeAnnotator);
    connect(m_newQueue, &QPushButton::clicked, this, &AnnotateView::newQueue);
    connect(m_daily, &QPushButton::clicked, this, &AnnotateView::startDaily);
    connect(m_emptyAction, &QPushButton::clicked, this, &AnnotateView::startDaily);
    connect(m_start, &QPushButton::clicked, this, &AnnotateView::startSelected);
    connect(m_table, &QTableView::activated, this, &AnnotateView::startSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AnnotateView::currentQueueChanged);
    connect(m_disagreementTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AnnotateView::updateAdjudication);
    connect(m_binary, &BinaryLabelView::backRequested, this, &AnnotateView::backToQueues);
    connect(m_pairwise, &PairwiseLabelView::backRequested, this, &AnnotateView::backToQueues);
    connect(m_alignmentButton, &QPushButton::clicked, this, &AnnotateView::showAlignment);
    connect(m_alignment, &AlignmentView::backRequested, this, &AnnotateView::backToQueues);
    connect(&controller, &AnnotateController::queuesReloaded, this, [this] {
        if (m_pages->currentIndex() == AlignmentPage)
            m_alignment->reload();
    });
    connect(m_binary, &BinaryLabelView::addTestCaseRequested, this,
            [this](std::shared_ptr<const LabelingItem> item) {
                auto *dialog = new AddTestCaseDialog(m_controller, std::move(item), this);
                dialog->setAttribute(Qt::WA_DeleteOnClose);
                connect(dialog, &AddTestCaseDialog::caseAdded, this, &AnnotateView::casesAdded);
                connect(dialog, &QObject::destroyed, m_binary, [this] { m_binary->setFocus(); });
                dialog->open();
            });
    queuesReloaded();
}

AnnotateView::~AnnotateView() = default;

bool AnnotateView::isLabeling() const
{
    return m_pages->currentIndex() == BinaryPage || m_pages->currentIndex() == PairwisePage;
}

qint64 AnnotateView::selectedQueueId() const
{
    const QueueRow *row = m_controller.queues()->rowAt(m_table->currentIndex().row());
    return row ? row->info.id : 0;
}

void AnnotateView::selectQueue(qint64 queueId)
{
    const int row = m_controller.queues()->rowOf(queueId);
    if (row < 0) {
        m_pendingSelect = queueId;
        return;
    }
    m_table->setCurrentIndex(m_controller.queues()->index(row, 0));
}

void AnnotateView::queuesReloaded()
{
    const int n = m_controller.queues()->rowCount();
    m_count->setText(n ? plural(n, tr("%1 queue"), tr("%1 queues")) : QString());
    m_listStack->setCurrentIndex(n ? 0 : 1);
    m_newQueue->setEnabled(m_controller.hasProject());
    m_daily->setEnabled(m_controller.hasProject());
    m_emptyAction->setEnabled(m_controller.hasProject());
    if (m_pendingSelect && m_controller.queues()->rowOf(m_pendingSelect) >= 0) {
        selectQueue(std::exchange(m_pendingSelect, 0));
        return;
    }
    if (!m_table->currentIndex().isValid() && n)
        m_table->setCurrentIndex(m_controller.queues()->index(0, 0));
    else
        currentQueueChanged();
}

void AnnotateView::currentQueueChanged()
{
    const QueueRow *row = m_controller.queues()->rowAt(m_table->currentIndex().row());
    m_start->setEnabled(row != nullptr && row->info.itemCount > 0);
    if (!row) {
        m_detailTitle->clear();
        m_detailFacts->clear();
        m_agreement->setRows({});
        m_disagreements->setRows({});
        updateAdjudication();
        return;
    }
    const QueueInfo &q = row->info;
    m_detailTitle->setText(q.name);
    QStringList criteria;
    for (const CriterionVersion &c : q.criteria)
        criteria << (c.question == c.name ? c.name
                                          : QStringLiteral("%1 (%2)").arg(c.name, c.question));
    QStringList facts;
    facts << (q.kind == QueueKind::Pairwise ? tr("Pairwise") : tr("Yes / no"));
    facts << plural(q.itemCount, tr("%1 item"), tr("%1 items"));
    facts << plural(q.overlap, tr("%1 annotator per item"), tr("%1 annotators per item"));
    if (q.blind)
        facts << tr("blind");
    if (const QString origin = originText(q); !origin.isEmpty())
        facts << origin;
    QString text = facts.join(QStringLiteral(" · "));
    if (!criteria.isEmpty())
        text += QStringLiteral("\n") + tr("Criteria: %1").arg(criteria.join(QStringLiteral("; ")));
    m_detailFacts->setText(text);
    const QueueProgress p = row->progress;
    m_start->setText(p.done == 0 ? tr("Start Labeling")
                         : p.done >= p.total
                         ? tr("Review Again")
                         : tr("Continue Labeling (%1 of %2 done)").arg(p.done).arg(p.total));
    loadAgreement();
}

void AnnotateView::loadAgreement()
{
    const qint64 queueId = selectedQueueId();
    if (!queueId)
        return;
    const quint64 generation = ++m_agreementGeneration;
    m_controller.loadAgreement(queueId, this, [this, generation](Result<AgreementReport> report) {
        if (generation != m_agreementGeneration)
            return;
        if (!report) {
            m_messages->showMessage(MessageBar::Kind::Error, report.error().message);
            return;
        }
        m_agreement->setRows(report->criteria);
        m_disagreements->setRows(report->disagreements);
        const bool disagreements = !report->disagreements.isEmpty();
        m_disagreementTitle->setVisible(disagreements);
        m_disagreementTable->setVisible(disagreements);
        m_finalsBox->setVisible(disagreements);
        m_detailStretch->setVisible(!disagreements);
        bool anyPair = false;
        for (const CriterionAgreement &c : report->criteria)
            anyPair = anyPair || c.stats.items > 0;
        m_agreementTable->setVisible(!report->criteria.isEmpty());
        m_agreementEmpty->setVisible(!anyPair);
        m_agreementEmpty->setText(
            report->criteria.isEmpty()
                ? tr("No labels yet.")
                : tr("Agreement needs items labeled by two or more people: raise the "
                     "overlap, or share a label pack."));
        QStringList bias;
        for (const LabelStore::SideBias &b : report->positionBias)
            if (b.decided > 0)
                bias << tr("%1 picked the left side in %2 of %3 decided pairs (%4%)")
                            .arg(b.annotator)
                            .arg(b.leftWins)
                            .arg(b.decided)
                            .arg(qRound(100.0 * b.leftWins / b.decided));
        m_bias->setText(bias.isEmpty()
                            ? QString()
                            : tr("Position bias: %1.").arg(bias.join(QStringLiteral("; "))));
        updateAdjudication();
    });
}

void AnnotateView::updateAdjudication()
{
    const Disagreement *d = m_disagreements->rowAt(m_disagreementTable->currentIndex().row());
    for (QPushButton *b : m_finalButtons) {
        const QString value = b->property("finalValue").toString();
        const bool pairValue = value != QLatin1String("yes") && value != QLatin1String("no");
        const bool fits = d && d->pairwise == pairValue;
        b->setVisible(d ? fits : !pairValue);
        b->setEnabled(fits);
    }
}

void AnnotateView::setFinal(const QString &value)
{
    const Disagreement *d = m_disagreements->rowAt(m_disagreementTable->currentIndex().row());
    if (!d)
        return;
    Adjudication a;
    a.a = d->a;
    a.b = d->b;
    a.criterionId = d->criterionId;
    a.value = value;
    a.adjudicator = m_controller.annotator();
    const int row = m_disagreementTable->currentIndex().row();
    m_controller.adjudicate(a, this, [this, row](Result<void> done) {
        if (!done) {
            m_messages->showMessage(MessageBar::Kind::Error, done.error().message);
            return;
        }
        loadAgreement();
        m_disagreementTable->setCurrentIndex(
            m_disagreements->index(qMin(row + 1, m_disagreements->rowCount() - 1), 0));
    });
}

void AnnotateView::newQueue()
{
    if (!m_controller.hasProject())
        return;
    m_controller.loadChoices(this, [this](Result<QueueChoices> choices) {
        if (!choices) {
            m_messages->showMessage(MessageBar::Kind::Error, choices.error().message);
            return;
        }
        auto *dialog = new NewQueueDialog(*choices, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &NewQueueDialog::createRequested, this,
                [this, dialog](const NewQueueRequest &request) {
                    QPointer<NewQueueDialog> guard(dialog);
                    m_controller.createQueue(request, this, [this, guard](Result<QueueInfo> queue) {
                        if (!queue) {
                            if (guard)
                                guard->showProblem(queue.error().message);
                            return;
                        }
                        if (guard)
                            guard->accept();
                        selectQueue(queue->id);
                        startQueue(*queue);
                    });
                });
        dialog->open();
    });
}

void AnnotateView::startDaily()
{
    if (!m_controller.hasProject())
        return;
    m_daily->setEnabled(false);
    m_emptyAction->setEnabled(false);
    m_controller.dailyQueue(m_dailySize, this, [this](Result<QueueInfo> queue) {
        m_daily->setEnabled(true);
        m_emptyAction->setEnabled(true);
        if (!queue) {
            m_messages->showMessage(MessageBar::Kind::Error, queue.error().message);
            return;
        }
        selectQueue(queue->id);
        if (queue->itemCount == 0) {
            m_messages->showMessage(
                MessageBar::Kind::Info,
                tr("No production records arrived since the last vibe check. Import logs "
                   "or receive traces in Logs, or review an eval with New Queue…."));
            return;
        }
        startQueue(*queue);
    });
}

void AnnotateView::startSelected()
{
    const QueueRow *row = m_controller.queues()->rowAt(m_table->currentIndex().row());
    if (row && row->info.itemCount > 0)
        startQueue(row->info);
}

void AnnotateView::startQueue(const QueueInfo &queue)
{
    if (m_labeling)
        m_labeling->deleteLater();
    m_messages->clear();
    m_labeling = new LabelingSession(m_controller.session(), queue, m_controller.annotator(), this);
    connect(m_labeling, &LabelingSession::errorOccurred, this, [this](const QString &message) {
        m_messages->showMessage(MessageBar::Kind::Error, message);
    });
    if (queue.kind == QueueKind::Pairwise) {
        m_pairwise->setSession(m_labeling);
        m_pairwise->setPositionBias({});
        connect(m_labeling, &LabelingSession::progressChanged, this, &AnnotateView::loadBias);
        m_pages->setCurrentIndex(PairwisePage);
        m_pairwise->setFocus();
    } else {
        m_binary->setSession(m_labeling);
        m_pages->setCurrentIndex(BinaryPage);
        m_binary->setFocus();
    }
    m_labeling->start();
}

void AnnotateView::loadBias()
{
    if (!m_labeling)
        return;
    const QString annotator = m_labeling->annotator();
    m_controller.loadPositionBias(
        this, [this, annotator](Result<QList<LabelStore::SideBias>> bias) {
            if (!bias)
                return;
            for (const LabelStore::SideBias &b : *bias)
                if (b.annotator == annotator && b.decided > 0) {
                    m_pairwise->setPositionBias(
                        tr("Position bias: you picked the left side in %1 of %2 decided "
                           "pairs (%3%)")
                            .arg(b.leftWins)
                            .arg(b.decided)
                            .arg(qRound(100.0 * b.leftWins / b.decided)));
                    return;
                }
            m_pairwise->setPositionBias(tr("Position bias: no decided pairs yet"));
        });
}

void AnnotateView::backToQueues()
{
    m_binary->setSession(nullptr);
    m_pairwise->setSession(nullptr);
    if (m_labeling)
        m_labeling->deleteLater();
    m_labeling = nullptr;
    m_pages->setCurrentIndex(ListPage);
    m_table->setFocus();
    // Posted after the last label, so the list reads it.
    m_controller.reload();
}

void AnnotateView::showAlignment()
{
    m_messages->clear();
    m_pages->setCurrentIndex(AlignmentPage);
    m_alignment->reload();
}

void AnnotateView::changeAnnotator()
{
    bool ok = false;
    const QString name
        = QInputDialog::getText(this, tr("Annotator"), tr("The name put on every label you make:"),
                                QLineEdit::Normal, m_controller.annotator(), &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    m_controller.setAnnotator(name);
    Q_EMIT annotatorEdited(name.trimmed());
}

} // namespace ts
