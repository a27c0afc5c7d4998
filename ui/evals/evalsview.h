#pragma once

#include "evals/evalconfig.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableView;

namespace ts {

class CellDetailView;
class EvalsController;
class MessageBar;
class NewEvalDialog;
class StatisticsPanel;

/// The "Evals" section: past evals on the left (New eval…, Resume, Retry errors); the running
/// eval's progress with ETA, live pass rate and Cancel; the results matrix (cases x variants) with
/// its filters; the statistics panel under it; the detail pane of the clicked cell.
class EvalsView final : public QWidget
{
    Q_OBJECT

public:
    explicit EvalsView(EvalsController &controller, QWidget *parent = nullptr);

    QTableView *evalList() const { return m_list; }
    QTableView *matrix() const { return m_matrix; }
    QComboBox *filterCombo() const { return m_filter; }
    CellDetailView *detail() const { return m_detail; }
    StatisticsPanel *statistics() const { return m_stats; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *progressLabel() const { return m_progressText; }
    QLabel *titleLabel() const { return m_title; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *resumeButton() const { return m_resume; }
    QPushButton *retryErrorsButton() const { return m_retry; }
    QPushButton *deleteButton() const { return m_delete; }
    QPushButton *exportButton() const { return m_export; }
    MessageBar *messageBar() const { return m_messages; }
    QSplitter *splitter() const { return m_split; }
    QSplitter *resultsSplitter() const { return m_resultsSplit; }

    /// Opens the New Eval dialog (non-modal; returned for tests).
    NewEvalDialog *newEval();
    /// Resumes the selected eval when it is unfinished.
    void resumeSelected();
    /// Exports the shown eval to `path`, the format from its suffix: .json, .xml (JUnit), .csv,
    /// anything else the HTML report.
    void exportShown(const QString &path);
    /// Deletes the selected eval after asking (not the running one).
    void deleteSelected();
    /// Asks again the calls of the shown eval that failed (errors), nothing else.
    void retryErrors();
    /// Shows the detail of a matrix cell (case index into the results, variant).
    void showCell(int caseIndex, int variant);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void applyFilter();
    void showProgress(const EvalProgress &progress);
    void updateProgressText();
    void updateButtons();
    void resultsLoaded();
    /// "<name> — <status> on <dataset>", from the shown eval's newest counts.
    void updateTitle();
    /// A finished eval's errors, said once its statistics are in.
    void announceErrors();

    EvalsController &m_controller;
    MessageBar *m_messages = nullptr;
    QTableView *m_list = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_export = nullptr;
    QWidget *m_progressRow = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_progressText = nullptr;
    QPushButton *m_cancel = nullptr;
    QComboBox *m_filter = nullptr;
    QLabel *m_title = nullptr;
    QTableView *m_matrix = nullptr;
    CellDetailView *m_detail = nullptr;
    StatisticsPanel *m_stats = nullptr;
    QSplitter *m_split = nullptr;
    QSplitter *m_resultsSplit = nullptr;
    std::optional<EvalProgress> m_lastProgress; ///< of the running eval
    qint64 m_sizedEval = 0;
    qint64 m_announceErrors = 0; ///< eval just finished: say so if it still has errors
    int m_detailCase = -1;
    int m_detailVariant = -1;
    bool m_detailPending = false; ///< the detail waits for its case to be read
};

} // namespace ts
