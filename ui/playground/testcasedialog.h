#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;

namespace ts {

class PlaygroundController;

/// "Add as test case": saves the variables of the last playground run to a dataset (new or
/// existing), optionally with an output as the expected answer. Saving runs on the worker.
class TestCaseDialog final : public QDialog
{
    Q_OBJECT

public:
    TestCaseDialog(PlaygroundController &controller, const QString &output, QWidget *parent = nullptr);

    QComboBox *datasetBox() const { return m_dataset; }
    QCheckBox *expectedBox() const { return m_expected; }
    /// Saves with the current choices (what the Save button does).
    void save();

Q_SIGNALS:
    /// The case was stored; `message` says where.
    void saved(const QString &message);

private:
    PlaygroundController &m_controller;
    QString m_output;
    QComboBox *m_dataset = nullptr;
    QCheckBox *m_expected = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace ts
