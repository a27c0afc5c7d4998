#pragma once

#include "datasets/judgestore.h"
#include "models/modelconfig.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace ts {

class EvalsController;

/// "New judge": name, kind, judging model and rubric. OK creates the judge (and its
/// "<name>-judge" prompt) on the project worker; the dialog closes only once that succeeded,
/// otherwise it shows the error and stays open.
class JudgeDialog final : public QDialog
{
    Q_OBJECT

public:
    JudgeDialog(EvalsController &controller, const QList<ModelConfig> &models,
                QWidget *parent = nullptr);

    /// The judge created (valid after judgeCreated()).
    const JudgeConfig &judge() const { return m_judge; }

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *kindCombo() const { return m_kind; }
    QComboBox *modelCombo() const { return m_model; }
    QPlainTextEdit *rubricEdit() const { return m_rubric; }
    QLabel *errorLabel() const { return m_error; }
    /// Validates and posts the creation (what OK does).
    void submit();

Q_SIGNALS:
    void judgeCreated(const ts::JudgeConfig &judge);

private:
    void showError(const QString &message);

    EvalsController &m_controller;
    JudgeConfig m_judge;
    bool m_busy = false;
    QLineEdit *m_name = nullptr;
    QComboBox *m_kind = nullptr;
    QComboBox *m_model = nullptr;
    QPlainTextEdit *m_rubric = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace ts
