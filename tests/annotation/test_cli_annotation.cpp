// touchstone-cli queue / labels / agreement / alignment / export, end to end.
#include "../cli/clirunner.h"
#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "fixtures.h"
#include "storage/project.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

QSet<std::string> itemKeys(const nlohmann::json &shown)
{
    QSet<std::string> keys;
    for (const auto &item : shown["item_list"])
        keys.insert(item["a"].get<std::string>());
    return keys;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class TestCliAnnotation final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;
    int m_n = 0;

    void exec(Database &db, const QString &sql)
    {
        auto ok = db.exec(sql);
        QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
    }

private Q_SLOTS:
    void init()
    {
        m_file = m_dir.filePath(QStringLiteral("cli%1.touchstone").arg(++m_n));
        auto project = Project::create(m_file);
        QVERIFY(project);
        QCOMPARE(fixtures::addLogs(project->db(), 40).size(), 40);
    }

    void queueCreateSamplesWithASeed()
    {
        auto made = runCli(
            {QStringLiteral("queue"), QStringLiteral("create"), m_file, QStringLiteral("claude-5"),
             QStringLiteral("--criterion"), QStringLiteral("helpful"),
             QStringLiteral("--criterion"), QStringLiteral("polite"), QStringLiteral("--from-logs"),
             QStringLiteral("--model"), QStringLiteral("claude"), QStringLiteral("--sample"),
             QStringLiteral("5"), QStringLiteral("--seed"), QStringLiteral("3"),
             QStringLiteral("--overlap"), QStringLiteral("2"), QStringLiteral("--no-blind"),
             QStringLiteral("--json")});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        const nlohmann::json q = made.json();
        JSON_COMPARE(q["items"], 5);
        JSON_COMPARE(q["kind"], "binary");
        JSON_COMPARE(q["overlap"], 2);
        JSON_COMPARE(q["blind"], false);
        QCOMPARE(q["criteria"].size(), 2u);
        JSON_COMPARE(q["origin"]["filters"]["model"], "claude");
        JSON_COMPARE(q["origin"]["candidates"], 20);

        // The same seed picks the same records.
        auto again = runCli({QStringLiteral("queue"), QStringLiteral("create"), m_file,
                             QStringLiteral("again"), QStringLiteral("--criterion"),
                             QStringLiteral("helpful"), QStringLiteral("--from-logs"),
                             QStringLiteral("--model"), QStringLiteral("claude"),
                             QStringLiteral("--sample"), QStringLiteral("5"),
                             QStringLiteral("--seed"), QStringLiteral("3")});
        QCOMPARE(again.exitCode, 0);
        const auto first = runCli({QStringLiteral("queue"), QStringLiteral("show"), m_file,
                                   QStringLiteral("claude-5"), QStringLiteral("--json")});
        const auto second = runCli({QStringLiteral("queue"), QStringLiteral("show"), m_file,
                                    QStringLiteral("again"), QStringLiteral("--json")});
        QCOMPARE(first.exitCode, 0);
        JSON_COMPARE(itemKeys(first.json()), itemKeys(second.json()));
        QCOMPARE(itemKeys(first.json()).size(), 5);

        // Progress per annotator in show.
        {
            auto project = Project::open(m_file);
            QVERIFY(project);
            CriterionStore criteria(project->db());
            LabelStore labels(project->db());
            const auto item = first.json()["item_list"][0];
            const Target t
                = *Target::parseKey(QString::fromStdString(item["a"].get<std::string>()));
            QVERIFY(labels.setLabel(t, criteria.latest(QStringLiteral("helpful"))->id,
                                    QStringLiteral("ana"), LabelValue::Yes));
            QVERIFY(labels.setLabel(t, criteria.latest(QStringLiteral("polite"))->id,
                                    QStringLiteral("ana"), LabelValue::No));
        }
        const auto shown = runCli({QStringLiteral("queue"), QStringLiteral("show"), m_file,
                                   QStringLiteral("claude-5"), QStringLiteral("--json")});
        const nlohmann::json progress = shown.json()["progress"];
        QCOMPARE(progress.size(), 1u);
        JSON_COMPARE(progress[0]["annotator"], "ana");
        JSON_COMPARE(progress[0]["done"], 1);
        JSON_COMPARE(shown.json()["item_list"][0]["done_by"], nlohmann::json({"ana"}));
        const auto text = runCli(
            {QStringLiteral("queue"), QStringLiteral("show"), m_file, QStringLiteral("claude-5")});
        QVERIFY(text.out.contains(QStringLiteral("ana: 1 of 5 done")));
        const auto listed = runCli(
            {QStringLiteral("queue"), QStringLiteral("list"), m_file, QStringLiteral("--json")});
        QCOMPARE(listed.json().size(), 2u);

        // Bad input: exit 2 with a message.
        auto noCriterion = runCli({QStringLiteral("queue"), QStringLiteral("create"), m_file,
                                   QStringLiteral("x"), QStringLiteral("--from-logs")});
        QCOMPARE(noCriterion.exitCode, 2);
        QVERIFY(noCriterion.err.contains(QStringLiteral("--criterion")));
        auto badStrategy = runCli({QStringLiteral("queue"), QStringLiteral("create"), m_file,
                                   QStringLiteral("x"), QStringLiteral("--criterion"),
                                   QStringLiteral("c"), QStringLiteral("--from-logs"),
                                   QStringLiteral("--strategy"), QStringLiteral("loudest")});
        QCOMPARE(badStrategy.exitCode, 2);
        auto taken = runCli({QStringLiteral("queue"), QStringLiteral("create"), m_file,
                             QStringLiteral("again"), QStringLiteral("--criterion"),
                             QStringLiteral("c"), QStringLiteral("--from-logs")});
        QCOMPARE(taken.exitCode, 2);
        QVERIFY(taken.err.contains(QStringLiteral("already exists")));
        auto noEval
            = runCli({QStringLiteral("queue"), QStringLiteral("create"), m_file,
                      QStringLiteral("y"), QStringLiteral("--from-eval"), QStringLiteral("9"),
                      QStringLiteral("--pairwise"), QStringLiteral("--a"), QStringLiteral("1"),
                      QStringLiteral("--b"), QStringLiteral("2")});
        QCOMPARE(noEval.exitCode, 2);
        QVERIFY(noEval.err.contains(QStringLiteral("No eval with id 9")));
    }

    void dailyIsTheSameForEveryoneAndNeverRepeats()
    {
        const QStringList day1
            = {QStringLiteral("queue"),      QStringLiteral("daily"), m_file,
               QStringLiteral("--size"),     QStringLiteral("4"),     QStringLiteral("--date"),
               QStringLiteral("2026-03-01"), QStringLiteral("--json")};
        auto first = runCli(day1);
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        JSON_COMPARE(first.json()["items"], 4);
        JSON_COMPARE(first.json()["daily_date"], "2026-03-01");
        auto same = runCli(day1);
        JSON_COMPARE(same.json()["id"], first.json()["id"]);
        auto show1 = runCli({QStringLiteral("queue"), QStringLiteral("show"), m_file,
                             QStringLiteral("Daily 2026-03-01"), QStringLiteral("--json")});
        auto second = runCli({QStringLiteral("queue"), QStringLiteral("daily"), m_file,
                              QStringLiteral("--size"), QStringLiteral("4"),
                              QStringLiteral("--date"), QStringLiteral("2026-03-02")});
        QCOMPARE(second.exitCode, 0);
        QVERIFY(second.out.contains(QStringLiteral("Daily 2026-03-02")));
        auto show2 = runCli({QStringLiteral("queue"), QStringLiteral("show"), m_file,
                             QStringLiteral("Daily 2026-03-02"), QStringLiteral("--json")});
        // No log arrived since the first daily queue: the second one is empty, never a repeat.
        QVERIFY(!itemKeys(show1.json()).intersects(itemKeys(show2.json())));
        auto badDate = runCli({QStringLiteral("queue"), QStringLiteral("daily"), m_file,
                               QStringLiteral("--date"), QStringLiteral("March 1")});
        QCOMPARE(badDate.exitCode, 2);
    }

    void labelsImportAgreementAndExport()
    {
        // Ana and Ben on four logs: they disagree on log 4.
        QByteArray jsonl;
        const char *ana[] = {"yes", "yes", "no", "yes"};
        const char *ben[] = {"yes", "yes", "no", "no"};
        for (int i = 0; i < 4; ++i) {
            jsonl
                += QStringLiteral(
                       R"({"target": {"log": %1}, "criterion": "helpful", "annotator": "ana", "label": "%2"})"
                       "\n")
                       .arg(i + 1)
                       .arg(QString::fromLatin1(ana[i]))
                       .toUtf8();
            jsonl
                += QStringLiteral(
                       R"({"target": {"log": %1}, "criterion": "helpful", "annotator": "ben", "label": "%2"})"
                       "\n")
                       .arg(i + 1)
                       .arg(QString::fromLatin1(ben[i]))
                       .toUtf8();
        }
        const QString good = m_dir.filePath(QStringLiteral("good.jsonl"));
        QVERIFY(writeFile(good, jsonl));
        const QString bad = m_dir.filePath(QStringLiteral("bad.jsonl"));
        QVERIFY(writeFile(
            bad,
            jsonl
                + R"({"target": {"log": 1}, "criterion": "helpful", "annotator": "cy", "label": "perhaps"})"
                  "\n"));
        auto refused = runCli({QStringLiteral("labels"), QStringLiteral("import"), m_file, bad});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(bad + QStringLiteral(":9: \"label\" must be")),
                 qPrintable(refused.err));
        QVERIFY(refused.err.contains(QStringLiteral("nothing was imported")));
        auto empty = runCli({QStringLiteral("agreement"), m_file, QStringLiteral("--json")});
        QCOMPARE(empty.json()["criteria"].size(), 0u);

        auto imported = runCli({QStringLiteral("labels"), QStringLiteral("import"), m_file, good});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY(imported.out.contains(QStringLiteral("Imported 8 labels")));

        auto agreement = runCli({QStringLiteral("agreement"), m_file, QStringLiteral("--json")});
        QCOMPARE(agreement.exitCode, 0);
        const nlohmann::json c = agreement.json()["criteria"][0];
        JSON_COMPARE(c["name"], "helpful");
        JSON_COMPARE(c["kind"], "binary");
        JSON_COMPARE(c["items"], 4);
        JSON_COMPARE(c["annotators"], 2);
        JSON_COMPARE(c["labels"], 8);
        QCOMPARE(c["percent_agreement"].get<double>(), 0.75);
        // po = 0.75, pe = 0.75*0.5 + 0.25*0.5 = 0.5: kappa 0.5. Fleiss: P = 0.75, p(yes) = 5/8,
        // Pe = 34/64: (0.75 - 0.53125) / 0.46875 = 7/15. Alpha: 1 - 7 * 2 / (2 * 5 * 3) = 8/15.
        QCOMPARE(c["cohen_kappa"].get<double>(), 0.5);
        QVERIFY(qAbs(c["fleiss_kappa"].get<double>() - 7.0 / 15.0) < 1e-12);
        QVERIFY(qAbs(c["krippendorff_alpha"].get<double>() - 8.0 / 15.0) < 1e-12);
        QCOMPARE(c["alpha_ci"].size(), 2u);
        QVERIFY(c["alpha_ci"][0].get<double>() <= c["alpha_ci"][1].get<double>());
        auto human = runCli({QStringLiteral("agreement"), m_file, QStringLiteral("--criterion"),
                             QStringLiteral("helpful")});
        QVERIFY(human.out.contains(QStringLiteral("0.50 (moderate)")));
        QVERIFY(human.out.contains(QStringLiteral("1 item with disagreement, 0 adjudicated")));
        QCOMPARE(runCli({QStringLiteral("agreement"), m_file, QStringLiteral("--criterion"),
                         QStringLiteral("nope")})
                     .exitCode,
                 2);

        auto csv = runCli({QStringLiteral("labels"), QStringLiteral("export"), m_file,
                           QStringLiteral("--format"), QStringLiteral("csv")});
        QCOMPARE(csv.exitCode, 0);
        QCOMPARE(csv.out.trimmed().split(QLatin1Char('\n')).size(), 9);
        auto lines = runCli({QStringLiteral("labels"), QStringLiteral("export"), m_file});
        QCOMPARE(lines.out.trimmed().split(QLatin1Char('\n')).size(), 8);
        QCOMPARE(runCli({QStringLiteral("labels"), QStringLiteral("export"), m_file,
                         QStringLiteral("--format"), QStringLiteral("xml")})
                     .exitCode,
                 2);
    }

    void alignmentAndTrainingExports()
    {
        {
            auto project = Project::open(m_file);
            QVERIFY(project);
            Database &db = project->db();
            QVERIFY(fixtures::addEval(db));
            exec(db,
                 QStringLiteral(
                     "INSERT INTO prompts (id, name, created_at) VALUES (1, 'tone-judge', 'x');"
                     "INSERT INTO prompt_versions (id, prompt_id, number, messages, params, "
                     "content_hash, created_at) "
                     "VALUES (1, 1, 1, '[]', '{}', 'h1', 'x'), (2, 1, 2, '[]', '{}', 'h2', 'x');"
                     "INSERT INTO judges (id, name, kind, prompt_id, created_at) VALUES (1, "
                     "'tone', 'pointwise', 1, 'x');"
                     "INSERT INTO runs (id, kind, prompt_version_id, created_at) VALUES (2, "
                     "'judge', 1, 'x'), (3, 'judge', 2, 'x');"));
            // People: 1-3 pass, 4-6 fail. The assertion fails 1, 4, 5; judge v1 passes all;
            // judge v2 agrees with people.
            const bool human[] = {true, true, true, false, false, false};
            const bool assertion[] = {false, true, true, false, false, true};
            auto tone
                = CriterionStore(db).create(QStringLiteral("tone"), QStringLiteral("Polite?"));
            QVERIFY(tone);
            LabelStore labels(db);
            for (int i = 0; i < 6; ++i) {
                const int g = i + 1;
                QVERIFY(fixtures::addGeneration(db, g, QStringLiteral("q%1").arg(g),
                                                QStringLiteral("a%1").arg(g)));
                exec(db,
                     QStringLiteral("INSERT INTO generations (id, run_id, created_at) VALUES (%1, "
                                    "2, 'x'), (%2, 3, 'x');"
                                    "INSERT INTO assertion_results (generation_id, position, type, "
                                    "value, pass, score) "
                                    "VALUES (%3, 0, 'contains', '\"sorry\"', %4, %4);"
                                    "INSERT INTO judgments (eval_id, judge_id, generation_id, "
                                    "judge_generation_id, pass, created_at) "
                                    "VALUES (1, 1, %3, %1, 1, 'x'), (1, 1, %3, %2, %5, 'x')")
                         .arg(100 + g)
                         .arg(200 + g)
                         .arg(g)
                         .arg(assertion[i] ? 1 : 0)
                         .arg(human[i] ? 1 : 0));
                QVERIFY(labels.setLabel({Target::Kind::Generation, g}, tone->id,
                                        QStringLiteral("ana"),
                                        human[i] ? LabelValue::Yes : LabelValue::No));
            }
            QVERIFY(labels.setCorrection({Target::Kind::Generation, 4}, QStringLiteral("ana"),
                                         QStringLiteral("Kind words.")));
            QVERIFY(labels.setPreference({Target::Kind::Generation, 1},
                                         {Target::Kind::Generation, 2}, 0, QStringLiteral("ana"),
                                         Choice::B, true));
            QVERIFY(labels.setPreference({Target::Kind::Generation, 3},
                                         {Target::Kind::Generation, 4}, 0, QStringLiteral("ana"),
                                         Choice::Tie, true));
        }
        auto aligned = runCli({QStringLiteral("alignment"), m_file, QStringLiteral("--eval"),
                               QStringLiteral("1"), QStringLiteral("--criterion"),
                               QStringLiteral("tone"), QStringLiteral("--json")});
        QVERIFY2(aligned.exitCode == 0, qPrintable(aligned.err));
        const nlohmann::json checks = aligned.json()["checks"];
        QCOMPARE(checks.size(), 3u);
        const nlohmann::json a = checks[0];
        JSON_COMPARE(a["kind"], "assertion");
        JSON_COMPARE(a["tp"], 2);
        JSON_COMPARE(a["tn"], 2);
        JSON_COMPARE(a["fp"], 1);
        JSON_COMPARE(a["fn"], 1);
        QVERIFY(qAbs(a["accuracy"].get<double>() - 4.0 / 6.0) < 1e-12);
        QVERIFY(qAbs(a["coverage"].get<double>() - 2.0 / 3.0) < 1e-12);
        QVERIFY(qAbs(a["false_failure_rate"].get<double>() - 1.0 / 3.0) < 1e-12);
        QVERIFY(qAbs(a["alignment"].get<double>() - 2.0 / 3.0) < 1e-12);
        QVERIFY(qAbs(a["cohen_kappa"].get<double>() - 1.0 / 3.0) < 1e-12);
        JSON_COMPARE(checks[1]["name"], "tone@v1");
        QCOMPARE(checks[1]["coverage"].get<double>(), 0.0);
        QCOMPARE(checks[2]["alignment"].get<double>(), 1.0);
        auto table
            = runCli({QStringLiteral("alignment"), m_file, QStringLiteral("--eval"),
                      QStringLiteral("1"), QStringLiteral("--criterion"), QStringLiteral("tone")});
        QVERIFY(table.out.contains(QStringLiteral("tone@v2")));
        QCOMPARE(runCli({QStringLiteral("alignment"), m_file, QStringLiteral("--eval"),
                         QStringLiteral("1")})
                     .exitCode,
                 2);
        QCOMPARE(
            runCli({QStringLiteral("alignment"), m_file, QStringLiteral("--eval"),
                    QStringLiteral("5"), QStringLiteral("--criterion"), QStringLiteral("tone")})
                .exitCode,
            2);

        const QString sft = m_dir.filePath(QStringLiteral("sft%1.jsonl").arg(m_n));
        auto wrote = runCli({QStringLiteral("export"), m_file, QStringLiteral("--sft"), sft,
                             QStringLiteral("--json")});
        QVERIFY2(wrote.exitCode == 0, qPrintable(wrote.err));
        JSON_COMPARE(wrote.json()["examples"], 4); // 1-3 approved, 4 corrected
        QFile sftFile(sft);
        QVERIFY(sftFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> sftLines = sftFile.readAll().trimmed().split('\n');
        QCOMPARE(sftLines.size(), 4);
        JSON_COMPARE(nlohmann::json::parse(sftLines[3].toStdString())["messages"][1]["content"],
                     "Kind words.");
        auto dpo = runCli(
            {QStringLiteral("export"), m_file, QStringLiteral("--dpo"), QStringLiteral("-")});
        QCOMPARE(dpo.exitCode, 0);
        const QStringList dpoLines = dpo.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(dpoLines.size(), 1); // the tie is left out
        const auto pair = nlohmann::json::parse(dpoLines[0].toStdString());
        JSON_COMPARE(pair["chosen"][0]["content"], "a2");
        JSON_COMPARE(pair["rejected"][0]["content"], "a1");
        QCOMPARE(runCli({QStringLiteral("export"), m_file, QStringLiteral("-")}).exitCode, 2);
    }

    void labelPackRoundTrip()
    {
        QCOMPARE(
            runCli({QStringLiteral("queue"), QStringLiteral("create"), m_file, QStringLiteral("r"),
                    QStringLiteral("--criterion"), QStringLiteral("helpful"),
                    QStringLiteral("--from-logs"), QStringLiteral("--sample"), QStringLiteral("3")})
                .exitCode,
            0);
        const QString pack = m_dir.filePath(QStringLiteral("pack%1.touchstone").arg(m_n));
        auto exported = runCli({QStringLiteral("queue"), QStringLiteral("export-pack"), m_file,
                                QStringLiteral("r"), pack, QStringLiteral("--json")});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        JSON_COMPARE(exported.json()["items"], 3);
        {
            auto p = Project::open(pack);
            QVERIFY(p);
            auto item = runCli({QStringLiteral("queue"), QStringLiteral("show"), pack,
                                QStringLiteral("r"), QStringLiteral("--json")});
            const Target t = *Target::parseKey(
                QString::fromStdString(item.json()["item_list"][0]["a"].get<std::string>()));
            QVERIFY(LabelStore(p->db()).setLabel(
                t, CriterionStore(p->db()).latest(QStringLiteral("helpful"))->id,
                QStringLiteral("ben"), LabelValue::Yes));
        }
        auto merged = runCli({QStringLiteral("queue"), QStringLiteral("import-pack"), m_file, pack,
                              QStringLiteral("--json")});
        QVERIFY2(merged.exitCode == 0, qPrintable(merged.err));
        JSON_COMPARE(merged.json()["labels"]["added"], 1);
        auto twice = runCli({QStringLiteral("queue"), QStringLiteral("import-pack"), m_file, pack});
        QVERIFY(twice.out.contains(QStringLiteral("added 0 labels")));
        QCOMPARE(runCli({QStringLiteral("queue"), QStringLiteral("import-pack"), m_file, m_file})
                     .exitCode,
                 2);
    }
};

QTEST_GUILESS_MAIN(TestCliAnnotation)
#include "test_cli_annotation.moc"
