#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableView;
class QToolButton;

namespace ts {

class AssertionsPanel;
class DatasetsController;
class MessageBar;

/// The "Datasets" section: the project's datasets on the left (new, rename, delete), the
/// selected dataset's test cases in an editable table (add, duplicate, delete, import and
/// export CSV/JSONL) and the assertions panel on the right. Errors and import summaries show
/// in the section's message bar; an import shows its progress with a Cancel button while the
/// table stays usable. Large datasets load a page at a time as the table scrolls; the line
/// above the table says "Loading…" meanwhile, then how many cases are shown. Ctrl+Z / Ctrl+Shift+Z
/// undo and redo cell edits, added and deleted cases.
class DatasetsView final : public QWidget
{
    Q_OBJECT

public:
    explicit DatasetsView(DatasetsController &controller, QWidget *parent = nullptr);

    QListWidget *datasetList() const { return m_datasets; }
    QTableView *caseTable() const { return m_table; }
    AssertionsPanel *assertionsPanel() const { return m_assertions; }
    MessageBar *messageBar() const { return m_messages; }
    QSplitter *splitter() const { return m_split; }
    QAction *importAction() const { return m_importAction; }
    QAction *undoAction() const { return m_undoAction; }
    QAction *redoAction() const { return m_redoAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    /// The import progress strip (shown while an import runs) and its Cancel button.
    QWidget *importProgressPanel() const { return m_progressPanel; }
    QProgressBar *importProgressBar() const { return m_progressBar; }
    QPushButton *cancelImportButton() const { return m_cancelImport; }
    /// "Loading…" while a dataset's first page loads, then "Showing N of M cases" while only
    /// part of it is loaded; hidden when every case is shown.
    QLabel *caseStatusLabel() const { return m_caseStatus; }

    void newDataset();
    void renameDataset();
    void deleteDataset();
    /// Asks for a .csv/.jsonl file and imports it into the selected dataset; with no dataset
    /// selected it says so instead of asking for a file.
    void importCases();
    void exportCases();
    void addCase();
    void duplicateCase();
    void deleteSelectedCases();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void rebuildDatasetList();
    void updateActions();
    void updateCaseStatus();
    void showImportProgress(const QString &fileName, int done, int total);
    void currentCaseChanged();
    QList<qint64> selectedCaseIds() const;

    DatasetsController &m_controller;
    MessageBar *m_messages = nullptr;
    QListWidget *m_datasets = nullptr;
    QTableView *m_table = nullptr;
    AssertionsPanel *m_assertions = nullptr;
    QSplitter *m_split = nullptr;
    QPushButton *m_rename = nullptr;
    QPushButton *m_delete = nullptr;
    QAction *m_addAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QWidget *m_progressPanel = nullptr;
    QLabel *m_progressLabel = nullptr;
    QProgressBar *m_progressBar = nullptr;
    QPushButton *m_cancelImport = nullptr;
    QLabel *m_caseStatus = nullptr;
    bool m_rebuilding = false;
};

} // namespace ts
