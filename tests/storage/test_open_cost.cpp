// Opening a project must cost the same whatever it holds: Project::open reads the header and
// the schema, never the generations, assertion_results or test_cases tables (issue 13: a
// quick_check on every open read all 1.3 GB of a large project). Every byte SQLite reads goes
// through a counting VFS, so the test sees exactly how much of the file an open touches.
#include "storage/project.h"
#include "storage/statement.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <atomic>

using namespace ts;

namespace {

std::atomic<qint64> bytesRead {0};
std::atomic<qint64> mainFileReads {0};
sqlite3_vfs *realVfs = nullptr;
sqlite3_vfs countingVfs;

struct CountingFile
{
    sqlite3_file base;
    sqlite3_file *real;
    bool mainDb;
};

sqlite3_file *real(sqlite3_file *f)
{
    return reinterpret_cast<CountingFile *>(f)->real;
}

int xClose(sqlite3_file *f)
{
    sqlite3_file *r = real(f);
    const int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
    sqlite3_free(r);
    return rc;
}
int xRead(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
    bytesRead += amt;
    if (reinterpret_cast<CountingFile *>(f)->mainDb)
        ++mainFileReads;
    return real(f)->pMethods->xRead(real(f), buf, amt, off);
}
int xWrite(sqlite3_file *f, const void *b, int a, sqlite3_int64 o)
{
    return real(f)->pMethods->xWrite(real(f), b, a, o);
}
int xTruncate(sqlite3_file *f, sqlite3_int64 s)
{
    return real(f)->pMethods->xTruncate(real(f), s);
}
int xSync(sqlite3_file *f, int fl)
{
    return real(f)->pMethods->xSync(real(f), fl);
}
int xFileSize(sqlite3_file *f, sqlite3_int64 *s)
{
    return real(f)->pMethods->xFileSize(real(f), s);
}
int xLock(sqlite3_file *f, int l)
{
    return real(f)->pMethods->xLock(real(f), l);
}
int xUnlock(sqlite3_file *f, int l)
{
    return real(f)->pMethods->xUnlock(real(f), l);
}
int xCheckReservedLock(sqlite3_file *f, int *r)
{
    return real(f)->pMethods->xCheckReservedLock(real(f), r);
}
int xFileControl(sqlite3_file *f, int op, void *a)
{
    return real(f)->pMethods->xFileControl(real(f), op, a);
}
int xSectorSize(sqlite3_file *f)
{
    return real(f)->pMethods->xSectorSize(real(f));
}
int xDeviceCharacteristics(sqlite3_file *f)
{
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int xShmMap(sqlite3_file *f, int i, int sz, int e, void volatile **p)
{
    return real(f)->pMethods->xShmMap(real(f), i, sz, e, p);
}
int xShmLock(sqlite3_file *f, int o, int n, int fl)
{
    return real(f)->pMethods->xShmLock(real(f), o, n, fl);
}
void xShmBarrier(sqlite3_file *f)
{
    real(f)->pMethods->xShmBarrier(real(f));
}
int xShmUnmap(sqlite3_file *f, int d)
{
    return real(f)->pMethods->xShmUnmap(real(f), d);
}
// No memory mapping: every page must come through xRead to be counted.
int xFetch(sqlite3_file *, sqlite3_int64, int, void **p)
{
    *p = nullptr;
    return SQLITE_OK;
}
int xUnfetch(sqlite3_file *, sqlite3_int64, void *)
{
    return SQLITE_OK;
}

const sqlite3_io_methods countingMethods = {
    3,
    xClose,
    xRead,
    xWrite,
    xTruncate,
    xSync,
    xFileSize,
    xLock,
    xUnlock,
    xCheckReservedLock,
    xFileControl,
    xSectorSize,
    xDeviceCharacteristics,
    xShmMap,
    xShmLock,
    xShmBarrier,
    xShmUnmap,
    xFetch,
    xUnfetch,
};

int xOpen(sqlite3_vfs *, const char *name, sqlite3_file *file, int flags, int *outFlags)
{
    auto *f = reinterpret_cast<CountingFile *>(file);
    f->base.pMethods = nullptr;
    f->real = static_cast<sqlite3_file *>(sqlite3_malloc(realVfs->szOsFile));
    if (!f->real)
        return SQLITE_NOMEM;
    std::memset(f->real, 0, size_t(realVfs->szOsFile));
    f->mainDb = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    const int rc = realVfs->xOpen(realVfs, name, f->real, flags, outFlags);
    if (rc != SQLITE_OK) {
        sqlite3_free(f->real);
        return rc;
    }
    f->base.pMethods = &countingMethods;
    return SQLITE_OK;
}

void installCountingVfs()
{
    realVfs = sqlite3_vfs_find(nullptr);
    countingVfs = *realVfs;
    countingVfs.zName = "counting";
    countingVfs.szOsFile = int(sizeof(CountingFile));
    countingVfs.xOpen = xOpen;
    sqlite3_vfs_register(&countingVfs, 1);
}

void exec(Database &db, const char *sql)
{
    auto ok = db.exec(QString::fromUtf8(sql));
    QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().message));
}

} // namespace

class TestOpenCost : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    qint64 bytesToOpen(const QString &file)
    {
        bytesRead = 0;
        auto project = Project::open(file);
        const qint64 read = bytesRead.load();
        if (!project)
            qWarning("%s", qPrintable(project.error().message));
        return project ? read : -1;
    }

private Q_SLOTS:
    void initTestCase() { installCountingVfs(); }

    void openReadsTheSameWhateverTheProjectHolds()
    {
        const QString empty = m_dir.filePath(QStringLiteral("empty.touchstone"));
        const QString full = m_dir.filePath(QStringLiteral("full.touchstone"));
        QVERIFY(Project::create(empty));
        {
            auto project = Project::create(full);
            QVERIFY(project);
            Database &db = project->db();
            exec(db, "BEGIN");
            exec(db, "INSERT INTO datasets(name, created_at) VALUES ('d', '2026-01-01')");
            exec(db,
                 "WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x+1 FROM c WHERE x < "
                 "20000) INSERT INTO test_cases(dataset_id, position, vars, content_key, "
                 "created_at) SELECT 1, x, json_object('q', hex(randomblob(60))), x, "
                 "'2026-01-01' FROM c");
            exec(db,
                 "INSERT INTO runs(kind, status, created_at) VALUES ('eval', 'completed', "
                 "'2026-01-01')");
            exec(db,
                 "WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x+1 FROM c WHERE x < "
                 "50000) INSERT INTO generations(run_id, test_case_id, output, request, "
                 "created_at) SELECT 1, 1 + x % 20000, hex(randomblob(150)), "
                 "json_object('body', hex(randomblob(100))), '2026-01-01' FROM c");
            exec(db,
                 "INSERT INTO assertion_results(generation_id, position, type, pass, score) "
                 "SELECT id, 0, 'contains', id % 2, id % 2 FROM generations");
            exec(db, "COMMIT");
        }
        QVERIFY(QFile(full).size() > 20 * 1024 * 1024);

        // Opened twice each: the first open of a file may upgrade nothing but still sets WAL.
        bytesToOpen(empty);
        bytesToOpen(full);
        const qint64 emptyCost = bytesToOpen(empty);
        const qint64 fullCost = bytesToOpen(full);
        QVERIFY(emptyCost > 0);
        // Same schema, same pages read: nothing of the 50,000 generations, their results or
        // the 20,000 cases.
        QCOMPARE(fullCost, emptyCost);
        QVERIFY2(fullCost < 256 * 1024, qPrintable(QString::number(fullCost)));

        // The explicit check does read the whole file.
        auto project = Project::open(full);
        QVERIFY(project);
        bytesRead = 0;
        QVERIFY(project->checkIntegrity());
        QVERIFY(bytesRead.load() > QFile(full).size() / 2);
    }
};

QTEST_GUILESS_MAIN(TestOpenCost)
#include "test_open_cost.moc"
