#pragma once

#include "net/calloptions.h"
#include "net/httpcall.h"
#include "common/httprequest.h"

#include <QObject>

#include <memory>

namespace ts {

namespace detail {
class NetworkWorker;
}

/// The process's HTTP engine: one network thread owning one libcurl multi handle serves
/// every call (keep-alive connection pool, HTTP/2 where the server offers it). Nothing
/// blocks the caller: start() returns at once and results arrive as HttpCall signals.
class NetworkClient final : public QObject
{
    Q_OBJECT
public:
    explicit NetworkClient(QObject *parent = nullptr);
    /// Stops the network thread; calls still running finish as cancelled.
    ~NetworkClient() override;

    /// The shared client most code should use.
    static NetworkClient *instance();

    /// Starts `request` and returns its call object, owned by `parent` (or the caller when
    /// null). Call from a thread with an event loop; the call's signals arrive in it.
    HttpCall *start(const HttpRequest &request, const CallOptions &options = {},
                    QObject *parent = nullptr);

private:
    std::unique_ptr<detail::NetworkWorker> m_worker;
};

} // namespace ts
