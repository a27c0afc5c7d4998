#include "logs/addtodatasetdialog.h"

#include "common/themecolors.h"
#include "datasets/datasetstore.h"
#include "logs/logscontroller.h"
#include "logs/logtablemodel.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace ts {

namespace {
constexpr int newDatasetData = -1;

QString plural(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(formatCount(n), n == 1 ? one : many);
}

QLabel *hint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setMinimumWidth(label->fontMetrics().averageCharWidth() * 56);
    return label;
}
} // namespace

AddToDatasetDialog::AddToDatasetDialog(LogsController &controller, QList<qint64> selectedIds,
                                       LogFilter filter, qint64 filterCount, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_selected(std::move(selectedIds))
    , m_filter(std::move(filter))
    , m_filterCount(filterCount)
{
    setWindowTitle(tr("Add to Dataset"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    // Which records.
    auto *scope = new QVBoxLayout;
    m_selectedRadio
        = new QRadioButton(m_selected.isEmpty() ? tr("The selected records (none are selected)")
                               : m_selected.size() == 1
                               ? tr("The selected record")
                               : tr("The %1 selected records").arg(formatCount(m_selected.size())),
                           this);
    m_filterRadio = new QRadioButton(
        m_filter.isEmpty()
            ? tr("All %1").arg(plural(m_filterCount, tr("record"), tr("records")))
            : tr("All %1 the filter shows").arg(plural(m_filterCount, tr("record"), tr("records"))),
        this);
    auto *sampleRow = new QHBoxLayout;
    m_sampleRadio = new QRadioButton(tr("A random sample of"), this);
    m_sampleSize = new QSpinBox(this);
    m_sampleSize->setRange(1, 1'000'000);
    m_sampleSize->setValue(int(std::clamp<qint64>(m_filterCount, 1, 50)));
    m_sampleSize->setAccessibleName(tr("Sample size"));
    auto *seedLabel = new QLabel(tr("records, seed"), this);
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(1);
    m_seed->setToolTip(tr("The same seed over the same records picks the same sample"));
    m_seed->setAccessibleName(tr("Seed"));
    seedLabel->setBuddy(m_seed);
    sampleRow->addWidget(m_sampleRadio);
    sampleRow->addWidget(m_sampleSize);
    sampleRow->addWidget(seedLabel);
    sampleRow->addWidget(m_seed);
    sampleRow->addStretch(1);
    auto *group = new QButtonGroup(this);
    for (QRadioButton *b : {m_selectedRadio, m_filterRadio, m_sampleRadio})
        group->addButton(b);
    scope->addWidget(m_selectedRadio);
    scope->addWidget(m_filterRadio);
    scope->addLayout(sampleRow);
    form->addRow(tr("Records:"), scope);
    m_selectedRadio->setEnabled(!m_selected.isEmpty());
    (m_selected.isEmpty() ? m_filterRadio : m_selectedRadio)->setChecked(true);

    // Which dataset.
    auto *datasetRow = new QHBoxLayout;
    m_dataset = new QComboBox(this);
    m_dataset->setMinimumContentsLength(24);
    m_newName = new QLineEdit(this);
    m_newName->setPlaceholderText(tr("Name of the new dataset"));
    datasetRow->addWidget(m_dataset);
    datasetRow->addWidget(m_newName, 1);
    form->addRow(tr("&Dataset:"), datasetRow);
    qobject_cast<QLabel *>(form->labelForField(datasetRow))->setBuddy(m_dataset);

    // How the variables are recovered.
    m_prompt = new QComboBox(this);
    m_prompt->addItem(tr("None: the last user message becomes {{input}}"), QString());
    form->addRow(tr("&Prompt version:"), m_prompt);
    m_promptHint = hint(tr("With a version, each {{variable}} of its template is recovered from "
                           "the logged messages."),
                        this);
    form->addRow(QString(), m_promptHint);

    m_expected = new QCheckBox(tr("Use the logged &output as the expected answer"), this);
    m_expected->setChecked(false);
    form->addRow(QString(), m_expected);
    form->addRow(QString(),
                 hint(tr("The logged output is always kept with the case as its "
                         "production output, to compare new versions against."),
                      this));
    layout->addLayout(form);

    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->hide();
    layout->addWidget(m_result);

    auto *buttons = new QDialogButtonBox(this);
    m_add = buttons->addButton(tr("Add Cases"), QDialogButtonBox::AcceptRole);
    m_add->setDefault(true);
    m_close = buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    setMinimumWidth(fontMetrics().averageCharWidth() * 72);

    connect(m_add, &QPushButton::clicked, this, &AddToDatasetDialog::add);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    connect(group, &QButtonGroup::buttonToggled, this, &AddToDatasetDialog::updateState);
    connect(m_dataset, &QComboBox::currentIndexChanged, this, &AddToDatasetDialog::updateState);
    connect(m_newName, &QLineEdit::textChanged, this, &AddToDatasetDialog::updateState);
    connect(m_prompt, &QComboBox::currentIndexChanged, this, &AddToDatasetDialog::updateState);

    m_add->setEnabled(false);
    m_controller.loadDatasetTargets(this, [this](Result<DatasetTargets> targets) {
        if (!targets) {
            m_result->setText(targets.error().message.toHtmlEscaped());
            m_result->show();
            return;
        }
        fillTargets(*targets);
    });
    updateState();
}

void AddToDatasetDialog::fillTargets(const DatasetTargets &targets)
{
    m_dataset->clear();
    for (const DatasetInfo &d : targets.datasets)
        m_dataset->addItem(
            QStringLiteral("%1  (%2)").arg(d.name, plural(d.caseCount, tr("case"), tr("cases"))),
            d.name);
    m_dataset->addItem(tr("New dataset…"), newDatasetData);
    if (targets.datasets.isEmpty())
        m_newName->setText(tr("From production logs"));
    int preferred = -1;
    for (const DatasetTargets::Prompt &p : targets.prompts)
        for (const auto &v : p.versions) {
            m_prompt->addItem(v.label, v.reference);
            // The prompt the filter shows is the likely one, at the version it logged.
            if (m_filter.promptName == p.name
                && (preferred < 0
                    || (m_filter.promptVersion
                        && v.reference
                            == QStringLiteral("%1@%2").arg(p.name, *m_filter.promptVersion))))
                preferred = m_prompt->count() - 1;
        }
    if (preferred >= 0)
        m_prompt->setCurrentIndex(preferred);
    m_ready = true;
    updateState();
    Q_EMIT ready();
}

void AddToDatasetDialog::setScope(Scope scope)
{
    (scope == Scope::Selected     ? m_selectedRadio
         : scope == Scope::Filter ? m_filterRadio
                                  : m_sampleRadio)
        ->setChecked(true);
}

void AddToDatasetDialog::setSample(int size, quint64 seed)
{
    m_sampleSize->setValue(size);
    m_seed->setValue(int(seed));
    setScope(Scope::Sample);
}

void AddToDatasetDialog::setDataset(const QString &name)
{
    const int index = m_dataset->findData(name);
    if (index >= 0) {
        m_dataset->setCurrentIndex(index);
        return;
    }
    m_dataset->setCurrentIndex(m_dataset->findData(newDatasetData));
    m_newName->setText(name);
}

void AddToDatasetDialog::setPromptVersion(const QString &reference)
{
    const int index = m_prompt->findData(reference);
    m_prompt->setCurrentIndex(index >= 0 ? index : 0);
}

void AddToDatasetDialog::setExpectedFromOutput(bool on)
{
    m_expected->setChecked(on);
}

LogSelection AddToDatasetDialog::selection() const
{
    LogSelection s;
    if (m_selectedRadio->isChecked()) {
        s.ids = m_selected;
        return s;
    }
    s.filter = m_filter;
    if (m_sampleRadio->isChecked()) {
        s.sampleSize = m_sampleSize->value();
        s.seed = quint64(m_seed->value());
    }
    return s;
}

LogsToDatasetOptions AddToDatasetDialog::options() const
{
    LogsToDatasetOptions o;
    const bool creating = m_dataset->currentData().toInt() == newDatasetData
        && m_dataset->currentData().typeId() == QMetaType::Int;
    o.dataset = creating ? m_newName->text().trimmed() : m_dataset->currentData().toString();
    o.create = creating;
    o.prompt = m_prompt->currentData().toString();
    o.expectedFromOutput = m_expected->isChecked();
    return o;
}

void AddToDatasetDialog::updateState()
{
    const bool creating = m_dataset->currentData().typeId() == QMetaType::Int;
    m_newName->setVisible(creating || !m_ready);
    m_newName->setEnabled(m_ready);
    const LogsToDatasetOptions o = options();
    const bool hasRecords
        = m_selectedRadio->isChecked() ? !m_selected.isEmpty() : m_filterCount > 0;
    QString problem;
    if (creating)
        problem = DatasetStore::datasetNameProblem(o.dataset);
    m_newName->setToolTip(problem);
    m_add->setEnabled(m_ready && !m_busy && hasRecords && problem.isEmpty());
}

void AddToDatasetDialog::add()
{
    m_busy = true;
    updateState();
    m_result->setText(tr("Adding…"));
    m_result->show();
    m_controller.addToDataset(
        selection(), options(), this, [this](Result<LogsToDatasetSummary> result) {
            m_busy = false;
            const ThemeColors c = ThemeColors::fromPalette(palette());
            if (!result) {
                m_result->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                                      .arg(c.error.name(), result.error().message.toHtmlEscaped()));
                updateState();
                Q_EMIT finished(false);
                return;
            }
            const LogsToDatasetSummary &s = *result;
            QStringList lines;
            lines << tr("<span style='color:%1'>✓</span> Added <b>%2</b> to “%3”%4.")
                         .arg(c.addedText.name(), plural(s.added, tr("case"), tr("cases")),
                              s.dataset.toHtmlEscaped(),
                              s.createdDataset ? tr(" (new dataset)") : QString());
            if (s.duplicates)
                lines << tr("%1 already in the dataset.")
                             .arg(plural(s.duplicates, tr("case was"), tr("cases were")));
            if (s.withoutInput)
                lines << tr("%1 no user message to take {{input}} from and were skipped.")
                             .arg(plural(s.withoutInput, tr("record had"), tr("records had")));
            for (auto it = s.unrecovered.cbegin(); it != s.unrecovered.cend(); ++it)
                lines
                    << tr("<span style='color:%1'>Could not recover <b>{{%2}}</b></span> in %3: %4")
                           .arg(c.error.name(), it.key().toHtmlEscaped(),
                                plural(it.value(), tr("record"), tr("records")),
                                s.reasons.value(it.key()).toHtmlEscaped());
            for (auto it = s.wholeMessage.cbegin(); it != s.wholeMessage.cend(); ++it)
                lines << tr("<b>{{%1}}</b> took a whole message in %2: %3")
                             .arg(it.key().toHtmlEscaped(),
                                  plural(it.value(), tr("record"), tr("records")),
                                  s.reasons.value(it.key()).toHtmlEscaped());
            m_result->setText(lines.join(QStringLiteral("<br>")));
            m_close->setText(tr("Close"));
            m_add->setEnabled(false);
            m_close->setDefault(true);
            m_close->setFocus();
            adjustSize();
            Q_EMIT finished(true);
        });
}

QString AddToDatasetDialog::resultText() const
{
    return m_result->text();
}

} // namespace ts
