#pragma once

#include "common/error.h"
#include "io/datasetimport.h"
#include "io/testcasedata.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QIODevice;

namespace ts {

class Database;

/// Where a test case came from (test_cases.source).
enum class CaseSource { Manual, Import, Log, Synthetic, Playground };
QString caseSourceName(CaseSource source);
std::optional<CaseSource> parseCaseSource(const QString &name);

struct DatasetInfo
{
    qint64 id = 0;
    QString name;
    QString description;
    QString createdAt;
    int caseCount = 0;
};

/// A stored test case.
struct TestCase
{
    qint64 id = 0;
    qint64 datasetId = 0;
    int position = 0; ///< 0-based order in the dataset
    TestCaseData data;
    CaseSource source = CaseSource::Manual;
    /// The case's pass threshold on the weighted assertion score (promptfoo's `threshold`).
    std::optional<double> threshold;
    QString createdAt;
    /// For a case made from a production log record: the output production gave (to compare
    /// new versions against), and the record it came from (nullopt once that is deleted).
    std::optional<QString> productionOutput;
    std::optional<qint64> logId;
};

/// Where a case added from production data came from: stored beside the case, not part of
/// its content (two records with the same input make one case).
struct CaseOrigin
{
    std::optional<QString> productionOutput;
    std::optional<qint64> logId;
};

/// What an import did.
struct ImportSummary
{
    int added = 0;
    /// Cases identical to one already in the dataset or earlier in the same import.
    int skippedDuplicates = 0;
    QList<qint64> addedIds; ///< in import order
    /// For every input case, the id it now has (the existing one for a duplicate).
    QList<qint64> idForInput;
};

enum class ExportFormat { Csv, Jsonl };

/// Where a page of cases continues: after the case at (position, id), the order cases() uses.
/// The default key starts at the first case.
struct CaseKey
{
    int position = -1;
    qint64 id = 0;

    static CaseKey after(const TestCase &c) { return {c.position, c.id}; }
};

/// Datasets and their test cases in a project. Every write is one transaction: an import
/// either adds every new case or nothing.
class DatasetStore final
{
public:
    explicit DatasetStore(Database &db);

    Result<DatasetInfo> createDataset(const QString &name, const QString &description = {});
    Result<QList<DatasetInfo>> listDatasets();
    Result<DatasetInfo> dataset(const QString &name);
    Result<DatasetInfo> dataset(qint64 id);
    Result<void> renameDataset(qint64 id, const QString &newName);
    Result<void> setDescription(qint64 id, const QString &description);
    /// Deletes the dataset, its cases and their assertions (eval runs keep their outputs).
    Result<void> deleteDataset(qint64 id);

    /// Every case in order. Reads the whole dataset: views page with casesPage() and exports
    /// stream with forEachCase() instead.
    Result<QList<TestCase>> cases(qint64 datasetId);
    /// Up to `limit` cases that follow `after`, in order (keyset pagination over the
    /// test_cases_by_dataset index: each page costs the same however deep it is).
    Result<QList<TestCase>> casesPage(qint64 datasetId, const CaseKey &after, int limit);
    /// How many cases the dataset has (0 for an unknown dataset).
    Result<int> caseCount(qint64 datasetId);
    /// Calls `visit` with each case in order, holding one case at a time; `visit` returns false
    /// to stop early (not an error).
    Result<void> forEachCase(qint64 datasetId, const std::function<bool(const TestCase &)> &visit);
    Result<TestCase> testCase(qint64 caseId);
    /// Adds one case at the end ("add as test case" from the playground uses
    /// CaseSource::Playground). A case identical to one in the dataset fails with
    /// AlreadyExists, naming the existing case's position.
    Result<TestCase> addCase(qint64 datasetId, const TestCaseData &data,
                             CaseSource source = CaseSource::Manual);
    /// Replaces a case's content (its id, position and results stay).
    Result<TestCase> updateCase(qint64 caseId, const TestCaseData &data);
    Result<void> setCaseThreshold(qint64 caseId, std::optional<double> threshold);
    Result<void> deleteCase(qint64 caseId);
    /// `orderedIds` must list every case of the dataset exactly once, in the new order.
    Result<void> reorderCases(qint64 datasetId, const QList<qint64> &orderedIds);

    /// Adds cases in one transaction, skipping those identical to an existing case or to an
    /// earlier one in the list (counted in skippedDuplicates).
    Result<ImportSummary> importCases(qint64 datasetId, const QList<TestCaseData> &cases,
                                      CaseSource source = CaseSource::Import);
    /// The same, keeping each added case's origin (`origins[i]` belongs to `cases[i]`; a
    /// shorter list leaves the rest without one). A duplicate keeps the existing case as it is.
    Result<ImportSummary> importCases(qint64 datasetId, const QList<TestCaseData> &cases,
                                      CaseSource source, const QList<CaseOrigin> &origins);
    /// Parses a .csv/.jsonl file (errors name file:line:col) and imports it all-or-nothing.
    Result<ImportSummary> importFile(qint64 datasetId, const QString &path,
                                     const ImportOptions &options = {});
    Result<QByteArray> exportCases(qint64 datasetId, ExportFormat format);
    /// Writes the same bytes as exportCases() to `out`, one case at a time, so memory stays
    /// bounded whatever the dataset's size (CSV reads the cases twice: once for its header).
    /// Returns how many cases were written. `cancelled`, when given, is polled between cases.
    Result<int> exportCases(qint64 datasetId, ExportFormat format, QIODevice &out,
                            const std::function<bool()> &cancelled = {});

    /// Why a dataset name is unacceptable, or an empty string.
    static QString datasetNameProblem(const QString &name);

private:
    Result<qint64> insertCase(qint64 datasetId, int position, const TestCaseData &data,
                              const QByteArray &key, CaseSource source, const CaseOrigin &origin);
    Database &m_db;
};

} // namespace ts
