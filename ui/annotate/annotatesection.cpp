#include "annotate/annotatesection.h"

#include "annotate/annotatecontroller.h"
#include "annotate/annotateview.h"
#include "common/appsettings.h"
#include "shell/mainwindow.h"

#include <QAction>
#include <QMenu>
#include <QStyle>

namespace ts {

AnnotateSection::AnnotateSection(ProjectSession &session, AppSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_controller(new AnnotateController(session, settings.annotatorName(), this))
{
}

AnnotateSection::~AnnotateSection() = default;

AnnotateView *AnnotateSection::view()
{
    if (!m_view) {
        m_view = new AnnotateView(*m_controller);
        connect(m_view, &AnnotateView::annotatorEdited, this,
                [this](const QString &name) { m_settings.setAnnotatorName(name); });
    }
    return m_view;
}

void AnnotateSection::install(MainWindow *window)
{
    window->addSection(QStringLiteral("annotate"), tr("Annotate"),
                       window->style()->standardIcon(QStyle::SP_DialogYesButton), view());
    window->rememberSplitter(QStringLiteral("annotate/main"), m_view->splitter());

    QMenu *menu = window->menu(tr("&Annotate"));
    AnnotateView *view = m_view;
    auto inAnnotate = [window](auto action) {
        return [window, action] {
            window->showSection(QStringLiteral("annotate"));
            action();
        };
    };
    menu->addAction(tr("Today's &Vibe Check"), view, inAnnotate([view] { view->startDaily(); }))
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    menu->addAction(tr("&New Queue…"), view, inAnnotate([view] { view->newQueue(); }));
    menu->addAction(tr("&Continue Labeling"), view, inAnnotate([view] { view->startSelected(); }))
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    menu->addSeparator();
    menu->addAction(tr("Annotator &Name…"), view, inAnnotate([view] { view->changeAnnotator(); }));
}

} // namespace ts
