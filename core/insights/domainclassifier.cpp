#include "insights/domainclassifier.h"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace ts {

namespace {

struct Fold
{
    std::vector<int> train;
    std::vector<int> test;
    Eigen::MatrixXd xTrain;
    Eigen::MatrixXd xTest;
    Eigen::LLT<Eigen::MatrixXd> bound;
};

double nearestRankPercentile(std::vector<double> sorted, double p)
{
    std::sort(sorted.begin(), sorted.end());
    const size_t rank = size_t(std::ceil(p * double(sorted.size())));
    return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

} // namespace

std::optional<double> rocAuc(const std::vector<double> &scores, const std::vector<int> &labels)
{
    const size_t n = scores.size();
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    // Mann-Whitney U from average ranks.
    double positiveRankSum = 0;
    double positives = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && scores[order[j]] == scores[order[i]])
            ++j;
        const double averageRank = (double(i) + double(j) + 1) / 2; // 1-based ranks i+1..j
        for (size_t k = i; k < j; ++k)
            if (labels[order[k]] == 1) {
                positiveRankSum += averageRank;
                positives += 1;
            }
        i = j;
    }
    const double negatives = double(n) - positives;
    if (positives == 0 || negatives == 0)
        return std::nullopt;
    return (positiveRankSum - positives * (positives + 1) / 2) / (positives * negatives);
}

std::optional<DomainClassifierResult> domainClassifier(const DocVectors &vectors,
                                                       const std::vector<int> &referenceRows,
                                                       const std::vector<int> &currentRows,
                                                       const DomainClassifierOptions &o)
{
    const int folds = std::max(2, o.folds);
    if (int(referenceRows.size()) < folds || int(currentRows.size()) < folds)
        return std::nullopt;
    std::vector<int> rows;
    std::vector<int> labels;
    for (int side = 0; side < 2; ++side) {
        const std::vector<int> &from = side == 0 ? referenceRows : currentRows;
        for (int i : seededSample(int(from.size()), o.maxPerSide, o.seed + quint64(side))) {
            rows.push_back(from[size_t(i)]);
            labels.push_back(side);
        }
    }
    const int m = int(rows.size());
    const Eigen::Index d = vectors.cols() + 1;
    Eigen::MatrixXd x(m, d);
    for (int i = 0; i < m; ++i) {
        x.row(i).head(d - 1) = vectors.row(rows[size_t(i)]).cast<double>();
        x(i, d - 1) = 1.0;
    }

    // Folds stratified by side: each side shuffled and dealt round-robin.
    std::mt19937_64 rng(o.seed);
    std::vector<int> foldOf(size_t(m), 0);
    for (int side = 0; side < 2; ++side) {
        std::vector<int> members;
        for (int i = 0; i < m; ++i)
            if (labels[size_t(i)] == side)
                members.push_back(i);
        std::shuffle(members.begin(), members.end(), rng);
        for (size_t k = 0; k < members.size(); ++k)
            foldOf[size_t(members[k])] = int(k % size_t(folds));
    }
    Eigen::VectorXd penalty = Eigen::VectorXd::Constant(d, o.ridge);
    penalty(d - 1) = 1e-8;
    std::vector<Fold> parts(static_cast<size_t>(folds));
    for (int f = 0; f < folds; ++f) {
        Fold &fold = parts[size_t(f)];
        for (int i = 0; i < m; ++i)
            (foldOf[size_t(i)] == f ? fold.test : fold.train).push_back(i);
        fold.xTrain = x(fold.train, Eigen::all);
        fold.xTest = x(fold.test, Eigen::all);
        Eigen::MatrixXd h = fold.xTrain.transpose() * fold.xTrain / 4.0;
        h.diagonal() += penalty;
        fold.bound.compute(h);
    }

    auto crossValidatedAuc = [&](const std::vector<int> &y) {
        std::vector<double> scores(size_t(m), 0.0);
        for (const Fold &fold : parts) {
            Eigen::VectorXd yTrain(Eigen::Index(fold.train.size()));
            for (size_t k = 0; k < fold.train.size(); ++k)
                yTrain(Eigen::Index(k)) = y[size_t(fold.train[k])];
            Eigen::VectorXd beta = Eigen::VectorXd::Zero(d);
            for (int it = 0; it < o.maxIterations; ++it) {
                const Eigen::VectorXd p
                    = (1.0 + (-(fold.xTrain * beta).array()).exp()).inverse().matrix();
                const Eigen::VectorXd gradient
                    = fold.xTrain.transpose() * (yTrain - p) - penalty.cwiseProduct(beta);
                const Eigen::VectorXd step = fold.bound.solve(gradient);
                beta += step;
                if (step.cwiseAbs().maxCoeff() < 1e-6)
                    break;
            }
            const Eigen::VectorXd s = fold.xTest * beta;
            for (size_t k = 0; k < fold.test.size(); ++k)
                scores[size_t(fold.test[k])] = s(Eigen::Index(k));
        }
        return rocAuc(scores, y).value_or(0.5);
    };

    DomainClassifierResult r;
    r.referenceRows = int(std::count(labels.begin(), labels.end(), 0));
    r.currentRows = m - r.referenceRows;
    r.auc = crossValidatedAuc(labels);
    std::vector<int> shuffled = labels;
    for (int k = 0; k < o.permutations; ++k) {
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        r.permutationAucs.push_back(crossValidatedAuc(shuffled));
    }
    std::sort(r.permutationAucs.begin(), r.permutationAucs.end());
    r.threshold = r.permutationAucs.empty() ? 0.5 : nearestRankPercentile(r.permutationAucs, 0.95);
    r.drift = r.auc > r.threshold;
    return r;
}

} // namespace ts
