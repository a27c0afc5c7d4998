#include "insights/evalcharts.h"

#include "annotation/labelstore.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <map>

namespace ts {

namespace {

struct Place
{
    int caseIndex = -1;
    int variant = -1;
};

QHash<qint64, Place> generationPlaces(const EvalResults &r)
{
    QHash<qint64, Place> places;
    for (int c = 0; c < r.cases.size(); ++c)
        for (int v = 0; v < r.variants.size(); ++v)
            for (const EvalSample &s : r.cell(c, v).samples)
                places.insert(s.generationId, {c, v});
    return places;
}

// Appends, skipping only a repeat of the last entry: uniqueRefs() removes the others once a
// chart is built. (A contains() per append made the charts of a 100,000-case eval quadratic:
// 25 s of a 31 s report.)
void addRef(ChartRefs &refs, int caseIndex, qint64 generationId)
{
    if (refs.cases.isEmpty() || refs.cases.last() != caseIndex)
        refs.cases.append(caseIndex);
    if (generationId && (refs.generations.isEmpty() || refs.generations.last() != generationId))
        refs.generations.append(generationId);
}

template<typename T> void keepFirstOfEach(QList<T> &list)
{
    QSet<T> seen;
    seen.reserve(list.size());
    list.removeIf([&seen](const T &x) {
        if (seen.contains(x))
            return true;
        seen.insert(x);
        return false;
    });
}

/// Each case and generation once, in the order first added.
void uniqueRefs(ChartRefs &refs)
{
    keepFirstOfEach(refs.cases);
    keepFirstOfEach(refs.generations);
}

QString assertionLabel(const AssertionResult &a)
{
    if (a.value.is_null())
        return a.type;
    QString value = a.value.is_string() ? QString::fromStdString(a.value.get<std::string>())
                                        : QString::fromStdString(a.value.dump());
    value.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (value.size() > 40)
        value = value.left(39) + QChar(0x2026);
    return a.type + QStringLiteral(" \"") + value + QLatin1Char('"');
}

QString assertionKey(const AssertionResult &a)
{
    if (a.assertionId)
        return QStringLiteral("assertion:%1").arg(*a.assertionId);
    return QStringLiteral("assertion:%1:%2").arg(a.type, QString::fromStdString(a.value.dump()));
}

double median(QList<double> xs)
{
    std::sort(xs.begin(), xs.end());
    const qsizetype n = xs.size();
    return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

double nearestRank(QList<double> xs, double p)
{
    std::sort(xs.begin(), xs.end());
    const auto rank = qsizetype(std::ceil(p * double(xs.size())));
    return xs[std::clamp<qsizetype>(rank, 1, xs.size()) - 1];
}

/// Each variant against the baseline (index v; nothing at the baseline's own index): computed
/// once, as the pass-rate and mean-score charts both show them and each is a paired bootstrap.
using Comparisons = QList<std::optional<Result<VariantComparisonResult>>>;

Comparisons compareWithBaseline(const EvalResults &r, int baseline)
{
    Comparisons out(r.variants.size());
    for (int v = 0; v < r.variants.size(); ++v)
        if (v != baseline)
            out[v] = r.compare(baseline, v);
    return out;
}

PassRateChart passRateChart(const EvalResults &r, int baseline, const Comparisons &comparisons)
{
    PassRateChart chart;
    chart.baseline = baseline;
    for (int v = 0; v < r.variants.size(); ++v) {
        const EvalVariantSummary &sum = r.variants[v];
        VariantRatePoint p;
        p.variant = v;
        p.label = sum.label;
        p.rate = sum.passRate;
        p.errors = sum.errors;
        p.baseline = v == baseline;
        for (int c = 0; c < r.cases.size(); ++c) {
            const EvalCell &cell = r.cell(c, v);
            if (cell.outputs() == 0)
                continue;
            for (const EvalSample &s : cell.samples)
                if (s.hasVerdict())
                    addRef(p.refs, c, s.generationId);
            if (!cell.pass())
                p.failedCases.append(c);
        }
        uniqueRefs(p.refs);
        if (v != baseline) {
            if (const Result<VariantComparisonResult> &cmp = *comparisons[v]) {
                p.verdict = cmp->passFail.verdict;
                p.pValue = cmp->passFail.pValue;
                p.sentence = cmp->sentence;
            } else {
                p.sentence = cmp.error().message;
            }
            chart.sentences.append(p.sentence);
        }
        chart.points.append(p);
    }
    std::stable_sort(chart.points.begin(), chart.points.end(),
                     [](const VariantRatePoint &a, const VariantRatePoint &b) {
                         return a.rate.estimate > b.rate.estimate;
                     });
    return chart;
}

QList<ScorePoint> scorePoints(const EvalResults &r, int baseline, const Comparisons &comparisons)
{
    QList<ScorePoint> points;
    for (int v = 0; v < r.variants.size(); ++v) {
        ScorePoint p;
        p.variant = v;
        p.label = r.variants[v].label;
        p.score = r.variants[v].score;
        p.baseline = v == baseline;
        for (int c = 0; c < r.cases.size(); ++c)
            for (const EvalSample &s : r.cell(c, v).samples)
                if (s.hasVerdict())
                    addRef(p.refs, c, s.generationId);
        uniqueRefs(p.refs);
        if (v != baseline)
            if (const Result<VariantComparisonResult> &cmp = *comparisons[v])
                p.vsBaseline = cmp->scores;
        points.append(p);
    }
    return points;
}

HeatMap heatMap(const EvalResults &r)
{
    HeatMap map;
    for (const EvalVariantSummary &v : r.variants)
        map.columns.append(v.label);
    // Rows in order of first appearance, assertions before judges.
    QHash<QString, int> rowOf;
    QList<HeatRow> assertionRows;
    QList<HeatRow> judgeRows;
    for (int c = 0; c < r.cases.size(); ++c)
        for (int v = 0; v < r.variants.size(); ++v)
            for (const EvalSample &s : r.cell(c, v).samples) {
                for (const AssertionResult &a : s.assertions) {
                    const QString key = assertionKey(a);
                    if (!rowOf.contains(key)) {
                        rowOf.insert(key, -1);
                        assertionRows.append({HeatRow::Kind::Assertion, key, assertionLabel(a)});
                    }
                }
                for (const JudgeOutcome &j : s.judgments) {
                    const QString key = QStringLiteral("judge:%1").arg(j.judgeId);
                    if (!rowOf.contains(key)) {
                        rowOf.insert(key, -1);
                        judgeRows.append({HeatRow::Kind::Judge, key,
                                          QStringLiteral("judge %1").arg(j.judgeName)});
                    }
                }
            }
    map.rows = assertionRows + judgeRows;
    for (int i = 0; i < map.rows.size(); ++i)
        rowOf[map.rows[i].key] = i;

    const int columns = int(r.variants.size());
    for (int row = 0; row < map.rows.size(); ++row)
        for (int v = 0; v < columns; ++v)
            map.cells.append({row, v, {}, {}});
    for (int v = 0; v < columns; ++v) {
        // perCase[row][case]: the check's verdicts on the case's samples with a verdict.
        QList<QList<QList<bool>>> perCase(map.rows.size(), QList<QList<bool>>(r.cases.size()));
        for (int c = 0; c < r.cases.size(); ++c)
            for (const EvalSample &s : r.cell(c, v).samples) {
                if (!s.hasVerdict())
                    continue;
                for (const AssertionResult &a : s.assertions) {
                    const int row = rowOf.value(assertionKey(a));
                    perCase[row][c].append(a.pass);
                    if (!a.pass)
                        addRef(map.cells[row * columns + v].failures, c, s.generationId);
                }
                for (const JudgeOutcome &j : s.judgments) {
                    const int row = rowOf.value(QStringLiteral("judge:%1").arg(j.judgeId));
                    const bool pass = j.pass.value_or(false);
                    perCase[row][c].append(pass);
                    if (!pass)
                        addRef(map.cells[row * columns + v].failures, c, s.generationId);
                }
            }
        for (int row = 0; row < map.rows.size(); ++row)
            map.cells[row * columns + v].rate = stats::casePassRate(perCase[row]);
    }
    for (HeatCell &cell : map.cells)
        uniqueRefs(cell.failures);
    return map;
}

QualityCostChart qualityCost(const EvalResults &r)
{
    QualityCostChart chart;
    QList<ParetoInput> byCost, byMedian, byP95;
    for (int v = 0; v < r.variants.size(); ++v) {
        CostLatencyPoint p;
        p.variant = v;
        p.label = r.variants[v].label;
        p.rate = r.variants[v].passRate;
        double costSum = 0;
        QList<double> latencies;
        for (int c = 0; c < r.cases.size(); ++c)
            for (const EvalSample &s : r.cell(c, v).samples) {
                addRef(p.refs, c, s.generationId);
                if (s.cacheHit)
                    continue;
                if (s.cost) {
                    costSum += *s.cost;
                    ++p.costedCalls;
                }
                if (s.latencyMs)
                    latencies.append(*s.latencyMs);
            }
        uniqueRefs(p.refs);
        if (p.costedCalls)
            p.costPer1k = costSum / p.costedCalls * 1000.0;
        p.timedCalls = int(latencies.size());
        if (!latencies.isEmpty()) {
            p.medianLatencyMs = median(latencies);
            p.p95LatencyMs = nearestRank(latencies, 0.95);
        }
        if (p.costPer1k)
            byCost.append({v, p.rate.estimate, *p.costPer1k});
        if (p.medianLatencyMs)
            byMedian.append({v, p.rate.estimate, *p.medianLatencyMs});
        if (p.p95LatencyMs)
            byP95.append({v, p.rate.estimate, *p.p95LatencyMs});
        chart.points.append(p);
    }
    chart.paretoCost = paretoFront(byCost);
    chart.paretoMedianLatency = paretoFront(byMedian);
    chart.paretoP95Latency = paretoFront(byP95);
    return chart;
}

QList<ScoreHistogram> histograms(const EvalResults &r, int binCount)
{
    binCount = std::max(1, binCount);
    QList<ScoreHistogram> result;
    for (int v = 0; v < r.variants.size(); ++v) {
        ScoreHistogram h;
        h.variant = v;
        h.label = r.variants[v].label;
        QList<std::pair<int, double>> scores;
        double lo = 0;
        double hi = 1;
        for (int c = 0; c < r.cases.size(); ++c) {
            const EvalCell &cell = r.cell(c, v);
            if (cell.outputs() == 0)
                continue;
            const double s = cell.meanScore();
            scores.append({c, s});
            lo = std::min(lo, s);
            hi = std::max(hi, s);
        }
        const double width = (hi - lo) / binCount;
        for (int b = 0; b < binCount; ++b)
            h.bins.append({lo + b * width, b + 1 == binCount ? hi : lo + (b + 1) * width, 0, {}});
        for (const auto &[c, s] : scores) {
            const int b = std::clamp(int(std::floor((s - lo) / width)), 0, binCount - 1);
            ++h.bins[b].count;
            for (const EvalSample &sample : r.cell(c, v).samples)
                if (sample.hasVerdict())
                    addRef(h.bins[b].refs, c, sample.generationId);
        }
        for (HistogramBin &bin : h.bins)
            uniqueRefs(bin.refs);
        result.append(h);
    }
    return result;
}

WinRate judgeWinRate(const PairwiseJudgeSummary &p)
{
    WinRate w;
    w.source = WinRate::Source::Judge;
    w.name = p.judgeName;
    w.variantA = p.variantA;
    w.variantB = p.variantB;
    w.winsA = p.winsA;
    w.winsB = p.winsB;
    w.ties = p.ties + p.inconsistent;
    w.errors = p.errors;
    w.winRateA = stats::wilson(w.winsA, w.winsA + w.winsB);
    return w;
}

Result<void> addJudgeRefs(Database &db, const EvalResults &r, const QHash<qint64, Place> &places,
                          QList<WinRate> &winRates)
{
    auto stmt = db.prepare(QStringLiteral(
        "SELECT judge_id, generation_id, other_generation_id FROM judgments "
        "WHERE eval_id = ? AND judge_id IS NOT NULL AND other_generation_id IS NOT NULL "
        "ORDER BY id"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, r.evalId);
    QHash<qint64, QString> judgeNames;
    for (const PairwiseJudgeSummary &p : r.pairwise)
        judgeNames.insert(p.judgeId, p.judgeName);
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row) {
            for (WinRate &w : winRates)
                uniqueRefs(w.refs);
            return {};
        }
        const Place a = places.value(stmt->int64(1));
        const Place b = places.value(stmt->int64(2));
        if (a.variant < 0 || b.variant < 0)
            continue;
        const QString name = judgeNames.value(stmt->int64(0));
        for (WinRate &w : winRates)
            if (w.source == WinRate::Source::Judge && w.name == name && w.variantA == a.variant
                && w.variantB == b.variant) {
                addRef(w.refs, a.caseIndex, stmt->int64(1));
                addRef(w.refs, b.caseIndex, stmt->int64(2));
            }
    }
}

Result<QList<WinRate>> peopleWinRates(Database &db, const QHash<qint64, Place> &places)
{
    auto prefs = LabelStore(db).preferences();
    if (!prefs)
        return fail(prefs.error());
    std::map<std::tuple<QString, int, int>, WinRate> groups;
    for (const Preference &p : *prefs) {
        if (p.a.kind != Target::Kind::Generation || p.b.kind != Target::Kind::Generation)
            continue;
        Place a = places.value(p.a.id);
        Place b = places.value(p.b.id);
        if (a.variant < 0 || b.variant < 0 || a.variant == b.variant)
            continue;
        Choice choice = p.choice;
        qint64 genA = p.a.id;
        qint64 genB = p.b.id;
        if (a.variant > b.variant) {
            std::swap(a, b);
            std::swap(genA, genB);
            choice = choice == Choice::A ? Choice::B : choice == Choice::B ? Choice::A : choice;
        }
        const QString name
            = p.criterion.isEmpty() ? QStringLiteral("overall preference") : p.criterion;
        WinRate &w = groups[{name, a.variant, b.variant}];
        w.source = WinRate::Source::People;
        w.name = name;
        w.variantA = a.variant;
        w.variantB = b.variant;
        if (choice == Choice::A)
            ++w.winsA;
        else if (choice == Choice::B)
            ++w.winsB;
        else
            ++w.ties;
        addRef(w.refs, a.caseIndex, genA);
        addRef(w.refs, b.caseIndex, genB);
    }
    QList<WinRate> list;
    for (auto &[key, w] : groups) {
        uniqueRefs(w.refs);
        w.winRateA = stats::wilson(w.winsA, w.winsA + w.winsB);
        list.append(w);
    }
    return list;
}

Result<QList<VersionHistorySeries>> versionHistory(Database &db, const EvalResults &r)
{
    QList<VersionHistorySeries> series;
    if (r.dataset.id == 0)
        return series;
    QHash<qint64, EvalResults> loaded;
    for (const EvalVariantSummary &v : r.variants) {
        if (!v.promptVersionId || !v.modelId)
            continue;
        auto promptStmt
            = db.prepare(QStringLiteral("SELECT prompt_id FROM prompt_versions WHERE id = ?"));
        if (!promptStmt)
            return fail(promptStmt.error());
        promptStmt->bind(1, v.promptVersionId);
        auto promptId
            = promptStmt->one([](const Statement &s) { return s.int64(0); },
                              QStringLiteral("No prompt version %1.").arg(v.promptVersionId));
        if (!promptId)
            return fail(promptId.error());
        const bool seen = std::any_of(series.begin(), series.end(), [&](const auto &s) {
            return s.promptId == *promptId && s.modelId == v.modelId;
        });
        if (seen)
            continue;
        VersionHistorySeries s;
        s.promptId = *promptId;
        s.modelId = v.modelId;
        s.promptName = v.promptName;
        s.modelName = v.modelName;

        // The newest eval per version; this eval for the versions it ran.
        auto stmt = db.prepare(QStringLiteral(
            "SELECT e.id, e.created_at, r.prompt_version_id, pv.number FROM evals e "
            "JOIN eval_variants ev ON ev.eval_id = e.id JOIN runs r ON r.id = ev.run_id "
            "JOIN prompt_versions pv ON pv.id = r.prompt_version_id "
            "WHERE e.dataset_id = ? AND pv.prompt_id = ? AND r.model_id = ? ORDER BY e.id"));
        if (!stmt)
            return fail(stmt.error());
        stmt->bind(1, r.dataset.id).bind(2, *promptId).bind(3, v.modelId);
        std::map<int, VersionHistoryPoint> byVersion;
        for (;;) {
            auto row = stmt->step();
            if (!row)
                return fail(row.error());
            if (!*row)
                break;
            const int number = int(stmt->int64(3));
            VersionHistoryPoint &p = byVersion[number];
            if (p.inThisEval)
                continue;
            p.evalId = stmt->int64(0);
            p.evalCreatedAt = stmt->text(1);
            p.promptVersionId = stmt->int64(2);
            p.promptVersion = number;
            p.inThisEval = p.evalId == r.evalId;
        }
        for (auto &[number, p] : byVersion) {
            if (p.evalId != r.evalId && !loaded.contains(p.evalId)) {
                // Only its pass rates are charted: verdicts, not answers or assertions.
                EvalLoadOptions verdictsOnly;
                verdictsOnly.details = false;
                auto other = EvalResults::load(db, p.evalId, verdictsOnly);
                if (!other)
                    return fail(other.error());
                loaded.insert(p.evalId, std::move(*other));
            }
            const EvalResults &source = p.evalId == r.evalId ? r : loaded[p.evalId];
            for (const EvalVariantSummary &sv : source.variants)
                if (sv.promptVersionId == p.promptVersionId && sv.modelId == v.modelId)
                    p.rate = sv.passRate;
            auto labels = db.prepare(QStringLiteral(
                "SELECT name FROM prompt_labels WHERE version_id = ? ORDER BY name"));
            if (!labels)
                return fail(labels.error());
            labels->bind(1, p.promptVersionId);
            auto names = labels->all([](const Statement &st) { return st.text(0); });
            if (!names)
                return fail(names.error());
            p.labels = QStringList(names->begin(), names->end());
            s.points.append(p);
        }
        series.append(s);
    }
    return series;
}

} // namespace

const HeatCell *HeatMap::cell(int row, int variant) const
{
    const qsizetype i = qsizetype(row) * columns.size() + variant;
    if (row < 0 || variant < 0 || variant >= columns.size() || i >= cells.size())
        return nullptr;
    return &cells[i];
}

QList<int> paretoFront(const QList<ParetoInput> &points)
{
    QList<ParetoInput> front;
    for (const ParetoInput &p : points) {
        const bool dominated = std::any_of(points.begin(), points.end(), [&](const auto &q) {
            return q.quality >= p.quality && q.cost <= p.cost
                && (q.quality > p.quality || q.cost < p.cost);
        });
        if (!dominated)
            front.append(p);
    }
    std::stable_sort(front.begin(), front.end(), [](const ParetoInput &a, const ParetoInput &b) {
        return a.cost < b.cost || (a.cost == b.cost && a.quality > b.quality);
    });
    QList<int> indexes;
    for (const ParetoInput &p : front)
        indexes.append(p.index);
    return indexes;
}

EvalCharts buildEvalCharts(const EvalResults &results, const EvalChartOptions &options)
{
    EvalCharts charts;
    charts.evalId = results.evalId;
    charts.evalName = results.name;
    charts.datasetName = results.dataset.name;
    charts.samples = results.samples;
    const int baseline = results.variants.isEmpty()
        ? 0
        : std::clamp(options.baseline, 0, int(results.variants.size()) - 1);
    const Comparisons comparisons = compareWithBaseline(results, baseline);
    charts.passRate = passRateChart(results, baseline, comparisons);
    charts.scores = scorePoints(results, baseline, comparisons);
    charts.heatMap = heatMap(results);
    charts.qualityCost = qualityCost(results);
    for (const PairwiseJudgeSummary &p : results.pairwise)
        charts.winRates.append(judgeWinRate(p));
    charts.histograms = histograms(results, options.histogramBins);
    return charts;
}

Result<EvalCharts> loadEvalCharts(Database &db, const EvalResults &results,
                                  const EvalChartOptions &options)
{
    EvalCharts charts = buildEvalCharts(results, options);
    const QHash<qint64, Place> places = generationPlaces(results);
    if (auto ok = addJudgeRefs(db, results, places, charts.winRates); !ok)
        return fail(ok.error());
    auto people = peopleWinRates(db, places);
    if (!people)
        return fail(people.error());
    charts.winRates += *people;
    auto history = versionHistory(db, results);
    if (!history)
        return fail(history.error());
    charts.history = *history;
    return charts;
}

} // namespace ts
