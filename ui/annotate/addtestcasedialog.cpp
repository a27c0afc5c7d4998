#include "annotate/addtestcasedialog.h"

#include "common/themecolors.h"
#include "evals/assertion.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace ts {

AddTestCaseDialog::AddTestCaseDialog(AnnotateController &controller,
                                     std::shared_ptr<const LabelingItem> item, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_item(std::move(item))
{
    setWindowTitle(tr("Add as Test Case"));
    const int ch = fontMetrics().averageCharWidth();
    auto *layout = new QVBoxLayout(this);
    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages);

    // Page 1: where the case goes.
    auto *casePage = new QWidget(m_pages);
    auto *caseLayout = new QVBoxLayout(casePage);
    caseLayout->setContentsMargins(0, 0, 0, 0);
    QString what;
    if (m_item->item.a.kind == Target::Kind::Log)
        what = tr(
            "The record's variables are recovered from its messages; its output is kept as the "
            "production output.");
    else
        what = tr("The case gets the variables this output was generated from.");
    what += QLatin1Char(' ')
        + (m_item->correction
               ? tr("Your corrected answer becomes the expected output.")
               : tr("There is no corrected answer (E while labeling), so the case has no "
                    "expected output."));
    auto *intro = new QLabel(what, casePage);
    intro->setWordWrap(true);
    intro->setMinimumWidth(ch * 60);
    caseLayout->addWidget(intro);
    auto *form = new QFormLayout;
    m_dataset = new QComboBox(casePage);
    m_dataset->addItem(tr("New dataset…"), qint64(0));
    form->addRow(tr("&Dataset:"), m_dataset);
    m_newDataset = new QLineEdit(casePage);
    m_newDataset->setText(tr("Review failures"));
    form->addRow(tr("&Name:"), m_newDataset);
    caseLayout->addLayout(form);
    m_pages->addWidget(casePage);

    // Page 2: an assertion for it.
    auto *assertionPage = new QWidget(m_pages);
    auto *assertionLayout = new QVBoxLayout(assertionPage);
    assertionLayout->setContentsMargins(0, 0, 0, 0);
    m_addedText = new QLabel(assertionPage);
    m_addedText->setWordWrap(true);
    assertionLayout->addWidget(m_addedText);
    auto *assertionForm = new QFormLayout;
    m_type = new QComboBox(assertionPage);
    for (const QString &type : assertionTypes()) {
        m_type->addItem(type, type);
        const QString negated = QStringLiteral("not-") + type;
        m_type->addItem(negated, negated);
    }
    // A failure is usually something the answer must not say, or a rule a judge can check.
    const bool hasNote = m_item->note.has_value();
    const int preferred
        = m_type->findData(hasNote ? QStringLiteral("llm-rubric") : QStringLiteral("not-contains"));
    if (preferred >= 0)
        m_type->setCurrentIndex(preferred);
    assertionForm->addRow(tr("&Type:"), m_type);
    m_value = new QLineEdit(assertionPage);
    m_value->setText(m_item->note.value_or(QString()));
    m_value->setPlaceholderText(tr("What to check, e.g. a phrase the answer must not contain"));
    assertionForm->addRow(tr("&Value:"), m_value);
    assertionLayout->addLayout(assertionForm);
    m_pages->addWidget(assertionPage);

    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(
        QStringLiteral("color: %1").arg(ThemeColors::fromPalette(palette()).error.name()));
    m_problem->hide();
    layout->addWidget(m_problem);

    auto *buttons = new QDialogButtonBox(this);
    m_close = buttons->addButton(QDialogButtonBox::Cancel);
    m_add = buttons->addButton(tr("Add Test Case"), QDialogButtonBox::ActionRole);
    m_add->setDefault(true);
    m_addAssertion = buttons->addButton(tr("Add Assertion"), QDialogButtonBox::ActionRole);
    m_addAssertion->hide();
    layout->addWidget(buttons);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_add, &QPushButton::clicked, this, &AddTestCaseDialog::addCase);
    connect(m_addAssertion, &QPushButton::clicked, this, &AddTestCaseDialog::addAssertion);
    connect(m_dataset, &QComboBox::currentIndexChanged, this,
            [this] { m_newDataset->setEnabled(m_dataset->currentData().toLongLong() == 0); });

    m_controller.loadDatasets(this, [this](Result<QList<DatasetInfo>> datasets) {
        if (!datasets) {
            showProblem(datasets.error().message);
            return;
        }
        for (const DatasetInfo &d : *datasets)
            m_dataset->addItem(tr("%1 (%n case(s))", nullptr, d.caseCount).arg(d.name), d.id);
        if (!datasets->isEmpty())
            m_dataset->setCurrentIndex(1);
    });
}

bool AddTestCaseDialog::onAssertionPage() const
{
    return m_pages->currentIndex() == 1;
}

void AddTestCaseDialog::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

void AddTestCaseDialog::addCase()
{
    TestCaseRequest request;
    request.target = m_item->item.a;
    request.context = m_item->item.context;
    request.correction = m_item->correction;
    request.datasetId = m_dataset->currentData().toLongLong();
    request.newDataset = m_newDataset->text().trimmed();
    if (!request.datasetId && request.newDataset.isEmpty()) {
        showProblem(tr("Name the new dataset."));
        return;
    }
    m_add->setEnabled(false);
    m_controller.addTestCase(request, this, [this](Result<AddedCase> added) {
        m_add->setEnabled(true);
        if (!added) {
            showProblem(added.error().message);
            return;
        }
        showProblem({});
        m_added = *added;
        m_addedText->setText(
            tr("Added as case %1 of \"%2\"%3. Add an assertion so the next eval checks "
               "for this failure?")
                .arg(added->position + 1)
                .arg(added->dataset.toHtmlEscaped(),
                     added->expectedFromCorrection ? tr(", with your correction as expected output")
                                                   : QString()));
        m_pages->setCurrentIndex(1);
        m_add->hide();
        m_close->setText(tr("No Assertion"));
        m_addAssertion->show();
        m_addAssertion->setDefault(true);
        m_value->setFocus();
        Q_EMIT caseAdded(*added);
    });
}

void AddTestCaseDialog::addAssertion()
{
    AssertionSpec spec;
    spec.type = m_type->currentData().toString();
    const QString value = m_value->text().trimmed();
    if (!value.isEmpty())
        spec.value = value.toStdString();
    if (auto valid = validateAssertion(spec); !valid) {
        showProblem(valid.error().message);
        return;
    }
    m_addAssertion->setEnabled(false);
    m_controller.addAssertion(m_added.datasetId, m_added.caseId, spec, this,
                              [this](Result<StoredAssertion> stored) {
                                  m_addAssertion->setEnabled(true);
                                  if (!stored) {
                                      showProblem(stored.error().message);
                                      return;
                                  }
                                  Q_EMIT assertionAdded();
                                  accept();
                              });
}

} // namespace ts
