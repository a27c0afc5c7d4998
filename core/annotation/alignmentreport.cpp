#include "annotation/alignmentreport.h"

#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QHash>
#include <QMap>

namespace ts {

namespace {

/// generation id -> passed, by people.
Result<QHash<qint64, bool>> humanVerdicts(Database &db, qint64 criterionId)
{
    LabelStore store(db);
    LabelQuery query;
    query.criterionId = criterionId;
    auto labels = store.labels(query);
    if (!labels)
        return fail(labels.error());
    QHash<qint64, std::pair<int, int>> votes; // yes, no
    for (const Label &l : *labels) {
        if (l.target.kind != Target::Kind::Generation || l.value == LabelValue::Skip)
            continue;
        auto &v = votes[l.target.id];
        (l.value == LabelValue::Yes ? v.first : v.second) += 1;
    }
    QHash<qint64, bool> verdicts;
    for (auto it = votes.cbegin(); it != votes.cend(); ++it)
        if (it->first != it->second)
            verdicts.insert(it.key(), it->first > it->second);
    auto adjudications = store.adjudications(criterionId);
    if (!adjudications)
        return fail(adjudications.error());
    for (const Adjudication &a : *adjudications)
        if (a.a.kind == Target::Kind::Generation && !a.b)
            verdicts.insert(a.a.id, a.value == QLatin1String("yes"));
    return verdicts;
}

} // namespace

Result<QList<CheckAlignment>> alignChecks(Database &db, qint64 evalId, const QString &criterion)
{
    auto c = CriterionStore(db).latest(criterion);
    if (!c)
        return fail(c.error());
    auto human = humanVerdicts(db, c->criterionId);
    if (!human)
        return fail(human.error());
    if (human->isEmpty())
        return fail(ErrorCode::NotFound,
                    QStringLiteral("No generation of eval %1 has a human verdict on \"%2\" yet.")
                        .arg(evalId).arg(criterion));

    struct Check
    {
        QString name;
        QString kind;
        int version = 0;
        QList<agreement::Verdicts> pairs;
        QList<Target> disagreements;
    };
    QMap<QString, Check> checks;
    auto add = [&](const QString &key, const QString &name, const QString &kind, int version,
                   qint64 generation, bool pass) {
        const auto found = human->constFind(generation);
        if (found == human->constEnd())
            return;
        Check &check = checks[key];
        check.name = name;
        check.kind = kind;
        check.version = version;
        check.pairs.append({*found, pass});
        if (*found != pass)
            check.disagreements.append(Target{Target::Kind::Generation, generation});
    };

    auto assertions = db.prepare(QStringLiteral(
        "SELECT ar.generation_id, ar.position, ar.type, coalesce(ar.value, ''), ar.pass "
        "FROM assertion_results ar JOIN generations g ON g.id = ar.generation_id "
        "JOIN eval_variants ev ON ev.run_id = g.run_id WHERE ev.eval_id = ? "
        "ORDER BY ar.position"));
    if (!assertions)
        return fail(assertions.error());
    assertions->bind(1, evalId);
    for (;;) {
        auto row = assertions->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        const int position = int(assertions->int64(1));
        QString value = assertions->text(3);
        if (value.size() > 40)
            value = value.left(39) + QChar(0x2026);
        const QString name = QStringLiteral("%1 #%2 %3").arg(assertions->text(2)).arg(position + 1).arg(value);
        add(QStringLiteral("a:%1").arg(position, 4, 10, QLatin1Char('0')), name.trimmed(),
            QStringLiteral("assertion"), 0, assertions->int64(0), assertions->int64(4) != 0);
    }

    auto judgments = db.prepare(QStringLiteral(
        "SELECT j.generation_id, coalesce(d.name, 'judge'), coalesce(pv.number, 0), j.pass "
        "FROM judgments j LEFT JOIN judges d ON d.id = j.judge_id "
        "LEFT JOIN generations jg ON jg.id = j.judge_generation_id "
        "LEFT JOIN runs jr ON jr.id = jg.run_id "
        "LEFT JOIN prompt_versions pv ON pv.id = jr.prompt_version_id "
        "WHERE j.eval_id = ? AND j.other_generation_id IS NULL AND j.pass IS NOT NULL"));
    if (!judgments)
        return fail(judgments.error());
    judgments->bind(1, evalId);
    for (;;) {
        auto row = judgments->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        const QString judge = judgments->text(1);
        const int version = int(judgments->int64(2));
        add(QStringLiteral("j:%1@%2").arg(judge).arg(version, 4, 10, QLatin1Char('0')),
            version > 0 ? QStringLiteral("%1@v%2").arg(judge).arg(version) : judge,
            QStringLiteral("judge"), version, judgments->int64(0), judgments->int64(3) != 0);
    }

    QList<CheckAlignment> result;
    for (const Check &check : std::as_const(checks))
        result.append({check.name, check.kind, check.version, agreement::align(check.pairs),
                       check.disagreements});
    return result;
}

} // namespace ts
