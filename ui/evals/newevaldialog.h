#pragma once

#include "evals/evalconfig.h"
#include "evals/evalscontroller.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace ts {

class JudgeDialog;

/// "New eval": prompt versions (one or more; labels shown beside their version), models (one
/// or more), LLM judges (any; "New judge…" creates one), the dataset, samples per case, concurrency
/// and the cache. When the dataset has embedding-based assertions (similar, answer-relevance), an
/// "Embedding model" row lists the configured models, starting at the project's default ("Make
/// default" sets it). "Estimate" prepares the eval and shows its calls and cost; "Start" runs it.
/// Changing a setting asks for a new estimate.
class NewEvalDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit NewEvalDialog(EvalsController &controller, QWidget *parent = nullptr);

    /// The settings as chosen (variants = every checked version x every checked model).
    EvalConfig config() const;
    /// Checks a prompt version / model / dataset by id (for tests and "re-run").
    bool checkVersion(qint64 versionId, bool checked = true);
    bool checkModel(qint64 modelId, bool checked = true);
    bool selectDataset(qint64 datasetId);
    bool checkJudge(qint64 judgeId, bool checked = true);
    /// Opens "New judge" (non-modal, deleted on close); the created judge is listed, checked.
    JudgeDialog *newJudge();
    void setSamples(int samples);
    void setConcurrency(int concurrency);

    bool choicesLoaded() const { return m_loaded; }
    const EvalChoices &choices() const { return m_choices; }
    QListWidget *judgesList() const { return m_judges; }
    QPushButton *newJudgeButton() const { return m_newJudge; }
    QPushButton *estimateButton() const { return m_estimate; }
    QPushButton *startButton() const { return m_start; }
    QLabel *estimateLabel() const { return m_summary; }
    /// The "Embedding model" choice (shown only for datasets with embedding assertions).
    QComboBox *embeddingCombo() const { return m_embedding; }
    bool embeddingShown() const;
    /// The chosen embedding model's name; empty when none is chosen or the row is hidden.
    QString embeddingModel() const;
    /// Makes the chosen embedding model the project's default.
    void makeEmbeddingDefault();

    /// "30 calls (5 cases × 3 variants × 2 samples) · about $0.0042"
    static QString describe(const EvalEstimate &estimate);

Q_SIGNALS:
    void choicesReady();

private:
    void fill(const EvalChoices &choices);
    void addJudgeItem(const JudgeConfig &judge, bool checked);
    void settingsChanged();
    void requestEstimate();
    void updateEmbeddingRow();

    EvalsController &m_controller;
    EvalChoices m_choices;
    bool m_loaded = false;
    bool m_estimated = false;
    bool m_waiting = false;
    QLineEdit *m_name = nullptr;
    QTreeWidget *m_versions = nullptr;
    QListWidget *m_models = nullptr;
    QListWidget *m_judges = nullptr;
    QPushButton *m_newJudge = nullptr;
    QComboBox *m_dataset = nullptr;
    QComboBox *m_embedding = nullptr;
    QPushButton *m_embeddingDefault = nullptr;
    QWidget *m_embeddingRow = nullptr;
    QFormLayout *m_form = nullptr;
    QSpinBox *m_samples = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QCheckBox *m_cache = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_estimate = nullptr;
    QPushButton *m_start = nullptr;
};

} // namespace ts
