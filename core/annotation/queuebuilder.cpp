#include "annotation/queuebuilder.h"

#include "common/json.h"
#include "evals/evalresults.h"
#include "logs/logstore.h"
#include "runs/requestmessages.h"
#include "storage/database.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <random>

namespace ts {

namespace {

QString hashOf(const nlohmann::json &input, const std::optional<QString> &a,
               const std::optional<QString> &b = std::nullopt)
{
    const nlohmann::json content = {{"input", input},
                                    {"a", a ? nlohmann::json(sstr(*a)) : nlohmann::json()},
                                    {"b", b ? nlohmann::json(sstr(*b)) : nlohmann::json()}};
    return QString::fromLatin1(
        QCryptographicHash::hash(toJsonText(content).toUtf8(), QCryptographicHash::Sha256).toHex());
}

template<typename T>
void shuffle(QList<T> &list, std::mt19937_64 &rng)
{
    for (qsizetype i = list.size() - 1; i > 0; --i) {
        std::uniform_int_distribution<qsizetype> pick(0, i);
        std::swap(list[i], list[pick(rng)]);
    }
}

/// The text a person reads as the output of a log record.
std::optional<QString> logOutput(const LogRecord &r)
{
    if (r.output)
        return r.output;
    if (!r.outputToolCalls.isEmpty())
        return QString::fromStdString(toolCallsToJson(r.outputToolCalls).dump(2));
    if (r.error)
        return QStringLiteral("Error: ") + *r.error;
    return std::nullopt;
}

Candidate logCandidate(const LogRecord &r)
{
    Candidate c;
    c.item.a = Target{Target::Kind::Log, r.id};
    c.item.input = {{"messages", messagesToJson(r.messages)}};
    c.item.outputA = logOutput(r);
    nlohmann::json context = {{"status", r.ok ? "ok" : "error"}, {"source", sstr(r.sourceFormat)}};
    if (r.model)
        context["model"] = sstr(*r.model);
    if (r.promptName)
        context["prompt"] = sstr(*r.promptName + (r.promptVersion ? QLatin1Char('@') + *r.promptVersion
                                                                  : QString()));
    if (r.startMs)
        context["time"] = sstr(isoFromEpochMs(*r.startMs));
    if (r.error)
        context["error"] = sstr(*r.error);
    c.item.context = context;
    c.stratum = r.model.value_or(QStringLiteral("?")) + QLatin1Char('|')
                + r.promptName.value_or(QString()) + QLatin1Char('@')
                + r.promptVersion.value_or(QString()) + QLatin1Char('|')
                + (r.ok ? QStringLiteral("ok") : QStringLiteral("error"));
    c.failing = !r.ok;
    c.contentKey = hashOf(c.item.input, c.item.outputA);
    return c;
}

Result<nlohmann::json> generationInput(Database &db, qint64 generationId)
{
    auto st = db.prepare(QStringLiteral("SELECT request, variables FROM generations WHERE id = ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, generationId);
    auto row = st->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, QStringLiteral("No generation %1.").arg(generationId));
    const nlohmann::json messages = requestMessages(parseJson(st->text(0)).value_or(nlohmann::json()));
    if (!messages.empty())
        return nlohmann::json{{"messages", messages}};
    return nlohmann::json{{"variables", parseJson(st->text(1)).value_or(nlohmann::json::object())}};
}

bool allPass(const QList<AssertionResult> &results)
{
    return std::all_of(results.begin(), results.end(), [](const AssertionResult &r) { return r.pass; });
}

bool judgesPass(const QList<JudgeOutcome> &judgments)
{
    return std::all_of(judgments.begin(), judgments.end(),
                       [](const JudgeOutcome &j) { return j.pass.value_or(false); });
}

Result<Candidate> evalCandidate(Database &db, const EvalResults &results, int caseIndex, int variant,
                                const EvalSample &sample)
{
    auto input = generationInput(db, sample.generationId);
    if (!input)
        return fail(input.error());
    Candidate c;
    c.item.a = Target{Target::Kind::Generation, sample.generationId};
    c.item.input = *input;
    c.item.outputA = sample.hasVerdict() ? sample.output : QStringLiteral("Error: ") + sample.error;
    const EvalVariantSummary &v = results.variants[variant];
    c.item.context = {{"eval", results.evalId},
                      {"variant", sstr(v.label)},
                      {"model", sstr(v.modelName)},
                      {"prompt", sstr(v.promptName + QLatin1Char('@') + QString::number(v.promptVersion))},
                      {"case", caseIndex + 1},
                      {"sample", sample.sampleIndex},
                      {"verdict", sample.hasVerdict() ? (sample.pass ? "pass" : "fail") : "error"}};
    if (!sample.reason.isEmpty())
        c.item.context["reason"] = sstr(sample.reason);
    c.stratum = v.label + QLatin1Char('|') + (sample.pass ? QStringLiteral("pass") : QStringLiteral("fail"));
    c.failing = !sample.pass;
    c.disagreement = !sample.assertions.isEmpty() && !sample.judgments.isEmpty()
                     && allPass(sample.assertions) != judgesPass(sample.judgments);
    c.contentKey = hashOf(c.item.input, c.item.outputA);
    return c;
}

} // namespace

QString samplingStrategyName(SamplingStrategy strategy)
{
    switch (strategy) {
    case SamplingStrategy::Random: return QStringLiteral("random");
    case SamplingStrategy::Stratified: return QStringLiteral("stratified");
    case SamplingStrategy::FailingFirst: return QStringLiteral("failing-first");
    case SamplingStrategy::DisagreementFirst: return QStringLiteral("disagreement-first");
    }
    return {};
}

std::optional<SamplingStrategy> parseSamplingStrategy(const QString &name)
{
    for (SamplingStrategy s : {SamplingStrategy::Random, SamplingStrategy::Stratified,
                               SamplingStrategy::FailingFirst, SamplingStrategy::DisagreementFirst})
        if (samplingStrategyName(s) == name)
            return s;
    return std::nullopt;
}

QList<QueueItem> sampleCandidates(QList<Candidate> candidates, int n, SamplingStrategy strategy,
                                  std::uint64_t seed)
{
    // Identical input and output count once (the first seen wins, so order is stable).
    QSet<QString> seen;
    QList<Candidate> unique;
    for (Candidate &c : candidates)
        if (!seen.contains(c.contentKey)) {
            seen.insert(c.contentKey);
            unique.append(std::move(c));
        }
    std::mt19937_64 rng(seed);
    shuffle(unique, rng);
    QList<Candidate> ordered;
    switch (strategy) {
    case SamplingStrategy::Random:
        ordered = unique;
        break;
    case SamplingStrategy::FailingFirst:
    case SamplingStrategy::DisagreementFirst: {
        const bool failing = strategy == SamplingStrategy::FailingFirst;
        std::stable_partition(unique.begin(), unique.end(), [failing](const Candidate &c) {
            return failing ? c.failing : c.disagreement;
        });
        ordered = unique;
        break;
    }
    case SamplingStrategy::Stratified: {
        // Round-robin over strata (in the order of their shuffled first member), so that every
        // model x prompt version x status is seen before any is seen twice.
        QList<QString> order;
        QHash<QString, QList<Candidate>> strata;
        for (Candidate &c : unique) {
            if (!strata.contains(c.stratum))
                order.append(c.stratum);
            strata[c.stratum].append(std::move(c));
        }
        for (qsizetype round = 0; ordered.size() < unique.size(); ++round)
            for (const QString &s : order)
                if (round < strata[s].size())
                    ordered.append(strata[s][round]);
        break;
    }
    }
    if (n >= 0 && ordered.size() > n)
        ordered.resize(n);
    QList<QueueItem> items;
    items.reserve(ordered.size());
    for (Candidate &c : ordered)
        items.append(std::move(c.item));
    return items;
}

namespace queuesource {

Result<QList<Candidate>> fromLogs(Database &db, const LogFilter &filter)
{
    LogStore store(db);
    QList<Candidate> candidates;
    constexpr int page = 2000;
    for (qint64 offset = 0;; offset += page) {
        auto records = store.records(filter, LogSort::TimeAscending, page, offset);
        if (!records)
            return fail(records.error());
        for (const LogRecord &r : *records)
            candidates.append(logCandidate(r));
        if (records->size() < page)
            break;
    }
    return candidates;
}

Result<QList<Candidate>> fromEval(Database &db, qint64 evalId, int variant, EvalPick pick,
                                  int changedA, int changedB)
{
    auto results = EvalResults::load(db, evalId);
    if (!results)
        return fail(results.error());
    if (variant >= int(results->variants.size()))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Eval %1 has %2 variants; there is no variant %3.")
                        .arg(evalId).arg(results->variants.size()).arg(variant + 1));
    const EvalResults::Filter filter = pick == EvalPick::Failures ? EvalResults::Filter::FailuresOnly
                                       : pick == EvalPick::Flaky  ? EvalResults::Filter::FlakyOnly
                                       : pick == EvalPick::Changed ? EvalResults::Filter::ChangedBetween
                                                                  : EvalResults::Filter::All;
    QList<Candidate> candidates;
    for (int caseIndex : results->rows(filter, changedA, changedB)) {
        for (int v = 0; v < results->variants.size(); ++v) {
            if (variant >= 0 && v != variant)
                continue;
            if (pick == EvalPick::Changed && v != changedA && v != changedB)
                continue;
            for (const EvalSample &s : results->cell(caseIndex, v).samples) {
                if (pick == EvalPick::Failures && s.pass)
                    continue;
                auto c = evalCandidate(db, *results, caseIndex, v, s);
                if (!c)
                    return fail(c.error());
                candidates.append(*c);
            }
        }
    }
    return candidates;
}

Result<QList<Candidate>> pairsFromEval(Database &db, qint64 evalId, int variantA, int variantB)
{
    auto results = EvalResults::load(db, evalId);
    if (!results)
        return fail(results.error());
    const int count = int(results->variants.size());
    if (variantA < 0 || variantB < 0 || variantA >= count || variantB >= count || variantA == variantB)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Pick two different variants of eval %1 (1 to %2).").arg(evalId).arg(count));
    QList<Candidate> candidates;
    for (int caseIndex = 0; caseIndex < results->cases.size(); ++caseIndex) {
        const EvalSample *a = results->cell(caseIndex, variantA).sample(0);
        const EvalSample *b = results->cell(caseIndex, variantB).sample(0);
        if (!a || !b || !a->hasVerdict() || !b->hasVerdict())
            continue;
        auto c = evalCandidate(db, *results, caseIndex, variantA, *a);
        if (!c)
            return fail(c.error());
        c->item.b = Target{Target::Kind::Generation, b->generationId};
        c->item.outputB = b->output;
        c->item.context["variant_b"] = sstr(results->variants[variantB].label);
        c->contentKey = hashOf(c->item.input, c->item.outputA, c->item.outputB);
        candidates.append(*c);
    }
    return candidates;
}

Result<QList<Candidate>> pairsAgainstProduction(Database &db, qint64 evalId, int variant)
{
    auto results = EvalResults::load(db, evalId);
    if (!results)
        return fail(results.error());
    if (variant < 0 || variant >= results->variants.size())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Eval %1 has no variant %2.")
                                                    .arg(evalId).arg(variant + 1));
    QList<Candidate> candidates;
    for (int caseIndex = 0; caseIndex < results->cases.size(); ++caseIndex) {
        const TestCase &tc = results->cases[caseIndex];
        if (!tc.productionOutput)
            continue;
        const EvalSample *a = results->cell(caseIndex, variant).sample(0);
        if (!a || !a->hasVerdict())
            continue;
        auto c = evalCandidate(db, *results, caseIndex, variant, *a);
        if (!c)
            return fail(c.error());
        c->item.b = Target{Target::Kind::Case, tc.id};
        c->item.outputB = tc.productionOutput;
        c->item.context["variant_b"] = "production";
        c->contentKey = hashOf(c->item.input, c->item.outputA, c->item.outputB);
        candidates.append(*c);
    }
    if (candidates.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Eval %1 has no cases with a production output to compare against "
                                   "(add cases from logs first).").arg(evalId));
    return candidates;
}

Result<QList<Candidate>> fromPlayground(Database &db, int limit)
{
    auto st = db.prepare(QStringLiteral(
        "SELECT g.id, g.output, g.status, coalesce(m.name, json_extract(r.model_snapshot, '$.name'), ''), "
        "coalesce(p.name || '@' || v.number, '') FROM generations g JOIN runs r ON r.id = g.run_id "
        "LEFT JOIN models m ON m.id = r.model_id "
        "LEFT JOIN prompt_versions v ON v.id = r.prompt_version_id "
        "LEFT JOIN prompts p ON p.id = v.prompt_id "
        "WHERE r.kind = 'playground' AND g.status = 'ok' ORDER BY g.id DESC LIMIT ?"));
    if (!st)
        return fail(st.error());
    st->bind(1, qint64(limit));
    struct Row
    {
        qint64 id;
        QString output;
        QString model;
        QString prompt;
    };
    auto rows = st->all([](const Statement &s) { return Row{s.int64(0), s.text(1), s.text(3), s.text(4)}; });
    if (!rows)
        return fail(rows.error());
    QList<Candidate> candidates;
    for (const Row &r : *rows) {
        auto input = generationInput(db, r.id);
        if (!input)
            return fail(input.error());
        Candidate c;
        c.item.a = Target{Target::Kind::Generation, r.id};
        c.item.input = *input;
        c.item.outputA = r.output;
        c.item.context = {{"model", sstr(r.model)}, {"prompt", sstr(r.prompt)}, {"source", "playground"}};
        c.stratum = r.model + QLatin1Char('|') + r.prompt;
        c.contentKey = hashOf(c.item.input, c.item.outputA);
        candidates.append(c);
    }
    return candidates;
}

Result<nlohmann::json> targetInput(Database &db, const Target &target)
{
    switch (target.kind) {
    case Target::Kind::Generation:
        return generationInput(db, target.id);
    case Target::Kind::Log: {
        auto record = LogStore(db).record(target.id);
        if (!record)
            return fail(record.error());
        return nlohmann::json{{"messages", messagesToJson(record->messages)}};
    }
    case Target::Kind::Case: {
        auto st = db.prepare(QStringLiteral("SELECT vars FROM test_cases WHERE id = ?"));
        if (!st)
            return fail(st.error());
        st->bind(1, target.id);
        auto vars = st->one([](const Statement &s) { return s.text(0); },
                            QStringLiteral("No test case %1.").arg(target.id));
        if (!vars)
            return fail(vars.error());
        return nlohmann::json{{"variables", parseJson(*vars).value_or(nlohmann::json::object())}};
    }
    }
    return nlohmann::json::object();
}

} // namespace queuesource

std::uint64_t dailySeed(const QDate &date)
{
    // yyyymmdd: readable, and the same for every reviewer on that day.
    return std::uint64_t(date.year()) * 10000 + std::uint64_t(date.month()) * 100
           + std::uint64_t(date.day());
}

Result<QueueInfo> buildDailyQueue(Database &db, const DailyOptions &options)
{
    const QDate date = options.date.isValid() ? options.date : QDateTime::currentDateTimeUtc().date();
    const QString day = date.toString(Qt::ISODate);
    QueueStore queues(db);

    // Today's queue exists: everyone reviews the same one.
    auto existing = db.prepare(QStringLiteral("SELECT id FROM queues WHERE daily_date = ?"));
    if (!existing)
        return fail(existing.error());
    existing->bind(1, day);
    if (auto row = existing->step(); !row)
        return fail(row.error());
    else if (*row) {
        auto today = queues.queue(existing->int64(0));
        // An empty check made before the day's logs arrived gives way to one with them.
        if (!today || today->itemCount > 0)
            return today;
        if (auto removed = queues.remove(today->id); !removed)
            return fail(removed.error());
    }

    // Since the last daily queue (the logs that arrived after it was built).
    auto last = db.prepare(QStringLiteral(
        "SELECT id, created_at FROM queues WHERE daily_date IS NOT NULL AND daily_date < ? "
        "ORDER BY daily_date DESC LIMIT 1"));
    if (!last)
        return fail(last.error());
    last->bind(1, day);
    LogFilter filter;
    QStringList criteria = options.criteria;
    if (auto row = last->step(); !row)
        return fail(row.error());
    else if (*row) {
        filter.importedSince = last->text(1);
        if (criteria.isEmpty()) {
            auto previous = queues.queue(last->int64(0));
            if (!previous)
                return fail(previous.error());
            for (const CriterionVersion &c : previous->criteria)
                criteria.append(c.name);
        }
    }
    if (criteria.isEmpty()) {
        CriterionStore store(db);
        if (!store.latest(QStringLiteral("acceptable")))
            if (auto made = store.create(QStringLiteral("acceptable"),
                                         QStringLiteral("Is this output acceptable to send to the user?"),
                                         QStringLiteral("Created for the daily vibe check.")); !made)
                return fail(made.error());
        criteria.append(QStringLiteral("acceptable"));
    }

    auto candidates = queuesource::fromLogs(db, filter);
    if (!candidates)
        return fail(candidates.error());
    auto reviewed = queues.reviewedTargetKeys();
    if (!reviewed)
        return fail(reviewed.error());
    QList<Candidate> fresh;
    for (Candidate &c : *candidates)
        if (!reviewed->contains(c.item.a.key()))
            fresh.append(std::move(c));
    const std::uint64_t seed = dailySeed(date);
    const QList<QueueItem> items = sampleCandidates(fresh, options.size, SamplingStrategy::Stratified, seed);
    QueueSpec spec;
    spec.name = QStringLiteral("Daily %1").arg(day);
    spec.kind = QueueKind::Binary;
    spec.criteria = criteria;
    spec.dailyDate = day;
    spec.origin = {{"source", "daily"},
                   {"strategy", "stratified"},
                   {"seed", seed},
                   {"size", options.size},
                   {"candidates", fresh.size()}};
    if (filter.importedSince)
        spec.origin["imported_since"] = sstr(*filter.importedSince);
    return queues.create(spec, items);
}

} // namespace ts
