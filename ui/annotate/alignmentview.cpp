#include "annotate/alignmentview.h"

#include "annotate/annotatecontroller.h"
#include "annotate/labelingchrome.h"
#include "annotation/agreement.h"
#include "annotation/alignmentreport.h"
#include "annotation/criterionstore.h"
#include "annotation/pairwisealignment.h"
#include "common/projectsession.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ts {

namespace {

constexpr int snippetWords = 12;

QString firstWords(const QString &text)
{
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.size() <= snippetWords)
        return words.join(QLatin1Char(' '));
    return words.mid(0, snippetWords).join(QLatin1Char(' ')) + QStringLiteral(" …");
}

Result<QString> outputOf(Database &db, qint64 generationId)
{
    auto st
        = db.prepare(QStringLiteral("SELECT coalesce(output, '') FROM generations WHERE id = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, generationId);
    auto row = st->step();
    if (!row)
        return fail(row.error());
    return *row ? st->text(0) : QString();
}

/// "ana: no · ben: yes · final (lead): no" for one generation on the criterion.
Result<QString> humanLabelsOf(Database &db, qint64 criterionId, qint64 generationId)
{
    QStringList parts;
    auto st = db.prepare(QStringLiteral(
        "SELECT l.annotator, l.value FROM labels l "
        "JOIN criterion_versions cv ON cv.id = l.criterion_version_id "
        "WHERE cv.criterion_id = ? AND l.target_kind = 'generation' AND l.target_id = ? "
        "ORDER BY l.annotator"));
    if (!st)
        return fail(st.error());
    st->bind(1, criterionId).bind(2, generationId);
    auto labels = st->all(
        [](const Statement &s) { return QStringLiteral("%1: %2").arg(s.text(0), s.text(1)); });
    if (!labels)
        return fail(labels.error());
    parts << *labels;
    auto adj = db.prepare(QStringLiteral(
        "SELECT adjudicator, value FROM adjudications WHERE a_kind = 'generation' AND a_id = ? "
        "AND b_kind = '' AND criterion_id = ?"));
    if (!adj)
        return fail(adj.error());
    adj->bind(1, generationId).bind(2, criterionId);
    auto finals = adj->all(
        [](const Statement &s) { return QObject::tr("final (%1): %2").arg(s.text(0), s.text(1)); });
    if (!finals)
        return fail(finals.error());
    parts << *finals;
    return parts.join(QStringLiteral(" · "));
}

QString percent(std::optional<double> v)
{
    return v ? QStringLiteral("%1%").arg(100.0 * *v, 0, 'f', 1) : QStringLiteral("—");
}

} // namespace

Result<QList<AlignmentRow>> loadJudgeAlignment(Database &db, qint64 evalId,
                                               const QString &criterion)
{
    auto c = CriterionStore(db).latest(criterion);
    if (!c)
        return fail(c.error());
    QList<AlignmentRow> rows;
    std::optional<Error> pointwiseMissing;
    auto checks = alignChecks(db, evalId, criterion);
    if (!checks) {
        if (checks.error().code != ErrorCode::NotFound)
            return fail(checks.error());
        pointwiseMissing = checks.error();
    } else {
        for (const CheckAlignment &check : *checks) {
            AlignmentRow row;
            row.name = check.name;
            row.kind = check.kind == QLatin1String("judge")
                ? QStringLiteral("judge@v%1").arg(check.judgeVersion)
                : check.kind;
            row.tp = check.stats.tp;
            row.tn = check.stats.tn;
            row.fp = check.stats.fp;
            row.fn = check.stats.fn;
            row.accuracy = check.stats.accuracy;
            row.cohenKappa = check.stats.cohenKappa;
            row.coverage = check.stats.coverage;
            row.falseFailureRate = check.stats.falseFailureRate;
            row.alignment = check.stats.alignment;
            for (const Target &t : check.disagreements) {
                AlignmentDisagreement d;
                d.a = t;
                auto output = outputOf(db, t.id);
                auto labels = humanLabelsOf(db, c->criterionId, t.id);
                if (!output || !labels)
                    return fail(!output ? output.error() : labels.error());
                d.output = *output;
                d.snippet = firstWords(*output);
                d.humanLabels = *labels;
                row.disagreements << d;
            }
            rows << row;
        }
    }
    auto pairwise = alignPairwiseJudges(db, evalId, criterion);
    if (!pairwise && pairwise.error().code != ErrorCode::NotFound)
        return fail(pairwise.error());
    if (pairwise) {
        for (const PairwiseJudgeAlignment &judge : *pairwise) {
            if (judge.pairs == 0)
                continue;
            AlignmentRow row;
            row.name = judge.name;
            row.kind = judge.judgeVersion > 0
                ? QStringLiteral("pairwise judge@v%1").arg(judge.judgeVersion)
                : QStringLiteral("pairwise judge");
            row.accuracy = judge.accuracy;
            row.cohenKappa = judge.cohenKappa;
            for (const auto &[a, b] : judge.disagreements) {
                AlignmentDisagreement d;
                d.a = a;
                d.b = b;
                auto outA = outputOf(db, a.id);
                auto outB = outputOf(db, b.id);
                if (!outA || !outB)
                    return fail(!outA ? outA.error() : outB.error());
                d.snippet = QStringLiteral("%1 | %2").arg(firstWords(*outA), firstWords(*outB));
                d.output = QObject::tr("First output (generation %1):\n%2\n\nSecond output "
                                       "(generation %3):\n%4")
                               .arg(a.id)
                               .arg(*outA)
                               .arg(b.id)
                               .arg(*outB);
                d.humanLabels = QObject::tr("People preferred differently from the judge (%1)")
                                    .arg(judge.humanCriterion);
                row.disagreements << d;
            }
            rows << row;
        }
    }
    if (rows.isEmpty() && pointwiseMissing)
        return fail(*pointwiseMissing);
    return rows;
}

void AlignmentModel::setRows(const QList<AlignmentRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

const AlignmentRow *AlignmentModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

int AlignmentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlignmentModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlignmentModel::data(const QModelIndex &index, int role) const
{
    const AlignmentRow *r = rowAt(index.row());
    if (!r || !index.isValid())
        return {};
    if (role == Qt::ToolTipRole && index.column() == Kappa && r->cohenKappa)
        return tr("Cohen's kappa %1: %2 agreement (Landis & Koch)")
            .arg(*r->cohenKappa, 0, 'f', 3)
            .arg(agreement::landisKoch(*r->cohenKappa));
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Tp ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    auto count = [](std::optional<int> v) {
        return v ? QString::number(*v) : QStringLiteral("—");
    };
    switch (index.column()) {
    case Name:
        return r->name;
    case Kind:
        return r->kind;
    case Tp:
        return count(r->tp);
    case Tn:
        return count(r->tn);
    case Fp:
        return count(r->fp);
    case Fn:
        return count(r->fn);
    case Accuracy:
        return percent(r->accuracy);
    case Kappa:
        return r->cohenKappa ? QStringLiteral("%1 (%2)")
                                   .arg(*r->cohenKappa, 0, 'f', 2)
                                   .arg(agreement::landisKoch(*r->cohenKappa))
                             : QStringLiteral("—");
    case Coverage:
        return percent(r->coverage);
    case FalseFailures:
        return percent(r->falseFailureRate);
    case Alignment:
        return r->alignment ? QString::number(*r->alignment, 'f', 2) : QStringLiteral("—");
    }
    return {};
}

QVariant AlignmentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Tp:
            return tr("Both the check and the people passed it");
        case Tn:
            return tr("Both failed it");
        case Fp:
            return tr("The check passed what people failed");
        case Fn:
            return tr("The check failed what people passed");
        case Coverage:
            return tr("Share of the items people failed that the check fails");
        case FalseFailures:
            return tr("Share of the items people passed that the check fails");
        case Alignment:
            return tr("Harmonic mean of coverage and (1 − false-failure rate)");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Check");
    case Kind:
        return tr("Kind");
    case Tp:
        return tr("TP");
    case Tn:
        return tr("TN");
    case Fp:
        return tr("FP");
    case Fn:
        return tr("FN");
    case Accuracy:
        return tr("Accuracy");
    case Kappa:
        return tr("Cohen's κ");
    case Coverage:
        return tr("Coverage");
    case FalseFailures:
        return tr("False failures");
    case Alignment:
        return tr("Alignment");
    }
    return {};
}

AlignmentView::AlignmentView(AnnotateController &controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    const int gap = fontMetrics().height();
    const int ch = fontMetrics().averageCharWidth();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(gap / 3);
    auto *header = new QHBoxLayout;
    auto *back = new QPushButton(tr("← Queues"), this);
    back->setFlat(true);
    connect(back, &QPushButton::clicked, this, &AlignmentView::backRequested);
    auto *title = new QLabel(tr("Judges vs People"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    m_eval = new QComboBox(this);
    m_eval->setObjectName(QStringLiteral("alignmentEval"));
    m_eval->setMinimumContentsLength(24);
    m_criterion = new QComboBox(this);
    m_criterion->setObjectName(QStringLiteral("alignmentCriterion"));
    m_criterion->setMinimumContentsLength(16);
    header->addWidget(back);
    header->addWidget(title);
    header->addSpacing(ch * 2);
    header->addWidget(new QLabel(tr("Eval:"), this));
    header->addWidget(m_eval);
    header->addWidget(new QLabel(tr("Criterion:"), this));
    header->addWidget(m_criterion);
    header->addStretch(1);
    layout->addLayout(header);

    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("alignmentEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_empty);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setChildrenCollapsible(false);
    auto *left = new QWidget(split);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_model = new AlignmentModel(this);
    m_table = new QTableView(left);
    m_table->setObjectName(QStringLiteral("alignmentTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    leftLayout->addWidget(m_table, 2);
    m_disagreementTitle = sectionLabel(tr("Where it disagrees with people"), left);
    leftLayout->addWidget(m_disagreementTitle);
    m_disagreementModel = new QStandardItemModel(0, 3, this);
    m_disagreementModel->setHorizontalHeaderLabels(
        {tr("Generation"), tr("People said"), tr("Output")});
    m_disagreementTable = new QTableView(left);
    m_disagreementTable->setObjectName(QStringLiteral("alignmentDisagreements"));
    m_disagreementTable->setModel(m_disagreementModel);
    m_disagreementTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_disagreementTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_disagreementTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_disagreementTable->setShowGrid(false);
    m_disagreementTable->setWordWrap(false);
    m_disagreementTable->verticalHeader()->hide();
    m_disagreementTable->setColumnWidth(0, ch * 14);
    m_disagreementTable->setColumnWidth(1, ch * 30);
    m_disagreementTable->horizontalHeader()->setStretchLastSection(true);
    m_disagreementTable->setToolTip(tr("Double-click to read the output and the labels"));
    leftLayout->addWidget(m_disagreementTable, 1);
    m_item = new QTextBrowser(split);
    m_item->setObjectName(QStringLiteral("alignmentItem"));
    m_item->setPlaceholderText(tr("Double-click a disagreement to read it here."));
    split->addWidget(left);
    split->addWidget(m_item);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(m_eval, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling)
            loadAlignment();
    });
    connect(m_criterion, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling)
            loadAlignment();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AlignmentView::checkChanged);
    connect(m_disagreementTable, &QTableView::doubleClicked, this,
            [this](const QModelIndex &index) { openDisagreement(index.row()); });
    m_disagreementTitle->hide();
    m_disagreementTable->hide();
    m_empty->setText(tr("Choose an eval and a criterion people labeled."));
}

void AlignmentView::reload()
{
    if (!m_controller.hasProject())
        return;
    m_controller.loadChoices(this, [this](Result<QueueChoices> choices) {
        if (!choices) {
            m_empty->setText(choices.error().message);
            m_empty->show();
            return;
        }
        const QVariant evalId = m_eval->currentData();
        const QString criterion = m_criterion->currentText();
        m_filling = true;
        m_eval->clear();
        for (const QueueChoices::Eval &e : choices->evals)
            m_eval->addItem(
                QStringLiteral("%1 (%2)").arg(e.name, e.variants.join(QStringLiteral(", "))), e.id);
        m_criterion->clear();
        for (const CriterionVersion &c : choices->criteria)
            m_criterion->addItem(c.name);
        if (const int i = m_eval->findData(evalId); i >= 0)
            m_eval->setCurrentIndex(i);
        if (const int i = m_criterion->findText(criterion); i >= 0)
            m_criterion->setCurrentIndex(i);
        m_filling = false;
        if (m_eval->count() == 0 || m_criterion->count() == 0) {
            m_model->setRows({});
            m_empty->setText(m_eval->count() == 0
                                 ? tr("No evals yet: run one in Evals, label its outputs "
                                      "here, then see how its checks agree with people.")
                                 : tr("No criteria yet: make a review queue with one."));
            m_empty->show();
            return;
        }
        loadAlignment();
    });
}

void AlignmentView::loadAlignment()
{
    const qint64 evalId = m_eval->currentData().toLongLong();
    const QString criterion = m_criterion->currentText();
    if (!evalId || criterion.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    m_loading = true;
    m_controller.session().post<Result<QList<AlignmentRow>>>(
        [evalId, criterion](WorkContext &ctx) -> Result<QList<AlignmentRow>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return loadJudgeAlignment(ctx.project->db(), evalId, criterion);
        },
        this,
        [this, generation](Result<QList<AlignmentRow>> rows) {
            if (generation != m_generation)
                return;
            m_loading = false;
            m_item->clear();
            if (!rows) {
                m_model->setRows({});
                m_empty->setText(rows.error().message);
                m_empty->show();
                m_table->hide();
                checkChanged();
                return;
            }
            m_model->setRows(*rows);
            m_empty->setVisible(rows->isEmpty());
            m_empty->setText(rows->isEmpty() ? tr("This eval has no assertions or judges.")
                                             : QString());
            m_table->setVisible(!rows->isEmpty());
            if (!rows->isEmpty())
                m_table->setCurrentIndex(m_model->index(0, 0));
            checkChanged();
        });
}

void AlignmentView::checkChanged()
{
    m_disagreementModel->removeRows(0, m_disagreementModel->rowCount());
    const AlignmentRow *row = m_model->rowAt(m_table->currentIndex().row());
    m_disagreementTitle->setVisible(row != nullptr);
    m_disagreementTable->setVisible(row != nullptr);
    if (!row)
        return;
    m_disagreementTitle->setText(
        row->disagreements.isEmpty()
            ? tr("%1 agrees with people on every labeled item").arg(row->name)
            : tr("Where %1 disagrees with people (%2)")
                  .arg(row->name)
                  .arg(row->disagreements.size()));
    for (const AlignmentDisagreement &d : row->disagreements) {
        const QString id
            = d.b ? QStringLiteral("%1 vs %2").arg(d.a.id).arg(d.b->id) : QString::number(d.a.id);
        QList<QStandardItem *> items {new QStandardItem(id), new QStandardItem(d.humanLabels),
                                      new QStandardItem(d.snippet)};
        for (QStandardItem *item : items)
            item->setEditable(false);
        m_disagreementModel->appendRow(items);
    }
}

void AlignmentView::openDisagreement(int row)
{
    const AlignmentRow *check = m_model->rowAt(m_table->currentIndex().row());
    if (!check || row < 0 || row >= check->disagreements.size())
        return;
    const AlignmentDisagreement &d = check->disagreements[row];
    const QString heading = d.b ? tr("Generations %1 and %2").arg(d.a.id).arg(d.b->id)
                                : tr("Generation %1").arg(d.a.id);
    m_item->setHtml(
        QStringLiteral("<h3>%1</h3><p><b>%2</b> %3</p><p><b>%4</b> %5</p><pre "
                       "style=\"white-space: pre-wrap\">%6</pre>")
            .arg(heading.toHtmlEscaped(), tr("Check:").toHtmlEscaped(),
                 QStringLiteral("%1 (%2)").arg(check->name, check->kind).toHtmlEscaped(),
                 tr("People:").toHtmlEscaped(), d.humanLabels.toHtmlEscaped(),
                 d.output.toHtmlEscaped()));
}

} // namespace ts
