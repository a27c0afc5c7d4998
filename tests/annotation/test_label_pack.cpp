#include "annotation/criterionstore.h"
#include "annotation/labelpack.h"
#include "annotation/labelstore.h"
#include "annotation/queuestore.h"
#include "fixtures.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

const QString ana = QStringLiteral("ana");
const QString ben = QStringLiteral("ben");

QueueItem logItem(qint64 id)
{
    QueueItem item;
    item.a = Target {Target::Kind::Log, id};
    item.input
        = {{"messages", {{{"role", "user"}, {"content", "question " + std::to_string(id)}}}}};
    item.outputA = QStringLiteral("answer %1").arg(id);
    item.context = {{"model", "gpt-4o-mini"}};
    return item;
}

std::optional<Label> labelOf(Database &db, qint64 logId, const QString &annotator)
{
    auto labels = LabelStore(db).labelsOf({Target::Kind::Log, logId}, annotator);
    if (!labels || labels->isEmpty())
        return std::nullopt;
    return labels->first();
}

} // namespace

class TestLabelPack final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    // Ana exports a queue, labels at home while Ben labels in the pack; importing keeps both,
    // overwrites nobody, and importing again adds nothing.
    void twoAnnotatorsRoundTrip()
    {
        auto home = Project::create(path(QStringLiteral("home.touchstone")));
        QVERIFY(home);
        Database &db = home->db();
        QCOMPARE(fixtures::addLogs(db, 3).size(), 3);
        CriterionStore criteria(db);
        auto helpful = criteria.create(QStringLiteral("helpful"), QStringLiteral("Is it helpful?"));
        QVERIFY(helpful);
        QueueStore queues(db);
        QueueSpec spec {QStringLiteral("review"),
                        QueueKind::Binary,
                        2,
                        true,
                        {QStringLiteral("helpful")},
                        {},
                        {},
                        {}};
        auto queue = queues.create(spec, {logItem(1), logItem(2), logItem(3)});
        QVERIFY(queue);
        auto items = queues.items(queue->id);
        LabelStore labels(db);
        QVERIFY(labels.setLabel(items->at(0).a, helpful->id, ana, LabelValue::Yes, 2.0,
                                items->at(0).id));

        // Export: only the queue, its items, its criteria and the labels given so far.
        const QString packPath = path(QStringLiteral("review-pack.touchstone"));
        auto exported = labelpack::exportPack(db, QStringLiteral("review"), packPath);
        QVERIFY2(exported, qPrintable(exported ? QString() : exported.error().message));
        QCOMPARE(exported->items, 3);
        QCOMPARE(exported->labels, 1);
        QVERIFY(!exported->packId.isEmpty());
        QCOMPARE(*queues.queue(queue->id)->packId, exported->packId);
        QVERIFY(!labelpack::exportPack(db, QStringLiteral("review"),
                                       packPath)); // never overwrites a file

        {
            auto pack = Project::open(packPath);
            QVERIFY(pack);
            Database &pdb = pack->db();
            QCOMPARE(labelpack::packIdOf(pdb), exported->packId);
            QCOMPARE(*pdb.queryInt(QStringLiteral("SELECT count(*) FROM logs")), 0);
            QCOMPARE(*pdb.queryInt(QStringLiteral("SELECT count(*) FROM queues")), 1);
            auto packQueue = QueueStore(pdb).queue(QStringLiteral("review"));
            QVERIFY(packQueue);
            QCOMPARE(packQueue->overlap, 2);
            QCOMPARE(packQueue->criteria.first().question, QStringLiteral("Is it helpful?"));
            auto packItems = QueueStore(pdb).items(packQueue->id);
            QCOMPARE(packItems->size(), 3);
            QCOMPARE(*packItems->at(1).outputA, QStringLiteral("answer 2")); // the snapshot travels
            QCOMPARE(labelOf(pdb, 1, ana)->value, LabelValue::Yes);

            // Ben labels in the pack; the wording is edited there before his last label; and
            // someone changes Ana's label inside the pack, which must not reach home.
            LabelStore packLabels(pdb);
            const CriterionVersion v1 = packQueue->criteria.first();
            QVERIFY(packLabels.setLabel(packItems->at(0).a, v1.id, ben, LabelValue::No, 3.0,
                                        packItems->at(0).id));
            QVERIFY(packLabels.setLabel(packItems->at(1).a, v1.id, ben, LabelValue::Yes, 1.0,
                                        packItems->at(1).id));
            auto v2 = CriterionStore(pdb).edit(QStringLiteral("helpful"),
                                               QStringLiteral("Is it helpful and polite?"), {});
            QCOMPARE(v2->version, 2);
            QVERIFY(packLabels.setLabel(packItems->at(2).a, v2->id, ben, LabelValue::Yes, 1.5,
                                        packItems->at(2).id));
            QVERIFY(packLabels.setNote(packItems->at(0).a, ben, QStringLiteral("Too curt.")));
            QVERIFY(packLabels.setCorrection(
                packItems->at(0).a, ben,
                QStringLiteral("Your order ships tomorrow, sorry for the wait.")));
            QVERIFY(packLabels.setLabel(packItems->at(0).a, v1.id, ana, LabelValue::No));
        }

        // Meanwhile Ana labels the other two at home.
        QVERIFY(labels.setLabel(items->at(1).a, helpful->id, ana, LabelValue::No));
        QVERIFY(labels.setLabel(items->at(2).a, helpful->id, ana, LabelValue::Yes));

        auto merged = labelpack::importPack(db, packPath);
        QVERIFY2(merged, qPrintable(merged ? QString() : merged.error().message));
        QCOMPARE(merged->queue, QStringLiteral("review"));
        QVERIFY(!merged->createdQueue);
        QCOMPARE(merged->labelsAdded, 3); // Ben's three
        QCOMPARE(merged->labelsSkipped, 1); // Ana's own label stays as she gave it at home
        QCOMPARE(merged->notesAdded, 1);
        QCOMPARE(merged->correctionsAdded, 1);
        QCOMPARE(labels.labels()->size(), 6);
        QCOMPARE(labelOf(db, 1, ana)->value, LabelValue::Yes);
        QCOMPARE(labelOf(db, 1, ben)->value, LabelValue::No);
        QCOMPARE(*labelOf(db, 1, ben)->seconds, 3.0);
        QCOMPARE(*labelOf(db, 1, ben)->queueItemId, items->at(0).id); // mapped to this queue's item
        QCOMPARE(labelOf(db, 3, ben)->criterionVersion, 2); // the edited wording came along
        QCOMPARE(criteria.history(QStringLiteral("helpful"))->size(), 2);
        QCOMPARE(**labels.note({Target::Kind::Log, 1}, ben), QStringLiteral("Too curt."));
        QCOMPARE(**labels.correction({Target::Kind::Log, 1}, ben),
                 QStringLiteral("Your order ships tomorrow, sorry for the wait."));
        QCOMPARE(queues.progress(queue->id, ben)->done, 3);
        QCOMPARE(queues.progress(queue->id, ana)->done, 3);

        auto again = labelpack::importPack(db, packPath);
        QVERIFY(again);
        QCOMPARE(again->added(), 0);
        QCOMPARE(again->skipped(), 6);
        QCOMPARE(labels.labels()->size(), 6);
        QCOMPARE(criteria.history(QStringLiteral("helpful"))->size(), 2);

        // A project without the queue gets it from the pack's items.
        auto other = Project::create(path(QStringLiteral("other.touchstone")));
        QVERIFY(other);
        auto fresh = labelpack::importPack(other->db(), packPath);
        QVERIFY(fresh);
        QVERIFY(fresh->createdQueue);
        QCOMPARE(fresh->labelsAdded, 4);
        auto copied = QueueStore(other->db()).queue(QStringLiteral("review"));
        QVERIFY(copied);
        QCOMPARE(copied->itemCount, 3);
        QCOMPARE(*copied->packId, exported->packId);
        QCOMPARE(*QueueStore(other->db()).items(copied->id)->at(2).outputA,
                 QStringLiteral("answer 3"));
        QCOMPARE(labelpack::importPack(other->db(), packPath)->added(), 0);
    }

    void pairwisePacksKeepTheSideShown()
    {
        auto home = Project::create(path(QStringLiteral("pairs.touchstone")));
        QVERIFY(home);
        Database &db = home->db();
        QueueItem item;
        item.a = Target {Target::Kind::Generation, 11};
        item.b = Target {Target::Kind::Generation, 12};
        item.outputA = QStringLiteral("first");
        item.outputB = QStringLiteral("second");
        QueueSpec spec {QStringLiteral("pairs"), QueueKind::Pairwise, 1, true, {}, {}, {}, {}};
        auto queue = QueueStore(db).create(spec, {item});
        QVERIFY(queue);
        const QString packPath = path(QStringLiteral("pairs-pack.touchstone"));
        QVERIFY(labelpack::exportPack(db, QStringLiteral("pairs"), packPath));
        {
            auto pack = Project::open(packPath);
            QVERIFY(pack);
            auto packItem = QueueStore(pack->db())
                                .items(QueueStore(pack->db()).queue(QStringLiteral("pairs"))->id)
                                ->first();
            QVERIFY(LabelStore(pack->db())
                        .setPreference(packItem.a, *packItem.b, 0, ben, Choice::B, false, 4.0,
                                       packItem.id));
        }
        auto merged = labelpack::importPack(db, packPath);
        QVERIFY(merged);
        QCOMPARE(merged->preferencesAdded, 1);
        auto prefs = LabelStore(db).preferences();
        QCOMPARE(prefs->size(), 1);
        QCOMPARE(prefs->first().choice, Choice::B);
        QCOMPARE(*prefs->first().leftIsA, false);
        QCOMPARE(prefs->first().annotator, ben);
        QCOMPARE(labelpack::importPack(db, packPath)->preferencesAdded, 0);
    }

    void refusesWhatIsNotAPack()
    {
        auto plain = Project::create(path(QStringLiteral("plain.touchstone")));
        QVERIFY(plain);
        auto target = Project::create(path(QStringLiteral("target.touchstone")));
        QVERIFY(target);
        auto result = labelpack::importPack(target->db(), path(QStringLiteral("plain.touchstone")));
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        QVERIFY(!labelpack::exportPack(target->db(), QStringLiteral("missing"),
                                       path(QStringLiteral("x.touchstone"))));
        QVERIFY(!QFile::exists(path(QStringLiteral("x.touchstone"))));
    }
};

QTEST_GUILESS_MAIN(TestLabelPack)
#include "test_label_pack.moc"
