#pragma once

#include "common/error.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace ts {

class Database;

/// One generation a prompt version produced, for the read-only list in the history view.
struct GenerationSummary
{
    qint64 id = 0;
    qint64 runId = 0;
    QString createdAt;
    QString model; ///< runs.model_snapshot's "name", else models.name
    QString status; ///< ok, error, cancelled, incomplete
    QString excerpt; ///< the start of the output, or the error message
};

/// Where the next page starts: after this (run, generation) in newest-first order.
struct GenerationCursor
{
    qint64 runId = 0;
    qint64 generationId = 0;
};

/// A page of the generations of a prompt version, newest run first and, within a run, newest
/// generation first (index generations_by_run_order: no sort of the version's rows).
/// `after` continues from the last row of the previous page.
Result<QList<GenerationSummary>> generationsForVersion(Database &db, qint64 versionId,
                                                       std::optional<GenerationCursor> after = {},
                                                       int limit = 200);

/// How many generations a version has (an index-only count: tens of ms for 500,000).
Result<qint64> generationCountForVersion(Database &db, qint64 versionId);

} // namespace ts

Q_DECLARE_METATYPE(ts::GenerationSummary)
