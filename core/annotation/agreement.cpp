#include "annotation/agreement.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <random>

namespace ts::agreement {

namespace {

/// Per item: how many labels of each category (categories numbered 0..K-1).
struct Unit
{
    QList<int> counts;
    int total = 0;
};

/// Krippendorff's coincidences of one unit: o[c][k] += pairs(c, k) / (m - 1).
void addCoincidences(const Unit &u, QList<double> &o, int k)
{
    if (u.total < 2)
        return;
    const double w = 1.0 / (u.total - 1);
    for (int c = 0; c < k; ++c)
        for (int d = 0; d < k; ++d) {
            const double pairs = c == d ? double(u.counts[c]) * (u.counts[c] - 1)
                                        : double(u.counts[c]) * u.counts[d];
            o[c * k + d] += pairs * w;
        }
}

std::optional<double> alphaFromCoincidences(const QList<double> &o, int k)
{
    QList<double> n(k, 0.0);
    double total = 0;
    for (int c = 0; c < k; ++c)
        for (int d = 0; d < k; ++d) {
            n[c] += o[c * k + d];
            total += o[c * k + d];
        }
    if (total <= 1)
        return std::nullopt;
    double observed = 0;
    double expected = 0;
    for (int c = 0; c < k; ++c)
        for (int d = 0; d < k; ++d)
            if (c != d) {
                observed += o[c * k + d];
                expected += n[c] * n[d];
            }
    if (expected <= 0)
        return std::nullopt; // one value only: agreement is not measurable
    return 1.0 - (total - 1) * observed / expected;
}

/// Share of agreeing pairs among an item's label pairs.
double pairAgreement(const Unit &u)
{
    double agreeing = 0;
    for (int c : u.counts)
        agreeing += double(c) * (c - 1);
    return agreeing / (double(u.total) * (u.total - 1));
}

stats::Interval percentile(QList<double> values)
{
    std::sort(values.begin(), values.end());
    auto at = [&](double q) {
        const double pos = q * (values.size() - 1);
        const auto lo = qsizetype(std::floor(pos));
        const auto hi = qsizetype(std::ceil(pos));
        return values[lo] + (values[hi] - values[lo]) * (pos - double(lo));
    };
    return {at(0.025), at(0.975)};
}

} // namespace

std::optional<double> cohenKappa(const QList<QString> &first, const QList<QString> &second)
{
    if (first.size() != second.size() || first.isEmpty())
        return std::nullopt;
    QHash<QString, double> a;
    QHash<QString, double> b;
    double agree = 0;
    for (qsizetype i = 0; i < first.size(); ++i) {
        a[first[i]] += 1;
        b[second[i]] += 1;
        if (first[i] == second[i])
            agree += 1;
    }
    const double n = double(first.size());
    const double po = agree / n;
    double pe = 0;
    for (auto it = a.cbegin(); it != a.cend(); ++it)
        pe += (it.value() / n) * (b.value(it.key()) / n);
    if (pe >= 1)
        return std::nullopt; // both raters used one and the same value throughout
    return (po - pe) / (1 - pe);
}

std::optional<double> fleissKappa(const QList<QList<int>> &counts)
{
    if (counts.isEmpty())
        return std::nullopt;
    const qsizetype k = counts.first().size();
    int n = -1;
    QList<double> columnTotals(k, 0.0);
    double meanP = 0;
    for (const QList<int> &row : counts) {
        if (row.size() != k)
            return std::nullopt;
        int sum = 0;
        double squares = 0;
        for (qsizetype j = 0; j < k; ++j) {
            sum += row[j];
            squares += double(row[j]) * row[j];
            columnTotals[j] += row[j];
        }
        if (n < 0)
            n = sum;
        if (sum != n || n < 2)
            return std::nullopt;
        meanP += (squares - n) / (double(n) * (n - 1));
    }
    const double items = double(counts.size());
    meanP /= items;
    double pe = 0;
    for (double t : columnTotals) {
        const double p = t / (items * n);
        pe += p * p;
    }
    if (pe >= 1)
        return std::nullopt;
    return (meanP - pe) / (1 - pe);
}

std::optional<double> krippendorffAlphaNominal(const QList<QList<QString>> &units)
{
    QHash<QString, int> index;
    for (const auto &u : units)
        for (const QString &v : u)
            if (!index.contains(v))
                index.insert(v, int(index.size()));
    const int k = int(index.size());
    QList<double> o(k * k, 0.0);
    for (const auto &values : units) {
        Unit u{QList<int>(k, 0), int(values.size())};
        for (const QString &v : values)
            ++u.counts[index.value(v)];
        addCoincidences(u, o, k);
    }
    return alphaFromCoincidences(o, k);
}

QString landisKoch(double kappa)
{
    if (kappa < 0)
        return QStringLiteral("poor");
    if (kappa <= 0.20)
        return QStringLiteral("slight");
    if (kappa <= 0.40)
        return QStringLiteral("fair");
    if (kappa <= 0.60)
        return QStringLiteral("moderate");
    if (kappa <= 0.80)
        return QStringLiteral("substantial");
    return QStringLiteral("almost perfect");
}

Agreement measure(const QList<Rating> &ratings, int resamples, std::uint64_t seed)
{
    Agreement result;
    result.labels = int(ratings.size());
    QHash<QString, int> categories;
    QHash<QString, int> itemIndex;
    QSet<QString> annotators;
    for (const Rating &r : ratings) {
        if (!categories.contains(r.value))
            categories.insert(r.value, int(categories.size()));
        if (!itemIndex.contains(r.item))
            itemIndex.insert(r.item, int(itemIndex.size()));
        annotators.insert(r.annotator);
    }
    result.annotators = int(annotators.size());
    const int k = int(categories.size());
    QList<Unit> units(itemIndex.size(), Unit{QList<int>(k, 0), 0});
    for (const Rating &r : ratings) {
        Unit &u = units[itemIndex.value(r.item)];
        ++u.counts[categories.value(r.value)];
        ++u.total;
    }

    // Items that can show agreement at all, with their precomputed contributions so that
    // each bootstrap resample only sums small vectors.
    QList<int> rated;
    QList<QList<double>> unitCoincidences;
    QList<double> unitAgreement;
    int sameCount = -1;
    bool equalCounts = true;
    for (int i = 0; i < units.size(); ++i) {
        const Unit &u = units[i];
        if (u.total == 0)
            continue;
        if (sameCount < 0)
            sameCount = u.total;
        equalCounts = equalCounts && u.total == sameCount;
        if (u.total < 2)
            continue;
        rated.append(i);
        QList<double> o(k * k, 0.0);
        addCoincidences(u, o, k);
        unitCoincidences.append(o);
        unitAgreement.append(pairAgreement(u));
    }
    result.items = int(rated.size());
    if (rated.isEmpty())
        return result;

    auto alphaOf = [&](const QList<int> &picks) {
        QList<double> o(k * k, 0.0);
        for (int p : picks)
            for (int j = 0; j < k * k; ++j)
                o[j] += unitCoincidences[p][j];
        return alphaFromCoincidences(o, k);
    };
    auto percentOf = [&](const QList<int> &picks) {
        double sum = 0;
        for (int p : picks)
            sum += unitAgreement[p];
        return sum / double(picks.size());
    };
    QList<int> all(rated.size());
    for (int i = 0; i < all.size(); ++i)
        all[i] = i;
    result.percentAgreement = percentOf(all);
    result.krippendorffAlpha = alphaOf(all);

    if (equalCounts && sameCount >= 2) {
        QList<QList<int>> table;
        for (int i : rated)
            table.append(units[i].counts);
        result.fleissKappa = fleissKappa(table);
    }

    if (annotators.size() == 2) {
        const QString a = *annotators.cbegin();
        QHash<QString, QString> first;
        QHash<QString, QString> second;
        for (const Rating &r : ratings)
            (r.annotator == a ? first : second).insert(r.item, r.value);
        QList<QString> x;
        QList<QString> y;
        for (auto it = first.cbegin(); it != first.cend(); ++it)
            if (second.contains(it.key())) {
                x.append(it.value());
                y.append(second.value(it.key()));
            }
        result.cohenKappa = cohenKappa(x, y);
    }

    if (resamples > 0) {
        // Resampling items only matters through how many of each kind of item are drawn:
        // items with the same label counts contribute the same. So each resample draws those
        // multiplicities from the multinomial (as successive binomials) instead of drawing
        // every item: the same bootstrap distribution at a cost independent of the item count.
        QHash<QList<int>, int> typeOf;
        QList<int> typeSize;
        QList<int> typeUnit; // a representative index into unitCoincidences / unitAgreement
        for (int i = 0; i < rated.size(); ++i) {
            const QList<int> &counts = units[rated[i]].counts;
            auto it = typeOf.constFind(counts);
            if (it == typeOf.constEnd()) {
                it = typeOf.insert(counts, int(typeSize.size()));
                typeSize.append(0);
                typeUnit.append(i);
            }
            ++typeSize[*it];
        }
        const int n = int(rated.size());
        std::mt19937_64 rng(seed);
        QList<double> alphas;
        QList<double> percents;
        QList<int> drawn(typeSize.size());
        for (int b = 0; b < resamples; ++b) {
            int left = n;
            int mass = n;
            for (int t = 0; t < typeSize.size(); ++t) {
                if (t == typeSize.size() - 1 || left == 0) {
                    drawn[t] = left;
                } else {
                    std::binomial_distribution<int> d(left, double(typeSize[t]) / double(mass));
                    drawn[t] = d(rng);
                }
                left -= drawn[t];
                mass -= typeSize[t];
            }
            QList<double> o(k * k, 0.0);
            double agreeing = 0;
            for (int t = 0; t < typeSize.size(); ++t) {
                if (drawn[t] == 0)
                    continue;
                const QList<double> &c = unitCoincidences[typeUnit[t]];
                for (int j = 0; j < k * k; ++j)
                    o[j] += drawn[t] * c[j];
                agreeing += drawn[t] * unitAgreement[typeUnit[t]];
            }
            percents.append(agreeing / double(n));
            if (auto alpha = alphaFromCoincidences(o, k))
                alphas.append(*alpha);
        }
        result.percentCi = percentile(percents);
        if (result.krippendorffAlpha && !alphas.isEmpty())
            result.alphaCi = percentile(alphas);
    }
    return result;
}

} // namespace ts::agreement
