#pragma once

#include "common/error.h"

#include <QList>
#include <QString>

namespace ts {

class Database;

/// One generation a prompt version produced, for the read-only list in the history view.
struct GenerationSummary
{
    qint64 id = 0;
    QString createdAt;
    QString model;  ///< runs.model_snapshot's "name", else models.name
    QString status; ///< ok, error, cancelled, incomplete
    QString excerpt; ///< the start of the output, or the error message
};

/// HOOK for "generations this version produced": reads runs + generations + models. When the
/// run engine lands (core/runs), replace this query with its API; the view only needs the rows.
Result<QList<GenerationSummary>> generationsForVersion(Database &db, qint64 versionId, int limit = 200);

} // namespace ts
