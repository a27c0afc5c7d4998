#pragma once

#include "common/error.h"

#include <QList>
#include <QString>

#include <optional>

/// Reading what an LLM judge wrote. Judges reason first and end with a JSON verdict; the
/// parsers take the LAST JSON object in the text that carries the verdict keys (```json
/// fences are fine, braces inside strings are fine). A missing or unreadable verdict is an
/// error (ErrorCode::Protocol), never a silent pass.
namespace ts::judge {

/// How a pointwise judge's score is read.
struct ScoreScale
{
    /// The scale the judge was told to use; a score s becomes (s - min) / (max - min).
    /// The default prompts ask for 0..1. A score outside [min, max] is an error rather than
    /// a guess, because "score": 4 means different things on 1-5 and 0-10 scales.
    double min = 0;
    double max = 1;
    /// When the judge gives a score but no "pass", pass = normalised score >= this.
    double passThreshold = 0.5;
};

/// A pointwise verdict: {"pass": true, "score": 0.8, "reason": "..."}.
/// `pass` may be a boolean, "true"/"false", "yes"/"no", "pass"/"fail" or 1/0. `score` may
/// be a number, a numeric string, or a fraction such as "7/10" (then read on its own
/// scale). With only `pass`, score is 1 or 0. `reason` (or "reasoning"/"explanation") is
/// optional; without it the text before the JSON is used.
struct PointwiseVerdict
{
    bool pass = false;
    double score = 0; ///< 0..1 after normalising
    bool scoreGiven = false; ///< false when derived from pass
    QString reason;
};
Result<PointwiseVerdict> parsePointwise(const QString &judgeText, const ScoreScale &scale = {});

enum class PairwiseChoice { A, B, Tie };

/// A pairwise verdict: {"winner": "A" | "B" | "tie", "reason": "..."}. Also accepted:
/// "choice"/"preferred"/"verdict" as the key; "Output A", "a", "draw", "equal", "both",
/// "neither" as values.
struct PairwiseVerdict
{
    PairwiseChoice winner = PairwiseChoice::Tie;
    QString reason;
};
Result<PairwiseVerdict> parsePairwise(const QString &judgeText);

/// A pair judged twice, the second time with the outputs swapped.
struct CombinedPairwise
{
    /// In terms of the ORIGINAL order: A is the output shown first in the first call.
    PairwiseChoice winner = PairwiseChoice::Tie;
    /// True when the two calls agree (A then B, B then A, or tie twice). An inconsistent
    /// pair counts as a tie.
    bool consistent = true;
    PairwiseChoice firstOrder = PairwiseChoice::Tie; ///< raw label in call 1
    PairwiseChoice secondOrder = PairwiseChoice::Tie; ///< raw label in call 2 (swapped)
};
/// `second` was asked with the outputs swapped, so its "B" means the original A. A win
/// counts only when both orders agree; otherwise the pair is an inconsistent tie.
CombinedPairwise combineBothOrders(PairwiseChoice first, PairwiseChoice second);
CombinedPairwise combineBothOrders(const PairwiseVerdict &first, const PairwiseVerdict &second);

/// How far a judge can be trusted, over pairs judged in both orders.
struct JudgeReliability
{
    int pairs = 0;
    int consistent = 0;
    /// Non-tie picks inside inconsistent pairs, and how many of them named whichever output
    /// was shown first (label "A" in its own call).
    int inconsistentPicks = 0;
    int firstShownPicks = 0;
    /// consistent / pairs; nullopt without pairs.
    std::optional<double> consistencyRate;
    /// firstShownPicks / inconsistentPicks: 0.5 is no position preference, 1.0 always the
    /// first-shown output when the orders disagree; nullopt when nothing disagreed.
    std::optional<double> positionBiasRate;
};
JudgeReliability judgeReliability(const QList<CombinedPairwise> &pairs);

/// The factuality judge's category, as in promptfoo (after OpenAI evals):
/// A: output is a subset of the reference and consistent with it; B: a superset,
/// consistent; C: same details; D: they disagree; E: they differ in ways that do not
/// matter for factuality. A, B, C and E pass; D fails.
struct FactualityVerdict
{
    QChar category;
    bool pass = false;
    QString reason;
};
/// Reads {"category": "A".."E", "reason": "..."} ("choice"/"answer" also accepted, and
/// values such as "(B)").
Result<FactualityVerdict> parseFactuality(const QString &judgeText);

} // namespace ts::judge
