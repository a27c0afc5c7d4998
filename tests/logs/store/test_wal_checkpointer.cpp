// While an import writes, the write-ahead log is copied into the project file by a connection
// and thread of its own (WalCheckpointer): committed rows must reach the file, the log must
// stay bounded, and the connection's own automatic checkpoints must come back afterwards.

#include "logs/walcheckpointer.h"
#include "storage/project.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace ts;

class TestWalCheckpointer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void committedRowsReachTheFileAndTheLogStaysBounded();
};

namespace {

int pragma(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = nullptr;
    int value = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
}

} // namespace

void TestWalCheckpointer::committedRowsReachTheFileAndTheLogStaysBounded()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("wal.touchstone"));
    auto project = Project::create(path);
    QVERIFY(project);
    sqlite3 *db = project->db().handle();
    QCOMPARE(sqlite3_exec(db, "PRAGMA wal_autocheckpoint = 16; CREATE TABLE t (x BLOB)", nullptr,
                          nullptr, nullptr),
             SQLITE_OK);
    const qint64 sizeBefore = QFileInfo(path).size();

    const int pageSize = pragma(db, "PRAGMA page_size");
    const int maxPages = 64;
    qint64 largestLog = 0;
    {
        WalCheckpointer checkpointer(db);
        for (int i = 0; i < 40; ++i) {
            checkpointer.settle(maxPages);
            // About 25 pages per commit.
            QCOMPARE(sqlite3_exec(db,
                                  "BEGIN; INSERT INTO t SELECT randomblob(25000) FROM "
                                  "(SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL "
                                  "SELECT 4); COMMIT",
                                  nullptr, nullptr, nullptr),
                     SQLITE_OK);
            largestLog = std::max(largestLog, QFileInfo(path + QStringLiteral("-wal")).size());
        }
        // The rows were copied into the file while the writer went on (the writer itself
        // checkpoints nothing while the checkpointer runs).
        QTRY_VERIFY(QFileInfo(path).size() > sizeBefore + 30 * 100000);
    }
    // The log started over instead of holding all 4 MB written: at most the bound plus one
    // commit and the log's own headers.
    QVERIFY2(largestLog < qint64(maxPages + 40) * (pageSize + 24) + 4096,
             qPrintable(QString::number(largestLog)));
    QCOMPARE(pragma(db, "PRAGMA wal_autocheckpoint"), 16); // the connection's own again
    QCOMPARE(pragma(db, "SELECT count(*) FROM t"), 160);
}

QTEST_GUILESS_MAIN(TestWalCheckpointer)
#include "test_wal_checkpointer.moc"
