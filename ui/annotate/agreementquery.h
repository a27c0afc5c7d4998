#pragma once

#include "annotation/agreement.h"
#include "annotation/labelstore.h"
#include "common/error.h"

#include <QList>
#include <QString>

#include <optional>

namespace ts {

class Database;

/// Agreement between annotators on one criterion of a queue (or on the overall pairwise
/// preference).
struct CriterionAgreement
{
    QString criterion; ///< the name, or "Overall preference"
    qint64 criterionId = 0; ///< 0 for the overall preference
    bool pairwise = false;
    agreement::Agreement stats;
};

/// An item annotators labeled differently on one criterion.
struct Disagreement
{
    QString criterion;
    qint64 criterionId = 0;
    bool pairwise = false;
    Target a;
    std::optional<Target> b;
    QString preview; ///< what the item is about, one line
    QList<std::pair<QString, QString>> labels; ///< (annotator, value), by annotator
    std::optional<QString> finalValue; ///< the adjudicated label, kept apart from the others
};

struct AgreementReport
{
    QList<CriterionAgreement> criteria;
    QList<Disagreement> disagreements;
    QList<LabelStore::SideBias> positionBias;
};

/// Agreement per criterion over the labels of one queue (skips left out; pairwise choices
/// in terms of the true items: "first", "second", "tie", "both bad"), the items with
/// disagreeing labels with their adjudicated value, and each annotator's position bias.
Result<AgreementReport> queueAgreement(Database &db, qint64 queueId);

/// "0.62 (substantial)": a kappa with its Landis–Koch wording; "—" when it does not apply.
QString kappaText(const std::optional<double> &kappa);

} // namespace ts
