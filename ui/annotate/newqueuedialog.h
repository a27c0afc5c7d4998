#pragma once

#include "annotate/annotatecontroller.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace ts {

/// What to review and how: where the items come from (logs with filters and search, an eval's
/// outputs, failures, flaky or changed cases, two variants side by side, a variant against
/// production, playground runs), how many and how they are sampled, how many people label
/// each, blind or not, and the criteria (chosen or created here).
class NewQueueDialog final : public QDialog
{
    Q_OBJECT

public:
    NewQueueDialog(const QueueChoices &choices, QWidget *parent = nullptr);

    /// The queue the form describes, or why it cannot be made.
    Result<NewQueueRequest> request() const;
    /// Shows why the queue could not be made (the dialog stays open).
    void showProblem(const QString &text);

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *sourceCombo() const { return m_source; }
    QLineEdit *searchEdit() const { return m_search; }
    QComboBox *evalCombo() const { return m_eval; }
    QComboBox *pickCombo() const { return m_pick; }
    QComboBox *variantCombo() const { return m_variant; }
    QComboBox *variantACombo() const { return m_variantA; }
    QComboBox *variantBCombo() const { return m_variantB; }
    QComboBox *strategyCombo() const { return m_strategy; }
    QSpinBox *sizeSpin() const { return m_size; }
    QSpinBox *seedSpin() const { return m_seed; }
    QSpinBox *overlapSpin() const { return m_overlap; }
    QCheckBox *blindBox() const { return m_blind; }
    QListWidget *criteriaList() const { return m_criteria; }
    QLineEdit *newCriterionEdit() const { return m_newName; }
    QLineEdit *newQuestionEdit() const { return m_newQuestion; }
    /// Adds the criterion typed in the fields (checked) to the list.
    void addCriterion();

Q_SIGNALS:
    /// Create was pressed with a valid form; the dialog stays open until accept().
    void createRequested(const ts::NewQueueRequest &request);

private:
    void updateRows();
    void fillVariants();
    NewQueueRequest::Source source() const;

    QueueChoices m_choices;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_source = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_model = nullptr;
    QComboBox *m_prompt = nullptr;
    QComboBox *m_status = nullptr;
    QComboBox *m_eval = nullptr;
    QComboBox *m_pick = nullptr;
    QComboBox *m_variant = nullptr;
    QComboBox *m_variantA = nullptr;
    QComboBox *m_variantB = nullptr;
    QComboBox *m_strategy = nullptr;
    QSpinBox *m_size = nullptr;
    QSpinBox *m_seed = nullptr;
    QSpinBox *m_overlap = nullptr;
    QCheckBox *m_blind = nullptr;
    QListWidget *m_criteria = nullptr;
    QLineEdit *m_newName = nullptr;
    QLineEdit *m_newQuestion = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_create = nullptr;
    QList<std::pair<QString, QString>> m_added;
};

} // namespace ts
