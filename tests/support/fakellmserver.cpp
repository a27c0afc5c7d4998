#include "fakellmserver.h"

#include "fakeservercore.h"
#include "fakeserverstate.h"

namespace ts::test {

QByteArray FakeRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

FakeLlmServer::FakeLlmServer(const FakeServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_state(std::make_shared<FakeServerState>())
{
    m_state->config = config;
    m_thread.setObjectName(QStringLiteral("FakeLlmServer"));
    m_core = new FakeServerCore(m_state);
    m_core->moveToThread(&m_thread);
    m_thread.start();
}

FakeLlmServer::~FakeLlmServer()
{
    FakeServerCore *core = m_core;
    // Blocking is fine here: the server thread never waits on its owner.
    QMetaObject::invokeMethod(
        core, [core] { delete core; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool FakeLlmServer::listen(quint16 port)
{
    FakeServerCore *core = m_core;
    quint16 bound = 0;
    QMetaObject::invokeMethod(
        core, [core, port] { return core->listen(port); }, Qt::BlockingQueuedConnection, &bound);
    m_port = bound;
    return bound != 0;
}

QString FakeLlmServer::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

void FakeLlmServer::setConfig(const FakeServerConfig &config)
{
    std::lock_guard lock(m_state->mutex);
    m_state->config = config;
}

FakeServerConfig FakeLlmServer::config() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->config;
}

QList<FakeRequest> FakeLlmServer::requests() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->requests;
}

int FakeLlmServer::requestCount() const
{
    std::lock_guard lock(m_state->mutex);
    return int(m_state->requests.size());
}

void FakeLlmServer::reset()
{
    std::lock_guard lock(m_state->mutex);
    m_state->requests.clear();
    m_state->attempts.clear();
    m_state->maximum = m_state->current;
    m_state->connections = 0;
}

int FakeLlmServer::maxConcurrency(const QString &model) const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->maximum.value(model);
}

int FakeLlmServer::currentConcurrency(const QString &model) const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->current.value(model);
}

int FakeLlmServer::connectionsAccepted() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->connections;
}

} // namespace ts::test
