#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "annotation/queuestore.h"
#include "annotation/trainingexport.h"
#include "fixtures.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

QList<nlohmann::json> parseLines(const QByteArray &jsonl)
{
    QList<nlohmann::json> lines;
    for (const QByteArray &line : jsonl.split('\n'))
        if (!line.isEmpty())
            lines.append(nlohmann::json::parse(line.toStdString()));
    return lines;
}

Target g(qint64 id)
{
    return Target {Target::Kind::Generation, id};
}

} // namespace

class TestTrainingExport final : public QObject
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
        auto project = Project::create(m_dir.filePath(QStringLiteral("t%1.touchstone").arg(++n)));
        QVERIFY(project);
        m_project.emplace(std::move(*project));
        QVERIFY(fixtures::addEval(db()));
        for (int i = 1; i <= 8; ++i)
            QVERIFY(fixtures::addGeneration(db(), i, QStringLiteral("question %1").arg((i + 1) / 2),
                                            QStringLiteral("answer %1").arg(i)));
    }

    void sftTakesApprovedAndCorrectedAnswers()
    {
        CriterionStore criteria(db());
        auto helpful = criteria.create(QStringLiteral("helpful"), QStringLiteral("Helpful?"));
        auto concise = criteria.create(QStringLiteral("concise"), QStringLiteral("Concise?"));
        LabelStore labels(db());
        const QString ana = QStringLiteral("ana");
        const QString ben = QStringLiteral("ben");
        // 1: every criterion yes -> approved.
        QVERIFY(labels.setLabel(g(1), helpful->id, ana, LabelValue::Yes));
        QVERIFY(labels.setLabel(g(1), concise->id, ana, LabelValue::Yes));
        // 2: failed, but corrected -> the correction is the answer.
        QVERIFY(labels.setLabel(g(2), helpful->id, ana, LabelValue::No));
        QVERIFY(labels.setCorrection(g(2), ana, QStringLiteral("The corrected answer.")));
        // 3: one criterion no -> left out.
        QVERIFY(labels.setLabel(g(3), helpful->id, ana, LabelValue::Yes));
        QVERIFY(labels.setLabel(g(3), concise->id, ana, LabelValue::No));
        // 4: split 1-1 -> left out; 5: split 1-1 but adjudicated yes -> approved.
        QVERIFY(labels.setLabel(g(4), helpful->id, ana, LabelValue::Yes));
        QVERIFY(labels.setLabel(g(4), helpful->id, ben, LabelValue::No));
        QVERIFY(labels.setLabel(g(5), helpful->id, ana, LabelValue::Yes));
        QVERIFY(labels.setLabel(g(5), helpful->id, ben, LabelValue::No));
        QVERIFY(labels.adjudicate({g(5),
                                   std::nullopt,
                                   helpful->criterionId,
                                   QStringLiteral("yes"),
                                   QStringLiteral("lead"),
                                   {},
                                   {}}));
        // 6: only skips -> nothing decided, left out.
        QVERIFY(labels.setLabel(g(6), helpful->id, ana, LabelValue::Skip));

        auto sft = trainingexport::sft(db());
        QVERIFY2(sft, qPrintable(sft ? QString() : sft.error().message));
        QCOMPARE(sft->examples, 3);
        QCOMPARE(sft->leftOut, 3);
        const QList<nlohmann::json> lines = parseLines(sft->jsonl);
        QCOMPARE(lines.size(), 3);
        const nlohmann::json expectedFirst = {{"messages",
                                               {{{"role", "user"}, {"content", "question 1"}},
                                                {{"role", "assistant"}, {"content", "answer 1"}}}}};
        JSON_COMPARE(lines[0], expectedFirst);
        JSON_COMPARE(lines[1]["messages"].back()["content"], "The corrected answer.");
        JSON_COMPARE(lines[1]["messages"].front()["content"], "question 1");
        JSON_COMPARE(lines[2]["messages"].back()["content"], "answer 5");

        // Limited to a queue: its items and its criteria only.
        QueueItem item;
        item.a = g(2);
        item.input = {{"messages", {{{"role", "user"}, {"content", "as shown in the queue"}}}}};
        item.outputA = QStringLiteral("answer 2");
        QVERIFY(QueueStore(db()).create({QStringLiteral("q"),
                                         QueueKind::Binary,
                                         1,
                                         true,
                                         {QStringLiteral("helpful")},
                                         {},
                                         {},
                                         {}},
                                        {item}));
        TrainingExportScope scope;
        scope.queue = QStringLiteral("q");
        const QList<nlohmann::json> scoped = parseLines(trainingexport::sft(db(), scope)->jsonl);
        QCOMPARE(scoped.size(), 1);
        JSON_COMPARE(scoped[0]["messages"][0]["content"], "as shown in the queue"); // the snapshot
        JSON_COMPARE(scoped[0]["messages"][1]["content"], "The corrected answer.");
    }

    void dpoLeavesTiesOut()
    {
        LabelStore labels(db());
        const QString ana = QStringLiteral("ana");
        const QString ben = QStringLiteral("ben");
        const QString cy = QStringLiteral("cy");
        // (1,2): a wins 2-1. (3,4): tie. (5,6): split a/b, adjudicated b. (7,8): both bad.
        QVERIFY(labels.setPreference(g(1), g(2), 0, ana, Choice::A, true));
        QVERIFY(labels.setPreference(g(1), g(2), 0, ben, Choice::A, false));
        QVERIFY(labels.setPreference(g(1), g(2), 0, cy, Choice::B, true));
        QVERIFY(labels.setPreference(g(3), g(4), 0, ana, Choice::Tie, true));
        QVERIFY(labels.setPreference(g(5), g(6), 0, ana, Choice::A, true));
        QVERIFY(labels.setPreference(g(5), g(6), 0, ben, Choice::B, true));
        QVERIFY(labels.setPreference(g(7), g(8), 0, ana, Choice::BothBad, true));

        auto before = trainingexport::dpo(db());
        QVERIFY(before);
        QCOMPARE(before->examples, 1); // the split pair is undecided until adjudicated
        QVERIFY(labels.adjudicate(
            {g(5), g(6), 0, QStringLiteral("b"), QStringLiteral("lead"), {}, {}}));
        auto dpo = trainingexport::dpo(db());
        QCOMPARE(dpo->examples, 2);
        QCOMPARE(dpo->leftOut, 2);
        const QList<nlohmann::json> lines = parseLines(dpo->jsonl);
        const nlohmann::json first
            = {{"prompt", {{{"role", "user"}, {"content", "question 1"}}}},
               {"chosen", {{{"role", "assistant"}, {"content", "answer 1"}}}},
               {"rejected", {{{"role", "assistant"}, {"content", "answer 2"}}}}};
        JSON_COMPARE(lines[0], first);
        JSON_COMPARE(lines[1]["chosen"][0]["content"], "answer 6");
        JSON_COMPARE(lines[1]["rejected"][0]["content"], "answer 5");
    }
};

QTEST_GUILESS_MAIN(TestTrainingExport)
#include "test_training_export.moc"
