#pragma once

#include "common/error.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace ts {

class Project;
class PromptStore;
class ReaderPool;
class SessionWorker;

/// What the worker thread hands to a piece of posted work. `project` and `prompts` are null
/// when no project is open; both belong to the worker thread and must not escape the work.
struct WorkContext
{
    Project *project = nullptr;
    PromptStore *prompts = nullptr;
    const std::atomic_bool *cancelled = nullptr;

    bool isCancelled() const { return cancelled && cancelled->load(); }
    /// An error for work that needs an open project.
    static Error noProject();
};

/// A cancel flag shared between the UI and one posted piece of work.
using CancelToken = std::shared_ptr<std::atomic_bool>;

/// Facts about the open project, copied to the UI thread.
struct ProjectInfo
{
    QString path;
    QString name;
    bool demo = false;
    /// Opened for reading only (the file or its folder is not writable): browse, write nothing.
    bool readOnly = false;
    int schemaVersion = 0;
};

/// The UI's handle on the project file. All disk work runs on one worker thread that owns its
/// own connection; the UI thread posts work and gets the result back through the event loop, so
/// it never waits on the disk. Results of work posted before the latest open()/create() are
/// dropped: they belong to the previous project.
class ProjectSession final : public QObject
{
    Q_OBJECT

public:
    explicit ProjectSession(QObject *parent = nullptr);
    ~ProjectSession() override;

    /// Runs `work` on the worker thread, then `onDone(result)` on the UI thread if `context`
    /// still exists. Returns a token whose flag the work may poll to stop early.
    template<typename R>
    CancelToken post(std::function<R(WorkContext &)> work, QObject *context,
                     std::function<void(R)> onDone)
    {
        auto token = std::make_shared<std::atomic_bool>(false);
        QPointer<QObject> guard(context);
        const quint64 epoch = m_epoch;
        auto box = std::make_shared<std::optional<R>>();
        postErased([work = std::move(work), box](WorkContext &ctx) { box->emplace(work(ctx)); },
                   [this, guard, epoch, box, onDone = std::move(onDone)] {
                       if (guard && epoch == m_epoch && onDone)
                           onDone(std::move(**box));
                   },
                   token);
        return token;
    }

    /// Runs read-only `work` on one of a few reader threads, each with its own connection, so
    /// that it neither waits for nor delays work posted with post() (nor other reads beyond
    /// the pool's size). Then `onDone(result)` on the UI thread if `context` still exists, the
    /// project has not changed, and the token was not set. Setting the token skips work still
    /// queued and stops a running query at its next step (it then fails with
    /// ErrorCode::Cancelled); onDone is not called. The connection refuses writes.
    template<typename R>
    CancelToken postRead(std::function<R(WorkContext &)> work, QObject *context,
                         std::function<void(R)> onDone)
    {
        auto token = std::make_shared<std::atomic_bool>(false);
        QPointer<QObject> guard(context);
        const quint64 epoch = m_epoch;
        auto box = std::make_shared<std::optional<R>>();
        postReadErased([work = std::move(work), box](WorkContext &ctx) { box->emplace(work(ctx)); },
                       [this, guard, epoch, box, token, onDone = std::move(onDone)] {
                           if (guard && epoch == m_epoch && !token->load() && onDone && *box)
                               onDone(std::move(**box));
                       },
                       token);
        return token;
    }

    /// Opens an existing project, closing the current one only on success: a failed open
    /// leaves the current project open and working (no aboutToChangeProject). A project the
    /// user cannot write opens read-only (ProjectInfo::readOnly).
    CancelToken open(const QString &path);
    /// Creates an empty project and opens it.
    CancelToken create(const QString &path);
    /// Opens the demo project at `path`, creating it first when it does not exist.
    CancelToken openDemo(const QString &path);
    /// Closes the project.
    void close();

    bool hasProject() const { return m_info.has_value(); }
    std::optional<ProjectInfo> info() const { return m_info; }
    /// True while an open/create is running.
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    /// Emitted once another project has opened (before projectOpened) or before the project is
    /// closed, while work posted now still reaches the current project: the moment to write
    /// pending drafts. Never emitted for an open that fails.
    void aboutToChangeProject();
    void busyChanged(bool busy, const QString &what);
    void projectOpened(const ts::ProjectInfo &info);
    void projectClosed();
    void openFailed(const QString &path, const ts::Error &error);

private:
    enum class OpenMode { Open, Create, Demo };
    CancelToken startOpen(const QString &path, OpenMode mode);
    void finishOpen(quint64 serial, const QString &path, Result<ProjectInfo> result,
                    std::shared_ptr<std::unique_ptr<Project>> opened, const CancelToken &token);
    void postErased(std::function<void(WorkContext &)> work, std::function<void()> done,
                    const CancelToken &token);
    void postReadErased(std::function<void(WorkContext &)> work, std::function<void()> done,
                        const CancelToken &token);

    QThread m_thread;
    SessionWorker *m_worker = nullptr;
    std::unique_ptr<ReaderPool> m_readers;
    std::optional<ProjectInfo> m_info;
    quint64 m_epoch = 0;
    quint64 m_openSerial = 0; ///< the latest open()/create(); older results are dropped
    bool m_busy = false;
};

} // namespace ts
