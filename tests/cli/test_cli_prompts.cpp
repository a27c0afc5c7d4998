#include "clirunner.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestCliPrompts final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString write(const QString &name, const QByteArray &content) const
    {
        QFile f(path(name));
        f.open(QIODevice::WriteOnly);
        f.write(content);
        return f.fileName();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_file = path(QStringLiteral("cli.touchstone"));
        const CliResult r = runCli({QStringLiteral("init"), m_file});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("Created")));
    }

    void versionAndHelp()
    {
        const CliResult v = runCli({QStringLiteral("--version")});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith(QStringLiteral("touchstone-cli ")));
        for (const QStringList &cmd : {QStringList{QStringLiteral("init")}, QStringList{QStringLiteral("render")},
                                       QStringList{QStringLiteral("prompt"), QStringLiteral("add")},
                                       QStringList{QStringLiteral("prompt"), QStringLiteral("diff")}}) {
            const CliResult h = runCli(cmd + QStringList{QStringLiteral("--help")});
            QCOMPARE(h.exitCode, 0);
            QVERIFY2(h.out.startsWith(QStringLiteral("Usage: touchstone-cli ") + cmd.join(QLatin1Char(' '))), qPrintable(h.out));
        }
        QCOMPARE(runCli({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("prompt"), QStringLiteral("list")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("init"), m_file}).exitCode, 2); // exists already
    }

    void addShowHistoryDiffLabelRestore()
    {
        CliResult r = runCli({QStringLiteral("prompt"), QStringLiteral("add"), m_file, QStringLiteral("qa"),
                              QStringLiteral("--system"), QStringLiteral("Answer briefly."),
                              QStringLiteral("--user"), QStringLiteral("{{question}}"),
                              QStringLiteral("--param"), QStringLiteral("temperature=0.2"),
                              QStringLiteral("--note"), QStringLiteral("first"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.json()["version"] == 1, (r.json()["version"]).dump().c_str());
        QVERIFY2(r.json()["created"] == true, (r.json()["created"]).dump().c_str());
        QVERIFY2(r.json()["params"]["temperature"] == 0.2, (r.json()["params"]["temperature"]).dump().c_str());

        r = runCli({QStringLiteral("prompt"), QStringLiteral("add"), m_file, QStringLiteral("qa"),
                    QStringLiteral("--system"), QStringLiteral("Answer briefly, in French."),
                    QStringLiteral("--user"), QStringLiteral("{{question}}"),
                    QStringLiteral("--param"), QStringLiteral("temperature=0.2")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("Saved qa@2")));

        // Same content again: no new version.
        r = runCli({QStringLiteral("prompt"), QStringLiteral("add"), m_file, QStringLiteral("qa"),
                    QStringLiteral("--system"), QStringLiteral("Answer briefly, in French."),
                    QStringLiteral("--user"), QStringLiteral("{{question}}"),
                    QStringLiteral("--param"), QStringLiteral("temperature=0.2")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("No change")));

        r = runCli({QStringLiteral("prompt"), QStringLiteral("label"), m_file, QStringLiteral("qa@1"), QStringLiteral("production")});
        QCOMPARE(r.exitCode, 0);
        r = runCli({QStringLiteral("prompt"), QStringLiteral("show"), m_file, QStringLiteral("qa@production"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.json()["version"] == 1, (r.json()["version"]).dump().c_str());
        QVERIFY2(r.json()["messages"][0]["template"] == "Answer briefly.", (r.json()["messages"][0]["template"]).dump().c_str());
        QVERIFY2(r.json()["labels"][0] == "production", (r.json()["labels"][0]).dump().c_str());

        r = runCli({QStringLiteral("prompt"), QStringLiteral("diff"), m_file, QStringLiteral("qa@production"), QStringLiteral("qa@2")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("--- qa@1\n+++ qa@2\n")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("-Answer briefly.\n+Answer briefly, in French.\n")));

        r = runCli({QStringLiteral("prompt"), QStringLiteral("restore"), m_file, QStringLiteral("qa@1"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.json()["version"] == 3, (r.json()["version"]).dump().c_str());
        QVERIFY2(r.json()["parent_version"] == 2, (r.json()["parent_version"]).dump().c_str());

        r = runCli({QStringLiteral("prompt"), QStringLiteral("label"), m_file, QStringLiteral("qa@3"), QStringLiteral("production")});
        QCOMPARE(r.exitCode, 0);
        r = runCli({QStringLiteral("prompt"), QStringLiteral("history"), m_file, QStringLiteral("qa"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const auto history = r.json();
        QCOMPARE(history["versions"].size(), size_t(3));
        QCOMPARE(history["label_moves"].size(), size_t(2));
        QVERIFY2(history["label_moves"][0]["from"] == 1, (history["label_moves"][0]["from"]).dump().c_str());
        QVERIFY2(history["label_moves"][0]["to"] == 3, (history["label_moves"][0]["to"]).dump().c_str());

        r = runCli({QStringLiteral("prompt"), QStringLiteral("list"), m_file, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.json()[0]["name"] == "qa", (r.json()[0]["name"]).dump().c_str());
        QVERIFY2(r.json()[0]["latest_version"] == 3, (r.json()[0]["latest_version"]).dump().c_str());
    }

    void badInputExitsTwoWithAClearMessage()
    {
        CliResult r = runCli({QStringLiteral("prompt"), QStringLiteral("add"), m_file, QStringLiteral("broken"),
                              QStringLiteral("--user"), QStringLiteral("Hi {{#items}} no close")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("1:4")) && r.err.contains(QStringLiteral("never closed")), qPrintable(r.err));
        r = runCli({QStringLiteral("prompt"), QStringLiteral("show"), m_file, QStringLiteral("qa@99")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("no version 99")));
        r = runCli({QStringLiteral("prompt"), QStringLiteral("show"), m_file, QStringLiteral("missing")});
        QCOMPARE(r.exitCode, 2);
        const QString notProject = write(QStringLiteral("notes.txt"), "just text\n");
        r = runCli({QStringLiteral("prompt"), QStringLiteral("list"), notProject});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("not a Touchstone project")));
        r = runCli({QStringLiteral("prompt"), QStringLiteral("add"), m_file, QStringLiteral("qa"),
                    QStringLiteral("--user"), QStringLiteral("x"), QStringLiteral("--param"), QStringLiteral("warmth=3")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("Unknown parameter \"warmth\"")));
    }

    void renderTemplates()
    {
        const QString tpl = write(QStringLiteral("t.mustache"),
                                  "Examples:\n{{#examples}}\n- {{input}} => {{output}}\n{{/examples}}\n{{> footer}}\nQ: {{q}}\n");
        const QString data = write(QStringLiteral("d.json"),
                                   R"({"q": "2 < 3?", "examples": [{"input": "1+1", "output": "2"}, {"input": "a&b", "output": "c"}]})");
        // A standalone partial tag stands for its whole line, so the partial brings its own newline.
        const QString footer = write(QStringLiteral("footer.mustache"), "Be exact.\n");
        CliResult r = runCli({QStringLiteral("render"), QStringLiteral("--template"), tpl, QStringLiteral("--data"), data,
                              QStringLiteral("--partial"), QStringLiteral("footer=") + footer});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("Examples:\n- 1+1 => 2\n- a&b => c\nBe exact.\nQ: 2 < 3?\n"));

        r = runCli({QStringLiteral("render"), QStringLiteral("--template"), tpl, QStringLiteral("--data"), data,
                    QStringLiteral("--escape"), QStringLiteral("html")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("a&amp;b")));
        QVERIFY(r.out.contains(QStringLiteral("2 &lt; 3?")));

        // Template from stdin.
        r = runCli({QStringLiteral("render"), QStringLiteral("--template"), QStringLiteral("-"), QStringLiteral("--data"), data},
                   "Q={{q}}");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("Q=2 < 3?"));

        // Errors name line:column and exit 2.
        const QString bad = write(QStringLiteral("bad.mustache"), "line one\n  {{#open}}\n");
        r = runCli({QStringLiteral("render"), QStringLiteral("--template"), bad});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("bad.mustache:2:3:")), qPrintable(r.err));
        const QString badData = write(QStringLiteral("bad.json"), "{\n  \"q\": [1,\n}");
        r = runCli({QStringLiteral("render"), QStringLiteral("--template"), tpl, QStringLiteral("--data"), badData});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("bad.json:3:1:")), qPrintable(r.err));
        r = runCli({QStringLiteral("render"), QStringLiteral("--template"), tpl, QStringLiteral("--escape"), QStringLiteral("xml")});
        QCOMPARE(r.exitCode, 2);
        r = runCli({QStringLiteral("render"), QStringLiteral("--template"), path(QStringLiteral("nope.mustache"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("Cannot read")));
    }

    void demoProjectHasPromptsWithHistory()
    {
        const QString demo = path(QStringLiteral("demo.touchstone"));
        CliResult r = runCli({QStringLiteral("init"), demo, QStringLiteral("--demo")});
        QCOMPARE(r.exitCode, 0);
        r = runCli({QStringLiteral("prompt"), QStringLiteral("list"), demo, QStringLiteral("--json")});
        QVERIFY(r.json().size() >= 3);
        r = runCli({QStringLiteral("prompt"), QStringLiteral("history"), demo, QStringLiteral("support-reply"), QStringLiteral("--json")});
        QVERIFY(r.json()["versions"].size() >= 3);
    }
};

QTEST_GUILESS_MAIN(TestCliPrompts)
#include "test_cli_prompts.moc"
