#pragma once

#include "logs/receiver/httprequestparser.h"

#include <QObject>

#include <functional>

class QTcpSocket;
class QTimer;

namespace ts {

/// An answer to one request.
struct HttpResponse
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers; ///< extra headers (Allow, Retry-After)
    bool close = false; ///< close the connection after this answer
};

/// One HTTP/1.1 client connection: reads requests one at a time (pipelined requests wait in
/// the buffer, and reading pauses while a request is being handled so that a fast client
/// meets TCP back-pressure instead of filling memory), answers them in order, keeps the
/// connection alive unless asked not to, answers "Expect: 100-continue", and closes after an
/// idle timeout. Lives in the thread of its socket.
class HttpConnection final : public QObject
{
    Q_OBJECT

public:
    /// Builds the body of an answer to a request that could not be parsed.
    using ErrorResponder = std::function<HttpResponse(int status, const QString &message)>;

    HttpConnection(QTcpSocket *socket, HttpRequestParser::Limits limits, int idleTimeoutMs,
                   ErrorResponder errorResponder, QObject *parent = nullptr);
    ~HttpConnection() override;

    /// Answers the request handed out by requestReceived(), then reads the next one.
    void respond(const HttpResponse &response);
    /// Closes at once, dropping what was not sent.
    void abort();

Q_SIGNALS:
    /// A complete request; no other is handed out until respond() was called.
    void requestReceived(const ts::IncomingRequest &request);
    /// The peer went away or the connection was closed; the object may be deleted.
    void closed();

private:
    void readAvailable();
    void processBuffer();
    void send(const HttpResponse &response, bool close);

    QTcpSocket *m_socket = nullptr;
    QTimer *m_idle = nullptr;
    HttpRequestParser m_parser;
    ErrorResponder m_errorResponder;
    QByteArray m_buffer;
    bool m_busy = false; ///< a request was handed out and awaits respond()
    bool m_keepAlive = true; ///< of the request being handled
    bool m_continueSent = false; ///< "100 Continue" sent for the current request
    bool m_closing = false;
    bool m_closedEmitted = false;
};

} // namespace ts
