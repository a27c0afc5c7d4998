#pragma once

#include "insights/textvectors.h"

#include <optional>
#include <vector>

namespace ts {

/// ROC AUC of `scores` for `labels` (1 = positive): the probability that a random positive
/// scores above a random negative, ties counting one half. nullopt without both classes.
std::optional<double> rocAuc(const std::vector<double> &scores, const std::vector<int> &labels);

struct DomainClassifierOptions
{
    int folds = 5;
    int permutations = 30;
    int maxPerSide = 1000; ///< a seeded sample of each side beyond this
    double ridge = 1.0; ///< L2 penalty on the weights (not on the intercept)
    int maxIterations = 200;
    quint64 seed = 5;
};

struct DomainClassifierResult
{
    double auc = 0.5; ///< cross-validated ROC AUC, out-of-fold scores pooled
    double threshold = 0.5; ///< 95th percentile (nearest rank) of the shuffled-label AUCs
    bool drift = false; ///< auc > threshold
    int referenceRows = 0; ///< rows used (after sampling)
    int currentRows = 0;
    std::vector<double> permutationAucs; ///< ascending
};

/// Can a classifier tell reference rows from current rows? L2-regularized logistic
/// regression (reference = 0, current = 1, with intercept) fitted by Böhning's bound
/// optimization (the Hessian bounded by X'X/4, factored once per fold and reused for every
/// label permutation), k-fold cross-validated with folds stratified by side. The same
/// procedure on `permutations` seeded shuffles of the labels gives the null distribution.
/// nullopt when a side has fewer rows than folds.
std::optional<DomainClassifierResult> domainClassifier(const DocVectors &vectors,
                                                       const std::vector<int> &referenceRows,
                                                       const std::vector<int> &currentRows,
                                                       const DomainClassifierOptions &options = {});

} // namespace ts
