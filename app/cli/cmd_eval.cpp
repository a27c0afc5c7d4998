#include "cli.h"

#include "common/json.h"
#include "datasets/datasetstore.h"
#include "datasets/judgestore.h"
#include "evals/evalreport.h"
#include "evals/evalresults.h"
#include "evals/evalrunner.h"
#include "models/modelstore.h"
#include "net/networkclient.h"
#include "prompts/promptstore.h"
#include "runs/generationwriter.h"
#include "runs/runengine.h"
#include "storage/project.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSocketNotifier>

#include <csignal>
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

Result<void> writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return fail(ErrorCode::Io,
                    QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
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
        "intervals and paired comparisons. An interrupted eval (Ctrl+C, crash) resumes when the "
        "same command runs again. Exit 1 when calls failed, the pass rate is under --fail-under "
        "or a variant is significantly worse than --baseline."));
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
        {QStringLiteral("quiet"), QStringLiteral("No progress on stderr.")},
    });
    if (int code = parseOrExit(p, args, QStringLiteral("eval"), 1, 1); code >= 0)
        return code;
    const QString help = QStringLiteral("eval");
    if (!p.isSet(QStringLiteral("prompt")) || !p.isSet(QStringLiteral("model"))
        || !p.isSet(QStringLiteral("dataset")))
        return usageError(QStringLiteral("--prompt, --dataset and --model are required"), help);
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

    const QString file = p.positionalArguments().at(0);
    auto project = Project::open(file);
    if (!project)
        return report(project.error());
    PromptStore prompts(project->db());
    ModelStore modelStore(project->db());
    QList<PromptVersion> versions;
    for (const QString &ref : p.values(QStringLiteral("prompt"))) {
        auto v = prompts.resolve(ref);
        if (!v)
            return report(v.error());
        if (std::none_of(versions.begin(), versions.end(),
                         [&](const PromptVersion &x) { return x.id == v->id; }))
            versions.append(*v);
    }
    QList<ModelConfig> models;
    for (const QString &name : p.values(QStringLiteral("model"))) {
        auto m = modelStore.find(name);
        if (!m)
            return report(m.error());
        if (std::none_of(models.begin(), models.end(),
                         [&](const ModelConfig &x) { return x.id == m->id; }))
            models.append(*m);
    }
    auto dataset = DatasetStore(project->db()).dataset(p.value(QStringLiteral("dataset")));
    if (!dataset)
        return report(dataset.error());
    EvalConfig config;
    config.datasetId = dataset->id;
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
    for (const PromptVersion &v : versions)
        for (const ModelConfig &m : models)
            config.variants.append({v.id, m.id});
    std::optional<PromptVersion> baseline;
    if (p.isSet(QStringLiteral("baseline"))) {
        auto b = prompts.resolve(p.value(QStringLiteral("baseline")));
        if (!b)
            return report(b.error());
        baseline = *b;
        if (std::none_of(versions.begin(), versions.end(),
                         [&](const PromptVersion &x) { return x.id == b->id; }))
            for (const ModelConfig &m : models)
                config.variants.append({b->id, m.id});
    }

    NetworkClient network;
    GenerationWriter writer(file);
    RunEngine engine(&writer, &network);
    EvalRunner runner(&engine);
    QEventLoop loop;
    std::optional<Error> failure;
    QString finalStatus;
    const bool quiet = p.isSet(QStringLiteral("quiet"));
    const bool tty = ::isatty(2);
    QElapsedTimer sinceLine;
    sinceLine.start();
    QObject::connect(&runner, &EvalRunner::prepareFailed, &loop, [&](const Error &e) {
        failure = e;
        loop.quit();
    });
    QObject::connect(&runner, &EvalRunner::prepared, &loop, [&](const EvalEstimate &e) {
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
        runner.start();
    });
    QObject::connect(&runner, &EvalRunner::progressed, &loop, [&](const EvalProgress &pr) {
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
    QObject::connect(&runner, &EvalRunner::finished, &loop, [&](qint64, const QString &status) {
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
        runner.cancel();
    });
    runner.prepare(config);
    loop.exec();
    if (tty && !quiet)
        err(QStringLiteral("\n"));
    if (failure)
        return report(*failure);

    auto results = EvalResults::load(project->db(), runner.evalId());
    if (!results)
        return report(results.error());
    QList<VariantComparisonResult> comparisons;
    QList<int> worse;
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
        if (baseline)
            base = v.promptVersionId == baseline->id ? -1 : variantOf(baseline->id, v.modelId);
        else if (versions.size() > 1)
            base = v.promptVersionId == versions.first().id
                ? -1
                : variantOf(versions.first().id, v.modelId);
        else if (i > 0)
            base = 0;
        if (base < 0)
            continue;
        if (auto c = results->compare(base, i)) {
            comparisons.append(*c);
            if (baseline && c->passFail.verdict == stats::ComparisonVerdict::Worse)
                worse.append(i);
        }
    }

    QString text = summaryTable(*results);
    for (const VariantComparisonResult &c : comparisons)
        text += c.sentence + QLatin1Char('\n');
    out(text);
    if (p.isSet(QStringLiteral("json"))) {
        const std::string json = evalReportJson(*results, comparisons)
                                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
        if (auto w
            = writeFile(p.value(QStringLiteral("json")), QByteArray::fromStdString(json + '\n'));
            !w)
            return report(w.error());
    }
    if (p.isSet(QStringLiteral("junit")))
        if (auto w = writeFile(p.value(QStringLiteral("junit")), evalJunitXml(*results)); !w)
            return report(w.error());

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
    int errors = 0;
    for (const EvalVariantSummary &v : results->variants)
        errors += v.errors;
    if (errors > 0) {
        err(QStringLiteral("touchstone-cli: %1 call%2 failed (counted as failures); see the "
                           "outputs for why.\n")
                .arg(errors)
                .arg(errors == 1 ? QString() : QStringLiteral("s")));
        exit = Failure;
    }
    if (failUnder) {
        for (int i = 0; i < results->variants.size(); ++i) {
            const EvalVariantSummary &v = results->variants[i];
            if (baseline && config.variants[i].promptVersionId == baseline->id
                && std::none_of(versions.begin(), versions.end(),
                                [&](const PromptVersion &x) { return x.id == baseline->id; }))
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
