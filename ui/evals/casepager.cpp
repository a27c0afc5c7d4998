#include "evals/casepager.h"

#include "datasets/datasetstore.h"
#include "evals/casetablemodel.h"
#include "storage/project.h"

namespace ts {

namespace {

/// A page of cases and the dataset's count at the time it was read.
struct CasePage
{
    QList<TestCase> cases;
    int total = 0;
};

Result<CasePage> readPage(WorkContext &ctx, qint64 datasetId, const CaseKey &after, int rows)
{
    if (!ctx.project)
        return fail(WorkContext::noProject());
    if (ctx.isCancelled()) // another dataset was selected before this read began
        return fail(ErrorCode::Cancelled, QStringLiteral("cancelled"));
    DatasetStore store(ctx.project->db());
    auto count = store.caseCount(datasetId);
    if (!count)
        return fail(count.error());
    auto cases = store.casesPage(datasetId, after, rows);
    if (!cases)
        return fail(cases.error());
    return CasePage {std::move(*cases), *count};
}

} // namespace

CasePager::CasePager(ProjectSession &session, CaseTableModel &model, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_model(model)
{
    connect(&model, &CaseTableModel::moreRequested, this, &CasePager::fetchNext);
}

void CasePager::cancelPending()
{
    for (const CancelToken &token : std::as_const(m_pending))
        *token = true;
    m_pending.clear();
}

void CasePager::show(qint64 datasetId)
{
    cancelPending();
    ++m_generation;
    m_dataset = datasetId;
    if (!datasetId) {
        m_model.setCases({}, 0);
        Q_EMIT loaded();
        return;
    }
    m_model.startLoading();
    load(m_model.pageSize());
}

void CasePager::refresh()
{
    if (!m_dataset)
        return;
    cancelPending();
    ++m_generation;
    load(std::max<int>(m_model.pageSize(), int(m_model.cases().size())));
}

void CasePager::load(int rows)
{
    const qint64 id = m_dataset;
    const quint64 generation = m_generation;
    CancelToken token = m_session.postRead<Result<CasePage>>(
        [id, rows](WorkContext &ctx) { return readPage(ctx, id, {}, rows); }, this,
        [this, generation](Result<CasePage> page) {
            if (generation != m_generation)
                return; // another dataset was shown (or a newer refresh asked) meanwhile
            m_pending.clear();
            if (!page) {
                m_model.setCases({}, 0);
                Q_EMIT failed(page.error().message);
                return;
            }
            m_model.setCases(page->cases, page->total);
            Q_EMIT loaded();
        });
    m_pending.append(token);
}

void CasePager::fetchNext()
{
    const qint64 id = m_dataset;
    const quint64 generation = m_generation;
    const CaseKey after = m_model.nextKey();
    const int rows = m_model.pageSize();
    CancelToken token = m_session.postRead<Result<CasePage>>(
        [id, after, rows](WorkContext &ctx) { return readPage(ctx, id, after, rows); }, this,
        [this, generation](Result<CasePage> page) {
            if (generation != m_generation)
                return;
            if (!page) {
                m_model.fetchFailed();
                Q_EMIT failed(page.error().message);
                return;
            }
            m_model.appendCases(page->cases, page->total);
        });
    m_pending.append(token);
}

} // namespace ts
