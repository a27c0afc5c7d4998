#pragma once

// Internal: the hand-over point between the network thread and an HttpCall.

#include "net/httpoutcome.h"

#include <QList>
#include <QString>

#include <mutex>

namespace ts {

class HttpCall;

namespace detail {

class NetworkWorker;

struct CallEvent
{
    enum class Kind { Started, Data, Retrying, Finished };
    Kind kind = Kind::Data;
    int status = 0;
    HttpHeaders headers;
    QByteArray data;
    int attempt = 0;
    int delayMs = 0;
    QString reason;
    HttpOutcome outcome;
};

/// Shared by the HttpCall (caller's thread) and the network worker. The worker pushes
/// events; the HttpCall drains them from a queued invocation. `owner` is cleared by
/// ~HttpCall under the mutex so the worker never posts to a dead object.
struct CallChannel
{
    quint64 id = 0;
    std::mutex mutex;
    HttpCall *owner = nullptr;
    NetworkWorker *worker = nullptr;
    QList<CallEvent> events;
    bool posted = false;
    bool cancelRequested = false;

    /// Called from the network thread.
    void push(CallEvent event);
    /// Called when the worker shuts down.
    void detachWorker();
};

} // namespace detail
} // namespace ts
