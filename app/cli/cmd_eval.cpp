#include "cli.h"

#include "common/json.h"
#include "datasets/datasetstore.h"
#include "datasets/judgestore.h"
#include "evals/evalplan.h"
#include "evals/evalreport.h"
#include "evals/evalresults.h"
#include "evals/evalrunner.h"
#include "insights/embeddingcache.h"
#include "models/modelstore.h"
#include "net/networkclient.h"
#include "prompts/promptstore.h"
#include "runs/generationwriter.h"
#include "runs/runengine.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSocketNotifier>

#include <csignal>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <future>
#include <sys/stat.h>
#include <unistd.h>

namespace ts::cli {

namespace {

int interruptPipe[2] = {-1, -1};

void onInterrupt(int)
{
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(interruptPipe[1], &byte, 1);
}

QString percent(double x)
{
    return QString::number(100.0 * x, 'f', 1) + QLatin1Char('%');
}

QString money(double x)
{
    return QStringLiteral("$") + QString::number(x, 'f', x < 0.01 ? 5 : 2);
}

// Reports are written as they are read from the project, so a large eval never sits whole
// in memory (a plain file, so /dev/stdout works too).
Result<std::unique_ptr<QFile>> openReport(const QString &path)
{
    auto f = std::make_unique<QFile>(path);
    if (!f->open(QIODevice::WriteOnly))
        return fail(ErrorCode::Io,
                    QStringLiteral("Cannot write %1: %2").arg(path, f->errorString()));
    return f;
}

// Whether a report file is the process's standard output (--json /dev/stdout).
bool isStdout(QFile *f)
{
    struct stat file
    {
    }, output {};
    return f && ::fstat(f->handle(), &file) == 0 && ::fstat(STDOUT_FILENO, &output) == 0
        && file.st_dev == output.st_dev && file.st_ino == output.st_ino;
}

Result<void> closeReport(QFile *f)
{
    if (f && !f->flush())
        return fail(ErrorCode::Io,
                    QStringLiteral("Cannot write %1: %2").arg(f->fileName(), f->errorString()));
    return {};
}

std::optional<double> parseRate(QString text)
{
    bool ok = false;
    const bool pct = text.endsWith(QLatin1Char('%'));
    if (pct)
        text.chop(1);
    double v = text.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    if (pct || v > 1)
        v /= 100.0;
    if (v < 0 || v > 1)
        return std::nullopt;
    return v;
}

// Which unit each number uses, so nobody reads samples as independent cases.
QString unitNote(const EvalResults &r)
{
    bool repeated = false;
    for (const EvalVariantSummary &v : r.variants)
        repeated = repeated || v.passRate.method == stats::RateMethod::CaseBootstrap;
    QString note = repeated
        ? QStringLiteral("Passed/scored count samples; the pass rate is the mean per-case pass "
                         "share, its 95% interval a bootstrap resampling cases (a case's %1 "
                         "samples stay together). Scores are per-case means.")
              .arg(r.samples)
        : QStringLiteral("Passed/scored count cases; 95% Wilson intervals.");
    note += QStringLiteral(" Calls that failed are errors, left out of every rate and test.\n");
    return note;
}

QString summaryTable(const EvalResults &r)
{
    int width = 7;
    for (const EvalVariantSummary &v : r.variants)
        width = std::max(width, int(v.label.size()));
    QString text = QStringLiteral("%1  %2  %3  %4  %5\n")
                       .arg(QStringLiteral("Variant"), -width)
                       .arg(QStringLiteral("Pass rate"), -17)
                       .arg(QStringLiteral("95% CI"), -15)
                       .arg(QStringLiteral("Score (95% CI)"), -22)
                       .arg(QStringLiteral("Errors"));
    for (const EvalVariantSummary &v : r.variants) {
        const QString rate = QStringLiteral("%1/%2 %3")
                                 .arg(v.passRate.successes)
                                 .arg(v.passRate.trials)
                                 .arg(percent(v.passRate.estimate));
        const QString ci = QStringLiteral("[%1, %2]")
                               .arg(QString::number(100 * v.passRate.ci.low, 'f', 1),
                                    QString::number(100 * v.passRate.ci.high, 'f', 1));
        const QString score = QStringLiteral("%1 [%2, %3]")
                                  .arg(QString::number(v.score.mean, 'f', 3),
                                       QString::number(v.score.ci.low, 'f', 3),
                                       QString::number(v.score.ci.high, 'f', 3));
        text += QStringLiteral("%1  %2  %3  %4  %5\n")
                    .arg(v.label, -width)
                    .arg(rate, -17)
                    .arg(ci, -15)
                    .arg(score, -22)
                    .arg(v.errors);
        if (r.samples > 1 && v.passAtK)
            text += QStringLiteral("%1  pass@%2 %3, pass^%2 %4, %5 flaky case%6\n")
                        .arg(QString(), -width)
                        .arg(r.samples)
                        .arg(percent(*v.passAtK))
                        .arg(percent(v.passHatK.value_or(0)))
                        .arg(v.flakyCases.size())
                        .arg(v.flakyCases.size() == 1 ? QString() : QStringLiteral("s"));
    }
    text += unitNote(r);
    for (const PairwiseJudgeSummary &p : r.pairwise)
        text += QStringLiteral("Judge %1: %2 wins %3, %4 wins %5, ties %6, inconsistent %7%8\n")
                    .arg(p.judgeName, r.variants[p.variantA].label)
                    .arg(p.winsA)
                    .arg(r.variants[p.variantB].label)
                    .arg(p.winsB)
                    .arg(p.ties)
                    .arg(p.inconsistent)
                    .arg(p.errors ? QStringLiteral(", errors %1").arg(p.errors) : QString());
    return text;
}

} // namespace

int runEval(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Evaluate prompt versions x models on a dataset: every case through every variant, the "
        "dataset's assertions checked on each output, judges if given. Prints pass rates with 95% "
        "intervals and paired comparisons, the test case as the unit of analysis. Network "
        "faults are retried; a call that still fails is an error, left out of the rates. An "
        "interrupted eval "
        "(Ctrl+C, crash), or one with errors, resumes when the same command runs again (or with "
        "--retry-errors). Exit 1 when calls failed, the pass rate is under --fail-under or a "
        "variant is significantly worse than --baseline."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("prompt"),
         QStringLiteral("Prompt version NAME[@VERSION|@LABEL] (repeatable)."),
         QStringLiteral("REF")},
        {QStringLiteral("dataset"), QStringLiteral("Dataset name."), QStringLiteral("NAME")},
        {QStringLiteral("model"), QStringLiteral("Configured model name (repeatable)."),
         QStringLiteral("NAME")},
        {QStringLiteral("judge"), QStringLiteral("Judge name (repeatable)."),
         QStringLiteral("NAME")},
        {QStringLiteral("samples"), QStringLiteral("Samples per case and variant (default 1)."),
         QStringLiteral("N"), QStringLiteral("1")},
        {QStringLiteral("concurrency"), QStringLiteral("Most calls in flight (default 4)."),
         QStringLiteral("N"), QStringLiteral("4")},
        {QStringLiteral("no-cache"),
         QStringLiteral("Always ask the model, never the response cache.")},
        {QStringLiteral("fresh"),
         QStringLiteral("Start a new eval even when an unfinished one matches.")},
        {QStringLiteral("json"),
         QStringLiteral("Write every result and the statistics as JSON (see EVAL_JSON.md)."),
         QStringLiteral("OUT")},
        {QStringLiteral("junit"),
         QStringLiteral("Write JUnit XML (one testcase per case and variant)."),
         QStringLiteral("OUT")},
        {QStringLiteral("fail-under"),
         QStringLiteral("Exit 1 when a variant's pass rate is below RATE (0.9 or 90%)."),
         QStringLiteral("RATE")},
        {QStringLiteral("baseline"),
         QStringLiteral(
             "Compare with this version on the same models; exit 1 when significantly worse."),
         QStringLiteral("REF")},
        {QStringLiteral("retry-errors"),
         QStringLiteral("Only ask again the calls of a finished eval that failed: the eval "
                        "matching --prompt/--model/--dataset, else --eval ID, else the newest "
                        "eval with errors. Never starts a new eval.")},
        {QStringLiteral("eval"), QStringLiteral("With --retry-errors: the eval to retry."),
         QStringLiteral("ID")},
        {QStringLiteral("quiet"), QStringLiteral("No progress on stderr.")},
        {QStringLiteral("embedding-model"),
         QStringLiteral("Configured model that embeds for `similar` and answer-relevance "
                        "(default: the project's, see model default-embedding). Kept with the "
                        "eval: resuming it embeds with the same model."),
         QStringLiteral("NAME")},
    });
    if (int code = parseOrExit(p, args, QStringLiteral("eval"), 1, 1); code >= 0)
        return code;
    const QString help = QStringLiteral("eval");
    const bool retryErrors = p.isSet(QStringLiteral("retry-errors"));
    const bool byOptions = p.isSet(QStringLiteral("prompt")) || p.isSet(QStringLiteral("model"))
        || p.isSet(QStringLiteral("dataset"));
    if ((!retryErrors || byOptions)
        && (!p.isSet(QStringLiteral("prompt")) || !p.isSet(QStringLiteral("model"))
            || !p.isSet(QStringLiteral("dataset"))))
        return usageError(QStringLiteral("--prompt, --dataset and --model are required"), help);
    if (p.isSet(QStringLiteral("eval")) && !retryErrors)
        return usageError(QStringLiteral("--eval goes with --retry-errors"), help);
    if (retryErrors && p.isSet(QStringLiteral("fresh")))
        return usageError(QStringLiteral("--retry-errors and --fresh exclude each other"), help);
    bool ok = false;
    const int samples = p.value(QStringLiteral("samples")).toInt(&ok);
    if (!ok || samples < 1 || samples > 1000)
        return usageError(QStringLiteral("--samples must be between 1 and 1000"), help);
    const int concurrency = p.value(QStringLiteral("concurrency")).toInt(&ok);
    if (!ok || concurrency < 1 || concurrency > 512)
        return usageError(QStringLiteral("--concurrency must be between 1 and 512"), help);
    std::optional<double> failUnder;
    if (p.isSet(QStringLiteral("fail-under"))) {
        failUnder = parseRate(p.value(QStringLiteral("fail-under")));
        if (!failUnder)
            return usageError(QStringLiteral("--fail-under must be a rate such as 0.9 or 90%"),
                              help);
    }
    qint64 retryId = 0;
    if (p.isSet(QStringLiteral("eval"))) {
        retryId = p.value(QStringLiteral("eval")).toLongLong(&ok);
        if (!ok || retryId < 1)
            return usageError(QStringLiteral("--eval takes an eval id such as 7"), help);
    }

    const QString file = p.positionalArguments().at(0);
    auto project = Project::open(file);
    if (!project)
        return report(project.error());
    PromptStore prompts(project->db());
    ModelStore modelStore(project->db());
    EvalConfig config;
    QList<qint64> versionIds; // the prompt versions under test, in the order given
    std::optional<qint64> baselineId;
    const QString embeddingModel = p.value(QStringLiteral("embedding-model"));
    if (!embeddingModel.isEmpty()) {
        auto model = modelStore.find(embeddingModel);
        if (!model)
            return report(model.error());
        if (model->provider == ProviderKind::Anthropic)
            return usageError(QStringLiteral("--embedding-model: %1 is an Anthropic model, and "
                                             "Anthropic has no embeddings API")
                                  .arg(model->name),
                              help);
    }
    if (byOptions) {
        config.embeddingModel = embeddingModel; // part of what a resume must match
        for (const QString &ref : p.values(QStringLiteral("prompt"))) {
            auto v = prompts.resolve(ref);
            if (!v)
                return report(v.error());
            if (!versionIds.contains(v->id))
                versionIds.append(v->id);
        }
        QList<qint64> modelIds;
        for (const QString &name : p.values(QStringLiteral("model"))) {
            auto m = modelStore.find(name);
            if (!m)
                return report(m.error());
            if (!modelIds.contains(m->id))
                modelIds.append(m->id);
        }
        auto named = DatasetStore(project->db()).dataset(p.value(QStringLiteral("dataset")));
        if (!named)
            return report(named.error());
        config.datasetId = named->id;
        config.samples = samples;
        config.concurrency = concurrency;
        config.useCache = !p.isSet(QStringLiteral("no-cache"));
        config.resume = !p.isSet(QStringLiteral("fresh"));
        for (const QString &name : p.values(QStringLiteral("judge"))) {
            auto j = JudgeStore(project->db()).find(name);
            if (!j)
                return report(j.error());
            config.judgeIds.append(j->id);
        }
        for (qint64 v : versionIds)
            for (qint64 m : modelIds)
                config.variants.append({v, m});
        if (p.isSet(QStringLiteral("baseline"))) {
            auto b = prompts.resolve(p.value(QStringLiteral("baseline")));
            if (!b)
                return report(b.error());
            baselineId = b->id;
            if (!versionIds.contains(b->id))
                for (qint64 m : modelIds)
                    config.variants.append({b->id, m});
        }
        if (retryErrors) {
            auto found = findResumableEval(project->db(), config);
            if (!found)
                return report(found.error());
            if (!*found) {
                err(QStringLiteral("touchstone-cli: nothing to retry: no eval of these prompts, "
                                   "models and dataset has failed or missing calls.\n"));
                return Ok;
            }
            retryId = *found;
        }
    } else {
        if (!retryId) {
            auto latest = latestEvalWithErrors(project->db());
            if (!latest)
                return report(latest.error());
            if (!*latest) {
                err(QStringLiteral("touchstone-cli: nothing to retry: no eval in %1 has failed "
                                   "calls.\n")
                        .arg(file));
                return Ok;
            }
            retryId = *latest;
        }
        auto stored
            = project->db().prepare(QStringLiteral("SELECT config FROM evals WHERE id = ?"));
        if (!stored)
            return report(stored.error());
        stored->bind(1, retryId);
        auto text = stored->one([](const Statement &row) { return row.text(0); },
                                QStringLiteral("No eval with id %1.").arg(retryId));
        if (!text)
            return report(text.error());
        auto loaded = evalConfigFromJson(parseJson(*text).value_or(nlohmann::json::object()));
        if (!loaded)
            return report(loaded.error());
        config = *loaded; // resumeEvalPlan() runs with these settings
        // Scores embedded with two models would not compare: a retry embeds as the eval did.
        if (!embeddingModel.isEmpty() && embeddingModel != config.embeddingModel)
            return usageError(
                QStringLiteral("--embedding-model: eval #%1 embeds with %2; a retry cannot "
                               "change that (leave the option out)")
                    .arg(retryId)
                    .arg(config.embeddingModel.isEmpty()
                             ? QStringLiteral("the project's default model")
                             : config.embeddingModel),
                help);
        for (const EvalVariantSpec &v : config.variants)
            if (!versionIds.contains(v.promptVersionId))
                versionIds.append(v.promptVersionId);
    }
    auto dataset = DatasetStore(project->db()).dataset(config.datasetId);
    if (!dataset)
        return report(dataset.error());

    NetworkClient network;
    GenerationWriter writer(file);
    RunEngine engine(&writer, &network);
    // Held until the run ends: its plan (every case of the dataset) is freed before the
    // results are read, so the two never sit in memory together.
    std::optional<EvalRunner> runner;
    runner.emplace(&engine);
    installEvalEmbedders(*runner, file, &network);
    QEventLoop loop;
    std::optional<Error> failure;
    QString finalStatus;
    const bool quiet = p.isSet(QStringLiteral("quiet"));
    const bool tty = ::isatty(2);
    QElapsedTimer sinceLine;
    sinceLine.start();
    QObject::connect(&*runner, &EvalRunner::prepareFailed, &loop, [&](const Error &e) {
        failure = e;
        loop.quit();
    });
    QObject::connect(&*runner, &EvalRunner::prepared, &loop, [&](const EvalEstimate &e) {
        QString cost
            = e.cost ? QStringLiteral(", estimated cost %1").arg(money(*e.cost)) : QString();
        if (!e.modelsWithoutPrices.isEmpty())
            cost += QStringLiteral(" (no prices for %1)")
                        .arg(e.modelsWithoutPrices.join(QStringLiteral(", ")));
        err(QStringLiteral(
                "Eval #%1 on \"%2\": %3 cases x %4 variants x %5 sample%6 = %7 calls%8%9\n")
                .arg(e.evalId)
                .arg(dataset->name)
                .arg(e.cases)
                .arg(e.variants)
                .arg(e.samples)
                .arg(e.samples == 1 ? QString() : QStringLiteral("s"))
                .arg(e.totalCalls)
                .arg(e.judgeCalls ? QStringLiteral(" (%1 by judges)").arg(e.judgeCalls) : QString())
                .arg(cost));
        if (e.resumed)
            err(QStringLiteral("Resuming: %1 of %2 calls were already done.\n")
                    .arg(e.alreadyDone)
                    .arg(e.totalCalls));
        runner->start();
    });
    QObject::connect(&*runner, &EvalRunner::progressed, &loop, [&](const EvalProgress &pr) {
        if (quiet || (!tty && sinceLine.elapsed() < 5000 && pr.done < pr.total))
            return;
        sinceLine.restart();
        const QString eta
            = pr.etaSeconds ? QStringLiteral(", ETA %1 s").arg(qRound(*pr.etaSeconds)) : QString();
        err(QStringLiteral("%1%2/%3 calls, %4 of %5 passing%6%7%8")
                .arg(tty ? QStringLiteral("\r") : QString())
                .arg(pr.done)
                .arg(pr.total)
                .arg(pr.passed)
                .arg(pr.evaluated)
                .arg(pr.errors ? QStringLiteral(", %1 errors").arg(pr.errors) : QString())
                .arg(eta)
                .arg(tty ? QStringLiteral("   ") : QStringLiteral("\n")));
    });
    QObject::connect(&*runner, &EvalRunner::finished, &loop, [&](qint64, const QString &status) {
        finalStatus = status;
        loop.quit();
    });
    // Ctrl+C: stop cleanly; what finished is stored, and the same command resumes.
    if (interruptPipe[0] < 0 && ::pipe(interruptPipe) == 0) {
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
    }
    QSocketNotifier notifier(interruptPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&] {
        char byte;
        [[maybe_unused]] auto n = ::read(interruptPipe[0], &byte, 1);
        err(QStringLiteral("\nCancelling...\n"));
        if (runner)
            runner->cancel();
    });
    if (retryId)
        runner->prepareResume(retryId);
    else
        runner->prepare(config);
    loop.exec();
    if (tty && !quiet)
        err(QStringLiteral("\n"));
    if (failure)
        return report(*failure);

    // Every sample's verdict without its text: the counts, and the order in which the --json /
    // --junit writers read the records page by page.
    EvalLoadOptions verdicts;
    verdicts.details = false;
    verdicts.summarize = false;
    const qint64 evalId = runner->evalId();
    const bool wroteRows = runner->progress().done > runner->estimate().alreadyDone;
    runner.reset();
#ifdef __GLIBC__
    // The plan was built on the writer's thread, so glibc keeps what it freed in that thread's
    // arena, where the results read on this thread never reuse it: give it back first (on the
    // 100,000-case eval, 80 MB of the peak).
    malloc_trim(0);
#endif
    if (wroteRows)
        (void)project->optimize(); // the planner's statistics for the rows just added (sampled)
    auto results = EvalResults::load(project->db(), evalId, verdicts);
    if (!results)
        return report(results.error());

    // The statistics (bootstraps over every case) on a thread of their own while the reports
    // are written; the copy shares the cells, which neither side changes.
    struct Statistics
    {
        EvalResults results;
        QList<VariantComparisonResult> comparisons;
        QList<int> worse;
    };
    std::future<Statistics> pending = std::async(std::launch::async, [&, copy = *results]() {
        Statistics s {copy, {}, {}};
        s.results.summarize();
        auto variantOf = [&](qint64 versionId, qint64 modelId) {
            for (int i = 0; i < config.variants.size(); ++i)
                if (config.variants[i].promptVersionId == versionId
                    && config.variants[i].modelId == modelId)
                    return i;
            return -1;
        };
        for (int i = 0; i < config.variants.size(); ++i) {
            const EvalVariantSpec &v = config.variants[i];
            int base = -1;
            if (baselineId)
                base = v.promptVersionId == *baselineId ? -1 : variantOf(*baselineId, v.modelId);
            else if (versionIds.size() > 1)
                base = v.promptVersionId == versionIds.first()
                    ? -1
                    : variantOf(versionIds.first(), v.modelId);
            else if (i > 0)
                base = 0;
            if (base < 0)
                continue;
            if (auto c = s.results.compare(base, i)) {
                s.comparisons.append(*c);
                if (baselineId && c->passFail.verdict == stats::ComparisonVerdict::Worse)
                    s.worse.append(i);
            }
        }
        return s;
    });
    std::optional<Statistics> statistics;
    const auto ready = [&]() -> const Statistics & {
        if (!statistics)
            statistics.emplace(pending.get());
        return *statistics;
    };
    bool printed = false;
    const auto printSummary = [&] {
        const Statistics &s = ready();
        QString text = summaryTable(s.results);
        for (const VariantComparisonResult &c : s.comparisons)
            text += c.sentence + QLatin1Char('\n');
        out(text);
        printed = true;
    };

    // --json and --junit in one pass over the project.
    std::unique_ptr<QFile> jsonFile, junitFile;
    for (auto [option, target] : {std::pair {QStringLiteral("json"), &jsonFile},
                                  std::pair {QStringLiteral("junit"), &junitFile}}) {
        if (!p.isSet(option))
            continue;
        auto opened = openReport(p.value(option));
        if (!opened)
            return report(opened.error());
        *target = std::move(*opened);
    }
    // The summary comes first on stdout, also when a report goes there too.
    if (isStdout(jsonFile.get()) || isStdout(junitFile.get()))
        printSummary();
    if (jsonFile || junitFile) {
        if (auto w = writeEvalReports(
                project->db(), *results,
                [&] {
                    const Statistics &s = ready();
                    return evalSummaryJson(s.results, s.comparisons);
                },
                jsonFile.get(), junitFile.get());
            !w)
            return report(w.error());
        for (QFile *f : {jsonFile.get(), junitFile.get()})
            if (auto w = closeReport(f); !w)
                return report(w.error());
    }
    if (!printed)
        printSummary();
    results.value() = ready().results;
    const QList<int> worse = ready().worse;

    int exit = Ok;
    if (finalStatus != QLatin1String("completed")) {
        err(finalStatus == QLatin1String("cancelled")
                ? QStringLiteral("touchstone-cli: eval #%1 was cancelled; run the same command "
                                 "again to resume.\n")
                      .arg(results->evalId)
                : QStringLiteral("touchstone-cli: eval #%1 could not be stored completely.\n")
                      .arg(results->evalId));
        exit = Failure;
    }
    auto errors = evalErrorCount(project->db(), results->evalId);
    if (!errors)
        return report(errors.error());
    if (*errors > 0) {
        err(QStringLiteral("touchstone-cli: %1 call%2 of eval #%3 failed even after retries; "
                           "they are errors, left out of the pass rates. Run the same command "
                           "again, or `eval %4 --retry-errors`, to ask them again.\n")
                .arg(*errors)
                .arg(*errors == 1 ? QString() : QStringLiteral("s"))
                .arg(results->evalId)
                .arg(file));
        exit = Failure;
    }
    if (failUnder) {
        for (int i = 0; i < results->variants.size(); ++i) {
            const EvalVariantSummary &v = results->variants[i];
            if (baselineId && config.variants[i].promptVersionId == *baselineId
                && !versionIds.contains(*baselineId))
                continue; // the baseline is not under test
            if (v.passRate.estimate < *failUnder) {
                err(QStringLiteral("touchstone-cli: %1 passes %2, under the required %3.\n")
                        .arg(v.label, percent(v.passRate.estimate), percent(*failUnder)));
                exit = Failure;
            }
        }
    }
    for (int i : worse) {
        err(QStringLiteral("touchstone-cli: %1 is significantly worse than the baseline.\n")
                .arg(results->variants[i].label));
        exit = Failure;
    }
    return exit;
}

} // namespace ts::cli
