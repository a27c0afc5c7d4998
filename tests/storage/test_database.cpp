#include "storage/database.h"
#include "storage/statement.h"
#include "storage/transaction.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

class TestDatabase final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    Database freshDb()
    {
        static int n = 0;
        auto db = Database::open(m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++n)),
                                 Database::Access::Create);
        if (!db)
            qFatal("cannot open test database");
        (void)db->exec(QStringLiteral("CREATE TABLE t(x INTEGER, s TEXT)"));
        return std::move(*db);
    }

    static qint64 count(Database &db) { return db.queryInt(QStringLiteral("SELECT count(*) FROM t")).value(); }

private Q_SLOTS:
    void transactionRollsBackUnlessCommitted()
    {
        Database db = freshDb();
        {
            auto tx = Transaction::begin(db);
            QVERIFY(tx);
            QVERIFY(db.exec(QStringLiteral("INSERT INTO t VALUES (1, 'a')")));
        } // destroyed without commit
        QCOMPARE(count(db), 0);
        {
            auto tx = Transaction::begin(db);
            QVERIFY(db.exec(QStringLiteral("INSERT INTO t VALUES (2, 'b')")));
            QVERIFY(tx->commit());
        }
        QCOMPARE(count(db), 1);
    }

    void statementBindsAndReadsUnicodeAndNulls()
    {
        Database db = freshDb();
        auto insert = db.prepare(QStringLiteral("INSERT INTO t VALUES (?, ?)"));
        QVERIFY(insert);
        QVERIFY(insert->bind(1, qint64(42)).bind(2, QStringLiteral("héllo ✓ 日本")).run());
        insert->reset();
        QVERIFY(insert->bindNull(1).bind(2, std::optional<QString>()).run());
        auto select = db.prepare(QStringLiteral("SELECT x, s FROM t ORDER BY rowid"));
        QVERIFY(select);
        QVERIFY(select->step().value());
        QCOMPARE(select->int64(0), 42);
        QCOMPARE(select->text(1), QStringLiteral("héllo ✓ 日本"));
        QVERIFY(select->step().value());
        QVERIFY(!select->optionalInt(0).has_value());
        QVERIFY(!select->optionalText(1).has_value());
        QVERIFY(!select->step().value());
    }

    void sqlErrorsAreValuesWithContext()
    {
        Database db = freshDb();
        auto bad = db.prepare(QStringLiteral("SELEC nonsense"));
        QVERIFY(!bad);
        QVERIFY(bad.error().message.contains(QStringLiteral("syntax error")));
        auto exec = db.exec(QStringLiteral("INSERT INTO missing VALUES (1)"));
        QVERIFY(!exec);
        QVERIFY(exec.error().message.contains(QStringLiteral("no such table")));
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "test_database.moc"
