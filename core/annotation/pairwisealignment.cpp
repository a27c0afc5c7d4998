#include "annotation/pairwisealignment.h"

#include "annotation/agreement.h"
#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "common/json.h"
#include "evals/judgeverdict.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QHash>
#include <QMap>

namespace ts {

namespace {

const QString overall = QStringLiteral("overall preference");

/// 0: the lower generation id wins, 1: the higher one, 2: tie.
using Outcome = int;

QString outcomeName(Outcome o)
{
    return o == 0 ? QStringLiteral("first")
        : o == 1  ? QStringLiteral("second")
                  : QStringLiteral("tie");
}

/// The pair in a canonical order (lower generation id first) and whether (x, y) was swapped.
std::pair<QString, bool> canonical(qint64 x, qint64 y)
{
    const qint64 lo = std::min(x, y);
    const qint64 hi = std::max(x, y);
    return {QStringLiteral("%1|%2").arg(lo).arg(hi), x > y};
}

/// A choice of "x" over "y" (a: x wins) in canonical terms.
Outcome toCanonical(Choice choice, bool swapped)
{
    if (choice == Choice::Tie || choice == Choice::BothBad)
        return 2;
    const bool xWins = choice == Choice::A;
    return xWins != swapped ? 0 : 1;
}

/// Human verdicts per canonical pair of generations.
Result<std::pair<QHash<QString, Outcome>, QString>> humanVerdicts(Database &db,
                                                                  const QString &criterion)
{
    LabelStore store(db);
    auto preferences = store.preferences();
    if (!preferences)
        return fail(preferences.error());
    const bool hasCriterion
        = std::any_of(preferences->cbegin(), preferences->cend(),
                      [&](const Preference &p) { return p.criterion == criterion; });
    const QString used = hasCriterion ? criterion : overall;
    qint64 criterionId = 0;
    if (hasCriterion) {
        auto c = CriterionStore(db).latest(criterion);
        if (!c)
            return fail(c.error());
        criterionId = c->criterionId;
    }
    QHash<QString, std::array<int, 3>> votes;
    for (const Preference &p : std::as_const(*preferences)) {
        if ((hasCriterion ? p.criterion != criterion : p.criterionVersionId != 0)
            || p.a.kind != Target::Kind::Generation || p.b.kind != Target::Kind::Generation)
            continue;
        const auto [key, swapped] = canonical(p.a.id, p.b.id);
        votes[key][toCanonical(p.choice, swapped)] += 1;
    }
    QHash<QString, Outcome> verdicts;
    for (auto it = votes.cbegin(); it != votes.cend(); ++it) {
        const auto &v = it.value();
        for (int o = 0; o < 3; ++o)
            if (v[o] > v[(o + 1) % 3] && v[o] > v[(o + 2) % 3])
                verdicts.insert(it.key(), o);
    }
    auto adjudications = store.adjudications(criterionId);
    if (!adjudications)
        return fail(adjudications.error());
    for (const Adjudication &a : std::as_const(*adjudications)) {
        if (!a.b || a.a.kind != Target::Kind::Generation || a.b->kind != Target::Kind::Generation)
            continue;
        const auto choice = parseChoice(a.value);
        if (!choice)
            continue;
        const auto [key, swapped] = canonical(a.a.id, a.b->id);
        verdicts.insert(key, toCanonical(*choice, swapped));
    }
    return std::pair {verdicts, used};
}

judge::PairwiseChoice winnerOf(const QString &verdictText)
{
    const auto verdict = parseJson(verdictText).value_or(nlohmann::json::object());
    const std::string w = verdict.is_object() ? verdict.value("winner", std::string("tie")) : "tie";
    return w == "A" ? judge::PairwiseChoice::A
        : w == "B"  ? judge::PairwiseChoice::B
                    : judge::PairwiseChoice::Tie;
}

} // namespace

Result<QList<PairwiseJudgeAlignment>> alignPairwiseJudges(Database &db, qint64 evalId,
                                                          const QString &criterion)
{
    auto human = humanVerdicts(db, criterion);
    if (!human)
        return fail(human.error());
    const QHash<QString, Outcome> &verdicts = human->first;

    // Both orders of each pair, per judge and judge prompt version (the newest row wins).
    struct Rows
    {
        QString judge;
        qint64 judgeId = 0;
        int version = 0;
        qint64 first = 0;
        qint64 second = 0;
        std::optional<judge::PairwiseChoice> order[2];
    };
    QMap<QString, Rows> rows;
    auto st = db.prepare(QStringLiteral(
        "SELECT j.judge_id, coalesce(d.name, 'judge'), coalesce(pv.number, 0), j.generation_id, "
        "j.other_generation_id, j.swapped, j.verdict, j.error FROM judgments j "
        "JOIN judges d ON d.id = j.judge_id "
        "LEFT JOIN generations jg ON jg.id = j.judge_generation_id "
        "LEFT JOIN runs jr ON jr.id = jg.run_id "
        "LEFT JOIN prompt_versions pv ON pv.id = jr.prompt_version_id "
        "WHERE j.eval_id = ? AND d.kind = 'pairwise' AND j.other_generation_id IS NOT NULL "
        "ORDER BY j.id"));
    if (!st)
        return fail(st.error());
    st->bind(1, evalId);
    for (;;) {
        auto row = st->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        const int version = int(st->int64(2));
        const QString key = QStringLiteral("%1@%2:%3:%4")
                                .arg(st->text(1))
                                .arg(version, 4, 10, QLatin1Char('0'))
                                .arg(st->int64(3))
                                .arg(st->int64(4));
        Rows &r = rows[key];
        r.judgeId = st->int64(0);
        r.judge = st->text(1);
        r.version = version;
        r.first = st->int64(3);
        r.second = st->int64(4);
        const int order = st->int64(5) ? 1 : 0;
        if (st->optionalText(7) || st->isNull(6))
            r.order[order].reset();
        else
            r.order[order] = winnerOf(st->text(6));
    }

    struct Check
    {
        PairwiseJudgeAlignment result;
        QList<QString> humanValues;
        QList<QString> judgeValues;
    };
    QMap<QString, Check> checks;
    for (const Rows &r : std::as_const(rows)) {
        if (!r.order[0] || !r.order[1])
            continue;
        const auto [key, swapped] = canonical(r.first, r.second);
        const auto found = verdicts.constFind(key);
        if (found == verdicts.constEnd())
            continue;
        const judge::CombinedPairwise c = judge::combineBothOrders(*r.order[0], *r.order[1]);
        const Choice judged = !c.consistent || c.winner == judge::PairwiseChoice::Tie ? Choice::Tie
            : c.winner == judge::PairwiseChoice::A                                    ? Choice::A
                                                                                      : Choice::B;
        const Outcome judgeOutcome = toCanonical(judged, swapped);
        const QString checkKey
            = QStringLiteral("%1@%2").arg(r.judge).arg(r.version, 4, 10, QLatin1Char('0'));
        Check &check = checks[checkKey];
        PairwiseJudgeAlignment &a = check.result;
        a.name = r.version > 0 ? QStringLiteral("%1@v%2").arg(r.judge).arg(r.version) : r.judge;
        a.judgeId = r.judgeId;
        a.judgeVersion = r.version;
        a.humanCriterion = human->second;
        ++a.pairs;
        a.inconsistent += c.consistent ? 0 : 1;
        a.confusion[*found][judgeOutcome] += 1;
        if (*found == judgeOutcome)
            ++a.agreements;
        else
            a.disagreements.append(
                {Target {Target::Kind::Generation, std::min(r.first, r.second)},
                 Target {Target::Kind::Generation, std::max(r.first, r.second)}});
        check.humanValues.append(outcomeName(*found));
        check.judgeValues.append(outcomeName(judgeOutcome));
    }

    QList<PairwiseJudgeAlignment> result;
    for (Check &check : checks) {
        PairwiseJudgeAlignment &a = check.result;
        if (a.pairs > 0)
            a.accuracy = double(a.agreements) / a.pairs;
        a.cohenKappa = agreement::cohenKappa(check.humanValues, check.judgeValues);
        result.append(a);
    }
    return result;
}

} // namespace ts
