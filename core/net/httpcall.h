#pragma once

#include "net/httpoutcome.h"

#include <QObject>

#include <memory>

namespace ts {

namespace detail {
struct CallChannel;
}

/// One HTTP call in flight, started by NetworkClient::start(). It lives in the thread that
/// started it; every signal arrives there through that thread's event loop, in order, and
/// `finished` comes exactly once, last. Deleting the object cancels the call.
class HttpCall final : public QObject
{
    Q_OBJECT
public:
    ~HttpCall() override;

    /// Stops the call now, whether queued, waiting to retry or streaming. Bytes already
    /// delivered stay with the caller; `finished` follows with `cancelled` set.
    void cancel();

    bool isFinished() const { return m_finished; }
    /// How the call ended; meaningful once isFinished().
    const HttpOutcome &outcome() const { return m_outcome; }

Q_SIGNALS:
    /// A 2xx response began (after any retries settled). Names in `headers` are lowercase.
    void responseStarted(int status, const ts::HttpHeaders &headers);
    /// Body bytes of the successful response, as they arrive (several network reads may be
    /// joined into one chunk).
    void dataReceived(const QByteArray &chunk);
    /// Attempt number `attempt` failed and the call will be re-sent after `delayMs`.
    void retrying(int attempt, int delayMs, const QString &reason);
    void finished(const ts::HttpOutcome &outcome);

private:
    friend class NetworkClient;
    friend struct detail::CallChannel;
    HttpCall(std::shared_ptr<detail::CallChannel> channel, QObject *parent);
    void deliverPending();

    std::shared_ptr<detail::CallChannel> m_channel;
    HttpOutcome m_outcome;
    bool m_finished = false;
};

} // namespace ts
