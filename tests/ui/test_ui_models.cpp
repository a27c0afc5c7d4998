#include "history/versionlistmodel.h"
#include "prompts/promptfilterproxy.h"
#include "prompts/promptlistmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace ts;

namespace {

PromptInfo info(qint64 id, const QString &name, const QString &description, int versions)
{
    PromptInfo p;
    p.id = id;
    p.name = name;
    p.description = description;
    p.versionCount = versions;
    p.latestVersion = versions;
    return p;
}

PromptVersion version(int number, const QString &note, const QStringList &labels)
{
    PromptVersion v;
    v.id = 100 + number;
    v.promptId = 1;
    v.promptName = QStringLiteral("support-reply");
    v.number = number;
    v.note = note;
    v.author = QStringLiteral("ana");
    v.createdAt = QStringLiteral("2024-05-01T12:00:00.000Z");
    v.labels = labels;
    v.content.messages = {{QStringLiteral("user"), QStringLiteral("v%1").arg(number)}};
    return v;
}

const QList<PromptInfo> samplePrompts = {
    info(1, QStringLiteral("support-reply"), QStringLiteral("Replies to tickets"), 3),
    info(2, QStringLiteral("extract-order"), QStringLiteral("Pulls order details"), 2),
    info(3, QStringLiteral("headline"), QStringLiteral("Writes a headline for an ORDER page"), 1),
};

} // namespace

class TestUiModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void promptListModelPassesTesterAndMarksUnsaved()
    {
        PromptListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPrompts(samplePrompts, {2});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0).data().toString(), QStringLiteral("support-reply"));
        QCOMPARE(model.index(1).data().toString(), QStringLiteral("extract-order •"));
        QVERIFY(model.index(1).data(PromptListModel::DirtyRole).toBool());

        model.setDirty(1, true);
        QVERIFY(model.index(0).data().toString().endsWith(QStringLiteral("•")));
        model.setDirty(2, false);
        QCOMPARE(model.index(1).data().toString(), QStringLiteral("extract-order"));
        QCOMPARE(model.rowOf(3), 2);
        QCOMPARE(model.rowOf(42), -1);
        model.setPrompts({}, {});
        QCOMPARE(model.rowCount(), 0);
    }

    void filterMatchesNameOrDescriptionInAnyCase()
    {
        PromptListModel model;
        PromptFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPrompts(samplePrompts, {});
        proxy.setSearchText(QStringLiteral("order"));
        QStringList names;
        for (int row = 0; row < proxy.rowCount(); ++row)
            names << proxy.index(row, 0).data(PromptListModel::NameRole).toString();
        QCOMPARE(names, (QStringList{QStringLiteral("extract-order"), QStringLiteral("headline")}));
        proxy.setSearchText(QStringLiteral("  TICKETS "));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setSearchText(QString());
        QCOMPARE(proxy.rowCount(), 3);
    }

    void versionListModelShowsNumbersLabelsAndNotes()
    {
        VersionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setVersions({version(3, QStringLiteral("Sign with the agent's name\nsecond line"), {QStringLiteral("staging")}),
                           version(2, QString(), {QStringLiteral("canary"), QStringLiteral("production")}),
                           version(1, QStringLiteral("First draft"), {})});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(VersionListModel::ColumnCount));
        QCOMPARE(model.index(0, VersionListModel::NumberColumn).data().toString(), QStringLiteral("v3"));
        QCOMPARE(model.index(0, VersionListModel::NoteColumn).data().toString(), QStringLiteral("Sign with the agent's name"));
        QCOMPARE(model.index(1, VersionListModel::NoteColumn).data().toString(), QStringLiteral("(no note)"));
        QCOMPARE(model.index(1, VersionListModel::LabelsColumn).data(VersionListModel::LabelsRole).toStringList(),
                 (QStringList{QStringLiteral("canary"), QStringLiteral("production")}));
        QCOMPARE(model.allLabels(), (QStringList{QStringLiteral("canary"), QStringLiteral("production"),
                                                 QStringLiteral("staging")}));
        QCOMPARE(model.version(1)->note, QStringLiteral("First draft"));
        QVERIFY(!model.version(9));
        model.setVersions({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestUiModels)
#include "test_ui_models.moc"
