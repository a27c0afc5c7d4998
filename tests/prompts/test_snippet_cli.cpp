// touchstone-cli snippet add|list|show|history and render --project, run as a user would.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

class TestSnippetCli final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;

    struct Run
    {
        int code = -1;
        QString out;
        QString err;
    };

    Run cli(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(TOUCHSTONE_CLI_PATH), args);
        p.waitForFinished(60000);
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    QString write(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(text);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_project = m_dir.filePath(QStringLiteral("p.touchstone"));
        QCOMPARE(cli({QStringLiteral("init"), m_project}).code, 0);
    }

    void snippetChangesShowInThePromptsUsingThem()
    {
        Run r = cli({QStringLiteral("snippet"), QStringLiteral("add"), m_project,
                     QStringLiteral("tone"), QStringLiteral("--text"),
                     QStringLiteral("Be kind to {{name}}.")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QStringLiteral("Saved tone@1\n"));
        r = cli({QStringLiteral("prompt"), QStringLiteral("add"), m_project,
                 QStringLiteral("reply"), QStringLiteral("--system"),
                 QStringLiteral("You help. {{> tone}}"), QStringLiteral("--user"),
                 QStringLiteral("{{q}}")});
        QCOMPARE(r.code, 0);
        r = cli({QStringLiteral("snippet"), QStringLiteral("add"), m_project,
                 QStringLiteral("tone"), QStringLiteral("--text"),
                 QStringLiteral("Be warm to {{name}}."), QStringLiteral("--note"),
                 QStringLiteral("warmer")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QStringLiteral("Saved tone@2\nUpdated reply@2 (renders with tone@2)\n"));

        r = cli({QStringLiteral("snippet"), QStringLiteral("list"), m_project});
        QCOMPARE(r.out, QStringLiteral("tone  v2  used by reply@2\n"));
        r = cli({QStringLiteral("snippet"), QStringLiteral("show"), m_project,
                 QStringLiteral("tone@1")});
        QVERIFY(r.out.endsWith(QStringLiteral("\nBe kind to {{name}}.\n")));
        r = cli({QStringLiteral("snippet"), QStringLiteral("history"), m_project,
                 QStringLiteral("tone"), QStringLiteral("--json")});
        const auto json = nlohmann::json::parse(r.out.toStdString(), nullptr, false);
        QVERIFY(json.is_object());
        QVERIFY(json["versions"].size() == size_t(2));
        QVERIFY(json["versions"][0]["used_by"][0]["name"] == "reply");
        QVERIFY(json["versions"][0]["used_by"][0]["version"] == 2);
        QVERIFY(json["versions"][1]["used_by"][0]["version"] == 1);

        r = cli({QStringLiteral("prompt"), QStringLiteral("show"), m_project,
                 QStringLiteral("reply@1"), QStringLiteral("--json")});
        const auto v1 = nlohmann::json::parse(r.out.toStdString(), nullptr, false);
        QVERIFY(v1["snippets"][0]["name"] == "tone");
        QVERIFY(v1["snippets"][0]["version"] == 1);
    }

    void renderWithAProjectResolvesSnippets()
    {
        const QString data = write(QStringLiteral("d.json"), R"({"name": "Al"})");
        const QString good = write(QStringLiteral("good.mustache"), "Note: {{> tone}}");
        Run r = cli({QStringLiteral("render"), QStringLiteral("--template"), good,
                     QStringLiteral("--data"), data, QStringLiteral("--project"), m_project});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QStringLiteral("Note: Be warm to Al."));
        // A missing snippet is an error at its line and column, never an empty string.
        const QString bad
            = write(QStringLiteral("bad.mustache"), "Note:\n  {{> tone}} {{> signature}}");
        r = cli({QStringLiteral("render"), QStringLiteral("--template"), bad,
                 QStringLiteral("--data"), data, QStringLiteral("--project"), m_project});
        QCOMPARE(r.code, 2);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err, bad + QStringLiteral(":2:14: No snippet named \"signature\"\n"));
    }
};

QTEST_GUILESS_MAIN(TestSnippetCli)
#include "test_snippet_cli.moc"
