#pragma once

// Shared set-up for the GUI tests: a demo project copy in a temporary directory, opened by a
// ProjectSession (worker thread), with the prompt and history controllers and the section.

#include "common/projectsession.h"
#include "demo/demoproject.h"
#include "history/historycontroller.h"
#include "prompts/promptlistmodel.h"
#include "prompts/promptscontroller.h"
#include "prompts/promptssection.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace ts::test {

constexpr int waitMs = 15000;

inline bool waitUntil(const std::function<bool()> &condition)
{
    return QTest::qWaitFor(condition, waitMs);
}

struct PromptsFixture
{
    QTemporaryDir dir;
    QString path;
    std::unique_ptr<ProjectSession> session;
    std::unique_ptr<PromptsController> prompts;
    std::unique_ptr<HistoryController> history;
    std::unique_ptr<PromptsSection> section; // destroyed first: it observes the controllers

    /// Makes a fresh copy of the demo project; start() opens it.
    bool create()
    {
        static int n = 0;
        path = dir.filePath(QStringLiteral("demo%1.touchstone").arg(++n));
        return bool(createDemoProject(path));
    }

    /// Opens the project in a fresh session (creating it first if there is none yet).
    bool start(bool withSection = true)
    {
        if (path.isEmpty() && !create())
            return false;
        session = std::make_unique<ProjectSession>();
        prompts = std::make_unique<PromptsController>(*session);
        history = std::make_unique<HistoryController>(*session, *prompts);
        if (withSection)
            section = std::make_unique<PromptsSection>(*prompts, *history);
        QSignalSpy refreshed(prompts.get(), &PromptsController::promptsRefreshed);
        session->open(path);
        return refreshed.wait(waitMs) || refreshed.count() > 0;
    }

    void stop()
    {
        section.reset();
        if (prompts)
            prompts->flushDraft();
        history.reset();
        prompts.reset();
        session.reset(); // waits for queued work such as the last draft
    }

    qint64 idOf(const QString &name) const
    {
        for (int row = 0; row < prompts->listModel()->rowCount(); ++row)
            if (prompts->listModel()->promptAt(row)->name == name)
                return prompts->listModel()->promptAt(row)->id;
        return 0;
    }

    bool select(const QString &name)
    {
        const qint64 id = idOf(name);
        if (!id)
            return false;
        QSignalSpy loaded(prompts.get(), &PromptsController::promptLoaded);
        prompts->selectPrompt(id);
        return (loaded.count() > 0 || loaded.wait(waitMs)) && prompts->currentPromptId() == id;
    }

    ~PromptsFixture() { stop(); }
};

} // namespace ts::test
