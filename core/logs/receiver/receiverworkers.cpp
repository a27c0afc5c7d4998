#include "logs/receiver/receiverworkers.h"

#include "logs/formats/otlpstream.h"
#include "logs/formats/otlptraces.h"
#include "logs/logformat.h"
#include "logs/logsink.h"
#include "logs/receiver/otlplogscodec.h"
#include "logs/receiver/recordcompletion.h"
#include "storage/transaction.h"

#include <QDateTime>

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
    HttpResponse response = handleExport(connection, request, deferred);
    if (deferred)
        return; // answered by the writer once committed
    if (response.status >= 400)
        m_shared->badRequests.fetch_add(response.status < 500 ? 1 : 0);
    if (response.status >= 500)
        m_shared->failedRequests.fetch_add(1);
    if (HttpConnection *c = m_connections.value(connection))
        c->respond(response);
}

HttpResponse ReceiverIo::handleExport(quint64 connection, const IncomingRequest &request,
                                      bool &deferred)
{
    const std::optional<OtlpEncoding> encoding = encodingOf(request.header("content-type"));
    const OtlpEncoding answerAs = encoding.value_or(OtlpEncoding::Json);
    auto error = [&](int status, const QString &message) {
        return statusResponse(status, rpcCodeFor(status), answerAs, message);
    };
    const bool logs = request.path == "/v1/logs";
    if (request.path != "/v1/traces" && !logs) {
        if (request.path == "/v1/metrics")
            return error(404,
                         QStringLiteral("Touchstone receives traces and logs (POST /v1/traces, "
                                        "POST /v1/logs); metrics are not collected"));
        return error(404,
                     QStringLiteral("nothing at %1; send OTLP traces to POST /v1/traces "
                                    "and logs to POST /v1/logs")
                         .arg(QString::fromLatin1(request.path)));
    }
    if (request.method != "POST") {
        HttpResponse r
            = error(405, QStringLiteral("use POST for %1").arg(QString::fromLatin1(request.path)));
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
    auto job = std::make_shared<ReceiverJob>();
    job->connection = connection;
    job->encoding = *encoding;
    job->logs = logs;
    if (auto failed = logs ? readLogs(body, *job) : readTraces(body, *job))
        return *failed;

    m_shared->pending.fetch_add(job->items());
    deferred = true;
    ReceiverWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        writer, [writer, job] { writer->enqueue(job); }, Qt::QueuedConnection);
    return {};
}

std::optional<HttpResponse> ReceiverIo::readTraces(const QByteArray &body, ReceiverJob &job)
{
    auto decoded = decodeOtlpTraceRequest(body, job.encoding);
    if (!decoded)
        return statusResponse(400, rpc::InvalidArgument, job.encoding, decoded.error().message);
    job.itemCount = decoded->spans;
    job.rejected = decoded->rejected;
    job.problems = decoded->problems;
    RequestSink sink(job, m_source);
    static const LogJoinData noJoin; // events from /v1/logs are joined by the writer
    if (auto read = readTracesData(decoded->tracesData, sink, noJoin, QStringLiteral("otlp"));
        !read)
        return statusResponse(400, rpc::InvalidArgument, job.encoding, read.error().message);
    return std::nullopt;
}

std::optional<HttpResponse> ReceiverIo::readLogs(const QByteArray &body, ReceiverJob &job)
{
    auto decoded = decodeOtlpLogsRequest(body, job.encoding);
    if (!decoded)
        return statusResponse(400, rpc::InvalidArgument, job.encoding, decoded.error().message);
    job.itemCount = decoded->logRecords;
    job.rejected = decoded->rejected;
    job.problems = decoded->problems;
    // Only GenAI events of a span matter here; other log records are accepted and left out.
    auto walked = otlp::walkDocument(decoded->logsData, otlp::Signal::Logs,
                                     [&job](const nlohmann::json &logRecord, const nlohmann::json &,
                                            const nlohmann::json &, qint64) {
                                         QString problem;
                                         if (auto event = joinableGenAiEvent(logRecord, &problem))
                                             job.events.append(std::move(*event));
                                         return true;
                                     });
    if (!walked)
        return statusResponse(400, rpc::InvalidArgument, job.encoding, walked.error().message);
    return std::nullopt;
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

Result<LogAddResult> ReceiverWriter::store(const ReceiverJob &job, QList<qint64> &completed,
                                           QStringList &held,
                                           QHash<QString, QList<nlohmann::json>> &taken)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (job.logs) {
        // Events of one span together, in arrival order.
        QStringList keys;
        QHash<QString, QList<nlohmann::json>> byKey;
        for (const JoinableEvent &event : job.events) {
            auto &events = byKey[event.key];
            if (events.isEmpty())
                keys << event.key;
            events.append(event.kept);
        }
        RecordCompletion completion(m_db);
        QStringList waiting;
        for (const QString &key : std::as_const(keys)) {
            qint64 id = 0;
            const QList<nlohmann::json> earlier = m_joined.take(key);
            auto outcome = completion.complete(key, earlier, byKey[key], id);
            if (!outcome)
                return fail(outcome.error());
            if (*outcome == RecordCompletion::Outcome::NoRecord) {
                waiting << key;
                continue;
            }
            if (*outcome == RecordCompletion::Outcome::Completed)
                completed.append(id);
            for (const nlohmann::json &event : earlier + byKey[key])
                m_joined.hold(key, event, now);
            held << key;
        }
        for (const QString &key : std::as_const(waiting)) {
            for (nlohmann::json &event : byKey[key])
                m_pending.hold(key, std::move(event), now);
            held << key;
        }
        return LogAddResult {};
    }

    LogAddResult added;
    if (!job.records.isEmpty()) {
        // Events that came first (POST /v1/logs) give the records their messages and output.
        QList<LogRecord> joined;
        if (!m_pending.isEmpty()) {
            for (qsizetype i = 0; i < job.records.size(); ++i) {
                const LogRecord &r = job.records[i];
                if (!r.traceId || !r.spanId)
                    continue;
                const QString key = *r.traceId + QLatin1Char(':') + *r.spanId;
                QList<nlohmann::json> events = m_pending.take(key);
                if (events.isEmpty())
                    continue;
                if (joined.isEmpty())
                    joined = job.records;
                RecordCompletion::apply(joined[i], events);
                for (const nlohmann::json &event : std::as_const(events))
                    m_joined.hold(key, event, now);
                taken.insert(key, std::move(events));
            }
        }
        auto result = m_store->add(joined.isEmpty() ? job.records : joined);
        if (!result)
            return fail(result.error());
        added = *result;
    }
    if (!job.spans.isEmpty())
        if (auto ok = m_store->addSpans(job.spans); !ok)
            return fail(ok.error());
    return added;
}

void ReceiverWriter::undo(const QStringList &held, QHash<QString, QList<nlohmann::json>> &taken)
{
    for (const QString &key : held) {
        m_pending.take(key);
        m_joined.take(key);
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto it = taken.begin(); it != taken.end(); ++it) {
        m_joined.take(it.key());
        for (nlohmann::json &event : it.value())
            m_pending.hold(it.key(), std::move(event), now);
    }
}

void ReceiverWriter::drain()
{
    m_drainPosted = false;
    if (m_queue.isEmpty() || !m_store)
        return;
    const QList<std::shared_ptr<ReceiverJob>> jobs = std::exchange(m_queue, {});
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_shared->eventsDropped.fetch_add(m_pending.expire(now));
    m_joined.expire(now);

    std::optional<Error> batchError;
    QList<std::optional<Error>> jobErrors(jobs.size());
    QList<LogAddResult> added(jobs.size());
    QList<QList<qint64>> completed(jobs.size());
    QStringList held; // keys whose events started or went on waiting in this batch
    QHash<QString, QList<nlohmann::json>> taken; // events joined to records in this batch
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
            QStringList jobHeld;
            QHash<QString, QList<nlohmann::json>> jobTaken;
            auto stored = store(job, completed[i], jobHeld, jobTaken);
            if (stored) {
                if (auto ok = savepoint->commit(); !ok)
                    stored = fail(ok.error());
            }
            if (!stored) {
                jobErrors[i] = stored.error();
                completed[i].clear();
                // Its sender sends it again: nothing it held or took may count twice.
                undo(jobHeld, jobTaken);
                continue;
            }
            added[i] = *stored;
            held += jobHeld;
            taken.insert(jobTaken);
        }
        for (qsizetype i = 0; !batchError && i < jobs.size(); ++i) {
            if (jobErrors[i] || jobs[i]->logs)
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
    if (batchError)
        undo(held, taken); // nothing was committed and every sender retries

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
                              .arg(job.logs ? plural(job.rejected, "log record", "log records")
                                            : plural(job.rejected, "span", "spans"))
                              .arg(job.itemCount)
                              .arg(job.problems.join(QStringLiteral("; ")));
                if (job.problems.size() < job.rejected)
                    message += QStringLiteral("; ...");
            }
            response.contentType = otlpContentType(job.encoding);
            response.body = job.logs ? otlpLogsExportResponse(job.encoding, job.rejected, message)
                                     : otlpExportResponse(job.encoding, job.rejected, message);
            if (job.logs) {
                m_shared->rejectedLogRecords.fetch_add(job.rejected);
                batch.rejectedLogRecords += job.rejected;
                m_shared->logRequests.fetch_add(1);
                m_shared->events.fetch_add(job.events.size());
                m_shared->completed.fetch_add(completed[i].size());
                ++batch.logRequests;
                batch.events += int(job.events.size());
                batch.completedIds += completed[i];
            } else {
                m_shared->rejected.fetch_add(job.rejected);
                batch.rejected += job.rejected;
                m_shared->requests.fetch_add(1);
                m_shared->records.fetch_add(added[i].added);
                m_shared->duplicates.fetch_add(added[i].duplicates);
                m_shared->notLlm.fetch_add(job.spans.size());
                ++batch.requests;
                batch.records += added[i].added;
                batch.duplicates += added[i].duplicates;
                batch.notLlm += int(job.spans.size());
                batch.ids += added[i].ids;
            }
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
    if (batch.requests > 0 || batch.logRequests > 0)
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
