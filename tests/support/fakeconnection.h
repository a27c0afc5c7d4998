#pragma once

// Internal: one client connection of the fake server, speaking HTTP/1.1 with keep-alive.

#include "fakewire.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace ts::test {

class FakeServerCore;

class FakeConnection final : public QObject
{
    Q_OBJECT
public:
    FakeConnection(QTcpSocket *socket, quint64 id, FakeServerCore *core);

private:
    void readRequests();
    void play(FakeReply reply);
    void sendDuePieces();
    void replyDone();
    void closeDown();
    void writeHead(qint64 contentLength);

    QTcpSocket *m_socket;
    quint64 m_id;
    FakeServerCore *m_core;
    QByteArray m_buffer;
    bool m_busy = false;
    bool m_closeAfterReply = false;
    bool m_counted = false;
    bool m_closed = false;
    FakeReply m_reply;
    qsizetype m_next = 0;
    QTimer m_timer;
};

} // namespace ts::test
