#include "evals/judgedialog.h"

#include "common/themecolors.h"
#include "evals/evalscontroller.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ts {

JudgeDialog::JudgeDialog(EvalsController &controller, const QList<ModelConfig> &models,
                         QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
{
    setWindowTitle(tr("New Judge"));
    resize(480, 380);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("e.g. helpfulness"));
    form->addRow(tr("Name"), m_name);
    m_kind = new QComboBox(this);
    for (JudgeKind kind : {JudgeKind::Pointwise, JudgeKind::Pairwise, JudgeKind::Factuality})
        m_kind->addItem(judgeKindName(kind), int(kind));
    form->addRow(tr("Kind"), m_kind);
    m_model = new QComboBox(this);
    for (const ModelConfig &m : models)
        m_model->addItem(m.name, m.id);
    form->addRow(tr("Judging model"), m_model);
    m_rubric = new QPlainTextEdit(this);
    m_rubric->setPlaceholderText(tr("What a good answer does"));
    form->addRow(tr("Rubric"), m_rubric);
    layout->addLayout(form, 1);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    layout->addWidget(m_error);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &JudgeDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void JudgeDialog::submit()
{
    if (m_busy)
        return;
    const QString name = m_name->text().trimmed();
    if (name.isEmpty()) {
        showError(tr("Give the judge a name."));
        return;
    }
    std::optional<qint64> modelId;
    if (m_model->currentIndex() >= 0)
        modelId = m_model->currentData().toLongLong();
    m_busy = true;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_error->hide();
    m_controller.addJudge(name, JudgeKind(m_kind->currentData().toInt()), modelId,
                          m_rubric->toPlainText().trimmed(), this,
                          [this](Result<JudgeConfig> judge) {
                              m_busy = false;
                              m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
                              if (!judge) {
                                  showError(judge.error().message);
                                  return;
                              }
                              m_judge = *judge;
                              Q_EMIT judgeCreated(m_judge);
                              accept();
                          });
}

void JudgeDialog::showError(const QString &message)
{
    m_error->setText(
        QStringLiteral("<span style='color:%1'>%2</span>")
            .arg(ThemeColors::fromPalette(palette()).error.name(), message.toHtmlEscaped()));
    m_error->show();
}

} // namespace ts
