#include "annotation/agreementreport.h"

#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "annotation/queuestore.h"

#include <QHash>
#include <QMap>
#include <QSet>

namespace ts {

namespace {

const QString overall = QStringLiteral("overall preference");

QString pairwiseValue(Choice c)
{
    switch (c) {
    case Choice::A:
        return QStringLiteral("first");
    case Choice::B:
        return QStringLiteral("second");
    case Choice::Tie:
    case Choice::BothBad:
        return QStringLiteral("tie");
    }
    return {};
}

/// Ratings per criterion, keyed "binary:NAME" / "pairwise:NAME", from the scope's labels.
struct Collected
{
    QMap<QString, QList<agreement::Rating>> ratings;
    QMap<QString, qint64> criterionIds;
    QMap<QString, QMap<QString, QMap<QString, QString>>>
        itemLabels; ///< key -> item -> who -> value
    QMap<QString, QMap<QString, std::pair<Target, std::optional<Target>>>> itemTargets;
};

Result<Collected> collect(Database &db, const AgreementScope &scope)
{
    LabelQuery query;
    if (scope.criterion) {
        auto c = CriterionStore(db).latest(*scope.criterion);
        if (!c && *scope.criterion != overall)
            return fail(c.error());
        if (c)
            query.criterionId = c->criterionId;
    }
    if (scope.queue) {
        auto q = QueueStore(db).queue(*scope.queue);
        if (!q)
            return fail(q.error());
        query.queueId = q->id;
    }
    LabelStore store(db);
    Collected out;
    if (!scope.criterion || *scope.criterion != overall) {
        auto labels = store.labels(query);
        if (!labels)
            return fail(labels.error());
        for (const Label &l : *labels) {
            if (l.value == LabelValue::Skip)
                continue;
            const QString key = QStringLiteral("binary:") + l.criterion;
            const QString value = labelValueName(l.value);
            out.ratings[key].append({l.target.key(), l.annotator, value});
            out.itemLabels[key][l.target.key()].insert(l.annotator, value);
            out.itemTargets[key][l.target.key()] = {l.target, std::nullopt};
        }
    }
    auto prefs = store.preferences(query);
    if (!prefs)
        return fail(prefs.error());
    for (const Preference &p : *prefs) {
        const QString name = p.criterion.isEmpty() ? overall : p.criterion;
        if (scope.criterion && *scope.criterion != name)
            continue;
        const QString key = QStringLiteral("pairwise:") + name;
        const QString item = p.a.key() + QLatin1Char('|') + p.b.key();
        out.ratings[key].append({item, p.annotator, pairwiseValue(p.choice)});
        out.itemLabels[key][item].insert(p.annotator, choiceName(p.choice));
        out.itemTargets[key][item] = {p.a, p.b};
    }
    // Criterion ids for adjudication.
    CriterionStore criteria(db);
    for (auto it = out.ratings.cbegin(); it != out.ratings.cend(); ++it) {
        const QString name = it.key().section(QLatin1Char(':'), 1);
        auto c = criteria.latest(name);
        out.criterionIds[it.key()] = c ? c->criterionId : 0;
    }
    return out;
}

} // namespace

Result<QList<AgreementOnCriterion>> measureAgreement(Database &db, const AgreementScope &scope)
{
    auto collected = collect(db, scope);
    if (!collected)
        return fail(collected.error());
    QList<AgreementOnCriterion> result;
    for (auto it = collected->ratings.cbegin(); it != collected->ratings.cend(); ++it)
        result.append({it.key().section(QLatin1Char(':'), 1),
                       collected->criterionIds.value(it.key()),
                       it.key().startsWith(QLatin1String("pairwise:")),
                       agreement::measure(it.value(), scope.resamples)});
    if (scope.criterion && result.isEmpty())
        return fail(ErrorCode::NotFound,
                    QStringLiteral("No labels for criterion \"%1\" yet.").arg(*scope.criterion));
    return result;
}

Result<QList<LabelDisagreement>> findDisagreements(Database &db, const AgreementScope &scope)
{
    auto collected = collect(db, scope);
    if (!collected)
        return fail(collected.error());
    auto adjudications = LabelStore(db).adjudications();
    if (!adjudications)
        return fail(adjudications.error());
    QHash<QString, QString> finalLabels;
    for (const Adjudication &a : *adjudications)
        finalLabels.insert(QString::number(a.criterionId) + QLatin1Char('/') + a.a.key()
                               + (a.b ? QLatin1Char('|') + a.b->key() : QString()),
                           a.value);
    QList<LabelDisagreement> result;
    for (auto it = collected->ratings.cbegin(); it != collected->ratings.cend(); ++it) {
        QMap<QString, QSet<QString>> values;
        for (const agreement::Rating &r : it.value())
            values[r.item].insert(r.value);
        for (auto v = values.cbegin(); v != values.cend(); ++v) {
            if (v.value().size() < 2)
                continue;
            const auto targets = collected->itemTargets[it.key()][v.key()];
            LabelDisagreement d;
            d.criterion = it.key().section(QLatin1Char(':'), 1);
            d.criterionId = collected->criterionIds.value(it.key());
            d.a = targets.first;
            d.b = targets.second;
            const auto &byAnnotator = collected->itemLabels[it.key()][v.key()];
            for (auto l = byAnnotator.cbegin(); l != byAnnotator.cend(); ++l)
                d.labels.append({l.key(), l.value()});
            const QString adjKey = QString::number(d.criterionId) + QLatin1Char('/') + v.key();
            if (finalLabels.contains(adjKey))
                d.adjudicated = finalLabels.value(adjKey);
            result.append(d);
        }
    }
    return result;
}

} // namespace ts
