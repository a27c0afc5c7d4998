#pragma once

#include "annotation/alignment.h"
#include "annotation/target.h"
#include "common/error.h"

#include <QList>
#include <QString>

namespace ts {

class Database;

/// One automatic check of an eval scored against people on a criterion.
struct CheckAlignment
{
    QString name;     ///< "contains #1", "judge: tone@v2"
    QString kind;     ///< "assertion" or "judge"
    int judgeVersion = 0; ///< the judge prompt's version (judges only): alignment per rubric
    agreement::Alignment stats;
    /// Generations where the check and the people disagree (click-through).
    QList<Target> disagreements;
};

/// For an eval whose generations have human labels on `criterion`: the human verdict per
/// generation (the adjudicated label, else the majority of yes/no; ties left out) against
/// every assertion and every pointwise judge (per judge prompt version).
Result<QList<CheckAlignment>> alignChecks(Database &db, qint64 evalId, const QString &criterion);

} // namespace ts
