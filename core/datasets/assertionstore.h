#pragma once

#include "common/error.h"
#include "evals/assertion.h"

#include <QList>

#include <optional>

namespace ts {

class Database;

/// An assertion saved on a dataset (every case) or on one of its test cases.
struct StoredAssertion
{
    qint64 id = 0;
    qint64 datasetId = 0;
    std::optional<qint64> testCaseId; ///< nullopt: applies to every case of the dataset
    int position = 0;
    AssertionSpec spec;
};

/// The `assertions` table. Every save runs validateAssertion(): an invalid regex, schema or
/// value is refused with the reason.
class AssertionStore final
{
public:
    explicit AssertionStore(Database &db);

    Result<StoredAssertion> add(qint64 datasetId, std::optional<qint64> testCaseId,
                                const AssertionSpec &spec);
    Result<StoredAssertion> update(qint64 id, const AssertionSpec &spec);
    Result<void> remove(qint64 id);
    Result<StoredAssertion> find(qint64 id);
    /// Every assertion of a dataset: dataset-level ones first, then per case, in order.
    Result<QList<StoredAssertion>> forDataset(qint64 datasetId);
    /// What applies to one case: the dataset-level assertions, then the case's own.
    Result<QList<StoredAssertion>> forCase(qint64 datasetId, qint64 caseId);

private:
    Result<QList<StoredAssertion>> query(const QString &where, qint64 a, qint64 b = 0);
    Database &m_db;
};

} // namespace ts
