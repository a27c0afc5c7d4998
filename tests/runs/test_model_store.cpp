#include "models/keystore.h"
#include "models/modelstore.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

class TestModelStore final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void addListUpdateRemove()
    {
        auto project = Project::create(m_dir.filePath(QStringLiteral("m.touchstone")));
        QVERIFY(project);
        ModelStore store(project->db());
        const ModelPreset preset = *findPreset(QStringLiteral("anthropic"));
        ModelConfig m;
        m.name = QStringLiteral("Claude Haiku");
        m.provider = preset.provider;
        m.baseUrl = preset.baseUrl;
        m.modelId = preset.exampleModel;
        m.keyRef = QStringLiteral("env:") + preset.keyEnvVar;
        m.priceInputPerMTok = 0.8;
        m.priceOutputPerMTok = 4.0;
        m.params.temperature = 0.5;
        auto added = store.add(m);
        QVERIFY2(added, qPrintable(added ? QString() : added.error().message));
        QVERIFY(added->id > 0);
        QCOMPARE(added->provider, ProviderKind::Anthropic);
        QCOMPARE(added->params.temperature, 0.5);
        QVERIFY(!store.add(m)); // same name
        added->modelId = QStringLiteral("claude-other");
        QVERIFY(store.update(*added));
        QCOMPARE(store.find(QStringLiteral("Claude Haiku"))->modelId, QStringLiteral("claude-other"));
        QCOMPARE(store.list()->size(), 1);
        QVERIFY(store.remove(QStringLiteral("Claude Haiku")));
        QCOMPARE(store.list()->size(), 0);
        QCOMPARE(store.remove(QStringLiteral("Claude Haiku")).error().code, ErrorCode::NotFound);
    }

    void costFromPrices()
    {
        ModelConfig m;
        m.priceInputPerMTok = 2.5;
        m.priceOutputPerMTok = 10.0;
        QCOMPARE(*m.cost(1000, 500), 2.5 * 1000 / 1e6 + 10.0 * 500 / 1e6);
        ModelConfig free;
        QVERIFY(!free.cost(10, 10));
    }

    void invalidConfigurationsAreRefused()
    {
        ModelConfig m;
        m.name = QStringLiteral("x");
        m.modelId = QStringLiteral("y");
        m.keyRef = QStringLiteral("sk-live-abcdef");
        QVERIFY(ModelStore::problem(m).contains(QStringLiteral("never stores the key")));
        m.keyRef.clear();
        m.baseUrl = QStringLiteral("ftp://host");
        QVERIFY(!ModelStore::problem(m).isEmpty());
        m.baseUrl.clear();
        m.modelId.clear();
        QVERIFY(!ModelStore::problem(m).isEmpty());
    }

    void keysResolveFromEnvironmentWithoutAKeychain()
    {
        qputenv("TS_MODEL_STORE_KEY", "abc");
        QCOMPARE(KeyStore::resolve(QStringLiteral("env:TS_MODEL_STORE_KEY")).value(), QStringLiteral("abc"));
        QCOMPARE(KeyStore::resolve(QString()).value(), QString());
        auto missing = KeyStore::resolve(QStringLiteral("env:TS_NOT_SET_ANYWHERE"));
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(QStringLiteral("TS_NOT_SET_ANYWHERE")));
        // Tests run with TOUCHSTONE_NO_KEYCHAIN: keychain references explain themselves.
        auto keychain = KeyStore::resolve(QStringLiteral("keychain:openai"));
        QVERIFY(!keychain);
        QVERIFY(keychain.error().message.contains(QStringLiteral("not available")));
        QVERIFY(!KeyStore::keychainAvailable());
    }
};

QTEST_GUILESS_MAIN(TestModelStore)
#include "test_model_store.moc"
