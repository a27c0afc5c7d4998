#pragma once

#include "common/error.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"

#include <QHash>
#include <QObject>

#include <atomic>

#include <functional>
#include <memory>
#include <optional>

class QUndoStack;

namespace ts {

class CasePager;
class CaseTableModel;
class ProjectSession;
struct CaseSlot;

/// The Datasets section's state over the ProjectSession: the project's datasets, the
/// selected dataset's cases (a paged CaseTableModel filled by a CasePager, whose edits are
/// saved through the worker) and its assertions. Every read and write runs on the session's
/// worker thread. Cases are read only while a view shows them (setViewVisible()).
///
/// Edited cells, added and deleted cases go through an undo stack (one per project, across
/// datasets: undoing a change to another dataset shows that dataset). A deleted case comes
/// back with its content, position, source, threshold, its own assertions and its links from
/// eval results. Imports report progress and can be cancelled, leaving the dataset unchanged.
class DatasetsController final : public QObject
{
    Q_OBJECT

public:
    explicit DatasetsController(ProjectSession &session, QObject *parent = nullptr);

    CaseTableModel *caseModel() const { return m_cases; }
    const QList<DatasetInfo> &datasets() const { return m_datasets; }
    qint64 currentDatasetId() const { return m_current; }
    std::optional<DatasetInfo> currentDataset() const;
    const QList<StoredAssertion> &assertions() const { return m_assertions; }
    QUndoStack *undoStack() const { return m_undo; }
    bool isImporting() const { return bool(m_importCancel); }

    void reload();
    /// Selects `datasetId` (0 clears): loads its assertions, and its first page of cases when a
    /// view is visible (else once one is).
    void selectDataset(qint64 datasetId);
    /// A view shows the cases (or stopped): the selected dataset's cases are read now.
    void setViewVisible(bool visible);

    void createDataset(const QString &name, const QString &description = {});
    void renameDataset(qint64 datasetId, const QString &name);
    void deleteDataset(qint64 datasetId);

    /// Appends a case with every current variable empty.
    void addCase();
    /// Appends a copy of a case (its description marked as a copy, so it is not a duplicate).
    void duplicateCase(qint64 caseId);
    void deleteCases(const QList<qint64> &caseIds);
    void saveCase(qint64 caseId, const TestCaseData &data);

    /// Imports a .csv/.jsonl file into the current dataset, all or nothing, off the UI thread
    /// with importProgress() along the way.
    void importFile(const QString &path);
    /// Stops a running import; nothing of it is kept.
    void cancelImport();
    void exportFile(const QString &path, ExportFormat format);

    /// Saves a new (`id` 0) or changed assertion; `done` gets the stored one or why it was
    /// refused (validated here first, then again by the store).
    void saveAssertion(qint64 id, std::optional<qint64> caseId, const AssertionSpec &spec,
                       QObject *context, std::function<void(Result<StoredAssertion>)> done);
    void removeAssertion(qint64 id);

Q_SIGNALS:
    void datasetsChanged();
    void datasetSelected(qint64 datasetId);
    void casesLoaded();
    void assertionsChanged();
    void errorOccurred(const QString &message);
    void notice(const QString &message);
    /// An import is reading its file (`total` 0) or has added `done` of `total` rows.
    void importProgress(const QString &fileName, int done, int total);
    /// An import ended (added, failed or cancelled).
    void importFinished();

private:
    friend class CaseEditCommand; // the commands call the worker-side writes below
    friend class CaseAddCommand;
    friend class CasesDeleteCommand;
    std::shared_ptr<CaseSlot> slotFor(qint64 caseId, qint64 datasetId);
    /// Undo machinery: the worker-side writes behind the commands.
    void writeCase(const std::shared_ptr<CaseSlot> &slot, const TestCaseData &data);
    void insertSlot(const std::shared_ptr<CaseSlot> &slot, const TestCaseData &data,
                    const QString &duplicateHint);
    void removeSlots(const QList<std::shared_ptr<CaseSlot>> &slots);
    void restoreSlots(const QList<std::shared_ptr<CaseSlot>> &slots);
    void showDataset(qint64 datasetId);
    void onCaseEdited(qint64 caseId, const TestCaseData &before, const TestCaseData &after,
                      int column);

    /// Reads the shown cases again after a change (or shows the selected dataset's).
    void loadCases();
    void loadAssertions();
    void addData(const TestCaseData &data, const QString &duplicateHint, const QString &what);

    ProjectSession &m_session;
    CaseTableModel *m_cases = nullptr;
    CasePager *m_pager = nullptr;
    bool m_viewVisible = false;
    QList<DatasetInfo> m_datasets;
    QList<StoredAssertion> m_assertions;
    qint64 m_current = 0;
    QUndoStack *m_undo = nullptr;
    /// One slot per case the undo stack knows, by its id now (a restored case gets a new id).
    QHash<qint64, std::shared_ptr<CaseSlot>> m_slots;
    std::shared_ptr<std::atomic_bool> m_importCancel; ///< set while an import runs
};

} // namespace ts
