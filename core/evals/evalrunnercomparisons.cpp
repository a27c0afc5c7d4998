// EvalRunner's comparison assertions (select-best, max-score): every variant's answer to a
// case and sample is kept until all have answered, then they are decided together and stored.

#include "evals/evalrunner.h"

#include "evals/evaljudging.h"
#include "evals/evalplan.h"
#include "runs/generationwriter.h"
#include "runs/runengine.h"
#include "storage/database.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QPointer>
#include <QThreadPool>

namespace ts {

void EvalRunner::comparisonArrived(int variant, int caseIndex, int sample, ComparisonEntry entry)
{
    QHash<int, ComparisonEntry> &entries = m_comparisons[pairKey(caseIndex, sample)];
    entries.insert(variant, std::move(entry));
    if (entries.size() == m_plan->variants.size())
        decideComparisons(caseIndex, sample);
}

void EvalRunner::decideComparisons(int caseIndex, int sample)
{
    const QHash<int, ComparisonEntry> entries = m_comparisons.take(pairKey(caseIndex, sample));
    // Decided by an earlier attempt already when nothing new landed.
    const bool fresh = std::any_of(entries.cbegin(), entries.cend(),
                                   [](const ComparisonEntry &e) { return e.fresh; });
    QList<int> variants;
    QList<ComparisonEntry> answered;
    for (auto it = entries.cbegin(); it != entries.cend(); ++it)
        if (it->generationId > 0) {
            variants.append(it.key());
            answered.append(it.value());
        }
    if (!fresh || answered.isEmpty())
        return;
    const PlannedCase &pc = m_plan->cases[caseIndex];
    ++m_assessing;
    m_pool->start([this, caseIndex, sample, variants, answered, specs = pc.assertions,
                   threshold = pc.testCase.threshold, services = m_services] {
        QList<AssertionContext> contexts;
        QList<CaseVerdict> verdicts;
        QList<qint64> ids;
        for (const ComparisonEntry &e : answered) {
            AssertionContext ctx = e.context;
            ctx.services = services.get();
            // An answer of an earlier attempt: its other assertions are evaluated again.
            verdicts.append(e.verdict ? *e.verdict : evaluateCase(specs, ctx, threshold));
            contexts.append(ctx);
            ids.append(e.generationId);
        }
        QList<CaseVerdict> decided = evaluateComparisons(specs, contexts, verdicts, threshold);
        QMetaObject::invokeMethod(
            this,
            [this, caseIndex, sample, ids, variants, decided = std::move(decided)] {
                --m_assessing;
                comparisonsDecided(caseIndex, ids, variants, sample, decided);
                checkFinished();
            },
            Qt::QueuedConnection);
    });
}

void EvalRunner::comparisonsDecided(int caseIndex, const QList<qint64> &ids,
                                    const QList<int> &variants, int sample,
                                    const QList<CaseVerdict> &verdicts)
{
    if (m_state != State::Running)
        return; // cancelled: the verdicts stored so far stand, without the comparison
    const PlannedCase &pc = m_plan->cases[caseIndex];
    for (qsizetype i = 0; i < ids.size() && i < verdicts.size(); ++i) {
        const qint64 id = ids[i];
        const bool counted = !m_judgeFailed.contains(id) && !m_judgeErrored.contains(id);
        const bool before = m_passByGeneration.value(id);
        if (counted && before != verdicts[i].pass)
            m_progress.passed += verdicts[i].pass ? 1 : -1;
        m_passByGeneration.insert(id, verdicts[i].pass);
        EvalCellUpdate cell;
        cell.variant = variants[i];
        cell.testCaseId = pc.testCase.id;
        cell.sampleIndex = sample;
        cell.generationId = id;
        cell.ok = true;
        cell.output = QString(); // unchanged; views keep the text they have
        cell.pass = verdicts[i].pass;
        cell.score = verdicts[i].score;
        cell.reason = verdicts[i].reason;
        m_pendingCells.append(cell);
    }
    ++m_pendingWrites;
    m_engine->writer()->post([pc, ids, verdicts, self = QPointer<EvalRunner>(this)](Database &db) {
        Result<void> ok = [&]() -> Result<void> {
            auto tx = Transaction::begin(db);
            if (!tx)
                return fail(tx.error());
            auto clear = db.prepare(
                QStringLiteral("DELETE FROM assertion_results WHERE generation_id = ?"));
            if (!clear)
                return fail(clear.error());
            for (qsizetype i = 0; i < ids.size() && i < verdicts.size(); ++i) {
                clear->reset();
                clear->bind(1, ids[i]);
                if (auto done = clear->run(); !done)
                    return done;
                if (auto done = insertVerdict(db, ids[i], pc, verdicts[i]); !done)
                    return done;
            }
            return tx->commit();
        }();
        if (self)
            QMetaObject::invokeMethod(
                self,
                [self, failed = !ok] {
                    if (!self)
                        return;
                    --self->m_pendingWrites;
                    if (failed)
                        self->m_writeFailed = true;
                    self->scheduleProgress();
                    self->checkFinished();
                },
                Qt::QueuedConnection);
    });
    scheduleProgress();
}

} // namespace ts
