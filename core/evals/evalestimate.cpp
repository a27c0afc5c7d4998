#include "evals/evalplan.h"

#include "runs/promptrenderer.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QHash>
#include <QMutex>

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

// Above this many calls to make, the input tokens are measured on an even sample of the calls
// (every k-th) and scaled: rendering 100,000 cases to estimate took seconds, and the estimate is
// chars / 4 anyway, so a sample of 2,000 changes the answer by far less than that approximation.
constexpr qint64 kRenderAllUpTo = 20000;
constexpr qint64 kRenderSample = 2000;

struct AverageCache
{
    QMutex mutex;
    // (project path, model id) -> ((newest run of the model, newest generation), average)
    QHash<std::pair<QString, qint64>, std::pair<std::pair<qint64, qint64>, int>> averages;
};

AverageCache &averageCache()
{
    static AverageCache cache;
    return cache;
}

// The model's output tokens per answer, from its newest answers: at most the 1,000 newest ok
// generations of its 200 newest runs (indexes runs_by_model and generations_by_run_order), so
// a project with a million generations reads a thousand rows, not all of them. Cached per
// project and model.
int averageOutputTokens(Database &db, const ModelConfig &model, const GenerationParams &params)
{
    if (params.maxTokens)
        return *params.maxTokens;
    // Valid while the model has no newer run and no generation was added anywhere (both are
    // index lookups).
    auto newest = db.prepare(QStringLiteral(
        "SELECT (SELECT max(id) FROM runs WHERE model_id = ?), (SELECT max(id) FROM generations)"));
    if (!newest)
        return kDefaultOutputTokens;
    newest->bind(1, model.id);
    auto row = newest->step();
    if (!row || !*row || newest->isNull(0))
        return kDefaultOutputTokens;
    const std::pair<qint64, qint64> stamp {newest->int64(0), newest->int64(1)};
    const auto key = std::make_pair(db.path(), model.id);
    AverageCache &cache = averageCache();
    {
        const QMutexLocker lock(&cache.mutex);
        if (auto it = cache.averages.constFind(key);
            it != cache.averages.cend() && it->first == stamp)
            return it->second;
    }
    int average = kDefaultOutputTokens;
    auto stmt = db.prepare(
        QStringLiteral("SELECT avg(t) FROM (SELECT g.output_tokens AS t "
                       "FROM (SELECT id FROM runs WHERE model_id = ? ORDER BY id DESC LIMIT 200) r "
                       "JOIN generations g ON g.run_id = r.id "
                       "WHERE g.status = 'ok' AND g.output_tokens IS NOT NULL LIMIT 1000)"));
    if (stmt) {
        stmt->bind(1, model.id);
        if (auto avg = stmt->step(); avg && *avg && !stmt->isNull(0))
            average = std::max(1, int(stmt->real(0) + 0.5));
    }
    const QMutexLocker lock(&cache.mutex);
    cache.averages.insert(key, {stamp, average});
    return average;
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
        // The calls still to make, then their input tokens: all rendered for up to
        // kRenderAllUpTo calls, an even sample scaled to the rest above that.
        QList<const PlannedCase *> todo;
        for (const PlannedCase &pc : plan.cases)
            for (int s = 0; s < c.samples; ++s)
                if (!plan.done.contains(EvalPlan::callKey(int(v), pc.testCase.id, s)))
                    todo.append(&pc);
        const qint64 calls = todo.size();
        const qint64 step = calls > kRenderAllUpTo ? calls / kRenderSample : 1;
        qint64 sampledTokens = 0;
        qint64 sampled = 0;
        for (qint64 i = 0; i < calls; i += step) {
            auto messages = renderPrompt(pv.version.content, todo[i]->testCase.data.vars);
            sampledTokens += messages ? (estimatedChars(*messages) + 3) / 4 : 0;
            ++sampled;
        }
        const qint64 in = sampled ? qint64(double(sampledTokens) * calls / sampled + 0.5) : 0;
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
