#include "playground/playground.h"

#include "common/messagebar.h"
#include "playground/modelcatalog.h"
#include "playground/modelsdialog.h"
#include "playground/playgroundcontroller.h"
#include "playground/playgroundview.h"
#include "playground/runservices.h"
#include "shell/mainwindow.h"

#include <QAction>
#include <QMenu>
#include <QPointer>
#include <QStatusBar>

namespace ts {

Playground::Playground(ProjectSession &session, PromptsController &prompts, QObject *parent)
    : QObject(parent)
    , m_services(new RunServices(session, nullptr, this))
    , m_catalog(new ModelCatalog(session, this))
    , m_controller(new PlaygroundController(session, prompts, *m_services, *m_catalog, this))
    , m_prompts(prompts)
{}

Playground::~Playground()
{
    // Jobs stop before the writer they report to goes away.
    delete m_controller;
    m_controller = nullptr;
}

PlaygroundView *Playground::view()
{
    if (!m_view) {
        m_view = new PlaygroundView(*m_controller, m_prompts);
        connect(m_view, &PlaygroundView::manageModelsRequested, this, [this] { showModelsDialog(m_view->window()); });
    }
    return m_view;
}

void Playground::installMenu(MainWindow *window)
{
    PlaygroundView *page = view();
    // Keeps the menu bar in section order (File, Prompt, Playground) whichever installs first.
    window->menu(tr("&Prompt"));
    QMenu *menu = window->menu(tr("P&layground"));
    QAction *run = page->runAction();
    menu->addAction(run);
    menu->addAction(page->stopAction());
    menu->addSeparator();
    menu->addAction(tr("&Models…"), this, [this, window] { showModelsDialog(window); });
    // Ctrl+Enter works from the editor too: it switches to the playground and runs.
    connect(run, &QAction::triggered, window, [window] { window->showSection(QStringLiteral("playground")); });

    QPointer<MainWindow> w(window);
    connect(page, &PlaygroundView::statusMessage, window, [w](const QString &message) {
        if (message.isEmpty())
            w->statusBar()->clearMessage();
        else
            w->statusBar()->showMessage(message, 8000);
    });
    auto showError = [w](const QString &message) {
        if (w)
            w->messageBar()->showMessage(MessageBar::Kind::Error, message);
    };
    connect(m_catalog, &ModelCatalog::errorOccurred, window, showError);
    connect(m_services, &RunServices::writeFailed, window, showError);
}

ModelsDialog *Playground::showModelsDialog(QWidget *parent)
{
    if (!m_dialog) {
        m_dialog = new ModelsDialog(*m_catalog, *m_services, parent);
        m_dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_dialog, &QObject::destroyed, this, [this] { m_dialog = nullptr; });
    }
    m_dialog->show();
    m_dialog->raise();
    m_dialog->activateWindow();
    return m_dialog;
}

} // namespace ts
