// Paged reads of a dataset (issue 13): pages follow the cases' order with keyset cursors, the
// count is exact, and a full read (cases()) agrees with reading page by page, including at the
// edges (an empty dataset, a dataset that is an exact multiple of the page size, cases added
// between two pages) and with forEachCase's early stop.

#include "datasets/datasetstore.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

QList<TestCaseData> numbered(int from, int count)
{
    QList<TestCaseData> list;
    for (int i = from; i < from + count; ++i) {
        TestCaseData c;
        c.vars = {{"n", i}, {"question", "Question " + std::to_string(i)}};
        list.append(c);
    }
    return list;
}

QList<int> numbersOf(const QList<TestCase> &cases)
{
    QList<int> n;
    for (const TestCase &c : cases)
        n.append(c.data.vars.value("n", -1));
    return n;
}

QList<int> range(int from, int count)
{
    QList<int> n;
    for (int i = from; i < from + count; ++i)
        n.append(i);
    return n;
}

} // namespace

class TestDatasetPaging final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;

    Database &db() { return m_project->db(); }

    qint64 makeDataset(const QString &name, int cases)
    {
        DatasetStore store(db());
        auto d = store.createDataset(name);
        if (!d)
            return 0;
        if (cases > 0 && !store.importCases(d->id, numbered(0, cases)))
            return 0;
        return d->id;
    }

    /// Every case of the dataset, read `pageSize` at a time.
    QList<TestCase> readAllPaged(qint64 datasetId, int pageSize, int *pages = nullptr)
    {
        DatasetStore store(db());
        QList<TestCase> all;
        CaseKey after;
        int n = 0;
        while (true) {
            auto page = store.casesPage(datasetId, after, pageSize);
            if (!page || page->isEmpty())
                break;
            ++n;
            all += *page;
            after = CaseKey::after(page->last());
            if (page->size() < pageSize)
                break;
        }
        if (pages)
            *pages = n;
        return all;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto p = Project::create(m_dir.filePath(QStringLiteral("paging.touchstone")));
        QVERIFY(p);
        m_project.emplace(std::move(*p));
    }

    void emptyDatasetHasNoPagesAndCountZero()
    {
        const qint64 id = makeDataset(QStringLiteral("empty"), 0);
        QVERIFY(id);
        DatasetStore store(db());
        QCOMPARE(store.caseCount(id).value(), 0);
        QVERIFY(store.casesPage(id, {}, 200).value().isEmpty());
        int visited = 0;
        QVERIFY(store.forEachCase(id, [&](const TestCase &) { return ++visited, true; }));
        QCOMPARE(visited, 0);
        QCOMPARE(store.caseCount(id + 1000).value(), 0); // no such dataset: nothing in it
    }

    void pagesFollowTheOrderAndMatchTheFullRead()
    {
        const qint64 id = makeDataset(QStringLiteral("seven hundred"), 700);
        QVERIFY(id);
        DatasetStore store(db());
        QCOMPARE(store.caseCount(id).value(), 700);
        int pages = 0;
        const QList<TestCase> paged = readAllPaged(id, 200, &pages);
        QCOMPARE(pages, 4); // 200, 200, 200, 100
        QCOMPARE(numbersOf(paged), range(0, 700));
        const QList<TestCase> whole = store.cases(id).value();
        QCOMPARE(paged.size(), whole.size());
        for (qsizetype i = 0; i < whole.size(); ++i) {
            QCOMPARE(paged[i].id, whole[i].id);
            QCOMPARE(paged[i].position, int(i));
            QVERIFY(paged[i].data == whole[i].data);
        }
        // A page starts right after its cursor, wherever that is.
        auto middle = store.casesPage(id, CaseKey::after(whole[349]), 3).value();
        QCOMPARE(numbersOf(middle), QList<int>({350, 351, 352}));
        QVERIFY(store.casesPage(id, CaseKey::after(whole.last()), 200).value().isEmpty());
    }

    void reorderedCasesPageInTheirNewOrder()
    {
        const qint64 id = makeDataset(QStringLiteral("reordered"), 5);
        QVERIFY(id);
        DatasetStore store(db());
        const QList<TestCase> stored = store.cases(id).value();
        QList<qint64> ids;
        for (const TestCase &c : stored)
            ids.prepend(c.id);
        auto reordered = store.reorderCases(id, ids);
        QVERIFY2(reordered, reordered ? "" : qPrintable(reordered.error().message));
        QCOMPARE(numbersOf(readAllPaged(id, 2)), QList<int>({4, 3, 2, 1, 0}));
    }

    void exactMultipleOfThePageSizeEndsWithAnEmptyPage()
    {
        const qint64 id = makeDataset(QStringLiteral("four hundred"), 400);
        QVERIFY(id);
        DatasetStore store(db());
        auto first = store.casesPage(id, {}, 200).value();
        auto second = store.casesPage(id, CaseKey::after(first.last()), 200).value();
        QCOMPARE(second.size(), 200);
        QCOMPARE(second.last().data.vars.value("n", -1), 399);
        QVERIFY(store.casesPage(id, CaseKey::after(second.last()), 200).value().isEmpty());
    }

    void casesAddedBetweenPagesArriveOnTheNextPages()
    {
        const qint64 id = makeDataset(QStringLiteral("changing"), 300);
        QVERIFY(id);
        DatasetStore store(db());
        auto first = store.casesPage(id, {}, 200).value();
        QCOMPARE(numbersOf(first), range(0, 200));
        // Cases added at the end after the first page was read: the next pages bring them.
        QVERIFY(store.importCases(id, numbered(300, 50)));
        auto second = store.casesPage(id, CaseKey::after(first.last()), 200).value();
        QCOMPARE(numbersOf(second), range(200, 150));
        auto third = store.casesPage(id, CaseKey::after(second.last()), 200).value();
        QVERIFY(third.isEmpty());
        QCOMPARE(store.caseCount(id).value(), 350);
    }

    void forEachCaseStopsWhenAsked()
    {
        const qint64 id = makeDataset(QStringLiteral("stopping"), 50);
        QVERIFY(id);
        DatasetStore store(db());
        QList<int> seen;
        QVERIFY(store.forEachCase(id, [&](const TestCase &c) {
            seen.append(c.data.vars.value("n", -1));
            return seen.size() < 10;
        }));
        QCOMPARE(seen, range(0, 10));
    }
};

QTEST_GUILESS_MAIN(TestDatasetPaging)
#include "test_dataset_paging.moc"
