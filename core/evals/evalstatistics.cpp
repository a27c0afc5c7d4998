#include "evals/evalstatistics.h"

#include "common/json.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"

namespace ts {

namespace {

using nlohmann::json;

// Bumped when what is cached changes shape or meaning.
constexpr auto kFormat = "1";

json opt(const std::optional<double> &v)
{
    return v ? json(*v) : json();
}

std::optional<double> optFrom(const json &j, const char *key)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

json intervalJson(const stats::Interval &i)
{
    return json::array({i.low, i.high});
}

stats::Interval intervalFrom(const json &j)
{
    if (!j.is_array() || j.size() != 2 || !j[0].is_number() || !j[1].is_number())
        return {};
    return {j[0].get<double>(), j[1].get<double>()};
}

json bootstrapJson(const stats::PairedBootstrap &b)
{
    return {{"n", b.n}, {"mean", b.meanDifference}, {"ci", intervalJson(b.ci)}, {"p", b.pValue}};
}

stats::PairedBootstrap bootstrapFrom(const json &j)
{
    stats::PairedBootstrap b;
    b.n = j.value("n", 0);
    b.meanDifference = j.value("mean", 0.0);
    b.ci = intervalFrom(j.value("ci", json()));
    b.pValue = j.value("p", 1.0);
    return b;
}

bool finished(const QString &status)
{
    return status != QLatin1String("pending") && status != QLatin1String("running");
}

// A cache that cannot be read is a miss: the statistics are computed from the results.
std::optional<json> cached(Database &db, qint64 evalId, const QString &kind,
                           const QString &fingerprint)
{
    auto stmt = db.prepare(QStringLiteral(
        "SELECT data FROM eval_statistics WHERE eval_id = ? AND kind = ? AND fingerprint = ?"));
    if (!stmt)
        return std::nullopt;
    stmt->bind(1, evalId).bind(2, kind).bind(3, fingerprint);
    auto row = stmt->step();
    if (!row || !*row)
        return std::nullopt;
    auto parsed = parseJson(stmt->text(0));
    if (!parsed)
        return std::nullopt; // unreadable: computed again and overwritten
    return *parsed;
}

// A project opened read-only (or a busy writer) keeps statistics uncached: they are computed
// again next time, which is slower but not wrong, so a failed store is not an error.
void store(Database &db, qint64 evalId, const QString &kind, const QString &fingerprint,
           const json &data)
{
    auto stmt = db.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO eval_statistics(eval_id, kind, fingerprint, data, computed_at) "
        "VALUES (?, ?, ?, ?, ?)"));
    if (!stmt)
        return;
    stmt->bind(1, evalId)
        .bind(2, kind)
        .bind(3, fingerprint)
        .bind(4, QString::fromStdString(data.dump()))
        .bind(5, nowUtc());
    [[maybe_unused]] auto ok = stmt->run();
}

QString compareKind(int baseline, int candidate)
{
    return QStringLiteral("compare:%1:%2").arg(baseline).arg(candidate);
}

} // namespace

Result<QString> EvalStatistics::fingerprint(Database &db, qint64 evalId)
{
    auto stmt = db.prepare(QStringLiteral(
        "SELECT e.status, "
        "(SELECT count(*) || ':' || coalesce(max(g.id), 0) FROM eval_variants ev JOIN "
        "generations g ON g.run_id = ev.run_id WHERE ev.eval_id = e.id), "
        "(SELECT count(*) || ':' || coalesce(max(j.id), 0) FROM judgments j WHERE j.eval_id = "
        "e.id), "
        "(SELECT count(*) || ':' || coalesce(max(t.id), 0) FROM test_cases t WHERE t.dataset_id "
        "= e.dataset_id) FROM evals e WHERE e.id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, evalId);
    return stmt->one(
        [](const Statement &s) {
            return QStringLiteral("%1|%2|g%3|j%4|c%5")
                .arg(QLatin1String(kFormat), s.text(0), s.text(1), s.text(2), s.text(3));
        },
        QStringLiteral("No eval with id %1.").arg(evalId));
}

json EvalStatistics::variantsJson(const EvalResults &r)
{
    json variants = json::array();
    for (const EvalVariantSummary &v : r.variants) {
        json flaky = json::array();
        for (int c : v.flakyCases)
            flaky.push_back(c);
        variants.push_back(
            {{"pass_rate",
              {{"successes", v.passRate.successes},
               {"trials", v.passRate.trials},
               {"cases", v.passRate.cases},
               {"estimate", v.passRate.estimate},
               {"ci", intervalJson(v.passRate.ci)},
               {"method",
                v.passRate.method == stats::RateMethod::Wilson ? "wilson" : "bootstrap"}}},
             {"score",
              {{"n", v.score.n}, {"mean", v.score.mean}, {"ci", intervalJson(v.score.ci)}}},
             {"errors", v.errors},
             {"missing", v.missing},
             {"cost", v.cost},
             {"mean_latency_ms", opt(v.meanLatencyMs)},
             {"pass_at_k", opt(v.passAtK)},
             {"pass_hat_k", opt(v.passHatK)},
             {"flaky", flaky}});
    }
    json pairwise = json::array();
    for (const PairwiseJudgeSummary &p : r.pairwise)
        pairwise.push_back({{"judge_id", p.judgeId},
                            {"judge", sstr(p.judgeName)},
                            {"a", p.variantA},
                            {"b", p.variantB},
                            {"wins_a", p.winsA},
                            {"wins_b", p.winsB},
                            {"ties", p.ties},
                            {"inconsistent", p.inconsistent},
                            {"errors", p.errors},
                            {"pairs", p.reliability.pairs},
                            {"consistent", p.reliability.consistent},
                            {"inconsistent_picks", p.reliability.inconsistentPicks},
                            {"first_shown_picks", p.reliability.firstShownPicks},
                            {"consistency_rate", opt(p.reliability.consistencyRate)},
                            {"position_bias_rate", opt(p.reliability.positionBiasRate)}});
    return {{"variants", variants},      {"pairwise", pairwise},   {"passed", r.passedSamples},
            {"scored", r.scoredSamples}, {"errors", r.errorCount}, {"checked", r.checked}};
}

bool EvalStatistics::applyVariantsJson(EvalResults &r, const json &j)
{
    if (!j.is_object() || !j.contains("variants") || !j["variants"].is_array()
        || j["variants"].size() != size_t(r.variants.size()))
        return false;
    for (int i = 0; i < r.variants.size(); ++i) {
        const json &v = j["variants"][size_t(i)];
        if (!v.is_object())
            return false;
        EvalVariantSummary &s = r.variants[i];
        const json rate = v.value("pass_rate", json::object());
        s.passRate.successes = rate.value("successes", 0);
        s.passRate.trials = rate.value("trials", 0);
        s.passRate.cases = rate.value("cases", 0);
        s.passRate.estimate = rate.value("estimate", 0.0);
        s.passRate.ci = intervalFrom(rate.value("ci", json()));
        s.passRate.method = rate.value("method", std::string()) == "wilson"
            ? stats::RateMethod::Wilson
            : stats::RateMethod::CaseBootstrap;
        const json score = v.value("score", json::object());
        s.score.n = score.value("n", 0);
        s.score.mean = score.value("mean", 0.0);
        s.score.ci = intervalFrom(score.value("ci", json()));
        s.errors = v.value("errors", 0);
        s.missing = v.value("missing", 0);
        s.cost = v.value("cost", 0.0);
        s.meanLatencyMs = optFrom(v, "mean_latency_ms");
        s.passAtK = optFrom(v, "pass_at_k");
        s.passHatK = optFrom(v, "pass_hat_k");
        s.flakyCases.clear();
        for (const json &c : v.value("flaky", json::array()))
            if (c.is_number_integer())
                s.flakyCases.append(c.get<int>());
    }
    r.pairwise.clear();
    for (const json &p : j.value("pairwise", json::array())) {
        PairwiseJudgeSummary s;
        s.judgeId = p.value("judge_id", qint64(0));
        s.judgeName = qstr(p.value("judge", std::string()));
        s.variantA = p.value("a", 0);
        s.variantB = p.value("b", 0);
        if (s.variantA < 0 || s.variantB < 0 || s.variantA >= r.variants.size()
            || s.variantB >= r.variants.size())
            return false;
        s.winsA = p.value("wins_a", 0);
        s.winsB = p.value("wins_b", 0);
        s.ties = p.value("ties", 0);
        s.inconsistent = p.value("inconsistent", 0);
        s.errors = p.value("errors", 0);
        s.reliability.pairs = p.value("pairs", 0);
        s.reliability.consistent = p.value("consistent", 0);
        s.reliability.inconsistentPicks = p.value("inconsistent_picks", 0);
        s.reliability.firstShownPicks = p.value("first_shown_picks", 0);
        s.reliability.consistencyRate = optFrom(p, "consistency_rate");
        s.reliability.positionBiasRate = optFrom(p, "position_bias_rate");
        r.pairwise.append(s);
    }
    r.passedSamples = j.value("passed", 0);
    r.scoredSamples = j.value("scored", 0);
    r.errorCount = j.value("errors", 0);
    r.checked = j.value("checked", false);
    return true;
}

json EvalStatistics::comparisonJson(const VariantComparisonResult &c)
{
    const stats::CaseComparison &pf = c.passFail;
    json passFail = {
        {"verdict", int(pf.verdict)},
        {"p", pf.pValue},
        {"paired", pf.pairedCases},
        {"unpaired", pf.unpairedCases},
        {"repeated", pf.repeated},
        {"mcnemar",
         {{"only_first", pf.mcnemar.onlyFirst},
          {"only_second", pf.mcnemar.onlySecond},
          {"p", pf.mcnemar.pValue}}},
        {"share_difference", pf.shareDifference ? bootstrapJson(*pf.shareDifference) : json()},
        {"sentence", sstr(pf.sentence)},
    };
    return {{"baseline", c.baseline},
            {"candidate", c.candidate},
            {"pass_fail", passFail},
            {"scores", c.scores ? bootstrapJson(*c.scores) : json()},
            {"sentence", sstr(c.sentence)}};
}

std::optional<VariantComparisonResult> EvalStatistics::comparisonFromJson(const json &j)
{
    if (!j.is_object() || !j.contains("pass_fail") || !j["pass_fail"].is_object())
        return std::nullopt;
    VariantComparisonResult c;
    c.baseline = j.value("baseline", 0);
    c.candidate = j.value("candidate", 0);
    const json &pf = j["pass_fail"];
    const int verdict = pf.value("verdict", int(stats::ComparisonVerdict::NoSignificantDifference));
    if (verdict < 0 || verdict > int(stats::ComparisonVerdict::NoSignificantDifference))
        return std::nullopt;
    c.passFail.verdict = stats::ComparisonVerdict(verdict);
    c.passFail.pValue = pf.value("p", 1.0);
    c.passFail.pairedCases = pf.value("paired", 0);
    c.passFail.unpairedCases = pf.value("unpaired", 0);
    c.passFail.repeated = pf.value("repeated", false);
    const json m = pf.value("mcnemar", json::object());
    c.passFail.mcnemar.onlyFirst = m.value("only_first", 0);
    c.passFail.mcnemar.onlySecond = m.value("only_second", 0);
    c.passFail.mcnemar.pValue = m.value("p", 1.0);
    if (pf.contains("share_difference") && pf["share_difference"].is_object())
        c.passFail.shareDifference = bootstrapFrom(pf["share_difference"]);
    c.passFail.sentence = qstr(pf.value("sentence", std::string()));
    if (j.contains("scores") && j["scores"].is_object())
        c.scores = bootstrapFrom(j["scores"]);
    c.sentence = qstr(j.value("sentence", std::string()));
    return c;
}

Result<std::optional<EvalStatistics::Summary>>
EvalStatistics::cachedSummary(Database &db, qint64 evalId, const std::atomic_bool *cancel)
{
    auto print = fingerprint(db, evalId);
    if (!print)
        return fail(print.error());
    const auto hit = cached(db, evalId, QStringLiteral("variants"), *print);
    if (!hit)
        return std::optional<Summary>();
    // The header alone (no case is read), then the cached numbers over it.
    EvalLoadOptions header;
    header.caseIds = QList<qint64>();
    header.details = false;
    header.statistics = false;
    header.cancel = cancel;
    auto results = EvalResults::load(db, evalId, header);
    if (!results)
        return fail(results.error());
    if (!applyVariantsJson(*results, *hit))
        return std::optional<Summary>();
    return std::optional<Summary>(
        Summary {std::make_shared<const EvalResults>(std::move(*results)), nullptr, true, *print});
}

Result<EvalStatistics::Summary> EvalStatistics::summary(Database &db, qint64 evalId,
                                                        const std::atomic_bool *cancel, bool save)
{
    auto hit = cachedSummary(db, evalId, cancel);
    if (!hit)
        return fail(hit.error());
    if (*hit)
        return **hit;
    auto print = fingerprint(db, evalId);
    if (!print)
        return fail(print.error());
    EvalLoadOptions verdicts;
    verdicts.details = false;
    verdicts.cancel = cancel;
    auto scores = EvalResults::load(db, evalId, verdicts);
    if (!scores)
        return fail(scores.error());
    auto shared = std::make_shared<const EvalResults>(std::move(*scores));
    Summary computed {std::make_shared<const EvalResults>(shared->withoutCells()), shared, false,
                      *print};
    if (save)
        storeSummary(db, computed);
    return computed;
}

void EvalStatistics::storeSummary(Database &db, const Summary &summary)
{
    if (summary.fromCache || !summary.results || !finished(summary.results->status))
        return;
    store(db, summary.results->evalId, QStringLiteral("variants"), summary.fingerprint,
          variantsJson(*summary.results));
}

bool EvalStatistics::summarize(Database &db, EvalResults &results)
{
    auto print = fingerprint(db, results.evalId);
    if (print)
        if (const auto hit = cached(db, results.evalId, QStringLiteral("variants"), *print))
            if (applyVariantsJson(results, *hit))
                return true;
    results.summarize();
    if (print && finished(results.status))
        store(db, results.evalId, QStringLiteral("variants"), *print, variantsJson(results));
    return false;
}

Result<EvalResults> EvalStatistics::loadWhole(Database &db, qint64 evalId)
{
    EvalLoadOptions whole;
    whole.summarize = false;
    auto results = EvalResults::load(db, evalId, whole);
    if (!results)
        return fail(results.error());
    summarize(db, *results);
    return results;
}

Result<VariantComparisonResult> EvalStatistics::compare(Database &db, qint64 evalId, int baseline,
                                                        int candidate,
                                                        std::shared_ptr<const EvalResults> scores,
                                                        const std::atomic_bool *cancel, bool save,
                                                        QString *fingerprintOut)
{
    if (fingerprintOut)
        fingerprintOut->clear();
    auto print = fingerprint(db, evalId);
    if (!print)
        return fail(print.error());
    const QString kind = compareKind(baseline, candidate);
    if (const auto hit = cached(db, evalId, kind, *print))
        if (auto c = comparisonFromJson(*hit))
            return *c;
    if (!scores) {
        EvalLoadOptions verdicts;
        verdicts.details = false;
        verdicts.statistics = false;
        verdicts.cancel = cancel;
        auto loaded = EvalResults::load(db, evalId, verdicts);
        if (!loaded)
            return fail(loaded.error());
        scores = std::make_shared<const EvalResults>(std::move(*loaded));
    }
    auto c = scores->compare(baseline, candidate);
    if (!c)
        return fail(c.error());
    if (finished(scores->status)) {
        if (save)
            storeComparison(db, evalId, *print, *c);
        else if (fingerprintOut)
            *fingerprintOut = *print;
    }
    return *c;
}

void EvalStatistics::storeComparison(Database &db, qint64 evalId, const QString &fingerprint,
                                     const VariantComparisonResult &comparison)
{
    store(db, evalId, compareKind(comparison.baseline, comparison.candidate), fingerprint,
          comparisonJson(comparison));
}

} // namespace ts
