#include "annotation/labelstore.h"
#include "annotation/queuebuilder.h"
#include "logs/logstore.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

LogRecord record(int i, const QString &model, bool ok, const QString &output)
{
    LogRecord r;
    r.startMs = 1764500000000 + i * 1000;
    r.model = model;
    r.ok = ok;
    if (!ok)
        r.error = QStringLiteral("timeout");
    r.messages = {{QStringLiteral("user"), QStringLiteral("question %1").arg(i), {}, {}}};
    r.output = output;
    r.promptName = QStringLiteral("support");
    r.promptVersion = QStringLiteral("2");
    r.sourceFormat = QStringLiteral("test");
    return r;
}

QSet<QString> keys(const QList<QueueItem> &items)
{
    QSet<QString> k;
    for (const QueueItem &i : items)
        k.insert(i.key());
    return k;
}

} // namespace

class TestQueueBuilder final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;

    void addLogs(int from, int count)
    {
        LogStore logs(m_project->db());
        QList<LogRecord> batch;
        for (int i = from; i < from + count; ++i)
            batch.append(record(i, i % 3 == 0 ? QStringLiteral("claude") : QStringLiteral("gpt"),
                                i % 7 != 0, QStringLiteral("answer %1").arg(i)));
        QVERIFY(logs.add(batch));
    }

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto project = Project::create(m_dir.filePath(QStringLiteral("q%1.touchstone").arg(++n)));
        QVERIFY(project);
        m_project.emplace(std::move(*project));
    }

    void identicalContentCountsOnceAndSeedsRepeat()
    {
        QList<Candidate> candidates;
        for (int i = 0; i < 20; ++i) {
            Candidate c;
            c.item.a = Target{Target::Kind::Log, i};
            c.stratum = i < 15 ? QStringLiteral("gpt|ok") : QStringLiteral("claude|error");
            c.failing = i >= 15;
            c.contentKey = QString::number(i % 10); // every content twice
            candidates.append(c);
        }
        const auto a = sampleCandidates(candidates, 5, SamplingStrategy::Random, 7);
        QCOMPARE(a.size(), 5);
        QCOMPARE(keys(a).size(), 5);
        QCOMPARE(keys(sampleCandidates(candidates, 5, SamplingStrategy::Random, 7)), keys(a));
        QCOMPARE(sampleCandidates(candidates, -1, SamplingStrategy::Random, 7).size(), 10);
        // The unique candidates are ids 0..9, and only 15..19 fail: none of them is unique
        // content, so failing-first has nothing to put first; with distinct content it does.
        for (int i = 0; i < 20; ++i)
            candidates[i].contentKey = QString::number(i);
        const auto failing = sampleCandidates(candidates, 5, SamplingStrategy::FailingFirst, 1);
        for (const QueueItem &item : failing)
            QVERIFY(item.a.id >= 15);
        // Stratified: both strata appear in the first two.
        const auto strat = sampleCandidates(candidates, 2, SamplingStrategy::Stratified, 3);
        QVERIFY((strat[0].a.id >= 15) != (strat[1].a.id >= 15));
    }

    void dailyIsTheSameForEveryoneAndNeverRepeats()
    {
        addLogs(0, 120);
        // Two copies of the project: two reviewers on the same day get the same sample.
        const QString copy = m_dir.filePath(QStringLiteral("copy.touchstone"));
        const QString path = m_project->path();
        m_project.reset(); // closing checkpoints the WAL into the file
        QVERIFY(QFile::copy(path, copy));
        auto reopened = Project::open(path);
        QVERIFY(reopened);
        m_project.emplace(std::move(*reopened));
        auto other = Project::open(copy);
        QVERIFY(other);

        DailyOptions day1{QDate(2026, 11, 30), 25, {}};
        auto q1 = buildDailyQueue(m_project->db(), day1);
        QVERIFY2(q1, qPrintable(q1 ? QString() : q1.error().message));
        QCOMPARE(q1->itemCount, 25);
        QCOMPARE(q1->name, QStringLiteral("Daily 2026-11-30"));
        QCOMPARE(q1->criteria.first().name, QStringLiteral("acceptable"));
        auto q1other = buildDailyQueue(other->db(), day1);
        QVERIFY(q1other);
        QueueStore here(m_project->db());
        QueueStore there(other->db());
        QCOMPARE(keys(*there.items(q1other->id)), keys(*here.items(q1->id)));
        // Both models and both statuses are in the sample (stratified).
        QSet<std::string> models;
        QSet<std::string> statuses;
        const auto day1Items = here.items(q1->id);
        QVERIFY(day1Items);
        for (const QueueItem &item : *day1Items) {
            models.insert(item.context["model"].get<std::string>());
            statuses.insert(item.context["status"].get<std::string>());
        }
        QCOMPARE(models.size(), 2);
        QCOMPARE(statuses.size(), 2);
        // Asking again the same day gives the same queue.
        QCOMPARE(buildDailyQueue(m_project->db(), day1)->id, q1->id);

        // The next day: only logs that arrived since, never an item already in a daily queue.
        QTest::qWait(5); // imported_at has millisecond resolution
        addLogs(1000, 10);
        auto q2 = buildDailyQueue(m_project->db(), DailyOptions{QDate(2026, 12, 1), 25, {}});
        QVERIFY(q2);
        QCOMPARE(q2->itemCount, 10);
        const auto day2 = keys(*here.items(q2->id));
        QVERIFY(!day2.intersects(keys(*here.items(q1->id))));
        QCOMPARE(q2->criteria.first().name, QStringLiteral("acceptable")); // carried over
        QCOMPARE(dailySeed(QDate(2026, 12, 1)), std::uint64_t(20261201));

        // A check made before the day's logs arrive is empty; asking again once they have
        // arrived builds the day's queue with them instead of keeping the empty one.
        auto early = buildDailyQueue(m_project->db(), DailyOptions{QDate(2026, 12, 2), 25, {}});
        QVERIFY(early);
        QCOMPARE(early->itemCount, 0);
        QTest::qWait(5);
        addLogs(2000, 3);
        auto later = buildDailyQueue(m_project->db(), DailyOptions{QDate(2026, 12, 2), 25, {}});
        QVERIFY(later);
        QCOMPARE(later->itemCount, 3);
        QCOMPARE(later->name, QStringLiteral("Daily 2026-12-02"));
    }

    void logFiltersAndSearch()
    {
        addLogs(0, 30);
        LogFilter f;
        f.search = QStringLiteral("question 14");
        auto found = queuesource::fromLogs(m_project->db(), f);
        QVERIFY(found);
        QCOMPARE(found->size(), 1);
        QCOMPARE(found->first().item.outputA, QStringLiteral("answer 14"));
        QCOMPARE(found->first().item.input["messages"][0]["content"].get<std::string>(),
                 std::string("question 14"));
        f = {};
        f.ok = false;
        auto errors = queuesource::fromLogs(m_project->db(), f);
        QCOMPARE(errors->size(), 5); // 0, 7, 14, 21, 28
        QVERIFY(errors->first().failing);
    }
};

QTEST_GUILESS_MAIN(TestQueueBuilder)
#include "test_queue_builder.moc"
