#pragma once

#include "insights/textvectors.h"

#include <vector>

namespace ts {

struct KMeansResult
{
    Eigen::MatrixXf centroids; ///< k x d
    std::vector<int> labels; ///< per input row
    double inertia = 0; ///< sum of squared distances to the nearest centroid
};

/// Lloyd's k-means on `points` (rows) with k-means++ seeding (Arthur & Vassilvitskii 2007),
/// the best of `restarts` seeded starts by inertia.
KMeansResult kMeans(const Eigen::MatrixXf &points, int k, quint64 seed, int restarts = 3,
                    int maxIterations = 100);

/// The nearest centroid of each row of `vectors`.
std::vector<int> nearestCentroids(const DocVectors &vectors, const Eigen::MatrixXf &centroids);

/// Mean silhouette (Rousseeuw 1987) from a symmetric distance matrix; points alone in their
/// cluster count 0.
double meanSilhouette(const Eigen::MatrixXf &distances, const std::vector<int> &labels, int k);

struct ClusteringOptions
{
    int minK = 2;
    int maxK = 24;
    int selectionPerSide = 1500; ///< sample for choosing k
    int silhouettePoints = 1500;
    int fitPerSide = 5000; ///< sample for the final centroids
    int restarts = 2;      ///< k-means++ starts per candidate k
    quint64 seed = 1987;
};

struct TopicClustering
{
    int k = 0;
    double silhouette = 0;
    Eigen::MatrixXf centroids;
    std::vector<int> labels; ///< per row of the vectors (-1 for rows of neither side)
};

/// Clusters reference and current rows together: k chosen by the best mean silhouette on a
/// seeded sample (k from minK to maxK: every k up to 8, then about 20% apart; at most one
/// cluster per 20 sampled rows), centroids
/// refined on a larger sample with both sides equally represented, then every row assigned.
TopicClustering clusterTopics(const DocVectors &vectors, const std::vector<int> &referenceRows,
                              const std::vector<int> &currentRows,
                              const ClusteringOptions &options = {});

/// (current share - reference share) / (current share + reference share), shares within each
/// side; 0 when both are 0.
double clusterDriftRatio(int referenceInCluster, int referenceTotal, int currentInCluster,
                         int currentTotal);

} // namespace ts
