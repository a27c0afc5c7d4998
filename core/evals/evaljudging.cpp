#include "evals/evaljudging.h"

#include "common/json.h"
#include "evals/evalplan.h"
#include "evals/judgeverdict.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"

namespace ts {

nlohmann::json judgeVariables(const JudgeConfig &judge, const PlannedCase &testCase,
                              const QString &output, const QString &otherOutput)
{
    const TestCaseData &data = testCase.testCase.data;
    nlohmann::json vars = data.vars.is_object() ? data.vars : nlohmann::json::object();
    if (judge.kind == JudgeKind::Pairwise) {
        vars["output_a"] = sstr(output);
        vars["output_b"] = sstr(otherOutput);
    } else {
        vars["output"] = sstr(output);
    }
    vars["rubric"] = sstr(judge.rubric);
    vars["expected"] = sstr(data.expected.value_or(QString()));
    vars["vars"] = data.vars.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    return vars;
}

JudgeReading readJudgeAnswer(const JudgeConfig &judge, const Generation &call)
{
    JudgeReading r;
    if (!call.ok()) {
        r.error = QStringLiteral("Judge call failed: %1")
                      .arg(call.error ? call.error->message : generationStatusName(call.status));
        return r;
    }
    switch (judge.kind) {
    case JudgeKind::Pointwise: {
        auto v = judge::parsePointwise(call.output, judge.scale);
        if (!v) {
            r.error = v.error().message;
            return r;
        }
        r.pass = v->pass;
        r.score = v->score;
        r.reason = v->reason;
        r.verdict = {{"pass", v->pass}, {"score", v->score}, {"reason", sstr(v->reason)}};
        return r;
    }
    case JudgeKind::Factuality: {
        auto v = judge::parseFactuality(call.output);
        if (!v) {
            r.error = v.error().message;
            return r;
        }
        r.pass = v->pass;
        r.score = v->pass ? 1.0 : 0.0;
        r.reason = v->reason;
        r.verdict = {{"category", sstr(QString(v->category))},
                     {"pass", v->pass},
                     {"reason", sstr(v->reason)}};
        return r;
    }
    case JudgeKind::Pairwise: {
        auto v = judge::parsePairwise(call.output);
        if (!v) {
            r.error = v.error().message;
            return r;
        }
        const char *winner = v->winner == judge::PairwiseChoice::A ? "A"
            : v->winner == judge::PairwiseChoice::B                ? "B"
                                                                   : "tie";
        r.reason = v->reason;
        r.verdict = {{"winner", winner}, {"reason", sstr(v->reason)}};
        return r;
    }
    }
    return r;
}

Result<void> insertJudgment(Database &db, const JudgmentRow &row)
{
    auto stmt = db.prepare(QStringLiteral(
        "INSERT INTO judgments(eval_id, judge_id, generation_id, other_generation_id, swapped, "
        "judge_generation_id, verdict, pass, score, reason, error, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    const JudgeReading &r = row.reading;
    stmt->bind(1, row.evalId)
        .bind(2, row.judgeId)
        .bind(3, row.generationId)
        .bind(4, row.otherGenerationId)
        .bind(5, row.swapped)
        .bind(6, row.judgeGenerationId)
        .bind(7, r.verdict.is_null() ? std::optional<QString>() : toJsonText(r.verdict))
        .bind(8, r.pass)
        .bind(9, r.score)
        .bind(10, r.reason)
        .bind(11, r.error.isEmpty() ? std::optional<QString>() : r.error)
        .bind(12, nowUtc());
    return stmt->run();
}

Result<void> insertVerdict(Database &db, qint64 generationId, const PlannedCase &testCase,
                           const CaseVerdict &verdict)
{
    auto stmt = db.prepare(QStringLiteral(
        "INSERT INTO assertion_results(generation_id, assertion_id, position, type, value, weight, "
        "pass, score, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!stmt)
        return fail(stmt.error());
    for (qsizetype i = 0; i < verdict.outcomes.size() && i < testCase.assertions.size(); ++i) {
        const AssertionSpec &spec = testCase.assertions[i];
        const AssertionOutcome &o = verdict.outcomes[i];
        if (o.pending)
            continue; // select-best / max-score not decided yet: stored once they are
        stmt->reset();
        stmt->bind(1, generationId)
            .bind(2, testCase.assertionIds.value(i))
            .bind(3, int(i))
            .bind(4, spec.type)
            .bind(5, spec.value.is_null() ? std::optional<QString>() : toJsonText(spec.value))
            .bind(6, spec.weight)
            .bind(7, o.pass)
            .bind(8, o.score)
            .bind(9, o.reason);
        if (auto ok = stmt->run(); !ok)
            return ok;
    }
    auto cv = db.prepare(QStringLiteral("INSERT OR REPLACE INTO case_verdicts(generation_id, pass, "
                                        "score, reason) VALUES (?, ?, ?, ?)"));
    if (!cv)
        return fail(cv.error());
    cv->bind(1, generationId).bind(2, verdict.pass).bind(3, verdict.score).bind(4, verdict.reason);
    return cv->run();
}

} // namespace ts
