#pragma once

#include "annotation/criterionstore.h"
#include "annotation/target.h"
#include "common/error.h"

#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

class Database;

enum class QueueKind { Binary, Pairwise };

/// One thing to label, with a snapshot of what the annotator sees (a label pack carries
/// items without the rows they came from).
struct QueueItem
{
    qint64 id = 0;
    qint64 queueId = 0;
    int position = 0;
    Target a;
    std::optional<Target> b; ///< pairwise: the second output's target
    /// {"messages": [{role, content, ...}]} or {"variables": {...}}.
    nlohmann::json input = nlohmann::json::object();
    std::optional<QString> outputA;
    std::optional<QString> outputB;
    /// Model, prompt version, status, time...: hidden from the annotator when the queue is blind.
    nlohmann::json context = nlohmann::json::object();

    /// "log:5" or "generation:3|case:9": identifies the item across projects and packs.
    QString key() const;
};

struct QueueSpec
{
    QString name;
    QueueKind kind = QueueKind::Binary;
    int overlap = 1;
    bool blind = true;
    QStringList criteria; ///< names; missing criteria are created (question = name)
    nlohmann::json origin = nlohmann::json::object();
    std::optional<QString> dailyDate;
    std::optional<QString> packId;
};

struct QueueInfo
{
    qint64 id = 0;
    QString name;
    QueueKind kind = QueueKind::Binary;
    int overlap = 1;
    bool blind = true;
    nlohmann::json origin = nlohmann::json::object();
    std::optional<QString> dailyDate;
    std::optional<QString> packId;
    QString createdAt;
    int itemCount = 0;
    QList<CriterionVersion> criteria; ///< latest wording of each, in queue order
};

/// Where an annotator stands in a queue.
struct QueueProgress
{
    int total = 0;
    int done = 0; ///< items this annotator completed
};

QString queueKindName(QueueKind kind);

/// Review queues: ordered items with their criteria and settings.
class QueueStore final
{
public:
    explicit QueueStore(Database &db);

    /// Creates the queue with its items in order (duplicate targets kept once).
    Result<QueueInfo> create(const QueueSpec &spec, const QList<QueueItem> &items);
    Result<QList<QueueInfo>> list();
    Result<QueueInfo> queue(const QString &name);
    Result<QueueInfo> queue(qint64 id);
    Result<void> remove(qint64 id);

    Result<QList<QueueItem>> items(qint64 queueId, int limit = -1, qint64 offset = 0);
    Result<QueueItem> item(qint64 itemId);
    Result<std::optional<QueueItem>> itemAt(qint64 queueId, int position);
    /// The first item from `fromPosition` on that this annotator has not completed and that
    /// fewer than `overlap` other annotators have labeled; nullopt when the queue is done.
    Result<std::optional<QueueItem>> next(qint64 queueId, const QString &annotator,
                                          int fromPosition = 0);
    /// Whether this annotator answered every criterion (binary) or chose (pairwise).
    Result<bool> isComplete(const QueueItem &item, const QString &annotator);
    Result<QueueProgress> progress(qint64 queueId, const QString &annotator);
    /// Targets already reviewed: in a daily queue before, or labeled by anyone.
    Result<QSet<QString>> reviewedTargetKeys();

private:
    Database &m_db;
};

} // namespace ts
