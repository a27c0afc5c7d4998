#include "evals/evalresults.h"

#include "common/json.h"
#include "runs/generationwriter.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QHash>

#include <thread>

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

Result<QList<qint64>> EvalResults::caseIds(Database &db, qint64 evalId)
{
    QList<qint64> ids;
    auto ok = eachRow(db,
                      QStringLiteral("SELECT id FROM test_cases WHERE dataset_id = (SELECT "
                                     "dataset_id FROM evals WHERE id = ?) ORDER BY position, id"),
                      evalId, [&](const Statement &s) { ids.append(s.int64(0)); });
    if (!ok)
        return fail(ok.error());
    return ids;
}

Result<EvalResults> EvalResults::load(Database &db, qint64 evalId)
{
    return load(db, evalId, EvalLoadOptions {});
}

Result<EvalResults> EvalResults::load(Database &db, qint64 evalId, const EvalLoadOptions &options)
{
    const auto stopped = [&options] {
        return options.cancel && options.cancel->load(std::memory_order_relaxed);
    };
    const Error cancelled {ErrorCode::Cancelled,
                           QStringLiteral("Loading eval #%1 was cancelled.").arg(evalId)};
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
        // The dataset's name (and, except for a page, its size) without listing every dataset.
        ok = eachRow(db,
                     QStringLiteral("SELECT id, name, description, created_at, %1 FROM datasets "
                                    "d WHERE id = ?")
                         .arg(options.cases || (options.caseIds && !options.caseIds->isEmpty())
                                  ? QStringLiteral("0")
                                  : QStringLiteral("(SELECT count(*) FROM test_cases c WHERE "
                                                   "c.dataset_id = d.id)")),
                     *datasetId, [&](const Statement &s) {
                         r.dataset = {s.int64(0), s.text(1), s.text(2), s.text(3), int(s.int64(4))};
                     });
        if (!ok)
            return fail(ok.error());
        if (options.cases) {
            r.cases = *options.cases;
        } else if (options.caseIds) {
            for (qint64 id : *options.caseIds) {
                if (!options.details) {
                    TestCase c;
                    c.id = id;
                    c.datasetId = *datasetId;
                    r.cases.append(c);
                    continue;
                }
                auto c = datasets.testCase(id);
                if (c)
                    r.cases.append(*c);
                else if (c.error().code != ErrorCode::NotFound)
                    return fail(c.error());
            }
        } else if (options.details) {
            auto cases = datasets.cases(*datasetId);
            if (!cases)
                return fail(cases.error());
            r.cases = *cases;
        } else {
            auto ids = caseIds(db, evalId);
            if (!ids)
                return fail(ids.error());
            r.cases.reserve(ids->size());
            for (qint64 id : std::as_const(*ids)) {
                TestCase c;
                c.id = id;
                c.datasetId = *datasetId;
                r.cases.append(c);
            }
        }
    }
    if (stopped())
        return fail(cancelled);
    QHash<qint64, int> caseIndex;
    caseIndex.reserve(r.cases.size());
    for (int i = 0; i < r.cases.size(); ++i)
        caseIndex.insert(r.cases[i].id, i);
    QString caseFilter;
    if (options.caseIds || options.cases) {
        QStringList ids;
        for (const TestCase &c : std::as_const(r.cases))
            ids << QString::number(c.id);
        caseFilter = QStringLiteral(" AND g.test_case_id IN (%1)")
                         .arg(ids.isEmpty() ? QStringLiteral("NULL") : ids.join(QLatin1Char(',')));
    }

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

    // Per (variant, case, sample): the newest ok generation, else the newest attempt. Only the
    // columns a cell shows are read (never the request or variables JSON); the case verdict
    // comes with its generation.
    struct Verdict
    {
        bool pass = false;
        double score = 0;
    };
    QHash<qint64, Verdict> verdicts;
    const QString textColumns = !options.details ? QStringLiteral("'', NULL, ''")
        : options.outputs ? QStringLiteral("g.output, g.error_message, coalesce(cv.reason, '')")
                          : QStringLiteral("'', g.error_message, coalesce(cv.reason, '')");
    auto gens = db.prepare(
        QStringLiteral("SELECT g.id, g.test_case_id, g.sample_index, g.status, g.latency_ms, "
                       "g.cost, g.cache_hit, cv.pass, coalesce(cv.score, 0), ")
        + textColumns
        + QStringLiteral(" FROM generations g LEFT JOIN case_verdicts cv ON cv.generation_id = "
                         "g.id WHERE g.run_id = ? AND g.status != 'cancelled' AND "
                         "g.test_case_id IS NOT NULL")
        // A page reads its cases on generations_by_run; ordering it by id would make SQLite
        // walk the run's every generation in id order instead. The choice below does not
        // depend on the order.
        + caseFilter + (caseFilter.isEmpty() ? QStringLiteral(" ORDER BY g.id") : QString()));
    if (!gens)
        return fail(gens.error());
    QHash<qint64, QString> verdictReasons;
    for (int v = 0; v < r.variants.size(); ++v) {
        if (options.onlyVariant >= 0 && v != options.onlyVariant)
            continue;
        if (stopped())
            return fail(cancelled);
        gens->reset();
        gens->bind(1, r.variants[v].runId);
        while (true) {
            auto row = gens->step();
            if (!row)
                return fail(row.error());
            if (!*row)
                break;
            const auto c = caseIndex.constFind(gens->int64(1));
            if (c == caseIndex.cend())
                continue;
            EvalSample s;
            s.generationId = gens->int64(0);
            s.sampleIndex = int(gens->int64(2));
            s.status = parseGenerationStatus(gens->text(3));
            s.latencyMs = gens->optionalReal(4);
            s.cost = gens->optionalReal(5);
            s.cacheHit = gens->int64(6) != 0;
            if (!gens->isNull(7))
                verdicts.insert(s.generationId, {gens->int64(7) != 0, gens->real(8)});
            if (options.details) {
                s.output = gens->text(9);
                if (s.status != GenerationStatus::Ok) {
                    s.error = gens->optionalText(10).value_or(generationStatusName(s.status));
                    s.reason = s.error;
                } else if (!gens->isNull(7)) {
                    verdictReasons.insert(s.generationId, gens->text(11));
                }
            }
            QList<EvalSample> &samples = r.m_cells[*c][v].samples;
            auto it = std::find_if(samples.begin(), samples.end(), [&](const EvalSample &x) {
                return x.sampleIndex == s.sampleIndex;
            });
            if (it == samples.end())
                samples.append(s);
            else if ((s.status == GenerationStatus::Ok) != (it->status == GenerationStatus::Ok)
                         ? s.status == GenerationStatus::Ok
                         : s.generationId > it->generationId)
                *it = s; // an ok answer over a failed one, else the newer
        }
    }
    QHash<qint64, Where> where;
    QList<qint64> chosenIds;
    for (int c = 0; c < r.m_cells.size(); ++c)
        for (int v = 0; v < r.variants.size(); ++v)
            for (const EvalSample &s : std::as_const(r.m_cells[c][v].samples)) {
                where.insert(s.generationId, {c, v, s.sampleIndex});
                chosenIds.append(s.generationId);
            }
    if (stopped())
        return fail(cancelled);

    // A page reads what belongs to its own generations; a whole eval reads by eval.
    QString chosenList;
    if (options.caseIds || options.cases) {
        QStringList ids;
        for (qint64 id : std::as_const(chosenIds))
            ids << QString::number(id);
        chosenList = ids.isEmpty() ? QStringLiteral("NULL") : ids.join(QLatin1Char(','));
    }
    const auto generationFilter = [&](const char *column) {
        return chosenList.isEmpty() ? QString()
                                    : QStringLiteral(" AND ") + QLatin1String(column)
                + QStringLiteral(" IN (") + chosenList + QLatin1Char(')');
    };
    const auto sampleOf = [&](qint64 generationId) -> EvalSample * {
        const auto w = where.constFind(generationId);
        if (w == where.cend())
            return nullptr;
        QList<EvalSample> &samples = r.m_cells[w->caseIndex][w->variant].samples;
        for (EvalSample &s : samples)
            if (s.generationId == generationId)
                return &s;
        return nullptr;
    };
    if (options.details) {
        QHash<QString, nlohmann::json> values;
        ok = eachRow(
            db,
            // A page names its generations (on their index); a whole eval joins its runs.
            chosenList.isEmpty()
                ? QStringLiteral(
                    "SELECT ar.generation_id, ar.assertion_id, ar.type, ar.value, ar.weight, "
                    "ar.pass, ar.score, ar.reason FROM assertion_results ar JOIN generations g "
                    "ON g.id = ar.generation_id JOIN eval_variants ev ON ev.run_id = g.run_id "
                    "WHERE ev.eval_id = ? ORDER BY ar.generation_id, ar.position")
                : QStringLiteral("SELECT ar.generation_id, ar.assertion_id, ar.type, ar.value, "
                                 "ar.weight, ar.pass, ar.score, ar.reason FROM assertion_results "
                                 "ar WHERE ?1 > 0 AND ar.generation_id IN (%1) ORDER BY "
                                 "ar.generation_id, ar.position")
                      .arg(chosenList),
            evalId, [&](const Statement &s) {
                EvalSample *sample = sampleOf(s.int64(0));
                if (!sample)
                    return;
                AssertionResult a;
                a.assertionId = s.optionalInt(1);
                a.type = s.text(2);
                if (auto v = s.optionalText(3)) {
                    // A dataset's assertions repeat on every case: each distinct value is
                    // parsed once (up to a bound, for values that differ case by case).
                    auto known = values.constFind(*v);
                    if (known != values.cend())
                        a.value = *known;
                    else if (values.size() < 4096)
                        a.value
                            = *values.insert(*v, parseJson(*v).value_or(nlohmann::json(sstr(*v))));
                    else
                        a.value = parseJson(*v).value_or(nlohmann::json(sstr(*v)));
                }
                a.weight = s.real(4);
                a.pass = s.int64(5) != 0;
                a.score = s.real(6);
                a.reason = s.text(7);
                sample->assertions.append(a);
            });
        if (!ok)
            return fail(ok.error());
    } else {
        // Whether anything was checked, without reading the results themselves.
        ok = eachRow(
            db,
            QStringLiteral("SELECT EXISTS (SELECT 1 FROM eval_variants ev JOIN generations g ON "
                           "g.run_id = ev.run_id JOIN assertion_results ar ON ar.generation_id = "
                           "g.id WHERE ev.eval_id = ?1 AND g.status = 'ok') OR EXISTS (SELECT 1 "
                           "FROM judgments WHERE eval_id = ?1)"),
            evalId, [&](const Statement &s) { r.checked = s.int64(0) != 0; });
        if (!ok)
            return fail(ok.error());
    }
    if (stopped())
        return fail(cancelled);

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
            "LEFT JOIN generations jg ON jg.id = j.judge_generation_id WHERE j.eval_id = ?")
            + generationFilter("j.generation_id") + QStringLiteral(" ORDER BY j.id"),
        evalId, [&](const Statement &s) {
            const JudgeKind kind = parseJudgeKind(s.text(2)).value_or(JudgeKind::Pointwise);
            const qint64 gen = s.int64(3);
            const QString error = s.optionalText(10).value_or(QString());
            if (kind == JudgeKind::Pairwise) {
                if (!options.statistics)
                    return;
                const nlohmann::json verdict
                    = parseJson(s.optionalText(6).value_or(QString())).value_or(nlohmann::json());
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
            if (!where.contains(gen))
                return;
            JudgeOutcome o;
            o.judgeId = s.int64(0);
            o.judgeName = s.text(1);
            o.kind = kind;
            if (!s.isNull(7))
                o.pass = s.int64(7) != 0;
            o.score = s.optionalReal(8);
            if (options.details) {
                o.reason = s.text(9);
                o.error = error;
                o.verdict
                    = parseJson(s.optionalText(6).value_or(QString())).value_or(nlohmann::json());
            }
            o.callFailed = !error.isEmpty() && s.text(11) != QLatin1String("ok");
            if (!options.details && !error.isEmpty())
                o.error = QStringLiteral("error"); // only whether there was one
            const QString key = QStringLiteral("%1:%2").arg(o.judgeId).arg(gen);
            pointwise.insert(key, o);
            pointwiseGeneration.insert(key, gen);
        });
    if (!ok)
        return fail(ok.error());
    for (auto it = pointwise.cbegin(); it != pointwise.cend(); ++it)
        if (EvalSample *s = sampleOf(pointwiseGeneration.value(it.key())))
            s->judgments.append(it.value());
    if (stopped())
        return fail(cancelled);

    // Sample verdicts: assertions, then the judges (an unreadable verdict fails the sample).
    for (QList<EvalCell> &row : r.m_cells) {
        for (EvalCell &cell : row) {
            for (EvalSample &s : cell.samples) {
                if (s.status != GenerationStatus::Ok) {
                    s.pass = false;
                    s.score = 0;
                } else {
                    const Verdict v = verdicts.value(s.generationId);
                    s.pass = v.pass;
                    s.reason = verdictReasons.value(s.generationId);
                    double sum = v.score;
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
                            if (s.pass && options.details)
                                s.reason = j.error.isEmpty()
                                    ? QStringLiteral("Judge %1: %2").arg(j.judgeName, j.reason)
                                    : QStringLiteral("Judge %1 gave no verdict: %2")
                                          .arg(j.judgeName, j.error);
                            s.pass = false;
                        }
                    }
                    s.score = sum / parts;
                    if (options.details && (!s.assertions.isEmpty() || !s.judgments.isEmpty()))
                        r.checked = true;
                }
                if (!options.details)
                    s.judgments.clear(); // counted; the verdicts themselves are not needed
            }
            std::sort(cell.samples.begin(), cell.samples.end(),
                      [](const EvalSample &a, const EvalSample &b) {
                          return a.sampleIndex < b.sampleIndex;
                      });
        }
    }

    if (options.statistics) {
        QHash<QString, PairwiseJudgeSummary> pairSummaries;
        QHash<QString, QList<judge::CombinedPairwise>> combined;
        for (const PairRows &p : std::as_const(pairs)) {
            const Where a = where.value(p.first, {});
            const Where b = where.value(p.second, {});
            if (a.variant < 0 || b.variant < 0)
                continue;
            const QString key
                = QStringLiteral("%1:%2:%3").arg(p.judgeId).arg(a.variant).arg(b.variant);
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
        if (options.summarize)
            r.summarize();
        else
            r.countPooled();
    }
    return r;
}

void EvalResults::summarize()
{
    passedSamples = 0;
    scoredSamples = 0;
    errorCount = 0;
    // Variants are independent and their bootstraps (2,000 resamples of every case) dominate
    // on a large eval: each variant on its own thread. Same seeds, same numbers.
    EvalVariantSummary *sums = variants.data(); // detached here, before any thread writes
    const QList<QList<EvalCell>> &cells = std::as_const(m_cells);
    const auto summarizeVariant = [this, sums, &cells](int v) {
        EvalVariantSummary &sum = sums[v];
        sum.missing = 0;
        sum.errors = 0;
        sum.cost = 0;
        sum.meanLatencyMs.reset();
        sum.passAtK.reset();
        sum.passHatK.reset();
        sum.flakyCases.clear();
        int latencies = 0;
        double latencyTotal = 0;
        QList<QList<bool>> verdicts;
        QList<double> caseScores;
        QList<double> atK;
        QList<double> hatK;
        for (int c = 0; c < cases.size(); ++c) {
            const EvalCell &cell = cells[c][v];
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
    };
    const bool large = cases.size() * variants.size() >= 20000;
    std::vector<std::thread> threads;
    for (int v = 1; v < variants.size(); ++v) {
        if (large)
            threads.emplace_back(summarizeVariant, v);
        else
            summarizeVariant(v);
    }
    if (!variants.isEmpty())
        summarizeVariant(0);
    for (std::thread &t : threads)
        t.join();
    for (const EvalVariantSummary &sum : std::as_const(variants)) {
        passedSamples += sum.passRate.successes;
        scoredSamples += sum.passRate.trials;
        errorCount += sum.errors;
    }
}

void EvalResults::countPooled()
{
    passedSamples = 0;
    scoredSamples = 0;
    errorCount = 0;
    for (const QList<EvalCell> &row : std::as_const(m_cells))
        for (int v = 0; v < row.size() && v < variants.size(); ++v) {
            const EvalCell &cell = row[v];
            passedSamples += cell.passes();
            scoredSamples += cell.outputs();
            errorCount += cell.errors();
        }
}

EvalResults EvalResults::withoutCells() const
{
    EvalResults r = *this; // the lists are shared, not copied
    r.m_cells.clear();
    r.cases.clear();
    r.caseNumbers.clear();
    return r;
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
