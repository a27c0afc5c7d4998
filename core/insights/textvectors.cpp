#include "insights/textvectors.h"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/SparseCore>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace ts {

namespace {

using SparseRows = Eigen::SparseMatrix<float, Eigen::RowMajor, int>;
using Dense = Eigen::MatrixXf;
/// Row-major dense operands let sparse products add whole contiguous rows (vectorized).
using DenseRows = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Orthonormal basis of the columns of `y` (thin Q of a Householder QR).
Dense orthonormalize(const Dense &y)
{
    Eigen::HouseholderQR<Dense> qr(y);
    return qr.householderQ() * Dense::Identity(y.rows(), std::min(y.rows(), y.cols()));
}

struct Features
{
    std::vector<int> column; ///< word id -> column, -1 when dropped
    std::vector<float> idf; ///< per column
    int count = 0;
};

Features chooseFeatures(const TokenizedTexts &texts, int vocabularySize, const TfidfOptions &o)
{
    const int n = texts.size();
    std::vector<int> df(size_t(vocabularySize), 0);
    std::vector<int> seenIn(size_t(vocabularySize), -1);
    for (int i = 0; i < n; ++i)
        for (qint64 j = texts.offsets[size_t(i)]; j < texts.offsets[size_t(i) + 1]; ++j) {
            const int w = texts.ids[size_t(j)];
            if (seenIn[size_t(w)] != i) {
                seenIn[size_t(w)] = i;
                ++df[size_t(w)];
            }
        }
    std::vector<int> candidates;
    for (int minDf : {o.minDocumentFrequency, 1}) {
        candidates.clear();
        for (int w = 0; w < vocabularySize; ++w)
            if (df[size_t(w)] >= minDf)
                candidates.push_back(w);
        if (int(candidates.size()) >= o.dimensions)
            break;
    }
    // The words in most texts first; ties by id so the choice is stable.
    std::sort(candidates.begin(), candidates.end(), [&](int a, int b) {
        return df[size_t(a)] != df[size_t(b)] ? df[size_t(a)] > df[size_t(b)] : a < b;
    });
    if (int(candidates.size()) > o.maxFeatures)
        candidates.resize(size_t(o.maxFeatures));
    std::sort(candidates.begin(), candidates.end());
    Features f;
    f.column.assign(size_t(vocabularySize), -1);
    for (int w : candidates) {
        f.column[size_t(w)] = f.count++;
        f.idf.push_back(float(std::log((1.0 + n) / (1.0 + df[size_t(w)])) + 1.0));
    }
    return f;
}

/// TF-IDF rows of `rows` (all texts when empty), each L2-normalized.
SparseRows tfidfRows(const TokenizedTexts &texts, const Features &f, const std::vector<int> *rows)
{
    const int n = rows ? int(rows->size()) : texts.size();
    std::vector<int> outer(size_t(n) + 1, 0);
    std::vector<int> inner;
    std::vector<float> values;
    inner.reserve(texts.ids.size());
    values.reserve(texts.ids.size());
    std::vector<int> cols;
    std::vector<int> counts(size_t(f.count), 0); // scratch, zero between texts
    for (int r = 0; r < n; ++r) {
        const int i = rows ? (*rows)[size_t(r)] : r;
        cols.clear();
        for (qint64 j = texts.offsets[size_t(i)]; j < texts.offsets[size_t(i) + 1]; ++j) {
            const int c = f.column[size_t(texts.ids[size_t(j)])];
            if (c >= 0 && counts[size_t(c)]++ == 0)
                cols.push_back(c);
        }
        std::sort(cols.begin(), cols.end());
        const size_t start = values.size();
        double norm = 0;
        for (int c : cols) {
            const int count = counts[size_t(c)];
            counts[size_t(c)] = 0;
            const float tf = count == 1 ? 1.0f : float(1.0 + std::log(double(count)));
            const float v = tf * f.idf[size_t(c)];
            inner.push_back(c);
            values.push_back(v);
            norm += double(v) * v;
        }
        if (norm > 0) {
            const float scale = float(1.0 / std::sqrt(norm));
            for (size_t k = start; k < values.size(); ++k)
                values[k] *= scale;
        }
        outer[size_t(r) + 1] = int(values.size());
    }
    SparseRows m(n, f.count);
    m = Eigen::Map<const SparseRows>(n, f.count, int(values.size()), outer.data(), inner.data(),
                                     values.data());
    return m;
}

} // namespace

std::vector<int> seededSample(int n, int k, quint64 seed)
{
    std::vector<int> all(size_t(std::max(n, 0)));
    std::iota(all.begin(), all.end(), 0);
    if (k >= n)
        return all;
    std::mt19937_64 rng(seed);
    for (int i = 0; i < k; ++i) {
        std::uniform_int_distribution<int> pick(i, n - 1);
        std::swap(all[size_t(i)], all[size_t(pick(rng))]);
    }
    all.resize(size_t(k));
    std::sort(all.begin(), all.end());
    return all;
}

void normalizeRows(DocVectors &vectors)
{
    for (Eigen::Index i = 0; i < vectors.rows(); ++i) {
        const float norm = vectors.row(i).norm();
        if (norm > 0)
            vectors.row(i) /= norm;
    }
}

DocVectors tfidfSvdVectors(const TokenizedTexts &texts, int vocabularySize,
                           const std::vector<int> &fitRows, const TfidfOptions &o)
{
    const Features features = chooseFeatures(texts, vocabularySize, o);
    const SparseRows all = tfidfRows(texts, features, nullptr);
    if (features.count == 0 || fitRows.empty())
        return DocVectors::Zero(texts.size(), 0);
    const SparseRows fit = tfidfRows(texts, features, &fitRows);

    // Randomized range finder with power iterations (Halko et al. 2011, algorithm 4.4).
    const int l = std::min<int>({o.dimensions + o.oversampling, features.count, int(fit.rows())});
    std::mt19937_64 rng(o.seed);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    DenseRows omega(features.count, l);
    for (Eigen::Index c = 0; c < omega.cols(); ++c)
        for (Eigen::Index r = 0; r < omega.rows(); ++r)
            omega(r, c) = gauss(rng);
    DenseRows q = orthonormalize(DenseRows(fit * omega));
    for (int i = 0; i < o.powerIterations; ++i) {
        const DenseRows z = orthonormalize(DenseRows(fit.transpose() * q));
        q = orthonormalize(DenseRows(fit * z));
    }
    // B = Q^T X (l x V); its right singular vectors from the eigenvectors of B B^T.
    const DenseRows bt = fit.transpose() * q; // V x l
    const Eigen::MatrixXd gram = (bt.transpose() * bt).cast<double>();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
    const Eigen::VectorXd values = eig.eigenvalues(); // ascending
    const double top = values.size() ? values(values.size() - 1) : 0.0;
    std::vector<int> keep;
    for (Eigen::Index i = values.size() - 1; i >= 0 && int(keep.size()) < o.dimensions; --i)
        if (values(i) > top * 1e-10 && values(i) > 0)
            keep.push_back(int(i));
    // Row-major so that the sparse product adds whole 64-float rows (vectorized).
    DenseRows components(features.count, Eigen::Index(keep.size()));
    for (size_t k = 0; k < keep.size(); ++k) {
        const Eigen::VectorXf u = eig.eigenvectors().col(keep[k]).cast<float>();
        components.col(Eigen::Index(k)) = bt * u / float(std::sqrt(values(keep[k])));
    }
    DocVectors out = all * components;
    normalizeRows(out);
    return out;
}

std::optional<double> centroidDistance(const DocVectors &vectors, const std::vector<int> &a,
                                       const std::vector<int> &b)
{
    auto meanOf = [&](const std::vector<int> &rows) {
        Eigen::VectorXd mean = Eigen::VectorXd::Zero(vectors.cols());
        int used = 0;
        for (int r : rows) {
            const Eigen::VectorXd v = vectors.row(r).cast<double>();
            const double norm = v.norm();
            if (norm > 0) {
                mean += v / norm;
                ++used;
            }
        }
        if (used > 0)
            mean /= used;
        return mean;
    };
    const Eigen::VectorXd ma = meanOf(a);
    const Eigen::VectorXd mb = meanOf(b);
    const double na = ma.norm();
    const double nb = mb.norm();
    if (na <= 0 || nb <= 0)
        return std::nullopt;
    return std::clamp(1.0 - ma.dot(mb) / (na * nb), 0.0, 2.0);
}

Eigen::MatrixX2f pcaMap(const DocVectors &vectors, const std::vector<int> &rows)
{
    Eigen::MatrixX2f out = Eigen::MatrixX2f::Zero(Eigen::Index(rows.size()), 2);
    if (rows.empty() || vectors.cols() == 0)
        return out;
    Eigen::MatrixXd x(Eigen::Index(rows.size()), vectors.cols());
    for (size_t i = 0; i < rows.size(); ++i)
        x.row(Eigen::Index(i)) = vectors.row(rows[i]).cast<double>();
    const Eigen::RowVectorXd mean = x.colwise().mean();
    x.rowwise() -= mean;
    const Eigen::MatrixXd cov = x.transpose() * x / std::max<double>(1.0, double(x.rows()) - 1);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    const Eigen::Index d = cov.rows();
    for (int c = 0; c < 2 && c < d; ++c) {
        Eigen::VectorXd axis = eig.eigenvectors().col(d - 1 - c);
        // A fixed sign: the largest loading positive, so maps do not flip between runs.
        Eigen::Index arg;
        axis.cwiseAbs().maxCoeff(&arg);
        if (axis(arg) < 0)
            axis = -axis;
        out.col(c) = (x * axis).cast<float>();
    }
    return out;
}

} // namespace ts
