#include "annotation/labelstore.h"
#include "annotation/pairwisealignment.h"
#include "fixtures.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

class TestPairwiseAlignment final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;

    void exec(const QString &sql)
    {
        auto ok = m_project->db().exec(sql);
        QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
    }

    /// Judge version `version` judged (first, second) in both orders: winners as raw labels.
    void judged(int version, int first, int second, const char *order0, const char *order1)
    {
        static int judgeGeneration = 1000;
        for (int swapped = 0; swapped < 2; ++swapped) {
            ++judgeGeneration;
            exec(
                QStringLiteral(
                    "INSERT INTO generations (id, run_id, created_at) VALUES (%1, %2, 'x');"
                    "INSERT INTO judgments (eval_id, judge_id, generation_id, other_generation_id, "
                    "swapped, judge_generation_id, verdict, created_at) VALUES "
                    "(1, 1, %3, %4, %5, %1, '{\"winner\":\"%6\"}', 'x')")
                    .arg(judgeGeneration)
                    .arg(version + 1)
                    .arg(first)
                    .arg(second)
                    .arg(swapped)
                    .arg(QString::fromLatin1(swapped ? order1 : order0)));
        }
    }

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto project = Project::create(m_dir.filePath(QStringLiteral("p%1.touchstone").arg(++n)));
        QVERIFY(project);
        m_project.emplace(std::move(*project));
    }

    // Four pairs of generations; people: 1>2, 4>3, 5=6, and 7/8 split (left out).
    void pairwiseJudgesAgainstPeopleWithTies()
    {
        exec(QStringLiteral(
            "INSERT INTO prompts (id, name, created_at) VALUES (1, 'which-better', 'x');"
            "INSERT INTO prompt_versions (id, prompt_id, number, messages, params, content_hash, "
            "created_at) "
            "VALUES (1, 1, 1, '[]', '{}', 'h1', 'x'), (2, 1, 2, '[]', '{}', 'h2', 'x');"
            "INSERT INTO judges (id, name, kind, prompt_id, created_at) VALUES (1, 'better', "
            "'pairwise', 1, 'x');"
            "INSERT INTO evals (id, created_at) VALUES (1, 'x');"
            "INSERT INTO runs (id, kind, created_at) VALUES (1, 'eval', 'x');"
            "INSERT INTO runs (id, kind, prompt_version_id, created_at) VALUES (2, 'judge', 1, "
            "'x'), (3, 'judge', 2, 'x');"
            "INSERT INTO eval_variants (eval_id, position, run_id) VALUES (1, 0, 1);"));
        for (int i = 1; i <= 8; ++i)
            exec(QStringLiteral(
                     "INSERT INTO generations (id, run_id, created_at) VALUES (%1, 1, 'x')")
                     .arg(i));
        LabelStore labels(m_project->db());
        auto gen = [](qint64 id) {
            return Target {Target::Kind::Generation, id};
        };
        QVERIFY(labels.setPreference(gen(1), gen(2), 0, QStringLiteral("ana"), Choice::A, true));
        // Recorded the other way round: 4 shown as a, and it wins.
        QVERIFY(labels.setPreference(gen(4), gen(3), 0, QStringLiteral("ana"), Choice::A, false));
        QVERIFY(labels.setPreference(gen(5), gen(6), 0, QStringLiteral("ana"), Choice::Tie, true));
        QVERIFY(
            labels.setPreference(gen(5), gen(6), 0, QStringLiteral("ben"), Choice::BothBad, true));
        QVERIFY(labels.setPreference(gen(7), gen(8), 0, QStringLiteral("ana"), Choice::A, true));
        QVERIFY(labels.setPreference(gen(7), gen(8), 0, QStringLiteral("ben"), Choice::B, true));

        // v1: 1 wins both orders; 4 (shown second first) wins both; 5/6 inconsistent -> tie.
        judged(1, 1, 2, "A", "B");
        judged(1, 3, 4, "B", "A");
        judged(1, 5, 6, "A", "A");
        judged(1, 7, 8, "A", "B");
        // v2: says the first output wins on every pair, and ties 5/6.
        judged(2, 1, 2, "A", "B");
        judged(2, 3, 4, "A", "B");
        judged(2, 5, 6, "tie", "tie");

        auto result = alignPairwiseJudges(m_project->db(), 1, QStringLiteral("overall preference"));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(result->size(), 2);
        const PairwiseJudgeAlignment &v1 = result->at(0);
        QCOMPARE(v1.name, QStringLiteral("better@v1"));
        QCOMPARE(v1.humanCriterion, QStringLiteral("overall preference"));
        QCOMPARE(v1.pairs, 3); // 7/8 has no human verdict
        QCOMPARE(v1.agreements, 3);
        QCOMPARE(v1.inconsistent, 1);
        QCOMPARE(*v1.accuracy, 1.0);
        QCOMPARE(*v1.cohenKappa, 1.0);
        JSON_COMPARE(v1.confusion[2][2], 1); // the tie counts as agreement
        const PairwiseJudgeAlignment &v2 = result->at(1);
        QCOMPARE(v2.judgeVersion, 2);
        QCOMPARE(v2.pairs, 3);
        QCOMPARE(v2.agreements, 2);
        // Human first/second/tie, judge first/first/tie: po = 2/3, pe = 1/3*2/3 + 1/3*1/3 = 1/3,
        // kappa = (2/3 - 1/3) / (1 - 1/3) = 0.5.
        QVERIFY(qAbs(*v2.cohenKappa - 0.5) < 1e-12);
        JSON_COMPARE(v2.confusion[1][0], 1); // people: second; judge: first
        QCOMPARE(v2.disagreements.size(), 1);
        QCOMPARE(v2.disagreements.first().first.id, 3);

        // An adjudication settles 7/8 for people: v1 (which found 7 better) now agrees there too.
        QVERIFY(labels.adjudicate(
            {gen(8), gen(7), 0, QStringLiteral("b"), QStringLiteral("lead"), {}, {}}));
        auto settled
            = alignPairwiseJudges(m_project->db(), 1, QStringLiteral("overall preference"));
        QCOMPARE(settled->at(0).pairs, 4);
        QCOMPARE(settled->at(0).agreements, 4);
    }
};

QTEST_GUILESS_MAIN(TestPairwiseAlignment)
#include "test_pairwise_alignment.moc"
