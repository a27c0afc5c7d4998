#pragma once

#include <QObject>

namespace ts {

class AnnotateController;
class AnnotateView;
class AppSettings;
class MainWindow;
class ProjectSession;

/// The Annotate section as the workbench installs it: its controller (labeling as the
/// annotator from the settings), its page and the Annotate menu.
class AnnotateSection final : public QObject
{
    Q_OBJECT

public:
    AnnotateSection(ProjectSession &session, AppSettings &settings, QObject *parent = nullptr);
    ~AnnotateSection() override;

    /// Adds the "Annotate" section (the window takes the page) and the Annotate menu.
    void install(MainWindow *window);

    AnnotateController &controller() const { return *m_controller; }
    /// The page (created on first call).
    AnnotateView *view();

private:
    AppSettings &m_settings;
    AnnotateController *m_controller = nullptr;
    AnnotateView *m_view = nullptr;
};

} // namespace ts
