#include "test_playground_fixture.h"

#include "history/historycontroller.h"
#include "history/versionlistmodel.h"
#include "playground/modellistmodel.h"
#include "playground/outputformat.h"
#include "playground/playgroundcolumn.h"
#include "playground/streamingmarkdown.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTextBrowser>
#include <QTextDocument>

using namespace ts;
using namespace ts::test;

namespace {

const QString trickle = QStringLiteral("fake-small+fault=trickle,trickle-ms=100,tokens=50");

qint64 latestVersionId(PlaygroundFixture &f)
{
    return f.queryInt(QStringLiteral(
        "SELECT v.id FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id "
        "WHERE p.name = 'support-reply' ORDER BY v.number DESC LIMIT 1"));
}

PlaygroundColumn *columnOf(PlaygroundFixture &f, const QString &model)
{
    for (PlaygroundColumn *c : f.view->columns())
        if (f.controller->column(c->column()).model.name == model)
            return c;
    return nullptr;
}

} // namespace

class TestPlayground final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qunsetenv("TOUCHSTONE_PLAYGROUND_UNSET_KEY");
    }

    void emptyStateAsksToPickModels()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({f.fakeModel(QStringLiteral("alpha"))}));
        QAbstractItemModelTester tester(f.controller->picker(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(f.view->columns().size(), 0);
        QCOMPARE(f.view->emptyStateText(), QStringLiteral("Pick models and press Ctrl+Enter"));
        QVERIFY(!f.controller->runProblem().isEmpty());
        // Ticking a model in the picker makes it a column.
        QVERIFY(f.controller->picker()->setData(f.controller->picker()->index(0), Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(f.view->columns().size(), 1);
        QVERIFY(f.view->emptyStateText().isEmpty());
        QCOMPARE(f.view->columns().at(0)->noteText(), QStringLiteral("Press Ctrl+Enter to run the current prompt"));
    }

    void runsThreeModelsSideBySideAndStoresThreeGenerations()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({f.fakeModel(QStringLiteral("alpha")), f.fakeModel(QStringLiteral("beta"), QStringLiteral("fake-large")),
                         f.fakeModel(QStringLiteral("gamma"))}));
        QVERIFY(f.selectPrompt());
        f.controller->setColumnModels({QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")});
        QCOMPARE(f.view->columns().size(), 3);

        QSignalSpy finished(f.controller.get(), &PlaygroundController::runFinished);
        f.view->runAction()->trigger(); // Ctrl+Enter
        QVERIFY(finished.wait(waitMs));
        for (PlaygroundColumn *column : f.view->columns())
            QVERIFY2(column->errorText().isEmpty(), qPrintable(column->errorText()));
        QCOMPARE(f.server.requestCount(), 3);

        for (PlaygroundColumn *column : f.view->columns()) {
            QVERIFY2(column->outputText().startsWith(QStringLiteral("Echo:")), qPrintable(column->outputText()));
            QCOMPARE(column->stateText(), QStringLiteral("Done"));
            QVERIFY2(column->metricsText().contains(QStringLiteral("TTFT")), qPrintable(column->metricsText()));
            QVERIFY(column->metricsText().contains(QStringLiteral(" out")));
            QVERIFY(column->metricsText().contains(QLatin1Char('$')));
            QVERIFY(column->errorText().isEmpty());
            QVERIFY(waitUntil([&] { return column->outputView()->toPlainText().startsWith(QStringLiteral("Echo:")); }));
        }
        QCOMPARE(f.view->columns().at(0)->noteText(), QStringLiteral("support-reply v%1").arg(*f.prompts.prompts->baseVersion()));

        const qint64 versionId = latestVersionId(f);
        const QString countSql = QStringLiteral(
            "SELECT count(*) FROM generations g JOIN runs r ON r.id = g.run_id "
            "WHERE r.kind = 'playground' AND g.status = 'ok' AND r.prompt_version_id = %1").arg(versionId);
        QVERIFY(waitUntil([&] { return f.queryInt(countSql) == 3; }));
        QVERIFY(waitUntil([&] {
            return f.queryInt(QStringLiteral("SELECT count(*) FROM runs WHERE status = 'completed'")) == 3;
        }));

        // And the version's history lists them.
        QSignalSpy loaded(f.prompts.history.get(), &HistoryController::generationsLoaded);
        f.prompts.history->loadGenerations(*f.prompts.prompts->baseVersion());
        QVERIFY(loaded.wait(waitMs));
        const auto rows = loaded.last().at(1).value<QList<GenerationSummary>>();
        QCOMPARE(rows.size(), 3);
        QStringList models;
        for (const GenerationSummary &g : rows)
            models << g.model;
        models.sort();
        QCOMPARE(models, (QStringList{QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")}));
    }

    void escStopsMidStreamAndKeepsThePartialText()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({f.fakeModel(QStringLiteral("slow"), trickle), f.fakeModel(QStringLiteral("quick"))}));
        QVERIFY(f.selectPrompt());
        f.controller->setColumnModels({QStringLiteral("slow"), QStringLiteral("quick")});
        PlaygroundColumn *slow = columnOf(f, QStringLiteral("slow"));
        QVERIFY(slow);
        QVERIFY(!f.view->stopAction()->isEnabled()); // Esc is free while nothing runs

        QSignalSpy finished(f.controller.get(), &PlaygroundController::runFinished);
        f.view->runAction()->trigger();
        QVERIFY(f.view->stopAction()->isEnabled());
        QVERIFY(waitUntil([&] { return slow->outputText().split(QLatin1Char(' ')).size() >= 3; }));
        QCOMPARE(slow->stateText(), QStringLiteral("Streaming…"));
        f.view->stopAction()->trigger(); // Esc
        QVERIFY(finished.count() > 0 || finished.wait(waitMs));

        QCOMPARE(slow->stateText(), QStringLiteral("Stopped"));
        const QString partial = slow->outputText();
        QVERIFY(partial.startsWith(QStringLiteral("Echo:")));
        QVERIFY2(partial.split(QLatin1Char(' ')).size() < 50, qPrintable(partial));
        QVERIFY(waitUntil([&] { return slow->outputView()->toPlainText().startsWith(QStringLiteral("Echo:")); }));
        QVERIFY(slow->metricsText().contains(QStringLiteral("stopped by you")));
        QVERIFY(slow->errorText().isEmpty()); // stopping is not an error
        QCOMPARE(columnOf(f, QStringLiteral("quick"))->stateText(), QStringLiteral("Done"));
        QVERIFY(!f.view->stopAction()->isEnabled());

        // The partial answer is stored, marked cancelled, and its run too.
        QVERIFY(waitUntil([&] {
            return f.queryText(QStringLiteral("SELECT g.output FROM generations g JOIN runs r ON r.id = g.run_id "
                                              "JOIN models m ON m.id = r.model_id WHERE m.name = 'slow' "
                                              "AND g.status = 'cancelled'")) == partial;
        }));
        QVERIFY(waitUntil([&] {
            return f.queryText(QStringLiteral("SELECT r.status FROM runs r JOIN models m ON m.id = r.model_id "
                                              "WHERE m.name = 'slow'")) == QStringLiteral("cancelled");
        }));
    }

    void errorsShowInWordsInTheirColumn()
    {
        PlaygroundFixture f;
        ModelConfig noKey = f.fakeModel(QStringLiteral("no-key"));
        noKey.keyRef = QStringLiteral("env:TOUCHSTONE_PLAYGROUND_UNSET_KEY");
        QVERIFY(f.start({f.fakeModel(QStringLiteral("fine")), f.fakeModel(QStringLiteral("rejected"), QStringLiteral("fake-small+fault=401")), noKey}));
        QVERIFY(f.selectPrompt());
        f.controller->setColumnModels({QStringLiteral("fine"), QStringLiteral("rejected"), QStringLiteral("no-key")});
        QVERIFY(f.runAndWait());

        PlaygroundColumn *fine = columnOf(f, QStringLiteral("fine"));
        PlaygroundColumn *rejected = columnOf(f, QStringLiteral("rejected"));
        PlaygroundColumn *missing = columnOf(f, QStringLiteral("no-key"));
        QCOMPARE(fine->stateText(), QStringLiteral("Done"));
        QVERIFY(fine->errorText().isEmpty());
        QCOMPARE(rejected->stateText(), QStringLiteral("Error"));
        QVERIFY2(rejected->errorText().contains(QStringLiteral("401")), qPrintable(rejected->errorText()));
        QVERIFY(rejected->outputText().isEmpty());
        QCOMPARE(missing->stateText(), QStringLiteral("Error"));
        QVERIFY2(missing->errorText().contains(QStringLiteral("TOUCHSTONE_PLAYGROUND_UNSET_KEY")),
                 qPrintable(missing->errorText()));
        QVERIFY(waitUntil([&] {
            return f.queryInt(QStringLiteral("SELECT count(*) FROM generations WHERE status = 'error'")) == 2;
        }));
    }

    void samplesRunSeveralTimesPerModel()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({f.fakeModel(QStringLiteral("alpha"))}));
        QVERIFY(f.selectPrompt());
        f.controller->setColumnModels({QStringLiteral("alpha")});
        f.view->samplesBox()->setValue(3);
        QVERIFY(f.runAndWait());
        PlaygroundColumn *column = f.view->columns().at(0);
        QCOMPARE(f.controller->column(0).samples.size(), 3);
        QCOMPARE(f.server.requestCount(), 3);
        column->showSample(2);
        QCOMPARE(column->currentSample(), 2);
        QVERIFY(column->outputText().startsWith(QStringLiteral("Echo:")));
        QVERIFY(waitUntil([&] {
            return f.queryInt(QStringLiteral("SELECT count(DISTINCT sample_index) FROM generations")) == 3;
        }));
        QCOMPARE(f.queryInt(QStringLiteral("SELECT samples FROM runs")), 3);

        // Running again answers from the cache unless asked for fresh samples.
        QVERIFY(f.runAndWait());
        QCOMPARE(f.server.requestCount(), 3);
        QCOMPARE(column->stateText(), QStringLiteral("Done · cached"));
        f.controller->setUseCache(false);
        QVERIFY(f.runAndWait());
        QCOMPARE(f.server.requestCount(), 6);
    }

    void aDraftRunIsStoredWithItsBaseVersion()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({f.fakeModel(QStringLiteral("alpha"))}));
        QVERIFY(f.selectPrompt());
        const int base = *f.prompts.prompts->baseVersion();
        PromptContent draft = f.prompts.prompts->content();
        draft.messages.last().text = QStringLiteral("Draft question about {{message}}");
        f.prompts.prompts->setContent(draft);
        QVERIFY(f.prompts.prompts->isDirty());
        f.controller->setColumnModels({QStringLiteral("alpha")});
        QVERIFY(f.runAndWait());
        PlaygroundColumn *column = f.view->columns().at(0);
        QVERIFY2(column->noteText().contains(QStringLiteral("unsaved draft of v%1").arg(base)), qPrintable(column->noteText()));
        const qint64 versionId = latestVersionId(f);
        QVERIFY(waitUntil([&] {
            return f.queryText(QStringLiteral("SELECT g.request FROM generations g JOIN runs r ON r.id = g.run_id "
                                              "WHERE r.prompt_version_id = %1").arg(versionId))
                .contains(QStringLiteral("Draft question about"));
        }));
    }

    void addAsTestCaseSavesVariablesAndExpectedOutput()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({f.fakeModel(QStringLiteral("alpha"))}));
        QVERIFY(f.selectPrompt());
        f.controller->setColumnModels({QStringLiteral("alpha")});
        QVERIFY(f.runAndWait());
        const QString output = f.view->columns().at(0)->outputText();

        Result<qint64> added = 0;
        QObject context;
        bool done = false;
        f.controller->addTestCase(QStringLiteral("from-playground"), output, &context, [&](Result<qint64> id) {
            added = id;
            done = true;
        });
        QVERIFY(waitUntil([&] { return done; }));
        QVERIFY2(added, added ? "" : qPrintable(added.error().message));
        QCOMPARE(f.queryText(QStringLiteral("SELECT source FROM test_cases WHERE id = %1").arg(*added)), QStringLiteral("playground"));
        QCOMPARE(f.queryText(QStringLiteral("SELECT expected FROM test_cases WHERE id = %1").arg(*added)), output);
        QVERIFY(f.queryText(QStringLiteral("SELECT vars FROM test_cases WHERE id = %1").arg(*added)).contains(QStringLiteral("Spoke & Chain")));

        // The same case again is refused, naming the existing one.
        done = false;
        f.controller->addTestCase(QStringLiteral("from-playground"), output, &context, [&](Result<qint64> id) {
            added = id;
            done = true;
        });
        QVERIFY(waitUntil([&] { return done; }));
        QVERIFY(!added);
        QCOMPARE(added.error().code, ErrorCode::AlreadyExists);
    }

    void rawToggleShowsTheTextAsSent()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({f.fakeModel(QStringLiteral("alpha"))}));
        QVERIFY(f.selectPrompt());
        f.controller->setColumnModels({QStringLiteral("alpha")});
        QVERIFY(f.runAndWait());
        PlaygroundColumn *column = f.view->columns().at(0);
        column->setRaw(true);
        QVERIFY(column->isRaw());
        bool found = false;
        for (auto *edit : column->findChildren<QPlainTextEdit *>())
            found = found || (edit->isVisible() && edit->toPlainText() == column->outputText());
        QVERIFY(found);
    }

    void outputFormattingRendersMarkdownAndPrettyJson()
    {
        QVERIFY(outputHtml(QStringLiteral("# Title\n\n**bold** text")).contains(QStringLiteral("<strong>bold</strong>")));
        // Model output is untrusted: raw HTML is escaped, not rendered.
        QVERIFY(!outputHtml(QStringLiteral("<script>alert(1)</script>")).contains(QStringLiteral("<script>")));
        const auto pretty = prettyJson(QStringLiteral("```json\n{\"a\":1,\"b\":[1,2]}\n```"));
        QVERIFY(pretty);
        QVERIFY(pretty->contains(QStringLiteral("\n  \"a\": 1")));
        QVERIFY(!prettyJson(QStringLiteral("Sure! {\"a\":1}")));
        QVERIFY(outputHtml(QStringLiteral("{\"order\": 4411}")).startsWith(QStringLiteral("<pre>")));
        const nlohmann::json calls = nlohmann::json::array(
            {{{"name", "lookup_order"}, {"arguments", "{\"id\":4411}"}, {"arguments_json", {{"id", 4411}}}}});
        QVERIFY(outputHtml(QString(), calls).contains(QStringLiteral("lookup_order")));

        Generation g;
        g.ttftMs = 312.4;
        g.latencyMs = 1312.4;
        g.inputTokens = 152;
        g.outputTokens = 101;
        g.cost = 0.0012;
        g.finishReason = QStringLiteral("stop");
        QCOMPARE(metricsLine(g), QStringLiteral("TTFT 312 ms · 100.0 tok/s · 152 in / 101 out · $0.0012 · stop"));
        QCOMPARE(retryNote(1, 2000, QStringLiteral("HTTP 429 from api.openai.com: slow down")),
                 QStringLiteral("Rate limited, retrying in 2 s (attempt 2)"));
    }

    void streamingMarkdownAppendsFinishedBlocksOnly()
    {
        QCOMPARE(stableMarkdownPrefix(QStringLiteral("# Title\n\nFirst para")), qsizetype(9));
        QCOMPARE(stableMarkdownPrefix(QStringLiteral("no blank line yet")), qsizetype(0));
        // A blank line inside an open code fence does not end anything.
        QCOMPARE(stableMarkdownPrefix(QStringLiteral("Intro\n\n```\ncode\n\nmore")), qsizetype(7));
        QCOMPARE(stableMarkdownPrefix(QStringLiteral("Intro\n\n```\ncode\n\n```\n\nAfter")), qsizetype(22));

        // Fed piece by piece, the document reads like the whole text rendered at once.
        const QString text = QStringLiteral("# Brakes\n\nA squeak usually means **dirty pads**.\n\n"
                                            "1. Clean the rim\n2. Check the pads\n\n```\nstep 1\n\nstep 2\n```\n\nDone.");
        QTextDocument streamed;
        StreamingMarkdown markdown(&streamed);
        for (qsizetype n = 1; n <= text.size(); n += 7)
            markdown.show(text.left(n), nlohmann::json::array(), true);
        markdown.show(text, nlohmann::json::array(), true);
        QTextDocument whole;
        whole.setHtml(outputHtml(text));
        const auto words = [](const QString &t) { return t.simplified(); };
        QCOMPARE(words(streamed.toPlainText()), words(whole.toPlainText()));
        markdown.show(text, nlohmann::json::array(), false);
        QCOMPARE(streamed.toHtml(), whole.toHtml());
    }

    void retriesShowAsAStatusInTheColumn()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({f.fakeModel(QStringLiteral("busy"), QStringLiteral("fake-small+fault=429,retry-after=1,times=1"))}));
        QVERIFY(f.selectPrompt());
        f.controller->setColumnModels({QStringLiteral("busy")});
        PlaygroundColumn *column = f.view->columns().at(0);
        QSignalSpy finished(f.controller.get(), &PlaygroundController::runFinished);
        QVERIFY(f.controller->run());
        QVERIFY(waitUntil([&] { return column->noteText().startsWith(QStringLiteral("Rate limited, retrying in 1 s")); }));
        QVERIFY(finished.wait(waitMs));
        QCOMPARE(column->stateText(), QStringLiteral("Done"));
        QVERIFY(!column->noteText().contains(QStringLiteral("retrying")));
    }
};

QTEST_MAIN(TestPlayground)
#include "test_playground.moc"
