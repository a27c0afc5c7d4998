#include "logs/receiver/otlpreceiver.h"

#include "logs/logstore.h"
#include "logs/receiver/receiverworkers.h"
#include "storage/project.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QThread>

namespace ts {

namespace {

QString hostForUrl(const QString &host)
{
    return host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
}

} // namespace

OtlpReceiver::OtlpReceiver(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<ts::OtlpBatch>();
    qRegisterMetaType<ts::Error>();
}

OtlpReceiver::~OtlpReceiver()
{
    stop();
}

Result<void> OtlpReceiver::start(const Project &project, const OtlpReceiverOptions &options)
{
    if (m_running)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Already receiving traces on %1.").arg(endpoint()));
    const QString host = options.host.trimmed();
    QHostAddress address;
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("\"%1\" is not an IP address; use 127.0.0.1 (this machine "
                                   "only), ::1, or 0.0.0.0 (every interface).")
                        .arg(host));

    auto server = std::make_unique<QTcpServer>();
    if (!server->listen(address, options.port)) {
        const QString where = QStringLiteral("%1:%2").arg(hostForUrl(host)).arg(options.port);
        if (server->serverError() == QAbstractSocket::AddressInUseError)
            return fail(ErrorCode::Network,
                        QStringLiteral("Cannot listen on %1: the port is already in use by "
                                       "another program (or another collector).")
                            .arg(where));
        return fail(ErrorCode::Network,
                    QStringLiteral("Cannot listen on %1: %2.").arg(where, server->errorString()));
    }
    const quint16 port = server->serverPort();
    const QString source = QStringLiteral("otlp-http://%1:%2").arg(hostForUrl(host)).arg(port);

    auto db = project.openConnection();
    if (!db)
        return fail(db.error());
    // As the project's main connection: WAL with synchronous=NORMAL commits without an fsync.
    if (auto ok = db->exec(QStringLiteral("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = %1")
                               .arg(std::max(0, options.storeBusyTimeoutMs)));
        !ok)
        return fail(ok.error());
    auto importId = LogStore(*db).beginImport(source, QStringLiteral("otlp"));
    if (!importId)
        return fail(importId.error());

    m_shared = std::make_shared<detail::ReceiverShared>();
    OtlpReceiverOptions effective = options;
    effective.port = port;
    m_io = new detail::ReceiverIo(server.release(), effective, m_shared, source);
    m_writer = new detail::ReceiverWriter(std::move(*db), *importId, m_shared);
    m_io->setWriter(m_writer);
    m_writer->setIo(m_io);
    connect(m_writer, &detail::ReceiverWriter::batchStored, this, &OtlpReceiver::onBatchStored);
    connect(m_writer, &detail::ReceiverWriter::storeFailed, this, &OtlpReceiver::storeFailed);

    m_ioThread = new QThread(this);
    m_ioThread->setObjectName(QStringLiteral("otlp-receiver-io"));
    m_writerThread = new QThread(this);
    m_writerThread->setObjectName(QStringLiteral("otlp-receiver-store"));
    // The listening socket moves with its owner; its notifier re-registers in the new thread.
    m_io->moveToThread(m_ioThread);
    m_writer->moveToThread(m_writerThread);
    m_writerThread->start();
    m_ioThread->start();

    m_running = true;
    m_host = host;
    m_port = port;
    m_importId = *importId;
    return {};
}

void OtlpReceiver::stop()
{
    if (!m_running)
        return;
    m_running = false;
    // Sockets first, so nothing new reaches the store; then the store commits what it holds.
    QMetaObject::invokeMethod(m_io, &detail::ReceiverIo::shutdown, Qt::QueuedConnection);
    m_ioThread->wait();
    QMetaObject::invokeMethod(m_writer, &detail::ReceiverWriter::finish, Qt::QueuedConnection);
    m_writerThread->wait();
    delete m_io;
    m_io = nullptr;
    delete m_writer;
    m_writer = nullptr;
    delete m_ioThread;
    m_ioThread = nullptr;
    delete m_writerThread;
    m_writerThread = nullptr;
}

QString OtlpReceiver::endpoint() const
{
    return baseUrl() + QStringLiteral("/v1/traces");
}

QString OtlpReceiver::baseUrl() const
{
    return QStringLiteral("http://%1:%2").arg(hostForUrl(m_host)).arg(m_port);
}

OtlpReceiverCounters OtlpReceiver::counters() const
{
    OtlpReceiverCounters c;
    if (!m_shared)
        return c;
    c.requests = m_shared->requests.load();
    c.records = m_shared->records.load();
    c.duplicates = m_shared->duplicates.load();
    c.notLlm = m_shared->notLlm.load();
    c.rejected = m_shared->rejected.load();
    c.badRequests = m_shared->badRequests.load();
    c.failedRequests = m_shared->failedRequests.load();
    c.logRequests = m_shared->logRequests.load();
    c.events = m_shared->events.load();
    c.rejectedLogRecords = m_shared->rejectedLogRecords.load();
    c.completed = m_shared->completed.load();
    c.eventsDropped = m_shared->eventsDropped.load();
    return c;
}

void OtlpReceiver::onBatchStored(const OtlpBatch &batch)
{
    Q_EMIT batchStored(batch);
    if (batch.records > 0)
        Q_EMIT recordsStored(batch.records, batch.ids);
    if (!batch.completedIds.isEmpty())
        Q_EMIT recordsCompleted(batch.completedIds);
}

} // namespace ts
