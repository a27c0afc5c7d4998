// A promptfoo config's transforms survive import-promptfoo into a project (the assertions
// table keeps them) and an eval applies them, through node, before each check.

#include "datasets/promptfooproject.h"
#include "evalfixture.h"
#include "io/promptfooimport.h"

#include <QFile>
#include <QStandardPaths>

using namespace ts;

class TestEvalTransform final : public QObject
{
    Q_OBJECT

private:
    EvalFixture f;

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ts::EvalEstimate>();
        qRegisterMetaType<ts::EvalProgress>();
        QVERIFY(f.open(QStringLiteral("transform.touchstone")));
    }

    void importedTransformsAreStoredAndApplied()
    {
        // The fake server answers "Echo: Question: <the question> …".
        QFile config(f.dir.filePath(QStringLiteral("promptfooconfig.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"(prompts: ["Question: {{question}}"]
providers: [openai:gpt-4o-mini]
tests:
  - vars: {question: paris}
    options:
      transform: output.toUpperCase()
    assert:
      - type: contains
        value: "ECHO: QUESTION: PARIS"
  - vars: {question: rome}
    assert:
      - type: equals
        value: "rome"
        transform: |
          const words = output.split(' ');
          return words[2];
      - type: contains
        value: "Echo:"
)");
        config.close();
        const auto imported = importPromptfooConfig(config.fileName());
        QVERIFY2(imported, imported ? "" : qPrintable(imported.error().message));
        const auto stored = importPromptfooIntoProject(f.db(), *imported, QStringLiteral("caps"));
        QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));
        const qint64 dataset = DatasetStore(f.db()).dataset(QStringLiteral("caps")).value().id;

        // Saved with the assertions and read back.
        const QList<StoredAssertion> assertions
            = AssertionStore(f.db()).forDataset(dataset).value();
        QCOMPARE(assertions.size(), 3);
        QCOMPARE(assertions[0].spec.transform, QStringLiteral("output.toUpperCase()"));
        QCOMPARE(assertions[1].spec.transform,
                 QStringLiteral("const words = output.split(' ');\nreturn words[2];\n"));
        QCOMPARE(assertions[2].spec.transform, QString());
        // An edit keeps it too.
        AssertionSpec edited = assertions[1].spec;
        edited.transform = QStringLiteral("output.split(' ')[2].trim()"); // an expression
        QCOMPARE(AssertionStore(f.db()).update(assertions[1].id, edited).value().spec.transform,
                 edited.transform);

        if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
            QSKIP("node is not installed: transforms cannot run, so the eval half is skipped");

        const qint64 model = f.addModel(QStringLiteral("small"), QStringLiteral("fake-small"));
        const qint64 version
            = f.addVersion(QStringLiteral("transformed"), QStringLiteral("Question: {{question}}"));
        EvalConfig c;
        c.variants = {{version, model}};
        c.datasetId = dataset;
        c.concurrency = 2;
        c.useCache = false;
        c.resume = false;
        EvalRunner runner(f.engine.get());
        QCOMPARE(f.run(runner, c), QStringLiteral("completed"));
        const EvalResults r = f.results(runner.evalId());
        QCOMPARE(r.errorCount, 0);
        for (int i = 0; i < r.cases.size(); ++i) {
            const EvalSample &s = r.cell(i, 0).samples.first();
            QStringList reasons;
            for (const AssertionResult &a : s.assertions)
                reasons << a.type + QStringLiteral(": ") + a.reason;
            // Without the transforms, "ECHO: QUESTION: PARIS" and equals "rome" both fail.
            QVERIFY2(s.pass,
                     qPrintable(s.output + QLatin1Char('\n') + reasons.join(QLatin1Char('\n'))));
        }
    }
};

QTEST_GUILESS_MAIN(TestEvalTransform)
#include "test_eval_transform.moc"
