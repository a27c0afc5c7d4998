#include "annotate/agreementquery.h"

#include "annotation/agreementreport.h"

#include "annotation/criterionstore.h"
#include "annotation/queuestore.h"
#include "storage/database.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>

namespace ts {

namespace {

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
    // The numbers come from core (the CLI's `agreement --queue` prints the same); the view adds
    // what a person recognises an item by and each annotator's position bias.
    QueueStore queues(db);
    auto queue = queues.queue(queueId);
    if (!queue)
        return fail(queue.error());
    auto items = queues.items(queueId);
    if (!items)
        return fail(items.error());
    QHash<QString, const QueueItem *> byKey;
    for (const QueueItem &item : *items)
        byKey.insert(item.key(), &item);

    AgreementScope scope;
    scope.queue = queue->name;
    auto measured = measureAgreement(db, scope);
    if (!measured)
        return fail(measured.error());
    auto disagreements = findDisagreements(db, scope);
    if (!disagreements)
        return fail(disagreements.error());

    const QString overall = QObject::tr("Overall preference");
    auto displayName = [&overall](const QString &name, bool pairwise, qint64 criterionId) {
        if (pairwise && criterionId == 0)
            return overall;
        return pairwise ? name + QObject::tr(" (pairwise)") : name;
    };
    AgreementReport report;
    for (const AgreementOnCriterion &c : *measured)
        report.criteria.append(
            {displayName(c.name, c.pairwise, c.criterionId), c.criterionId, c.pairwise, c.stats});
    for (const LabelDisagreement &d : *disagreements) {
        Disagreement row;
        row.pairwise = d.b.has_value();
        row.criterion = displayName(d.criterion, row.pairwise, d.criterionId);
        row.criterionId = d.criterionId;
        row.a = d.a;
        row.b = d.b;
        const QString key = d.b ? d.a.key() + QLatin1Char('|') + d.b->key() : d.a.key();
        if (const QueueItem *item = byKey.value(key))
            row.preview = previewOf(*item);
        row.labels = d.labels;
        row.finalValue = d.adjudicated;
        report.disagreements.append(row);
    }
    auto bias = LabelStore(db).positionBias();
    if (!bias)
        return fail(bias.error());
    report.positionBias = *bias;
    return report;
}

} // namespace ts
