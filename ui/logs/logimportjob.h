#pragma once

#include "common/error.h"
#include "logs/logimporter.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

class QThread;

namespace ts {

/// One import of log files into a project, run by LogImporter on a thread of its own with its
/// own connection (so the project's worker stays free to page through the table meanwhile).
/// Progress reaches the UI thread at most ten times a second; cancel() stops the importer
/// between batches, and what it committed stays.
class LogImportJob final : public QObject
{
    Q_OBJECT

public:
    LogImportJob(QString projectPath, QStringList files, QObject *parent = nullptr);
    ~LogImportJob() override;

    /// Starts the import; finished() follows exactly once.
    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    bool isCancelling() const { return m_cancel && m_cancel->load(); }
    QStringList files() const { return m_files; }

    /// Bytes read and the size of all files, as last reported.
    qint64 bytesDone() const { return m_done; }
    qint64 bytesTotal() const { return m_total; }
    /// Seconds left at the rate so far; -1 until it can be estimated.
    int secondsLeft() const;
    /// How the import ended; valid once finished() was emitted.
    const Result<LogImportSummary> &result() const { return m_result; }

Q_SIGNALS:
    void progressed(qint64 done, qint64 total);
    /// The import ended (see result()).
    void finished();

private:
    QString m_path;
    QStringList m_files;
    QThread *m_thread = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QElapsedTimer m_clock;
    qint64 m_done = 0;
    qint64 m_total = 0;
    bool m_running = false;
    Result<LogImportSummary> m_result;
};

} // namespace ts
