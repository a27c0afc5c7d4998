#include "insights/topicclusters.h"

#include <algorithm>
#include <limits>
#include <random>

namespace ts {

namespace {

/// Squared distances of every point to every centroid (n x k).
Eigen::MatrixXf squaredDistances(const Eigen::MatrixXf &points, const Eigen::MatrixXf &centroids)
{
    Eigen::MatrixXf d = -2.0f * points * centroids.transpose();
    d.colwise() += points.rowwise().squaredNorm();
    d.rowwise() += centroids.rowwise().squaredNorm().transpose();
    return d.cwiseMax(0.0f);
}

KMeansResult lloyd(const Eigen::MatrixXf &points, Eigen::MatrixXf centroids, int maxIterations)
{
    const Eigen::Index n = points.rows();
    const Eigen::Index k = centroids.rows();
    KMeansResult r;
    r.labels.assign(size_t(n), -1);
    for (int it = 0; it < maxIterations; ++it) {
        const Eigen::MatrixXf d = squaredDistances(points, centroids);
        bool changed = false;
        r.inertia = 0;
        Eigen::VectorXf best(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            Eigen::Index c;
            best(i) = d.row(i).minCoeff(&c);
            r.inertia += best(i);
            if (r.labels[size_t(i)] != int(c)) {
                r.labels[size_t(i)] = int(c);
                changed = true;
            }
        }
        if (!changed && it > 0)
            break;
        Eigen::MatrixXf sums = Eigen::MatrixXf::Zero(k, points.cols());
        std::vector<int> counts(size_t(k), 0);
        for (Eigen::Index i = 0; i < n; ++i) {
            sums.row(r.labels[size_t(i)]) += points.row(i);
            ++counts[size_t(r.labels[size_t(i)])];
        }
        for (Eigen::Index c = 0; c < k; ++c) {
            if (counts[size_t(c)] > 0) {
                centroids.row(c) = sums.row(c) / float(counts[size_t(c)]);
            } else {
                // An empty cluster takes the point farthest from its centroid.
                Eigen::Index far;
                best.maxCoeff(&far);
                centroids.row(c) = points.row(far);
                best(far) = 0;
            }
        }
    }
    r.centroids = std::move(centroids);
    return r;
}

Eigen::MatrixXf plusPlusSeeds(const Eigen::MatrixXf &points, int k, std::mt19937_64 &rng)
{
    const Eigen::Index n = points.rows();
    Eigen::MatrixXf centroids(k, points.cols());
    std::uniform_int_distribution<Eigen::Index> first(0, n - 1);
    centroids.row(0) = points.row(first(rng));
    Eigen::VectorXf nearest = (points.rowwise() - centroids.row(0)).rowwise().squaredNorm();
    for (int c = 1; c < k; ++c) {
        const double total = nearest.cast<double>().sum();
        Eigen::Index chosen = 0;
        if (total > 0) {
            std::uniform_real_distribution<double> u(0.0, total);
            double target = u(rng);
            for (chosen = 0; chosen < n - 1; ++chosen) {
                target -= nearest(chosen);
                if (target <= 0)
                    break;
            }
        } else {
            chosen = first(rng);
        }
        centroids.row(c) = points.row(chosen);
        nearest = nearest.cwiseMin((points.rowwise() - centroids.row(c)).rowwise().squaredNorm());
    }
    return centroids;
}

Eigen::MatrixXf gather(const DocVectors &vectors, const std::vector<int> &rows)
{
    Eigen::MatrixXf out(Eigen::Index(rows.size()), vectors.cols());
    for (size_t i = 0; i < rows.size(); ++i)
        out.row(Eigen::Index(i)) = vectors.row(rows[i]);
    return out;
}

std::vector<int> balancedSample(const std::vector<int> &a, const std::vector<int> &b, int perSide,
                                quint64 seed)
{
    std::vector<int> out;
    for (int i : seededSample(int(a.size()), perSide, seed))
        out.push_back(a[size_t(i)]);
    for (int i : seededSample(int(b.size()), perSide, seed + 1))
        out.push_back(b[size_t(i)]);
    return out;
}

} // namespace

KMeansResult kMeans(const Eigen::MatrixXf &points, int k, quint64 seed, int restarts,
                    int maxIterations)
{
    KMeansResult best;
    best.inertia = std::numeric_limits<double>::infinity();
    k = std::clamp<int>(k, 1, std::max<int>(1, int(points.rows())));
    if (points.rows() == 0)
        return best;
    std::mt19937_64 rng(seed);
    for (int r = 0; r < std::max(1, restarts); ++r) {
        KMeansResult result = lloyd(points, plusPlusSeeds(points, k, rng), maxIterations);
        if (result.inertia < best.inertia)
            best = std::move(result);
    }
    return best;
}

std::vector<int> nearestCentroids(const DocVectors &vectors, const Eigen::MatrixXf &centroids)
{
    std::vector<int> labels(size_t(vectors.rows()), 0);
    const Eigen::Index block = 8192;
    const Eigen::RowVectorXf centroidNorms = centroids.rowwise().squaredNorm().transpose();
    for (Eigen::Index start = 0; start < vectors.rows(); start += block) {
        const Eigen::Index rows = std::min(block, vectors.rows() - start);
        // ||x||^2 is the same for every centroid: compare ||c||^2 - 2 x.c only.
        Eigen::MatrixXf d = -2.0f * vectors.middleRows(start, rows) * centroids.transpose();
        d.rowwise() += centroidNorms;
        for (Eigen::Index i = 0; i < rows; ++i) {
            Eigen::Index c;
            d.row(i).minCoeff(&c);
            labels[size_t(start + i)] = int(c);
        }
    }
    return labels;
}

double meanSilhouette(const Eigen::MatrixXf &distances, const std::vector<int> &labels, int k)
{
    const Eigen::Index n = distances.rows();
    if (n < 2 || k < 2)
        return 0;
    std::vector<int> sizes(size_t(k), 0);
    for (int l : labels)
        ++sizes[size_t(l)];
    double total = 0;
    std::vector<double> sums(static_cast<size_t>(k));
    for (Eigen::Index i = 0; i < n; ++i) {
        std::fill(sums.begin(), sums.end(), 0.0);
        for (Eigen::Index j = 0; j < n; ++j)
            sums[size_t(labels[size_t(j)])] += distances(i, j);
        const int own = labels[size_t(i)];
        if (sizes[size_t(own)] <= 1)
            continue;
        const double a = sums[size_t(own)] / (sizes[size_t(own)] - 1);
        double b = std::numeric_limits<double>::infinity();
        for (int c = 0; c < k; ++c)
            if (c != own && sizes[size_t(c)] > 0)
                b = std::min(b, sums[size_t(c)] / sizes[size_t(c)]);
        if (std::isfinite(b) && std::max(a, b) > 0)
            total += (b - a) / std::max(a, b);
    }
    return total / double(n);
}

TopicClustering clusterTopics(const DocVectors &vectors, const std::vector<int> &referenceRows,
                              const std::vector<int> &currentRows, const ClusteringOptions &o)
{
    TopicClustering out;
    out.labels.assign(size_t(vectors.rows()), -1);
    const std::vector<int> selection
        = balancedSample(referenceRows, currentRows, o.selectionPerSide, o.seed);
    const int maxK = std::min(o.maxK, int(selection.size()) / 20);
    if (vectors.cols() == 0 || maxK < o.minK)
        return out;
    const Eigen::MatrixXf points = gather(vectors, selection);
    const std::vector<int> judged
        = seededSample(int(selection.size()), o.silhouettePoints, o.seed + 2);
    Eigen::MatrixXf judgedPoints(Eigen::Index(judged.size()), vectors.cols());
    for (size_t i = 0; i < judged.size(); ++i)
        judgedPoints.row(Eigen::Index(i)) = points.row(judged[i]);
    const Eigen::MatrixXf distances = squaredDistances(judgedPoints, judgedPoints).cwiseSqrt();

    double bestScore = -2;
    KMeansResult best;
    // Every k up to 8, then about 20% apart: enough resolution where silhouettes differ most.
    std::vector<int> candidates;
    for (int k = o.minK; k <= maxK; k = k < 8 ? k + 1 : std::max(k + 1, int(std::lround(k * 1.2))))
        candidates.push_back(k);
    for (int k : candidates) {
        KMeansResult result = kMeans(points, k, o.seed + quint64(k), o.restarts);
        std::vector<int> labels(judged.size());
        for (size_t i = 0; i < judged.size(); ++i)
            labels[i] = result.labels[size_t(judged[i])];
        const double score = meanSilhouette(distances, labels, k);
        if (score > bestScore) {
            bestScore = score;
            best = std::move(result);
            out.k = k;
        }
    }
    out.silhouette = bestScore;
    const std::vector<int> fit
        = balancedSample(referenceRows, currentRows, o.fitPerSide, o.seed + 3);
    out.centroids = fit.size() > selection.size()
        ? lloyd(gather(vectors, fit), best.centroids, 30).centroids
        : best.centroids;
    const std::vector<int> all = nearestCentroids(vectors, out.centroids);
    for (const std::vector<int> *side : {&referenceRows, &currentRows})
        for (int r : *side)
            out.labels[size_t(r)] = all[size_t(r)];
    return out;
}

double clusterDriftRatio(int referenceInCluster, int referenceTotal, int currentInCluster,
                         int currentTotal)
{
    const double ref = referenceTotal > 0 ? double(referenceInCluster) / referenceTotal : 0.0;
    const double cur = currentTotal > 0 ? double(currentInCluster) / currentTotal : 0.0;
    return ref + cur > 0 ? (cur - ref) / (cur + ref) : 0.0;
}

} // namespace ts
