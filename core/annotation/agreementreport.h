#pragma once

#include "annotation/agreement.h"
#include "annotation/target.h"
#include "common/error.h"

#include <QList>
#include <QString>

#include <optional>

namespace ts {

class Database;

/// Agreement between people on one criterion, as `touchstone-cli agreement` prints it.
struct AgreementOnCriterion
{
    QString name; ///< criterion name; "overall preference" for pairwise choices without one
    qint64 criterionId = 0; ///< 0: the overall preference
    bool pairwise = false;
    agreement::Agreement stats;
};

/// An item people labeled differently, for adjudication.
struct LabelDisagreement
{
    QString criterion;
    qint64 criterionId = 0; ///< 0: overall preference
    Target a;
    std::optional<Target> b;
    QList<std::pair<QString, QString>> labels; ///< (annotator, value), by annotator
    std::optional<QString> adjudicated; ///< the final label when one was set
};

struct AgreementScope
{
    std::optional<QString> criterion; ///< one criterion by name
    std::optional<QString> queue; ///< labels given in one queue
    int resamples = agreement::kAgreementResamples;
};

/// Agreement per criterion over the stored labels (skips left out) and pairwise choices
/// (as first/second/tie in terms of the true items; "both bad" counts as a tie).
Result<QList<AgreementOnCriterion>> measureAgreement(Database &db,
                                                     const AgreementScope &scope = {});
/// Items where annotators disagree, criterion by criterion.
Result<QList<LabelDisagreement>> findDisagreements(Database &db, const AgreementScope &scope = {});

} // namespace ts
