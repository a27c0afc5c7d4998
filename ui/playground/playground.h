#pragma once

#include <QObject>

class QWidget;

namespace ts {

class MainWindow;
class ModelCatalog;
class ModelsDialog;
class PlaygroundController;
class PlaygroundView;
class ProjectSession;
class PromptsController;
class RunServices;

/// The Playground section as the workbench installs it: the run services of the open project,
/// the model catalog, the controller and its view, the Models dialog, and the Playground menu
/// (Run on All Models Ctrl+Enter, Stop Esc, Models…).
class Playground final : public QObject
{
    Q_OBJECT

public:
    Playground(ProjectSession &session, PromptsController &prompts, QObject *parent = nullptr);
    ~Playground() override;

    /// The section page (created on first call; the window takes ownership).
    PlaygroundView *view();
    /// Adds the Playground menu and routes errors and notes to the window.
    void installMenu(MainWindow *window);
    /// Opens the Models dialog (one at a time).
    ModelsDialog *showModelsDialog(QWidget *parent);

    RunServices &services() const { return *m_services; }
    ModelCatalog &catalog() const { return *m_catalog; }
    PlaygroundController &controller() const { return *m_controller; }

private:
    RunServices *m_services = nullptr;
    ModelCatalog *m_catalog = nullptr;
    PlaygroundController *m_controller = nullptr;
    PlaygroundView *m_view = nullptr;
    ModelsDialog *m_dialog = nullptr;
    PromptsController &m_prompts;
};

} // namespace ts
