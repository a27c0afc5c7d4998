#include "cli.h"

#include "logs/receiver/otlpreceiver.h"
#include "monitorhook.h"
#include "storage/project.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QSet>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <unistd.h>

namespace ts::cli {

namespace {

int stopPipe[2] = {-1, -1};

void onStopSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(stopPipe[1], &byte, 1);
}

QString count(qint64 n, const char *singular, const char *plural)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? singular : plural));
}

/// "+3 records, 1 duplicate, 2 not LLM calls" (parts that are zero left out; records always
/// when traces came).
QString batchLine(const OtlpBatch &b)
{
    QStringList parts;
    if (b.requests || !b.logRequests)
        parts << QStringLiteral("+") + count(b.records, "record", "records");
    if (b.duplicates)
        parts << count(b.duplicates, "duplicate", "duplicates");
    if (b.notLlm)
        parts << count(b.notLlm, "span that is not an LLM call", "spans that are not LLM calls");
    if (b.rejected)
        parts << count(b.rejected, "rejected span", "rejected spans");
    if (b.rejectedLogRecords)
        parts << count(b.rejectedLogRecords, "rejected log record", "rejected log records");
    if (b.events)
        parts << count(b.events, "GenAI event", "GenAI events");
    if (!b.completedIds.isEmpty()) {
        const qsizetype records = QSet<qint64>(b.completedIds.begin(), b.completedIds.end()).size();
        parts << count(records, "record completed by its events",
                       "records completed by their events");
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

int runCollect(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Receive OpenTelemetry traces over OTLP/HTTP (POST /v1/traces, JSON or protobuf, gzip "
        "or not) and store the LLM calls in the project as they arrive; GenAI message events "
        "sent as logs (POST /v1/logs) complete the calls they belong to. Point an application's "
        "exporter at it, e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318. Ctrl+C stops "
        "and prints a summary."));
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file."));
    p.addOptions({
        {QStringLiteral("host"),
         QStringLiteral("Address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 "
                        "for every interface)."),
         QStringLiteral("H"), QStringLiteral("127.0.0.1")},
        {QStringLiteral("port"),
         QStringLiteral("Port to listen on (default 4318, the OTLP/HTTP port; 0 for any free "
                        "port)."),
         QStringLiteral("P"), QStringLiteral("4318")},
    });
    const QString help = QStringLiteral("collect");
    if (int code = parseOrExit(p, args, help, 1, 1); code >= 0)
        return code;
    bool ok = false;
    const uint port = p.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port > 65535)
        return usageError(QStringLiteral("--port must be a number from 0 to 65535"), help);

    auto project = Project::open(p.positionalArguments().at(0));
    if (!project)
        return report(project.error());

    OtlpReceiverOptions options;
    options.host = p.value(QStringLiteral("host"));
    options.port = quint16(port);
    OtlpReceiver receiver;
    if (auto started = receiver.start(*project, options); !started) {
        if (started.error().code == ErrorCode::Network)
            err(QStringLiteral("touchstone-cli: %1\nChoose another port with --port.\n")
                    .arg(started.error().message));
        return started.error().code == ErrorCode::Network ? Failure : report(started.error());
    }
    out(QStringLiteral("Receiving OTLP/HTTP traces on %1 (and GenAI events on %2/v1/logs) — "
                       "Ctrl+C to stop\n")
            .arg(receiver.endpoint(), receiver.baseUrl()));

    // One line per second at most: at a few batches a second that is one per batch, under a
    // steady stream a running summary.
    OtlpBatch pending;
    std::optional<qint64> monitorFrom;
    QTimer printer;
    printer.setInterval(1000);
    auto flush = [&] {
        if (pending.requests == 0 && pending.logRequests == 0)
            return;
        const OtlpReceiverCounters total = receiver.counters();
        out(QStringLiteral("%1  %2 (%3 stored)\n")
                .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")),
                     batchLine(pending), count(total.records, "record", "records")));
        pending = OtlpBatch();
        // Monitors check the records stored since the last line (at most once a second).
        if (monitorFrom) {
            nlohmann::json entries = nlohmann::json::array();
            QStringList lines;
            monitorAfterImport(project->db(), entries, lines, monitorFrom);
            monitorFrom.reset();
            for (const QString &line : std::as_const(lines))
                out(line);
        }
    };
    QObject::connect(&printer, &QTimer::timeout, &receiver, [&] {
        if (pending.requests == 0 && pending.logRequests == 0)
            printer.stop(); // quiet again: the next batch prints at once
        flush();
    });
    QObject::connect(&receiver, &OtlpReceiver::batchStored, &receiver, [&](const OtlpBatch &b) {
        pending.requests += b.requests;
        pending.records += b.records;
        pending.duplicates += b.duplicates;
        pending.notLlm += b.notLlm;
        pending.rejected += b.rejected;
        pending.logRequests += b.logRequests;
        pending.rejectedLogRecords += b.rejectedLogRecords;
        pending.events += b.events;
        pending.completedIds += b.completedIds;
        if (!b.ids.isEmpty())
            monitorFrom = std::min(monitorFrom.value_or(b.ids.first()), b.ids.first());
        if (!printer.isActive()) {
            flush();
            printer.start();
        }
    });
    QObject::connect(&receiver, &OtlpReceiver::storeFailed, &receiver, [](const Error &e) {
        err(QStringLiteral("touchstone-cli: %1 (the senders were asked to retry)\n")
                .arg(e.message));
    });

    QEventLoop loop;
    if (stopPipe[0] < 0 && ::pipe(stopPipe) == 0) {
        std::signal(SIGINT, onStopSignal);
        std::signal(SIGTERM, onStopSignal);
    }
    QSocketNotifier notifier(stopPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&] {
        char byte;
        [[maybe_unused]] auto n = ::read(stopPipe[0], &byte, 1);
        loop.quit();
    });
    loop.exec();

    receiver.stop();
    // Batches committed while stopping were queued to this thread; print them with the rest.
    QCoreApplication::processEvents();
    flush();
    const OtlpReceiverCounters c = receiver.counters();
    out(QStringLiteral("Stopped. %1 stored, %2 skipped, %3, %4.\n")
            .arg(count(c.records, "record", "records"),
                 count(c.duplicates, "duplicate", "duplicates"),
                 count(c.notLlm, "span that is not an LLM call", "spans that are not LLM calls"),
                 count(c.rejected, "rejected span", "rejected spans")));
    if (c.logRequests)
        out(QStringLiteral("%1 received (%2); %3 of records stored before them, %4 dropped "
                           "waiting for their span.\n")
                .arg(count(c.events, "GenAI event", "GenAI events"),
                     count(c.rejectedLogRecords, "rejected log record", "rejected log records"),
                     count(c.completed, "completion", "completions"))
                .arg(c.eventsDropped));
    if (c.badRequests || c.failedRequests)
        out(QStringLiteral("%1 refused (not OTLP), %2 failed to store.\n")
                .arg(count(c.badRequests, "request", "requests"))
                .arg(c.failedRequests));
    return Ok;
}

} // namespace ts::cli
