#pragma once

#include "insights/monitor.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ts {

/// What the New monitor dialog offers, read from the project.
struct MonitorChoices
{
    QList<QPair<qint64, QString>> datasets; ///< id, name
    QList<QPair<qint64, QString>> judges; ///< id, name (pointwise and factuality judges)
    QStringList models; ///< models seen in the logs
    QStringList prompts; ///< prompt names seen in the logs
};

/// "New monitor": a name, the dataset whose assertions are checked, which records (a model, a
/// prompt and version), the threshold a window should reach, day or week, and optionally a
/// judge on a sampled fraction with a cost cap per run. It emits monitorWanted() on Create and
/// stays open until the monitor is added (accept()) or refused (showError()).
class NewMonitorDialog final : public QDialog
{
    Q_OBJECT

public:
    NewMonitorDialog(const MonitorChoices &choices, QWidget *parent = nullptr);

    MonitorConfig monitor() const;
    void showError(const QString &text);

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *datasetBox() const { return m_dataset; }
    QComboBox *modelBox() const { return m_model; }
    QDoubleSpinBox *thresholdBox() const { return m_threshold; }
    QComboBox *windowBox() const { return m_window; }
    QPushButton *createButton() const { return m_create; }

Q_SIGNALS:
    void monitorWanted(const ts::MonitorConfig &monitor);

private:
    void updateState();

    QLineEdit *m_name = nullptr;
    QComboBox *m_dataset = nullptr;
    QComboBox *m_model = nullptr;
    QComboBox *m_prompt = nullptr;
    QLineEdit *m_version = nullptr;
    QDoubleSpinBox *m_threshold = nullptr;
    QComboBox *m_window = nullptr;
    QCheckBox *m_useJudge = nullptr;
    QComboBox *m_judge = nullptr;
    QDoubleSpinBox *m_fraction = nullptr;
    QCheckBox *m_useCap = nullptr;
    QDoubleSpinBox *m_cap = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_create = nullptr;
};

} // namespace ts
