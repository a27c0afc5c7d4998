#include "annotate/annotatecontroller.h"

#include "annotate/labelingsession.h"
#include "annotate/queuelistmodel.h"
#include "annotation/criterionstore.h"
#include "common/json.h"
#include "common/projectsession.h"
#include "logs/logstore.h"
#include "logs/todataset/logstodataset.h"
#include "storage/project.h"
#include "storage/statement.h"

namespace ts {

namespace {

Result<QList<QueueChoices::Eval>> listEvalVariants(Database &db)
{
    auto st = db.prepare(QStringLiteral(
        "SELECT e.id, e.name, ev.position, coalesce(p.name || '@' || v.number, '?'), "
        "coalesce(m.name, json_extract(r.model_snapshot, '$.name'), '?') FROM evals e "
        "JOIN eval_variants ev ON ev.eval_id = e.id JOIN runs r ON r.id = ev.run_id "
        "LEFT JOIN prompt_versions v ON v.id = r.prompt_version_id "
        "LEFT JOIN prompts p ON p.id = v.prompt_id LEFT JOIN models m ON m.id = r.model_id "
        "ORDER BY e.created_at DESC, e.id DESC, ev.position"));
    if (!st)
        return fail(st.error());
    QList<QueueChoices::Eval> evals;
    while (true) {
        auto row = st->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        const qint64 id = st->int64(0);
        if (evals.isEmpty() || evals.last().id != id) {
            QueueChoices::Eval e;
            e.id = id;
            e.name = st->text(1).isEmpty() ? QObject::tr("Eval %1").arg(id) : st->text(1);
            evals.append(e);
        }
        evals.last().variants << st->text(3) + QStringLiteral(" · ") + st->text(4);
    }
    return evals;
}

Result<QList<Candidate>> candidatesFor(Database &db, const NewQueueRequest &r)
{
    using Source = NewQueueRequest::Source;
    switch (r.source) {
    case Source::Logs:
        return queuesource::fromLogs(db, r.filter);
    case Source::Eval:
        return queuesource::fromEval(db, r.evalId, r.variant, r.pick, r.variantA, r.variantB);
    case Source::EvalPairs:
        return queuesource::pairsFromEval(db, r.evalId, r.variantA, r.variantB);
    case Source::AgainstProduction:
        return queuesource::pairsAgainstProduction(db, r.evalId, r.variant);
    case Source::Playground:
        return queuesource::fromPlayground(db, 10000);
    }
    return QList<Candidate>();
}

QString sourceName(NewQueueRequest::Source source)
{
    using Source = NewQueueRequest::Source;
    switch (source) {
    case Source::Logs:
        return QStringLiteral("logs");
    case Source::Eval:
        return QStringLiteral("eval");
    case Source::EvalPairs:
        return QStringLiteral("eval-pairs");
    case Source::AgainstProduction:
        return QStringLiteral("against-production");
    case Source::Playground:
        return QStringLiteral("playground");
    }
    return {};
}

} // namespace

Result<QueueInfo> buildQueue(Database &db, const NewQueueRequest &request)
{
    CriterionStore criteria(db);
    for (const auto &[name, question] : request.newCriteria) {
        if (criteria.latest(name))
            continue;
        auto made = criteria.create(name, question.trimmed().isEmpty() ? name : question, {},
                                    currentAuthor());
        if (!made)
            return fail(made.error());
    }
    auto candidates = candidatesFor(db, request);
    if (!candidates)
        return fail(candidates.error());
    if (candidates->isEmpty())
        return fail(
            ErrorCode::InvalidArgument,
            QObject::tr("Nothing matches: no items to put in \"%1\".").arg(request.spec.name));
    const QList<QueueItem> items
        = sampleCandidates(*candidates, request.size, request.strategy, request.seed);
    QueueSpec spec = request.spec;
    using Source = NewQueueRequest::Source;
    spec.kind = request.source == Source::EvalPairs || request.source == Source::AgainstProduction
        ? QueueKind::Pairwise
        : QueueKind::Binary;
    spec.origin = {{"source", sourceName(request.source).toStdString()},
                   {"strategy", samplingStrategyName(request.strategy).toStdString()},
                   {"seed", request.seed},
                   {"size", request.size},
                   {"candidates", candidates->size()}};
    if (request.source != Source::Logs && request.source != Source::Playground)
        spec.origin["eval"] = request.evalId;
    if (request.source == Source::Logs && !request.filter.search.isEmpty())
        spec.origin["search"] = request.filter.search.toStdString();
    return QueueStore(db).create(spec, items);
}

Result<AddedCase> addItemAsTestCase(Database &db, const TestCaseRequest &request)
{
    DatasetStore datasets(db);
    DatasetInfo dataset;
    if (request.datasetId) {
        auto d = datasets.dataset(request.datasetId);
        if (!d)
            return fail(d.error());
        dataset = *d;
    } else {
        auto d = datasets.createDataset(request.newDataset.trimmed());
        if (!d)
            return fail(d.error());
        dataset = *d;
    }
    AddedCase added;
    added.datasetId = dataset.id;
    added.dataset = dataset.name;
    TestCase made;
    if (request.target.kind == Target::Kind::Log) {
        // Variables recovered with the record's prompt version when the project has it; the
        // production output stays with the case.
        LogsToDatasetOptions options;
        options.dataset = dataset.name;
        if (request.context.contains("prompt") && request.context["prompt"].is_string())
            options.prompt = QString::fromStdString(request.context["prompt"].get<std::string>());
        auto summary = addLogsToDataset(db, {request.target.id}, options);
        if (!summary && !options.prompt.isEmpty()) {
            options.prompt.clear();
            summary = addLogsToDataset(db, {request.target.id}, options);
        }
        if (!summary)
            return fail(summary.error());
        if (summary->caseIds.isEmpty())
            return fail(
                ErrorCode::AlreadyExists,
                summary->duplicates
                    ? QObject::tr("This record is already a test case in \"%1\".").arg(dataset.name)
                    : QObject::tr("The record has no user message to make a test case from."));
        auto tc = datasets.testCase(summary->caseIds.first());
        if (!tc)
            return fail(tc.error());
        made = *tc;
        if (request.correction) {
            TestCaseData data = made.data;
            data.expected = request.correction;
            auto updated = datasets.updateCase(made.id, data);
            if (!updated)
                return fail(updated.error());
            made = *updated;
        }
    } else {
        TestCaseData data;
        if (request.target.kind == Target::Kind::Generation) {
            auto st = db.prepare(QStringLiteral("SELECT variables FROM generations WHERE id = ?"));
            if (!st)
                return fail(st.error());
            st->bind(1, request.target.id);
            auto vars = st->one([](const Statement &s) { return s.text(0); },
                                QObject::tr("No generation %1.").arg(request.target.id));
            if (!vars)
                return fail(vars.error());
            data.vars = parseJson(*vars).value_or(nlohmann::json::object());
        } else {
            auto tc = datasets.testCase(request.target.id);
            if (!tc)
                return fail(tc.error());
            data = tc->data;
        }
        data.expected = request.correction;
        data.tags = {QStringLiteral("from-review")};
        auto tc = datasets.addCase(dataset.id, data, CaseSource::Manual);
        if (!tc)
            return fail(tc.error());
        made = *tc;
    }
    added.caseId = made.id;
    added.position = made.position;
    added.expectedFromCorrection = request.correction.has_value();
    return added;
}

AnnotateController::AnnotateController(ProjectSession &session, const QString &annotator,
                                       QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_queues(new QueueListModel(this))
    , m_annotator(annotator)
{
    connect(&session, &ProjectSession::projectOpened, this, &AnnotateController::reload);
    connect(&session, &ProjectSession::projectClosed, this, [this] {
        m_queues->setRows({});
        Q_EMIT queuesReloaded();
    });
    if (session.hasProject())
        reload();
}

bool AnnotateController::hasProject() const
{
    return m_session.hasProject();
}

void AnnotateController::setAnnotator(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed == m_annotator)
        return;
    m_annotator = trimmed;
    Q_EMIT annotatorChanged(m_annotator);
    reload();
}

void AnnotateController::reload()
{
    if (!m_session.hasProject())
        return;
    const QString annotator = m_annotator;
    const quint64 generation = ++m_reloadGeneration;
    m_session.post<Result<QList<QueueRow>>>(
        [annotator](WorkContext &ctx) -> Result<QList<QueueRow>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            QueueStore store(ctx.project->db());
            auto queues = store.list();
            if (!queues)
                return fail(queues.error());
            QList<QueueRow> rows;
            for (const QueueInfo &q : *queues) {
                auto progress = store.progress(q.id, annotator);
                if (!progress)
                    return fail(progress.error());
                rows.append({q, *progress});
            }
            return rows;
        },
        this,
        [this, generation](Result<QList<QueueRow>> rows) {
            if (generation != m_reloadGeneration)
                return;
            if (!rows) {
                Q_EMIT errorOccurred(rows.error().message);
                return;
            }
            m_queues->setRows(*rows);
            Q_EMIT queuesReloaded();
        });
}

void AnnotateController::loadChoices(QObject *context,
                                     std::function<void(Result<QueueChoices>)> done)
{
    m_session.post<Result<QueueChoices>>(
        [](WorkContext &ctx) -> Result<QueueChoices> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            Database &db = ctx.project->db();
            QueueChoices choices;
            auto criteria = CriterionStore(db).list();
            if (!criteria)
                return fail(criteria.error());
            choices.criteria = *criteria;
            auto evals = listEvalVariants(db);
            if (!evals)
                return fail(evals.error());
            choices.evals = *evals;
            LogStore logs(db);
            auto models = logs.distinctModels();
            auto prompts = logs.distinctPrompts();
            auto count = logs.count(LogFilter {});
            if (!models || !prompts || !count)
                return fail(!models ? models.error() : !prompts ? prompts.error() : count.error());
            choices.logModels = *models;
            choices.logPrompts = *prompts;
            choices.logCount = *count;
            auto st = db.prepare(
                QStringLiteral("SELECT count(*) FROM generations g JOIN runs r ON r.id = g.run_id "
                               "WHERE r.kind = 'playground' AND g.status = 'ok'"));
            if (!st)
                return fail(st.error());
            auto playground
                = st->one([](const Statement &s) { return s.int64(0); }, QStringLiteral("count"));
            if (!playground)
                return fail(playground.error());
            choices.playgroundCount = *playground;
            auto queues = QueueStore(db).list();
            if (!queues)
                return fail(queues.error());
            for (const QueueInfo &q : *queues)
                choices.queueNames << q.name;
            return choices;
        },
        context, std::move(done));
}

void AnnotateController::createQueue(const NewQueueRequest &request, QObject *context,
                                     std::function<void(Result<QueueInfo>)> done)
{
    m_session.post<Result<QueueInfo>>(
        [request](WorkContext &ctx) -> Result<QueueInfo> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return buildQueue(ctx.project->db(), request);
        },
        context,
        [this, done = std::move(done)](Result<QueueInfo> queue) {
            reload();
            done(std::move(queue));
        });
}

void AnnotateController::dailyQueue(int size, QObject *context,
                                    std::function<void(Result<QueueInfo>)> done)
{
    m_session.post<Result<QueueInfo>>(
        [size](WorkContext &ctx) -> Result<QueueInfo> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            DailyOptions options;
            options.size = size;
            return buildDailyQueue(ctx.project->db(), options);
        },
        context,
        [this, done = std::move(done)](Result<QueueInfo> queue) {
            reload();
            done(std::move(queue));
        });
}

void AnnotateController::loadQueue(qint64 queueId, QObject *context,
                                   std::function<void(Result<QueueInfo>)> done)
{
    m_session.post<Result<QueueInfo>>(
        [queueId](WorkContext &ctx) -> Result<QueueInfo> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return QueueStore(ctx.project->db()).queue(queueId);
        },
        context, std::move(done));
}

void AnnotateController::loadAgreement(qint64 queueId, QObject *context,
                                       std::function<void(Result<AgreementReport>)> done)
{
    m_session.post<Result<AgreementReport>>(
        [queueId](WorkContext &ctx) -> Result<AgreementReport> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return queueAgreement(ctx.project->db(), queueId);
        },
        context, std::move(done));
}

void AnnotateController::adjudicate(const Adjudication &adjudication, QObject *context,
                                    std::function<void(Result<void>)> done)
{
    m_session.post<Result<void>>(
        [adjudication](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return LabelStore(ctx.project->db()).adjudicate(adjudication);
        },
        context, std::move(done));
}

void AnnotateController::loadPositionBias(
    QObject *context, std::function<void(Result<QList<LabelStore::SideBias>>)> done)
{
    m_session.post<Result<QList<LabelStore::SideBias>>>(
        [](WorkContext &ctx) -> Result<QList<LabelStore::SideBias>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return LabelStore(ctx.project->db()).positionBias();
        },
        context, std::move(done));
}

void AnnotateController::loadDatasets(QObject *context,
                                      std::function<void(Result<QList<DatasetInfo>>)> done)
{
    m_session.post<Result<QList<DatasetInfo>>>(
        [](WorkContext &ctx) -> Result<QList<DatasetInfo>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return DatasetStore(ctx.project->db()).listDatasets();
        },
        context, std::move(done));
}

void AnnotateController::addTestCase(const TestCaseRequest &request, QObject *context,
                                     std::function<void(Result<AddedCase>)> done)
{
    m_session.post<Result<AddedCase>>(
        [request](WorkContext &ctx) -> Result<AddedCase> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return addItemAsTestCase(ctx.project->db(), request);
        },
        context, std::move(done));
}

void AnnotateController::addAssertion(qint64 datasetId, qint64 caseId, const AssertionSpec &spec,
                                      QObject *context,
                                      std::function<void(Result<StoredAssertion>)> done)
{
    m_session.post<Result<StoredAssertion>>(
        [datasetId, caseId, spec](WorkContext &ctx) -> Result<StoredAssertion> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return AssertionStore(ctx.project->db()).add(datasetId, caseId, spec);
        },
        context, std::move(done));
}

} // namespace ts
