#pragma once

// Internal: the part of the fake server that lives in its thread.

#include "fakewire.h"

#include <QObject>
#include <QTcpServer>

#include <memory>

namespace ts::test {

struct FakeServerState;
struct FakeRequest;

class FakeServerCore final : public QObject
{
    Q_OBJECT
public:
    explicit FakeServerCore(std::shared_ptr<FakeServerState> state);

    quint16 listen(quint16 port);
    /// Records `request` and decides the reply.
    FakeReply route(FakeRequest request);
    FakeServerState &state() { return *m_state; }

private:
    void acceptConnections();

    std::shared_ptr<FakeServerState> m_state;
    QTcpServer *m_server; // a child, so that it moves to the server thread with us
    quint64 m_lastConnectionId = 0;
};

} // namespace ts::test
