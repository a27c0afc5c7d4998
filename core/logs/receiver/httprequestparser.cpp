#include "logs/receiver/httprequestparser.h"

#include <algorithm>

namespace ts {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

/// Comma-separated header values, trimmed and lower-cased ("Keep-Alive, Upgrade").
QList<QByteArray> tokens(const QByteArray &value)
{
    QList<QByteArray> out;
    for (const QByteArray &part : value.split(','))
        if (const QByteArray t = part.trimmed().toLower(); !t.isEmpty())
            out.append(t);
    return out;
}

} // namespace

QByteArray IncomingRequest::header(const QByteArray &lowerName) const
{
    for (const auto &[name, value] : headers)
        if (name == lowerName)
            return value;
    return {};
}

bool IncomingRequest::keepAlive() const
{
    QList<QByteArray> connection;
    for (const auto &[name, value] : headers)
        if (name == "connection")
            connection += tokens(value);
    if (connection.contains("close"))
        return false;
    return minorVersion >= 1 || connection.contains("keep-alive");
}

HttpRequestParser::State HttpRequestParser::failWith(int status, const QString &message)
{
    m_phase = Phase::Error;
    m_errorStatus = status;
    m_errorMessage = message;
    return State::Failed;
}

bool HttpRequestParser::nextLine(QByteArray &buffer, QByteArray &line, State &state)
{
    const qsizetype end = buffer.indexOf('\n');
    const bool inHead
        = m_phase == Phase::RequestLine || m_phase == Phase::Headers || m_phase == Phase::Trailers;
    if (end < 0) {
        // No full line yet: refuse to buffer an endless one.
        const qsizetype limit = inHead ? m_limits.maxHeaderBytes - m_headerBytes : 1024;
        if (buffer.size() > limit)
            state = inHead ? failWith(431,
                                      QStringLiteral("the request headers exceed %1 bytes")
                                          .arg(m_limits.maxHeaderBytes))
                           : failWith(400, QStringLiteral("malformed chunked body"));
        else
            state = State::NeedMore;
        return false;
    }
    if (inHead) {
        m_headerBytes += end + 1;
        if (m_headerBytes > m_limits.maxHeaderBytes) {
            state = failWith(
                431,
                QStringLiteral("the request headers exceed %1 bytes").arg(m_limits.maxHeaderBytes));
            return false;
        }
    }
    line = buffer.left(end);
    if (line.endsWith('\r'))
        line.chop(1);
    buffer.remove(0, end + 1);
    return true;
}

HttpRequestParser::State HttpRequestParser::parseRequestLine(const QByteArray &line)
{
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || parts[1].isEmpty())
        return failWith(400, QStringLiteral("malformed request line"));
    const QByteArray &version = parts[2];
    if (!version.startsWith("HTTP/"))
        return failWith(400, QStringLiteral("malformed request line"));
    if (version == "HTTP/1.1")
        m_request.minorVersion = 1;
    else if (version == "HTTP/1.0")
        m_request.minorVersion = 0;
    else
        return failWith(505,
                        QStringLiteral("HTTP version %1 is not supported; use HTTP/1.1")
                            .arg(QString::fromLatin1(version.mid(5))));
    m_request.method = parts[0];
    QByteArray target = parts[1];
    if (target.startsWith("http://") || target.startsWith("https://")) {
        // absolute-form: keep the path only
        const qsizetype slash = target.indexOf('/', target.indexOf("//") + 2);
        target = slash < 0 ? QByteArray("/") : target.mid(slash);
    }
    if (!target.startsWith('/') && target != "*")
        return failWith(400, QStringLiteral("malformed request target"));
    const qsizetype q = target.indexOf('?');
    m_request.path = q < 0 ? target : target.left(q);
    m_request.query = q < 0 ? QByteArray() : target.mid(q + 1);
    m_phase = Phase::Headers;
    return State::NeedMore;
}

HttpRequestParser::State HttpRequestParser::parseHeader(const QByteArray &line)
{
    if (line.startsWith(' ') || line.startsWith('\t'))
        return failWith(400, QStringLiteral("folded header lines are not accepted"));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return failWith(400, QStringLiteral("malformed header line"));
    const QByteArray name = line.left(colon).toLower();
    if (!isToken(name))
        return failWith(400, QStringLiteral("malformed header name"));
    m_request.headers.append({name, line.mid(colon + 1).trimmed()});
    return State::NeedMore;
}

HttpRequestParser::State HttpRequestParser::headersDone()
{
    QByteArray contentLength;
    QList<QByteArray> transferCodings;
    bool hasTransferEncoding = false;
    for (const auto &[name, value] : m_request.headers) {
        if (name == "content-length") {
            if (!contentLength.isNull() && contentLength != value)
                return failWith(400, QStringLiteral("conflicting Content-Length headers"));
            contentLength = value;
        } else if (name == "transfer-encoding") {
            hasTransferEncoding = true;
            transferCodings += tokens(value);
        } else if (name == "expect") {
            m_expectContinue = value.toLower() == "100-continue";
        }
    }
    if (hasTransferEncoding) {
        if (!contentLength.isNull())
            return failWith(400,
                            QStringLiteral("both Content-Length and Transfer-Encoding were sent"));
        if (transferCodings != QList<QByteArray> {"chunked"})
            return failWith(501,
                            QStringLiteral("Transfer-Encoding %1 is not supported; send "
                                           "chunked or a Content-Length")
                                .arg(QString::fromLatin1(transferCodings.join(", "))));
        m_phase = Phase::ChunkSize;
        return State::NeedMore;
    }
    if (!contentLength.isNull()) {
        bool ok = !contentLength.isEmpty();
        for (char c : contentLength)
            ok = ok && c >= '0' && c <= '9';
        const qint64 length = ok && contentLength.size() <= 18 ? contentLength.toLongLong(&ok) : -1;
        if (!ok || length < 0)
            return failWith(400, QStringLiteral("malformed Content-Length"));
        if (length > m_limits.maxBodyBytes)
            return failWith(413,
                            QStringLiteral("the body (%1 bytes) exceeds the limit of %2 bytes")
                                .arg(length)
                                .arg(m_limits.maxBodyBytes));
        m_remaining = length;
        // Trust the announced size only so far: a client that announces 64 MiB and sends
        // nothing must not hold 64 MiB.
        m_request.body.reserve(qsizetype(std::min<qint64>(length, 1024 * 1024)));
        m_phase = length > 0 ? Phase::Body : Phase::Done;
        return length > 0 ? State::NeedMore : State::Complete;
    }
    // HTTP/1.1 without either header: no body.
    m_phase = Phase::Done;
    return State::Complete;
}

HttpRequestParser::State HttpRequestParser::feed(QByteArray &buffer)
{
    State state = State::NeedMore;
    QByteArray line;
    for (;;) {
        switch (m_phase) {
        case Phase::Done:
            return State::Complete;
        case Phase::Error:
            return State::Failed;
        case Phase::RequestLine:
            if (!nextLine(buffer, line, state))
                return state;
            if (line.isEmpty())
                continue; // RFC 9112: ignore empty lines before the request line
            if (parseRequestLine(line) == State::Failed)
                return State::Failed;
            break;
        case Phase::Headers:
            if (!nextLine(buffer, line, state))
                return state;
            if (line.isEmpty()) {
                if (headersDone() == State::Failed)
                    return State::Failed;
                break;
            }
            if (parseHeader(line) == State::Failed)
                return State::Failed;
            break;
        case Phase::Body: {
            if (buffer.isEmpty())
                return State::NeedMore;
            const qsizetype n = qsizetype(std::min<qint64>(m_remaining, buffer.size()));
            m_request.body.append(buffer.constData(), n);
            buffer.remove(0, n);
            m_remaining -= n;
            if (m_remaining == 0)
                m_phase = Phase::Done;
            break;
        }
        case Phase::ChunkSize: {
            if (!nextLine(buffer, line, state))
                return state;
            QByteArray size = line;
            if (const qsizetype semicolon = size.indexOf(';'); semicolon >= 0)
                size.truncate(semicolon); // chunk extensions are ignored
            size = size.trimmed();
            bool ok = !size.isEmpty() && size.size() <= 15;
            const qint64 n = ok ? size.toLongLong(&ok, 16) : -1;
            if (!ok || n < 0)
                return failWith(400, QStringLiteral("malformed chunk size"));
            if (m_request.body.size() + n > m_limits.maxBodyBytes)
                return failWith(413,
                                QStringLiteral("the body exceeds the limit of %1 bytes")
                                    .arg(m_limits.maxBodyBytes));
            m_remaining = n;
            m_phase = n == 0 ? Phase::Trailers : Phase::ChunkData;
            break;
        }
        case Phase::ChunkData: {
            if (buffer.isEmpty())
                return State::NeedMore;
            const qsizetype n = qsizetype(std::min<qint64>(m_remaining, buffer.size()));
            m_request.body.append(buffer.constData(), n);
            buffer.remove(0, n);
            m_remaining -= n;
            if (m_remaining == 0)
                m_phase = Phase::ChunkEnd;
            break;
        }
        case Phase::ChunkEnd:
            if (!nextLine(buffer, line, state))
                return state;
            if (!line.isEmpty())
                return failWith(400, QStringLiteral("a chunk is longer than its size"));
            m_phase = Phase::ChunkSize;
            break;
        case Phase::Trailers:
            if (!nextLine(buffer, line, state))
                return state;
            if (line.isEmpty())
                m_phase = Phase::Done; // trailer fields are read and dropped
            break;
        }
    }
}

IncomingRequest HttpRequestParser::take()
{
    IncomingRequest request = std::move(m_request);
    m_request = IncomingRequest();
    m_phase = Phase::RequestLine;
    m_headerBytes = 0;
    m_remaining = 0;
    m_expectContinue = false;
    return request;
}

bool HttpRequestParser::headersComplete() const
{
    switch (m_phase) {
    case Phase::RequestLine:
    case Phase::Headers:
        return false;
    default:
        return true;
    }
}

bool HttpRequestParser::expectsContinue() const
{
    return m_expectContinue && (m_phase == Phase::Body || m_phase == Phase::ChunkSize);
}

} // namespace ts
