#pragma once

#include <QObject>

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

private:
    DatasetsController *m_datasets = nullptr;
    EvalsController *m_evals = nullptr;
    DatasetsView *m_datasetsView = nullptr;
    EvalsView *m_evalsView = nullptr;
};

} // namespace ts
