#include "evals/evalreport.h"

#include "common/json.h"

#include <QXmlStreamWriter>

namespace ts {

namespace {

nlohmann::json opt(const std::optional<double> &v)
{
    return v ? nlohmann::json(*v) : nlohmann::json();
}

nlohmann::json passRateJson(const stats::CasePassRate &p, int errors)
{
    return {{"passes", p.successes},
            {"trials", p.trials},
            {"errors", errors},
            {"cases", p.cases},
            {"unit", "case"},
            {"method", p.method == stats::RateMethod::Wilson ? "wilson" : "case_bootstrap"},
            {"rate", p.estimate},
            {"ci95", {p.ci.low, p.ci.high}}};
}

const char *verdictName(stats::ComparisonVerdict v)
{
    switch (v) {
    case stats::ComparisonVerdict::Better:
        return "better";
    case stats::ComparisonVerdict::Worse:
        return "worse";
    case stats::ComparisonVerdict::NoSignificantDifference:
        return "no_significant_difference";
    }
    return "no_significant_difference";
}

QString caseName(const EvalResults &r, int c)
{
    const TestCase &tc = r.cases[c];
    return tc.data.description.isEmpty()
        ? QStringLiteral("case %1").arg(c + 1)
        : QStringLiteral("case %1: %2").arg(c + 1).arg(tc.data.description);
}

} // namespace

nlohmann::json evalResultRecords(const EvalResults &r)
{
    nlohmann::json records = nlohmann::json::array();
    for (int c = 0; c < r.cases.size(); ++c) {
        const TestCase &tc = r.cases[c];
        for (int v = 0; v < r.variants.size(); ++v) {
            const EvalVariantSummary &variant = r.variants[v];
            for (const EvalSample &s : r.cell(c, v).samples) {
                nlohmann::json assertions = nlohmann::json::array();
                for (const AssertionResult &a : s.assertions)
                    assertions.push_back({{"type", sstr(a.type)},
                                          {"value", a.value},
                                          {"weight", a.weight},
                                          {"pass", a.pass},
                                          {"score", a.score},
                                          {"reason", sstr(a.reason)}});
                nlohmann::json judgments = nlohmann::json::array();
                for (const JudgeOutcome &j : s.judgments)
                    judgments.push_back(
                        {{"judge", sstr(j.judgeName)},
                         {"kind", sstr(judgeKindName(j.kind))},
                         {"pass", j.pass ? nlohmann::json(*j.pass) : nlohmann::json()},
                         {"score", opt(j.score)},
                         {"reason", sstr(j.reason)},
                         {"error",
                          j.error.isEmpty() ? nlohmann::json() : nlohmann::json(sstr(j.error))}});
                records.push_back({
                    {"case_id", tc.id},
                    {"case_index", c},
                    {"description", sstr(tc.data.description)},
                    {"vars", tc.data.vars},
                    {"expected",
                     tc.data.expected ? nlohmann::json(sstr(*tc.data.expected)) : nlohmann::json()},
                    {"variant", v},
                    {"prompt", sstr(variant.promptName)},
                    {"prompt_version", variant.promptVersion},
                    {"model", sstr(variant.modelName)},
                    {"sample_index", s.sampleIndex},
                    {"generation_id", s.generationId},
                    {"status", sstr(generationStatusName(s.status))},
                    {"error", s.error.isEmpty() ? nlohmann::json() : nlohmann::json(sstr(s.error))},
                    {"output", sstr(s.output)},
                    {"scored", s.hasVerdict()},
                    {"pass", s.pass},
                    {"score", s.score},
                    {"reason", sstr(s.reason)},
                    {"latency_ms", opt(s.latencyMs)},
                    {"cost", opt(s.cost)},
                    {"cached", s.cacheHit},
                    {"assertions", assertions},
                    {"judgments", judgments},
                });
            }
        }
    }
    return records;
}

nlohmann::json evalSummaryJson(const EvalResults &r,
                               const QList<VariantComparisonResult> &comparisons)
{
    nlohmann::json variants = nlohmann::json::array();
    for (const EvalVariantSummary &v : r.variants) {
        nlohmann::json flaky = nlohmann::json::array();
        for (int c : v.flakyCases)
            flaky.push_back(r.cases[c].id);
        variants.push_back({
            {"label", sstr(v.label)},
            {"prompt", sstr(v.promptName)},
            {"prompt_version", v.promptVersion},
            {"model", sstr(v.modelName)},
            {"pass_rate", passRateJson(v.passRate, v.errors)},
            {"score",
             {{"mean", v.score.mean},
              {"ci95", {v.score.ci.low, v.score.ci.high}},
              {"n", v.score.n},
              {"unit", "case"}}},
            {"errors", v.errors},
            {"missing", v.missing},
            {"cost", v.cost},
            {"mean_latency_ms", opt(v.meanLatencyMs)},
            {"pass_at_k", opt(v.passAtK)},
            {"pass_hat_k", opt(v.passHatK)},
            {"k", r.samples},
            {"flaky_case_ids", flaky},
        });
    }
    nlohmann::json comps = nlohmann::json::array();
    for (const VariantComparisonResult &c : comparisons) {
        const stats::CaseComparison &pf = c.passFail;
        nlohmann::json item = {
            {"baseline", sstr(r.variants[c.baseline].label)},
            {"candidate", sstr(r.variants[c.candidate].label)},
            {"unit", "case"},
            {"paired_cases", pf.pairedCases},
            {"unpaired_cases", pf.unpairedCases},
            {"verdict", verdictName(pf.verdict)},
            {"test", pf.shareDifference ? "paired_bootstrap_cases" : "mcnemar_exact"},
            {"p", pf.pValue},
            {"mcnemar_p", pf.mcnemar.pValue},
            {"mcnemar_on", pf.repeated ? "case_majority_verdicts" : "case_verdicts"},
            {"candidate_only_passes", pf.mcnemar.onlySecond},
            {"baseline_only_passes", pf.mcnemar.onlyFirst},
            {"pass_share_difference", nlohmann::json()},
            {"score_difference", nlohmann::json()},
            {"sentence", sstr(c.sentence)},
        };
        if (pf.shareDifference)
            item["pass_share_difference"]
                = {{"mean", pf.shareDifference->meanDifference},
                   {"ci95", {pf.shareDifference->ci.low, pf.shareDifference->ci.high}},
                   {"p", pf.shareDifference->pValue}};
        if (c.scores)
            item["score_difference"] = {{"mean", c.scores->meanDifference},
                                        {"ci95", {c.scores->ci.low, c.scores->ci.high}},
                                        {"p", c.scores->pValue}};
        comps.push_back(item);
    }
    nlohmann::json pairwise = nlohmann::json::array();
    for (const PairwiseJudgeSummary &p : r.pairwise)
        pairwise.push_back({{"judge", sstr(p.judgeName)},
                            {"a", sstr(r.variants[p.variantA].label)},
                            {"b", sstr(r.variants[p.variantB].label)},
                            {"wins_a", p.winsA},
                            {"wins_b", p.winsB},
                            {"ties", p.ties},
                            {"inconsistent", p.inconsistent},
                            {"errors", p.errors},
                            {"consistency_rate", opt(p.reliability.consistencyRate)}});
    return {{"overall",
             {{"passes", r.passedSamples},
              {"trials", r.scoredSamples},
              {"errors", r.errorCount},
              {"rate", r.scoredSamples ? double(r.passedSamples) / r.scoredSamples : 0.0}}},
            {"variants", variants},
            {"comparisons", comps},
            {"pairwise_judges", pairwise}};
}

nlohmann::json evalReportJson(const EvalResults &r,
                              const QList<VariantComparisonResult> &comparisons)
{
    return {{"format", "touchstone-eval/2"},   {"eval_id", r.evalId},
            {"status", sstr(r.status)},        {"dataset", sstr(r.dataset.name)},
            {"cases", r.cases.size()},         {"samples", r.samples},
            {"unit_of_analysis", "case"},      {"errors", r.errorCount},
            {"results", evalResultRecords(r)}, {"summary", evalSummaryJson(r, comparisons)}};
}

QByteArray evalJunitXml(const EvalResults &r)
{
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.setAutoFormatting(true);
    w.writeStartDocument();
    w.writeStartElement(QStringLiteral("testsuites"));
    w.writeAttribute(QStringLiteral("name"), QStringLiteral("touchstone eval %1").arg(r.evalId));
    int allTests = 0, allFailures = 0, allErrors = 0;
    struct Suite
    {
        int tests = 0, failures = 0, errors = 0;
        double time = 0;
    };
    QList<Suite> suites(r.variants.size());
    for (int v = 0; v < r.variants.size(); ++v)
        for (int c = 0; c < r.cases.size(); ++c) {
            const EvalCell &cell = r.cell(c, v);
            if (cell.samples.isEmpty())
                continue;
            ++suites[v].tests;
            bool error = false;
            for (const EvalSample &s : cell.samples) {
                error = error || !s.hasVerdict();
                suites[v].time += s.latencyMs.value_or(0) / 1000.0;
            }
            if (error)
                ++suites[v].errors;
            else if (!cell.pass())
                ++suites[v].failures;
        }
    for (const Suite &s : suites) {
        allTests += s.tests;
        allFailures += s.failures;
        allErrors += s.errors;
    }
    w.writeAttribute(QStringLiteral("tests"), QString::number(allTests));
    w.writeAttribute(QStringLiteral("failures"), QString::number(allFailures));
    w.writeAttribute(QStringLiteral("errors"), QString::number(allErrors));
    for (int v = 0; v < r.variants.size(); ++v) {
        w.writeStartElement(QStringLiteral("testsuite"));
        w.writeAttribute(QStringLiteral("name"), r.variants[v].label);
        w.writeAttribute(QStringLiteral("tests"), QString::number(suites[v].tests));
        w.writeAttribute(QStringLiteral("failures"), QString::number(suites[v].failures));
        w.writeAttribute(QStringLiteral("errors"), QString::number(suites[v].errors));
        w.writeAttribute(QStringLiteral("time"), QString::number(suites[v].time, 'f', 3));
        for (int c = 0; c < r.cases.size(); ++c) {
            const EvalCell &cell = r.cell(c, v);
            if (cell.samples.isEmpty())
                continue;
            w.writeStartElement(QStringLiteral("testcase"));
            w.writeAttribute(QStringLiteral("classname"), r.dataset.name);
            w.writeAttribute(QStringLiteral("name"), caseName(r, c));
            double time = 0;
            for (const EvalSample &s : cell.samples)
                time += s.latencyMs.value_or(0) / 1000.0;
            w.writeAttribute(QStringLiteral("time"), QString::number(time, 'f', 3));
            const EvalSample *bad = nullptr;
            for (const EvalSample &s : cell.samples)
                if (!s.pass && (!bad || !s.hasVerdict()))
                    bad = &s;
            if (bad) {
                const bool error = !bad->hasVerdict();
                w.writeStartElement(error ? QStringLiteral("error") : QStringLiteral("failure"));
                QString message = bad->reason;
                if (cell.samples.size() > 1)
                    message = QStringLiteral("%1 of %2 samples passed; sample %3: %4")
                                  .arg(cell.passes())
                                  .arg(cell.outputs())
                                  .arg(bad->sampleIndex)
                                  .arg(bad->reason);
                w.writeAttribute(QStringLiteral("message"), message);
                w.writeCharacters(bad->output);
                w.writeEndElement();
            }
            w.writeTextElement(QStringLiteral("system-out"), cell.samples.first().output);
            w.writeEndElement();
        }
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    return xml;
}

namespace {

QByteArray csvField(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n')
        || bytes.contains('\r')) {
        bytes.replace("\"", "\"\"");
        bytes = '"' + bytes + '"';
    }
    return bytes;
}

} // namespace

QByteArray evalResultsCsv(const EvalResults &r)
{
    QByteArray out = "case_id,vars,variant,sample,status,pass,score,reason,output,latency_ms,"
                     "cost\r\n";
    for (int c = 0; c < r.cases.size(); ++c) {
        const TestCase &tc = r.cases[c];
        const QString vars = QString::fromStdString(tc.data.vars.dump());
        for (int v = 0; v < r.variants.size(); ++v) {
            for (const EvalSample &s : r.cell(c, v).samples) {
                const bool verdict = s.hasVerdict();
                QList<QByteArray> row
                    = {QByteArray::number(tc.id),
                       csvField(vars),
                       csvField(r.variants[v].label),
                       QByteArray::number(s.sampleIndex),
                       csvField(generationStatusName(s.status)),
                       verdict ? QByteArray(s.pass ? "true" : "false") : QByteArray(),
                       verdict ? QByteArray::number(s.score, 'g', 6) : QByteArray(),
                       csvField(verdict ? s.reason : s.error),
                       csvField(s.output),
                       s.latencyMs ? QByteArray::number(*s.latencyMs, 'f', 0) : QByteArray(),
                       s.cost ? QByteArray::number(*s.cost, 'g', 6) : QByteArray()};
                out += row.join(',') + "\r\n";
            }
        }
    }
    return out;
}

} // namespace ts
