#pragma once

#include "annotation/queuestore.h"
#include "common/error.h"
#include "logs/logfilter.h"

#include <QDate>
#include <QList>
#include <QString>

#include <cstdint>

namespace ts {

class Database;

/// How a queue picks its items from the candidates.
enum class SamplingStrategy {
    Random,            ///< a seeded shuffle
    Stratified,        ///< round-robin over model x prompt version x status
    FailingFirst,      ///< failed assertions or errors first
    DisagreementFirst, ///< judge and assertions disagree first
};
QString samplingStrategyName(SamplingStrategy strategy);
std::optional<SamplingStrategy> parseSamplingStrategy(const QString &name);

/// An item that could go into a queue, with what sampling needs to know about it.
struct Candidate
{
    QueueItem item;
    QString stratum;      ///< "model|prompt@version|status"
    bool failing = false;
    bool disagreement = false;
    /// Hash of input and output: identical input and output count once.
    QString contentKey;
};

/// Picks up to `n` candidates (all when n < 0) by `strategy` with `seed`, identical content
/// once. The same candidates, strategy and seed give the same items.
QList<QueueItem> sampleCandidates(QList<Candidate> candidates, int n, SamplingStrategy strategy,
                                  std::uint64_t seed);

/// Where a queue's candidates come from.
namespace queuesource {

/// Log records matching a filter (and full-text search).
Result<QList<Candidate>> fromLogs(Database &db, const LogFilter &filter);
/// Outputs of one eval variant (all variants when variant < 0); `filter` as the results
/// matrix offers it: all, failures only, flaky cases, cases that changed between a and b.
enum class EvalPick { All, Failures, Flaky, Changed };
Result<QList<Candidate>> fromEval(Database &db, qint64 evalId, int variant, EvalPick pick,
                                  int changedA = 0, int changedB = 1);
/// Pairs: two variants of an eval on the same cases (first sample of each).
Result<QList<Candidate>> pairsFromEval(Database &db, qint64 evalId, int variantA, int variantB);
/// Pairs: a variant's outputs against the production outputs kept with cases from logs.
Result<QList<Candidate>> pairsAgainstProduction(Database &db, qint64 evalId, int variant);
/// Playground generations (newest first), at most `limit`.
Result<QList<Candidate>> fromPlayground(Database &db, int limit);
/// What a person read as the input of a target: {"messages": [...]} (a generation's request,
/// a log record's messages) or {"variables": {...}} (a generation without messages, a case).
Result<nlohmann::json> targetInput(Database &db, const Target &target);

} // namespace queuesource

/// Today's vibe check: N items from the logs that arrived since the last daily queue,
/// stratified across model, prompt version and status, sampled with a seed taken from the
/// date (two reviewers get the same sample), never an item already reviewed, identical input
/// and output once. Returns the existing queue when that day already has one.
struct DailyOptions
{
    QDate date;       ///< UTC day; invalid = today
    int size = 25;
    QStringList criteria; ///< empty: the previous daily queue's, else "acceptable"
};
Result<QueueInfo> buildDailyQueue(Database &db, const DailyOptions &options);

/// The seed a date gives: the same for everyone on that day.
std::uint64_t dailySeed(const QDate &date);

} // namespace ts
