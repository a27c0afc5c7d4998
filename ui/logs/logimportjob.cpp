#include "logs/logimportjob.h"

#include "insights/monitor.h"
#include "storage/database.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

namespace ts {

namespace {
// Progress reaches the UI at most this often, "to not stall the GUI".
constexpr qint64 progressIntervalMs = 100;
} // namespace

LogImportJob::LogImportJob(QString projectPath, QStringList files, QObject *parent)
    : QObject(parent)
    , m_path(std::move(projectPath))
    , m_files(std::move(files))
    , m_cancel(std::make_shared<std::atomic_bool>(false))
    , m_result(fail(ErrorCode::Unknown, tr("The import has not finished.")))
{
}

LogImportJob::~LogImportJob()
{
    if (m_thread) {
        m_cancel->store(true);
        m_thread->wait();
        delete m_thread;
    }
}

void LogImportJob::start()
{
    if (m_thread)
        return;
    m_running = true;
    m_clock.start();
    auto result = std::make_shared<Result<LogImportSummary>>(
        fail(ErrorCode::Unknown, tr("The import did not run.")));
    QPointer<LogImportJob> self(this);
    auto cancel = m_cancel;
    const QString path = m_path;
    const QStringList files = m_files;
    m_thread = QThread::create([self, cancel, path, files, result] {
        // Its own connection: the importer commits batches while the UI keeps reading.
        auto db = Database::open(path, Database::Access::ReadWrite, 30'000);
        if (!db) {
            *result = fail(db.error());
            return;
        }
        if (auto ok = db->exec(QStringLiteral("PRAGMA foreign_keys = ON")); !ok) {
            *result = fail(ok.error());
            return;
        }
        auto lastReport = std::make_shared<QElapsedTimer>();
        lastReport->start();
        LogImportOptions options;
        options.cancel = cancel.get();
        options.progress = [self, lastReport](qint64 done, qint64 total) {
            if (lastReport->elapsed() < progressIntervalMs && done < total)
                return;
            lastReport->restart();
            // `self` is checked on the UI thread, where the job lives and dies.
            QMetaObject::invokeMethod(
                qApp,
                [self, done, total] {
                    if (!self)
                        return;
                    self->m_done = done;
                    self->m_total = total;
                    Q_EMIT self->progressed(done, total);
                },
                Qt::QueuedConnection);
        };
        LogImporter importer(*db);
        *result = importer.run(files, options);
        // Monitors check what just arrived, as `logs import` does; their outcome is shown by
        // the Insights section, and a monitor error never undoes the import.
        if (*result && (*result)->imported > 0)
            (void)runAllMonitorAssertions(*db);
    });
    m_thread->setObjectName(QStringLiteral("touchstone-log-import"));
    connect(m_thread, &QThread::finished, this, [this, result] {
        m_running = false;
        m_result = *result;
        Q_EMIT finished();
    });
    m_thread->start();
}

void LogImportJob::cancel()
{
    m_cancel->store(true);
}

int LogImportJob::secondsLeft() const
{
    const qint64 elapsed = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (m_done <= 0 || m_total <= 0 || elapsed < 1000 || m_done >= m_total)
        return -1;
    const double rate = double(m_done) / double(elapsed); // bytes per ms
    return int((double(m_total - m_done) / rate) / 1000.0 + 0.5);
}

} // namespace ts
