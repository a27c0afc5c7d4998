#include "annotation/criterionstore.h"
#include "annotation/labelio.h"
#include "annotation/labelstore.h"
#include "annotation/queuestore.h"
#include "fixtures.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

class TestLabelIo final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;
    QList<qint64> m_logs;

    Database &db() { return m_project->db(); }

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto project = Project::create(m_dir.filePath(QStringLiteral("io%1.touchstone").arg(++n)));
        QVERIFY(project);
        m_project.emplace(std::move(*project));
        m_logs = fixtures::addLogs(db(), 4, true);
        QCOMPARE(m_logs.size(), 4);
        QVERIFY(fixtures::addEval(db()));
        QVERIFY(fixtures::addGeneration(db(), 1, QStringLiteral("q1"), QStringLiteral("a1")));
        QVERIFY(fixtures::addGeneration(db(), 2, QStringLiteral("q1"), QStringLiteral("a2")));
        QVERIFY(CriterionStore(db()).create(QStringLiteral("helpful"),
                                            QStringLiteral("Is it helpful?")));
    }

    void importsBinaryPairwiseAndSpanTargets()
    {
        // Log 3 by its OpenTelemetry ids: trace 000...3, span 000...3.
        const QByteArray file = QByteArrayLiteral(
            R"({"target": {"log": 1}, "criterion": "helpful", "annotator": "ana", "label": "yes"})"
            "\n"
            R"({"target": {"generation": 2}, "criterion": "concise", "annotator": "ana", "label": "no", "note": "Rambles."})"
            "\n"
            "\n"
            R"({"target": {"span": "00000000000000000000000000000003:0000000000000003"}, "criterion": "helpful", "annotator": "ben", "label": "skip"})"
            "\n"
            R"({"a": {"generation": 1}, "b": {"generation": 2}, "annotator": "ana", "choice": "a"})"
            "\n"
            R"({"a": {"generation": 1}, "b": {"generation": 2}, "criterion": "concise", "annotator": "ben", "choice": "tie"})"
            "\n");
        auto s = labelio::importLabels(db(), file, QStringLiteral("labels.jsonl"));
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        QVERIFY2(s->problems.isEmpty(), qPrintable(s->problems.join(QLatin1Char('\n'))));
        QCOMPARE(s->lines, 5);
        QCOMPARE(s->labelsAdded, 3);
        QCOMPARE(s->preferencesAdded, 2);
        QCOMPARE(s->createdCriteria, QStringList {QStringLiteral("concise")});
        QCOMPARE(CriterionStore(db()).latest(QStringLiteral("concise"))->question,
                 QStringLiteral("concise"));

        LabelStore labels(db());
        auto ben = labels.labelsOf({Target::Kind::Log, m_logs[2]}, QStringLiteral("ben"));
        QCOMPARE(ben->size(), 1); // the span resolved to log record 3
        QCOMPARE(ben->first().value, LabelValue::Skip);
        auto ana = labels.labelsOf({Target::Kind::Generation, 2}, QStringLiteral("ana"));
        QCOMPARE(*ana->first().note, QStringLiteral("Rambles."));
        auto prefs = labels.preferences();
        QCOMPARE(prefs->size(), 2);
        QCOMPARE(prefs->at(0).criterionVersionId, 0); // the overall preference
        QVERIFY(!prefs->at(0).leftIsA); // imported without a screen
        QCOMPARE(prefs->at(1).criterion, QStringLiteral("concise"));

        // The same file again adds nothing.
        auto again = labelio::importLabels(db(), file, QStringLiteral("labels.jsonl"));
        QCOMPARE(again->labelsAdded + again->preferencesAdded, 0);
        QCOMPARE(again->alreadyPresent, 5);
        QCOMPARE(labels.labels()->size(), 3);
    }

    void oneBadLineImportsNothing()
    {
        const QByteArray file = QByteArrayLiteral(
            R"({"target": {"log": 1}, "criterion": "brand-new", "annotator": "ana", "label": "yes"})"
            "\n"
            R"({"target": {"log": 2}, "criterion": "helpful", "annotator": "ana", "label": "maybe"})"
            "\n"
            R"({"target": {"span": "ffff:eeee"}, "criterion": "helpful", "annotator": "ana", "label": "no"})"
            "\n"
            "{not json\n"
            R"({"target": {"log": 999}, "criterion": "helpful", "annotator": "ana", "label": "no"})"
            "\n"
            R"({"target": {"log": 1}, "criterion": "helpful", "label": "no"})"
            "\n"
            R"({"a": {"generation": 1}, "b": {"generation": 2}, "annotator": "ana", "choice": "left"})"
            "\n"
            R"({"target": {"log": 1}, "criterion": "brand-new", "annotator": "ana", "label": "no"})"
            "\n");
        auto s = labelio::importLabels(db(), file, QStringLiteral("bad.jsonl"));
        QVERIFY(s);
        QCOMPARE(s->problems.size(), 7);
        QVERIFY(s->problems[0].startsWith(QStringLiteral("bad.jsonl:2: \"label\"")));
        QVERIFY(s->problems[1].startsWith(QStringLiteral("bad.jsonl:3: ")));
        QVERIFY(s->problems[1].contains(QStringLiteral("no log record has trace ffff span eeee")));
        QCOMPARE(s->problems[2], QStringLiteral("bad.jsonl:4: not valid JSON"));
        QVERIFY(s->problems[3].contains(QStringLiteral("no log 999")));
        QVERIFY(s->problems[4].startsWith(QStringLiteral("bad.jsonl:6: \"annotator\"")));
        QVERIFY(s->problems[5].startsWith(QStringLiteral("bad.jsonl:7: \"choice\"")));
        QVERIFY(s->problems[6].startsWith(
            QStringLiteral("bad.jsonl:8: the same annotator, target and criterion as line 1")));
        // Nothing imported, not even the good first line's new criterion.
        QCOMPARE(s->labelsAdded, 0);
        QVERIFY(LabelStore(db()).labels()->isEmpty());
        QVERIFY(!CriterionStore(db()).latest(QStringLiteral("brand-new")));
    }

    void exportsEveryLabelWithItsProvenance()
    {
        CriterionStore criteria(db());
        auto v1 = criteria.latest(QStringLiteral("helpful"));
        QueueItem item;
        item.a = Target {Target::Kind::Log, m_logs[0]};
        item.outputA = QStringLiteral("out");
        QueueStore queues(db());
        auto queue = queues.create({QStringLiteral("q"),
                                    QueueKind::Binary,
                                    1,
                                    true,
                                    {QStringLiteral("helpful")},
                                    {},
                                    {},
                                    {}},
                                   {item});
        QVERIFY(queue);
        const qint64 itemId = queues.items(queue->id)->first().id;
        LabelStore labels(db());
        QVERIFY(
            labels.setLabel(item.a, v1->id, QStringLiteral("ana"), LabelValue::No, 4.5, itemId));
        QVERIFY(labels.setNote(item.a, QStringLiteral("ana"),
                               QStringLiteral("Wrong date, \"tomorrow\".")));
        auto v2 = criteria.edit(QStringLiteral("helpful"), QStringLiteral("Helpful, really?"), {});
        QVERIFY(labels.setLabel({Target::Kind::Log, m_logs[1]}, v2->id, QStringLiteral("ben"),
                                LabelValue::Yes));
        QVERIFY(labels.setPreference({Target::Kind::Generation, 1}, {Target::Kind::Generation, 2},
                                     0, QStringLiteral("cy"), Choice::B, true, 2.0));

        auto jsonl = labelio::exportLabels(db(), LabelExportFormat::Jsonl);
        QVERIFY(jsonl);
        const QList<QByteArray> lines = jsonl->trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const auto first = nlohmann::json::parse(lines[0].toStdString());
        JSON_COMPARE(first["kind"], "binary");
        JSON_COMPARE(first["annotator"], "ana");
        JSON_COMPARE(first["criterion"], "helpful");
        JSON_COMPARE(first["criterion_version"], 1);
        JSON_COMPARE(first["target"], nlohmann::json({{"log", m_logs[0]}}));
        JSON_COMPARE(first["queue"], "q");
        JSON_COMPARE(first["queue_item"], itemId);
        JSON_COMPARE(first["label"], "no");
        JSON_COMPARE(first["note"], "Wrong date, \"tomorrow\".");
        JSON_COMPARE(first["seconds"], 4.5);
        QVERIFY(first["time"].is_string());
        JSON_COMPARE(nlohmann::json::parse(lines[1].toStdString())["criterion_version"], 2);
        const auto pair = nlohmann::json::parse(lines[2].toStdString());
        JSON_COMPARE(pair["kind"], "pairwise");
        JSON_COMPARE(pair["choice"], "b");
        JSON_COMPARE(pair["shown_left"], "a");
        QVERIFY(pair["criterion"].is_null());

        auto csv = labelio::exportLabels(db(), LabelExportFormat::Csv);
        const QList<QByteArray> rows = csv->trimmed().split('\n');
        QCOMPARE(rows.size(), 4);
        QVERIFY(rows[0].startsWith(
            "kind,annotator,time,criterion,criterion_version,target_kind,target_id"));
        QVERIFY(rows[1].contains(",log,"));
        QVERIFY(rows[1].contains("\"Wrong date, \"\"tomorrow\"\".\"")); // quoted as CSV does

        LabelExportScope scope;
        scope.queue = QStringLiteral("q");
        auto scoped = labelio::exportLabels(db(), LabelExportFormat::Jsonl, scope);
        QCOMPARE(scoped->trimmed().split('\n').size(), 1);
        QVERIFY(!labelio::exportLabels(db(), LabelExportFormat::Jsonl, {QStringLiteral("nope")}));
    }
};

QTEST_GUILESS_MAIN(TestLabelIo)
#include "test_label_io.moc"
