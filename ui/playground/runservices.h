#pragma once

#include <QObject>

namespace ts {

class GenerationWriter;
class NetworkClient;
class ProjectSession;
class RunEngine;
struct ProjectInfo;

/// The run engine of the open project: one GenerationWriter (its own thread and connection)
/// and one RunEngine over the process's NetworkClient. Created when a project opens; when it
/// closes, the writer is retired: it flushes, then goes away without the UI waiting on it.
class RunServices final : public QObject
{
    Q_OBJECT

public:
    explicit RunServices(ProjectSession &session, NetworkClient *network = nullptr,
                         QObject *parent = nullptr);
    ~RunServices() override;

    /// Null while no project is open.
    RunEngine *engine() const { return m_engine; }
    GenerationWriter *writer() const { return m_writer; }
    NetworkClient *network() const { return m_network; }

Q_SIGNALS:
    /// A new engine is ready (project opened) or gone (`engine` null).
    void engineChanged(ts::RunEngine *engine);
    /// About to retire the engine: stop the jobs now, their last writes still land.
    void engineRetiring();
    void writeFailed(const QString &message);

private:
    void open(const ProjectInfo &info);
    void retire();

    ProjectSession &m_session;
    NetworkClient *m_network = nullptr;
    GenerationWriter *m_writer = nullptr;
    RunEngine *m_engine = nullptr;
};

} // namespace ts
