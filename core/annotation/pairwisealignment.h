#pragma once

#include "annotation/target.h"
#include "common/error.h"

#include <QList>
#include <QString>

#include <array>
#include <optional>
#include <utility>

namespace ts {

class Database;

/// A pairwise LLM judge (per judge prompt version) scored against people's preferences on
/// the same pairs, ties included.
struct PairwiseJudgeAlignment
{
    QString name; ///< "quality@v2"
    qint64 judgeId = 0;
    int judgeVersion = 0; ///< the judge prompt's version (0 when unknown)
    /// Whose verdicts it is compared with: the criterion's name, or "overall preference"
    /// when people chose without one.
    QString humanCriterion;
    int pairs = 0; ///< pairs with a human verdict and a judge verdict in both orders
    int agreements = 0; ///< same winner, or both a tie
    std::optional<double> accuracy; ///< agreements / pairs
    std::optional<double> cohenKappa; ///< nominal {first, second, tie}
    /// confusion[human][judge], each index 0 = first output wins, 1 = second, 2 = tie.
    std::array<std::array<int, 3>, 3> confusion {};
    /// Pairs the judge answered differently in the two orders (they count as its tie).
    int inconsistent = 0;
    /// Pairs where the judge and the people disagree (click-through).
    QList<std::pair<Target, Target>> disagreements;
};

/// For an eval's pairwise judges: the human verdict per pair of generations (the adjudicated
/// choice, else the strict majority of the choices on `criterion` — "both bad" counting as a
/// tie — or of the overall choices when nobody chose on that criterion) against the judge's
/// verdict combined over both orders (an inconsistent pair is a tie).
Result<QList<PairwiseJudgeAlignment>> alignPairwiseJudges(Database &db, qint64 evalId,
                                                          const QString &criterion);

} // namespace ts
