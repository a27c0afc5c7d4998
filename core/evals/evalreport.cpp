#include "evals/evalreport.h"

#include "common/json.h"
#include "datasets/datasetstore.h"
#include "storage/database.h"

#include <QIODevice>
#include <functional>

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
    const int number = r.caseNumber(c) + 1;
    return tc.data.description.isEmpty()
        ? QStringLiteral("case %1").arg(number)
        : QStringLiteral("case %1: %2").arg(number).arg(tc.data.description);
}

} // namespace

namespace {

nlohmann::json recordJson(const EvalResults &r, int c, int v, const EvalSample &s)
{
    const TestCase &tc = r.cases[c];
    const EvalVariantSummary &variant = r.variants[v];
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
             {"error", j.error.isEmpty() ? nlohmann::json() : nlohmann::json(sstr(j.error))}});
    return {
        {"case_id", tc.id},
        {"case_index", r.caseNumber(c)},
        {"description", sstr(tc.data.description)},
        {"vars", tc.data.vars},
        {"expected", tc.data.expected ? nlohmann::json(sstr(*tc.data.expected)) : nlohmann::json()},
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
    };
}

} // namespace

nlohmann::json evalResultRecords(const EvalResults &r)
{
    nlohmann::json records = nlohmann::json::array();
    for (int c = 0; c < r.cases.size(); ++c)
        for (int v = 0; v < r.variants.size(); ++v)
            for (const EvalSample &s : r.cell(c, v).samples)
                records.push_back(recordJson(r, c, v, s));
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

namespace {

/// Visits the cells of variant `v` that ran, in case order: (loaded results, case index in
/// them). The in-memory export visits one EvalResults; the streamed one loads a page at a time.
using CellVisitor = std::function<void(const EvalResults &, int)>;
using CellSource = std::function<Result<void>(int v, const CellVisitor &)>;

void writeTestcase(QXmlStreamWriter &w, const EvalResults &r, int c, int v)
{
    const EvalCell &cell = r.cell(c, v);
    if (cell.samples.isEmpty())
        return;
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

/// `verdicts` holds every cell's verdicts (for the counts in the suites' attributes, which
/// come before their test cases); `cells` the cells with their text.
Result<void> writeJunit(QXmlStreamWriter &w, const EvalResults &verdicts, const CellSource &cells)
{
    const EvalResults &r = verdicts;
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
        auto ok
            = cells(v, [&w, v](const EvalResults &page, int c) { writeTestcase(w, page, c, v); });
        if (!ok)
            return ok;
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    return {};
}

/// Reads the eval's cases `pageSize` at a time in dataset order (keyset pages), those that ran
/// on variant `v` (on any variant when v < 0) with their cells and details, and hands each page
/// to `visit`. `verdicts` says which ran and numbers the cases.
Result<void> forEachPage(Database &db, const EvalResults &verdicts, int v, int pageSize,
                         const std::function<void(const EvalResults &)> &visit)
{
    QHash<qint64, int> index;
    index.reserve(verdicts.cases.size());
    for (int c = 0; c < verdicts.cases.size(); ++c)
        index.insert(verdicts.cases[c].id, c);
    const auto ran = [&](int c) {
        if (v >= 0)
            return !verdicts.cell(c, v).samples.isEmpty();
        for (int w = 0; w < verdicts.variants.size(); ++w)
            if (!verdicts.cell(c, w).samples.isEmpty())
                return true;
        return false;
    };
    DatasetStore datasets(db);
    CaseKey after;
    while (verdicts.dataset.id) {
        auto cases = datasets.casesPage(verdicts.dataset.id, after, pageSize);
        if (!cases)
            return fail(cases.error());
        if (cases->isEmpty())
            return {};
        after = CaseKey::after(cases->last());
        EvalLoadOptions page;
        page.cases = QList<TestCase>();
        page.statistics = false;
        page.onlyVariant = v;
        QList<int> numbers;
        for (const TestCase &tc : std::as_const(*cases)) {
            const auto it = index.constFind(tc.id);
            if (it == index.cend() || !ran(*it))
                continue;
            page.cases->append(tc);
            numbers.append(verdicts.caseNumber(*it));
        }
        if (page.cases->isEmpty())
            continue;
        auto loaded = EvalResults::load(db, verdicts.evalId, page);
        if (!loaded)
            return fail(loaded.error());
        loaded->caseNumbers = numbers;
        visit(*loaded);
    }
    return {};
}

} // namespace

QByteArray evalJunitXml(const EvalResults &r)
{
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    [[maybe_unused]] auto ok = writeJunit(w, r, [&r](int, const CellVisitor &visit) {
        for (int c = 0; c < r.cases.size(); ++c)
            visit(r, c);
        return Result<void>();
    });
    return xml;
}

Result<void> writeEvalJunitXml(Database &db, const EvalResults &verdicts, QIODevice &out,
                               int pageSize)
{
    QXmlStreamWriter w(&out);
    auto ok = writeJunit(w, verdicts, [&](int v, const CellVisitor &visit) -> Result<void> {
        return forEachPage(db, verdicts, v, pageSize, [&](const EvalResults &page) {
            for (int c = 0; c < page.cases.size(); ++c)
                visit(page, c);
        });
    });
    if (!ok)
        return ok;
    if (w.hasError())
        return fail(ErrorCode::Io, QStringLiteral("Could not write the JUnit XML."));
    return {};
}

Result<void> writeEvalReportJson(Database &db, const EvalResults &verdicts,
                                 const QList<VariantComparisonResult> &comparisons, QIODevice &out,
                                 int pageSize)
{
    // The same document as evalReportJson(...).dump(2), written a record at a time: keys in
    // nlohmann's (sorted) order, each value indented as dump(2) indents it at its depth.
    const auto handler = nlohmann::json::error_handler_t::replace;
    bool good = true;
    const auto write = [&](const std::string &text) {
        good = good && out.write(text.data(), qint64(text.size())) == qint64(text.size());
    };
    const auto indented = [&](const nlohmann::json &value, int depth) {
        // nlohmann's own serializer, started at the value's depth (what dump(2) does inside
        // the whole document).
        std::string text;
        nlohmann::detail::serializer<nlohmann::json> serializer(
            nlohmann::detail::output_adapter<char>(text), ' ', handler);
        serializer.dump(value, true, false, 2, unsigned(depth));
        return text;
    };
    const auto field = [&](const char *key, const nlohmann::json &value, bool last = false) {
        write("  " + nlohmann::json(key).dump() + ": " + indented(value, 2)
              + (last ? "\n" : ",\n"));
    };
    write("{\n");
    field("cases", verdicts.cases.size());
    field("dataset", sstr(verdicts.dataset.name));
    field("errors", verdicts.errorCount);
    field("eval_id", verdicts.evalId);
    field("format", "touchstone-eval/2");
    write("  \"results\": [");
    bool first = true;
    auto ok = forEachPage(db, verdicts, -1, pageSize, [&](const EvalResults &page) {
        for (int c = 0; c < page.cases.size(); ++c)
            for (int v = 0; v < page.variants.size(); ++v)
                for (const EvalSample &s : page.cell(c, v).samples) {
                    write(first ? "\n    " : ",\n    ");
                    write(indented(recordJson(page, c, v, s), 4));
                    first = false;
                }
    });
    if (!ok)
        return ok;
    write(first ? "],\n" : "\n  ],\n");
    field("samples", verdicts.samples);
    field("status", sstr(verdicts.status));
    field("summary", evalSummaryJson(verdicts, comparisons));
    field("unit_of_analysis", "case", true);
    write("}\n");
    if (!good)
        return fail(ErrorCode::Io,
                    QStringLiteral("Could not write the JSON report: %1").arg(out.errorString()));
    return {};
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
