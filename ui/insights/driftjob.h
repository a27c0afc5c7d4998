#pragma once

#include "common/error.h"
#include "common/projectsession.h"
#include "insights/drift.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>

class QThread;

namespace ts {

/// What a drift comparison asks for: the two sides as `touchstone-cli drift` writes them
/// ("dataset:NAME@REF", "logs:FROM..TO") and the options.
struct DriftRequest
{
    QString reference;
    QString current;
    DriftOptions options;
};

/// A finished comparison with the descriptions of its two sides.
struct DriftOutcome
{
    DriftRequest request;
    QString referenceDescription;
    QString currentDescription;
    bool referenceIsDataset = false;
    DriftReport report;
};

/// One drift comparison off the UI thread: the two sides are read on the session's worker
/// thread, then measured on a thread of its own (so that the project stays usable meanwhile).
/// cancel() stops between stages; a measurement under way finishes in the background and its
/// result is dropped.
class DriftJob final : public QObject
{
    Q_OBJECT

public:
    DriftJob(ProjectSession &session, DriftRequest request, QObject *parent = nullptr);
    ~DriftJob() override;

    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    bool isCancelled() const { return m_cancelled->load(); }

Q_SIGNALS:
    /// The stage under way, e.g. "Reading 10,000 reference records…".
    void progressed(const QString &stage);
    /// Once, unless cancelled: the comparison is done...
    void succeeded(const ts::DriftOutcome &outcome);
    /// ...or could not be made (the message says why).
    void failed(const QString &message);
    void cancelled();

private:
    struct Loaded;
    void measure(std::shared_ptr<Loaded> loaded);
    void end();

    ProjectSession &m_session;
    DriftRequest m_request;
    CancelToken m_loadToken;
    std::shared_ptr<std::atomic_bool> m_cancelled;
    QPointer<QThread> m_thread;
    bool m_running = false;
};

} // namespace ts
