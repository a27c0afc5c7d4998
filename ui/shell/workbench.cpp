#include "shell/workbench.h"

#include "annotate/annotatecontroller.h"
#include "annotate/annotatesection.h"
#include "annotate/annotateview.h"
#include "annotate/queuelistmodel.h"
#include "common/appsettings.h"
#include "common/messagebar.h"
#include "common/projectsession.h"
#include "common/settingsdialog.h"
#include "evals/datasetscontroller.h"
#include "evals/evallistmodel.h"
#include "evals/evalscontroller.h"
#include "evals/evalssections.h"
#include "evals/evalsview.h"
#include "evals/newevaldialog.h"
#include "history/historycontroller.h"
#include "history/historyview.h"
#include "insights/insightssection.h"
#include "logs/logssection.h"
#include "playground/playground.h"
#include "playground/playgroundview.h"
#include "prompts/prompteditor.h"
#include "prompts/promptlistmodel.h"
#include "prompts/promptscontroller.h"
#include "prompts/promptssection.h"
#include "shell/commandpalette.h"
#include "shell/mainwindow.h"
#include "shell/projectcontroller.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QStatusBar>
#include <QStyle>

namespace ts {

namespace {

// Settings ▸ "New evals run up to": seeds every New Eval dialog as it first shows.
class NewEvalDefaults final : public QObject
{
public:
    NewEvalDefaults(AppSettings &settings, QObject *parent)
        : QObject(parent)
        , m_settings(settings)
    {
        qApp->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Show)
            if (auto *dialog = qobject_cast<NewEvalDialog *>(watched);
                dialog && !dialog->property("tsSeeded").toBool()) {
                dialog->setProperty("tsSeeded", true);
                dialog->setConcurrency(m_settings.defaultConcurrency());
            }
        return false;
    }

private:
    AppSettings &m_settings;
};

// Selects `row` of `model` in the first view under `page` that shows it (the view then does
// what a click would).
void selectInView(QWidget *page, QAbstractItemModel *model, int row)
{
    for (QAbstractItemView *view : page->findChildren<QAbstractItemView *>())
        if (view->model() == model && row >= 0 && row < model->rowCount()) {
            view->setCurrentIndex(model->index(row, 0));
            view->setFocus();
            return;
        }
}

} // namespace

Workbench::Workbench(AppSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_session(std::make_unique<ProjectSession>())
    , m_projects(std::make_unique<ProjectController>(*m_session, settings))
    , m_prompts(std::make_unique<PromptsController>(*m_session))
    , m_history(std::make_unique<HistoryController>(*m_session, *m_prompts))
    , m_window((SettingsDialog::apply(settings), // theme, author name, keychain, before any widget
                std::make_unique<MainWindow>(settings, *m_session, *m_projects)))
{
    installSections();
    installPromptMenu();
    installPaletteSources();
    new NewEvalDefaults(settings, this);

    MainWindow *w = m_window.get();
    auto showError = [w](const QString &message) { w->messageBar()->showMessage(MessageBar::Kind::Error, message); };
    auto showNotice = [w](const QString &message) { w->statusBar()->showMessage(message, 8000); };
    connect(m_prompts.get(), &PromptsController::errorOccurred, w, showError);
    connect(m_prompts.get(), &PromptsController::notice, w, showNotice);
    connect(m_history.get(), &HistoryController::errorOccurred, w, showError);
    connect(m_history.get(), &HistoryController::notice, w, showNotice);
    connect(m_prompts.get(), &PromptsController::dirtyChanged, w, &MainWindow::setUnsaved);
    connect(m_promptsSection, &PromptsSection::statusMessage, w, [w](const QString &message) {
        if (message.isEmpty())
            w->statusBar()->clearMessage();
        else
            w->statusBar()->showMessage(message);
    });
}

Workbench::~Workbench()
{
    // Write a pending draft while the session still runs, then tear down views before models.
    m_prompts->flushDraft();
    m_window.reset();
}

void Workbench::start(const QString &file, bool demo)
{
    m_window->show();
    m_projects->startup(file, demo);
}

void Workbench::installSections()
{
    // One line per section. The playground goes here, after Prompts:
    //   m_window->addSection(QStringLiteral("playground"), tr("Playground"), icon, new PlaygroundView(...));
    m_promptsSection = new PromptsSection(*m_prompts, *m_history);
    m_window->addSection(QStringLiteral("prompts"), tr("Prompts"),
                         m_window->style()->standardIcon(QStyle::SP_FileDialogDetailedView), m_promptsSection);

    m_window->rememberSplitter(QStringLiteral("prompts/list"), m_promptsSection->splitter());
    m_window->rememberSplitter(QStringLiteral("prompts/editor"), m_promptsSection->editor()->mainSplitter());
    m_window->rememberSplitter(QStringLiteral("prompts/editorSide"), m_promptsSection->editor()->sideSplitter());
    m_window->rememberSplitter(QStringLiteral("prompts/historyVertical"),
                               m_promptsSection->historyView()->verticalSplitter());
    m_window->rememberSplitter(QStringLiteral("prompts/historyHorizontal"),
                               m_promptsSection->historyView()->horizontalSplitter());

    m_playground = std::make_unique<Playground>(*m_session, *m_prompts);
    m_window->addSection(QStringLiteral("playground"), tr("Playground"),
                         m_window->style()->standardIcon(QStyle::SP_MediaPlay), m_playground->view());
    m_playground->installMenu(m_window.get()); // Playground menu: Run, Stop, Models…
    // The prompt is edited beside the columns: the playground borrows the Prompts editor.
    m_playground->view()->setPromptEditor(m_promptsSection->editor());
    m_window->rememberSplitter(QStringLiteral("playground/prompt"), m_playground->view()->splitter());

    m_evals = std::make_unique<EvalsSections>(*m_session, m_playground->services());
    m_evals->install(m_window.get()); // Datasets and Evals sections, Eval menu

    m_logs = std::make_unique<LogsSection>(*m_session);
    m_logs->install(m_window.get()); // Logs section, Logs menu

    m_annotate = std::make_unique<AnnotateSection>(*m_session, m_settings);
    m_annotate->install(m_window.get()); // Annotate section, Annotate menu

    m_insights = std::make_unique<InsightsSection>(*m_session);
    m_insights->install(m_window.get(), m_evals.get(), m_logs.get()); // Insights section and menu
}

void Workbench::installPromptMenu()
{
    QMenu *menu = m_window->menu(tr("&Prompt"));
    PromptsSection *section = m_promptsSection;
    MainWindow *w = m_window.get();
    auto inPrompts = [w, section](auto action) {
        return [w, section, action] {
            w->showSection(QStringLiteral("prompts"));
            action(section);
        };
    };
    menu->addAction(tr("&New Prompt…"), section, inPrompts([](PromptsSection *s) { s->newPrompt(); }))
        ->setShortcut(QKeySequence::New);
    menu->addAction(tr("New S&nippet…"), section,
                    inPrompts([](PromptsSection *s) { s->newSnippet(); }));
    menu->addAction(tr("&Save Version…"), section, inPrompts([](PromptsSection *s) { s->saveVersion(); }))
        ->setShortcut(QKeySequence::Save);
    // Offered only when they can work: a prompt is selected / it has unsaved changes. F2 stays
    // the prompt list's own key (tables elsewhere edit a cell with it).
    QAction *rename = menu->addAction(tr("&Rename Prompt…"), section,
                                      inPrompts([](PromptsSection *s) { s->renameSelected(); }));
    QAction *discard = menu->addAction(tr("Disc&ard Draft…"), section,
                                       inPrompts([](PromptsSection *s) { s->discardChanges(); }));
    menu->addAction(tr("&Delete Prompt…"), section, inPrompts([](PromptsSection *s) { s->deleteSelected(); }));
    PromptsController *prompts = m_prompts.get();
    auto updateEnabled = [prompts, rename, discard] {
        rename->setEnabled(prompts->currentPromptId() != 0);
        discard->setEnabled(prompts->isDirty() && prompts->baseVersion().has_value());
    };
    connect(prompts, &PromptsController::promptLoaded, rename, updateEnabled);
    connect(prompts, &PromptsController::promptCleared, rename, updateEnabled);
    connect(prompts, &PromptsController::dirtyChanged, rename, updateEnabled);
    connect(prompts, &PromptsController::versionSaved, rename, updateEnabled);
    updateEnabled();
    menu->addSeparator();
    // Ctrl+1…9 switch sections (View menu); the prompt's two pages get their own keys.
    QAction *editor = menu->addAction(tr("&Editor"), section,
                                      inPrompts([](PromptsSection *s) { s->showEditor(); }));
    editor->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    QAction *history = menu->addAction(tr("&History"), section,
                                       inPrompts([](PromptsSection *s) { s->showHistory(); }));
    history->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    MainWindow::markReadOnlySafe(editor);
    MainWindow::markReadOnlySafe(history);
}

void Workbench::installPaletteSources()
{
    // The command palette finds the project's prompts, datasets, evals and review queues by name.
    CommandPalette *palette = m_window->commandPalette();
    MainWindow *w = m_window.get();
    palette->addSource([this, w] {
        QList<PaletteEntry> entries;
        PromptListModel *list = m_prompts->listModel();
        for (int row = 0; row < list->rowCount(); ++row) {
            const PromptInfo *p = list->promptAt(row);
            const qint64 id = p->id;
            entries.append({tr("Prompt"), p->name, tr("%n version(s)", nullptr, p->versionCount),
                            [this, w, id] {
                                w->showSection(QStringLiteral("prompts"));
                                m_prompts->selectPrompt(id);
                            }});
        }
        return entries;
    });
    palette->addSource([this, w] {
        QList<PaletteEntry> entries;
        for (const DatasetInfo &d : m_evals->datasets().datasets()) {
            const qint64 id = d.id;
            entries.append(
                {tr("Dataset"), d.name, tr("%n case(s)", nullptr, d.caseCount), [this, w, id] {
                     w->showSection(QStringLiteral("datasets"));
                     m_evals->datasets().selectDataset(id);
                 }});
        }
        EvalListModel *evals = m_evals->evals().listModel();
        for (int row = 0; row < evals->rowCount(); ++row) {
            const EvalListEntry *e = evals->entryAt(row);
            const qint64 id = e->id;
            entries.append({tr("Eval"), e->name, QString(), [this, w, id] {
                                w->showSection(QStringLiteral("evals"));
                                EvalListModel *model = m_evals->evals().listModel();
                                selectInView(m_evals->evalsView(), model, model->rowOf(id));
                            }});
        }
        return entries;
    });
    palette->addSource([this, w] {
        QList<PaletteEntry> entries;
        QueueListModel *queues = m_annotate->controller().queues();
        for (int row = 0; row < queues->rowCount(); ++row) {
            const QString name = queues->rowAt(row)->info.name;
            entries.append({tr("Queue"), name, QString(), [this, w, name] {
                                w->showSection(QStringLiteral("annotate"));
                                QueueListModel *model = m_annotate->controller().queues();
                                for (int r = 0; r < model->rowCount(); ++r)
                                    if (model->rowAt(r)->info.name == name)
                                        selectInView(m_annotate->view(), model, r);
                            }});
        }
        return entries;
    });
}


} // namespace ts
