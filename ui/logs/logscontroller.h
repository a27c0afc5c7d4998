#pragma once

#include "common/error.h"
#include "datasets/datasetstore.h"
#include "logs/logimportjob.h"
#include "logs/logrecord.h"
#include "logs/todataset/logstodataset.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <optional>

class QTimer;

namespace ts {

class LogTableModel;
class OtlpReceiver;
class ProjectSession;

/// What the filter menus offer: the values stored in the project.
struct LogChoices
{
    QStringList models;
    QStringList prompts;
    QStringList sources;
};

/// One record as the detail pane shows it, with the spans of its trace.
struct LogDetail
{
    LogRecord record;
    QList<TraceSpan> spans;
};

/// What "Add to dataset" offers: the datasets and the prompt versions ("name@3").
struct DatasetTargets
{
    QList<DatasetInfo> datasets;
    struct Prompt
    {
        QString name;
        struct Version
        {
            QString reference; ///< "name@N"
            QString label; ///< "name v3 (production)"
        };
        QList<Version> versions; ///< newest first
    };
    QList<Prompt> prompts;
};

/// The Logs section's state over the session: the table model and its filter, the record in
/// the detail pane, a running import, and adding records to a dataset. Disk work runs on the
/// session's worker thread, an import on a thread of its own.
class LogsController final : public QObject
{
    Q_OBJECT

public:
    explicit LogsController(ProjectSession &session, QObject *parent = nullptr);
    ~LogsController() override;

    ProjectSession &session() const { return m_session; }
    LogTableModel *model() const { return m_model; }
    const LogChoices &choices() const { return m_choices; }

    void setFilter(const LogFilter &filter);
    /// Reads new records into the table and the filter menus (after an import or arrivals).
    void refresh();
    void reloadChoices();

    /// Loads a record for the detail pane; recordLoaded() follows. While one load runs, only
    /// the latest request is kept, so holding the arrow key down does not queue up reads.
    void loadRecord(qint64 id);
    qint64 shownRecordId() const { return m_shown; }

    /// Imports log files on a thread of its own; importStarted() and importFinished() follow.
    /// False (with errorOccurred) when no project is open or an import is running.
    bool importFiles(const QStringList &files);
    LogImportJob *importJob() const { return m_import; }

    /// Starts the OTLP/HTTP receiver on 127.0.0.1:`port` into the open project; receivingChanged()
    /// follows, or errorOccurred() when the port cannot be bound. Arriving records show in the
    /// table within a second.
    void startReceiving(quint16 port);
    void stopReceiving();
    bool isReceiving() const;
    /// "http://127.0.0.1:4318/v1/traces" while receiving.
    QString receiverEndpoint() const;
    /// LLM calls stored since the receiver started.
    qint64 receivedRecords() const { return m_received; }
    bool isStartingReceiver() const { return m_startingReceiver; }

    void loadDatasetTargets(QObject *context, std::function<void(Result<DatasetTargets>)> done);
    /// Adds the selected records to a dataset (creating it when asked).
    void addToDataset(const LogSelection &selection, const LogsToDatasetOptions &options,
                      QObject *context, std::function<void(Result<LogsToDatasetSummary>)> done);

Q_SIGNALS:
    void choicesChanged();
    void recordLoaded(const ts::LogDetail &detail);
    void recordCleared();
    void receivingChanged(bool receiving);
    /// Records arrived through the receiver (the total since it started).
    void recordsReceived(qint64 total);
    void importStarted(ts::LogImportJob *job);
    /// The import ended; importJob()->result() says how.
    void importFinished();
    /// Cases were added to a dataset (other sections reread their datasets when shown).
    void casesAdded(const ts::LogsToDatasetSummary &summary);
    void errorOccurred(const QString &message);
    void notice(const QString &message);

private:
    void startLoad(qint64 id);
    void projectOpened();
    void projectClosed();

    ProjectSession &m_session;
    LogTableModel *m_model = nullptr;
    LogChoices m_choices;
    QPointer<LogImportJob> m_import;
    QTimer *m_importRefresh = nullptr;
    OtlpReceiver *m_receiver = nullptr;
    QTimer *m_arrivals = nullptr;
    qint64 m_received = 0;
    bool m_startingReceiver = false;
    qint64 m_shown = 0;
    std::optional<qint64> m_pendingLoad;
    bool m_loading = false;
    quint64 m_loadGeneration = 0;
};

} // namespace ts
