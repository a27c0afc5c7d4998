#pragma once

#include "evals/statistics.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

/// How much people agree when they label the same items, chance-corrected. Values are
/// nominal categories ("yes"/"no", or "first"/"second"/"tie" for pairwise choices in terms
/// of the true items, never the screen sides). A skip is not a value: leave it out.
namespace ts::agreement {

struct Rating
{
    QString item;      ///< what was labeled (any stable key)
    QString annotator;
    QString value;
};

struct Agreement
{
    int items = 0;      ///< items with at least two labels (the ones agreement is about)
    int annotators = 0; ///< distinct annotators over all ratings
    int labels = 0;     ///< ratings given
    /// Mean over items with two or more labels of the share of agreeing label pairs.
    std::optional<double> percentAgreement;
    std::optional<stats::Interval> percentCi;
    /// Only when exactly two annotators labeled; over the items both labeled.
    std::optional<double> cohenKappa;
    /// Only when every labeled item has the same number (two or more) of labels.
    std::optional<double> fleissKappa;
    /// Nominal, any number of annotators, missing labels allowed; items with fewer than two
    /// labels left out. nullopt when it is undefined (fewer than two values in play).
    std::optional<double> krippendorffAlpha;
    /// Percentile bootstrap over items.
    std::optional<stats::Interval> alphaCi;
};

inline constexpr int kAgreementResamples = 1000;
inline constexpr std::uint64_t kAgreementSeed = 20261130;

Agreement measure(const QList<Rating> &ratings, int resamples = kAgreementResamples,
                  std::uint64_t seed = kAgreementSeed);

/// Cohen's kappa of two raters from their paired labels (same length).
std::optional<double> cohenKappa(const QList<QString> &first, const QList<QString> &second);
/// Fleiss' kappa from a table: counts[item][category] = raters who chose the category; every
/// row must sum to the same n >= 2.
std::optional<double> fleissKappa(const QList<QList<int>> &counts);
/// Krippendorff's alpha (nominal) from units: each unit's values (units with fewer than two
/// values are left out).
std::optional<double> krippendorffAlphaNominal(const QList<QList<QString>> &units);

/// Landis & Koch (1977): "poor" (< 0), "slight", "fair", "moderate", "substantial",
/// "almost perfect".
QString landisKoch(double kappa);

} // namespace ts::agreement
