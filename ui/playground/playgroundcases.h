#pragma once

#include "common/error.h"
#include "io/testcasedata.h"

#include <QStringList>

namespace ts {

class Database;

/// Dataset names of the project in name order, for the "add as test case" picker.
Result<QStringList> datasetNames(Database &db);

/// Adds `data` at the end of dataset `datasetName` with source 'playground', creating the
/// dataset when it does not exist yet. A case identical to one already there fails with
/// AlreadyExists and names its position. Runs on the session's worker thread.
Result<qint64> addPlaygroundCase(Database &db, const QString &datasetName, const TestCaseData &data);

} // namespace ts
