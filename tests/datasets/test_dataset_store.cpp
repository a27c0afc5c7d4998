#include "datasets/assertionstore.h"
#include "datasets/datasetstore.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

TestCaseData testCase(const char *question, std::optional<QString> expected = std::nullopt)
{
    TestCaseData c;
    c.vars = {{"question", question}};
    c.expected = expected;
    return c;
}

QString dataFile(const char *name)
{
    return QStringLiteral(TOUCHSTONE_TEST_DATA "/data/") + QString::fromUtf8(name);
}

} // namespace

class TestDatasetStore final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;

    Database &db() { return m_project->db(); }
    qint64 count(const char *sql) { return db().queryInt(QString::fromUtf8(sql)).value(); }

private Q_SLOTS:
    void initTestCase()
    {
        auto p = Project::create(m_dir.filePath(QStringLiteral("data.touchstone")));
        QVERIFY(p);
        m_project.emplace(std::move(*p));
        QVERIFY(m_project->schemaVersion() >= 2); // 0002 brings assertions, judges and evals
    }

    void createRenameDelete()
    {
        DatasetStore store(db());
        auto d = store.createDataset(QStringLiteral("support"), QStringLiteral("tickets"));
        QVERIFY(d);
        QCOMPARE(store.createDataset(QStringLiteral("support")).error().code,
                 ErrorCode::AlreadyExists);
        QCOMPARE(store.createDataset(QStringLiteral(" padded ")).error().code,
                 ErrorCode::InvalidArgument);
        QVERIFY(store.createDataset(QStringLiteral("other")));
        QVERIFY(store.renameDataset(d->id, QStringLiteral("tickets")));
        QCOMPARE(store.renameDataset(d->id, QStringLiteral("other")).error().code,
                 ErrorCode::AlreadyExists);
        const auto list = store.listDatasets().value();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0].name, QStringLiteral("other"));
        QCOMPARE(list[1].name, QStringLiteral("tickets"));
        QCOMPARE(list[1].description, QStringLiteral("tickets"));
        QVERIFY(store.addCase(d->id, testCase("hi")));
        QVERIFY(store.deleteDataset(d->id));
        QCOMPARE(store.dataset(QStringLiteral("tickets")).error().code, ErrorCode::NotFound);
        QCOMPARE(count("SELECT count(*) FROM test_cases"), 0); // cascaded
        QVERIFY(store.deleteDataset(store.dataset(QStringLiteral("other"))->id));
    }

    void casesAddUpdateReorderDelete()
    {
        DatasetStore store(db());
        const qint64 id = store.createDataset(QStringLiteral("cases")).value().id;
        auto a = store.addCase(id, testCase("a", QStringLiteral("A")));
        auto b = store.addCase(id, testCase("b"), CaseSource::Playground);
        auto c = store.addCase(id, testCase("c"));
        QVERIFY(a && b && c);
        QCOMPARE(b->source, CaseSource::Playground);
        QCOMPARE(b->position, 1);
        // The same case again is refused, naming the case it duplicates.
        auto dup = store.addCase(id, testCase("a", QStringLiteral("A")));
        QCOMPARE(dup.error().code, ErrorCode::AlreadyExists);
        QVERIFY2(dup.error().message.contains(QStringLiteral("case 1")),
                 qPrintable(dup.error().message));
        // Expected "" differs from no expected output.
        QVERIFY(store.addCase(id, testCase("a", QString())));

        auto updated = store.updateCase(b->id, testCase("b2", QStringLiteral("B")));
        QVERIFY(updated);
        QCOMPARE(updated->data.expected, std::optional<QString>(QStringLiteral("B")));
        QCOMPARE(store.updateCase(b->id, testCase("c")).error().code, ErrorCode::AlreadyExists);

        auto cases = store.cases(id).value();
        QCOMPARE(cases.size(), 4);
        QList<qint64> order {cases[3].id, cases[2].id, cases[1].id, cases[0].id};
        QVERIFY(store.reorderCases(id, order));
        cases = store.cases(id).value();
        QCOMPARE(cases.first().id, order.first());
        QCOMPARE(store.reorderCases(id, {order[0], order[1]}).error().code,
                 ErrorCode::InvalidArgument);

        QVERIFY(store.deleteCase(order[1]));
        cases = store.cases(id).value();
        QCOMPARE(cases.size(), 3);
        for (int i = 0; i < cases.size(); ++i)
            QCOMPARE(cases[i].position, i); // no gap left behind
        QVERIFY(store.setCaseThreshold(cases[0].id, 0.5));
        QCOMPARE(store.testCase(cases[0].id)->threshold, std::optional<double>(0.5));
    }

    void importSkipsDuplicatesAndReportsThem()
    {
        DatasetStore store(db());
        const qint64 id = store.createDataset(QStringLiteral("imported")).value().id;
        auto first = store.importFile(id, dataFile("good.csv"));
        QVERIFY(first);
        QCOMPARE(first->added, 2);
        QCOMPARE(first->skippedDuplicates, 1);
        auto again = store.importFile(id, dataFile("good.csv"));
        QVERIFY(again);
        QCOMPARE(again->added, 0);
        QCOMPARE(again->skippedDuplicates, 3);
        const auto cases = store.cases(id).value();
        QCOMPARE(cases.size(), 2);
        QCOMPARE(cases[1].data.tags,
                 (QStringList {QStringLiteral("geo"), QStringLiteral("europe")}));
        QCOMPARE(cases[1].source, CaseSource::Import);
        // Export and re-import into a fresh dataset gives the same cases.
        const QByteArray jsonl = store.exportCases(id, ExportFormat::Jsonl).value();
        QCOMPARE(jsonl.count('\n'), 2);
        QVERIFY(store.exportCases(id, ExportFormat::Csv)
                    .value()
                    .startsWith("question,__expected,__tags"));
    }

    void brokenFilesImportNothingAndSayWhere()
    {
        DatasetStore store(db());
        const qint64 id = store.createDataset(QStringLiteral("broken")).value().id;
        QVERIFY(store.addCase(id, testCase("kept")));
        auto csv = store.importFile(id, dataFile("broken.csv"));
        QVERIFY(!csv);
        QCOMPARE(csv.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(csv.error().message.contains(QStringLiteral("broken.csv:3")),
                 qPrintable(csv.error().message));
        auto jsonl = store.importFile(id, dataFile("broken.jsonl"));
        QVERIFY(!jsonl);
        QVERIFY2(jsonl.error().message.contains(QStringLiteral("broken.jsonl:3:")),
                 qPrintable(jsonl.error().message));
        QCOMPARE(store.cases(id)->size(), 1);

        // A failure inside the transaction (a dataset that vanished) rolls everything back.
        QCOMPARE(store.importCases(999999, {testCase("x")}).error().code, ErrorCode::NotFound);
    }

    void assertionsAreValidatedOnSave()
    {
        DatasetStore datasets(db());
        const qint64 id = datasets.createDataset(QStringLiteral("checked")).value().id;
        const qint64 caseId = datasets.addCase(id, testCase("q")).value().id;
        AssertionStore store(db());
        auto regex = store.add(id, std::nullopt, {QStringLiteral("regex"), "(["});
        QVERIFY(!regex);
        QCOMPARE(regex.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(regex.error().message.contains(QStringLiteral("offset")),
                 qPrintable(regex.error().message));
        auto schema = store.add(id, std::nullopt,
                                {QStringLiteral("is-json"), nlohmann::json {{"type", 12}}});
        QVERIFY(!schema);
        QCOMPARE(store.add(id, std::nullopt, {QStringLiteral("no-such-type"), "x"}).error().code,
                 ErrorCode::InvalidArgument);

        auto all = store.add(id, std::nullopt, {QStringLiteral("contains"), "q"});
        auto own = store.add(id, caseId, {QStringLiteral("not-icontains"), "forbidden", 2.0});
        auto second = store.add(id, std::nullopt, {QStringLiteral("is-json")});
        QVERIFY(all && own && second);
        QCOMPARE(second->position, 1);
        const auto forCase = store.forCase(id, caseId).value();
        QCOMPARE(forCase.size(), 3);
        QCOMPARE(forCase[0].spec.type, QStringLiteral("contains"));
        QCOMPARE(forCase[1].spec.type, QStringLiteral("is-json"));
        QCOMPARE(forCase[2].spec.weight, 2.0);
        QCOMPARE(store.add(id, 424242, {QStringLiteral("contains"), "q"}).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store.update(all->id, {QStringLiteral("regex"), "(["}).error().code,
                 ErrorCode::InvalidArgument);
        QVERIFY(store.update(all->id, {QStringLiteral("regex"), "^q"}));
        QVERIFY(store.find(all->id)->spec.value == nlohmann::json("^q"));
        QVERIFY(store.remove(own->id));
        QCOMPARE(store.forDataset(id)->size(), 2);
        // Deleting the case deletes its own assertions.
        QVERIFY(store.add(id, caseId, {QStringLiteral("contains"), "q"}));
        QVERIFY(datasets.deleteCase(caseId));
        QCOMPARE(store.forDataset(id)->size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestDatasetStore)
#include "test_dataset_store.moc"
