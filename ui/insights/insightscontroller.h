#pragma once

#include "common/error.h"
#include "insights/drift.h"
#include "insights/evalcharts.h"
#include "logs/logrecord.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace ts {

class EvalResults;
class ProjectSession;
struct EvalListEntry;

/// What the drift pickers offer: datasets, prompt versions to render them with ("name@3"),
/// and the time span of the stored logs.
struct DriftChoices
{
    QStringList datasets;
    QStringList promptVersions; ///< newest first within a prompt
    std::optional<qint64> firstLogMs;
    std::optional<qint64> lastLogMs;
    qint64 logCount = 0;
};

/// An eval with its charts, loaded together so that click-through can name the cases.
struct LoadedEvalCharts
{
    std::shared_ptr<const EvalResults> results;
    EvalCharts charts;
};

/// The Insights section's access to the project: evals and their chart data, drift choices and
/// records. Everything runs on the session's worker thread; callbacks arrive on the UI thread
/// while `context` lives.
class InsightsController final : public QObject
{
    Q_OBJECT

public:
    explicit InsightsController(ProjectSession &session, QObject *parent = nullptr);

    ProjectSession &session() const { return m_session; }

    void listEvals(QObject *context, std::function<void(Result<QList<EvalListEntry>>)> done);
    void loadEvalCharts(qint64 evalId, int baseline, QObject *context,
                        std::function<void(Result<LoadedEvalCharts>)> done);
    void loadDriftChoices(QObject *context, std::function<void(Result<DriftChoices>)> done);
    /// Log records by id, in the order given (ids not stored are left out).
    void loadRecords(const QList<qint64> &ids, QObject *context,
                     std::function<void(Result<QList<LogRecord>>)> done);

Q_SIGNALS:
    /// A project was opened or closed: pickers and charts start over.
    void projectChanged();

private:
    ProjectSession &m_session;
};

} // namespace ts
