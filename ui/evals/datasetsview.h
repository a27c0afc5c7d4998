#pragma once

#include <QWidget>

class QListWidget;
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
/// in the section's message bar.
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

    void newDataset();
    void renameDataset();
    void deleteDataset();
    /// Asks for a .csv/.jsonl file and imports it into the selected dataset.
    void importCases();
    void exportCases();
    void addCase();
    void duplicateCase();
    void deleteSelectedCases();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void rebuildDatasetList();
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
    bool m_rebuilding = false;
};

} // namespace ts
