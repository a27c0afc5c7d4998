#pragma once

#include <QObject>

namespace ts {

class LogsController;
class LogsView;
class MainWindow;
class ProjectSession;

/// The Logs section as the workbench installs it: its controller over the session, its page,
/// and the Logs menu (Import Logs…, Receive Traces, Add to Dataset…, Find).
class LogsSection final : public QObject
{
    Q_OBJECT

public:
    explicit LogsSection(ProjectSession &session, QObject *parent = nullptr);
    ~LogsSection() override;

    /// Adds the "Logs" section (the window takes the page) and the Logs menu.
    void install(MainWindow *window);

    LogsController &controller() const { return *m_controller; }
    /// The page (created on first call).
    LogsView *view();

private:
    LogsController *m_controller = nullptr;
    LogsView *m_view = nullptr;
};

} // namespace ts
