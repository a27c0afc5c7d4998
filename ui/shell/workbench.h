#pragma once

#include <QObject>

#include <memory>

namespace ts {

class AnnotateSection;
class AppSettings;
class EvalsSections;
class HistoryController;
class InsightsSection;
class LogsSection;
class MainWindow;
class Playground;
class ProjectController;
class ProjectSession;
class PromptsController;
class PromptsSection;

/// Builds the desktop app: the session with its worker thread, the controllers, the window and
/// its sections. New sections (the Playground) are added in installSections().
class Workbench final : public QObject
{
    Q_OBJECT

public:
    /// `settings` outlives the workbench.
    explicit Workbench(AppSettings &settings, QObject *parent = nullptr);
    ~Workbench() override;

    /// Shows the window and opens `file`, the demo, or the last project (see ProjectController).
    void start(const QString &file, bool demo);

    MainWindow *window() const { return m_window.get(); }
    ProjectSession &session() const { return *m_session; }
    ProjectController &projects() const { return *m_projects; }
    PromptsController &prompts() const { return *m_prompts; }
    HistoryController &history() const { return *m_history; }
    PromptsSection *promptsSection() const { return m_promptsSection; }
    Playground *playground() const { return m_playground.get(); }
    EvalsSections *evals() const { return m_evals.get(); }
    LogsSection *logs() const { return m_logs.get(); }
    AnnotateSection *annotate() const { return m_annotate.get(); }
    InsightsSection *insights() const { return m_insights.get(); }

private:
    void installSections();
    void installPromptMenu();
    void installPaletteSources();

    AppSettings &m_settings;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<ProjectController> m_projects;
    std::unique_ptr<PromptsController> m_prompts;
    std::unique_ptr<HistoryController> m_history;
    std::unique_ptr<Playground> m_playground; // after the controllers it uses, before the window
    std::unique_ptr<EvalsSections> m_evals; // uses the playground's run services
    std::unique_ptr<LogsSection> m_logs;
    std::unique_ptr<AnnotateSection> m_annotate;
    std::unique_ptr<InsightsSection> m_insights;
    std::unique_ptr<MainWindow> m_window;
    PromptsSection *m_promptsSection = nullptr;
};

} // namespace ts
