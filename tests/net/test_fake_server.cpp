#include <QTest>
class TestFakeServer : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestFakeServer)
#include "test_fake_server.moc"
