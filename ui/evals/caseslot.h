#pragma once

#include "common/error.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"

#include <QList>

#include <atomic>
#include <memory>
#include <optional>

namespace ts {

class Database;

/// One test case as the Datasets undo stack knows it. A deleted case that comes back has a new
/// id, so undo commands hold the slot, not the id. `id` is written on the worker thread (work
/// runs there in the order it was posted); `removed` and below are touched only by work on that
/// thread (removeCaseSlots() and restoreCaseSlots()).
struct CaseSlot
{
    std::atomic<qint64> id {0};
    qint64 datasetId = 0;
    std::optional<TestCase> removed; ///< what removeCaseSlots() deleted, for restoreCaseSlots()
    QList<AssertionSpec> assertions; ///< the case's own assertions, in order
    QList<qint64> generationIds; ///< eval results that pointed at the case
};

/// Deletes the slots' cases in one transaction, keeping in each slot what a restore needs: the
/// case, its own assertions and the eval results that pointed at it. Worker thread only.
Result<void> removeCaseSlots(Database &db, const QList<std::shared_ptr<CaseSlot>> &slots);
/// Brings removed cases back in one transaction, each at its old position with its threshold,
/// its assertions and its eval results, and gives each slot the case's new id.
Result<void> restoreCaseSlots(Database &db, const QList<std::shared_ptr<CaseSlot>> &slots);

} // namespace ts
