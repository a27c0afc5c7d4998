#pragma once

#include "annotate/annotatecontroller.h"
#include "annotate/labelingsession.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace ts {

/// Turns a labeled failure into a test case: pick a dataset (or name a new one), add, then
/// the offer of an assertion for the new case (type and value, checked before saving).
class AddTestCaseDialog final : public QDialog
{
    Q_OBJECT

public:
    AddTestCaseDialog(AnnotateController &controller, std::shared_ptr<const LabelingItem> item,
                      QWidget *parent = nullptr);

    QComboBox *datasetCombo() const { return m_dataset; }
    QLineEdit *newDatasetEdit() const { return m_newDataset; }
    QPushButton *addButton() const { return m_add; }
    QComboBox *assertionTypeCombo() const { return m_type; }
    QLineEdit *assertionValueEdit() const { return m_value; }
    QPushButton *assertionButton() const { return m_addAssertion; }
    QLabel *problemLabel() const { return m_problem; }
    /// The case added (0 before).
    qint64 addedCaseId() const { return m_added.caseId; }
    bool onAssertionPage() const;

    void addCase();
    void addAssertion();

Q_SIGNALS:
    void caseAdded(const ts::AddedCase &added);
    void assertionAdded();

private:
    void showProblem(const QString &text);

    AnnotateController &m_controller;
    std::shared_ptr<const LabelingItem> m_item;
    AddedCase m_added;
    QStackedWidget *m_pages = nullptr;
    QComboBox *m_dataset = nullptr;
    QLineEdit *m_newDataset = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_close = nullptr;
    QLabel *m_addedText = nullptr;
    QComboBox *m_type = nullptr;
    QLineEdit *m_value = nullptr;
    QPushButton *m_addAssertion = nullptr;
    QLabel *m_problem = nullptr;
};

} // namespace ts
