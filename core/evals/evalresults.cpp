#include "evals/evalresults.h"

#include "common/json.h"
#include "runs/generationwriter.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QHash>

namespace ts {

namespace {

template<typename Fn> Result<void> eachRow(Database &db, const QString &sql, qint64 bound, Fn fn)
{
    auto stmt = db.prepare(sql);
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, bound);
    while (true) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            return {};
        fn(*stmt);
    }
}

struct Where
{
    int caseIndex = -1;
    int variant = -1;
    int sample = 0;
};

QString signedNumber(double v)
{
    return (v >= 0 ? QStringLiteral("+") : QString()) + QString::number(v, 'f', 3);
}

} // namespace

int EvalCell::passes() const
{
    int n = 0;
    for (const EvalSample &s : samples)
        n += s.hasVerdict() && s.pass ? 1 : 0;
    return n;
}

int EvalCell::outputs() const
{
    int n = 0;
    for (const EvalSample &s : samples)
        n += s.hasVerdict() ? 1 : 0;
    return n;
}

int EvalCell::errors() const
{
    return int(samples.size()) - outputs();
}

bool EvalCell::pass() const
{
    const int n = outputs();
    return n > 0 && passes() == n;
}

bool EvalCell::flaky() const
{
    const int p = passes();
    return p > 0 && p < outputs();
}

double EvalCell::meanScore() const
{
    double sum = 0;
    int n = 0;
    for (const EvalSample &s : samples)
        if (s.hasVerdict()) {
            sum += s.score;
            ++n;
        }
    return n ? sum / double(n) : 0;
}

QList<bool> EvalCell::verdicts() const
{
    QList<bool> list;
    for (const EvalSample &s : samples)
        if (s.hasVerdict())
            list.append(s.pass);
    return list;
}

const EvalSample *EvalCell::sample(int index) const
{
    for (const EvalSample &s : samples)
        if (s.sampleIndex == index)
            return &s;
    return nullptr;
}

Result<qint64> EvalResults::latestEvalId(Database &db)
{
    qint64 id = 0;
    auto ok = eachRow(db, QStringLiteral("SELECT coalesce(max(id), 0) FROM evals WHERE id > ?"), 0,
                      [&](const Statement &s) { id = s.int64(0); });
    if (!ok)
        return fail(ok.error());
    return id;
}

Result<EvalResults> EvalResults::load(Database &db, qint64 evalId)
{
    EvalResults r;
    r.evalId = evalId;
    bool found = false;
    std::optional<qint64> datasetId;
    auto ok = eachRow(db,
                      QStringLiteral("SELECT name, status, samples, dataset_id, created_at, "
                                     "coalesce(finished_at, '') FROM evals WHERE id = ?"),
                      evalId, [&](const Statement &s) {
                          found = true;
                          r.name = s.text(0);
                          r.status = s.text(1);
                          r.samples = int(s.int64(2));
                          datasetId = s.optionalInt(3);
                          r.createdAt = s.text(4);
                          r.finishedAt = s.text(5);
                      });
    if (!ok)
        return fail(ok.error());
    if (!found)
        return fail(ErrorCode::NotFound, QStringLiteral("No eval with id %1.").arg(evalId));
    if (datasetId) {
        DatasetStore datasets(db);
        if (auto info = datasets.dataset(*datasetId))
            r.dataset = *info;
        auto cases = datasets.cases(*datasetId);
        if (!cases)
            return fail(cases.error());
        r.cases = *cases;
    }
    QHash<qint64, int> caseIndex;
    for (int i = 0; i < r.cases.size(); ++i)
        caseIndex.insert(r.cases[i].id, i);

    ok = eachRow(
        db,
        QStringLiteral(
            "SELECT r.id, r.prompt_version_id, coalesce(p.name, ''), coalesce(v.number, 0), "
            "coalesce(r.model_id, 0), coalesce(m.name, json_extract(r.model_snapshot, '$.name'), "
            "'') "
            "FROM eval_variants ev JOIN runs r ON r.id = ev.run_id "
            "LEFT JOIN prompt_versions v ON v.id = r.prompt_version_id "
            "LEFT JOIN prompts p ON p.id = v.prompt_id LEFT JOIN models m ON m.id = r.model_id "
            "WHERE ev.eval_id = ? ORDER BY ev.position"),
        evalId, [&](const Statement &s) {
            EvalVariantSummary v;
            v.runId = s.int64(0);
            v.promptVersionId = s.int64(1);
            v.promptName = s.text(2);
            v.promptVersion = int(s.int64(3));
            v.modelId = s.int64(4);
            v.modelName = s.text(5);
            v.label = QStringLiteral("%1@%2 · %3")
                          .arg(v.promptName)
                          .arg(v.promptVersion)
                          .arg(v.modelName);
            r.variants.append(v);
        });
    if (!ok)
        return fail(ok.error());
    r.m_cells = QList<QList<EvalCell>>(r.cases.size(), QList<EvalCell>(r.variants.size()));

    // Per (variant, case, sample): the newest ok generation, else the newest attempt.
    QHash<qint64, Where> where;
    QHash<QString, Generation> chosen;
    for (int v = 0; v < r.variants.size(); ++v) {
        ok = eachRow(
            db,
            QStringLiteral("SELECT ") + generationColumns()
                + QStringLiteral(" FROM generations WHERE run_id = ? AND status != "
                                 "'cancelled' ORDER BY id"),
            r.variants[v].runId, [&](const Statement &s) {
                Generation g = generationFromRow(s);
                if (!g.testCaseId || !caseIndex.contains(*g.testCaseId))
                    return;
                const QString key
                    = QStringLiteral("%1:%2:%3").arg(v).arg(*g.testCaseId).arg(g.sampleIndex);
                auto it = chosen.find(key);
                if (it == chosen.end() || g.ok() || !it->ok())
                    chosen.insert(key, g);
            });
        if (!ok)
            return fail(ok.error());
    }
    QHash<qint64, EvalSample> samples;
    for (auto it = chosen.cbegin(); it != chosen.cend(); ++it) {
        const Generation &g = it.value();
        const QStringList parts = it.key().split(QLatin1Char(':'));
        where.insert(g.id, {caseIndex.value(*g.testCaseId), parts[0].toInt(), g.sampleIndex});
        EvalSample s;
        s.generationId = g.id;
        s.sampleIndex = g.sampleIndex;
        s.status = g.status;
        s.output = g.output;
        s.latencyMs = g.latencyMs;
        s.cost = g.cost;
        s.cacheHit = g.cacheHit;
        if (!g.ok()) {
            s.error = g.error ? g.error->message : generationStatusName(g.status);
            s.reason = s.error;
        }
        samples.insert(g.id, s);
    }
    ok = eachRow(
        db,
        QStringLiteral(
            "SELECT ar.generation_id, ar.assertion_id, ar.type, ar.value, ar.weight, ar.pass, "
            "ar.score, "
            "ar.reason FROM assertion_results ar JOIN generations g ON g.id = ar.generation_id "
            "JOIN eval_variants ev ON ev.run_id = g.run_id WHERE ev.eval_id = ? "
            "ORDER BY ar.generation_id, ar.position"),
        evalId, [&](const Statement &s) {
            auto it = samples.find(s.int64(0));
            if (it == samples.end())
                return;
            AssertionResult a;
            a.assertionId = s.optionalInt(1);
            a.type = s.text(2);
            if (auto v = s.optionalText(3))
                a.value = parseJson(*v).value_or(nlohmann::json(sstr(*v)));
            a.weight = s.real(4);
            a.pass = s.int64(5) != 0;
            a.score = s.real(6);
            a.reason = s.text(7);
            it->assertions.append(a);
        });
    if (!ok)
        return fail(ok.error());
    QHash<qint64, std::pair<bool, double>> verdicts;
    QHash<qint64, QString> verdictReasons;
    ok = eachRow(db,
                 QStringLiteral(
                     "SELECT cv.generation_id, cv.pass, cv.score, cv.reason FROM case_verdicts cv "
                     "JOIN generations g ON g.id = cv.generation_id JOIN eval_variants ev ON "
                     "ev.run_id = g.run_id "
                     "WHERE ev.eval_id = ?"),
                 evalId, [&](const Statement &s) {
                     verdicts.insert(s.int64(0), {s.int64(1) != 0, s.real(2)});
                     verdictReasons.insert(s.int64(0), s.text(3));
                 });
    if (!ok)
        return fail(ok.error());

    // Judgments: the newest row per (judge, generation, other, order) wins.
    struct PairRows
    {
        qint64 judgeId = 0;
        QString judgeName;
        std::optional<judge::PairwiseChoice> order[2];
        bool error = false;
        qint64 first = 0;
        qint64 second = 0;
    };
    QHash<QString, JudgeOutcome> pointwise;
    QHash<QString, qint64> pointwiseGeneration;
    QHash<QString, PairRows> pairs;
    ok = eachRow(
        db,
        QStringLiteral(
            "SELECT j.judge_id, coalesce(d.name, ''), coalesce(d.kind, 'pointwise'), "
            "j.generation_id, "
            "j.other_generation_id, j.swapped, j.verdict, j.pass, j.score, j.reason, j.error, "
            "coalesce(jg.status, 'ok') "
            "FROM judgments j LEFT JOIN judges d ON d.id = j.judge_id "
            "LEFT JOIN generations jg ON jg.id = j.judge_generation_id WHERE j.eval_id = ? "
            "ORDER BY j.id"),
        evalId, [&](const Statement &s) {
            const JudgeKind kind = parseJudgeKind(s.text(2)).value_or(JudgeKind::Pointwise);
            const qint64 gen = s.int64(3);
            const QString error = s.optionalText(10).value_or(QString());
            const nlohmann::json verdict
                = parseJson(s.optionalText(6).value_or(QString())).value_or(nlohmann::json());
            if (kind == JudgeKind::Pairwise) {
                const qint64 other = s.optionalInt(4).value_or(0);
                PairRows &p = pairs[QStringLiteral("%1:%2:%3").arg(s.int64(0)).arg(gen).arg(other)];
                p.judgeId = s.int64(0);
                p.judgeName = s.text(1);
                p.first = gen;
                p.second = other;
                const int order = s.int64(5) ? 1 : 0;
                if (!error.isEmpty()) {
                    p.error = true;
                    p.order[order].reset();
                    return;
                }
                const std::string w = verdict.value("winner", std::string("tie"));
                p.order[order] = w == "A" ? judge::PairwiseChoice::A
                    : w == "B"            ? judge::PairwiseChoice::B
                                          : judge::PairwiseChoice::Tie;
                return;
            }
            JudgeOutcome o;
            o.judgeId = s.int64(0);
            o.judgeName = s.text(1);
            o.kind = kind;
            if (!s.isNull(7))
                o.pass = s.int64(7) != 0;
            o.score = s.optionalReal(8);
            o.reason = s.text(9);
            o.error = error;
            o.verdict = verdict;
            o.callFailed = !error.isEmpty() && s.text(11) != QLatin1String("ok");
            const QString key = QStringLiteral("%1:%2").arg(o.judgeId).arg(gen);
            pointwise.insert(key, o);
            pointwiseGeneration.insert(key, gen);
        });
    if (!ok)
        return fail(ok.error());
    for (auto it = pointwise.cbegin(); it != pointwise.cend(); ++it) {
        auto s = samples.find(pointwiseGeneration.value(it.key()));
        if (s != samples.end())
            s->judgments.append(it.value());
    }

    // Sample verdicts: assertions, then the judges (an unreadable verdict fails the sample).
    for (auto it = samples.begin(); it != samples.end(); ++it) {
        EvalSample &s = it.value();
        if (s.status != GenerationStatus::Ok) {
            s.pass = false;
            s.score = 0;
        } else {
            const auto v = verdicts.value(s.generationId, {false, 0.0});
            s.pass = v.first;
            s.reason = verdictReasons.value(s.generationId);
            double sum = v.second;
            int parts = 1;
            std::sort(s.judgments.begin(), s.judgments.end(),
                      [](const JudgeOutcome &a, const JudgeOutcome &b) {
                          return a.judgeName < b.judgeName;
                      });
            for (const JudgeOutcome &j : s.judgments) {
                s.judgeCallFailed = s.judgeCallFailed || j.callFailed;
                sum += j.score.value_or(0);
                ++parts;
                if (!j.pass.value_or(false)) {
                    if (s.pass)
                        s.reason = j.error.isEmpty()
                            ? QStringLiteral("Judge %1: %2").arg(j.judgeName, j.reason)
                            : QStringLiteral("Judge %1 gave no verdict: %2")
                                  .arg(j.judgeName, j.error);
                    s.pass = false;
                }
            }
            s.score = sum / parts;
        }
        const Where w = where.value(s.generationId);
        if (w.caseIndex >= 0 && w.variant >= 0)
            r.m_cells[w.caseIndex][w.variant].samples.append(s);
    }
    for (QList<EvalCell> &row : r.m_cells)
        for (EvalCell &c : row)
            std::sort(c.samples.begin(), c.samples.end(),
                      [](const EvalSample &a, const EvalSample &b) {
                          return a.sampleIndex < b.sampleIndex;
                      });

    QHash<QString, PairwiseJudgeSummary> pairSummaries;
    QHash<QString, QList<judge::CombinedPairwise>> combined;
    for (const PairRows &p : std::as_const(pairs)) {
        const Where a = where.value(p.first, {});
        const Where b = where.value(p.second, {});
        if (a.variant < 0 || b.variant < 0)
            continue;
        const QString key = QStringLiteral("%1:%2:%3").arg(p.judgeId).arg(a.variant).arg(b.variant);
        PairwiseJudgeSummary &sum = pairSummaries[key];
        sum.judgeId = p.judgeId;
        sum.judgeName = p.judgeName;
        sum.variantA = a.variant;
        sum.variantB = b.variant;
        if (!p.order[0] || !p.order[1]) {
            sum.errors += p.error ? 1 : 0;
            continue;
        }
        const judge::CombinedPairwise c = judge::combineBothOrders(*p.order[0], *p.order[1]);
        combined[key].append(c);
        if (!c.consistent)
            ++sum.inconsistent;
        else if (c.winner == judge::PairwiseChoice::A)
            ++sum.winsA;
        else if (c.winner == judge::PairwiseChoice::B)
            ++sum.winsB;
        else
            ++sum.ties;
    }
    for (auto it = pairSummaries.begin(); it != pairSummaries.end(); ++it) {
        it->reliability = judge::judgeReliability(combined.value(it.key()));
        r.pairwise.append(*it);
    }
    std::sort(r.pairwise.begin(), r.pairwise.end(), [](const auto &x, const auto &y) {
        return std::tie(x.judgeName, x.variantA, x.variantB)
            < std::tie(y.judgeName, y.variantA, y.variantB);
    });
    r.summarize();
    return r;
}

void EvalResults::summarize()
{
    passedSamples = 0;
    scoredSamples = 0;
    errorCount = 0;
    for (int v = 0; v < variants.size(); ++v) {
        EvalVariantSummary &sum = variants[v];
        int latencies = 0;
        double latencyTotal = 0;
        QList<QList<bool>> verdicts;
        QList<double> caseScores;
        QList<double> atK;
        QList<double> hatK;
        for (int c = 0; c < cases.size(); ++c) {
            const EvalCell &cell = m_cells[c][v];
            sum.missing += std::max(0, samples - int(cell.samples.size()));
            sum.errors += cell.errors();
            verdicts.append(cell.verdicts());
            if (cell.outputs() > 0)
                caseScores.append(cell.meanScore());
            for (const EvalSample &s : cell.samples) {
                sum.cost += s.cost.value_or(0);
                if (s.latencyMs && !s.cacheHit) {
                    latencyTotal += *s.latencyMs;
                    ++latencies;
                }
            }
            // pass@k and pass^k need all k samples of a case with a verdict.
            if (samples > 1 && cell.outputs() >= samples) {
                if (auto p = stats::passAtK(cell.outputs(), cell.passes(), samples))
                    atK.append(*p);
                if (auto p = stats::passHatK(cell.outputs(), cell.passes(), samples))
                    hatK.append(*p);
            }
            if (samples > 1 && cell.flaky())
                sum.flakyCases.append(c);
        }
        sum.passRate = stats::casePassRate(verdicts);
        sum.score = stats::bootstrapMean(caseScores);
        if (latencies)
            sum.meanLatencyMs = latencyTotal / latencies;
        auto mean = [](const QList<double> &xs) {
            return std::accumulate(xs.begin(), xs.end(), 0.0) / double(xs.size());
        };
        if (!atK.isEmpty())
            sum.passAtK = mean(atK);
        if (!hatK.isEmpty())
            sum.passHatK = mean(hatK);
        passedSamples += sum.passRate.successes;
        scoredSamples += sum.passRate.trials;
        errorCount += sum.errors;
    }
}

const EvalCell &EvalResults::cell(int caseIndex, int variant) const
{
    static const EvalCell empty;
    if (caseIndex < 0 || caseIndex >= m_cells.size() || variant < 0
        || variant >= m_cells[caseIndex].size())
        return empty;
    return m_cells[caseIndex][variant];
}

QList<int> EvalResults::rows(Filter filter, int a, int b) const
{
    QList<int> result;
    for (int c = 0; c < cases.size(); ++c) {
        bool keep = filter == Filter::All;
        for (int v = 0; v < variants.size() && !keep; ++v) {
            const EvalCell &x = cell(c, v);
            if (filter == Filter::FailuresOnly)
                keep = !x.samples.isEmpty() && !x.pass();
            else if (filter == Filter::FlakyOnly)
                keep = x.flaky();
            else if (filter == Filter::ErrorsOnly)
                keep = x.errors() > 0;
        }
        if (filter == Filter::ChangedBetween) {
            const EvalCell &x = cell(c, a);
            const EvalCell &y = cell(c, b);
            for (const EvalSample &s : x.samples)
                if (const EvalSample *t = y.sample(s.sampleIndex);
                    t && s.hasVerdict() && t->hasVerdict() && t->pass != s.pass)
                    keep = true;
        }
        if (keep)
            result.append(c);
    }
    return result;
}

Result<VariantComparisonResult> EvalResults::compare(int baseline, int candidate) const
{
    if (baseline < 0 || candidate < 0 || baseline >= variants.size()
        || candidate >= variants.size())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("No such variant to compare."));
    QList<QList<bool>> basePass, candPass;
    QList<double> baseScore, candScore;
    for (int c = 0; c < cases.size(); ++c) {
        const EvalCell &x = cell(c, baseline);
        const EvalCell &y = cell(c, candidate);
        basePass.append(x.verdicts());
        candPass.append(y.verdicts());
        if (x.outputs() > 0 && y.outputs() > 0) {
            baseScore.append(x.meanScore());
            candScore.append(y.meanScore());
        }
    }
    auto mc = stats::compareCases(basePass, candPass);
    if (!mc)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 and %2 have no case with an output from both yet.")
                        .arg(variants[baseline].label, variants[candidate].label));
    VariantComparisonResult r;
    r.baseline = baseline;
    r.candidate = candidate;
    r.passFail = *mc;
    r.sentence = QStringLiteral("%1 vs %2: %3")
                     .arg(variants[candidate].label, variants[baseline].label, mc->sentence);
    if (auto pb = stats::pairedBootstrap(baseScore, candScore)) {
        r.scores = *pb;
        r.sentence += QStringLiteral("; mean score %1 [%2, %3]")
                          .arg(signedNumber(pb->meanDifference), signedNumber(pb->ci.low),
                               signedNumber(pb->ci.high));
    }
    return r;
}

} // namespace ts
