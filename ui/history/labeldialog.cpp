#include "history/labeldialog.h"

#include "common/themecolors.h"
#include "prompts/promptstore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ts {

LabelDialog::LabelDialog(const QStringList &labels, const QList<int> &versions, int selectedVersion,
                         QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Set Label"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("A label is a movable name such as <i>production</i> that code "
                                "can ask for instead of a version number. Pointing an existing "
                                "label at another version moves it; every move is recorded."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_label = new QComboBox(this);
    m_label->setEditable(true);
    m_label->setInsertPolicy(QComboBox::NoInsert);
    QStringList names = labels;
    for (const QString &common : {QStringLiteral("production"), QStringLiteral("staging")})
        if (!names.contains(common))
            names << common;
    m_label->addItems(names);
    m_version = new QComboBox(this);
    for (int n : versions)
        m_version->addItem(tr("Version %1").arg(n), n);
    m_version->setCurrentIndex(std::max(0, m_version->findData(selectedVersion)));
    form->addRow(tr("Label"), m_label);
    form->addRow(tr("Points at"), m_version);
    layout->addLayout(form);

    m_problem = new QLabel(this);
    QPalette p = m_problem->palette();
    p.setColor(QPalette::WindowText, ThemeColors::fromPalette(palette()).error);
    m_problem->setPalette(p);
    m_problem->setWordWrap(true);
    layout->addWidget(m_problem);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Set Label"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_label, &QComboBox::editTextChanged, this, &LabelDialog::validate);
    validate();
}

QString LabelDialog::label() const
{
    return m_label->currentText().trimmed();
}

int LabelDialog::version() const
{
    return m_version->currentData().toInt();
}

void LabelDialog::setLabel(const QString &label)
{
    m_label->setEditText(label);
}

void LabelDialog::validate()
{
    const QString problem = PromptStore::labelNameProblem(label());
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty() && m_version->count() > 0);
}

} // namespace ts
