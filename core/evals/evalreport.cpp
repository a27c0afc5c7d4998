#include "evals/evalreport.h"

#include "evals/evalreportjunit.h"
#include "evals/evalreportrecord.h"

#include "common/json.h"
#include "datasets/datasetstore.h"
#include "storage/database.h"
#include "storage/project.h"

#include <QIODevice>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

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

/// Reads the eval's cases `pageSize` at a time in dataset order (keyset pages), those that ran
/// on any variant, with their cells and details, and hands each page to `visit`. `verdicts`
/// says which ran and numbers the cases.
Result<void> forEachPage(Database &db, const EvalResults &verdicts, int pageSize,
                         const std::function<void(EvalResults &&)> &visit)
{
    QHash<qint64, int> index;
    index.reserve(verdicts.cases.size());
    for (int c = 0; c < verdicts.cases.size(); ++c)
        index.insert(verdicts.cases[c].id, c);
    const auto ran = [&](int c) {
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
        visit(std::move(*loaded));
    }
    return {};
}

/// forEachPage() with the reading on a connection and a thread of their own, a page or two
/// ahead of `write` on this thread: on two cores reading a page (SQL, parsing) and writing the
/// previous one overlap. Without a second connection (no file) everything runs here.
Result<void> forEachPageAhead(Database &db, const EvalResults &verdicts, int pageSize,
                              const std::function<void(const EvalResults &)> &write)
{
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<EvalResults> pages;
    bool done = false;
    bool connected = false;
    Result<void> read;
    std::thread reader([&] {
        auto project = db.path().isEmpty()
            ? Result<Project>(fail(ErrorCode::NotFound, QStringLiteral("no file")))
            : Project::openReader(db.path(), false);
        if (project) {
            {
                std::lock_guard lock(mutex);
                connected = true;
            }
            read = forEachPage(project->db(), verdicts, pageSize, [&](EvalResults &&page) {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return pages.size() < 2; });
                pages.push_back(std::move(page));
                changed.notify_all();
            });
        }
        std::lock_guard lock(mutex);
        done = true;
        changed.notify_all();
    });
    while (true) {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return done || !pages.empty(); });
        if (pages.empty())
            break;
        const EvalResults page = std::move(pages.front());
        pages.pop_front();
        changed.notify_all();
        lock.unlock();
        write(page);
    }
    reader.join();
    if (!connected)
        return forEachPage(db, verdicts, pageSize, [&](EvalResults &&page) { write(page); });
    return read;
}

} // namespace

QByteArray evalJunitXml(const EvalResults &r)
{
    // One writer, variant by variant: what the streamed writer's parts must add up to.
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    const QList<JunitReportWriter::Suite> suites = JunitReportWriter::suites(r);
    JunitReportWriter::writeHead(w, r, suites);
    for (int v = 0; v < r.variants.size(); ++v) {
        JunitReportWriter::writeSuiteStart(w, r, suites, v);
        for (int c = 0; c < r.cases.size(); ++c)
            JunitReportWriter::writeTestcase(w, r, c, v);
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    return xml;
}

Result<void> writeEvalReports(Database &db, const EvalResults &verdicts,
                              const std::function<nlohmann::json()> &summary, QIODevice *json,
                              QIODevice *junit, int pageSize, bool readAhead)
{
    // The JSON is the document of evalReportJson(...).dump(2), written a record at a time:
    // keys in nlohmann's (sorted) order, each value indented as dump(2) indents it at its
    // depth.
    const auto handler = nlohmann::json::error_handler_t::replace;
    std::string buffer;
    bool good = true;
    const auto flush = [&](bool always) {
        if (!json || (!always && buffer.size() < (1u << 20)))
            return;
        good = good && json->write(buffer.data(), qint64(buffer.size())) == qint64(buffer.size());
        buffer.clear();
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
        buffer += "  " + nlohmann::json(key).dump() + ": " + indented(value, 2)
            + (last ? "\n" : ",\n");
    };
    if (json) {
        buffer += "{\n";
        field("cases", verdicts.cases.size());
        field("dataset", sstr(verdicts.dataset.name));
        field("errors", verdicts.errorCount);
        field("eval_id", verdicts.evalId);
        field("format", "touchstone-eval/2");
        buffer += "  \"results\": [";
    }
    std::optional<JunitReportWriter> xml;
    if (junit) {
        xml.emplace(verdicts, *junit);
        if (auto ok = xml->begin(); !ok)
            return ok;
    }
    EvalRecordJson records(buffer);
    bool first = true;
    const auto write = [&](const EvalResults &page) {
        for (int c = 0; c < page.cases.size(); ++c)
            for (int v = 0; v < page.variants.size(); ++v) {
                if (xml)
                    xml->add(page, c, v);
                if (!json)
                    continue;
                for (const EvalSample &s : page.cell(c, v).samples) {
                    buffer += first ? "\n    " : ",\n    ";
                    records.append(page, c, v, s, 4);
                    first = false;
                }
                flush(false);
            }
    };
    auto ok = readAhead
        ? forEachPageAhead(db, verdicts, pageSize, write)
        : forEachPage(db, verdicts, pageSize, [&](EvalResults &&page) { write(page); });
    if (!ok)
        return ok;
    if (xml)
        if (auto done = xml->finish(); !done)
            return done;
    if (json) {
        buffer += first ? "],\n" : "\n  ],\n";
        field("samples", verdicts.samples);
        field("status", sstr(verdicts.status));
        field("summary", summary ? summary() : evalSummaryJson(verdicts, {}));
        field("unit_of_analysis", "case", true);
        buffer += "}\n";
        flush(true);
        if (!good)
            return fail(
                ErrorCode::Io,
                QStringLiteral("Could not write the JSON report: %1").arg(json->errorString()));
    }
    return {};
}

Result<void> writeEvalJunitXml(Database &db, const EvalResults &verdicts, QIODevice &out,
                               int pageSize)
{
    // On `db` itself: a reader pool cancels an export through its connection.
    return writeEvalReports(db, verdicts, {}, nullptr, &out, pageSize, false);
}

Result<void> writeEvalReportJson(Database &db, const EvalResults &verdicts,
                                 const QList<VariantComparisonResult> &comparisons, QIODevice &out,
                                 int pageSize)
{
    return writeEvalReports(
        db, verdicts, [&] { return evalSummaryJson(verdicts, comparisons); }, &out, nullptr,
        pageSize, false);
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

/// The CSV rows of every sample that ran in `r` (a whole eval or a page of its cases).
void appendCsvRows(QByteArray &out, const EvalResults &r)
{
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
}

const char kCsvHeader[] = "case_id,vars,variant,sample,status,pass,score,reason,output,latency_ms,"
                          "cost\r\n";

} // namespace

QByteArray evalResultsCsv(const EvalResults &r)
{
    QByteArray out = kCsvHeader;
    appendCsvRows(out, r);
    return out;
}

Result<void> writeEvalResultsCsv(Database &db, const EvalResults &verdicts, QIODevice &out,
                                 int pageSize)
{
    const auto failed = [&out] {
        return fail(ErrorCode::Io,
                    QStringLiteral("Could not write the CSV: %1").arg(out.errorString()));
    };
    if (out.write(kCsvHeader) < 0)
        return failed();
    bool writeFailed = false;
    QByteArray chunk;
    auto read = forEachPage(db, verdicts, pageSize, [&](EvalResults &&page) {
        if (writeFailed)
            return;
        chunk.clear();
        appendCsvRows(chunk, page);
        writeFailed = out.write(chunk) != chunk.size();
    });
    if (!read)
        return read;
    if (writeFailed)
        return failed();
    return {};
}

} // namespace ts
