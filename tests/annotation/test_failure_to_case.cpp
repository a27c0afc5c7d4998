#include "annotation/criterionstore.h"
#include "annotation/failuretocase.h"
#include "annotation/labelstore.h"
#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "fixtures.h"
#include "prompts/promptstore.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

class TestFailureToCase final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;

    Database &db() { return m_project->db(); }

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto project = Project::create(m_dir.filePath(QStringLiteral("f%1.touchstone").arg(++n)));
        QVERIFY(project);
        m_project.emplace(std::move(*project));
    }

    void suggestions()
    {
        const QString output = QStringLiteral("As an AI, I cannot check orders. Per policy, wait.");
        auto quoted = failuretocase::suggestAssertion(
            output, QStringLiteral("It said \"as an AI\" again."), QStringLiteral("Helpful?"));
        QCOMPARE(quoted->spec.type, QStringLiteral("not-icontains"));
        JSON_COMPARE(quoted->spec.value, nlohmann::json("as an AI"));
        // An apostrophe inside a word does not open a quote.
        auto single = failuretocase::suggestAssertion(
            output, QStringLiteral("Don't say 'per policy' to customers."),
            QStringLiteral("Helpful?"));
        JSON_COMPARE(single->spec.value, nlohmann::json("per policy"));
        auto curly = failuretocase::suggestAssertion(output,
                                                     QStringLiteral("Never \u201cwait\u201d."), {});
        JSON_COMPARE(curly->spec.value, nlohmann::json("wait"));
        // A quoted phrase the output does not contain: ask the criterion's question instead.
        auto rubric
            = failuretocase::suggestAssertion(output, QStringLiteral("Should say \"sorry\"."),
                                              QStringLiteral("Does it apologise for the delay?"));
        QCOMPARE(rubric->spec.type, QStringLiteral("llm-rubric"));
        JSON_COMPARE(rubric->spec.value, nlohmann::json("Does it apologise for the delay?"));
        QVERIFY(!failuretocase::suggestAssertion(output, {}, {}));
    }

    void generationFailureBecomesACaseWithTheCorrection()
    {
        QVERIFY(fixtures::addEval(db()));
        QVERIFY(fixtures::addGeneration(db(), 7, QStringLiteral("Where is my parcel?"),
                                        QStringLiteral("As an AI, I cannot know.")));
        auto tone = CriterionStore(db()).create(QStringLiteral("tone"),
                                                QStringLiteral("Is the tone right?"));
        LabelStore labels(db());
        const Target t {Target::Kind::Generation, 7};
        QVERIFY(labels.setLabel(t, tone->id, QStringLiteral("ana"), LabelValue::No));
        QVERIFY(labels.setNote(t, QStringLiteral("ana"), QStringLiteral("Says \"as an AI\".")));
        QVERIFY(
            labels.setCorrection(t, QStringLiteral("ana"), QStringLiteral("It ships tomorrow.")));

        FailureCaseOptions options;
        options.dataset = QStringLiteral("regressions");
        auto made = failuretocase::addCase(db(), t, options);
        QVERIFY2(made, qPrintable(made ? QString() : made.error().message));
        QVERIFY(made->createdDataset);
        QVERIFY(!made->duplicate);
        QCOMPARE(made->variablesFrom, QStringLiteral("generation"));
        auto tc = DatasetStore(db()).testCase(made->caseId);
        QVERIFY(tc);
        JSON_COMPARE(tc->data.vars, nlohmann::json({{"question", "Where is my parcel?"}}));
        QCOMPARE(*tc->data.expected, QStringLiteral("It ships tomorrow."));
        QVERIFY(tc->data.description.contains(QStringLiteral("tone")));
        QCOMPARE(made->suggestion->spec.type, QStringLiteral("not-icontains"));
        JSON_COMPARE(made->suggestion->spec.value, nlohmann::json("as an AI"));

        auto added = failuretocase::addSuggestion(db(), *made);
        QVERIFY2(added, qPrintable(added ? QString() : added.error().message));
        auto onCase = AssertionStore(db()).forCase(made->datasetId, made->caseId);
        QCOMPARE(onCase->size(), 1);
        QCOMPARE(onCase->first().spec.type, QStringLiteral("not-icontains"));

        // Doing it twice adds no second case.
        auto again = failuretocase::addCase(db(), t, options);
        QVERIFY(again->duplicate);
        QCOMPARE(again->caseId, made->caseId);
        QCOMPARE(DatasetStore(db()).cases(made->datasetId)->size(), 1);
        // A dataset that must exist already.
        options.dataset = QStringLiteral("missing");
        options.createDataset = false;
        QVERIFY(!failuretocase::addCase(db(), t, options));
    }

    void logFailureRecoversTheTemplateVariables()
    {
        PromptStore prompts(db());
        auto prompt = prompts.createPrompt(QStringLiteral("support"));
        QVERIFY(prompt);
        PromptContent content;
        content.messages
            = {{QStringLiteral("user"), QStringLiteral("Ticket: {{ticket}}\nAnswer politely.")}};
        QVERIFY(prompts.saveVersion(prompt->id, content, {}, {}));
        LogRecord r = fixtures::logRecord(1);
        r.messages = {{QStringLiteral("user"),
                       QStringLiteral("Ticket: My parcel is late\nAnswer politely."),
                       {},
                       {}}};
        r.output = QStringLiteral("Deal with it.");
        r.promptName = QStringLiteral("support");
        r.promptVersion = QStringLiteral("1");
        auto ids = LogStore(db()).add({r});
        QVERIFY(ids);
        const Target t {Target::Kind::Log, ids->ids.first()};
        auto polite = CriterionStore(db()).create(QStringLiteral("polite"),
                                                  QStringLiteral("Is it polite?"));
        QVERIFY(LabelStore(db()).setLabel(t, polite->id, QStringLiteral("ben"), LabelValue::No));

        FailureCaseOptions options;
        options.dataset = QStringLiteral("from production");
        auto made = failuretocase::addCase(db(), t, options);
        QVERIFY2(made, qPrintable(made ? QString() : made.error().message));
        QCOMPARE(made->variablesFrom, QStringLiteral("template support@1"));
        QVERIFY(made->unrecovered.isEmpty());
        auto tc = DatasetStore(db()).testCase(made->caseId);
        JSON_COMPARE(tc->data.vars, nlohmann::json({{"ticket", "My parcel is late"}}));
        QVERIFY(!tc->data.expected); // nobody corrected it
        QCOMPARE(*tc->productionOutput, QStringLiteral("Deal with it."));
        QCOMPARE(*tc->logId, t.id);
        QCOMPARE(tc->source, CaseSource::Log);
        QCOMPARE(made->suggestion->spec.type, QStringLiteral("llm-rubric"));
        JSON_COMPARE(made->suggestion->spec.value, nlohmann::json("Is it polite?"));
    }
};

QTEST_GUILESS_MAIN(TestFailureToCase)
#include "test_failure_to_case.moc"
