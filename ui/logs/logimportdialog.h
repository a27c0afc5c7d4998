#pragma once

#include "common/error.h"
#include "logs/logimporter.h"

#include <QDialog>
#include <QPointer>

class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace ts {

class LogImportJob;

/// Follows one import: what is read, a progress bar with the time left, Cancel; then the
/// summary (imported, duplicates, malformed with the first problems, spans that were not LLM
/// calls). It does not block the window: the table fills in behind it as batches commit.
class LogImportDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit LogImportDialog(LogImportJob *job, QWidget *parent = nullptr);

    /// Shows how an import ended (called when the job finishes).
    void showResult(const Result<LogImportSummary> &result);
    bool isFinished() const { return m_finished; }
    QString summaryText() const;
    QString progressText() const;
    QPushButton *cancelButton() const { return m_cancel; }

    /// "Imported 1,234 records. 5 duplicates skipped. …" for a status line.
    static QString summaryLine(const LogImportSummary &summary);

private:
    void updateProgress(qint64 done, qint64 total);

    QPointer<LogImportJob> m_job;
    QLabel *m_heading = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_detail = nullptr;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_problems = nullptr;
    QPushButton *m_cancel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    bool m_finished = false;
};

} // namespace ts
