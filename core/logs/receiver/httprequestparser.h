#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace ts {

/// One HTTP/1.x request as the receiver handles it.
struct IncomingRequest
{
    QByteArray method; ///< as sent ("POST"); methods are case-sensitive
    QByteArray path; ///< the target without its query string ("/v1/traces")
    QByteArray query; ///< after '?', empty when none
    int minorVersion = 1; ///< HTTP/1.0 or HTTP/1.1
    /// Header names lower-cased, values trimmed, in arrival order.
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body; ///< de-chunked, still content-encoded (gzip stays gzip)

    /// The value of the first header named `lowerName`, or a null QByteArray.
    QByteArray header(const QByteArray &lowerName) const;
    /// Whether the connection stays open after the answer (HTTP/1.1 unless "Connection: close",
    /// HTTP/1.0 only with "Connection: keep-alive").
    bool keepAlive() const;
};

/// Sizes past which a request is refused.
struct HttpRequestLimits
{
    qsizetype maxHeaderBytes = 64 * 1024; ///< request line and headers together
    qint64 maxBodyBytes = 64ll * 1024 * 1024; ///< as sent (before gunzip)
};

/// An incremental HTTP/1.x request parser: request line, headers, and a body framed by
/// Content-Length or chunked transfer coding. Bytes are fed as they arrive; the parser takes
/// what it consumed from the front of the buffer, so pipelined requests stay in the buffer for
/// the next round. Pure code without I/O.
class HttpRequestParser final
{
public:
    using Limits = HttpRequestLimits;

    enum class State {
        NeedMore, ///< feed more bytes
        Complete, ///< take() the request
        Failed, ///< see errorStatus() / errorMessage(); the connection should be closed
    };

    explicit HttpRequestParser(Limits limits = {})
        : m_limits(limits)
    {
    }

    /// Consumes bytes from the front of `buffer` until a request is complete, the buffer is
    /// exhausted, or the input is invalid.
    State feed(QByteArray &buffer);
    /// The complete request; the parser is then ready for the next one.
    IncomingRequest take();

    /// True once the headers of the current request were read (the body may still be coming).
    bool headersComplete() const;
    /// The current request asked "Expect: 100-continue" and its body has not been read yet.
    bool expectsContinue() const;
    /// 400, 413, 431, 501 or 505 after State::Failed.
    int errorStatus() const { return m_errorStatus; }
    QString errorMessage() const { return m_errorMessage; }

private:
    enum class Phase {
        RequestLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailers,
        Done,
        Error
    };

    State failWith(int status, const QString &message);
    /// The next line without its line break, or false when the buffer holds no full line.
    bool nextLine(QByteArray &buffer, QByteArray &line, State &state);
    State parseRequestLine(const QByteArray &line);
    State parseHeader(const QByteArray &line);
    State headersDone();

    Limits m_limits;
    Phase m_phase = Phase::RequestLine;
    IncomingRequest m_request;
    qsizetype m_headerBytes = 0;
    qint64 m_remaining = 0; ///< body or chunk bytes still to read
    bool m_expectContinue = false;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace ts
