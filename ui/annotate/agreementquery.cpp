#include "annotate/agreementquery.h"

#include "annotation/criterionstore.h"
#include "annotation/queuestore.h"
#include "storage/database.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>

namespace ts {

namespace {

QString pairValue(Choice choice)
{
    switch (choice) {
    case Choice::A:
        return QStringLiteral("first");
    case Choice::B:
        return QStringLiteral("second");
    case Choice::Tie:
        return QStringLiteral("tie");
    case Choice::BothBad:
        return QStringLiteral("both bad");
    }
    return {};
}

/// The first line a person recognises an item by: the last user message or the variables.
QString previewOf(const QueueItem &item)
{
    QString text;
    const nlohmann::json &input = item.input;
    if (input.contains("messages") && input["messages"].is_array()) {
        for (const auto &m : input["messages"])
            if (m.is_object() && m.value("role", std::string()) == "user" && m.contains("content")
                && m["content"].is_string())
                text = QString::fromStdString(m["content"].get<std::string>());
    } else if (input.contains("variables") && input["variables"].is_object()) {
        QStringList parts;
        for (auto it = input["variables"].begin(); it != input["variables"].end(); ++it)
            parts << QString::fromStdString(it.key()) + QStringLiteral(": ")
                    + (it->is_string() ? QString::fromStdString(it->get<std::string>())
                                       : QString::fromStdString(it->dump()));
        text = parts.join(QStringLiteral(" · "));
    }
    if (text.isEmpty())
        text = item.outputA.value_or(QString());
    text = text.simplified();
    return text.size() > 140 ? text.left(139) + QChar(0x2026) : text;
}

struct Group
{
    QString name;
    qint64 criterionId = 0;
    bool pairwise = false;
    QList<agreement::Rating> ratings;
    QMap<QString, std::pair<Target, std::optional<Target>>> targets; ///< item key -> targets
};

} // namespace

QString kappaText(const std::optional<double> &kappa)
{
    if (!kappa)
        return QStringLiteral("—");
    return QStringLiteral("%1 (%2)").arg(QString::number(*kappa, 'f', 2),
                                         agreement::landisKoch(*kappa));
}

Result<AgreementReport> queueAgreement(Database &db, qint64 queueId)
{
    QueueStore queues(db);
    auto items = queues.items(queueId);
    if (!items)
        return fail(items.error());
    QHash<QString, const QueueItem *> byKey;
    for (const QueueItem &item : *items)
        byKey.insert(item.key(), &item);

    LabelStore store(db);
    CriterionStore criteria(db);
    LabelQuery query;
    query.queueId = queueId;
    QMap<QString, Group> groups; // by name, so the table reads in a stable order
    QHash<qint64, qint64> criterionOfVersion;

    auto labels = store.labels(query);
    if (!labels)
        return fail(labels.error());
    for (const Label &l : *labels) {
        if (l.value == LabelValue::Skip)
            continue;
        if (!criterionOfVersion.contains(l.criterionVersionId)) {
            auto version = criteria.version(l.criterionVersionId);
            if (!version)
                return fail(version.error());
            criterionOfVersion.insert(l.criterionVersionId, version->criterionId);
        }
        Group &g = groups[l.criterion];
        g.name = l.criterion;
        g.criterionId = criterionOfVersion.value(l.criterionVersionId);
        g.ratings.append({l.target.key(), l.annotator, labelValueName(l.value)});
        g.targets.insert(l.target.key(), {l.target, std::nullopt});
    }

    auto preferences = store.preferences(query);
    if (!preferences)
        return fail(preferences.error());
    const QString overall = QObject::tr("Overall preference");
    for (const Preference &p : *preferences) {
        const QString name
            = p.criterionVersionId == 0 ? overall : p.criterion + QObject::tr(" (pairwise)");
        qint64 criterionId = 0;
        if (p.criterionVersionId != 0) {
            if (!criterionOfVersion.contains(p.criterionVersionId)) {
                auto version = criteria.version(p.criterionVersionId);
                if (!version)
                    return fail(version.error());
                criterionOfVersion.insert(p.criterionVersionId, version->criterionId);
            }
            criterionId = criterionOfVersion.value(p.criterionVersionId);
        }
        Group &g = groups[name];
        g.name = name;
        g.criterionId = criterionId;
        g.pairwise = true;
        const QString key = p.a.key() + QLatin1Char('|') + p.b.key();
        g.ratings.append({key, p.annotator, pairValue(p.choice)});
        g.targets.insert(key, {p.a, p.b});
    }

    auto adjudications = store.adjudications();
    if (!adjudications)
        return fail(adjudications.error());
    QHash<QString, QString> finals; // "criterionId/itemKey" -> value
    for (const Adjudication &a : *adjudications) {
        const QString key = a.b ? a.a.key() + QLatin1Char('|') + a.b->key() : a.a.key();
        finals.insert(QString::number(a.criterionId) + QLatin1Char('/') + key, a.value);
    }

    AgreementReport report;
    for (const Group &g : groups) {
        report.criteria.append({g.name, g.criterionId, g.pairwise, agreement::measure(g.ratings)});
        QMap<QString, QMap<QString, QString>> byItem; // item -> annotator -> value
        for (const agreement::Rating &r : g.ratings)
            byItem[r.item].insert(r.annotator, r.value);
        for (auto it = byItem.begin(); it != byItem.end(); ++it) {
            const QList<QString> values = it->values();
            if (QSet<QString>(values.begin(), values.end()).size() < 2)
                continue;
            Disagreement d;
            d.criterion = g.name;
            d.criterionId = g.criterionId;
            d.pairwise = g.pairwise;
            d.a = g.targets.value(it.key()).first;
            d.b = g.targets.value(it.key()).second;
            if (const QueueItem *item = byKey.value(it.key()))
                d.preview = previewOf(*item);
            for (auto l = it->begin(); l != it->end(); ++l)
                d.labels.append({l.key(), l.value()});
            const QString finalKey = QString::number(g.criterionId) + QLatin1Char('/') + it.key();
            if (finals.contains(finalKey))
                d.finalValue = finals.value(finalKey);
            report.disagreements.append(d);
        }
    }
    auto bias = store.positionBias();
    if (!bias)
        return fail(bias.error());
    report.positionBias = *bias;
    return report;
}

} // namespace ts
