#include "insights/newmonitordialog.h"

#include "common/designsystem.h"
#include "common/themecolors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ts {

NewMonitorDialog::NewMonitorDialog(const MonitorChoices &choices, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("New Monitor"));
    m_name = new QLineEdit;
    m_name->setPlaceholderText(tr("e.g. refunds-prod"));
    m_dataset = new QComboBox;
    for (const auto &[id, name] : choices.datasets)
        m_dataset->addItem(name, id);
    m_model = new QComboBox;
    m_model->setEditable(true);
    m_model->addItem(tr("Every model"), QString());
    for (const QString &model : choices.models)
        m_model->addItem(model, model);
    m_prompt = new QComboBox;
    m_prompt->setEditable(true);
    m_prompt->addItem(tr("Every prompt"), QString());
    for (const QString &prompt : choices.prompts)
        m_prompt->addItem(prompt, prompt);
    m_version = new QLineEdit;
    m_version->setPlaceholderText(tr("every version"));
    m_version->setMaximumWidth(120);
    auto *promptRow = new QHBoxLayout;
    promptRow->addWidget(m_prompt, 1);
    promptRow->addWidget(new QLabel(tr("version")));
    promptRow->addWidget(m_version);
    m_threshold = new QDoubleSpinBox;
    m_threshold->setRange(0, 100);
    m_threshold->setDecimals(1);
    m_threshold->setSuffix(QStringLiteral(" %"));
    m_threshold->setValue(90);
    m_window = new QComboBox;
    m_window->addItem(tr("Day (UTC)"), int(MonitorWindow::Day));
    m_window->addItem(tr("Week (ISO, from Monday)"), int(MonitorWindow::Week));

    m_useJudge = new QCheckBox(tr("Also ask an LLM judge"));
    m_judge = new QComboBox;
    for (const auto &[id, name] : choices.judges)
        m_judge->addItem(name, id);
    m_fraction = new QDoubleSpinBox;
    m_fraction->setRange(0, 100);
    m_fraction->setDecimals(1);
    m_fraction->setSuffix(tr(" % of records"));
    m_fraction->setValue(10);
    m_useCap = new QCheckBox(tr("Cap the cost of a run at"));
    m_cap = new QDoubleSpinBox;
    m_cap->setRange(0, 100000);
    m_cap->setDecimals(2);
    m_cap->setPrefix(QStringLiteral("$ "));
    m_cap->setValue(1);
    auto *capRow = new QHBoxLayout;
    capRow->addWidget(m_useCap);
    capRow->addWidget(m_cap, 1);
    if (choices.judges.isEmpty()) {
        m_useJudge->setEnabled(false);
        m_useJudge->setToolTip(tr("The project has no pointwise or factuality judge yet."));
    }

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Assertions of:"), m_dataset);
    auto *datasetHint = new QLabel(tr("The dataset's assertions on all its cases are checked on "
                                      "each record."));
    datasetHint->setWordWrap(true);
    design::setTextRole(datasetHint, design::TextRole::Secondary);
    form->addRow(QString(), datasetHint);
    form->addRow(tr("&Model:"), m_model);
    form->addRow(tr("&Prompt:"), promptRow);
    form->addRow(tr("&Threshold:"), m_threshold);
    form->addRow(tr("&Window:"), m_window);
    form->addRow(QString(), m_useJudge);
    form->addRow(tr("&Judge:"), m_judge);
    form->addRow(tr("&Sample:"), m_fraction);
    form->addRow(QString(), capRow);

    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_create = buttons->addButton(tr("Create"), QDialogButtonBox::AcceptRole);
    m_create->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_create, &QPushButton::clicked, this, [this] {
        m_error->hide();
        Q_EMIT monitorWanted(monitor());
    });
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(design::space::m);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_name, &QLineEdit::textChanged, this, &NewMonitorDialog::updateState);
    connect(m_useJudge, &QCheckBox::toggled, this, &NewMonitorDialog::updateState);
    connect(m_useCap, &QCheckBox::toggled, this, &NewMonitorDialog::updateState);
    connect(m_prompt, &QComboBox::currentTextChanged, this, &NewMonitorDialog::updateState);
    updateState();
    resize(520, sizeHint().height());
}

MonitorConfig NewMonitorDialog::monitor() const
{
    MonitorConfig m;
    m.name = m_name->text().trimmed();
    m.datasetId = m_dataset->currentData().toLongLong();
    m.datasetName = m_dataset->currentText();
    // An edited text that is not one of the items is taken as typed.
    auto chosen = [](const QComboBox *box) -> std::optional<QString> {
        const int i = box->findText(box->currentText());
        const QString value = i >= 0 ? box->itemData(i).toString() : box->currentText().trimmed();
        return value.isEmpty() ? std::nullopt : std::optional<QString>(value);
    };
    m.model = chosen(m_model);
    m.promptName = chosen(m_prompt);
    if (m.promptName && !m_version->text().trimmed().isEmpty())
        m.promptVersion = m_version->text().trimmed();
    m.threshold = m_threshold->value() / 100;
    m.window = MonitorWindow(m_window->currentData().toInt());
    if (m_useJudge->isChecked() && m_judge->currentIndex() >= 0) {
        m.judgeId = m_judge->currentData().toLongLong();
        m.judgeName = m_judge->currentText();
        m.judgeFraction = m_fraction->value() / 100;
        if (m_useCap->isChecked())
            m.judgeCostCap = m_cap->value();
    }
    return m;
}

void NewMonitorDialog::showError(const QString &text)
{
    const ThemeColors colors = ThemeColors::fromPalette(palette());
    m_error->setStyleSheet(QStringLiteral("color: %1;").arg(colors.status(Status::Fail).name()));
    m_error->setText(text);
    m_error->show();
}

void NewMonitorDialog::updateState()
{
    const bool judge = m_useJudge->isChecked();
    m_judge->setEnabled(judge);
    m_fraction->setEnabled(judge);
    m_useCap->setEnabled(judge);
    m_cap->setEnabled(judge && m_useCap->isChecked());
    m_version->setEnabled(m_prompt->currentIndex() != 0
                          || m_prompt->currentText() != m_prompt->itemText(0));
    m_create->setEnabled(!m_name->text().trimmed().isEmpty() && m_dataset->count() > 0);
}

} // namespace ts
