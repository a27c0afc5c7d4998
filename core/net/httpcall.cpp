#include "net/httpcall.h"

#include "net/callchannel.h"
#include "net/networkworker.h"

#include <QPointer>

namespace ts {

namespace detail {

void CallChannel::push(CallEvent event)
{
    std::lock_guard lock(mutex);
    if (event.kind == CallEvent::Kind::Data && !events.isEmpty()
        && events.last().kind == CallEvent::Kind::Data) {
        events.last().data.append(event.data);
    } else {
        events.append(std::move(event));
    }
    if (!posted && owner) {
        posted = true;
        HttpCall *target = owner;
        QMetaObject::invokeMethod(
            target, [target] { target->deliverPending(); }, Qt::QueuedConnection);
    }
}

void CallChannel::detachWorker()
{
    std::lock_guard lock(mutex);
    worker = nullptr;
}

} // namespace detail

HttpCall::HttpCall(std::shared_ptr<detail::CallChannel> channel, QObject *parent)
    : QObject(parent)
    , m_channel(std::move(channel))
{
    std::lock_guard lock(m_channel->mutex);
    m_channel->owner = this;
}

HttpCall::~HttpCall()
{
    if (!m_finished)
        cancel();
    std::lock_guard lock(m_channel->mutex);
    m_channel->owner = nullptr;
}

void HttpCall::cancel()
{
    std::lock_guard lock(m_channel->mutex);
    if (m_channel->cancelRequested || m_finished)
        return;
    m_channel->cancelRequested = true;
    if (m_channel->worker)
        m_channel->worker->requestCancel(m_channel->id);
}

void HttpCall::deliverPending()
{
    QList<detail::CallEvent> events;
    bool cancelled = false;
    {
        std::lock_guard lock(m_channel->mutex);
        events.swap(m_channel->events);
        m_channel->posted = false;
        cancelled = m_channel->cancelRequested;
    }
    const QPointer<HttpCall> self(this);
    for (detail::CallEvent &event : events) {
        if (!self || m_finished)
            return;
        using Kind = detail::CallEvent::Kind;
        // After cancel() the caller has moved on: only the final outcome is still wanted.
        if (cancelled && event.kind != Kind::Finished)
            continue;
        switch (event.kind) {
        case Kind::Started:
            Q_EMIT responseStarted(event.status, event.headers);
            break;
        case Kind::Data:
            Q_EMIT dataReceived(event.data);
            break;
        case Kind::Retrying:
            Q_EMIT retrying(event.attempt, event.delayMs, event.reason);
            break;
        case Kind::Finished:
            m_finished = true;
            m_outcome = std::move(event.outcome);
            Q_EMIT finished(m_outcome);
            return;
        }
    }
}

} // namespace ts
