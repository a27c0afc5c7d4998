#include "prompts/promptstore.h"
#include "storage/project.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

constexpr auto readOnlyBits
    = QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther;

} // namespace

/// A project the user cannot write opens for reading (browse, run nothing that writes) while
/// the ordinary open still refuses it.
class TestProjectReadOnly final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString makeProject(const QString &name, int prompts)
    {
        const QString file = m_dir.filePath(name);
        auto project = Project::create(file);
        if (!project)
            return {};
        PromptStore store(project->db());
        for (int i = 0; i < prompts; ++i)
            if (!store.createPrompt(QStringLiteral("prompt %1").arg(i)))
                return {};
        return file;
    }

private Q_SLOTS:
    void readOnlyFileOpensForReading()
    {
        const QString file = makeProject(QStringLiteral("ro.touchstone"), 3);
        QVERIFY(!file.isEmpty());
        QVERIFY(QFile::setPermissions(file, readOnlyBits));
        const QByteArray before = fileHash(file);

        // The ordinary open keeps refusing, with the same words as before.
        auto refused = Project::open(file);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::ReadOnly);

        {
            auto project = Project::openReadOnly(file);
            QVERIFY2(project, project ? "" : qPrintable(project.error().message));
            QVERIFY(project->isReadOnly());
            QCOMPARE(project->schemaVersion(), latestSchemaVersion(builtinMigrations()));
            QCOMPARE(project->meta(QStringLiteral("name")), QStringLiteral("ro"));

            PromptStore store(project->db());
            auto list = store.listPrompts();
            QVERIFY(list);
            QCOMPARE(list->size(), 3);

            // Writes fail as values, on this connection and on a second one for a worker thread.
            auto created = store.createPrompt(QStringLiteral("new one"));
            QVERIFY(!created);
            QVERIFY(!project->setMeta(QStringLiteral("name"), QStringLiteral("renamed")));
            auto second = project->openConnection();
            QVERIFY(second);
            QVERIFY(!second->exec(QStringLiteral("DELETE FROM prompts")));
            PromptStore secondStore(*second);
            QCOMPARE(secondStore.listPrompts()->size(), 3);
        }
        QCOMPARE(fileHash(file), before);
    }

    void optionsFlagOpensReadOnlyToo()
    {
        const QString file = makeProject(QStringLiteral("flag.touchstone"), 1);
        QVERIFY(!file.isEmpty());
        Project::Options options;
        options.readOnly = true;
        // Even a writable file: nothing is written when asked to read only.
        const QByteArray before = fileHash(file);
        {
            auto project = Project::open(file, options);
            QVERIFY(project);
            QVERIFY(project->isReadOnly());
            QVERIFY(!PromptStore(project->db()).createPrompt(QStringLiteral("x")));
        }
        QCOMPARE(fileHash(file), before);
        auto writable = Project::open(file);
        QVERIFY(writable);
        QVERIFY(!writable->isReadOnly());
    }

    void olderSchemaIsRefusedBecauseItNeedsAnUpgrade()
    {
        QList<Migration> older = builtinMigrations();
        older.removeLast();
        Project::Options oldOptions;
        oldOptions.migrations = older;
        const QString file = m_dir.filePath(QStringLiteral("old.touchstone"));
        QVERIFY(Project::create(file, oldOptions));
        QVERIFY(QFile::setPermissions(file, readOnlyBits));
        const QByteArray before = fileHash(file);
        auto project = Project::openReadOnly(file);
        QVERIFY(!project);
        QCOMPARE(project.error().code, ErrorCode::ReadOnly);
        QVERIFY2(project.error().message.contains(QStringLiteral("older Touchstone")),
                 qPrintable(project.error().message));
        QCOMPARE(fileHash(file), before);
    }

    void notAProjectIsStillRefused()
    {
        const QString file = m_dir.filePath(QStringLiteral("cases.csv"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("name,prompt\nhello,world\n");
        f.close();
        auto project = Project::openReadOnly(file);
        QVERIFY(!project);
        QCOMPARE(project.error().code, ErrorCode::NotAProject);
    }

    void authorNameFromSettingsThenEnvironmentNeverUnknownOnUnix()
    {
        const QByteArray user = qgetenv("USER");
        const QByteArray author = qgetenv("TOUCHSTONE_AUTHOR");
        qunsetenv("TOUCHSTONE_AUTHOR");
        qunsetenv("USER");
        qunsetenv("USERNAME");
#if defined(Q_OS_UNIX)
        // The login name from the system when $USER is unset, as in a container or a service.
        QVERIFY(!currentAuthor().isEmpty());
        QVERIFY(currentAuthor() != QStringLiteral("unknown"));
#endif
        setAuthorName(QStringLiteral("  Ada Lovelace "));
        QCOMPARE(currentAuthor(), QStringLiteral("Ada Lovelace"));
        setAuthorName(QString());
        qputenv("TOUCHSTONE_AUTHOR", "grace");
        QCOMPARE(currentAuthor(), QStringLiteral("grace"));
        qunsetenv("TOUCHSTONE_AUTHOR");
        if (!author.isEmpty())
            qputenv("TOUCHSTONE_AUTHOR", author);
        if (!user.isEmpty())
            qputenv("USER", user);
    }
};

QTEST_GUILESS_MAIN(TestProjectReadOnly)
#include "test_project_readonly.moc"
