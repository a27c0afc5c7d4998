// `touchstone-cli check`: the full integrity check, exit 0 on a sound file and 1 naming the
// damage (opening does not read every page any more, issue 13).
#include "clirunner.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestCliCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void soundAndDamagedFiles()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("p.touchstone"));
        QCOMPARE(runCli({QStringLiteral("init"), file}).exitCode, 0);
        for (int i = 0; i < 40; ++i)
            QCOMPARE(
                runCli({QStringLiteral("prompt"), QStringLiteral("add"), file,
                        QStringLiteral("p%1").arg(i), QStringLiteral("--user"),
                        QStringLiteral("Hello %1 {{name}}").arg(QString(200, QLatin1Char('x')))})
                    .exitCode,
                0);
        auto sound = runCli({QStringLiteral("check"), file, QStringLiteral("--json")});
        QCOMPARE(sound.exitCode, 0);
        QCOMPARE(sound.json().value("ok", false), true);

        // Scribble over the last page (prompt versions): open still works, check finds it.
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.size() >= 3 * 4096);
        f.seek(f.size() - 4096);
        f.write(QByteArray(4096, 'Z'));
        f.close();
        auto damaged = runCli({QStringLiteral("check"), file});
        QCOMPARE(damaged.exitCode, 1);
        QVERIFY2(damaged.out.contains(QStringLiteral("p.touchstone is damaged")),
                 qPrintable(damaged.out + damaged.err));
        QVERIFY(damaged.out.contains(QStringLiteral("Restore it from a backup")));

        auto missing = runCli({QStringLiteral("check"), dir.filePath(QStringLiteral("none"))});
        QVERIFY(missing.exitCode != 0);
        QVERIFY(missing.err.contains(QStringLiteral("does not exist")));
    }
};

QTEST_GUILESS_MAIN(TestCliCheck)
#include "test_cli_check.moc"
