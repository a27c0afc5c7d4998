#pragma once

#include "common/error.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace ts {

class Project;

namespace detail {
class ReceiverIo;
class ReceiverWriter;
struct ReceiverShared;
} // namespace detail

/// Where and how an OtlpReceiver listens.
struct OtlpReceiverOptions
{
    /// An IP address ("127.0.0.1", "::1", "0.0.0.0" for every interface) or "localhost".
    /// Loopback by default: traces carry prompts and answers.
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 4318; ///< the OTLP/HTTP default; 0 picks any free port (see port())
    /// Largest body accepted, as sent and after gunzip (413 beyond). OTLP suggests 64 MiB.
    qint64 maxBodyBytes = 64ll * 1024 * 1024;
    /// Keep-alive connections idle this long are closed.
    int idleTimeoutMs = 120'000;
    /// How long a batch waits for another writer of the project (an import, an eval) before
    /// its senders are answered 503 with Retry-After, which OTLP exporters retry.
    int storeBusyTimeoutMs = 5000;
};

/// What one committed batch stored: the requests that reached the writer since the last
/// batch, stored in one transaction.
struct OtlpBatch
{
    int requests = 0; ///< POST /v1/traces
    int logRequests = 0; ///< POST /v1/logs
    int records = 0; ///< LLM calls added
    int duplicates = 0; ///< LLM calls already stored (same trace and span id), skipped
    int notLlm = 0; ///< spans that are not LLM calls, kept for trace views
    qint64 rejected = 0; ///< invalid spans refused (see decodeOtlpTraceRequest())
    QList<qint64> ids; ///< ids of the added records, in order
    int events = 0; ///< GenAI log events received (messages of calls, sent apart from spans)
    qint64 rejectedLogRecords = 0; ///< log records refused (see decodeOtlpLogsRequest())
    /// Records stored earlier whose messages or output their events filled in now.
    QList<qint64> completedIds;
};

/// Running totals since start().
struct OtlpReceiverCounters
{
    qint64 requests = 0; ///< POST /v1/traces answered 200
    qint64 records = 0;
    qint64 duplicates = 0;
    qint64 notLlm = 0;
    qint64 rejected = 0;
    qint64 badRequests = 0; ///< answered 4xx (not OTLP, wrong content type, path...)
    qint64 failedRequests = 0; ///< answered 503 (store busy or failing; the sender retries)
    qint64 logRequests = 0; ///< POST /v1/logs answered 200
    qint64 events = 0; ///< GenAI log events received
    qint64 rejectedLogRecords = 0;
    /// Times a stored record was completed by events that came after it (one record may be
    /// completed by several requests).
    qint64 completed = 0;
    /// Events dropped after waiting too long for their span (see PendingGenAiEvents).
    qint64 eventsDropped = 0;
};

/// An OTLP/HTTP receiver writing into a project: `POST /v1/traces` (and `POST /v1/logs`, below)
/// with `application/json` or `application/x-protobuf` bodies, gzip or not, answered as the
/// OTLP/HTTP specification says — 200 with an ExportTraceServiceResponse (partialSuccess with
/// rejectedSpans and errorMessage when invalid spans were refused), 400 with a google.rpc.Status
/// for a body that is not OTLP or corrupt gzip, 413 for a body over the limit, 415 for other
/// content types or encodings, 404 for other paths, 405 for other methods, 503 with Retry-After
/// when the project cannot be written right now. HTTP/1.1 with keep-alive, pipelining and
/// chunked bodies.
///
/// Every request's LLM calls are committed (deduplicated by trace and span id, like imports)
/// before its answer is sent, so a 200 means the records are in the file; spans that are not
/// LLM calls are kept as trace spans and counted. One log_imports row (source
/// "otlp-http://HOST:PORT", format "otlp") records the session's counts.
///
/// `POST /v1/logs` takes the GenAI events that instrumentations following the conventions up to
/// v1.36 send as log records (gen_ai.user.message, gen_ai.choice, ...; the OpenAI, Vertex and
/// other Python `-v2` instrumentations do): they complete the record of their span — at once
/// when it is stored, else when it arrives (events wait in memory up to ten minutes). The
/// answer is an ExportLogsServiceResponse (partialSuccess with rejectedLogRecords for a log
/// record whose trace or span id is malformed). Other log records are accepted and not kept.
///
/// Threads: sockets and decoding run on one thread, the store on another with its own
/// connection to the project; the object itself and its signals stay in the thread that
/// created it (the UI thread in the app), which never waits on the network or the disk
/// except for the short joins in stop().
///
/// Typical use from the GUI:
/// \code
///   auto *receiver = new OtlpReceiver(this);
///   connect(receiver, &OtlpReceiver::recordsStored, logsView, &LogsView::refresh);
///   if (auto ok = receiver->start(project, {}); !ok) showError(ok.error().message);
///   ... receiver->stop();
/// \endcode
class OtlpReceiver final : public QObject
{
    Q_OBJECT

public:
    explicit OtlpReceiver(QObject *parent = nullptr);
    ~OtlpReceiver() override; ///< stops if running

    /// Binds and starts receiving into the file of `project`. The receiver opens its own
    /// connection to it, so `project` need not outlive the call. Returns once the port is
    /// bound (port() is then the real port). Fails, with nothing started, when already running,
    /// when the host is not an address (InvalidArgument), when the port cannot be bound
    /// (Network: in use or not permitted), or when the project cannot be written.
    Result<void> start(const Project &project, const OtlpReceiverOptions &options = {});
    /// Stops listening, closes connections, commits what already reached the store and marks
    /// the session completed. Requests cut off get no answer, so their senders retry them
    /// elsewhere or later (re-sent spans deduplicate). Safe to call when not running.
    void stop();

    bool isRunning() const { return m_running; }
    /// The bound address as given ("127.0.0.1") and the bound port (the real one after port 0).
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    /// "http://127.0.0.1:4318/v1/traces" (IPv6 hosts in brackets).
    QString endpoint() const;
    /// "http://127.0.0.1:4318": what OTEL_EXPORTER_OTLP_ENDPOINT names (exporters add the
    /// /v1/traces and /v1/logs paths themselves).
    QString baseUrl() const;
    /// The log_imports row of the current (or last) session; 0 before the first start().
    qint64 importId() const { return m_importId; }
    /// Totals since the last start(); thread-safe, exact once stop() returned.
    OtlpReceiverCounters counters() const;

Q_SIGNALS:
    /// Records were committed: `count` new LLM calls with these ids (not emitted when a batch
    /// added none). Queued from the store thread; the Logs view refreshes on it.
    void recordsStored(int count, const QList<qint64> &ids);
    /// Records already stored got their messages or output from events that came later.
    void recordsCompleted(const QList<qint64> &ids);
    /// Every committed batch, with what it added and skipped.
    void batchStored(const ts::OtlpBatch &batch);
    /// Writing to the project failed; the senders were answered 503 and will retry.
    void storeFailed(const ts::Error &error);

private:
    void onBatchStored(const OtlpBatch &batch);

    bool m_running = false;
    QString m_host;
    quint16 m_port = 0;
    qint64 m_importId = 0;
    std::shared_ptr<detail::ReceiverShared> m_shared;
    QThread *m_ioThread = nullptr;
    QThread *m_writerThread = nullptr;
    detail::ReceiverIo *m_io = nullptr;
    detail::ReceiverWriter *m_writer = nullptr;
};

} // namespace ts
