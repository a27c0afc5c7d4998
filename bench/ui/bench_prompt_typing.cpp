// Keystroke-to-paint in the prompt editor with a 100 KB prompt (issue 12, defect 15).
// Opens a project in the real Prompts section (offscreen unless QT_QPA_PLATFORM says
// otherwise), loads a prompt whose user message is ~100 KB of Mustache (variables, sections,
// partials), then types keys one by one. For each key it measures the UI thread from the key
// press until the editor has repainted (the key event, the document change, highlighting,
// the height update and a synchronous repaint of the window), and separately the longest
// stall of the event loop while analysis (parse, variables, preview) runs after a pause.
// Target: every keystroke under 16 ms (one frame at 60 Hz).
// Usage: bench_prompt_typing [--kb 100] [--keys 200]
#include "common/projectsession.h"
#include "history/historycontroller.h"
#include "prompts/messageeditor.h"
#include "prompts/prompteditor.h"
#include "prompts/promptlistmodel.h"
#include "prompts/promptscontroller.h"
#include "prompts/promptssection.h"
#include "prompts/promptstore.h"
#include "prompts/templatetextedit.h"
#include "storage/project.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace ts;

namespace {

QString bigTemplate(int kb)
{
    QString text;
    int i = 0;
    while (text.size() < kb * 1024) {
        text += QStringLiteral("Paragraph %1: the customer {{customer_name}} wrote about order "
                               "{{order_id}}. Keep the answer short and kind.\n")
                    .arg(i);
        if (i % 10 == 0)
            text
                += QStringLiteral("{{#examples}}\nQ: {{question}}\nA: {{answer}}\n{{/examples}}\n");
        if (i % 25 == 0)
            text += QStringLiteral("{{! a comment that spans\nseveral lines }}\n");
        ++i;
    }
    return text;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    int kb = 100;
    int keys = 200;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--kb"))
            kb = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--keys"))
            keys = args[i + 1].toInt();
    }

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.touchstone"));
    {
        auto project = Project::create(path);
        if (!project) {
            std::fprintf(stderr, "cannot create project: %s\n",
                         qPrintable(project.error().message));
            return 1;
        }
        PromptStore store(project->db());
        auto info = store.createPrompt(QStringLiteral("big"));
        PromptContent content;
        content.messages = {{QStringLiteral("system"), QStringLiteral("You answer support mail.")},
                            {QStringLiteral("user"), bigTemplate(kb)}};
        if (!info || !store.saveVersion(info->id, content, QString(), QStringLiteral("bench"))) {
            std::fprintf(stderr, "cannot save the prompt\n");
            return 1;
        }
    }

    ProjectSession session;
    PromptsController prompts(session);
    HistoryController history(session, prompts);
    PromptsSection section(prompts, history);
    section.resize(1400, 900);
    section.show();
    QSignalSpy refreshed(&prompts, &PromptsController::promptsRefreshed);
    session.open(path);
    if (!refreshed.wait(30000))
        return 1;
    QSignalSpy loaded(&prompts, &PromptsController::promptLoaded);
    prompts.selectPrompt(prompts.listModel()->promptAt(0)->id);
    if (!loaded.wait(30000))
        return 1;
    QTest::qWait(500);

    TemplateTextEdit *edit = section.editor()->messageEditors().last()->textEdit();
    edit->setFocus();
    edit->moveCursor(QTextCursor::Start);
    edit->moveCursor(QTextCursor::Down);
    edit->moveCursor(QTextCursor::EndOfLine);

    // Keystroke to paint: the key event and all it triggers synchronously, then a repaint.
    std::vector<double> perKey;
    QElapsedTimer t;
    for (int i = 0; i < keys; ++i) {
        const char c = "typing into a big prompt "[i % 25];
        t.start();
        QTest::keyClick(edit, c);
        section.repaint();
        perKey.push_back(double(t.nsecsElapsed()) / 1e6);
        // Let timers run as they would between keystrokes of a fast typist (~12 keys/s).
        QTest::qWait(i % 20 == 19 ? 150 : 1);
    }

    // The stall when analysis runs after a pause: the longest gap of a 1 ms watchdog timer.
    double worstGap = 0;
    QElapsedTimer gap;
    gap.start();
    QTimer watchdog;
    watchdog.setInterval(1);
    QObject::connect(&watchdog, &QTimer::timeout, &app, [&] {
        worstGap = std::max(worstGap, double(gap.nsecsElapsed()) / 1e6);
        gap.restart();
    });
    watchdog.start();
    QTest::keyClick(edit, 'x');
    QTest::qWait(PromptEditor::analysisDelayMs + 600);
    watchdog.stop();

    std::printf("prompt: %d KB in one message, %d keystrokes\n",
                int(edit->document()->characterCount() / 1024), keys);
    std::printf("keystroke-to-paint ms: p50 %.2f  p95 %.2f  max %.2f  (target < 16)\n",
                percentile(perKey, 0.5), percentile(perKey, 0.95), percentile(perKey, 1.0));
    std::printf("longest UI-thread stall while analysis runs after a pause: %.1f ms\n", worstGap);
    return 0;
}
