#include "insights/driftjob.h"

#include "insights/driftsource.h"
#include "storage/project.h"

#include <QLocale>
#include <QThread>

namespace ts {

struct DriftJob::Loaded
{
    DriftSourceData reference;
    DriftSourceData current;
    bool referenceIsDataset = false;
};

DriftJob::DriftJob(ProjectSession &session, DriftRequest request, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_request(std::move(request))
    , m_cancelled(std::make_shared<std::atomic_bool>(false))
{
}

DriftJob::~DriftJob()
{
    m_cancelled->store(true);
    if (m_loadToken)
        m_loadToken->store(true);
    // A measurement under way owns what it reads; it deletes its thread when done.
    if (m_thread)
        disconnect(m_thread, nullptr, this, nullptr);
}

void DriftJob::start()
{
    if (m_running)
        return;
    m_running = true;
    Q_EMIT progressed(tr("Reading the reference and current records…"));
    auto referenceSpec = parseDriftSource(m_request.reference);
    if (!referenceSpec) {
        end();
        Q_EMIT failed(tr("Reference: %1").arg(referenceSpec.error().message));
        return;
    }
    auto currentSpec = parseDriftSource(m_request.current);
    if (!currentSpec) {
        end();
        Q_EMIT failed(tr("Current: %1").arg(currentSpec.error().message));
        return;
    }
    const DriftSourceSpec reference = *referenceSpec;
    const DriftSourceSpec current = *currentSpec;
    m_loadToken = m_session.post<Result<std::shared_ptr<Loaded>>>(
        [reference, current](WorkContext &ctx) -> Result<std::shared_ptr<Loaded>> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            auto loaded = std::make_shared<Loaded>();
            auto ref = loadDriftSource(ctx.project->db(), reference);
            if (!ref)
                return fail(ref.error());
            if (ctx.isCancelled())
                return fail(ErrorCode::Cancelled, QStringLiteral("cancelled"));
            auto cur = loadDriftSource(ctx.project->db(), current, ref->schema);
            if (!cur)
                return fail(cur.error());
            loaded->reference = std::move(*ref);
            loaded->current = std::move(*cur);
            loaded->referenceIsDataset = reference.kind == DriftSourceSpec::Kind::Dataset;
            return loaded;
        },
        this,
        [this](Result<std::shared_ptr<Loaded>> loaded) {
            if (m_cancelled->load())
                return;
            if (!loaded) {
                end();
                Q_EMIT failed(loaded.error().message);
                return;
            }
            measure(*loaded);
        });
}

void DriftJob::measure(std::shared_ptr<Loaded> loaded)
{
    if (loaded->reference.records.isEmpty()) {
        end();
        Q_EMIT failed(tr("The reference (%1) has no records.").arg(loaded->reference.description));
        return;
    }
    if (loaded->current.records.isEmpty()) {
        end();
        Q_EMIT failed(tr("No log records in %1.").arg(loaded->current.description));
        return;
    }
    const QLocale locale;
    Q_EMIT progressed(tr("Measuring drift between %1 reference and %2 current records…")
                          .arg(locale.toString(loaded->reference.records.size()),
                               locale.toString(loaded->current.records.size())));
    auto result = std::make_shared<std::optional<Result<DriftReport>>>();
    const DriftOptions options = m_request.options;
    auto cancelled = m_cancelled;
    QThread *thread = QThread::create([loaded, result, options, cancelled] {
        if (!cancelled->load())
            result->emplace(
                computeDrift(loaded->reference.records, loaded->current.records, options));
    });
    thread->setObjectName(QStringLiteral("drift"));
    m_thread = thread;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, loaded, result] {
        if (m_cancelled->load() || !result->has_value())
            return;
        end();
        Result<DriftReport> &report = **result;
        if (!report) {
            Q_EMIT failed(report.error().message);
            return;
        }
        DriftOutcome outcome;
        outcome.request = m_request;
        outcome.referenceDescription = loaded->reference.description;
        outcome.currentDescription = loaded->current.description;
        outcome.referenceIsDataset = loaded->referenceIsDataset;
        outcome.report = std::move(*report);
        Q_EMIT succeeded(outcome);
    });
    thread->start(QThread::LowPriority);
}

void DriftJob::cancel()
{
    if (!m_running)
        return;
    m_cancelled->store(true);
    if (m_loadToken)
        m_loadToken->store(true);
    end();
    Q_EMIT cancelled();
}

void DriftJob::end()
{
    m_running = false;
}

} // namespace ts
