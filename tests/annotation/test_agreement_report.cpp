#include "annotation/agreementreport.h"
#include "annotation/alignmentreport.h"
#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "storage/database.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

class TestAgreementReport final : public QObject
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

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto project = Project::create(m_dir.filePath(QStringLiteral("r%1.touchstone").arg(++n)));
        QVERIFY(project);
        m_project.emplace(std::move(*project));
    }

    void agreementPerCriterionAndDisagreements()
    {
        CriterionStore criteria(m_project->db());
        auto helpful = criteria.create(QStringLiteral("helpful"), QStringLiteral("Helpful?"));
        LabelStore labels(m_project->db());
        // Ana and Ben on 4 logs: they disagree on log 4 only. Ben skips log 5 (not a value).
        const char *ana[] = {"yes", "yes", "no", "yes"};
        const char *ben[] = {"yes", "yes", "no", "no"};
        for (int i = 0; i < 4; ++i) {
            const Target t{Target::Kind::Log, i + 1};
            QVERIFY(labels.setLabel(t, helpful->id, QStringLiteral("ana"), *parseLabelValue(QString::fromLatin1(ana[i]))));
            QVERIFY(labels.setLabel(t, helpful->id, QStringLiteral("ben"), *parseLabelValue(QString::fromLatin1(ben[i]))));
        }
        QVERIFY(labels.setLabel({Target::Kind::Log, 5}, helpful->id, QStringLiteral("ben"), LabelValue::Skip));
        // Pairwise, overall: the same true item wins for both, whatever side they saw it on.
        const Target g1{Target::Kind::Generation, 1};
        const Target g2{Target::Kind::Generation, 2};
        QVERIFY(labels.setPreference(g1, g2, 0, QStringLiteral("ana"), Choice::A, true));
        QVERIFY(labels.setPreference(g1, g2, 0, QStringLiteral("ben"), Choice::A, false));

        auto report = measureAgreement(m_project->db());
        QVERIFY(report);
        QCOMPARE(report->size(), 2);
        const AgreementOnCriterion &binary = report->at(0);
        QCOMPARE(binary.name, QStringLiteral("helpful"));
        QVERIFY(!binary.pairwise);
        QCOMPARE(binary.stats.items, 4);
        QCOMPARE(binary.stats.labels, 8); // the skip is not a label value
        QCOMPARE(*binary.stats.percentAgreement, 0.75);
        // Cohen: po = 0.75; ana yes 3/4, ben yes 2/4: pe = 0.75*0.5 + 0.25*0.5 = 0.5; k = 0.5.
        QCOMPARE(*binary.stats.cohenKappa, 0.5);
        const AgreementOnCriterion &pair = report->at(1);
        QVERIFY(pair.pairwise);
        QCOMPARE(pair.name, QStringLiteral("overall preference"));
        QCOMPARE(*pair.stats.percentAgreement, 1.0);

        auto disagreements = findDisagreements(m_project->db());
        QVERIFY(disagreements);
        QCOMPARE(disagreements->size(), 1);
        QCOMPARE(disagreements->first().a.key(), QStringLiteral("log:4"));
        QVERIFY(!disagreements->first().adjudicated);
        QVERIFY(labels.adjudicate({Target{Target::Kind::Log, 4}, std::nullopt, helpful->criterionId,
                                   QStringLiteral("no"), QStringLiteral("lead"), {}, {}}));
        QCOMPARE(*findDisagreements(m_project->db())->first().adjudicated, QStringLiteral("no"));
        // Adjudication is kept apart: the annotators' labels and agreement do not change.
        QCOMPARE(*measureAgreement(m_project->db())->first().stats.percentAgreement, 0.75);
        QVERIFY(!measureAgreement(m_project->db(), {QStringLiteral("nope"), {}, 0}));
    }

    // A small hand-built eval: 6 generations, one assertion, one judge in two rubric versions.
    void judgesAndAssertionsAgainstPeople()
    {
        exec(QStringLiteral(
            "INSERT INTO prompts (id, name, created_at) VALUES (1, 'tone-judge', 'x');"
            "INSERT INTO prompt_versions (id, prompt_id, number, messages, params, content_hash, created_at) "
            "VALUES (1, 1, 1, '[]', '{}', 'h1', 'x'), (2, 1, 2, '[]', '{}', 'h2', 'x');"
            "INSERT INTO judges (id, name, kind, prompt_id, created_at) VALUES (1, 'tone', 'pointwise', 1, 'x');"
            "INSERT INTO evals (id, created_at) VALUES (1, 'x');"
            "INSERT INTO runs (id, kind, created_at) VALUES (1, 'eval', 'x');"
            "INSERT INTO runs (id, kind, prompt_version_id, created_at) VALUES (2, 'judge', 1, 'x'), (3, 'judge', 2, 'x');"
            "INSERT INTO eval_variants (eval_id, position, run_id) VALUES (1, 0, 1);"));
        for (int g = 1; g <= 6; ++g)
            exec(QStringLiteral("INSERT INTO generations (id, run_id, created_at) VALUES (%1, 1, 'x');"
                                "INSERT INTO generations (id, run_id, created_at) VALUES (%2, 2, 'x');"
                                "INSERT INTO generations (id, run_id, created_at) VALUES (%3, 3, 'x');")
                     .arg(g).arg(100 + g).arg(200 + g));
        // People: 1-3 pass, 4-6 fail. The assertion fails 4, 5 and also 1.
        // Judge v1 passes everything; judge v2 fails 4, 5, 6 only.
        const bool human[] = {true, true, true, false, false, false};
        const bool assertion[] = {false, true, true, false, false, true};
        const bool v2[] = {true, true, true, false, false, false};
        CriterionStore criteria(m_project->db());
        auto tone = criteria.create(QStringLiteral("tone"), QStringLiteral("Polite?"));
        LabelStore labels(m_project->db());
        for (int i = 0; i < 6; ++i) {
            const qint64 g = i + 1;
            exec(QStringLiteral("INSERT INTO assertion_results (generation_id, position, type, value, pass, score) "
                                "VALUES (%1, 0, 'contains', '\"sorry\"', %2, %2)").arg(g).arg(assertion[i] ? 1 : 0));
            exec(QStringLiteral("INSERT INTO judgments (eval_id, judge_id, generation_id, judge_generation_id, pass, created_at) "
                                "VALUES (1, 1, %1, %2, 1, 'x'), (1, 1, %1, %3, %4, 'x')")
                     .arg(g).arg(100 + g).arg(200 + g).arg(v2[i] ? 1 : 0));
            const LabelValue v = human[i] ? LabelValue::Yes : LabelValue::No;
            QVERIFY(labels.setLabel({Target::Kind::Generation, g}, tone->id, QStringLiteral("ana"), v));
        }
        // Generation 6: two more people say yes, but an adjudication says no (it wins).
        QVERIFY(labels.setLabel({Target::Kind::Generation, 6}, tone->id, QStringLiteral("ben"), LabelValue::Yes));
        QVERIFY(labels.setLabel({Target::Kind::Generation, 6}, tone->id, QStringLiteral("cy"), LabelValue::Yes));
        QVERIFY(labels.adjudicate({Target{Target::Kind::Generation, 6}, std::nullopt, tone->criterionId,
                                   QStringLiteral("no"), QStringLiteral("lead"), {}, {}}));

        auto checks = alignChecks(m_project->db(), 1, QStringLiteral("tone"));
        QVERIFY2(checks, qPrintable(checks ? QString() : checks.error().message));
        QCOMPARE(checks->size(), 3);
        const CheckAlignment &a = checks->at(0);
        QCOMPARE(a.kind, QStringLiteral("assertion"));
        // tp: 2,3  fn: 1  tn: 4,5  fp: 6 -> coverage 2/3, false failures 1/3, accuracy 4/6.
        QCOMPARE(a.stats.tp, 2);
        QCOMPARE(a.stats.fn, 1);
        QCOMPARE(a.stats.tn, 2);
        QCOMPARE(a.stats.fp, 1);
        QVERIFY(qAbs(*a.stats.coverage - 2.0 / 3.0) < 1e-12);
        QVERIFY(qAbs(*a.stats.falseFailureRate - 1.0 / 3.0) < 1e-12);
        QVERIFY(qAbs(*a.stats.alignment - 2.0 / 3.0) < 1e-12);
        QCOMPARE(a.disagreements.size(), 2);
        const CheckAlignment &judge1 = checks->at(1);
        QCOMPARE(judge1.name, QStringLiteral("tone@v1"));
        QCOMPARE(*judge1.stats.coverage, 0.0); // passes everything: catches no failure
        QCOMPARE(*judge1.stats.alignment, 0.0);
        const CheckAlignment &judge2 = checks->at(2);
        QCOMPARE(judge2.judgeVersion, 2);
        QCOMPARE(*judge2.stats.accuracy, 1.0); // the new rubric agrees with people
        QCOMPARE(*judge2.stats.cohenKappa, 1.0);
        QCOMPARE(*judge2.stats.alignment, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestAgreementReport)
#include "test_agreement_report.moc"
