#include "common/projectsession.h"

#include "common/readerpool.h"
#include "common/sessionworker.h"
#include "demo/demoproject.h"
#include "storage/project.h"

#include <QFileInfo>

namespace ts {

Error WorkContext::noProject()
{
    return Error {ErrorCode::InvalidArgument,
                  QStringLiteral("No project is open. Open or create a project first.")};
}

ProjectSession::ProjectSession(QObject *parent)
    : QObject(parent)
    , m_worker(new SessionWorker)
    , m_readers(std::make_unique<ReaderPool>(2))
{
    m_thread.setObjectName(QStringLiteral("touchstone-project"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

ProjectSession::~ProjectSession()
{
    m_readers.reset(); // stops running reads and joins the reader threads
    // Lets queued work (a last draft save) finish, then closes the connection on its thread.
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->setProject(nullptr); });
    m_thread.quit();
    m_thread.wait();
}

void ProjectSession::postErased(std::function<void(WorkContext &)> work, std::function<void()> done,
                                const CancelToken &token)
{
    QMetaObject::invokeMethod(
        m_worker, [this, w = m_worker, work = std::move(work), done = std::move(done), token] {
            w->run(work, token);
            // `this` outlives the worker thread (the destructor waits for it), so posting back is
            // safe.
            QMetaObject::invokeMethod(this, done);
        });
}

void ProjectSession::postReadErased(std::function<void(WorkContext &)> work,
                                    std::function<void()> done, const CancelToken &token)
{
    ReaderPool::Job job;
    if (m_info) {
        job.path = m_info->path;
        job.readOnlyFile = m_info->readOnly;
    }
    job.work = std::move(work);
    // `this` outlives the reader threads (the destructor joins them first).
    job.done = [this, done = std::move(done)] {
        QMetaObject::invokeMethod(this, done);
    };
    job.token = token;
    m_readers->post(std::move(job));
}

CancelToken ProjectSession::open(const QString &path)
{
    return startOpen(path, OpenMode::Open);
}

CancelToken ProjectSession::create(const QString &path)
{
    return startOpen(path, OpenMode::Create);
}

CancelToken ProjectSession::openDemo(const QString &path)
{
    return startOpen(path, OpenMode::Demo);
}

void ProjectSession::close()
{
    if (m_busy) {
        ++m_openSerial; // the open in progress is abandoned
        m_busy = false;
        Q_EMIT busyChanged(false, {});
    }
    Q_EMIT aboutToChangeProject();
    ++m_epoch;
    m_readers->closeConnections();
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->setProject(nullptr); });
    if (m_info) {
        m_info.reset();
        Q_EMIT projectClosed();
    }
}

CancelToken ProjectSession::startOpen(const QString &path, OpenMode mode)
{
    // The current project stays open and usable until the new one has opened: a failed open
    // (a CSV chosen by mistake) must not leave the window half torn down.
    const quint64 serial = ++m_openSerial;
    m_busy = true;
    const QString what = mode == OpenMode::Create
        ? tr("Creating %1…").arg(QFileInfo(path).fileName())
        : tr("Opening %1…").arg(QFileInfo(path).fileName());
    Q_EMIT busyChanged(true, what);
    auto token = std::make_shared<std::atomic_bool>(false);
    // Opened on the worker thread, installed there only once the UI has let the old project go.
    auto opened = std::make_shared<std::unique_ptr<Project>>();
    auto box = std::make_shared<std::optional<Result<ProjectInfo>>>();
    postErased(
        [path, mode, opened, box](WorkContext &ctx) {
            box->emplace([&]() -> Result<ProjectInfo> {
                if (mode == OpenMode::Demo && !QFileInfo::exists(path))
                    if (auto made = createDemoProject(path); !made)
                        return fail(made.error());
                auto project
                    = mode == OpenMode::Create ? Project::create(path) : Project::open(path);
                if (!project && mode != OpenMode::Create
                    && project.error().code == ErrorCode::ReadOnly)
                    project = Project::openReadOnly(path);
                if (!project)
                    return fail(project.error());
                if (ctx.isCancelled())
                    return fail(ErrorCode::Cancelled, QStringLiteral("Opening was cancelled"));
                ProjectInfo info;
                info.path = QFileInfo(project->path()).absoluteFilePath();
                info.name = project->meta(QStringLiteral("name"));
                if (info.name.isEmpty())
                    info.name = QFileInfo(path).completeBaseName();
                info.demo = project->meta(QStringLiteral("demo")) == QLatin1String("1");
                info.readOnly = project->isReadOnly();
                info.schemaVersion = project->schemaVersion();
                *opened = std::make_unique<Project>(std::move(*project));
                return info;
            }());
        },
        [this, serial, path, opened, box, token] {
            finishOpen(serial, path, std::move(**box), opened, token);
        },
        token);
    return token;
}

void ProjectSession::finishOpen(quint64 serial, const QString &path, Result<ProjectInfo> result,
                                std::shared_ptr<std::unique_ptr<Project>> opened,
                                const CancelToken &token)
{
    const bool current = serial == m_openSerial;
    if (!current || (result && token->load())) {
        // Superseded or cancelled after it opened: close that connection on its own thread.
        if (*opened)
            QMetaObject::invokeMethod(m_worker, [opened] { opened->reset(); });
        if (!current)
            return;
        result = fail(ErrorCode::Cancelled, QStringLiteral("Opening was cancelled"));
    }
    m_busy = false;
    Q_EMIT busyChanged(false, {});
    if (!result) {
        Q_EMIT openFailed(path, result.error());
        return;
    }
    // Pending drafts are posted now and still reach the old project: the switch is queued
    // behind them on the worker thread.
    Q_EMIT aboutToChangeProject();
    ++m_epoch;
    m_readers->closeConnections();
    QMetaObject::invokeMethod(m_worker,
                              [w = m_worker, opened] { w->setProject(std::move(*opened)); });
    const bool hadProject = m_info.has_value();
    m_info = *result;
    if (hadProject)
        Q_EMIT projectClosed();
    Q_EMIT projectOpened(*m_info);
}

} // namespace ts
