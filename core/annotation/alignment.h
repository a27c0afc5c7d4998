#pragma once

#include <QList>

#include <optional>

/// How far an automatic check (an assertion or an LLM judge) agrees with people, with
/// "pass" as the positive class.
namespace ts::agreement {

struct Verdicts
{
    bool human = false; ///< the person's verdict: passed
    bool check = false; ///< the assertion's or judge's verdict: passed
};

struct Alignment
{
    int tp = 0; ///< both passed
    int tn = 0; ///< both failed
    int fp = 0; ///< the check passed what the person failed
    int fn = 0; ///< the check failed what the person passed
    std::optional<double> accuracy;
    std::optional<double> cohenKappa;
    /// Share of human-failed items the check fails: tn / (tn + fp).
    std::optional<double> coverage;
    /// Share of human-passed items the check fails: fn / (tp + fn).
    std::optional<double> falseFailureRate;
    /// Harmonic mean of coverage and (1 - false-failure rate).
    std::optional<double> alignment;
};

Alignment align(const QList<Verdicts> &pairs);

} // namespace ts::agreement
