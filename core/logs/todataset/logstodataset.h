#pragma once

#include "common/error.h"
#include "logs/logfilter.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace ts {

class Database;

/// Which log records become cases: chosen ids, a filter's results, or a seeded random sample
/// of a filter's results.
struct LogSelection
{
    /// When set, exactly these records (in this order); the filter and sample are ignored.
    std::optional<QList<qint64>> ids;
    LogFilter filter;
    /// A random sample of this many of the filter's records (all when fewer match).
    std::optional<int> sampleSize;
    quint64 seed = 0;
};

/// The record ids a selection names, in order (ids as given; a filter's in time order).
/// An id that is not stored is a NotFound error naming it.
Result<QList<qint64>> selectLogIds(Database &db, const LogSelection &selection);

struct LogsToDatasetOptions
{
    QString dataset;
    /// Create the dataset when it does not exist (else a NotFound error).
    bool create = false;
    /// "name@3", "name@production" or "name": recover the case variables by inverting this
    /// version's template. Empty: the last user message becomes `input`.
    QString prompt;
    /// The logged output becomes the case's expected answer too (it is always kept as the
    /// production output).
    bool expectedFromOutput = false;
};

/// What adding records to a dataset did.
struct LogsToDatasetSummary
{
    QString dataset;
    qint64 datasetId = 0;
    bool createdDataset = false;
    /// "name@N" of the version used, empty without one.
    QString promptVersion;
    int records = 0; ///< records selected
    int added = 0;
    int duplicates = 0; ///< the same case as one already in the dataset (or earlier in this batch)
    /// Records skipped because they logged no user message to take `input` from (without a
    /// prompt version only).
    int withoutInput = 0;
    QList<qint64> caseIds; ///< of the added cases, in record order
    /// Variable -> in how many records it could not be recovered / took a whole message.
    QMap<QString, int> unrecovered;
    QMap<QString, int> wholeMessage;
    /// Variable -> one reason why (from the first record it happened in).
    QMap<QString, QString> reasons;
};

/// Makes test cases from production log records: variables recovered from each record's
/// messages (see invertTemplate), the logged output kept as the case's production output,
/// the case linked to its record and marked source 'log'. Cases identical to existing ones
/// are skipped as a dataset import skips them; everything is added in one transaction.
Result<LogsToDatasetSummary> addLogsToDataset(Database &db, const QList<qint64> &logIds,
                                              const LogsToDatasetOptions &options);

} // namespace ts
