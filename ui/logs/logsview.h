#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace ts {

class LogDetailView;
class LogFilterBar;
class LogImportDialog;
class LogsController;
class MessageBar;
class ReceiverPanel;

/// The Logs section: the count, Import and Add to Dataset, the receiver switch, the search
/// box and filters, the table of records and the detail pane of the current one. Files
/// dropped on it are imported. ↑/↓ move through the table and update the detail pane;
/// Ctrl+F goes to the search box.
class LogsView final : public QWidget
{
    Q_OBJECT

public:
    explicit LogsView(LogsController &controller, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    LogFilterBar *filterBar() const { return m_filters; }
    LogDetailView *detail() const { return m_detail; }
    QSplitter *splitter() const { return m_split; }
    MessageBar *messages() const { return m_messages; }
    ReceiverPanel *receiver() const { return m_receiver; }
    /// True while the empty state (no project, no records, or nothing matches) is shown.
    bool isShowingEmptyState() const;
    QString emptyStateText() const;

    /// Asks for log files and imports them.
    void importLogs();
    /// Imports these files, following the import in a dialog.
    LogImportDialog *importFiles(const QStringList &files);
    /// The ids of the selected records (the current one when none is selected).
    QList<qint64> selectedIds() const;
    /// Opens the Add to Dataset dialog for the selection and the current filter.
    void addToDataset();
    void focusSearch();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void currentRowChanged();
    void updateCount();
    void updateEmptyState();
    void selectRecord(qint64 id);
    void showFirstRecord();

    LogsController &m_controller;
    QLabel *m_count = nullptr;
    QPushButton *m_importButton = nullptr;
    QPushButton *m_addButton = nullptr;
    ReceiverPanel *m_receiver = nullptr;
    LogFilterBar *m_filters = nullptr;
    MessageBar *m_messages = nullptr;
    QStackedWidget *m_stack = nullptr;
    QSplitter *m_split = nullptr;
    QTableView *m_table = nullptr;
    LogDetailView *m_detail = nullptr;
    QWidget *m_empty = nullptr;
    QLabel *m_emptyTitle = nullptr;
    QLabel *m_emptyText = nullptr;
    QPushButton *m_emptyAction = nullptr;
};

} // namespace ts
