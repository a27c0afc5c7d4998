#include "shell/integritycheck.h"

#include "common/projectsession.h"
#include "storage/project.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>

namespace ts {

void checkProjectIntegrity(QWidget *parent, ProjectSession &session)
{
    const auto info = session.info();
    if (!info) {
        QMessageBox::information(parent, QObject::tr("Check Project Integrity"),
                                 QObject::tr("No project is open."));
        return;
    }
    const QString name = QFileInfo(info->path).fileName();
    // The check reads every page (minutes for a project of several GB): it runs on a reader
    // connection, the rest of the window stays usable, and Cancel stops it at once.
    auto *progress = new QProgressDialog(QObject::tr("Checking every page of %1 (%2 MB)…")
                                             .arg(name)
                                             .arg(QFileInfo(info->path).size() / 1e6, 0, 'f', 0),
                                         QObject::tr("Cancel"), 0, 0, parent);
    progress->setWindowTitle(QObject::tr("Check Project Integrity"));
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setMinimumDuration(0);
    progress->setWindowModality(Qt::NonModal);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    CancelToken token = session.postRead<Result<void>>(
        [](WorkContext &ctx) -> Result<void> {
            if (!ctx.project)
                return fail(WorkContext::noProject());
            return ctx.project->checkIntegrity(ctx.cancelled);
        },
        progress,
        [progress, parent = QPointer<QWidget>(parent), name, clock](Result<void> result) {
            progress->close();
            const QString title = QObject::tr("Check Project Integrity");
            if (result)
                QMessageBox::information(parent, title,
                                         QObject::tr("%1 is sound: every page and index was "
                                                     "checked (%2 s).")
                                             .arg(name)
                                             .arg(clock->elapsed() / 1000.0, 0, 'f', 1));
            else
                QMessageBox::warning(parent, title, result.error().message);
        });
    QObject::connect(progress, &QProgressDialog::canceled, progress, [token, progress] {
        token->store(true);
        progress->close();
    });
    progress->show();
}

} // namespace ts
