#include "cli.h"

#include "annotation/labelpack.h"
#include "annotation/labelstore.h"
#include "annotation/queuebuilder.h"
#include "annotation/queuestore.h"
#include "common/json.h"
#include "logs/logrecord.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QDate>

namespace ts::cli {

namespace {

QString plural(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

nlohmann::json optionalJson(const std::optional<QString> &v)
{
    return v ? nlohmann::json(sstr(*v)) : nlohmann::json();
}

nlohmann::json queueJson(const QueueInfo &q)
{
    nlohmann::json criteria = nlohmann::json::array();
    for (const CriterionVersion &c : q.criteria)
        criteria.push_back(
            {{"name", sstr(c.name)}, {"version", c.version}, {"question", sstr(c.question)}});
    return {{"id", q.id},
            {"name", sstr(q.name)},
            {"kind", sstr(queueKindName(q.kind))},
            {"items", q.itemCount},
            {"overlap", q.overlap},
            {"blind", q.blind},
            {"criteria", criteria},
            {"daily_date", optionalJson(q.dailyDate)},
            {"pack_id", optionalJson(q.packId)},
            {"origin", q.origin},
            {"created_at", sstr(q.createdAt)}};
}

QString queueLine(const QueueInfo &q)
{
    QStringList names;
    for (const CriterionVersion &c : q.criteria)
        names.append(c.name);
    return QStringLiteral("\"%1\": %2, %3%4, overlap %5, %6")
        .arg(q.name, plural(q.itemCount, QStringLiteral("item"), QStringLiteral("items")),
             queueKindName(q.kind),
             names.isEmpty()
                 ? QString()
                 : QStringLiteral(" (") + names.join(QStringLiteral(", ")) + QLatin1Char(')'))
        .arg(q.overlap)
        .arg(q.blind ? QStringLiteral("blind") : QStringLiteral("not blind"));
}

Result<int> positive(const QCommandLineParser &p, const QString &name, int fallback, int minimum)
{
    if (!p.isSet(name))
        return fallback;
    bool ok = false;
    const int n = p.value(name).toInt(&ok);
    if (!ok || n < minimum)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("--%1 must be a whole number >= %2, not \"%3\"")
                        .arg(name)
                        .arg(minimum)
                        .arg(p.value(name)));
    return n;
}

/// A 1-based variant number as the user types it, 0-based as the builder takes it.
Result<int> variantIndex(const QString &text, const QString &option)
{
    bool ok = false;
    const int n = text.trimmed().toInt(&ok);
    if (!ok || n < 1)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 must be a variant number (1, 2, ...), not \"%2\"")
                        .arg(option, text));
    return n - 1;
}

// ---- create ------------------------------------------------------------------------------

int create(const QStringList &args)
{
    const QString help = QStringLiteral("queue create");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Create a review queue from eval results, production logs or playground runs. Binary "
        "queues ask each --criterion as a yes/no question; pairwise queues show two outputs "
        "for the same input (two eval variants, or a variant against the production outputs "
        "kept with cases that came from logs). Identical input and output count once."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Name of the new queue."));
    p.addOptions({
        {QStringLiteral("criterion"),
         QStringLiteral("A yes/no criterion to label (repeat for several; created when new)."),
         QStringLiteral("NAME")},
        {QStringLiteral("from-eval"), QStringLiteral("Outputs of this eval."),
         QStringLiteral("ID")},
        {QStringLiteral("variant"), QStringLiteral("Only this variant (1, 2, ...; default all)."),
         QStringLiteral("N")},
        {QStringLiteral("failures"), QStringLiteral("Only failed samples.")},
        {QStringLiteral("flaky"), QStringLiteral("Only cases whose samples disagree.")},
        {QStringLiteral("changed"),
         QStringLiteral("Only cases whose verdict changed between variants A and B."),
         QStringLiteral("A,B")},
        {QStringLiteral("from-logs"),
         QStringLiteral("Production log records (with the filters below).")},
        {QStringLiteral("from-playground"), QStringLiteral("Playground generations.")},
        {QStringLiteral("since"), QStringLiteral("Logs: calls that started at or after T."),
         QStringLiteral("T")},
        {QStringLiteral("until"), QStringLiteral("Logs: calls that started before T."),
         QStringLiteral("T")},
        {QStringLiteral("model"), QStringLiteral("Logs: calls to this model."),
         QStringLiteral("M")},
        {QStringLiteral("status"), QStringLiteral("Logs: ok or error."), QStringLiteral("STATUS")},
        {QStringLiteral("search"), QStringLiteral("Logs: full-text search in inputs and outputs."),
         QStringLiteral("TEXT")},
        {QStringLiteral("prompt"), QStringLiteral("Logs: calls that recorded this prompt."),
         QStringLiteral("NAME[@V]")},
        {QStringLiteral("pairwise"), QStringLiteral("Compare two outputs per item.")},
        {QStringLiteral("a"), QStringLiteral("Pairwise: the first variant."),
         QStringLiteral("VARIANT")},
        {QStringLiteral("b"), QStringLiteral("Pairwise: the second variant."),
         QStringLiteral("VARIANT")},
        {QStringLiteral("against-production"),
         QStringLiteral(
             "Pairwise: --variant's outputs against the production outputs of cases from logs.")},
        {QStringLiteral("overlap"), QStringLiteral("Annotators per item (default 1)."),
         QStringLiteral("N")},
        {QStringLiteral("blind"),
         QStringLiteral("Hide model and prompt from annotators (default).")},
        {QStringLiteral("no-blind"), QStringLiteral("Show model and prompt.")},
        {QStringLiteral("sample"), QStringLiteral("At most N items."), QStringLiteral("N")},
        {QStringLiteral("seed"), QStringLiteral("Seed of the sampling (default 0)."),
         QStringLiteral("S")},
        {QStringLiteral("strategy"),
         QStringLiteral("random (default), stratified, failing-first or disagreement-first."),
         QStringLiteral("NAME")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 2, 2); code >= 0)
        return code;
    const auto set = [&](const char *name) {
        return p.isSet(QString::fromLatin1(name));
    };
    const int sources = int(set("from-eval")) + int(set("from-logs")) + int(set("from-playground"));
    if (sources != 1)
        return usageError(
            QStringLiteral("choose one source: --from-eval ID, --from-logs or --from-playground"),
            help);
    if (set("blind") && set("no-blind"))
        return usageError(QStringLiteral("--blind and --no-blind exclude each other"), help);
    const bool pairwise = set("pairwise");
    if (int(set("failures")) + int(set("flaky")) + int(set("changed")) > 1)
        return usageError(QStringLiteral("--failures, --flaky and --changed exclude each other"),
                          help);
    if ((set("failures") || set("flaky") || set("changed") || set("variant")) && !set("from-eval"))
        return usageError(
            QStringLiteral("--variant, --failures, --flaky and --changed go with --from-eval"),
            help);
    for (const char *logOption : {"since", "until", "model", "status", "search", "prompt"})
        if (set(logOption) && !set("from-logs"))
            return usageError(
                QStringLiteral("--%1 goes with --from-logs").arg(QString::fromLatin1(logOption)),
                help);
    if (!pairwise && (set("a") || set("b") || set("against-production")))
        return usageError(QStringLiteral("--a, --b and --against-production go with --pairwise"),
                          help);
    if (pairwise && !set("from-eval"))
        return usageError(QStringLiteral("--pairwise needs --from-eval ID"), help);
    if (pairwise && set("against-production") == (set("a") || set("b")))
        return usageError(QStringLiteral("--pairwise needs either --a VARIANT --b VARIANT or "
                                         "--against-production --variant N"),
                          help);
    if (pairwise && (set("failures") || set("flaky") || set("changed")))
        return usageError(QStringLiteral("--failures, --flaky and --changed are for binary queues"),
                          help);
    const QStringList criteria = p.values(QStringLiteral("criterion"));
    if (!pairwise && criteria.isEmpty())
        return usageError(QStringLiteral("a binary queue needs at least one --criterion NAME"),
                          help);
    auto overlap = positive(p, QStringLiteral("overlap"), 1, 1);
    if (!overlap)
        return usageError(overlap.error().message, help);
    auto sample = positive(p, QStringLiteral("sample"), -1, 0);
    if (!sample)
        return usageError(sample.error().message, help);
    std::uint64_t seed = 0;
    if (set("seed")) {
        bool ok = false;
        seed = p.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("--seed must be a whole number >= 0"), help);
    }
    SamplingStrategy strategy = SamplingStrategy::Random;
    if (set("strategy")) {
        auto parsed = parseSamplingStrategy(p.value(QStringLiteral("strategy")));
        if (!parsed)
            return usageError(QStringLiteral("--strategy must be random, stratified, failing-first "
                                             "or disagreement-first, not \"%1\"")
                                  .arg(p.value(QStringLiteral("strategy"))),
                              help);
        strategy = *parsed;
    }
    qint64 evalId = 0;
    if (set("from-eval")) {
        bool ok = false;
        evalId = p.value(QStringLiteral("from-eval")).toLongLong(&ok);
        if (!ok || evalId <= 0)
            return usageError(QStringLiteral("--from-eval must be an eval id, not \"%1\"")
                                  .arg(p.value(QStringLiteral("from-eval"))),
                              help);
    }
    int variant = -1;
    if (set("variant")) {
        auto v = variantIndex(p.value(QStringLiteral("variant")), QStringLiteral("--variant"));
        if (!v)
            return usageError(v.error().message, help);
        variant = *v;
    }
    if (set("against-production") && variant < 0)
        return usageError(QStringLiteral("--against-production needs --variant N"), help);

    nlohmann::json origin = {{"strategy", sstr(samplingStrategyName(strategy))}, {"seed", seed}};
    if (*sample >= 0)
        origin["sample"] = *sample;
    LogFilter filter;
    if (set("from-logs")) {
        origin["source"] = "logs";
        nlohmann::json filters = nlohmann::json::object();
        for (const char *key : {"since", "until"}) {
            const QString name = QString::fromLatin1(key);
            if (!p.isSet(name))
                continue;
            const auto ms = epochMsFromText(p.value(name));
            if (!ms)
                return usageError(
                    QStringLiteral(
                        "--%1 \"%2\" is not a time (use ISO 8601, a date, or epoch seconds)")
                        .arg(name, p.value(name)),
                    help);
            (name == QLatin1String("since") ? filter.sinceMs : filter.untilMs) = *ms;
            filters[key] = sstr(isoFromEpochMs(*ms));
        }
        if (set("model")) {
            filter.model = p.value(QStringLiteral("model"));
            filters["model"] = sstr(*filter.model);
        }
        if (set("status")) {
            const QString s = p.value(QStringLiteral("status")).toLower();
            if (s != QLatin1String("ok") && s != QLatin1String("error"))
                return usageError(QStringLiteral("--status must be ok or error, not \"%1\"")
                                      .arg(p.value(QStringLiteral("status"))),
                                  help);
            filter.ok = s == QLatin1String("ok");
            filters["status"] = sstr(s);
        }
        filter.search = p.value(QStringLiteral("search")).trimmed();
        if (!filter.search.isEmpty())
            filters["search"] = sstr(filter.search);
        if (set("prompt")) {
            const QString ref = p.value(QStringLiteral("prompt"));
            const qsizetype at = ref.lastIndexOf(QLatin1Char('@'));
            filter.promptName = at < 0 ? ref : ref.left(at);
            if (at >= 0)
                filter.promptVersion = ref.mid(at + 1);
            filters["prompt"] = sstr(ref);
        }
        origin["filters"] = filters;
    }

    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    Database &db = project->db();
    Result<QList<Candidate>> candidates = QList<Candidate>();
    if (set("from-logs")) {
        candidates = queuesource::fromLogs(db, filter);
    } else if (set("from-playground")) {
        origin["source"] = "playground";
        candidates = queuesource::fromPlayground(db, 100000);
    } else if (pairwise && set("against-production")) {
        origin.update({{"source", "eval"},
                       {"eval", evalId},
                       {"variant", variant + 1},
                       {"against", "production"}});
        candidates = queuesource::pairsAgainstProduction(db, evalId, variant);
    } else if (pairwise) {
        auto a = variantIndex(p.value(QStringLiteral("a")), QStringLiteral("--a"));
        auto b = variantIndex(p.value(QStringLiteral("b")), QStringLiteral("--b"));
        if (!a || !b)
            return usageError((a ? b : a).error().message, help);
        origin.update({{"source", "eval"}, {"eval", evalId}, {"a", *a + 1}, {"b", *b + 1}});
        candidates = queuesource::pairsFromEval(db, evalId, *a, *b);
    } else {
        queuesource::EvalPick pick = queuesource::EvalPick::All;
        int changedA = 0;
        int changedB = 1;
        origin.update({{"source", "eval"}, {"eval", evalId}});
        if (variant >= 0)
            origin["variant"] = variant + 1;
        if (set("failures")) {
            pick = queuesource::EvalPick::Failures;
            origin["pick"] = "failures";
        } else if (set("flaky")) {
            pick = queuesource::EvalPick::Flaky;
            origin["pick"] = "flaky";
        } else if (set("changed")) {
            const QStringList parts = p.value(QStringLiteral("changed")).split(QLatin1Char(','));
            if (parts.size() != 2)
                return usageError(QStringLiteral("--changed takes two variants: A,B"), help);
            auto a = variantIndex(parts[0], QStringLiteral("--changed"));
            auto b = variantIndex(parts[1], QStringLiteral("--changed"));
            if (!a || !b)
                return usageError((a ? b : a).error().message, help);
            pick = queuesource::EvalPick::Changed;
            changedA = *a;
            changedB = *b;
            origin["pick"] = "changed";
            origin["changed"] = {*a + 1, *b + 1};
        }
        candidates = queuesource::fromEval(db, evalId, variant, pick, changedA, changedB);
    }
    if (!candidates)
        return report(candidates.error());
    origin["candidates"] = candidates->size();
    const QList<QueueItem> items = sampleCandidates(*candidates, *sample, strategy, seed);

    QueueSpec spec;
    spec.name = p.positionalArguments().at(1);
    spec.kind = pairwise ? QueueKind::Pairwise : QueueKind::Binary;
    spec.overlap = *overlap;
    spec.blind = !set("no-blind");
    spec.criteria = criteria;
    spec.origin = origin;
    auto queue = QueueStore(db).create(spec, items);
    if (!queue)
        return report(queue.error());
    if (p.isSet(QStringLiteral("json"))) {
        outJson(queueJson(*queue));
        return Ok;
    }
    out(QStringLiteral("Created queue %1 (from %2).\n")
            .arg(queueLine(*queue),
                 plural(candidates->size(), QStringLiteral("candidate"),
                        QStringLiteral("candidates"))));
    if (queue->itemCount == 0)
        err(QStringLiteral("touchstone-cli: nothing matched: the queue is empty\n"));
    return Ok;
}

// ---- daily -------------------------------------------------------------------------------

int daily(const QStringList &args)
{
    const QString help = QStringLiteral("queue daily");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Build today's vibe-check queue: N log records that arrived since the last daily queue, "
        "stratified across model, prompt version and status, sampled with a seed taken from the "
        "date (two reviewers get the same sample), never an item already reviewed, identical "
        "input and output once. When the day already has its queue, that queue is shown."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("size"), QStringLiteral("Items (default 25)."), QStringLiteral("N")},
        {QStringLiteral("date"), QStringLiteral("The day (default today, UTC)."),
         QStringLiteral("YYYY-MM-DD")},
        {QStringLiteral("criterion"),
         QStringLiteral("Criteria (default: the previous daily queue's, else \"acceptable\")."),
         QStringLiteral("NAME")},
    });
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    DailyOptions options;
    auto size = positive(p, QStringLiteral("size"), 25, 1);
    if (!size)
        return usageError(size.error().message, help);
    options.size = *size;
    if (p.isSet(QStringLiteral("date"))) {
        options.date = QDate::fromString(p.value(QStringLiteral("date")), Qt::ISODate);
        if (!options.date.isValid())
            return usageError(QStringLiteral("--date must be YYYY-MM-DD, not \"%1\"")
                                  .arg(p.value(QStringLiteral("date"))),
                              help);
    }
    options.criteria = p.values(QStringLiteral("criterion"));
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto queue = buildDailyQueue(project->db(), options);
    if (!queue)
        return report(queue.error());
    if (p.isSet(QStringLiteral("json"))) {
        outJson(queueJson(*queue));
        return Ok;
    }
    out(QStringLiteral("Daily queue %1.\n").arg(queueLine(*queue)));
    return Ok;
}

// ---- list / show -------------------------------------------------------------------------

int list(const QStringList &args)
{
    const QString help = QStringLiteral("queue list");
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("List the review queues of a project, newest first."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    auto queues = QueueStore(project->db()).list();
    if (!queues)
        return report(queues.error());
    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json array = nlohmann::json::array();
        for (const QueueInfo &q : std::as_const(*queues))
            array.push_back(queueJson(q));
        outJson(array);
        return Ok;
    }
    if (queues->isEmpty()) {
        out(QStringLiteral("No queues.\n"));
        return Ok;
    }
    QString text;
    for (const QueueInfo &q : std::as_const(*queues))
        text += queueLine(q) + (q.dailyDate ? QStringLiteral(" [daily]") : QString())
            + (q.packId ? QStringLiteral(" [pack %1]").arg(q.packId->left(8)) : QString())
            + QLatin1Char('\n');
    out(text);
    return Ok;
}

/// Everyone who labeled an item of the queue, by name.
Result<QStringList> annotatorsOf(Database &db, qint64 queueId)
{
    auto st = db.prepare(QStringLiteral(
        "SELECT l.annotator FROM labels l JOIN queue_items qi ON qi.a_kind = l.target_kind "
        "AND qi.a_id = l.target_id WHERE qi.queue_id = ?1 AND qi.b_kind IS NULL "
        "UNION SELECT p.annotator FROM preferences p JOIN queue_items qi ON qi.a_kind = p.a_kind "
        "AND qi.a_id = p.a_id AND qi.b_kind = p.b_kind AND qi.b_id = p.b_id "
        "WHERE qi.queue_id = ?1 ORDER BY 1"));
    if (!st)
        return fail(st.error());
    st->bind(1, queueId);
    return st->all([](const Statement &s) { return s.text(0); });
}

QString firstWords(const std::optional<QString> &text, int width)
{
    if (!text)
        return QStringLiteral("-");
    QString flat = text->simplified();
    if (flat.size() > width)
        flat = flat.left(width - 1).trimmed() + QChar(0x2026);
    return flat;
}

int show(const QStringList &args)
{
    const QString help = QStringLiteral("queue show");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Show a queue: its settings, each annotator's progress, and its items in order with "
        "who completed each. Without NAME, the newest queue."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Queue name."),
                            QStringLiteral("[NAME]"));
    p.addOption({QStringLiteral("limit"), QStringLiteral("At most N items (default 100; 0: all)."),
                 QStringLiteral("N")});
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 1, 2); code >= 0)
        return code;
    auto limit = positive(p, QStringLiteral("limit"), 100, 0);
    if (!limit)
        return usageError(limit.error().message, help);
    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());
    Database &db = project->db();
    QueueStore queues(db);
    Result<QueueInfo> queue
        = fail(ErrorCode::NotFound, QStringLiteral("The project has no queues."));
    if (p.positionalArguments().size() > 1) {
        queue = queues.queue(p.positionalArguments().at(1));
    } else {
        auto all = queues.list();
        if (!all)
            return report(all.error());
        if (!all->isEmpty())
            queue = all->first();
    }
    if (!queue)
        return report(queue.error());
    auto annotators = annotatorsOf(db, queue->id);
    if (!annotators)
        return report(annotators.error());
    QList<QueueProgress> progress;
    for (const QString &a : std::as_const(*annotators)) {
        auto pr = queues.progress(queue->id, a);
        if (!pr)
            return report(pr.error());
        progress.append(*pr);
    }
    auto items = queues.items(queue->id, *limit == 0 ? -1 : *limit);
    if (!items)
        return report(items.error());
    QList<QStringList> doneBy; // per item, the annotators who completed it
    for (const QueueItem &item : std::as_const(*items)) {
        QStringList done;
        for (const QString &a : std::as_const(*annotators)) {
            auto complete = queues.isComplete(item, a);
            if (!complete)
                return report(complete.error());
            if (*complete)
                done.append(a);
        }
        doneBy.append(done);
    }

    if (p.isSet(QStringLiteral("json"))) {
        nlohmann::json j = queueJson(*queue);
        nlohmann::json people = nlohmann::json::array();
        for (qsizetype i = 0; i < annotators->size(); ++i)
            people.push_back({{"annotator", sstr(annotators->at(i))},
                              {"done", progress[i].done},
                              {"total", progress[i].total}});
        j["progress"] = people;
        nlohmann::json array = nlohmann::json::array();
        for (qsizetype i = 0; i < items->size(); ++i) {
            const QueueItem &item = items->at(i);
            nlohmann::json done = nlohmann::json::array();
            for (const QString &a : std::as_const(doneBy[i]))
                done.push_back(sstr(a));
            nlohmann::json row
                = {{"id", item.id},
                   {"position", item.position + 1},
                   {"a", sstr(item.a.key())},
                   {"b", item.b ? nlohmann::json(sstr(item.b->key())) : nlohmann::json()},
                   {"input", item.input},
                   {"output_a", optionalJson(item.outputA)},
                   {"output_b", optionalJson(item.outputB)},
                   {"context", item.context},
                   {"done_by", done}};
            array.push_back(row);
        }
        j["item_list"] = array;
        outJson(j);
        return Ok;
    }

    QString text = QStringLiteral("Queue %1\n").arg(queueLine(*queue));
    if (queue->dailyDate)
        text += QStringLiteral("Daily vibe check of %1\n").arg(*queue->dailyDate);
    if (queue->packId)
        text += QStringLiteral("Label pack %1\n").arg(*queue->packId);
    if (annotators->isEmpty())
        text += QStringLiteral("Nobody has labeled it yet.\n");
    for (qsizetype i = 0; i < annotators->size(); ++i)
        text += QStringLiteral("  %1: %2 of %3 done\n")
                    .arg(annotators->at(i))
                    .arg(progress[i].done)
                    .arg(progress[i].total);
    text += QLatin1Char('\n');
    for (qsizetype i = 0; i < items->size(); ++i) {
        const QueueItem &item = items->at(i);
        const QString who
            = doneBy[i].isEmpty() ? QStringLiteral("-") : doneBy[i].join(QLatin1Char(','));
        text += QStringLiteral("%1  %2  %3  %4\n")
                    .arg(item.position + 1, 5)
                    .arg(item.key(), -24)
                    .arg(who, -14)
                    .arg(firstWords(item.outputA, 60));
    }
    if (queue->itemCount > items->size())
        text += QStringLiteral("... %1 more (use --limit 0 to see all)\n")
                    .arg(queue->itemCount - items->size());
    out(text);
    return Ok;
}

// ---- packs -------------------------------------------------------------------------------

int exportPack(const QStringList &args)
{
    const QString help = QStringLiteral("queue export-pack");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Write a queue as a label pack: a small project file with only the queue, its items, "
        "its criteria and the labels already given — no models, keys, prompts or logs. Send it "
        "to a colleague, who opens it in Touchstone, labels, and sends it back for "
        "'queue import-pack'."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Queue name."));
    p.addPositionalArgument(QStringLiteral("OUT"),
                            QStringLiteral("The pack to write (a new .touchstone file)."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 3, 3); code >= 0)
        return code;
    const QStringList pos = p.positionalArguments();
    auto project = Project::open(pos.at(0));
    if (!project)
        return report(project.error());
    auto s = labelpack::exportPack(project->db(), pos.at(1), pos.at(2));
    if (!s)
        return report(s.error());
    if (p.isSet(QStringLiteral("json"))) {
        outJson({{"pack_id", sstr(s->packId)},
                 {"path", sstr(s->path)},
                 {"items", s->items},
                 {"criterion_versions", s->criterionVersions},
                 {"labels", s->labels},
                 {"preferences", s->preferences},
                 {"notes", s->notes},
                 {"corrections", s->corrections}});
        return Ok;
    }
    out(QStringLiteral("Wrote %1: %2, %3 and %4 already given.\n")
            .arg(s->path, plural(s->items, QStringLiteral("item"), QStringLiteral("items")),
                 plural(s->criterionVersions, QStringLiteral("criterion wording"),
                        QStringLiteral("criterion wordings")),
                 plural(s->labels + s->preferences, QStringLiteral("label"),
                        QStringLiteral("labels"))));
    return Ok;
}

int importPack(const QStringList &args)
{
    const QString help = QStringLiteral("queue import-pack");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Merge a label pack's labels, pairwise choices, notes and corrections, with their "
        "annotator names, into the queue it was made from (or a new queue with its items). "
        "Nobody's label is overwritten; importing the same pack twice adds nothing."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addPositionalArgument(QStringLiteral("PACK"), QStringLiteral("The label pack."));
    addJsonOption(p);
    if (int code = parseOrExit(p, args, help, 2, 2); code >= 0)
        return code;
    const QStringList pos = p.positionalArguments();
    auto project = Project::open(pos.at(0));
    if (!project)
        return report(project.error());
    auto s = labelpack::importPack(project->db(), pos.at(1));
    if (!s)
        return report(s.error());
    if (p.isSet(QStringLiteral("json"))) {
        outJson(
            {{"pack_id", sstr(s->packId)},
             {"queue", sstr(s->queue)},
             {"created_queue", s->createdQueue},
             {"labels", {{"added", s->labelsAdded}, {"skipped", s->labelsSkipped}}},
             {"preferences", {{"added", s->preferencesAdded}, {"skipped", s->preferencesSkipped}}},
             {"notes", {{"added", s->notesAdded}, {"skipped", s->notesSkipped}}},
             {"corrections",
              {{"added", s->correctionsAdded}, {"skipped", s->correctionsSkipped}}}});
        return Ok;
    }
    out(QStringLiteral("Merged into queue \"%1\"%2: added %3, %4, %5 and %6; %7 already here.\n")
            .arg(s->queue, s->createdQueue ? QStringLiteral(" (new)") : QString(),
                 plural(s->labelsAdded, QStringLiteral("label"), QStringLiteral("labels")),
                 plural(s->preferencesAdded, QStringLiteral("pairwise choice"),
                        QStringLiteral("pairwise choices")),
                 plural(s->notesAdded, QStringLiteral("note"), QStringLiteral("notes")),
                 plural(s->correctionsAdded, QStringLiteral("correction"),
                        QStringLiteral("corrections")))
            .arg(s->skipped()));
    return Ok;
}

} // namespace

int runQueue(const QStringList &args)
{
    const QString sub = args.value(1);
    const QStringList rest = args.mid(1);
    if (sub == QLatin1String("create"))
        return create(rest);
    if (sub == QLatin1String("daily"))
        return daily(rest);
    if (sub == QLatin1String("list"))
        return list(rest);
    if (sub == QLatin1String("show"))
        return show(rest);
    if (sub == QLatin1String("export-pack"))
        return exportPack(rest);
    if (sub == QLatin1String("import-pack"))
        return importPack(rest);
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out(QStringLiteral(
            "Usage: touchstone-cli queue SUBCOMMAND ...\n\n"
            "Review queues for human labeling:\n"
            "  create FILE NAME --criterion NAME... [--from-eval ID [--variant N]\n"
            "         [--failures|--flaky|--changed A,B]] [--from-logs [--since T] [--until T]\n"
            "         [--model M] [--status ok|error] [--search TEXT] [--prompt NAME[@V]]]\n"
            "         [--from-playground] [--pairwise --a VARIANT --b VARIANT |\n"
            "         --pairwise --against-production --variant N] [--overlap N]\n"
            "         [--blind|--no-blind] [--sample N --seed S]\n"
            "         [--strategy random|stratified|failing-first|disagreement-first]\n"
            "  daily FILE [--size N] [--date YYYY-MM-DD] [--criterion NAME...]\n"
            "  list FILE [--json]\n"
            "  show FILE [NAME] [--limit N] [--json]\n"
            "  export-pack FILE NAME OUT\n"
            "  import-pack FILE PACK\n"
            "\nRun 'touchstone-cli queue SUBCOMMAND --help' for details.\n"));
        return sub.isEmpty() ? BadUsage : Ok;
    }
    return usageError(QStringLiteral("unknown queue subcommand \"%1\"").arg(sub),
                      QStringLiteral("queue"));
}

} // namespace ts::cli
