// The streaming footer (issue 12, defect 5): while text streams, a column's footer shows live
// time to first token, tokens per second and tokens so far, never "Waiting for the first
// token…"; once done, the server's own counts replace the estimate.

#include "test_playground_fixture.h"

#include "playground/playgroundcolumn.h"

#include <QAction>
#include <QStandardPaths>

using namespace ts;
using namespace ts::test;

class TestPlaygroundStreaming final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void footerShowsLiveRateWhileStreaming()
    {
        PlaygroundFixture f;
        QVERIFY(f.start(
            {f.fakeModel(QStringLiteral("slow"),
                         QStringLiteral("fake-small+fault=trickle,trickle-ms=60,tokens=40"))}));
        QVERIFY(f.selectPrompt());
        f.controller->setColumnModels({QStringLiteral("slow")});
        QCOMPARE(f.view->columns().size(), 1);
        PlaygroundColumn *column = f.view->columns().first();

        QSignalSpy finished(f.controller.get(), &PlaygroundController::runFinished);
        f.view->runAction()->trigger();
        // Text is arriving and the footer says how fast, not that it waits.
        QVERIFY2(waitUntil([&] {
                     return column->stateText() == QStringLiteral("Streaming…")
                         && column->metricsText().contains(QStringLiteral("tok/s"));
                 }),
                 qPrintable(column->metricsText()));
        QVERIFY(!column->outputText().isEmpty());
        QVERIFY(!column->metricsText().contains(QStringLiteral("Waiting")));
        QVERIFY(column->metricsText().contains(QStringLiteral("TTFT")));
        QVERIFY(column->metricsText().contains(QStringLiteral("tokens so far")));

        QVERIFY(finished.count() > 0 || finished.wait(waitMs));
        QCOMPARE(column->stateText(), QStringLiteral("Done"));
        QVERIFY(!column->metricsText().contains(QStringLiteral("so far")));
        QVERIFY(column->metricsText().contains(QStringLiteral(" out")));
    }
};

QTEST_MAIN(TestPlaygroundStreaming)
#include "test_playground_streaming.moc"
