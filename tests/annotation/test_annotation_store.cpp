#include "annotation/criterionstore.h"
#include "annotation/labelstore.h"
#include "annotation/queuestore.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

QueueItem logItem(qint64 id, const QString &output)
{
    QueueItem item;
    item.a = Target{Target::Kind::Log, id};
    item.input = {{"messages", {{{"role", "user"}, {"content", "question " + std::to_string(id)}}}}};
    item.outputA = output;
    item.context = {{"model", "gpt-4o-mini"}};
    return item;
}

QueueItem pairItem(qint64 a, qint64 b)
{
    QueueItem item;
    item.a = Target{Target::Kind::Generation, a};
    item.b = Target{Target::Kind::Case, b};
    item.outputA = QStringLiteral("new answer");
    item.outputB = QStringLiteral("production answer");
    return item;
}

} // namespace

class TestAnnotationStore final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto project = Project::create(m_dir.filePath(QStringLiteral("a%1.touchstone").arg(++n)));
        QVERIFY(project);
        m_project.emplace(std::move(*project));
    }

    void criteriaKeepTheirWording()
    {
        CriterionStore criteria(m_project->db());
        auto v1 = criteria.create(QStringLiteral("consistent"), QStringLiteral("Consistent with the ticket?"));
        QVERIFY(v1);
        QCOMPARE(v1->version, 1);
        QVERIFY(!criteria.create(QStringLiteral("consistent"), QStringLiteral("again")));
        auto same = criteria.edit(QStringLiteral("consistent"), QStringLiteral("Consistent with the ticket?"), {});
        QCOMPARE(same->id, v1->id); // nothing changed: no new version
        auto v2 = criteria.edit(QStringLiteral("consistent"),
                                QStringLiteral("Factually consistent with the ticket?"), {});
        QCOMPARE(v2->version, 2);

        LabelStore labels(m_project->db());
        const Target t{Target::Kind::Log, 7};
        QVERIFY(labels.setLabel(t, v1->id, QStringLiteral("ana"), LabelValue::No));
        QVERIFY(labels.setLabel(t, v2->id, QStringLiteral("ana"), LabelValue::Yes));
        auto all = labels.labels();
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(0).criterionVersion, 1); // the old answer remembers the old wording
        QCOMPARE(all->at(1).criterionVersion, 2);
        QCOMPARE(criteria.history(QStringLiteral("consistent"))->size(), 2);
        QCOMPARE(criteria.list()->first().question, QStringLiteral("Factually consistent with the ticket?"));
    }

    void labelsChangeAndUndo()
    {
        CriterionStore criteria(m_project->db());
        auto c = criteria.ensure(QStringLiteral("helpful"));
        LabelStore labels(m_project->db());
        const Target t{Target::Kind::Generation, 3};
        QVERIFY(labels.setLabel(t, c->id, QStringLiteral("ana"), LabelValue::Yes, 4.5));
        auto changed = labels.setLabel(t, c->id, QStringLiteral("ana"), LabelValue::No);
        QVERIFY(changed);
        QCOMPARE(changed->value, LabelValue::No);
        QCOMPARE(*changed->seconds, 4.5); // time spent is kept when the label changes
        QCOMPARE(labels.labels()->size(), 1);
        QVERIFY(labels.clearLabel(t, c->id, QStringLiteral("ana")));
        QVERIFY(labels.labels()->isEmpty());
        // Imports never overwrite.
        Label imported{0, t, c->id, {}, 0, QStringLiteral("ben"), LabelValue::Yes, {}, {}, {}, {}};
        QCOMPARE(*labels.addLabelIfAbsent(imported), true);
        imported.value = LabelValue::No;
        QCOMPARE(*labels.addLabelIfAbsent(imported), false);
        QCOMPARE(labels.labels()->first().value, LabelValue::Yes);
    }

    void queueHandsItemsToOverlapAnnotators()
    {
        QueueStore queues(m_project->db());
        QueueSpec spec{QStringLiteral("today"), QueueKind::Binary, 2, true,
                       {QStringLiteral("helpful"), QStringLiteral("safe")}, {}, {}, {}};
        auto q = queues.create(spec, {logItem(1, QStringLiteral("a")), logItem(2, QStringLiteral("b")),
                                      logItem(1, QStringLiteral("a")), logItem(3, QStringLiteral("c"))});
        QVERIFY2(q, qPrintable(q ? QString() : q.error().message));
        QCOMPARE(q->itemCount, 3); // the duplicate target counts once
        QCOMPARE(q->criteria.size(), 2);
        LabelStore labels(m_project->db());
        auto first = queues.next(q->id, QStringLiteral("ana"));
        QCOMPARE((*first)->a.id, 1);
        // One criterion answered: the item is not complete yet.
        QVERIFY(labels.setLabel((*first)->a, q->criteria[0].id, QStringLiteral("ana"), LabelValue::Yes));
        QCOMPARE(*queues.isComplete(**first, QStringLiteral("ana")), false);
        QCOMPARE((*queues.next(q->id, QStringLiteral("ana")))->a.id, 1);
        QVERIFY(labels.setLabel((*first)->a, q->criteria[1].id, QStringLiteral("ana"), LabelValue::Skip));
        QCOMPARE(*queues.isComplete(**first, QStringLiteral("ana")), true);
        QCOMPARE((*queues.next(q->id, QStringLiteral("ana")))->a.id, 2);
        QCOMPARE(queues.progress(q->id, QStringLiteral("ana"))->done, 1);
        // Ben and Cy each get item 1; a third annotator does not (overlap 2).
        for (const QString who : {QStringLiteral("ben")}) {
            auto item = queues.next(q->id, who);
            QCOMPARE((*item)->a.id, 1);
            for (const CriterionVersion &c : q->criteria)
                QVERIFY(labels.setLabel((*item)->a, c.id, who, LabelValue::No));
        }
        QCOMPARE((*queues.next(q->id, QStringLiteral("cy")))->a.id, 2);
        // Reopening from the start resumes where the annotator stopped.
        QCOMPARE((*queues.next(q->id, QStringLiteral("ana"), 0))->position, 1);
        QVERIFY(!queues.create(spec, {}).has_value()); // the name is taken
        QVERIFY(queues.reviewedTargetKeys()->contains(QStringLiteral("log:1")));
    }

    void longQueueResumesWhereEachAnnotatorStopped()
    {
        // Past the first few items, next() and progress() read who did what from index scans
        // rather than per item: the answers must be the ones a person expects.
        QueueStore queues(m_project->db());
        QueueSpec spec {QStringLiteral("long"), QueueKind::Binary, 2, true,
                        {QStringLiteral("helpful"), QStringLiteral("safe")}, {}, {}, {}};
        QList<QueueItem> items;
        for (int i = 0; i < 100; ++i) // positions out of target order
            items.append(logItem((i * 37) % 100 + 1, QStringLiteral("answer %1").arg(i)));
        auto q = queues.create(spec, items);
        QVERIFY(q);
        LabelStore labels(m_project->db());
        auto at = [&](int position) { return (*queues.itemAt(q->id, position))->a; };
        auto label = [&](int position, const QString &who, int criteria = 2) {
            for (int c = 0; c < criteria; ++c)
                QVERIFY(labels.setLabel(at(position), q->criteria[c].id, who, LabelValue::Yes));
        };
        for (int p = 0; p < 60; ++p)
            label(p, QStringLiteral("ana"), p == 45 ? 1 : 2);
        // A label on a criterion of no queue of this one does not complete an item.
        auto other = CriterionStore(m_project->db()).ensure(QStringLiteral("tone"));
        QVERIFY(other);
        QVERIFY(labels.setLabel(at(45), other->id, QStringLiteral("ana"), LabelValue::Yes));
        QCOMPARE((*queues.next(q->id, QStringLiteral("ana")))->position, 45);
        QCOMPARE((*queues.next(q->id, QStringLiteral("ana"), 46))->position, 60);
        QCOMPARE(queues.progress(q->id, QStringLiteral("ana"))->done, 59);
        QCOMPARE(queues.progress(q->id, QStringLiteral("ana"))->total, 100);
        // Ben and Cy label 40..75 (one criterion is enough to count as a labeler): with overlap
        // 2, Dan gets only what fewer than two others labeled.
        for (int p = 40; p < 76; ++p) {
            label(p, QStringLiteral("ben"), 1);
            label(p, QStringLiteral("cy"));
        }
        QCOMPARE((*queues.next(q->id, QStringLiteral("dan"), 40))->position, 76);
        QCOMPARE((*queues.next(q->id, QStringLiteral("dan")))->position, 0);
        // Ana and one other on 0..39: Dan may still take them (ana counts as one).
        QCOMPARE((*queues.next(q->id, QStringLiteral("cy"), 41))->position, 76);
        QCOMPARE(queues.progress(q->id, QStringLiteral("ben"))->done, 0);
        QCOMPARE(queues.progress(q->id, QStringLiteral("cy"))->done, 36);
        // Everything done by Ana: nothing left for her.
        label(45, QStringLiteral("ana"));
        for (int p = 60; p < 100; ++p)
            label(p, QStringLiteral("ana"));
        QVERIFY(!queues.next(q->id, QStringLiteral("ana"))->has_value());
        QCOMPARE(queues.progress(q->id, QStringLiteral("ana"))->done, 100);
        // Positions 40..75 now have three labelers: Dan skips them all.
        QCOMPARE((*queues.next(q->id, QStringLiteral("dan"), 30))->position, 30);
        QCOMPARE((*queues.next(q->id, QStringLiteral("dan"), 40))->position, 76);
    }

    void blindSidesAreStoredAndUndone()
    {
        QueueStore queues(m_project->db());
        QueueSpec spec{QStringLiteral("ab"), QueueKind::Pairwise, 1, true, {}, {}, {}, {}};
        QList<QueueItem> items;
        for (int i = 0; i < 40; ++i)
            items.append(pairItem(100 + i, 200 + i));
        auto q = queues.create(spec, items);
        QVERIFY(q);
        LabelStore labels(m_project->db());
        int left = 0;
        int leftWins = 0;
        const auto stored = queues.items(q->id);
        QVERIFY(stored);
        for (const QueueItem &item : *stored) {
            const bool leftIsA = *labels.leftIsA(item.id, QStringLiteral("ana"));
            QCOMPARE(*labels.leftIsA(item.id, QStringLiteral("ana")), leftIsA); // stable
            left += leftIsA;
            // The annotator always presses "left is better": stored as the true item.
            const Choice choice = leftIsA ? Choice::A : Choice::B;
            auto p = labels.setPreference(item.a, *item.b, 0, QStringLiteral("ana"),
                                          choice, leftIsA);
            QVERIFY(p);
            QCOMPARE(p->choice, choice);
            ++leftWins;
        }
        QVERIFY(left > 5 && left < 35); // both sides are used
        auto bias = labels.positionBias();
        QCOMPARE(bias->size(), 1);
        QCOMPARE(bias->first().leftWins, leftWins);
        QCOMPARE(bias->first().decided, 40);
        QCOMPARE(queues.progress(q->id, QStringLiteral("ana"))->done, 40);
        auto firstItem = queues.items(q->id, 1)->first();
        QVERIFY(labels.clearPreference(firstItem.a, *firstItem.b, 0, QStringLiteral("ana")));
        QCOMPARE(queues.progress(q->id, QStringLiteral("ana"))->done, 39);
        // A binary item does not fit a pairwise queue.
        QueueSpec wrong = spec;
        wrong.name = QStringLiteral("wrong");
        QVERIFY(!queues.create(wrong, {logItem(1, QStringLiteral("x"))}));
    }

    void notesCorrectionsAndAdjudications()
    {
        LabelStore labels(m_project->db());
        const Target t{Target::Kind::Log, 9};
        QVERIFY(labels.setNote(t, QStringLiteral("ana"), QStringLiteral("tone is off")));
        QCOMPARE(**labels.note(t, QStringLiteral("ana")), QStringLiteral("tone is off"));
        QVERIFY(labels.setCorrection(t, QStringLiteral("ana"), QStringLiteral("Sorry — refund sent today.")));
        QCOMPARE(**labels.correction(t), QStringLiteral("Sorry — refund sent today."));
        Adjudication a{t, std::nullopt, 1, QStringLiteral("no"), QStringLiteral("lead"), {}, {}};
        QVERIFY(labels.adjudicate(a));
        a.value = QStringLiteral("yes");
        QVERIFY(labels.adjudicate(a));
        auto all = labels.adjudications(1);
        QCOMPARE(all->size(), 1);
        QCOMPARE(all->first().value, QStringLiteral("yes"));
    }
};

QTEST_GUILESS_MAIN(TestAnnotationStore)
#include "test_annotation_store.moc"
