#include "evals/evalplan.h"

#include "runs/promptrenderer.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <numeric>

namespace ts {

namespace {

/// Output tokens assumed for a model with no max_tokens and no answers yet.
constexpr int kDefaultOutputTokens = 256;

qint64 estimatedChars(const QList<ChatMessage> &messages)
{
    qint64 chars = 0;
    for (const ChatMessage &m : messages)
        chars += m.content.size();
    return chars;
}

int averageOutputTokens(Database &db, const ModelConfig &model, const GenerationParams &params)
{
    if (params.maxTokens)
        return *params.maxTokens;
    auto stmt = db.prepare(QStringLiteral(
        "SELECT avg(g.output_tokens) FROM generations g JOIN runs r ON r.id = g.run_id "
        "WHERE r.model_id = ? AND g.status = 'ok' AND g.output_tokens IS NOT NULL"));
    if (stmt) {
        stmt->bind(1, model.id);
        if (auto row = stmt->step(); row && *row && !stmt->isNull(0))
            return std::max(1, int(stmt->real(0) + 0.5));
    }
    return kDefaultOutputTokens;
}

} // namespace

void estimateEval(Database &db, EvalPlan &plan)
{
    EvalEstimate &e = plan.estimate;
    const EvalConfig &c = plan.config;
    e.evalId = plan.evalId;
    e.cases = int(plan.cases.size());
    e.variants = int(plan.variants.size());
    e.samples = c.samples;
    e.generationCalls = e.cases * e.variants * c.samples;
    const int pairs = e.variants * (e.variants - 1) / 2;
    for (const PlannedJudge &j : plan.judges)
        e.judgeCalls += j.config.kind == JudgeKind::Pairwise ? 2 * pairs * e.cases * c.samples
                                                             : e.generationCalls;
    e.totalCalls = e.generationCalls + e.judgeCalls;
    e.alreadyDone = int(plan.done.size() + plan.doneJudgments.size());
    double cost = 0;
    bool anyPrice = false;
    QList<int> outTokens;
    for (qsizetype v = 0; v < plan.variants.size(); ++v) {
        const PlannedVariant &pv = plan.variants[v];
        const int out = averageOutputTokens(db, pv.model, pv.params);
        outTokens.append(out);
        qint64 in = 0;
        qint64 calls = 0;
        for (const PlannedCase &pc : plan.cases) {
            for (int s = 0; s < c.samples; ++s) {
                if (plan.done.contains(EvalPlan::callKey(int(v), pc.testCase.id, s)))
                    continue;
                auto messages = renderPrompt(pv.version.content, pc.testCase.data.vars);
                in += messages ? (estimatedChars(*messages) + 3) / 4 : 0;
                ++calls;
            }
        }
        e.inputTokens += in;
        e.outputTokens += calls * out;
        if (auto price = pv.model.cost(in, calls * out)) {
            cost += *price;
            anyPrice = true;
        } else if (calls > 0 && !e.modelsWithoutPrices.contains(pv.model.name)) {
            e.modelsWithoutPrices << pv.model.name;
        }
    }
    const int avgOut = outTokens.isEmpty()
        ? kDefaultOutputTokens
        : std::accumulate(outTokens.begin(), outTokens.end(), 0) / int(outTokens.size());
    for (const PlannedJudge &j : plan.judges) {
        const qint64 perCall = j.config.kind == JudgeKind::Pairwise
            ? e.cases ? qint64(2 * pairs * e.cases * c.samples) : 0
            : qint64(e.generationCalls);
        qint64 templateChars = 0;
        for (const PromptMessage &m : j.prompt.content.messages)
            templateChars += m.text.size();
        const qint64 in = perCall
            * (templateChars / 4 + avgOut * (j.config.kind == JudgeKind::Pairwise ? 2 : 1));
        const qint64 out = perCall * averageOutputTokens(db, j.model, j.params);
        e.inputTokens += in;
        e.outputTokens += out;
        if (auto price = j.model.cost(in, out)) {
            cost += *price;
            anyPrice = true;
        } else if (perCall > 0 && !e.modelsWithoutPrices.contains(j.model.name)) {
            e.modelsWithoutPrices << j.model.name;
        }
    }
    if (anyPrice)
        e.cost = cost;
}

} // namespace ts
