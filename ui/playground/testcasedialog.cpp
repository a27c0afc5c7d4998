#include "playground/testcasedialog.h"

#include "common/json.h"
#include "common/themecolors.h"
#include "playground/playgroundcontroller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ts {

TestCaseDialog::TestCaseDialog(PlaygroundController &controller, const QString &output, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_output(output)
{
    setWindowTitle(tr("Add as Test Case"));
    resize(520, 420);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Saves the variables of this run as a test case, so that evals run "
                                "the prompt on it again."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_dataset = new QComboBox(this);
    m_dataset->setEditable(true);
    m_dataset->setInsertPolicy(QComboBox::NoInsert);
    m_dataset->setEditText(QStringLiteral("playground"));
    m_dataset->setToolTip(tr("An existing dataset, or a new name to create one"));
    form->addRow(tr("&Dataset:"), m_dataset);
    auto *vars = new QPlainTextEdit(this);
    vars->setReadOnly(true);
    vars->setFont(editorFont());
    vars->setPlainText(qstr(controller.runVariables().dump(2)));
    form->addRow(tr("Variables:"), vars);
    layout->addLayout(form, 1);

    m_expected = new QCheckBox(tr("Also save this output as the &expected answer"), this);
    m_expected->setEnabled(!output.isEmpty());
    layout->addWidget(m_expected);
    auto *preview = new QLabel(this);
    preview->setWordWrap(true);
    preview->setTextFormat(Qt::PlainText);
    preview->setText(output.left(300) + (output.size() > 300 ? QStringLiteral("…") : QString()));
    preview->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(ThemeColors::fromPalette(palette()).muted.name()));
    layout->addWidget(preview);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(ThemeColors::fromPalette(palette()).error.name()));
    m_error->hide();
    layout->addWidget(m_error);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &TestCaseDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    controller.loadDatasetNames(this, [this](Result<QStringList> names) {
        if (!names)
            return;
        const QString typed = m_dataset->currentText();
        m_dataset->addItems(*names);
        m_dataset->setEditText(names->isEmpty() || names->contains(typed) ? typed : names->first());
    });
}

void TestCaseDialog::save()
{
    const QString name = m_dataset->currentText().trimmed();
    std::optional<QString> expected;
    if (m_expected->isChecked())
        expected = m_output;
    m_buttons->setEnabled(false);
    m_controller.addTestCase(name, expected, this, [this, name](Result<qint64> id) {
        m_buttons->setEnabled(true);
        if (!id) {
            m_error->setText(id.error().message);
            m_error->show();
            return;
        }
        Q_EMIT saved(tr("Added a test case to dataset \"%1\"").arg(name));
        accept();
    });
}

} // namespace ts
