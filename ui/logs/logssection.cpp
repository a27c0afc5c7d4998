#include "logs/logssection.h"

#include "logs/logscontroller.h"
#include "logs/logsview.h"
#include "logs/receiverpanel.h"
#include "shell/mainwindow.h"

#include <QAction>
#include <QMenu>
#include <QStyle>

namespace ts {

LogsSection::LogsSection(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_controller(new LogsController(session, this))
{
}

LogsSection::~LogsSection() = default;

LogsView *LogsSection::view()
{
    if (!m_view)
        m_view = new LogsView(*m_controller);
    return m_view;
}

void LogsSection::install(MainWindow *window)
{
    window->addSection(QStringLiteral("logs"), tr("Logs"),
                       window->style()->standardIcon(QStyle::SP_FileDialogInfoView), view());
    window->rememberSplitter(QStringLiteral("logs/main"), m_view->splitter());

    QMenu *menu = window->menu(tr("&Logs"));
    LogsView *view = m_view;
    auto inLogs = [window](auto action) {
        return [window, action] {
            window->showSection(QStringLiteral("logs"));
            action();
        };
    };
    QAction *import
        = menu->addAction(tr("&Import Logs…"), view, inLogs([view] { view->importLogs(); }));
    import->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    QAction *receive = menu->addAction(tr("&Receive Traces"));
    receive->setCheckable(true);
    connect(receive, &QAction::triggered, view, [window, view](bool on) {
        window->showSection(QStringLiteral("logs"));
        view->receiver()->toggle()->setChecked(on);
    });
    connect(m_controller, &LogsController::receivingChanged, receive, &QAction::setChecked);
    menu->addAction(tr("&Add to Dataset…"), view, inLogs([view] { view->addToDataset(); }));
    menu->addSeparator();
    menu->addAction(tr("&Search Logs"), view, inLogs([view] { view->focusSearch(); }))
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
}

} // namespace ts
