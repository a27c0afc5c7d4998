// ProjectSession::postRead: reads run on their own connections, so a long read neither delays
// a write posted after it nor outlives its cancellation, and results of a closed project are
// dropped.
#include "common/projectsession.h"
#include "prompts/promptstore.h"
#include "storage/project.h"
#include "storage/statement.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

// Counts to a billion: minutes of work unless it is stopped.
const QString endlessQuery = QStringLiteral(
    "WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
    "SELECT count(*) FROM c");

} // namespace

class TestReadConnections : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void longReadDoesNotBlockWriteAndCancelStopsIt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.touchstone"));
        QVERIFY(Project::create(path).has_value());
        ProjectSession session;
        QSignalSpy opened(&session, &ProjectSession::projectOpened);
        session.open(path);
        QTRY_COMPARE(opened.size(), 1);

        auto started = std::make_shared<std::atomic_bool>(false);
        auto finished = std::make_shared<std::atomic_bool>(false);
        auto readError = std::make_shared<std::optional<ErrorCode>>();
        bool longReadAnswered = false;
        CancelToken longRead = session.postRead<Result<qint64>>(
            [started, finished, readError](WorkContext &ctx) -> Result<qint64> {
                started->store(true);
                auto n = ctx.project->db().queryInt(endlessQuery);
                if (!n)
                    *readError = n.error().code;
                finished->store(true);
                return n;
            },
            this, [&](Result<qint64>) { longReadAnswered = true; });
        QTRY_VERIFY(started->load());

        // A write posted after the read finishes while the read is still counting.
        bool written = false;
        session.post<Result<void>>(
            [](WorkContext &ctx) -> Result<void> {
                auto made = ctx.prompts->createPrompt(QStringLiteral("written-meanwhile"));
                return made ? Result<void> {} : fail(made.error());
            },
            this, [&](Result<void> r) { written = r.has_value(); });
        QTRY_VERIFY(written);
        QVERIFY(!finished->load());

        // A second read runs beside the long one (two reader connections) and sees the write.
        QStringList names;
        session.postRead<QStringList>(
            [](WorkContext &ctx) {
                QStringList out;
                if (auto list = ctx.prompts->listPrompts())
                    for (const PromptInfo &p : *list)
                        out << p.name;
                return out;
            },
            this, [&](QStringList n) { names = n; });
        QTRY_COMPARE(names, QStringList {QStringLiteral("written-meanwhile")});
        QVERIFY(!finished->load());

        // Cancelling stops the running query; its result is never delivered.
        longRead->store(true);
        QTRY_VERIFY(finished->load());
        QCOMPARE(readError->value_or(ErrorCode::Unknown), ErrorCode::Cancelled);
        QTest::qWait(50);
        QVERIFY(!longReadAnswered);
    }

    void readOnlyConnectionRefusesWrites()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.touchstone"));
        QVERIFY(Project::create(path).has_value());
        ProjectSession session;
        QSignalSpy opened(&session, &ProjectSession::projectOpened);
        session.open(path);
        QTRY_COMPARE(opened.size(), 1);
        std::optional<bool> wrote;
        session.postRead<bool>(
            [](WorkContext &ctx) {
                return ctx.prompts->createPrompt(QStringLiteral("x")).has_value();
            },
            this, [&](bool ok) { wrote = ok; });
        QTRY_VERIFY(wrote.has_value());
        QVERIFY(!*wrote);
    }

    void resultsOfAClosedProjectAreDropped()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.touchstone"));
        QVERIFY(Project::create(path).has_value());
        ProjectSession session;
        QSignalSpy opened(&session, &ProjectSession::projectOpened);
        session.open(path);
        QTRY_COMPARE(opened.size(), 1);

        auto started = std::make_shared<std::atomic_bool>(false);
        auto finished = std::make_shared<std::atomic_bool>(false);
        bool answered = false;
        session.postRead<int>(
            [started, finished](WorkContext &ctx) {
                started->store(true);
                (void)ctx.project->db().queryInt(endlessQuery);
                finished->store(true);
                return 1;
            },
            this, [&](int) { answered = true; });
        QTRY_VERIFY(started->load());
        session.close(); // stops the read of the project that went away
        QTRY_VERIFY(finished->load());
        QTest::qWait(50);
        QVERIFY(!answered);

        // With no project, a read is told so.
        std::optional<bool> hadProject;
        session.postRead<bool>([](WorkContext &ctx) { return ctx.project != nullptr; }, this,
                               [&](bool has) { hadProject = has; });
        QTRY_VERIFY(hadProject.has_value());
        QVERIFY(!*hadProject);
    }
};

QTEST_MAIN(TestReadConnections)
#include "test_read_connections.moc"
