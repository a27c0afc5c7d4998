#include "net/networkclient.h"

#include "net/callchannel.h"
#include "net/networkworker.h"

#include <QCoreApplication>

namespace ts {

NetworkClient::NetworkClient(QObject *parent)
    : QObject(parent)
    , m_worker(std::make_unique<detail::NetworkWorker>())
{
    qRegisterMetaType<ts::HttpOutcome>();
    qRegisterMetaType<ts::HttpHeaders>();
}

NetworkClient::~NetworkClient() = default;

NetworkClient *NetworkClient::instance()
{
    // Parented to the application so that the thread stops before Qt itself goes away.
    static NetworkClient *client = [] {
        auto *created = new NetworkClient(QCoreApplication::instance());
        return created;
    }();
    return client;
}

HttpCall *NetworkClient::start(const HttpRequest &request, const CallOptions &options,
                               QObject *parent)
{
    auto channel = std::make_shared<detail::CallChannel>();
    channel->id = m_worker->nextId();
    channel->worker = m_worker.get();
    auto *call = new HttpCall(channel, parent);
    m_worker->submit(std::move(channel), request, options);
    return call;
}

} // namespace ts
