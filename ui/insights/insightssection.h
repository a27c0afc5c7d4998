#pragma once

#include <QObject>

namespace ts {

class EvalsSections;
class InsightsController;
class InsightsView;
class LogsSection;
class MainWindow;
class ProjectSession;

/// The Insights section as the workbench installs it: eval charts and drift over the session,
/// with click-through to the Evals section (a case's cell) and the Logs section (a record), and
/// "add a sample of this topic to a dataset" through the Logs section's dialog.
class InsightsSection final : public QObject
{
    Q_OBJECT

public:
    explicit InsightsSection(ProjectSession &session, QObject *parent = nullptr);
    ~InsightsSection() override;

    /// Adds the "Insights" section and its menu. `evals` and `logs` (may be null) are where
    /// clicks lead.
    void install(MainWindow *window, EvalsSections *evals, LogsSection *logs);

    InsightsController &controller() const { return *m_controller; }
    InsightsView *view();

private:
    InsightsController *m_controller = nullptr;
    InsightsView *m_view = nullptr;
};

} // namespace ts
