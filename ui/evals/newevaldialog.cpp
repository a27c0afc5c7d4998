#include "evals/newevaldialog.h"

#include "common/themecolors.h"
#include "evals/counted.h"
#include "evals/judgedialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ts {

namespace {
constexpr int IdRole = Qt::UserRole + 1;
} // namespace

NewEvalDialog::NewEvalDialog(EvalsController &controller, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
{
    setWindowTitle(tr("New Eval"));
    resize(760, 560);
    auto *layout = new QVBoxLayout(this);
    auto *grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("<b>Prompt versions</b> (one or more)"), this), 0, 0);
    grid->addWidget(new QLabel(tr("<b>Models</b> (one or more)"), this), 0, 1);
    m_versions = new QTreeWidget(this);
    m_versions->setHeaderHidden(true);
    m_models = new QListWidget(this);
    grid->addWidget(m_versions, 1, 0);
    grid->addWidget(m_models, 1, 1);
    auto *judgesHeader = new QHBoxLayout;
    judgesHeader->addWidget(new QLabel(tr("<b>Judges</b> (optional)"), this), 1);
    m_newJudge = new QPushButton(tr("New judge…"), this);
    m_newJudge->setEnabled(false);
    judgesHeader->addWidget(m_newJudge);
    grid->addLayout(judgesHeader, 0, 2);
    m_judges = new QListWidget(this);
    grid->addWidget(m_judges, 1, 2);
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 2);
    grid->setColumnStretch(2, 2);
    layout->addLayout(grid, 1);

    auto *form = new QFormLayout;
    m_form = form;
    m_dataset = new QComboBox(this);
    form->addRow(tr("Dataset"), m_dataset);
    // Only for datasets whose assertions embed (similar, answer-relevance).
    m_embeddingRow = new QWidget(this);
    auto *embeddingLayout = new QHBoxLayout(m_embeddingRow);
    embeddingLayout->setContentsMargins(0, 0, 0, 0);
    m_embedding = new QComboBox(m_embeddingRow);
    m_embedding->setToolTip(tr("The model that embeds outputs and references for the similar "
                               "and answer-relevance assertions; vectors are cached in the "
                               "project, so an eval run again embeds nothing twice"));
    m_embeddingDefault = new QPushButton(tr("Make default"), m_embeddingRow);
    m_embeddingDefault->setToolTip(tr("Use this model for every eval that chooses none (also "
                                      "touchstone-cli model default-embedding)"));
    embeddingLayout->addWidget(m_embedding, 1);
    embeddingLayout->addWidget(m_embeddingDefault);
    form->addRow(tr("Embedding model"), m_embeddingRow);
    form->setRowVisible(m_embeddingRow, false);
    m_samples = new QSpinBox(this);
    m_samples->setRange(1, 50);
    m_samples->setToolTip(tr("Repeat each case to see flaky answers and pass@k"));
    form->addRow(tr("Samples per case"), m_samples);
    m_concurrency = new QSpinBox(this);
    m_concurrency->setRange(1, 64);
    m_concurrency->setValue(4);
    form->addRow(tr("Concurrent calls"), m_concurrency);
    m_cache = new QCheckBox(tr("Reuse cached answers for identical requests"), this);
    m_cache->setChecked(true);
    form->addRow(QString(), m_cache);
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("optional"));
    form->addRow(tr("Name"), m_name);
    layout->addLayout(form);

    m_summary = new QLabel(tr("Loading the project…"), this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_estimate = buttons->addButton(tr("Estimate"), QDialogButtonBox::ActionRole);
    m_start = buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    m_start->setEnabled(false);
    m_estimate->setEnabled(false);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Cancel, Escape or closing the window: an estimate leaves no eval behind.
    connect(this, &QDialog::rejected, &controller, &EvalsController::discardPrepared);
    connect(m_estimate, &QPushButton::clicked, this, &NewEvalDialog::requestEstimate);
    connect(m_start, &QPushButton::clicked, this, [this] {
        if (!m_estimated)
            return;
        m_controller.start();
        accept();
    });
    connect(m_versions, &QTreeWidget::itemChanged, this, &NewEvalDialog::settingsChanged);
    connect(m_models, &QListWidget::itemChanged, this, &NewEvalDialog::settingsChanged);
    connect(m_judges, &QListWidget::itemChanged, this, &NewEvalDialog::settingsChanged);
    connect(m_newJudge, &QPushButton::clicked, this, [this] { newJudge(); });
    connect(m_dataset, &QComboBox::currentIndexChanged, this, &NewEvalDialog::settingsChanged);
    connect(m_embedding, &QComboBox::currentIndexChanged, this, &NewEvalDialog::settingsChanged);
    connect(m_embeddingDefault, &QPushButton::clicked, this, &NewEvalDialog::makeEmbeddingDefault);
    connect(m_samples, &QSpinBox::valueChanged, this, &NewEvalDialog::settingsChanged);
    connect(m_concurrency, &QSpinBox::valueChanged, this, &NewEvalDialog::settingsChanged);
    connect(m_cache, &QCheckBox::toggled, this, &NewEvalDialog::settingsChanged);

    connect(&controller, &EvalsController::prepared, this, [this](const EvalEstimate &estimate) {
        if (!m_waiting)
            return;
        m_waiting = false;
        m_estimated = true;
        m_summary->setText(describe(estimate));
        m_start->setEnabled(estimate.totalCalls > estimate.alreadyDone || estimate.totalCalls == 0);
        m_estimate->setEnabled(true);
        m_start->setDefault(true);
    });
    connect(&controller, &EvalsController::prepareFailed, this, [this](const QString &message) {
        if (!m_waiting)
            return;
        m_waiting = false;
        m_summary->setText(
            QStringLiteral("<span style='color:%1'>%2</span>")
                .arg(ThemeColors::fromPalette(palette()).error.name(), message.toHtmlEscaped()));
        m_estimate->setEnabled(true);
    });

    controller.loadChoices(this, [this](Result<EvalChoices> choices) {
        if (!choices) {
            m_summary->setText(choices.error().message);
            return;
        }
        fill(*choices);
    });
}

void NewEvalDialog::fill(const EvalChoices &choices)
{
    m_choices = choices;
    const QSignalBlocker b1(m_versions), b2(m_models), b3(m_dataset);
    for (const EvalChoices::Prompt &p : choices.prompts) {
        auto *top = new QTreeWidgetItem(m_versions, {p.info.name});
        top->setFlags(Qt::ItemIsEnabled);
        for (const PromptVersion &v : p.versions) {
            QString text = tr("v%1").arg(v.number);
            if (!v.labels.isEmpty())
                text += QStringLiteral("  [%1]").arg(v.labels.join(QStringLiteral(", ")));
            if (!v.note.isEmpty())
                text += QStringLiteral("  — %1").arg(v.note);
            auto *item = new QTreeWidgetItem(top, {text});
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(0, Qt::Unchecked);
            item->setData(0, IdRole, v.id);
        }
        top->setExpanded(true);
    }
    for (const ModelConfig &m : choices.models) {
        auto *item = new QListWidgetItem(m.name, m_models);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
        item->setData(IdRole, m.id);
        item->setToolTip(m.modelId + QStringLiteral(" · ") + m.baseUrl);
    }
    for (const JudgeConfig &j : choices.judges)
        addJudgeItem(j, false);
    if (choices.judges.isEmpty()) {
        auto *hint = new QListWidgetItem(tr("No judges yet: “New judge…” creates one."), m_judges);
        hint->setFlags(Qt::NoItemFlags);
    }
    m_newJudge->setEnabled(true);
    for (const DatasetInfo &d : choices.datasets)
        m_dataset->addItem(
            QStringLiteral("%1 (%2)").arg(d.name, counted(d.caseCount, tr("case"), tr("cases"))),
            d.id);
    {
        const QSignalBlocker b4(m_embedding);
        // Without a project default, "None" is a choice (those assertions then are errors).
        if (!choices.defaultEmbeddingModel)
            m_embedding->addItem(tr("None (those assertions become errors)"), QVariant());
        int chosen = 0;
        for (const ModelConfig &m : choices.models) {
            if (m.provider == ProviderKind::Anthropic)
                continue; // no embeddings API
            m_embedding->addItem(QStringLiteral("%1 (%2)").arg(m.name, m.modelId), m.name);
            m_embedding->setItemData(m_embedding->count() - 1, m.id, IdRole);
            if (choices.defaultEmbeddingModel == m.id
                || (!choices.defaultEmbeddingModel && chosen == 0
                    && (m.modelId.contains(QLatin1String("embed"), Qt::CaseInsensitive)
                        || m.name.contains(QLatin1String("embed"), Qt::CaseInsensitive))))
                chosen = m_embedding->count() - 1;
        }
        m_embedding->setCurrentIndex(chosen);
    }
    updateEmbeddingRow();
    m_loaded = true;
    m_estimate->setEnabled(true);
    m_summary->setText(
        choices.datasets.isEmpty()
            ? tr("The project has no dataset yet: create one in Datasets.")
            : tr("Choose what to compare, then Estimate to see the number of calls and the cost."));
    Q_EMIT choicesReady();
}

void NewEvalDialog::addJudgeItem(const JudgeConfig &judge, bool checked)
{
    const QSignalBlocker blocker(m_judges);
    // The hint line goes once there is a judge to list.
    for (int row = m_judges->count() - 1; row >= 0; --row)
        if (!m_judges->item(row)->data(IdRole).isValid())
            delete m_judges->takeItem(row);
    auto *item = new QListWidgetItem(
        QStringLiteral("%1 · %2").arg(judge.name, judgeKindName(judge.kind)), m_judges);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    item->setData(IdRole, judge.id);
    if (!judge.rubric.isEmpty())
        item->setToolTip(judge.rubric);
}

JudgeDialog *NewEvalDialog::newJudge()
{
    auto *dialog = new JudgeDialog(m_controller, m_choices.models, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &JudgeDialog::judgeCreated, this, [this](const JudgeConfig &judge) {
        m_choices.judges.append(judge);
        addJudgeItem(judge, true);
        settingsChanged();
    });
    dialog->open();
    return dialog;
}

bool NewEvalDialog::checkJudge(qint64 judgeId, bool checked)
{
    for (int row = 0; row < m_judges->count(); ++row)
        if (m_judges->item(row)->data(IdRole).isValid()
            && m_judges->item(row)->data(IdRole).toLongLong() == judgeId) {
            m_judges->item(row)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
            return true;
        }
    return false;
}

EvalConfig NewEvalDialog::config() const
{
    EvalConfig c;
    c.name = m_name->text().trimmed();
    c.datasetId = m_dataset->currentData().toLongLong();
    c.samples = m_samples->value();
    c.concurrency = m_concurrency->value();
    c.useCache = m_cache->isChecked();
    c.embeddingModel = embeddingModel();
    QList<qint64> versions;
    for (int i = 0; i < m_versions->topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = m_versions->topLevelItem(i);
        // Listed newest first; oldest first in the eval, so the first variant is the baseline.
        for (int j = top->childCount() - 1; j >= 0; --j)
            if (top->child(j)->checkState(0) == Qt::Checked)
                versions << top->child(j)->data(0, IdRole).toLongLong();
    }
    for (qint64 v : versions)
        for (int row = 0; row < m_models->count(); ++row)
            if (m_models->item(row)->checkState() == Qt::Checked)
                c.variants.append({v, m_models->item(row)->data(IdRole).toLongLong()});
    for (int row = 0; row < m_judges->count(); ++row)
        if (m_judges->item(row)->data(IdRole).isValid()
            && m_judges->item(row)->checkState() == Qt::Checked)
            c.judgeIds << m_judges->item(row)->data(IdRole).toLongLong();
    return c;
}

bool NewEvalDialog::checkVersion(qint64 versionId, bool checked)
{
    for (int i = 0; i < m_versions->topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = m_versions->topLevelItem(i);
        for (int j = 0; j < top->childCount(); ++j)
            if (top->child(j)->data(0, IdRole).toLongLong() == versionId) {
                top->child(j)->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
                return true;
            }
    }
    return false;
}

bool NewEvalDialog::checkModel(qint64 modelId, bool checked)
{
    for (int row = 0; row < m_models->count(); ++row)
        if (m_models->item(row)->data(IdRole).toLongLong() == modelId) {
            m_models->item(row)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
            return true;
        }
    return false;
}

bool NewEvalDialog::selectDataset(qint64 datasetId)
{
    const int index = m_dataset->findData(datasetId);
    if (index >= 0)
        m_dataset->setCurrentIndex(index);
    return index >= 0;
}

void NewEvalDialog::setSamples(int samples)
{
    m_samples->setValue(samples);
}

void NewEvalDialog::setConcurrency(int concurrency)
{
    m_concurrency->setValue(concurrency);
}

bool NewEvalDialog::embeddingShown() const
{
    return m_choices.embeddingDatasets.contains(m_dataset->currentData().toLongLong());
}

QString NewEvalDialog::embeddingModel() const
{
    return embeddingShown() ? m_embedding->currentData().toString() : QString();
}

void NewEvalDialog::updateEmbeddingRow()
{
    m_form->setRowVisible(m_embeddingRow, embeddingShown());
    const qint64 id = m_embedding->currentData(IdRole).toLongLong();
    m_embeddingDefault->setEnabled(id > 0 && m_choices.defaultEmbeddingModel != id);
}

void NewEvalDialog::makeEmbeddingDefault()
{
    const qint64 id = m_embedding->currentData(IdRole).toLongLong();
    if (id <= 0)
        return;
    m_embeddingDefault->setEnabled(false);
    m_controller.setDefaultEmbeddingModel(id, this, [this, id](Result<void> done) {
        if (!done) {
            m_summary->setText(done.error().message.toHtmlEscaped());
            updateEmbeddingRow();
            return;
        }
        m_choices.defaultEmbeddingModel = id;
        updateEmbeddingRow();
    });
}

void NewEvalDialog::settingsChanged()
{
    updateEmbeddingRow();
    if (!m_loaded)
        return;
    m_estimated = false;
    m_start->setEnabled(false);
    const EvalConfig c = config();
    m_summary->setText(c.variants.isEmpty()
                           ? tr("Check at least one prompt version and one model.")
                           : tr("%1 selected. Estimate to see the calls and the cost.")
                                 .arg(counted(c.variants.size(), tr("variant"), tr("variants"))));
}

void NewEvalDialog::requestEstimate()
{
    const EvalConfig c = config();
    if (c.variants.isEmpty()) {
        m_summary->setText(tr("Check at least one prompt version and one model."));
        return;
    }
    if (!c.datasetId) {
        m_summary->setText(tr("Choose a dataset."));
        return;
    }
    m_waiting = true;
    m_estimated = false;
    m_start->setEnabled(false);
    m_estimate->setEnabled(false);
    m_summary->setText(tr("Estimating…"));
    m_controller.prepare(c);
}

QString NewEvalDialog::describe(const EvalEstimate &e)
{
    QString text = QStringLiteral("<b>%1</b>")
                       .arg(counted(e.totalCalls - e.alreadyDone, tr("call"), tr("calls")))
        + tr(" (%1 × %2 × %3")
              .arg(counted(e.cases, tr("case"), tr("cases")),
                   counted(e.variants, tr("variant"), tr("variants")),
                   counted(e.samples, tr("sample"), tr("samples")));
    if (e.judgeCalls > 0)
        text += tr(" + %1").arg(counted(e.judgeCalls, tr("judge call"), tr("judge calls")));
    text += QLatin1Char(')');
    if (e.alreadyDone > 0)
        text += tr("; %1 already done by an earlier attempt").arg(e.alreadyDone);
    if (e.cost)
        text += tr(" · estimated cost <b>$%1</b>").arg(*e.cost, 0, 'f', *e.cost < 0.1 ? 4 : 2);
    else
        text += tr(" · cost unknown");
    text += tr(" · ~%1k input / %2k output tokens")
                .arg(double(e.inputTokens) / 1000, 0, 'f', 1)
                .arg(double(e.outputTokens) / 1000, 0, 'f', 1);
    if (!e.modelsWithoutPrices.isEmpty())
        text += tr("<br>No prices for %1 (not in the cost).")
                    .arg(e.modelsWithoutPrices.join(QStringLiteral(", ")).toHtmlEscaped());
    if (e.resumed)
        text += tr("<br>Continues an unfinished eval with the same settings.");
    return text;
}

} // namespace ts
