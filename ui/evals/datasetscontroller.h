#pragma once

#include "common/error.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"

#include <QObject>

#include <functional>
#include <optional>

namespace ts {

class CaseTableModel;
class ProjectSession;

/// The Datasets section's state over the ProjectSession: the project's datasets, the
/// selected dataset's cases (a CaseTableModel whose edits are saved through the worker) and
/// its assertions. Every read and write runs on the session's worker thread.
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

    void reload();
    /// Loads the cases and assertions of `datasetId` (0 clears).
    void selectDataset(qint64 datasetId);

    void createDataset(const QString &name, const QString &description = {});
    void renameDataset(qint64 datasetId, const QString &name);
    void deleteDataset(qint64 datasetId);

    /// Appends a case with every current variable empty.
    void addCase();
    /// Appends a copy of a case (its description marked as a copy, so it is not a duplicate).
    void duplicateCase(qint64 caseId);
    void deleteCases(const QList<qint64> &caseIds);
    void saveCase(qint64 caseId, const TestCaseData &data);

    /// Imports a .csv/.jsonl file into the current dataset, all or nothing.
    void importFile(const QString &path);
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

private:
    void loadCases();
    void loadAssertions();
    void addData(const TestCaseData &data, const QString &duplicateHint);

    ProjectSession &m_session;
    CaseTableModel *m_cases = nullptr;
    QList<DatasetInfo> m_datasets;
    QList<StoredAssertion> m_assertions;
    qint64 m_current = 0;
    quint64 m_loadGeneration = 0;
};

} // namespace ts
