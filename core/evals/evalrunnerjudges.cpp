// EvalRunner's judges: which judge calls a landed answer owes (pointwise, or pairwise against
// the other variants' answers), their verdicts as they arrive, and what a failed call takes out
// of the totals.

#include "evals/evalrunner.h"

#include "evals/evaljudging.h"
#include "evals/evalplan.h"
#include "runs/generationwriter.h"
#include "runs/runengine.h"

namespace ts {

void EvalRunner::onJudge(const WorkItem &item, Generation g)
{
    const EvalPlan &plan = *m_plan;
    const PlannedJudge &judge = plan.judges[item.judgeIndex];
    if (g.status == GenerationStatus::Cancelled) {
        checkFinished();
        return;
    }
    g.runId = judge.runId;
    callDone();
    JudgmentRow row;
    row.evalId = plan.evalId;
    row.judgeId = judge.config.id;
    row.generationId = item.generationId;
    if (item.otherGenerationId)
        row.otherGenerationId = item.otherGenerationId;
    row.swapped = item.swapped;
    row.reading = readJudgeAnswer(judge.config, g);
    if (!row.reading.error.isEmpty())
        ++m_progress.errors;
    const bool pointwise = judge.config.kind != JudgeKind::Pairwise;
    if (pointwise && !g.ok()) {
        // The judge could not be reached: the judged sample has no verdict (an error, which
        // EvalResults leaves out too), rather than a failure.
        if (!m_judgeErrored.contains(item.generationId)
            && m_passByGeneration.contains(item.generationId)) {
            m_judgeErrored.insert(item.generationId);
            --m_progress.evaluated;
            if (m_passByGeneration.value(item.generationId)
                && !m_judgeFailed.contains(item.generationId))
                --m_progress.passed;
        }
    } else if (pointwise && !row.reading.pass.value_or(false)
               && !m_judgeFailed.contains(item.generationId)) {
        m_judgeFailed.insert(item.generationId);
        if (m_passByGeneration.value(item.generationId)
            && !m_judgeErrored.contains(item.generationId))
            --m_progress.passed;
    }
    ++m_pendingWrites;
    auto also = [row](Database &db, qint64 id) {
        JudgmentRow stored = row;
        stored.judgeGenerationId = id;
        return insertJudgment(db, stored);
    };
    m_engine->writer()->write(g, also, this, [this](Result<qint64> id) {
        --m_pendingWrites;
        if (!id)
            m_writeFailed = true;
        scheduleProgress();
        checkFinished();
    });
    pump();
}

void EvalRunner::queueJudges(int variant, int caseIndex, int sample, qint64 id,
                             const QString &output)
{
    const EvalPlan &plan = *m_plan;
    if (plan.judges.isEmpty())
        return;
    // Only pairwise judges pair a sample with the other variants' answers; without one,
    // nothing is kept per (case, sample) (on a large eval, one small hash per case adds up to
    // hundreds of megabytes).
    const bool pairwise
        = std::any_of(plan.judges.cbegin(), plan.judges.cend(),
                      [](const PlannedJudge &j) { return j.config.kind == JudgeKind::Pairwise; });
    QHash<int, Landed> noneLanded;
    QHash<int, Landed> &landed = pairwise ? m_landed[pairKey(caseIndex, sample)] : noneLanded;
    if (pairwise)
        landed.insert(variant, {id, output});
    for (int j = 0; j < plan.judges.size(); ++j) {
        const JudgeKind kind = plan.judges[j].config.kind;
        if (kind != JudgeKind::Pairwise) {
            if (plan.doneJudgments.contains(EvalPlan::judgmentKey(j, id, false)))
                continue;
            WorkItem item;
            item.judge = true;
            item.judgeIndex = j;
            item.variant = variant;
            item.caseIndex = caseIndex;
            item.sample = sample;
            item.generationId = id;
            item.output = output;
            m_judgeQueue.push_back(item);
            continue;
        }
        for (auto it = landed.cbegin(); it != landed.cend(); ++it) {
            if (it.key() == variant)
                continue;
            // The pair is stored under the lower variant's generation; swapped = 1 when the
            // higher one was shown as A.
            const bool mineFirst = variant < it.key();
            const Landed first = mineFirst ? Landed {id, output} : it.value();
            const Landed second = mineFirst ? it.value() : Landed {id, output};
            for (bool swapped : {false, true}) {
                if (plan.doneJudgments.contains(EvalPlan::judgmentKey(j, first.id, swapped)))
                    continue;
                WorkItem item;
                item.judge = true;
                item.judgeIndex = j;
                item.variant = std::min(variant, it.key());
                item.caseIndex = caseIndex;
                item.sample = sample;
                item.generationId = first.id;
                item.otherGenerationId = second.id;
                item.swapped = swapped;
                item.output = swapped ? second.output : first.output;
                item.otherOutput = swapped ? first.output : second.output;
                m_judgeQueue.push_back(item);
            }
        }
    }
}

void EvalRunner::callFailed(int variant, int caseIndex, int sample)
{
    // A failed generation is never judged: take its judge calls out of the total.
    const EvalPlan &plan = *m_plan;
    const QString key = pairKey(caseIndex, sample);
    for (const PlannedJudge &j : plan.judges) {
        if (j.config.kind != JudgeKind::Pairwise) {
            --m_progress.total;
            continue;
        }
        for (int other = 0; other < plan.variants.size(); ++other)
            if (other != variant
                && !m_failedCalls.contains(EvalPlan::callKey(other, caseIndex, sample)))
                m_progress.total -= 2;
    }
    m_failedCalls.insert(EvalPlan::callKey(variant, caseIndex, sample));
    Q_UNUSED(key);
}

} // namespace ts
