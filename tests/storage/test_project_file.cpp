#include "prompts/promptstore.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace ts;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

// Runs SQL on a file with a plain sqlite3 connection, as another program would.
void rawExec(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    char *err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    QVERIFY2(rc == SQLITE_OK, err);
    sqlite3_close(db);
}

QList<Migration> twoMigrations(const char *second)
{
    QList<Migration> list = builtinMigrations();
    list.append(Migration{list.last().version + 1, QStringLiteral("test_step"),
                          QString::fromUtf8(second)});
    return list;
}

} // namespace

class TestProjectFile final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const char *name) const { return m_dir.filePath(QString::fromUtf8(name)); }

private Q_SLOTS:
    void freshFileHasSchemaAndIsMarkedAsOurs()
    {
        const QString file = path("fresh.touchstone");
        auto project = Project::create(file);
        QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
        QCOMPARE(project->schemaVersion(), latestSchemaVersion(builtinMigrations()));
        QVERIFY(project->schemaVersion() >= 1);
        Database &db = project->db();
        QCOMPARE(db.queryInt(QStringLiteral("PRAGMA application_id")).value(), Project::applicationId);
        QCOMPARE(db.queryInt(QStringLiteral("PRAGMA foreign_keys")).value(), 1);
        auto mode = db.prepare(QStringLiteral("PRAGMA journal_mode"));
        QVERIFY(mode && mode->step().value());
        QCOMPARE(mode->text(0), QStringLiteral("wal"));
        for (const char *table : {"project_meta", "prompts", "prompt_versions", "prompt_labels",
                                  "prompt_label_moves", "drafts", "models", "datasets",
                                  "test_cases", "runs", "generations"}) {
            auto stmt = db.prepare(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?"));
            stmt->bind(1, table);
            QVERIFY(stmt->step().value());
            QVERIFY2(stmt->int64(0) == 1, table);
        }
        QCOMPARE(project->meta(QStringLiteral("name")), QStringLiteral("fresh"));
    }

    void createRefusesAnExistingFile()
    {
        const QString file = path("exists.touchstone");
        writeFile(file, "keep me");
        auto project = Project::create(file);
        QVERIFY(!project);
        QCOMPARE(project.error().code, ErrorCode::AlreadyExists);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("keep me"));
    }

    void reopenKeepsData()
    {
        const QString file = path("reopen.touchstone");
        {
            auto project = Project::create(file);
            QVERIFY(project);
            PromptStore store(project->db());
            QVERIFY(store.createPrompt(QStringLiteral("greeting")));
        }
        auto project = Project::open(file);
        QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
        PromptStore store(project->db());
        QVERIFY(store.prompt(QStringLiteral("greeting")));
    }

    void upgradeAppliesNewMigrationAndKeepsData()
    {
        const QString file = path("upgrade.touchstone");
        {
            auto project = Project::create(file);
            QVERIFY(project);
            PromptStore store(project->db());
            QVERIFY(store.createPrompt(QStringLiteral("kept")));
        }
        Project::Options options;
        options.migrations = twoMigrations("CREATE TABLE extra(id INTEGER PRIMARY KEY); "
                                           "INSERT INTO extra VALUES (7);");
        auto project = Project::open(file, options);
        QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
        QCOMPARE(project->schemaVersion(), options.migrations->last().version);
        QCOMPARE(project->db().queryInt(QStringLiteral("SELECT id FROM extra")).value(), 7);
        QCOMPARE(project->db().queryInt(QStringLiteral("PRAGMA user_version")).value(),
                 options.migrations->last().version);
        PromptStore store(project->db());
        QVERIFY(store.prompt(QStringLiteral("kept")));
    }

    void upgradeFromEveryEarlierVersion()
    {
        // Build a file at each earlier schema version with only its migrations, then open it
        // with the full set: every path must reach the latest version.
        const QList<Migration> all = builtinMigrations();
        for (int stop = 1; stop <= all.size(); ++stop) {
            const QString file = path("chain") + QString::number(stop) + QStringLiteral(".touchstone");
            Project::Options older;
            older.migrations = all.mid(0, stop);
            QVERIFY(Project::create(file, older));
            auto project = Project::open(file);
            QVERIFY2(project, qPrintable(project ? QString() : project.error().message));
            QCOMPARE(project->schemaVersion(), latestSchemaVersion(all));
        }
    }

    void failedMigrationLeavesFileExactlyAsItWas()
    {
        const QString file = path("failing.touchstone");
        QVERIFY(Project::create(file));
        const QByteArray before = fileHash(file);
        Project::Options options;
        options.migrations = twoMigrations("CREATE TABLE half_done(id INTEGER); "
                                           "INSERT INTO no_such_table VALUES (1);");
        auto project = Project::open(file, options);
        QVERIFY(!project);
        QVERIFY(project.error().message.contains(QStringLiteral("test_step")));
        QVERIFY(project.error().message.contains(QStringLiteral("unchanged")));
        QCOMPARE(fileHash(file), before);
        auto again = Project::open(file);
        QVERIFY(again);
        QCOMPARE(again->db().queryInt(QStringLiteral(
                     "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'")).value(), 0);
    }

    void newerSchemaIsRefusedUntouched()
    {
        const QString file = path("newer.touchstone");
        QVERIFY(Project::create(file));
        rawExec(file, "PRAGMA user_version = 999");
        const QByteArray before = fileHash(file);
        auto project = Project::open(file);
        QVERIFY(!project);
        QCOMPARE(project.error().code, ErrorCode::NewerSchema);
        QVERIFY(project.error().message.contains(QStringLiteral("newer Touchstone")));
        QVERIFY(project.error().message.contains(QStringLiteral("999")));
        QCOMPARE(fileHash(file), before);
    }

    void badFilesEachGetTheirOwnMessage_data()
    {
        QTest::addColumn<QByteArray>("kind");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("text file") << QByteArray("text") << int(ErrorCode::NotAProject) << QStringLiteral("not an SQLite database");
        QTest::newRow("empty file") << QByteArray("empty") << int(ErrorCode::NotAProject) << QStringLiteral("is empty");
        QTest::newRow("foreign sqlite") << QByteArray("foreign") << int(ErrorCode::NotAProject) << QStringLiteral("not a Touchstone project");
        QTest::newRow("other app id") << QByteArray("otherapp") << int(ErrorCode::NotAProject) << QStringLiteral("another application");
        QTest::newRow("corrupted") << QByteArray("corrupt") << int(ErrorCode::Corrupt) << QStringLiteral("damaged");
        QTest::newRow("truncated header") << QByteArray("truncated") << int(ErrorCode::Corrupt) << QStringLiteral("damaged");
        QTest::newRow("read-only") << QByteArray("readonly") << int(ErrorCode::ReadOnly) << QStringLiteral("read-only");
        QTest::newRow("missing") << QByteArray("missing") << int(ErrorCode::NotFound) << QStringLiteral("does not exist");
    }

    void badFilesEachGetTheirOwnMessage()
    {
        QFETCH(QByteArray, kind);
        QFETCH(int, code);
        QFETCH(QString, phrase);
        const QString file = path("bad-") + QString::fromLatin1(kind) + QStringLiteral(".touchstone");
        if (kind == "text") {
            writeFile(file, "name,prompt\nhello,world\n");
        } else if (kind == "empty") {
            writeFile(file, QByteArray());
        } else if (kind == "foreign") {
            rawExec(file, "CREATE TABLE songs(title TEXT); INSERT INTO songs VALUES ('x');");
        } else if (kind == "otherapp") {
            rawExec(file, "PRAGMA application_id = 1234; CREATE TABLE t(x);");
        } else if (kind == "corrupt" || kind == "truncated") {
            {
                auto project = Project::create(file);
                QVERIFY(project);
                PromptStore store(project->db());
                for (int i = 0; i < 50; ++i)
                    QVERIFY(store.createPrompt(QStringLiteral("prompt %1").arg(i)));
            }
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadWrite));
            const qint64 size = f.size();
            QVERIFY(size > 8192);
            if (kind == "corrupt") {
                // Scribble over everything after the first page (the schema stays readable).
                f.seek(4096);
                f.write(QByteArray(int(size - 4096), '\x5a'));
            } else {
                f.resize(60);
            }
        } else if (kind == "readonly") {
            QVERIFY(Project::create(file));
            QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::ReadGroup);
        }
        const QByteArray before = fileHash(file);
        auto project = Project::open(file);
        QVERIFY(!project);
        QCOMPARE(int(project.error().code), code);
        QVERIFY2(project.error().message.contains(phrase), qPrintable(project.error().message));
        QCOMPARE(fileHash(file), before);
        QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void damageInsideATableIsReportedByTheQueryThatReadsIt()
    {
        // Open does not read every page (issue 13), so a damaged table page is found when a
        // query touches it: a clear error, nothing written, and the full check names it.
        const QString file = path("damaged-table.touchstone");
        qint64 rootPage = 0;
        qint64 pageSize = 0;
        {
            auto project = Project::create(file);
            QVERIFY(project);
            PromptStore store(project->db());
            for (int i = 0; i < 50; ++i)
                QVERIFY(store.createPrompt(QStringLiteral("prompt %1").arg(i)));
            rootPage = *project->db().queryInt(
                QStringLiteral("SELECT rootpage FROM sqlite_master WHERE name = 'prompts'"));
            pageSize = *project->db().queryInt(QStringLiteral("PRAGMA page_size"));
        }
        QVERIFY(rootPage > 1);
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek((rootPage - 1) * pageSize);
            f.write(QByteArray(int(pageSize), '\x5a'));
        }
        const QByteArray before = fileHash(file);
        {
            auto project = Project::open(file);
            QVERIFY2(project, project ? "" : qPrintable(project.error().message));
            PromptStore store(project->db());
            auto prompts = store.listPrompts();
            QVERIFY(!prompts);
            QCOMPARE(prompts.error().code, ErrorCode::Corrupt);
            QVERIFY2(prompts.error().message.contains(QStringLiteral("damaged")),
                     qPrintable(prompts.error().message));
            auto check = project->checkIntegrity();
            QVERIFY(!check);
            QCOMPARE(check.error().code, ErrorCode::Corrupt);
            QVERIFY2(check.error().message.contains(QStringLiteral("damaged-table.touchstone is damaged")),
                     qPrintable(check.error().message));
        }
        QCOMPARE(fileHash(file), before);
        auto check = Project::checkIntegrity(file);
        QVERIFY(!check);
        QCOMPARE(check.error().code, ErrorCode::Corrupt);
        QVERIFY(Project::checkIntegrity(path("damaged-table-ok.touchstone")).error().code
                == ErrorCode::NotFound);
    }

    void soundProjectPassesTheIntegrityCheck()
    {
        const QString file = path("sound.touchstone");
        auto project = Project::create(file);
        QVERIFY(project);
        QVERIFY(project->checkIntegrity());
        std::atomic_bool stop {true};
        auto stopped = project->checkIntegrity(&stop);
        // A check stopped before it began says so rather than "sound".
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
    }

    void lockedFileIsRefusedUntouched()
    {
        const QString file = path("locked.touchstone");
        QVERIFY(Project::create(file));
        sqlite3 *other = nullptr;
        QCOMPARE(sqlite3_open(file.toUtf8().constData(), &other), SQLITE_OK);
        QCOMPARE(sqlite3_exec(other, "BEGIN EXCLUSIVE; INSERT INTO project_meta VALUES ('x','y');",
                              nullptr, nullptr, nullptr), SQLITE_OK);
        const QByteArray before = fileHash(file);
        Project::Options options;
        options.busyTimeoutMs = 100;
        auto project = Project::open(file, options);
        QVERIFY(!project);
        QCOMPARE(project.error().code, ErrorCode::Locked);
        QVERIFY2(project.error().message.contains(QStringLiteral("locked")), qPrintable(project.error().message));
        QCOMPARE(fileHash(file), before);
        sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(other);
        QVERIFY(Project::open(file));
    }
};

QTEST_GUILESS_MAIN(TestProjectFile)
#include "test_project_file.moc"
