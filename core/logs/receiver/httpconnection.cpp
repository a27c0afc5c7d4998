#include "logs/receiver/httpconnection.h"

#include <QTcpSocket>
#include <QTimer>

namespace ts {

namespace {

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

constexpr qint64 socketReadBuffer = 1024 * 1024;

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, HttpRequestParser::Limits limits,
                               int idleTimeoutMs, ErrorResponder errorResponder, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_idle(new QTimer(this))
    , m_parser(limits)
    , m_errorResponder(std::move(errorResponder))
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(socketReadBuffer);
    m_idle->setSingleShot(true);
    m_idle->setInterval(idleTimeoutMs);
    connect(m_idle, &QTimer::timeout, this, [this] {
        if (!m_busy)
            abort(); // idle keep-alive, stalled mid-request, or never reading its answer
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readAvailable);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_closing = true;
        m_idle->stop();
        if (!m_closedEmitted) {
            m_closedEmitted = true;
            Q_EMIT closed();
        }
    });
    m_idle->start();
    // Bytes may have arrived before the connections above.
    if (m_socket->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &HttpConnection::readAvailable);
}

HttpConnection::~HttpConnection()
{
    m_socket->disconnect(this);
    m_socket->abort();
}

void HttpConnection::readAvailable()
{
    if (m_closing || m_busy)
        return; // resumed by respond()
    m_buffer.append(m_socket->readAll());
    m_idle->start();
    processBuffer();
}

void HttpConnection::processBuffer()
{
    if (m_closing || m_busy)
        return;
    switch (m_parser.feed(m_buffer)) {
    case HttpRequestParser::State::NeedMore:
        if (m_parser.expectsContinue() && !m_continueSent) {
            m_continueSent = true;
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        return;
    case HttpRequestParser::State::Failed: {
        HttpResponse r = m_errorResponder(m_parser.errorStatus(), m_parser.errorMessage());
        send(r, true);
        return;
    }
    case HttpRequestParser::State::Complete: {
        const IncomingRequest request = m_parser.take();
        m_continueSent = false;
        m_keepAlive = request.keepAlive();
        m_busy = true;
        m_idle->stop();
        Q_EMIT requestReceived(request);
        return;
    }
    }
}

void HttpConnection::respond(const HttpResponse &response)
{
    if (!m_busy || m_closing)
        return;
    m_busy = false;
    send(response, response.close || !m_keepAlive);
    if (m_closing)
        return;
    m_idle->start();
    // Pipelined requests already buffered, then whatever the socket holds.
    if (!m_buffer.isEmpty())
        processBuffer();
    if (!m_busy && !m_closing && m_socket->bytesAvailable() > 0)
        readAvailable();
}

void HttpConnection::send(const HttpResponse &response, bool close)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
        + reasonPhrase(response.status) + "\r\n";
    if (!response.contentType.isEmpty())
        head += "Content-Type: " + response.contentType + "\r\n";
    head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    head += close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    m_socket->write(head + response.body);
    if (close) {
        m_closing = true;
        m_socket->disconnectFromHost(); // after the answer was written...
        if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_idle->start(); // ...unless the peer never reads it
    }
}

void HttpConnection::abort()
{
    m_closing = true;
    m_idle->stop();
    m_socket->abort();
    if (!m_closedEmitted) {
        m_closedEmitted = true;
        Q_EMIT closed();
    }
}

} // namespace ts
