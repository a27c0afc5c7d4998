#include "test_playground_fixture.h"

#include "playground/modellistmodel.h"
#include "playground/modelsdialog.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QStandardPaths>

using namespace ts;
using namespace ts::test;

namespace {

ModelConfig config(const QString &name, const QString &modelId)
{
    ModelConfig m;
    m.name = name;
    m.modelId = modelId;
    m.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
    return m;
}

void fillForLocalServer(ModelsDialog &dialog, const QString &name, const QString &baseUrl, const QString &modelId)
{
    dialog.newFromPreset(QStringLiteral("custom"));
    dialog.nameEdit()->setText(name);
    dialog.baseUrlEdit()->setText(baseUrl);
    dialog.modelIdBox()->setEditText(modelId);
    dialog.keyModeBox()->setCurrentIndex(dialog.keyModeBox()->findData(int(ModelsDialog::KeyMode::None)));
}

} // namespace

class TestModelsDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void modelListModelPassesTesterAndTracksChecks()
    {
        ModelListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setModels({config(QStringLiteral("a"), QStringLiteral("m1")), config(QStringLiteral("b"), QStringLiteral("m2"))});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(!model.data(model.index(0), Qt::CheckStateRole).isValid());
        QVERIFY(!(model.flags(model.index(0)) & Qt::ItemIsUserCheckable));

        model.setCheckable(true);
        QSignalSpy checked(&model, &ModelListModel::checkedChanged);
        QVERIFY(model.setData(model.index(1), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(model.setData(model.index(0), Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(model.checkedNames(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(checked.count(), 2);
        QCOMPARE(model.data(model.index(0), ModelListModel::ModelIdRole).toString(), QStringLiteral("m1"));
        QVERIFY(model.data(model.index(0), Qt::ToolTipRole).toString().contains(QStringLiteral("m1")));

        // A model that goes away is unchecked with it.
        model.setModels({config(QStringLiteral("b"), QStringLiteral("m2")), config(QStringLiteral("c"), QStringLiteral("m3"))});
        QCOMPARE(model.checkedNames(), QStringList{QStringLiteral("b")});
        model.setCheckedNames({QStringLiteral("c"), QStringLiteral("zzz")});
        QCOMPARE(model.checkedNames(), QStringList{QStringLiteral("c")});
        model.setModels({});
        QCOMPARE(model.rowCount(), 0);
    }

    void addsAModelAndTestsTheConnection()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({}));
        QAbstractItemModelTester tester(f.catalog->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int before = int(f.catalog->models().size());
        ModelsDialog dialog(*f.catalog, *f.services);
        fillForLocalServer(dialog, QStringLiteral("Local fake"), f.server.baseUrl() + QStringLiteral("/v1"),
                           QStringLiteral("fake-small"));

        QSignalSpy tested(&dialog, &ModelsDialog::connectionTested);
        dialog.testConnection();
        QVERIFY(tested.wait(waitMs));
        QVERIFY2(tested.last().at(0).toBool(), qPrintable(dialog.statusText()));
        QVERIFY(dialog.statusText().startsWith(QStringLiteral("Connected")));
        QVERIFY(!dialog.statusIsError());

        QSignalSpy saved(&dialog, &ModelsDialog::modelSaved);
        dialog.save();
        QVERIFY(saved.wait(waitMs));
        QVERIFY(waitUntil([&] { return f.catalog->models().size() == before + 1; }));
        QVERIFY(f.catalog->model()->rowOf(QStringLiteral("Local fake")) >= 0);
        QCOMPARE(f.queryText(QStringLiteral("SELECT model_id FROM models WHERE name = 'Local fake'")), QStringLiteral("fake-small"));
        // The playground's picker offers it at once.
        QVERIFY(f.controller->picker()->rowOf(QStringLiteral("Local fake")) >= 0);

        // Editing keeps the identity: a new model id, same row.
        QVERIFY(dialog.selectModel(QStringLiteral("Local fake")));
        dialog.modelIdBox()->setEditText(QStringLiteral("fake-large"));
        dialog.save();
        QVERIFY(saved.wait(waitMs));
        QVERIFY(waitUntil([&] {
            return f.queryText(QStringLiteral("SELECT model_id FROM models WHERE name = 'Local fake'")) == QStringLiteral("fake-large");
        }));
        QCOMPARE(int(f.catalog->models().size()), before + 1);

        // Remove.
        dialog.removeCurrent();
        QVERIFY(waitUntil([&] { return f.catalog->model()->rowOf(QStringLiteral("Local fake")) < 0; }));
    }

    void testConnectionReportsARejectedKey()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({}));
        ModelsDialog dialog(*f.catalog, *f.services);
        fillForLocalServer(dialog, QStringLiteral("Rejecting"), f.server.baseUrl() + QStringLiteral("/v1"),
                           QStringLiteral("fake-small+fault=401"));
        QSignalSpy tested(&dialog, &ModelsDialog::connectionTested);
        dialog.testConnection();
        QVERIFY(tested.wait(waitMs));
        QVERIFY(!tested.last().at(0).toBool());
        QVERIFY(dialog.statusIsError());
        QVERIFY(!dialog.statusText().isEmpty());
    }

    void listsTheModelsTheServerOffers()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({}));
        ModelsDialog dialog(*f.catalog, *f.services);
        fillForLocalServer(dialog, QStringLiteral("Lister"), f.server.baseUrl() + QStringLiteral("/v1"), QString());
        QSignalSpy listed(&dialog, &ModelsDialog::serverModelsListed);
        dialog.listServerModels();
        QVERIFY(listed.wait(waitMs));
        QCOMPARE(listed.last().at(0).toInt(), 3);
        QVERIFY(dialog.modelIdBox()->findText(QStringLiteral("fake-small")) >= 0);
        QVERIFY(dialog.modelIdBox()->findText(QStringLiteral("fake-large")) >= 0);
    }

    void keychainUnavailableExplainsAndOffersAnEnvironmentVariable()
    {
        // The tests run with TOUCHSTONE_NO_KEYCHAIN=1, as on a server without a keychain.
        PlaygroundFixture f;
        QVERIFY(f.start({}));
        ModelsDialog dialog(*f.catalog, *f.services);
        dialog.newFromPreset(QStringLiteral("openai"));
        QCOMPARE(dialog.envVarEdit()->text(), QStringLiteral("OPENAI_API_KEY"));
        QCOMPARE(dialog.formModel().keyRef, QStringLiteral("env:OPENAI_API_KEY"));
        dialog.keyModeBox()->setCurrentIndex(dialog.keyModeBox()->findData(int(ModelsDialog::KeyMode::Keychain)));
        dialog.save();
        QVERIFY(dialog.statusIsError());
        QVERIFY2(dialog.statusText().contains(QStringLiteral("Environment variable")), qPrintable(dialog.statusText()));
        // Nothing was stored.
        QTest::qWait(200);
        QCOMPARE(f.queryInt(QStringLiteral("SELECT count(*) FROM models WHERE name = 'gpt-4o-mini'")), 0);
    }

    void refusesAKeyPastedAsAVariableName()
    {
        PlaygroundFixture f;
        QVERIFY(f.start({}));
        ModelsDialog dialog(*f.catalog, *f.services);
        dialog.newFromPreset(QStringLiteral("openai"));
        dialog.nameEdit()->setText(QStringLiteral("Pasted"));
        dialog.envVarEdit()->setText(QStringLiteral("sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"));
        QSignalSpy saved(&dialog, &ModelsDialog::modelSaved);
        dialog.save();
        QVERIFY(waitUntil([&] { return dialog.statusIsError(); }));
        QCOMPARE(saved.count(), 0);
    }
};

QTEST_MAIN(TestModelsDialog)
#include "test_models_dialog.moc"
