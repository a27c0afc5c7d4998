// Builds the large project of issue 13 reproducibly (fixed seed): 1,000,000 generations over
// 200,000 runs (one prompt version holding 500,000 of them), a dataset of 100,000 cases and a
// finished eval of 100,000 cases x 2 variants with 600,000 assertion results. Small rows
// (prompts, models, dataset, assertions, the eval and its runs) go through the stores the app
// uses; the bulk rows are written with prepared statements in one transaction, in the shape
// GenerationWriter and the eval runner write them. --scale shrinks every count.
//
//   make_big_project OUT.touchstone [--scale F]

#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "evals/evalplan.h"
#include "models/modelstore.h"
#include "prompts/promptstore.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace ts;

namespace {

const char *const words[] = {
    "order",    "refund",   "shipping", "account",   "password", "invoice",  "delivery", "package",
    "warranty", "return",   "replace",  "charged",   "twice",    "support",  "please",   "help",
    "thanks",   "received", "damaged",  "missing",   "late",     "early",    "address",  "change",
    "cancel",   "upgrade",  "plan",     "monthly",   "annual",   "discount", "coupon",   "code",
    "email",    "phone",    "login",    "error",     "message",  "screen",   "app",      "website",
    "the",      "a",        "my",       "your",      "we",       "you",      "is",       "was",
    "will",     "can",      "could",    "would",     "not",      "and",      "but",      "with",
    "for",      "from",     "today",    "yesterday", "week",     "days",     "hours",    "store",
    "item",     "size",     "color",    "price",     "total",    "balance",  "credit",   "card",
    "bank",     "transfer", "status",   "tracking",  "number",   "courier",  "label",    "box",
};
constexpr int wordCount = int(sizeof(words) / sizeof(words[0]));

class Text
{
public:
    explicit Text(std::mt19937_64 &rng)
        : m_rng(rng)
    {
    }
    QString sentence(int minChars)
    {
        QString s;
        s.reserve(minChars + 16);
        bool first = true;
        while (s.size() < minChars) {
            QString w = QString::fromLatin1(words[m_rng() % wordCount]);
            if (first)
                w[0] = w[0].toUpper();
            if (!first)
                s += QLatin1Char(m_rng() % 9 == 0 ? ',' : ' ');
            if (s.endsWith(QLatin1Char(',')))
                s += QLatin1Char(' ');
            s += w;
            first = false;
            if (s.size() < minChars && m_rng() % 12 == 0) {
                s += QStringLiteral(". ");
                first = true;
                s.chop(1);
                s += QLatin1Char(' ');
            }
        }
        return s + QLatin1Char('.');
    }
    QString hex(int chars)
    {
        static const char digits[] = "0123456789abcdef";
        QString s(chars, QLatin1Char('0'));
        for (int i = 0; i < chars; ++i)
            s[i] = QLatin1Char(digits[m_rng() % 16]);
        return s;
    }
    int between(int lo, int hi) { return lo + int(m_rng() % quint64(hi - lo + 1)); }

private:
    std::mt19937_64 &m_rng;
};

const QDateTime baseTime = QDateTime(QDate(2026, 10, 1), QTime(8, 0), Qt::UTC);

QString timeAt(qint64 msFromBase)
{
    return baseTime.addMSecs(msFromBase).toString(Qt::ISODateWithMs);
}

std::string sstr(const QString &s)
{
    return s.toStdString();
}

struct VersionInfo
{
    qint64 id = 0;
    QString system;
    QString userTemplate; // with {{customer}} and {{question}}
};

struct ModelInfo
{
    ModelConfig config;
    QString url;
};

// The request a GenerationJob stores: provider, url, model and the body sent (no key).
QString requestText(const ModelInfo &m, const VersionInfo &v, const QString &customer,
                    const QString &question)
{
    QString user = v.userTemplate;
    user.replace(QStringLiteral("{{customer}}"), customer);
    user.replace(QStringLiteral("{{question}}"), question);
    nlohmann::json body
        = {{"model", sstr(m.config.modelId)},
           {"messages",
            nlohmann::json::array({{{"role", "system"}, {"content", sstr(v.system)}},
                                   {{"role", "user"}, {"content", sstr(user)}}})},
           {"temperature", 0.7},
           {"max_tokens", 400},
           {"stream", true},
           {"stream_options", {{"include_usage", true}}}};
    nlohmann::json request = {{"provider", sstr(providerKindName(m.config.provider))},
                              {"url", sstr(m.url)},
                              {"model", sstr(m.config.modelId)},
                              {"body", std::move(body)}};
    return QString::fromStdString(request.dump());
}

int fail(const QString &what, const Error &error)
{
    std::fprintf(stderr, "make_big_project: %s: %s\n", qPrintable(what), qPrintable(error.message));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    double scale = 1.0;
    QString out;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--scale") && i + 1 < args.size())
            scale = args[++i].toDouble();
        else if (out.isEmpty() && !args[i].startsWith(QLatin1String("--")))
            out = args[i];
        else {
            out.clear();
            break;
        }
    }
    if (out.isEmpty() || scale <= 0 || scale > 10) {
        std::fprintf(stderr,
                     "usage: make_big_project OUT.touchstone [--scale F]  (0 < F <= 10, "
                     "default 1: 1,000,000 generations, ~1.3 GB)\n");
        return 2;
    }
    if (QFileInfo::exists(out)) {
        std::fprintf(stderr, "make_big_project: %s exists; remove it first\n", qPrintable(out));
        return 2;
    }
    QElapsedTimer clock;
    clock.start();

    const int cases = std::max(10, int(100000 * scale));
    const int totalRuns = std::max(6, int(200000 * scale));
    const qint64 totalGenerations = std::max<qint64>(4 * cases, qint64(1000000 * scale));
    const int playgroundRuns = totalRuns - 2;
    const qint64 playgroundGenerations = totalGenerations - 2 * cases;
    // The big version holds the eval's first variant plus half of the playground runs:
    // 100,000 + 100,000 x 4 = 500,000 generations at scale 1.
    const int bigVersionRuns = playgroundRuns / 2;

    std::mt19937_64 rng(20261130);
    Text text(rng);

    auto project = Project::create(out);
    if (!project)
        return fail(QStringLiteral("create"), project.error());
    Database &db = project->db();

    // Prompts and versions, through the store (hashes, parents, labels as the app makes them).
    PromptStore prompts(db);
    QList<VersionInfo> versions; // 0..3 support-reply v1..v4, 4..5 summarize, 6 classify
    const struct
    {
        const char *name;
        int count;
    } promptShapes[] = {{"support-reply", 4}, {"summarize-ticket", 2}, {"classify-intent", 1}};
    for (const auto &shape : promptShapes) {
        auto info = prompts.createPrompt(QString::fromLatin1(shape.name),
                                         QStringLiteral("Generated by make_big_project"));
        if (!info)
            return fail(QStringLiteral("prompt"), info.error());
        for (int n = 1; n <= shape.count; ++n) {
            VersionInfo v;
            v.system = QStringLiteral("You are Acme's support assistant (%2 r%1). Answer in five "
                                      "sentences at most and name the next step.")
                           .arg(n)
                           .arg(QString::fromLatin1(shape.name));
            v.userTemplate = QStringLiteral("Customer {{customer}} writes:\n{{question}}");
            PromptContent content;
            content.messages = PromptContent::messagesFromJson(
                nlohmann::json::array({{{"role", "system"}, {"template", sstr(v.system)}},
                                       {{"role", "user"}, {"template", sstr(v.userTemplate)}}}));
            content.params.temperature = 0.7;
            content.params.maxTokens = 400;
            auto saved = prompts.saveVersion(info->id, content, QStringLiteral("version %1").arg(n),
                                             QStringLiteral("make_big_project"));
            if (!saved)
                return fail(QStringLiteral("prompt version"), saved.error());
            v.id = saved->version.id;
            versions.append(v);
        }
    }

    ModelStore modelStore(db);
    QList<ModelInfo> models;
    for (const auto &[name, provider, base, id, url, in, outPrice] :
         {std::tuple {"GPT-4o mini", ProviderKind::OpenAI, "https://api.openai.com/v1",
                      "gpt-4o-mini", "https://api.openai.com/v1/chat/completions", 0.15, 0.6},
          std::tuple {"Claude 3.5 Haiku", ProviderKind::Anthropic, "https://api.anthropic.com",
                      "claude-3-5-haiku-latest", "https://api.anthropic.com/v1/messages", 0.8,
                      4.0}}) {
        ModelConfig m;
        m.name = QString::fromLatin1(name);
        m.provider = provider;
        m.baseUrl = QString::fromLatin1(base);
        m.modelId = QString::fromLatin1(id);
        m.keyRef = provider == ProviderKind::OpenAI ? QStringLiteral("env:OPENAI_API_KEY")
                                                    : QStringLiteral("env:ANTHROPIC_API_KEY");
        m.priceInputPerMTok = in;
        m.priceOutputPerMTok = outPrice;
        auto added = modelStore.add(m);
        if (!added)
            return fail(QStringLiteral("model"), added.error());
        models.append({*added, QString::fromLatin1(url)});
    }

    // The dataset, imported as a user's file would be.
    DatasetStore datasets(db);
    auto dataset = datasets.createDataset(QStringLiteral("support-tickets"),
                                          QStringLiteral("Generated by make_big_project"));
    if (!dataset)
        return fail(QStringLiteral("dataset"), dataset.error());
    QList<TestCaseData> caseData;
    caseData.reserve(cases);
    for (int i = 0; i < cases; ++i) {
        TestCaseData c;
        c.vars = {{"customer", sstr(QStringLiteral("customer-%1").arg(i))},
                  {"question", sstr(text.sentence(text.between(40, 120)))}};
        if (i % 3 == 0)
            c.expected = text.sentence(60);
        c.tags = {i % 2 ? QStringLiteral("billing") : QStringLiteral("shipping")};
        caseData.append(std::move(c));
    }
    auto imported = datasets.importCases(dataset->id, caseData, CaseSource::Import);
    if (!imported)
        return fail(QStringLiteral("cases"), imported.error());
    AssertionStore assertionStore(db);
    const QList<AssertionSpec> specs = {
        {QStringLiteral("icontains"), "order", 1, std::nullopt, {}},
        {QStringLiteral("not-icontains"), "as an ai", 1, std::nullopt, {}},
        {QStringLiteral("regex"), "[.!?]$", 0.5, std::nullopt, {}},
    };
    QList<qint64> assertionIds;
    for (const AssertionSpec &spec : specs) {
        auto a = assertionStore.add(dataset->id, std::nullopt, spec);
        if (!a)
            return fail(QStringLiteral("assertion"), a.error());
        assertionIds.append(a->id);
    }
    std::printf("stores: %lld ms\n", qint64(clock.elapsed()));

    // Bulk rows: one transaction, no rollback journal for pages the file did not have (a
    // failure deletes the file anyway), a large cache for the index B-trees.
    (void)db.exec(QStringLiteral("PRAGMA journal_mode = MEMORY"));
    (void)db.exec(QStringLiteral("PRAGMA synchronous = OFF"));
    (void)db.exec(QStringLiteral("PRAGMA cache_size = -262144"));
    auto run = [&]() -> Result<void> {
        auto tx = Transaction::begin(db);
        if (!tx)
            return fail(tx.error());
        auto insertRun = db.prepare(QStringLiteral(
            "INSERT INTO runs(kind, prompt_version_id, model_id, model_snapshot, dataset_id, "
            "params, samples, status, created_at, finished_at) "
            "VALUES ('playground', ?, ?, ?, NULL, ?, ?, 'completed', ?, ?)"));
        auto insertGen = db.prepare(QStringLiteral(
            "INSERT INTO generations(run_id, test_case_id, sample_index, variables, request, "
            "output, reasoning, tool_calls, finish_reason, finish_kind, status, input_tokens, "
            "output_tokens, ttft_ms, latency_ms, cost, error_code, error_message, cache_hit, "
            "cache_key, created_at) VALUES (?,?,?,?,?,?,'','[]',?,?,?,?,?,?,?,?,?,?,0,?,?)"));
        if (!insertRun || !insertGen)
            return fail(!insertRun ? insertRun.error() : insertGen.error());

        // Playground variables come from a pool (people rerun the same inputs).
        QList<std::pair<QString, QString>> pool;
        for (int i = 0; i < 4000; ++i)
            pool.append(
                {QStringLiteral("customer-p%1").arg(i), text.sentence(text.between(40, 120))});

        auto writeGeneration
            = [&](qint64 runId, std::optional<qint64> caseId, int sample, const VersionInfo &v,
                  const ModelInfo &m, const QString &customer, const QString &question, qint64 atMs,
                  bool forceOk) -> Result<void> {
            const bool error = !forceOk && rng() % 200 == 0;
            const QString output = error ? QString() : text.sentence(text.between(120, 320));
            const int inTokens = int((v.system.size() + question.size() + 40) / 4);
            const int outTokens = int(output.size() / 4);
            Statement &s = *insertGen;
            s.reset();
            s.bind(1, runId)
                .bind(2, caseId)
                .bind(3, sample)
                .bind(4,
                      QString::fromStdString(nlohmann::json {{"customer", sstr(customer)},
                                                             {"question", sstr(question)}}
                                                 .dump()))
                .bind(5, requestText(m, v, customer, question))
                .bind(6, output)
                .bind(7, error ? QString() : QStringLiteral("stop"))
                .bind(8, error ? QStringLiteral("error") : QStringLiteral("stop"))
                .bind(9, error ? QStringLiteral("error") : QStringLiteral("ok"));
            if (error) {
                s.bindNull(10)
                    .bindNull(11)
                    .bindNull(12)
                    .bind(13, double(text.between(200, 900)))
                    .bindNull(14)
                    .bind(15, QStringLiteral("RateLimited"))
                    .bind(16, QStringLiteral("HTTP 429: rate limit reached for requests"))
                    .bindNull(17);
            } else {
                const double latency = text.between(400, 6000);
                s.bind(10, inTokens)
                    .bind(11, outTokens)
                    .bind(12, double(text.between(150, 900)))
                    .bind(13, latency)
                    .bind(14, *m.config.cost(inTokens, outTokens))
                    .bindNull(15)
                    .bindNull(16)
                    .bind(17, text.hex(64));
            }
            s.bind(18, timeAt(atMs));
            return s.run();
        };

        // Playground runs, spread over two months, the big version on a shuffled half.
        std::vector<int> versionOfRun(static_cast<size_t>(playgroundRuns));
        const int others[] = {0, 1, 3, 4, 5, 6};
        for (int i = 0; i < playgroundRuns; ++i)
            versionOfRun[size_t(i)] = i < bigVersionRuns ? 2 : others[i % 6];
        std::shuffle(versionOfRun.begin(), versionOfRun.end(), rng);
        const qint64 spanMs = 60LL * 24 * 3600 * 1000;
        const qint64 stepMs = spanMs / std::max(1, playgroundRuns);
        qint64 written = 0;
        for (int r = 0; r < playgroundRuns; ++r) {
            const VersionInfo &v = versions[versionOfRun[size_t(r)]];
            const ModelInfo &m = models[r % 3 == 0 ? 1 : 0];
            const qint64 at = r * stepMs;
            const int samples = r == playgroundRuns - 1
                ? int(playgroundGenerations - written)
                : int(std::min<qint64>(4, playgroundGenerations - written));
            nlohmann::json snapshot = m.config.toJson();
            insertRun->reset();
            insertRun->bind(1, v.id)
                .bind(2, m.config.id)
                .bind(3, QString::fromStdString(snapshot.dump()))
                .bind(4, QStringLiteral("{\"max_tokens\":400,\"temperature\":0.7}"))
                .bind(5, std::max(1, samples))
                .bind(6, timeAt(at))
                .bind(7, timeAt(at + 9000));
            if (auto ok = insertRun->run(); !ok)
                return ok;
            const qint64 runId = db.lastInsertId();
            const auto &[customer, question] = pool[qsizetype(rng() % quint64(pool.size()))];
            for (int k = 0; k < samples; ++k)
                if (auto ok = writeGeneration(runId, std::nullopt, k, v, m, customer, question,
                                              at + 1500 + k * 700, false);
                    !ok)
                    return ok;
            written += samples;
            if (r % 20000 == 0 && r)
                std::printf("  %d runs, %lld generations, %lld ms\n", r, written,
                            qint64(clock.elapsed()));
        }
        return tx->commit();
    }();
    if (!run) {
        QFile::remove(out);
        return fail(QStringLiteral("playground rows"), run.error());
    }
    std::printf("playground: %lld ms\n", qint64(clock.elapsed()));

    // The eval: created by the planner as the app does (config, fingerprint, runs), then its
    // results written in one transaction and the eval marked finished.
    EvalConfig config;
    config.name = QStringLiteral("support-reply v3 vs v4");
    config.variants
        = {{versions[2].id, models[0].config.id}, {versions[3].id, models[1].config.id}};
    config.datasetId = dataset->id;
    config.resume = false;
    auto plan = buildEvalPlan(db, config);
    if (!plan)
        return fail(QStringLiteral("eval plan"), plan.error());
    std::printf("eval plan: %lld ms\n", qint64(clock.elapsed()));
    auto results = [&]() -> Result<void> {
        auto tx = Transaction::begin(db);
        if (!tx)
            return fail(tx.error());
        auto insertGen = db.prepare(QStringLiteral(
            "INSERT INTO generations(run_id, test_case_id, sample_index, variables, request, "
            "output, reasoning, tool_calls, finish_reason, finish_kind, status, input_tokens, "
            "output_tokens, ttft_ms, latency_ms, cost, cache_hit, cache_key, created_at) "
            "VALUES (?,?,0,?,?,?,'','[]','stop','stop','ok',?,?,?,?,?,0,?,?)"));
        auto insertResult = db.prepare(QStringLiteral(
            "INSERT INTO assertion_results(generation_id, assertion_id, position, type, value, "
            "weight, pass, score, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        auto insertVerdict = db.prepare(QStringLiteral(
            "INSERT INTO case_verdicts(generation_id, pass, score, reason) VALUES (?, ?, ?, ?)"));
        if (!insertGen || !insertResult || !insertVerdict)
            return fail(!insertGen          ? insertGen.error()
                            : !insertResult ? insertResult.error()
                                            : insertVerdict.error());
        const qint64 evalStart = 61LL * 24 * 3600 * 1000;
        for (int variant = 0; variant < plan->variants.size(); ++variant) {
            const PlannedVariant &pv = plan->variants[variant];
            const VersionInfo &v = versions[2 + variant];
            const ModelInfo &m = models[variant];
            for (int i = 0; i < plan->cases.size(); ++i) {
                const TestCase &tc = plan->cases[i].testCase;
                const QString customer = QString::fromStdString(tc.data.vars.value("customer", ""));
                const QString question = QString::fromStdString(tc.data.vars.value("question", ""));
                QString output = text.sentence(text.between(120, 320));
                const bool hasOrder = rng() % 10 < (variant == 0 ? 7 : 8);
                if (hasOrder)
                    output.insert(0, QStringLiteral("About your order: "));
                const int inTokens = int((v.system.size() + question.size() + 40) / 4);
                const int outTokens = int(output.size() / 4);
                Statement &g = *insertGen;
                g.reset();
                g.bind(1, pv.runId)
                    .bind(2, tc.id)
                    .bind(3, QString::fromStdString(tc.data.vars.dump()))
                    .bind(4, requestText(m, v, customer, question))
                    .bind(5, output)
                    .bind(6, inTokens)
                    .bind(7, outTokens)
                    .bind(8, double(text.between(150, 900)))
                    .bind(9, double(text.between(400, 6000)))
                    .bind(10, *m.config.cost(inTokens, outTokens))
                    .bind(11, text.hex(64))
                    .bind(12, timeAt(evalStart + (qint64(variant) * cases + i) * 50));
                if (auto ok = g.run(); !ok)
                    return ok;
                const qint64 generationId = db.lastInsertId();
                const bool passes[] = {hasOrder, true, true};
                double weighted = 0, weights = 0;
                for (int a = 0; a < specs.size(); ++a) {
                    const AssertionSpec &spec = specs[a];
                    Statement &s = *insertResult;
                    s.reset();
                    s.bind(1, generationId)
                        .bind(2, assertionIds[a])
                        .bind(3, a)
                        .bind(4, spec.type)
                        .bind(5, QString::fromStdString(spec.value.dump()))
                        .bind(6, spec.weight)
                        .bind(7, passes[a])
                        .bind(8, passes[a] ? 1.0 : 0.0)
                        .bind(9,
                              passes[a] ? QString()
                                        : QStringLiteral("Expected output to contain \"order\""));
                    if (auto ok = s.run(); !ok)
                        return ok;
                    weighted += spec.weight * (passes[a] ? 1 : 0);
                    weights += spec.weight;
                }
                insertVerdict->reset();
                insertVerdict->bind(1, generationId)
                    .bind(2, hasOrder)
                    .bind(3, weighted / weights)
                    .bind(4,
                          hasOrder ? QString()
                                   : QStringLiteral("Expected output to contain \"order\""));
                if (auto ok = insertVerdict->run(); !ok)
                    return ok;
            }
        }
        return tx->commit();
    }();
    if (!results) {
        QFile::remove(out);
        return fail(QStringLiteral("eval rows"), results.error());
    }
    if (auto ok = setEvalStatus(db, plan->evalId, QStringLiteral("completed")); !ok)
        return fail(QStringLiteral("eval status"), ok.error());
    std::printf("eval rows: %lld ms\n", qint64(clock.elapsed()));

    (void)db.exec(QStringLiteral("PRAGMA journal_mode = WAL"));
    (void)db.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
    if (auto ok = db.exec(QStringLiteral("ANALYZE")); !ok)
        return fail(QStringLiteral("analyze"), ok.error());
    const qint64 gens = *db.queryInt(QStringLiteral("SELECT count(*) FROM generations"));
    const qint64 runs = *db.queryInt(QStringLiteral("SELECT count(*) FROM runs"));
    const qint64 ar = *db.queryInt(QStringLiteral("SELECT count(*) FROM assertion_results"));
    std::printf("%s: %lld generations, %lld runs, %d cases, %lld assertion results, "
                "eval %lld; %.1f MB in %.1f s\n",
                qPrintable(out), gens, runs, cases, ar, plan->evalId, QFileInfo(out).size() / 1e6,
                clock.elapsed() / 1000.0);
    return 0;
}
