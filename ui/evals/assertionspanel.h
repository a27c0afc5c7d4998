#pragma once

#include "datasets/assertionstore.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace ts {

class DatasetsController;

/// The assertions of the selected dataset (every case) and of the selected case: a list, and
/// a form to add or edit one (type from assertionTypes(), `not-`, value, weight, threshold).
/// An invalid assertion is refused with the reason under the form.
class AssertionsPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit AssertionsPanel(DatasetsController &controller, QWidget *parent = nullptr);

    /// The case whose own assertions are listed and that "This case" adds to (nullopt: none).
    void setCurrentCase(std::optional<qint64> caseId, int row = -1);

    QTreeWidget *list() const { return m_list; }
    QComboBox *typeCombo() const { return m_type; }
    QCheckBox *negateBox() const { return m_negate; }
    QLineEdit *valueEdit() const { return m_value; }
    QDoubleSpinBox *weightSpin() const { return m_weight; }
    QLineEdit *thresholdEdit() const { return m_threshold; }
    QComboBox *scopeCombo() const { return m_scope; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *removeButton() const { return m_remove; }
    /// The inline problem ("" when the last save was accepted).
    QString problem() const;

    /// What the form describes, or why it cannot be an assertion.
    Result<AssertionSpec> formSpec() const;
    /// Text typed in the value field as JSON: numbers, lists and objects parse; anything
    /// else is a string; empty is no value.
    static nlohmann::json parseValue(const QString &text);

private:
    void rebuild();
    void loadSelected();
    void submit(bool asNew);
    void showProblem(const QString &text);
    const StoredAssertion *selected() const;

    DatasetsController &m_controller;
    std::optional<qint64> m_caseId;
    int m_caseRow = -1;
    QTreeWidget *m_list = nullptr;
    QComboBox *m_scope = nullptr;
    QComboBox *m_type = nullptr;
    QCheckBox *m_negate = nullptr;
    QLineEdit *m_value = nullptr;
    QDoubleSpinBox *m_weight = nullptr;
    QLineEdit *m_threshold = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_problem = nullptr;
};

} // namespace ts
