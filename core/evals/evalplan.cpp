#include "evals/evalplan.h"

#include "common/json.h"
#include "datasets/assertionstore.h"
#include "models/modelstore.h"
#include "runs/promptrenderer.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QCryptographicHash>
#include <QSet>

namespace ts {

namespace {

Result<qint64> insertRun(Database &db, const QString &kind, qint64 versionId,
                         const ModelConfig &model, std::optional<qint64> datasetId,
                         const GenerationParams &params, int samples)
{
    auto stmt = db.prepare(QStringLiteral(
        "INSERT INTO runs(kind, prompt_version_id, model_id, model_snapshot, dataset_id, params, "
        "samples, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, kind)
        .bind(2, versionId)
        .bind(3, model.id)
        .bind(4, toJsonText(model.toJson()))
        .bind(5, datasetId)
        .bind(6, toJsonText(params.toJson()))
        .bind(7, samples)
        .bind(8, nowUtc());
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    return db.lastInsertId();
}

QString fingerprint(const EvalConfig &config)
{
    nlohmann::json json = evalConfigToJson(config);
    json.erase("name");
    json.erase("concurrency");
    const std::string text = json.dump();
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArrayView(text.data(), qsizetype(text.size())),
                                 QCryptographicHash::Sha256)
            .toHex());
}

Result<void> resolveParts(Database &db, EvalPlan &plan)
{
    const EvalConfig &config = plan.config;
    PromptStore prompts(db);
    ModelStore models(db);
    for (const EvalVariantSpec &v : config.variants) {
        PlannedVariant pv;
        auto version = prompts.versionById(v.promptVersionId);
        if (!version)
            return fail(version.error());
        auto model = models.find(v.modelId);
        if (!model)
            return fail(model.error());
        pv.version = *version;
        pv.model = *model;
        pv.params = effectiveParams(model->params, version->content);
        pv.label = QStringLiteral("%1@%2 · %3")
                       .arg(version->promptName)
                       .arg(version->number)
                       .arg(model->name);
        plan.variants.append(pv);
    }
    DatasetStore datasets(db);
    auto cases = datasets.cases(config.datasetId);
    if (!cases)
        return fail(cases.error());
    if (cases->isEmpty()) {
        auto info = datasets.dataset(config.datasetId);
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Dataset \"%1\" has no test cases.")
                        .arg(info ? info->name : QString::number(config.datasetId)));
    }
    for (const AssertionSpec &spec : config.extraAssertions)
        if (auto valid = validateAssertion(spec); !valid)
            return fail(valid.error());
    QList<StoredAssertion> stored;
    if (config.useStoredAssertions) {
        auto list = AssertionStore(db).forDataset(config.datasetId);
        if (!list)
            return fail(list.error());
        stored = *list;
    }
    // Cases without assertions of their own share one list (implicitly shared), so a large
    // dataset holds its dataset-level assertions once rather than once per case.
    QSet<qint64> withOwn;
    PlannedCase common;
    for (const StoredAssertion &a : stored) {
        if (a.testCaseId) {
            withOwn.insert(*a.testCaseId);
            continue;
        }
        common.assertions.append(a.spec);
        common.assertionIds.append(a.id);
    }
    for (const AssertionSpec &spec : config.extraAssertions) {
        common.assertions.append(spec);
        common.assertionIds.append(std::nullopt);
    }
    plan.cases.reserve(cases->size());
    for (TestCase &c : *cases) {
        PlannedCase pc;
        pc.testCase = std::move(c);
        if (!withOwn.contains(pc.testCase.id)) {
            pc.assertions = common.assertions;
            pc.assertionIds = common.assertionIds;
            plan.cases.append(std::move(pc));
            continue;
        }
        for (const StoredAssertion &a : stored) {
            if (a.testCaseId && *a.testCaseId != pc.testCase.id)
                continue;
            pc.assertions.append(a.spec);
            pc.assertionIds.append(a.id);
        }
        for (const AssertionSpec &spec : config.extraAssertions) {
            pc.assertions.append(spec);
            pc.assertionIds.append(std::nullopt);
        }
        plan.cases.append(std::move(pc));
    }
    JudgeStore judges(db);
    for (qint64 id : config.judgeIds) {
        PlannedJudge pj;
        auto judge = judges.find(id);
        if (!judge)
            return fail(judge.error());
        pj.config = *judge;
        auto info = prompts.prompt(judge->promptId);
        if (!info)
            return fail(info.error());
        auto version = prompts.resolve(judge->reference(info->name));
        if (!version)
            return fail(version.error());
        pj.prompt = *version;
        if (!judge->modelId)
            return fail(
                ErrorCode::InvalidArgument,
                QStringLiteral("Judge \"%1\" has no model; give it one first.").arg(judge->name));
        auto model = models.find(*judge->modelId);
        if (!model)
            return fail(model.error());
        pj.model = *model;
        pj.params = effectiveParams(model->params, version->content);
        if (judge->kind == JudgeKind::Pairwise && config.variants.size() < 2)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("Pairwise judge \"%1\" needs at least two variants.")
                            .arg(judge->name));
        plan.judges.append(pj);
    }
    return {};
}

Result<void> createEval(Database &db, EvalPlan &plan, const QString &print)
{
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    const EvalConfig &c = plan.config;
    auto stmt = db.prepare(QStringLiteral(
        "INSERT INTO evals(name, dataset_id, samples, concurrency, use_cache, config, fingerprint, "
        "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, c.name)
        .bind(2, c.datasetId)
        .bind(3, c.samples)
        .bind(4, c.concurrency)
        .bind(5, c.useCache)
        .bind(6, toJsonText(evalConfigToJson(c)))
        .bind(7, print)
        .bind(8, nowUtc());
    if (auto ok = stmt->run(); !ok)
        return fail(ok.error());
    plan.evalId = db.lastInsertId();
    for (qsizetype i = 0; i < plan.variants.size(); ++i) {
        PlannedVariant &v = plan.variants[i];
        auto run = insertRun(db, QStringLiteral("eval"), v.version.id, v.model, c.datasetId,
                             v.params, c.samples);
        if (!run)
            return fail(run.error());
        v.runId = *run;
        auto link = db.prepare(QStringLiteral(
            "INSERT INTO eval_variants(eval_id, position, run_id) VALUES (?, ?, ?)"));
        if (!link)
            return fail(link.error());
        link->bind(1, plan.evalId).bind(2, int(i)).bind(3, v.runId);
        if (auto ok = link->run(); !ok)
            return fail(ok.error());
    }
    for (PlannedJudge &j : plan.judges) {
        auto run = insertRun(db, QStringLiteral("judge"), j.prompt.id, j.model, c.datasetId,
                             j.params, 1);
        if (!run)
            return fail(run.error());
        j.runId = *run;
        auto link = db.prepare(
            QStringLiteral("INSERT INTO eval_judges(eval_id, judge_id, run_id) VALUES (?, ?, ?)"));
        if (!link)
            return fail(link.error());
        link->bind(1, plan.evalId).bind(2, j.config.id).bind(3, j.runId);
        if (auto ok = link->run(); !ok)
            return fail(ok.error());
    }
    return tx->commit();
}

Result<void> attachExisting(Database &db, EvalPlan &plan)
{
    auto variants = db.prepare(QStringLiteral(
        "SELECT position, run_id FROM eval_variants WHERE eval_id = ? ORDER BY position"));
    if (!variants)
        return fail(variants.error());
    variants->bind(1, plan.evalId);
    while (true) {
        auto row = variants->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        const int position = int(variants->int64(0));
        if (position >= 0 && position < plan.variants.size())
            plan.variants[position].runId = variants->int64(1);
    }
    auto judges
        = db.prepare(QStringLiteral("SELECT judge_id, run_id FROM eval_judges WHERE eval_id = ?"));
    if (!judges)
        return fail(judges.error());
    judges->bind(1, plan.evalId);
    while (true) {
        auto row = judges->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        for (PlannedJudge &j : plan.judges)
            if (j.config.id == judges->int64(0))
                j.runId = judges->int64(1);
    }
    for (const PlannedVariant &v : plan.variants)
        if (v.runId == 0)
            return fail(ErrorCode::Corrupt,
                        QStringLiteral("Eval %1 lost a variant's run.").arg(plan.evalId));
    return {};
}

Result<void> loadDone(Database &db, EvalPlan &plan)
{
    // Outputs of finished calls are needed again only by judges and across-variant assertions
    // (they read them); without either, a resume of a large eval keeps no output text.
    bool needOutput = !plan.judges.isEmpty();
    for (const PlannedCase &c : std::as_const(plan.cases))
        for (const AssertionSpec &a : c.assertions)
            needOutput = needOutput || isComparisonAssertion(a.type);
    auto gens = db.prepare(
        QStringLiteral("SELECT g.id, g.test_case_id, g.sample_index, %1, coalesce(cv.pass, 0), ")
            .arg(needOutput ? QStringLiteral("g.output") : QStringLiteral("''"))
        + QStringLiteral(
            "coalesce(cv.score, 0) FROM generations g LEFT JOIN case_verdicts cv "
            "ON cv.generation_id = g.id WHERE g.run_id = ? AND g.status = 'ok' ORDER BY g.id"));
    if (!gens)
        return fail(gens.error());
    // Sized for a finished eval up front rather than rehashed as it grows.
    plan.done.reserve(plan.cases.size() * plan.variants.size() * plan.config.samples);
    for (qsizetype v = 0; v < plan.variants.size(); ++v) {
        gens->reset();
        gens->bind(1, plan.variants[v].runId);
        while (true) {
            auto row = gens->step();
            if (!row)
                return fail(row.error());
            if (!*row)
                break;
            if (gens->isNull(1))
                continue;
            plan.done.insert(EvalPlan::callKey(int(v), gens->int64(1), int(gens->int64(2))),
                             {gens->int64(0), gens->text(3), gens->int64(4) != 0, gens->real(5)});
        }
    }
    auto judgments = db.prepare(QStringLiteral(
        "SELECT j.judge_id, j.generation_id, j.swapped, j.pass, j.error, coalesce(g.status, '') "
        "FROM judgments j LEFT JOIN generations g ON g.id = j.judge_generation_id "
        "WHERE j.eval_id = ? ORDER BY j.id"));
    if (!judgments)
        return fail(judgments.error());
    judgments->bind(1, plan.evalId);
    while (true) {
        auto row = judgments->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        int judge = -1;
        for (qsizetype i = 0; i < plan.judges.size(); ++i)
            if (plan.judges[i].config.id == judgments->int64(0))
                judge = int(i);
        // A judge call that failed on the wire is asked again; an unreadable verdict is the
        // judge's answer and stays.
        const bool answered = judgments->isNull(4) || judgments->text(5) == QLatin1String("ok");
        if (judge < 0 || !answered)
            continue;
        const qint64 generation = judgments->int64(1);
        plan.doneJudgments.insert(
            EvalPlan::judgmentKey(judge, generation, judgments->int64(2) != 0));
        if (plan.judges[judge].config.kind != JudgeKind::Pairwise
            && (judgments->isNull(3) || judgments->int64(3) == 0))
            plan.judgeFailed.insert(generation);
    }
    return {};
}

// Generations of the eval's variants that failed with no ok attempt for the same (run, case,
// sample) since, plus judge calls that failed on the wire without an answer for the same
// (judge, generation, order).
const char *kErrorCountSql
    = "SELECT (SELECT count(*) FROM eval_variants ev JOIN generations g ON g.run_id = ev.run_id "
      "WHERE ev.eval_id = ?1 AND g.status NOT IN ('ok', 'cancelled') AND g.test_case_id IS NOT "
      "NULL AND g.id = (SELECT max(g3.id) FROM generations g3 WHERE g3.run_id = g.run_id AND "
      "g3.test_case_id = g.test_case_id AND g3.sample_index = g.sample_index AND g3.status != "
      "'cancelled') AND NOT EXISTS (SELECT 1 FROM generations g2 WHERE g2.run_id = g.run_id "
      "AND g2.test_case_id = g.test_case_id AND g2.sample_index = g.sample_index AND "
      "g2.status = 'ok')) + "
      "(SELECT count(*) FROM (SELECT j.judge_id, j.generation_id, j.swapped FROM judgments j "
      "LEFT JOIN generations jg ON jg.id = j.judge_generation_id WHERE j.eval_id = ?1 "
      "GROUP BY 1, 2, 3 HAVING sum(j.error IS NULL OR coalesce(jg.status, '') = 'ok') = 0))";

Result<int> errorCount(Database &db, qint64 evalId)
{
    auto stmt = db.prepare(QString::fromLatin1(kErrorCountSql));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, evalId);
    auto row = stmt->step();
    if (!row)
        return fail(row.error());
    return *row ? int(stmt->int64(0)) : 0;
}

// The newest eval with this fingerprint that is unfinished, or finished with failed calls.
Result<qint64> resumableByFingerprint(Database &db, const QString &print)
{
    auto stmt = db.prepare(
        QStringLiteral("SELECT id, status FROM evals WHERE fingerprint = ? ORDER BY id DESC"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, print);
    while (true) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            return qint64(0);
        const qint64 id = stmt->int64(0);
        if (stmt->text(1) != QLatin1String("completed"))
            return id;
        auto errors = errorCount(db, id);
        if (!errors)
            return fail(errors.error());
        if (*errors > 0)
            return id;
    }
}

} // namespace

Result<qint64> findResumableEval(Database &db, const EvalConfig &config)
{
    return resumableByFingerprint(db, fingerprint(config));
}

Result<int> evalErrorCount(Database &db, qint64 evalId)
{
    return errorCount(db, evalId);
}

Result<qint64> latestEvalWithErrors(Database &db)
{
    auto stmt = db.prepare(QStringLiteral("SELECT id FROM evals ORDER BY id DESC"));
    if (!stmt)
        return fail(stmt.error());
    while (true) {
        auto row = stmt->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            return qint64(0);
        auto errors = errorCount(db, stmt->int64(0));
        if (!errors)
            return fail(errors.error());
        if (*errors > 0)
            return stmt->int64(0);
    }
}

// Built in one allocation (QStringBuilder): a resume of a large eval makes one per call.
QString EvalPlan::callKey(int variant, qint64 caseId, int sample)
{
    return QString::number(variant) % QLatin1Char(':') % QString::number(caseId) % QLatin1Char(':')
        % QString::number(sample);
}

QString EvalPlan::judgmentKey(int judge, qint64 generationId, bool swapped)
{
    return QString::number(judge) % QLatin1Char(':') % QString::number(generationId)
        % (swapped ? QLatin1String(":1") : QLatin1String(":0"));
}

nlohmann::json evalConfigToJson(const EvalConfig &c)
{
    nlohmann::json variants = nlohmann::json::array();
    for (const EvalVariantSpec &v : c.variants)
        variants.push_back({{"prompt_version_id", v.promptVersionId}, {"model_id", v.modelId}});
    nlohmann::json extras = nlohmann::json::array();
    for (const AssertionSpec &a : c.extraAssertions)
        extras.push_back(a.toJson());
    nlohmann::json json = {{"name", sstr(c.name)},
                           {"variants", variants},
                           {"dataset_id", c.datasetId},
                           {"extra_assertions", extras},
                           {"use_stored_assertions", c.useStoredAssertions},
                           {"judge_ids", c.judgeIds},
                           {"samples", c.samples},
                           {"concurrency", c.concurrency},
                           {"use_cache", c.useCache}};
    // Only when chosen: the settings (and the resume fingerprint) of evals that use the
    // project's default stay what they were before this key existed.
    if (!c.embeddingModel.isEmpty())
        json["embedding_model"] = sstr(c.embeddingModel);
    return json;
}

Result<EvalConfig> evalConfigFromJson(const nlohmann::json &json)
{
    try {
        EvalConfig c;
        c.name = qstr(json.value("name", std::string()));
        for (const auto &v : json.at("variants"))
            c.variants.append(
                {v.at("prompt_version_id").get<qint64>(), v.at("model_id").get<qint64>()});
        c.datasetId = json.at("dataset_id").get<qint64>();
        for (const auto &a : json.value("extra_assertions", nlohmann::json::array())) {
            auto spec = AssertionSpec::fromJson(a);
            if (!spec)
                return fail(spec.error());
            c.extraAssertions.append(*spec);
        }
        c.useStoredAssertions = json.value("use_stored_assertions", true);
        for (const auto &id : json.value("judge_ids", nlohmann::json::array()))
            c.judgeIds.append(id.get<qint64>());
        c.samples = json.value("samples", 1);
        c.embeddingModel = qstr(json.value("embedding_model", std::string()));
        c.concurrency = json.value("concurrency", 4);
        c.useCache = json.value("use_cache", true);
        return c;
    } catch (const nlohmann::json::exception &e) {
        return fail(
            ErrorCode::Corrupt,
            QStringLiteral("Unreadable eval settings: %1").arg(QString::fromUtf8(e.what())));
    }
}

Result<EvalPlan> buildEvalPlan(Database &db, const EvalConfig &config)
{
    if (config.variants.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("An eval needs at least one variant."));
    if (config.samples < 1 || config.samples > 1000)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Samples must be between 1 and 1000."));
    if (config.concurrency < 1 || config.concurrency > 512)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Concurrency must be between 1 and 512."));
    EvalPlan plan;
    plan.config = config;
    if (auto ok = resolveParts(db, plan); !ok)
        return fail(ok.error());
    const QString print = fingerprint(config);
    if (config.resume) {
        auto found = resumableByFingerprint(db, print);
        if (!found)
            return fail(found.error());
        if (*found) {
            plan.evalId = *found;
            plan.estimate.resumed = true;
        }
    }
    if (plan.evalId) {
        if (auto ok = attachExisting(db, plan); !ok)
            return fail(ok.error());
        if (auto ok = loadDone(db, plan); !ok)
            return fail(ok.error());
        plan.estimate.resumed = !plan.done.isEmpty() || !plan.doneJudgments.isEmpty();
    } else if (auto ok = createEval(db, plan, print); !ok) {
        return fail(ok.error());
    } else {
        plan.created = true;
    }
    estimateEval(db, plan);
    return plan;
}

Result<EvalPlan> resumeEvalPlan(Database &db, qint64 evalId)
{
    auto stmt = db.prepare(QStringLiteral("SELECT config FROM evals WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, evalId);
    auto row = stmt->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, QStringLiteral("No eval with id %1.").arg(evalId));
    auto config = evalConfigFromJson(parseJson(stmt->text(0)).value_or(nlohmann::json::object()));
    if (!config)
        return fail(config.error());
    EvalPlan plan;
    plan.config = *config;
    plan.evalId = evalId;
    if (auto ok = resolveParts(db, plan); !ok)
        return fail(ok.error());
    if (auto ok = attachExisting(db, plan); !ok)
        return fail(ok.error());
    if (auto ok = loadDone(db, plan); !ok)
        return fail(ok.error());
    plan.estimate.resumed = true;
    estimateEval(db, plan);
    return plan;
}

Result<void> deleteEval(Database &db, qint64 evalId)
{
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    // The eval's runs hold its generations (and through them assertion results, verdicts and
    // judgments); eval_variants and eval_judges go with the eval.
    for (const char *sql :
         {"DELETE FROM runs WHERE id IN (SELECT run_id FROM eval_variants WHERE eval_id = ?1 "
          "UNION SELECT run_id FROM eval_judges WHERE eval_id = ?1)",
          "DELETE FROM evals WHERE id = ?1"}) {
        auto stmt = db.prepare(QString::fromLatin1(sql));
        if (!stmt)
            return fail(stmt.error());
        stmt->bind(1, evalId);
        if (auto ok = stmt->run(); !ok)
            return ok;
    }
    if (db.changes() == 0)
        return fail(ErrorCode::NotFound, QStringLiteral("No eval with id %1.").arg(evalId));
    return tx->commit();
}

Result<void> setEvalStatus(Database &db, qint64 evalId, const QString &status)
{
    const bool final = status != QLatin1String("pending") && status != QLatin1String("running");
    auto tx = Transaction::begin(db);
    if (!tx)
        return fail(tx.error());
    auto stmt
        = db.prepare(QStringLiteral("UPDATE evals SET status = ?, finished_at = ? WHERE id = ?"));
    if (!stmt)
        return fail(stmt.error());
    stmt->bind(1, status)
        .bind(2, final ? std::optional<QString>(nowUtc()) : std::nullopt)
        .bind(3, evalId);
    if (auto ok = stmt->run(); !ok)
        return ok;
    auto runs = db.prepare(QStringLiteral(
        "UPDATE runs SET status = ?1, finished_at = ?2 WHERE id IN (SELECT run_id FROM "
        "eval_variants WHERE eval_id = ?3 UNION SELECT run_id FROM eval_judges WHERE eval_id = "
        "?3)"));
    if (!runs)
        return fail(runs.error());
    runs->bind(1, status)
        .bind(2, final ? std::optional<QString>(nowUtc()) : std::nullopt)
        .bind(3, evalId);
    if (auto ok = runs->run(); !ok)
        return ok;
    return tx->commit();
}

} // namespace ts
