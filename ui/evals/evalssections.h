#pragma once

#include <QObject>

#include <functional>

namespace ts {

class DatasetsController;
class DatasetsView;
class EvalsController;
class EvalsView;
class MainWindow;
class ProjectSession;
class RunServices;

/// The Datasets and Evals sections as the workbench installs them: their controllers over
/// the session and the run services of the open project, and their pages.
class EvalsSections final : public QObject
{
    Q_OBJECT

public:
    EvalsSections(ProjectSession &session, RunServices &services, QObject *parent = nullptr);
    ~EvalsSections() override;

    /// Adds the "Datasets" and "Evals" sections (the window takes the pages) and the Eval menu.
    void install(MainWindow *window);

    DatasetsController &datasets() const { return *m_datasets; }
    EvalsController &evals() const { return *m_evals; }
    /// The pages (created on first call).
    DatasetsView *datasetsView();
    EvalsView *evalsView();

    /// For screenshots: selects the first case in Datasets, then runs the newest two versions
    /// of the prompt with the most versions on up to two models served from 127.0.0.1 over
    /// the largest dataset, and shows a failing cell beside its baseline. `done` gets an
    /// error message, or an empty string once the results are on screen.
    void runDemoEval(QObject *context, std::function<void(const QString &error)> done);

private:
    DatasetsController *m_datasets = nullptr;
    EvalsController *m_evals = nullptr;
    DatasetsView *m_datasetsView = nullptr;
    EvalsView *m_evalsView = nullptr;
};

} // namespace ts
