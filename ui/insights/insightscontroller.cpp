#include "insights/insightscontroller.h"

#include "common/projectsession.h"
#include "datasets/datasetstore.h"
#include "evals/evallistmodel.h"
#include "evals/evalresults.h"
#include "logs/logstore.h"
#include "prompts/promptstore.h"
#include "storage/project.h"

namespace ts {

InsightsController::InsightsController(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    connect(&session, &ProjectSession::projectOpened, this, [this] { Q_EMIT projectChanged(); });
    connect(&session, &ProjectSession::projectClosed, this, [this] { Q_EMIT projectChanged(); });
}

void InsightsController::listEvals(QObject *context,
                                   std::function<void(Result<QList<EvalListEntry>>)> done)
{
    m_session.post<Result<QList<EvalListEntry>>>(
        [](WorkContext &ctx) -> Result<QList<EvalListEntry>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return ts::listEvals(ctx.project->db());
        },
        context, std::move(done));
}

void InsightsController::loadEvalCharts(qint64 evalId, int baseline, QObject *context,
                                        std::function<void(Result<LoadedEvalCharts>)> done)
{
    // A reader connection, without the answers' text: charts of a 200,000-result eval must
    // neither wait for the writer nor hold every output in memory.
    m_session.postRead<Result<LoadedEvalCharts>>(
        [evalId, baseline](WorkContext &ctx) -> Result<LoadedEvalCharts> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            EvalLoadOptions load;
            load.outputs = false;
            load.cancel = ctx.cancelled;
            auto results = EvalResults::load(ctx.project->db(), evalId, load);
            if (!results)
                return fail(results.error());
            EvalChartOptions options;
            options.baseline
                = std::clamp(baseline, 0, std::max(0, int(results->variants.size()) - 1));
            auto charts = ts::loadEvalCharts(ctx.project->db(), *results, options);
            if (!charts)
                return fail(charts.error());
            return LoadedEvalCharts {std::make_shared<const EvalResults>(std::move(*results)),
                                     std::move(*charts)};
        },
        context, std::move(done));
}

void InsightsController::loadDriftChoices(QObject *context,
                                          std::function<void(Result<DriftChoices>)> done)
{
    m_session.post<Result<DriftChoices>>(
        [](WorkContext &ctx) -> Result<DriftChoices> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            DriftChoices choices;
            auto datasets = DatasetStore(ctx.project->db()).listDatasets();
            if (!datasets)
                return fail(datasets.error());
            for (const DatasetInfo &d : *datasets)
                choices.datasets.append(d.name);
            auto prompts = ctx.prompts->listPrompts();
            if (!prompts)
                return fail(prompts.error());
            for (const PromptInfo &p : *prompts) {
                if (p.kind != PromptKind::Prompt)
                    continue;
                auto versions = ctx.prompts->versions(p.id);
                if (!versions)
                    return fail(versions.error());
                QList<PromptVersion> ordered = *versions;
                std::sort(ordered.begin(), ordered.end(),
                          [](const PromptVersion &a, const PromptVersion &b) {
                              return a.number > b.number;
                          });
                for (const PromptVersion &v : ordered)
                    choices.promptVersions.append(p.name + QLatin1Char('@')
                                                  + QString::number(v.number));
            }
            LogStore logs(ctx.project->db());
            auto count = logs.count({});
            if (!count)
                return fail(count.error());
            choices.logCount = *count;
            if (*count > 0) {
                auto first = logs.records({}, LogSort::TimeAscending, 1);
                auto last = logs.records({}, LogSort::TimeDescending, 1);
                if (first && !first->isEmpty())
                    choices.firstLogMs = first->front().startMs;
                if (last && !last->isEmpty())
                    choices.lastLogMs = last->front().startMs;
            }
            return choices;
        },
        context, std::move(done));
}

void InsightsController::loadRecords(const QList<qint64> &ids, QObject *context,
                                     std::function<void(Result<QList<LogRecord>>)> done)
{
    m_session.post<Result<QList<LogRecord>>>(
        [ids](WorkContext &ctx) -> Result<QList<LogRecord>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            LogStore store(ctx.project->db());
            QList<LogRecord> out;
            for (qint64 id : ids) {
                auto record = store.record(id);
                if (record)
                    out.append(std::move(*record));
                else if (record.error().code != ErrorCode::NotFound)
                    return fail(record.error());
            }
            return out;
        },
        context, std::move(done));
}

} // namespace ts
