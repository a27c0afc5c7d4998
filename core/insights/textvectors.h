#pragma once

// Vector representations of texts for semantic drift: the built-in TF-IDF reduced by a
// seeded randomized SVD, centroid distance and a 2-D PCA map.

#include <Eigen/Core>

#include <QtGlobal>

#include <optional>
#include <vector>

namespace ts {

/// One vector per row (a text), row-major so that a row is contiguous.
using DocVectors = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Word ids of many texts in one flat list: text i is ids[offsets[i] .. offsets[i+1]).
struct TokenizedTexts
{
    std::vector<qint64> offsets {0};
    std::vector<int> ids;

    int size() const { return int(offsets.size()) - 1; }
    void endText() { offsets.push_back(qint64(ids.size())); }
};

struct TfidfOptions
{
    int dimensions = 64;
    int maxFeatures = 20000; ///< the words in most texts are kept
    int minDocumentFrequency = 2; ///< lowered to 1 when fewer words than dimensions remain
    int powerIterations = 2;
    int oversampling = 10;
    quint64 seed = 20080301;
};

/// TF-IDF rows (tf = 1 + ln(count), idf = ln((1 + N) / (1 + df)) + 1 over every text, rows
/// L2-normalized) projected on the top right singular vectors of the rows in `fitRows`
/// (randomized SVD, Halko, Martinsson & Tropp 2011, with a fixed seed); the resulting rows
/// are L2-normalized. Columns: min(dimensions, rank). Empty texts give zero rows.
DocVectors tfidfSvdVectors(const TokenizedTexts &texts, int vocabularySize,
                           const std::vector<int> &fitRows, const TfidfOptions &options = {});

/// Rows scaled to unit length (zero rows stay zero).
void normalizeRows(DocVectors &vectors);

/// 1 - cosine(mean of the L2-normalized rows `a`, mean of the L2-normalized rows `b`); rows of
/// zero length are left out. nullopt when either mean is zero.
std::optional<double> centroidDistance(const DocVectors &vectors, const std::vector<int> &a,
                                       const std::vector<int> &b);

/// 2-D coordinates of `rows` on their first two principal components (centered on their mean).
Eigen::MatrixX2f pcaMap(const DocVectors &vectors, const std::vector<int> &rows);

/// `k` distinct indices of 0..n-1 drawn with a seeded generator, ascending (all when k >= n).
std::vector<int> seededSample(int n, int k, quint64 seed);

} // namespace ts
