#pragma once

#include "common/error.h"
#include "logs/logfilter.h"
#include "logs/todataset/logstodataset.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace ts {

class LogsController;
struct DatasetTargets;

/// "Add to dataset": which records (the selected ones, all the filter takes, or a seeded
/// random sample of them), which dataset (or a new one), which prompt version to recover the
/// case variables with (or the last user message as `input`), and whether the logged output
/// becomes the expected answer (off by default: it is always kept as the production output).
/// After adding it says what was added and which variables could not be recovered.
class AddToDatasetDialog final : public QDialog
{
    Q_OBJECT

public:
    AddToDatasetDialog(LogsController &controller, QList<qint64> selectedIds, LogFilter filter,
                       qint64 filterCount, QWidget *parent = nullptr);

    enum class Scope { Selected, Filter, Sample };
    void setScope(Scope scope);
    void setSample(int size, quint64 seed);
    /// Picks an existing dataset by name, or "New dataset" with this name.
    void setDataset(const QString &name);
    /// "name@3", or empty for the last user message as `input`.
    void setPromptVersion(const QString &reference);
    void setExpectedFromOutput(bool on);

    LogSelection selection() const;
    LogsToDatasetOptions options() const;
    /// True once the datasets and prompt versions are in the menus.
    bool isReady() const { return m_ready; }
    QString resultText() const;
    QPushButton *addButton() const { return m_add; }

Q_SIGNALS:
    void ready();
    /// The cases were added (or adding failed: the text says why).
    void finished(bool ok);

private:
    void fillTargets(const DatasetTargets &targets);
    void updateState();
    void add();

    LogsController &m_controller;
    QList<qint64> m_selected;
    LogFilter m_filter;
    qint64 m_filterCount = 0;
    QRadioButton *m_selectedRadio = nullptr;
    QRadioButton *m_filterRadio = nullptr;
    QRadioButton *m_sampleRadio = nullptr;
    QSpinBox *m_sampleSize = nullptr;
    QSpinBox *m_seed = nullptr;
    QComboBox *m_dataset = nullptr;
    QLineEdit *m_newName = nullptr;
    QComboBox *m_prompt = nullptr;
    QLabel *m_promptHint = nullptr;
    QCheckBox *m_expected = nullptr;
    QLabel *m_result = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_close = nullptr;
    bool m_ready = false;
    bool m_busy = false;
};

} // namespace ts
