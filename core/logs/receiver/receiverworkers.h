#pragma once

// Internal to OtlpReceiver: the socket thread's and the store thread's objects.

#include "logs/formats/otlplogs.h"
#include "logs/logrecord.h"
#include "logs/logstore.h"
#include "logs/receiver/httpconnection.h"
#include "logs/receiver/otlpcodec.h"
#include "logs/receiver/otlpreceiver.h"
#include "logs/receiver/pendinggenaievents.h"
#include "storage/database.h"

#include <QHash>
#include <QObject>

#include <atomic>
#include <memory>

class QTcpServer;

namespace ts::detail {

/// Totals shared by both threads and OtlpReceiver::counters().
struct ReceiverShared
{
    std::atomic<qint64> requests {0};
    std::atomic<qint64> records {0};
    std::atomic<qint64> duplicates {0};
    std::atomic<qint64> notLlm {0};
    std::atomic<qint64> rejected {0};
    std::atomic<qint64> badRequests {0};
    std::atomic<qint64> failedRequests {0};
    std::atomic<qint64> logRequests {0};
    std::atomic<qint64> events {0};
    std::atomic<qint64> rejectedLogRecords {0};
    std::atomic<qint64> completed {0};
    std::atomic<qint64> eventsDropped {0};
    /// Records and spans decoded but not yet committed; over a limit new requests get 503.
    std::atomic<qint64> pending {0};
};

/// One decoded request on its way to the store.
struct ReceiverJob
{
    quint64 connection = 0;
    OtlpEncoding encoding = OtlpEncoding::Json;
    bool logs = false; ///< POST /v1/logs: GenAI events instead of records and spans
    QList<LogRecord> records;
    QList<TraceSpan> spans;
    QList<JoinableEvent> events;
    qint64 itemCount = 0; ///< spans (log records) in the request, rejected ones included
    qint64 rejected = 0;
    QStringList problems;

    qint64 items() const { return records.size() + spans.size() + events.size(); }
};

class ReceiverWriter;

/// The socket thread: accepts connections, parses HTTP, routes, gunzips and decodes bodies,
/// runs the OTLP/JSON trace reader, hands jobs to the writer and sends its answers.
class ReceiverIo final : public QObject
{
    Q_OBJECT

public:
    ReceiverIo(QTcpServer *server, const OtlpReceiverOptions &options,
               std::shared_ptr<ReceiverShared> shared, QString source);
    ~ReceiverIo() override;
    void setWriter(ReceiverWriter *writer) { m_writer = writer; }

    /// In the socket thread: closes the server and every connection, then quits the thread.
    void shutdown();
    /// In the socket thread: the store's answer to the request of `connection`.
    void answer(quint64 connection, const ts::HttpResponse &response);

private:
    void accept();
    void handle(quint64 connection, const IncomingRequest &request);
    /// POST /v1/traces or /v1/logs; `deferred` when the writer answers once it committed.
    HttpResponse handleExport(quint64 connection, const IncomingRequest &request, bool &deferred);
    /// Decodes a traces body into `job`; an error response when it is not OTLP.
    std::optional<HttpResponse> readTraces(const QByteArray &body, ReceiverJob &job);
    std::optional<HttpResponse> readLogs(const QByteArray &body, ReceiverJob &job);

    QTcpServer *m_server = nullptr;
    OtlpReceiverOptions m_options;
    std::shared_ptr<ReceiverShared> m_shared;
    QString m_source;
    ReceiverWriter *m_writer = nullptr;
    QHash<quint64, HttpConnection *> m_connections;
    quint64 m_nextConnection = 1;
};

/// The store thread: commits the jobs that arrived while the previous batch was being written
/// in one transaction (one savepoint per request), keeps the log_imports row current, and
/// answers each request once its records are committed. GenAI log events complete the record
/// of their span when it is stored, and wait in memory for it when it is not yet.
class ReceiverWriter final : public QObject
{
    Q_OBJECT

public:
    ReceiverWriter(Database db, qint64 importId, std::shared_ptr<ReceiverShared> shared);
    ~ReceiverWriter() override;
    void setIo(ReceiverIo *io) { m_io = io; }

    /// In the store thread: queues a job; it is committed with the next batch.
    void enqueue(std::shared_ptr<ReceiverJob> job);
    /// In the store thread: commits what is queued, marks the session completed, closes the
    /// connection and quits the thread.
    void finish();

Q_SIGNALS:
    void batchStored(const ts::OtlpBatch &batch);
    void storeFailed(const ts::Error &error);

private:
    void drain();
    /// Stores one job in the current savepoint; the ids of records completed by its events go
    /// to `completed`, keys of events now waiting to `held`, events taken from waiting to
    /// `taken` (given back if the batch fails).
    Result<LogAddResult> store(const ReceiverJob &job, QList<qint64> &completed, QStringList &held,
                               QHash<QString, QList<nlohmann::json>> &taken);
    /// Undoes what a job or batch that was not committed did to the events kept in memory.
    void undo(const QStringList &held, QHash<QString, QList<nlohmann::json>> &taken);

    Database m_db;
    PendingGenAiEvents m_pending; ///< events whose span is not stored yet
    /// Events already applied to stored records, for the ones that follow them.
    PendingGenAiEvents m_joined;
    std::unique_ptr<LogStore> m_store;
    qint64 m_importId = 0;
    LogStore::ImportCounts m_counts;
    std::shared_ptr<ReceiverShared> m_shared;
    ReceiverIo *m_io = nullptr;
    QList<std::shared_ptr<ReceiverJob>> m_queue;
    bool m_drainPosted = false;
};

} // namespace ts::detail
