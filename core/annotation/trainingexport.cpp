#include "annotation/trainingexport.h"

#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "annotation/queuestore.h"
#include "annotation/targetcontent.h"
#include "common/json.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QHash>
#include <QMap>
#include <QSet>

namespace ts::trainingexport {

namespace {

/// The targets, pairs and criteria a queue scope keeps (nothing set: keep everything).
struct Filter
{
    std::optional<QSet<QString>> targets;
    std::optional<QSet<QString>> pairs;
    std::optional<QSet<qint64>> criterionIds;
};

Result<Filter> filterFor(Database &db, const TrainingExportScope &scope)
{
    Filter f;
    if (!scope.queue)
        return f;
    QueueStore queues(db);
    auto q = queues.queue(*scope.queue);
    if (!q)
        return fail(q.error());
    auto items = queues.items(q->id);
    if (!items)
        return fail(items.error());
    f.targets.emplace();
    f.pairs.emplace();
    f.criterionIds.emplace();
    for (const QueueItem &item : std::as_const(*items)) {
        f.targets->insert(item.a.key());
        if (item.b) {
            f.targets->insert(item.b->key());
            f.pairs->insert(item.key());
        }
    }
    for (const CriterionVersion &c : q->criteria)
        f.criterionIds->insert(c.criterionId);
    return f;
}

nlohmann::json assistant(const QString &text)
{
    return {{"role", "assistant"}, {"content", sstr(text)}};
}

QByteArray line(const nlohmann::json &j)
{
    return QByteArray::fromStdString(
               j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        + '\n';
}

} // namespace

Result<TrainingExport> sft(Database &db, const TrainingExportScope &scope)
{
    auto filter = filterFor(db, scope);
    if (!filter)
        return fail(filter.error());
    LabelStore store(db);
    auto labels = store.labels();
    if (!labels)
        return fail(labels.error());
    auto adjudications = store.adjudications();
    if (!adjudications)
        return fail(adjudications.error());
    QHash<QString, bool> adjudicated; // "criterionId/target" -> yes
    for (const Adjudication &a : std::as_const(*adjudications))
        if (!a.b)
            adjudicated.insert(QString::number(a.criterionId) + QLatin1Char('/') + a.a.key(),
                               a.value == QLatin1String("yes"));

    // Votes per target and criterion, in the order targets were first labeled.
    QList<Target> order;
    QHash<QString, QMap<qint64, std::pair<int, int>>> votes; // target -> criterion -> yes, no
    CriterionStore criteria(db);
    QHash<qint64, qint64> criterionOfVersion;
    for (const Label &l : std::as_const(*labels)) {
        if (filter->targets && !filter->targets->contains(l.target.key()))
            continue;
        if (!criterionOfVersion.contains(l.criterionVersionId)) {
            auto v = criteria.version(l.criterionVersionId);
            if (!v)
                return fail(v.error());
            criterionOfVersion.insert(l.criterionVersionId, v->criterionId);
        }
        const qint64 criterionId = criterionOfVersion.value(l.criterionVersionId);
        if (filter->criterionIds && !filter->criterionIds->contains(criterionId))
            continue;
        if (!votes.contains(l.target.key()))
            order.append(l.target);
        auto &v = votes[l.target.key()][criterionId];
        if (l.value == LabelValue::Yes)
            ++v.first;
        else if (l.value == LabelValue::No)
            ++v.second;
    }
    // Corrected targets count even without labels: a correction is a decision.
    auto corrected = db.prepare(QStringLiteral(
        "SELECT target_kind, target_id FROM corrections GROUP BY target_kind, target_id "
        "ORDER BY min(created_at)"));
    if (!corrected)
        return fail(corrected.error());
    for (;;) {
        auto row = corrected->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        const Target t {Target::parseKind(corrected->text(0)).value_or(Target::Kind::Generation),
                        corrected->int64(1)};
        if (filter->targets && !filter->targets->contains(t.key()))
            continue;
        if (!votes.contains(t.key())) {
            votes.insert(t.key(), {});
            order.append(t);
        }
    }

    TrainingExport out;
    for (const Target &t : std::as_const(order)) {
        auto correction = store.correction(t);
        if (!correction)
            return fail(correction.error());
        bool approved = false;
        if (!*correction) {
            int decided = 0;
            bool allYes = true;
            const auto &perCriterion = votes[t.key()];
            for (auto it = perCriterion.cbegin(); it != perCriterion.cend(); ++it) {
                const QString adjKey = QString::number(it.key()) + QLatin1Char('/') + t.key();
                std::optional<bool> verdict;
                if (adjudicated.contains(adjKey))
                    verdict = adjudicated.value(adjKey);
                else if (it->first != it->second)
                    verdict = it->first > it->second;
                else if (it->first > 0)
                    allYes = false; // an even split is not an approval
                if (verdict) {
                    ++decided;
                    allYes = allYes && *verdict;
                }
            }
            approved = decided > 0 && allYes;
        }
        if (!*correction && !approved) {
            ++out.leftOut;
            continue;
        }
        auto content = loadTargetContent(db, t);
        if (!content)
            return fail(content.error());
        const QString answer = *correction ? **correction : content->output.value_or(QString());
        nlohmann::json messages = content->messages();
        if (messages.empty()) {
            ++out.withoutMessages;
            continue;
        }
        if (!*correction && !content->output) {
            ++out.leftOut;
            continue;
        }
        messages.push_back(assistant(answer));
        out.jsonl += line({{"messages", messages}});
        ++out.examples;
    }
    return out;
}

Result<TrainingExport> dpo(Database &db, const TrainingExportScope &scope)
{
    auto filter = filterFor(db, scope);
    if (!filter)
        return fail(filter.error());
    LabelStore store(db);
    auto preferences = store.preferences();
    if (!preferences)
        return fail(preferences.error());
    auto adjudications = store.adjudications(0);
    if (!adjudications)
        return fail(adjudications.error());
    QHash<QString, QString> adjudicated;
    for (const Adjudication &a : std::as_const(*adjudications))
        if (a.b)
            adjudicated.insert(a.a.key() + QLatin1Char('|') + a.b->key(), a.value);

    struct Pair
    {
        Target a;
        Target b;
        QMap<QString, int> overall; ///< choice -> votes
        QMap<QString, int> perCriterion;
    };
    QList<QString> order;
    QHash<QString, Pair> pairs;
    for (const Preference &p : std::as_const(*preferences)) {
        const QString key = p.a.key() + QLatin1Char('|') + p.b.key();
        if (filter->pairs && !filter->pairs->contains(key))
            continue;
        if (!pairs.contains(key)) {
            order.append(key);
            pairs.insert(key, Pair {p.a, p.b, {}, {}});
        }
        Pair &pair = pairs[key];
        (p.criterionVersionId == 0 ? pair.overall : pair.perCriterion)[choiceName(p.choice)] += 1;
    }

    TrainingExport out;
    for (const QString &key : std::as_const(order)) {
        const Pair &pair = pairs[key];
        QString winner = adjudicated.value(key);
        if (winner.isEmpty()) {
            // The overall preference; a pair judged only per criterion pools those choices.
            const QMap<QString, int> &votes
                = pair.overall.isEmpty() ? pair.perCriterion : pair.overall;
            int best = 0;
            bool unique = false;
            for (auto it = votes.cbegin(); it != votes.cend(); ++it) {
                if (it.value() > best) {
                    best = it.value();
                    winner = it.key();
                    unique = true;
                } else if (it.value() == best) {
                    unique = false;
                }
            }
            if (!unique)
                winner.clear();
        }
        if (winner != QLatin1String("a") && winner != QLatin1String("b")) {
            ++out.leftOut;
            continue;
        }
        auto a = loadTargetContent(db, pair.a);
        if (!a)
            return fail(a.error());
        auto b = loadTargetContent(db, pair.b);
        if (!b)
            return fail(b.error());
        nlohmann::json prompt = a->messages();
        if (prompt.empty())
            prompt = b->messages();
        if (prompt.empty()) {
            ++out.withoutMessages;
            continue;
        }
        if (!a->output || !b->output) {
            ++out.leftOut;
            continue;
        }
        const bool aWins = winner == QLatin1String("a");
        out.jsonl += line(
            {{"prompt", prompt},
             {"chosen", nlohmann::json::array({assistant(aWins ? *a->output : *b->output)})},
             {"rejected", nlohmann::json::array({assistant(aWins ? *b->output : *a->output)})}});
        ++out.examples;
    }
    return out;
}

} // namespace ts::trainingexport
