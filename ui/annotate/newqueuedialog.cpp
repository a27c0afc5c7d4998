#include "annotate/newqueuedialog.h"

#include "common/themecolors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ts {

namespace {
constexpr int nameRole = Qt::UserRole + 1;
} // namespace

NewQueueDialog::NewQueueDialog(const QueueChoices &choices, QWidget *parent)
    : QDialog(parent)
    , m_choices(choices)
{
    setWindowTitle(tr("New Review Queue"));
    const int ch = fontMetrics().averageCharWidth();
    auto *layout = new QVBoxLayout(this);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_name = new QLineEdit(this);
    m_name->setMinimumWidth(ch * 48);
    QString name = tr("Review %1").arg(QDate::currentDate().toString(Qt::ISODate));
    for (int n = 2; choices.queueNames.contains(name); ++n)
        name = tr("Review %1 (%2)").arg(QDate::currentDate().toString(Qt::ISODate)).arg(n);
    m_name->setText(name);
    m_form->addRow(tr("&Name:"), m_name);

    m_source = new QComboBox(this);
    m_source->addItem(tr("Production logs (%L1)").arg(choices.logCount),
                      int(NewQueueRequest::Source::Logs));
    m_source->addItem(tr("Outputs of an eval"), int(NewQueueRequest::Source::Eval));
    m_source->addItem(tr("Pairwise: two variants of an eval"),
                      int(NewQueueRequest::Source::EvalPairs));
    m_source->addItem(tr("Pairwise: a variant against production outputs"),
                      int(NewQueueRequest::Source::AgainstProduction));
    m_source->addItem(tr("Playground runs (%L1)").arg(choices.playgroundCount),
                      int(NewQueueRequest::Source::Playground));
    m_form->addRow(tr("&Items from:"), m_source);

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Words that must appear in the input or output"));
    m_search->setClearButtonEnabled(true);
    m_form->addRow(tr("&Search:"), m_search);
    auto anyCombo = [this](const QStringList &values) {
        auto *combo = new QComboBox(this);
        combo->addItem(tr("Any"));
        for (const QString &v : values)
            combo->addItem(v, v);
        return combo;
    };
    m_model = anyCombo(choices.logModels);
    m_form->addRow(tr("&Model:"), m_model);
    m_prompt = anyCombo(choices.logPrompts);
    m_form->addRow(tr("&Prompt:"), m_prompt);
    m_status = new QComboBox(this);
    m_status->addItems({tr("Any"), tr("OK"), tr("Error")});
    m_form->addRow(tr("S&tatus:"), m_status);

    m_eval = new QComboBox(this);
    for (const QueueChoices::Eval &e : choices.evals)
        m_eval->addItem(e.name, e.id);
    m_form->addRow(tr("&Eval:"), m_eval);
    m_pick = new QComboBox(this);
    m_pick->addItem(tr("Every output"), int(queuesource::EvalPick::All));
    m_pick->addItem(tr("Failures only"), int(queuesource::EvalPick::Failures));
    m_pick->addItem(tr("Flaky cases"), int(queuesource::EvalPick::Flaky));
    m_pick->addItem(tr("Cases that changed between two variants"),
                    int(queuesource::EvalPick::Changed));
    m_form->addRow(tr("&Which:"), m_pick);
    m_variant = new QComboBox(this);
    m_form->addRow(tr("&Variant:"), m_variant);
    m_variantA = new QComboBox(this);
    m_form->addRow(tr("Variant &A:"), m_variantA);
    m_variantB = new QComboBox(this);
    m_form->addRow(tr("Variant &B:"), m_variantB);

    m_strategy = new QComboBox(this);
    m_strategy->addItem(tr("Random"), int(SamplingStrategy::Random));
    m_strategy->addItem(tr("Stratified by model, prompt and status"),
                        int(SamplingStrategy::Stratified));
    m_strategy->addItem(tr("Failing assertions first"), int(SamplingStrategy::FailingFirst));
    m_strategy->addItem(tr("Judge and assertions disagree first"),
                        int(SamplingStrategy::DisagreementFirst));
    m_form->addRow(tr("Sa&mpling:"), m_strategy);
    auto *sizeRow = new QHBoxLayout;
    m_size = new QSpinBox(this);
    m_size->setRange(0, 100000);
    m_size->setValue(50);
    m_size->setSpecialValueText(tr("All"));
    m_size->setSuffix(tr(" items"));
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 999999999);
    m_seed->setValue(1);
    m_seed->setPrefix(tr("seed "));
    m_seed->setToolTip(tr("The same seed picks the same items"));
    sizeRow->addWidget(m_size);
    sizeRow->addWidget(m_seed);
    sizeRow->addStretch(1);
    m_form->addRow(tr("Si&ze:"), sizeRow);
    auto *peopleRow = new QHBoxLayout;
    m_overlap = new QSpinBox(this);
    m_overlap->setRange(1, 20);
    m_overlap->setSuffix(tr(" annotator(s) per item"));
    m_blind = new QCheckBox(tr("B&lind: hide model and prompt"), this);
    m_blind->setChecked(true);
    peopleRow->addWidget(m_overlap);
    peopleRow->addSpacing(ch * 2);
    peopleRow->addWidget(m_blind);
    peopleRow->addStretch(1);
    m_form->addRow(tr("&Overlap:"), peopleRow);

    m_criteria = new QListWidget(this);
    m_criteria->setMinimumHeight(fontMetrics().lineSpacing() * 5);
    for (const CriterionVersion &c : choices.criteria) {
        auto *item = new QListWidgetItem(
            c.question == c.name ? c.name : tr("%1 — %2").arg(c.name, c.question), m_criteria);
        item->setData(nameRole, c.name);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    m_form->addRow(tr("&Criteria:"), m_criteria);
    auto *newRow = new QHBoxLayout;
    m_newName = new QLineEdit(this);
    m_newName->setPlaceholderText(tr("New criterion, e.g. \"Factual\""));
    m_newQuestion = new QLineEdit(this);
    m_newQuestion->setPlaceholderText(
        tr("Its yes/no question, e.g. \"Consistent with the ticket?\""));
    auto *add = new QPushButton(tr("A&dd"), this);
    newRow->addWidget(m_newName, 2);
    newRow->addWidget(m_newQuestion, 3);
    newRow->addWidget(add);
    m_form->addRow(QString(), newRow);
    layout->addLayout(m_form);

    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(
        QStringLiteral("color: %1").arg(ThemeColors::fromPalette(palette()).error.name()));
    m_problem->hide();
    layout->addWidget(m_problem);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_create = buttons->addButton(tr("Create and Start"), QDialogButtonBox::AcceptRole);
    m_create->setDefault(true);
    layout->addWidget(buttons);

    connect(m_source, &QComboBox::currentIndexChanged, this, &NewQueueDialog::updateRows);
    connect(m_pick, &QComboBox::currentIndexChanged, this, &NewQueueDialog::updateRows);
    connect(m_eval, &QComboBox::currentIndexChanged, this, &NewQueueDialog::fillVariants);
    connect(add, &QPushButton::clicked, this, &NewQueueDialog::addCriterion);
    connect(m_newQuestion, &QLineEdit::returnPressed, this, &NewQueueDialog::addCriterion);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        auto r = request();
        if (!r) {
            showProblem(r.error().message);
            return;
        }
        m_problem->hide();
        m_create->setEnabled(false);
        Q_EMIT createRequested(*r);
    });
    fillVariants();
    updateRows();
}

NewQueueRequest::Source NewQueueDialog::source() const
{
    return NewQueueRequest::Source(m_source->currentData().toInt());
}

void NewQueueDialog::fillVariants()
{
    QStringList variants;
    for (const QueueChoices::Eval &e : m_choices.evals)
        if (e.id == m_eval->currentData().toLongLong())
            variants = e.variants;
    m_variant->clear();
    m_variant->addItem(tr("Every variant"), -1);
    for (int i = 0; i < variants.size(); ++i)
        m_variant->addItem(variants[i], i);
    for (QComboBox *combo : {m_variantA, m_variantB}) {
        combo->clear();
        for (int i = 0; i < variants.size(); ++i)
            combo->addItem(variants[i], i);
    }
    if (variants.size() > 1)
        m_variantB->setCurrentIndex(1);
}

void NewQueueDialog::updateRows()
{
    using Source = NewQueueRequest::Source;
    const Source s = source();
    const bool logs = s == Source::Logs;
    const bool eval = s == Source::Eval || s == Source::EvalPairs || s == Source::AgainstProduction;
    const bool changed = s == Source::Eval
        && queuesource::EvalPick(m_pick->currentData().toInt()) == queuesource::EvalPick::Changed;
    for (QWidget *w : QList<QWidget *> {m_search, m_model, m_prompt, m_status})
        m_form->setRowVisible(w, logs);
    m_form->setRowVisible(m_eval, eval);
    m_form->setRowVisible(m_pick, s == Source::Eval);
    m_form->setRowVisible(m_variant,
                          (s == Source::Eval && !changed) || s == Source::AgainstProduction);
    m_form->setRowVisible(m_variantA, s == Source::EvalPairs || changed);
    m_form->setRowVisible(m_variantB, s == Source::EvalPairs || changed);
    // Against production there is one variant to pick, not "every".
    if (s == Source::AgainstProduction && m_variant->currentIndex() == 0 && m_variant->count() > 1)
        m_variant->setCurrentIndex(1);
    const bool pairwise = s == Source::EvalPairs || s == Source::AgainstProduction;
    m_blind->setEnabled(true);
    m_criteria->setToolTip(
        pairwise ? tr("Optional for pairwise queues: people may also say which output is "
                      "better on each criterion")
                 : tr("Each item is answered yes or no on every checked criterion"));
    adjustSize();
}

void NewQueueDialog::addCriterion()
{
    const QString name = m_newName->text().trimmed();
    if (name.isEmpty())
        return;
    for (int i = 0; i < m_criteria->count(); ++i)
        if (m_criteria->item(i)->data(nameRole).toString() == name) {
            m_criteria->item(i)->setCheckState(Qt::Checked);
            m_newName->clear();
            m_newQuestion->clear();
            return;
        }
    const QString question = m_newQuestion->text().trimmed();
    auto *item = new QListWidgetItem(question.isEmpty() ? name : tr("%1 — %2").arg(name, question),
                                     m_criteria);
    item->setData(nameRole, name);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
    m_added.append({name, question});
    m_newName->clear();
    m_newQuestion->clear();
    m_newName->setFocus();
}

Result<NewQueueRequest> NewQueueDialog::request() const
{
    using Source = NewQueueRequest::Source;
    NewQueueRequest r;
    r.source = source();
    r.spec.name = m_name->text().trimmed();
    if (r.spec.name.isEmpty())
        return fail(ErrorCode::InvalidArgument, tr("Give the queue a name."));
    if (m_choices.queueNames.contains(r.spec.name))
        return fail(ErrorCode::AlreadyExists,
                    tr("A queue named \"%1\" already exists.").arg(r.spec.name));
    r.spec.overlap = m_overlap->value();
    r.spec.blind = m_blind->isChecked();
    for (int i = 0; i < m_criteria->count(); ++i)
        if (m_criteria->item(i)->checkState() == Qt::Checked)
            r.spec.criteria << m_criteria->item(i)->data(nameRole).toString();
    for (const auto &added : m_added)
        if (r.spec.criteria.contains(added.first))
            r.newCriteria.append(added);
    const bool pairwise = r.source == Source::EvalPairs || r.source == Source::AgainstProduction;
    if (!pairwise && r.spec.criteria.isEmpty())
        return fail(
            ErrorCode::InvalidArgument,
            tr("Check at least one criterion, or add one (a short name and its yes/no question)."));
    if (r.source == Source::Logs) {
        r.filter.search = m_search->text().trimmed();
        if (m_model->currentIndex() > 0)
            r.filter.model = m_model->currentData().toString();
        if (m_prompt->currentIndex() > 0)
            r.filter.promptName = m_prompt->currentData().toString();
        if (m_status->currentIndex() > 0)
            r.filter.ok = m_status->currentIndex() == 1;
    } else if (r.source != Source::Playground) {
        if (m_eval->count() == 0)
            return fail(ErrorCode::InvalidArgument,
                        tr("The project has no eval yet; run one in Evals first."));
        r.evalId = m_eval->currentData().toLongLong();
        r.pick = queuesource::EvalPick(m_pick->currentData().toInt());
        r.variant = m_variant->currentData().toInt();
        r.variantA = m_variantA->currentData().toInt();
        r.variantB = m_variantB->currentData().toInt();
        const bool twoVariants = r.source == Source::EvalPairs
            || (r.source == Source::Eval && r.pick == queuesource::EvalPick::Changed);
        if (twoVariants && (m_variantA->count() < 2 || r.variantA == r.variantB))
            return fail(ErrorCode::InvalidArgument, tr("Pick two different variants."));
        if (r.source == Source::AgainstProduction && r.variant < 0)
            return fail(ErrorCode::InvalidArgument,
                        tr("Pick the variant to compare with production."));
    }
    r.strategy = SamplingStrategy(m_strategy->currentData().toInt());
    r.size = m_size->value() == 0 ? -1 : m_size->value();
    r.seed = quint64(m_seed->value());
    return r;
}

void NewQueueDialog::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->show();
    m_create->setEnabled(true);
}

} // namespace ts
