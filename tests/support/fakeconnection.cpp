#include "fakeconnection.h"

#include "fakellmserver.h"
#include "fakeservercore.h"
#include "fakeserverstate.h"

#include <QTcpSocket>

namespace ts::test {

namespace {

constexpr qsizetype maxHeaderBytes = 64 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 529:
        return "Site Overloaded";
    default:
        return "Status";
    }
}

} // namespace

FakeConnection::FakeConnection(QTcpSocket *socket, quint64 id, FakeServerCore *core)
    : QObject(core)
    , m_socket(socket)
    , m_id(id)
    , m_core(core)
{
    socket->setParent(this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &FakeConnection::sendDuePieces);
    connect(socket, &QTcpSocket::readyRead, this, &FakeConnection::readRequests);
    connect(socket, &QTcpSocket::disconnected, this, &FakeConnection::closeDown);
    readRequests();
}

void FakeConnection::readRequests()
{
    m_buffer.append(m_socket->readAll());
    if (m_busy || m_closed)
        return;
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        if (m_buffer.size() > maxHeaderBytes)
            closeDown();
        return;
    }
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    FakeRequest request;
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    request.connectionId = m_id;
    qint64 contentLength = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        request.headers.emplaceBack(name, value);
        if (name == "content-length")
            contentLength = value.toLongLong();
    }
    if (m_buffer.size() < headEnd + 4 + contentLength)
        return; // the body is still on its way
    request.body = m_buffer.mid(headEnd + 4, contentLength);
    m_buffer.remove(0, headEnd + 4 + contentLength);
    m_closeAfterReply
        = request.header("connection").toLower() == "close" || requestLine.value(2) == "HTTP/1.0";
    m_busy = true;
    play(m_core->route(std::move(request)));
}

void FakeConnection::play(FakeReply reply)
{
    m_reply = std::move(reply);
    m_next = 0;
    m_core->state().begin(m_reply.model);
    m_counted = true;
    if (m_reply.hang)
        return; // never answer; the client gives up and closes
    if (m_reply.reset) {
        m_socket->abort();
        closeDown();
        return;
    }
    if (m_reply.streamed)
        writeHead(-1);
    sendDuePieces();
}

void FakeConnection::writeHead(qint64 contentLength)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(m_reply.status) + ' '
        + reasonPhrase(m_reply.status) + "\r\n";
    for (const auto &[name, value] : m_reply.headers)
        head += name + ": " + value + "\r\n";
    head += "x-request-id: req_fake_" + QByteArray::number(m_id) + "\r\n";
    if (contentLength >= 0)
        head += "content-length: " + QByteArray::number(contentLength) + "\r\n";
    else
        head += "transfer-encoding: chunked\r\ncache-control: no-cache\r\n";
    head += m_closeAfterReply ? "connection: close\r\n\r\n" : "connection: keep-alive\r\n\r\n";
    m_socket->write(head);
}

void FakeConnection::sendDuePieces()
{
    if (m_closed)
        return;
    while (m_next < m_reply.pieces.size()) {
        FakeReply::Piece &piece = m_reply.pieces[m_next];
        if (piece.delayMs > 0) {
            m_timer.start(piece.delayMs);
            piece.delayMs = 0; // due when the timer fires
            return;
        }
        ++m_next;
        if (m_reply.streamed) {
            m_socket->write(QByteArray::number(piece.bytes.size(), 16) + "\r\n" + piece.bytes
                            + "\r\n");
        } else {
            writeHead(piece.bytes.size());
            m_socket->write(m_reply.cutAt >= 0 ? piece.bytes.left(m_reply.cutAt) : piece.bytes);
        }
        m_socket->flush();
    }
    switch (m_reply.end) {
    case FakeReply::End::Complete:
        if (m_reply.streamed)
            m_socket->write("0\r\n\r\n");
        replyDone();
        return;
    case FakeReply::End::Drop:
        m_socket->flush();
        m_socket->abort();
        closeDown();
        return;
    case FakeReply::End::Stall:
        return;
    }
}

void FakeConnection::replyDone()
{
    if (m_counted) {
        m_counted = false;
        m_core->state().end(m_reply.model);
    }
    m_busy = false;
    if (m_closeAfterReply) {
        m_socket->disconnectFromHost();
        return;
    }
    if (!m_buffer.isEmpty())
        QTimer::singleShot(0, this, &FakeConnection::readRequests);
}

void FakeConnection::closeDown()
{
    if (m_closed)
        return;
    m_closed = true;
    m_timer.stop();
    if (m_counted) {
        m_counted = false;
        m_core->state().end(m_reply.model);
    }
    deleteLater();
}

} // namespace ts::test
