#include "logs/receiver/receiverworkers.h"

#include "logs/formats/otlptraces.h"
#include "logs/logformat.h"
#include "logs/logsink.h"
#include "storage/transaction.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace ts::detail {

namespace {

constexpr qint64 maxPendingItems = 50'000; ///< records + spans waiting for the store
constexpr int maxProblems = 20;
constexpr qsizetype maxConnections = 1024;

/// Collects what the trace reader found in one request.
class RequestSink final : public LogSink
{
public:
    explicit RequestSink(ReceiverJob &job, const QString &source)
        : m_job(job)
        , m_source(source)
    {
    }
    void record(LogRecord record) override
    {
        if (!record.sourceFile)
            record.sourceFile = m_source;
        m_job.records.append(std::move(record));
    }
    void otherSpan(TraceSpan span) override { m_job.spans.append(std::move(span)); }
    void malformed(qint64, const QString &reason) override
    {
        ++m_job.rejected;
        if (m_job.problems.size() < maxProblems)
            m_job.problems.append(reason);
    }

private:
    ReceiverJob &m_job;
    QString m_source;
};

std::optional<OtlpEncoding> encodingOf(const QByteArray &contentType)
{
    const QByteArray mediaType = contentType.split(';').first().trimmed().toLower();
    if (mediaType == "application/json")
        return OtlpEncoding::Json;
    if (mediaType == "application/x-protobuf" || mediaType == "application/protobuf")
        return OtlpEncoding::Protobuf;
    return std::nullopt;
}

HttpResponse statusResponse(int httpStatus, int rpcCode, OtlpEncoding encoding,
                            const QString &message)
{
    HttpResponse r;
    r.status = httpStatus;
    r.contentType = otlpContentType(encoding);
    r.body = otlpErrorStatus(encoding, rpcCode, message);
    return r;
}

int rpcCodeFor(int httpStatus)
{
    switch (httpStatus) {
    case 404:
        return rpc::NotFound;
    case 405:
    case 501:
    case 505:
        return rpc::Unimplemented;
    case 413:
    case 431:
        return rpc::ResourceExhausted;
    case 503:
        return rpc::Unavailable;
    default:
        return rpc::InvalidArgument;
    }
}

QString plural(qint64 n, const char *singular, const char *pluralForm)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? singular : pluralForm));
}

} // namespace

// ---- socket thread ----

ReceiverIo::ReceiverIo(QTcpServer *server, const OtlpReceiverOptions &options,
                       std::shared_ptr<ReceiverShared> shared, QString source)
    : m_server(server)
    , m_options(options)
    , m_shared(std::move(shared))
    , m_source(std::move(source))
{
    m_server->setParent(this); // moves to the socket thread with us
    connect(m_server, &QTcpServer::newConnection, this, &ReceiverIo::accept);
}

ReceiverIo::~ReceiverIo()
{
    // shutdown() ran in the socket thread; nothing with a socket notifier is left.
    Q_ASSERT(m_connections.isEmpty());
}

void ReceiverIo::accept()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections.size() >= maxConnections) {
            // Exporters keep one or a few connections each; this many means a runaway client.
            socket->abort();
            socket->deleteLater();
            continue;
        }
        const quint64 id = m_nextConnection++;
        HttpRequestParser::Limits limits;
        limits.maxBodyBytes = m_options.maxBodyBytes;
        auto *connection = new HttpConnection(
            socket, limits, m_options.idleTimeoutMs, [this](int status, const QString &message) {
                m_shared->badRequests.fetch_add(1);
                return statusResponse(status, rpcCodeFor(status), OtlpEncoding::Json, message);
            });
        m_connections.insert(id, connection);
        connect(connection, &HttpConnection::requestReceived, this,
                [this, id](const IncomingRequest &request) { handle(id, request); });
        connect(connection, &HttpConnection::closed, this, [this, id] {
            if (HttpConnection *c = m_connections.take(id))
                c->deleteLater();
        });
    }
}

void ReceiverIo::handle(quint64 connection, const IncomingRequest &request)
{
    bool deferred = false;
    HttpResponse response = handleTraces(connection, request, deferred);
    if (deferred)
        return; // answered by the writer once committed
    if (response.status >= 400)
        m_shared->badRequests.fetch_add(response.status < 500 ? 1 : 0);
    if (response.status >= 500)
        m_shared->failedRequests.fetch_add(1);
    if (HttpConnection *c = m_connections.value(connection))
        c->respond(response);
}

HttpResponse ReceiverIo::handleTraces(quint64 connection, const IncomingRequest &request,
                                      bool &deferred)
{
    const std::optional<OtlpEncoding> encoding = encodingOf(request.header("content-type"));
    const OtlpEncoding answerAs = encoding.value_or(OtlpEncoding::Json);
    auto error = [&](int status, const QString &message) {
        return statusResponse(status, rpcCodeFor(status), answerAs, message);
    };
    if (request.path != "/v1/traces") {
        if (request.path == "/v1/logs" || request.path == "/v1/metrics")
            return error(404,
                         QStringLiteral("Touchstone receives traces only (POST /v1/traces); "
                                        "%1 is not collected")
                             .arg(QString::fromLatin1(request.path)));
        return error(404,
                     QStringLiteral("nothing at %1; send OTLP traces to POST /v1/traces")
                         .arg(QString::fromLatin1(request.path)));
    }
    if (request.method != "POST") {
        HttpResponse r = error(405, QStringLiteral("use POST for /v1/traces"));
        r.headers.append(std::pair<QByteArray, QByteArray>("Allow", "POST"));
        return r;
    }
    if (!encoding) {
        const QByteArray type = request.header("content-type");
        return error(
            415,
            QStringLiteral("Content-Type %1 is not supported; send "
                           "application/json or application/x-protobuf")
                .arg(type.isEmpty() ? QStringLiteral("(none)") : QString::fromLatin1(type)));
    }
    const QByteArray contentEncoding = request.header("content-encoding").trimmed().toLower();
    const bool gzipped = contentEncoding == "gzip" || contentEncoding == "x-gzip";
    if (!gzipped && !contentEncoding.isEmpty() && contentEncoding != "identity")
        return error(415,
                     QStringLiteral("Content-Encoding %1 is not supported; send gzip or "
                                    "no encoding")
                         .arg(QString::fromLatin1(contentEncoding)));
    if (m_shared->pending.load() > maxPendingItems) {
        HttpResponse r = error(503, QStringLiteral("the project is busy; retry shortly"));
        r.headers.append(std::pair<QByteArray, QByteArray>("Retry-After", "1"));
        return r;
    }

    QByteArray body = request.body;
    if (gzipped) {
        auto plain = gunzip(body, m_options.maxBodyBytes);
        if (!plain)
            return error(plain.error().code == ErrorCode::QuotaExceeded ? 413 : 400,
                         plain.error().message);
        body = std::move(*plain);
    }
    auto decoded = decodeOtlpTraceRequest(body, *encoding);
    if (!decoded)
        return error(400, decoded.error().message);
    body = QByteArray(); // the decoded copy is what counts now

    auto job = std::make_shared<ReceiverJob>();
    job->connection = connection;
    job->encoding = *encoding;
    job->spanCount = decoded->spans;
    job->rejected = decoded->rejected;
    job->problems = decoded->problems;
    RequestSink sink(*job, m_source);
    static const LogJoinData noJoin;
    if (auto read = readTracesData(decoded->tracesData, sink, noJoin, QStringLiteral("otlp"));
        !read)
        return error(400, read.error().message);

    m_shared->pending.fetch_add(job->items());
    deferred = true;
    ReceiverWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        writer, [writer, job] { writer->enqueue(job); }, Qt::QueuedConnection);
    return {};
}

void ReceiverIo::answer(quint64 connection, const HttpResponse &response)
{
    if (HttpConnection *c = m_connections.value(connection))
        c->respond(response);
}

void ReceiverIo::shutdown()
{
    if (m_server) {
        m_server->close();
        delete m_server;
        m_server = nullptr;
    }
    const auto connections = std::exchange(m_connections, {});
    for (HttpConnection *c : connections) {
        c->disconnect(this);
        delete c;
    }
    QThread::currentThread()->quit();
}

// ---- store thread ----

ReceiverWriter::ReceiverWriter(Database db, qint64 importId, std::shared_ptr<ReceiverShared> shared)
    : m_db(std::move(db))
    , m_store(std::make_unique<LogStore>(m_db))
    , m_importId(importId)
    , m_shared(std::move(shared))
{
}

ReceiverWriter::~ReceiverWriter() = default;

void ReceiverWriter::enqueue(std::shared_ptr<ReceiverJob> job)
{
    m_queue.append(std::move(job));
    if (!m_drainPosted) {
        m_drainPosted = true;
        // Queued behind the jobs already posted, so one transaction takes them all.
        QMetaObject::invokeMethod(this, &ReceiverWriter::drain, Qt::QueuedConnection);
    }
}

void ReceiverWriter::drain()
{
    m_drainPosted = false;
    if (m_queue.isEmpty() || !m_store)
        return;
    const QList<std::shared_ptr<ReceiverJob>> jobs = std::exchange(m_queue, {});

    std::optional<Error> batchError;
    QList<std::optional<Error>> jobErrors(jobs.size());
    QList<LogAddResult> added(jobs.size());
    LogStore::ImportCounts counts = m_counts;
    {
        auto tx = Transaction::begin(m_db);
        if (!tx)
            batchError = tx.error();
        for (qsizetype i = 0; !batchError && i < jobs.size(); ++i) {
            const ReceiverJob &job = *jobs[i];
            if (job.items() == 0)
                continue;
            // A savepoint per request: one request that cannot be stored fails alone.
            auto savepoint = Transaction::begin(m_db);
            if (!savepoint) {
                batchError = savepoint.error();
                break;
            }
            if (!job.records.isEmpty()) {
                auto result = m_store->add(job.records);
                if (!result) {
                    jobErrors[i] = result.error();
                    continue;
                }
                added[i] = *result;
            }
            if (!job.spans.isEmpty())
                if (auto ok = m_store->addSpans(job.spans); !ok) {
                    jobErrors[i] = ok.error();
                    continue;
                }
            if (auto ok = savepoint->commit(); !ok)
                jobErrors[i] = ok.error();
        }
        for (qsizetype i = 0; !batchError && i < jobs.size(); ++i) {
            if (jobErrors[i])
                continue;
            counts.imported += added[i].added;
            counts.duplicates += added[i].duplicates;
            counts.malformed += int(jobs[i]->rejected);
            counts.notLlm += int(jobs[i]->spans.size());
        }
        if (!batchError)
            if (auto ok = m_store->updateImport(m_importId, counts, QStringLiteral("running")); !ok)
                batchError = ok.error();
        if (!batchError)
            if (auto ok = tx->commit(); !ok)
                batchError = ok.error();
    }

    OtlpBatch batch;
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        const ReceiverJob &job = *jobs[i];
        m_shared->pending.fetch_sub(job.items());
        const std::optional<Error> failure = batchError ? batchError : jobErrors[i];
        HttpResponse response;
        if (failure) {
            // A busy or full disk may pass: the sender retries 503. Anything else would fail
            // again the same way: 500, which OTLP senders do not retry.
            const bool transient
                = failure->code == ErrorCode::Locked || failure->code == ErrorCode::Io;
            response = statusResponse(
                transient ? 503 : 500, rpc::Unavailable, job.encoding,
                QStringLiteral("the records could not be stored: %1").arg(failure->message));
            if (transient)
                response.headers.append(std::pair<QByteArray, QByteArray>("Retry-After", "1"));
            m_shared->failedRequests.fetch_add(1);
        } else {
            QString message;
            if (job.rejected > 0) {
                message = QStringLiteral("%1 of %2 rejected: %3")
                              .arg(plural(job.rejected, "span", "spans"))
                              .arg(job.spanCount)
                              .arg(job.problems.join(QStringLiteral("; ")));
                if (job.problems.size() < job.rejected)
                    message += QStringLiteral("; ...");
            }
            response.contentType = otlpContentType(job.encoding);
            response.body = otlpExportResponse(job.encoding, job.rejected, message);
            m_shared->requests.fetch_add(1);
            m_shared->records.fetch_add(added[i].added);
            m_shared->duplicates.fetch_add(added[i].duplicates);
            m_shared->notLlm.fetch_add(job.spans.size());
            m_shared->rejected.fetch_add(job.rejected);
            ++batch.requests;
            batch.records += added[i].added;
            batch.duplicates += added[i].duplicates;
            batch.notLlm += int(job.spans.size());
            batch.rejected += job.rejected;
            batch.ids += added[i].ids;
        }
        ReceiverIo *io = m_io;
        const quint64 connection = job.connection;
        QMetaObject::invokeMethod(
            io, [io, connection, response] { io->answer(connection, response); },
            Qt::QueuedConnection);
    }
    if (!batchError)
        m_counts = counts;
    if (batchError)
        Q_EMIT storeFailed(*batchError);
    else
        for (const std::optional<Error> &e : jobErrors)
            if (e) {
                Q_EMIT storeFailed(*e);
                break;
            }
    if (batch.requests > 0)
        Q_EMIT batchStored(batch);
}

void ReceiverWriter::finish()
{
    drain();
    if (m_store)
        if (auto ok = m_store->updateImport(m_importId, m_counts, QStringLiteral("completed")); !ok)
            Q_EMIT storeFailed(ok.error());
    m_store.reset();
    m_db = Database();
    QThread::currentThread()->quit();
}

} // namespace ts::detail
