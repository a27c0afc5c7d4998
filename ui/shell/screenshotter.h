#pragma once

#include <QObject>
#include <QString>

namespace ts {

class Workbench;

/// Drives the window for `touchstone --screenshot DIR`: once a project is open it selects a
/// prompt with history, grabs the editor to DIR/editor.png, selects two versions in the history
/// and grabs DIR/history.png, then the Playground: empty (DIR/playground-empty.png) and after
/// running that prompt on up to three models served from 127.0.0.1 (DIR/playground.png, e.g.
/// a touchstone-fake-server), Datasets (DIR/datasets.png) and an eval of that prompt on those
/// models (DIR/evals.png), the Logs section (DIR/logs.png), Annotate
/// (DIR/annotate-binary.png, DIR/annotate-pairwise.png, DIR/annotate.png), then quits (exit code 1
/// when something failed).
///
/// Only the demo project gets the runs (playground, eval, queues): on any other project the
/// screenshots show what is there (editor, history, empty playground, datasets, evals) and
/// start no work, since an eval over a user's dataset may mean 100,000 calls (issue 13).
class Screenshotter final : public QObject
{
    Q_OBJECT

public:
    Screenshotter(Workbench &workbench, const QString &directory, QObject *parent = nullptr);

private:
    void selectPrompt();
    void grabEditor();
    void grabEditorNow();
    void grabHistory();
    void grabPlayground();
    void runPlayground();
    void grabEvals();
    void grabStills();
    void grabInsights();
    void grabLogs();
    void grabAnnotate();
    bool grabTo(const QString &fileName);
    void finish(int code, const QString &message = {});

    Workbench &m_workbench;
    QString m_directory;
    QString m_lastShot; ///< the newest file written, for the time-out message
    bool m_selected = false;
};

} // namespace ts
