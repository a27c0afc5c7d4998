// touchstone-cli and embedding models: `eval --embedding-model NAME` embeds the `similar`
// assertions of one eval with that model, `model default-embedding FILE NAME` sets the project's
// default (used when an eval names none), an eval without either reports the sample as an
// error (exit 1) saying how to choose one, never as a pass or a failure, and a retry embeds
// with the model the eval was started with.

#include "clirunner.h"
#include "fakellmserver.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

} // namespace

class TestCliEmbedding final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;
    ts::test::FakeLlmServer m_server;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    CliResult eval(const QStringList &extra, const QString &json)
    {
        return runCli(QStringList {s("eval"), m_file, s("--prompt"), s("say"), s("--dataset"),
                                   s("d"), s("--model"), s("chat"), s("--fresh"), s("--no-cache"),
                                   s("--quiet"), s("--json"), path(json)}
                      + extra);
    }
    /// A dataset NAME imported from `csv`, with `similar` to "close" on every case.
    bool similarDataset(const QString &name, const char *csv)
    {
        QFile file(path(name + s(".csv")));
        if (!file.open(QIODevice::WriteOnly) || file.write(csv) < 0)
            return false;
        file.close();
        const CliResult imported = runCli({s("dataset"), s("import"), m_file, s("--dataset"), name,
                                           s("--create"), file.fileName()});
        if (imported.exitCode != 0) {
            qWarning("%s", qPrintable(imported.err));
            return false;
        }
        const CliResult asserted = runCli({s("dataset"), s("assert"), m_file, s("--dataset"), name,
                                           s("--type"), s("similar"), s("--value"), s("close")});
        if (asserted.exitCode != 0)
            qWarning("%s", qPrintable(asserted.err));
        return asserted.exitCode == 0;
    }
    QString read(const QString &name) const
    {
        QFile f(path(name));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        ts::test::FakeServerConfig config;
        config.outputTokens = 1; // every answer is "Echo:"
        // cos((1,0,0), (4,3,0)) = 4/5 = 0.8 >= 0.75.
        config.embeddings = {{s("Echo:"), {1, 0, 0}}, {s("close"), {4, 3, 0}}};
        m_server.setConfig(config);
        QVERIFY(m_server.listen());
        m_file = path(s("embed.touchstone"));
        QCOMPARE(runCli({s("init"), m_file}).exitCode, 0);
        QCOMPARE(runCli({s("prompt"), s("add"), m_file, s("say"), s("--user"), s("Say: {{x}}")})
                     .exitCode,
                 0);
        for (const auto &[name, id] :
             {std::pair {"chat", "fake-small"}, {"embedder", "fake-embed"}}) {
            const CliResult m
                = runCli({s("model"), s("add"), m_file, s(name), s("--provider"), s("openai"),
                          s("--base-url"), m_server.baseUrl() + s("/v1"), s("--model"), s(id)});
            QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        }
        QVERIFY(similarDataset(s("d"), "x\none\n"));
    }

    void withoutAnEmbeddingModelTheSampleIsAnError()
    {
        const CliResult r = eval({}, s("none.json"));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(read(s("none.json")).contains(s("needs an embedding model")),
                 qPrintable(read(s("none.json"))));
        QVERIFY2(r.err.contains(s("failed")), qPrintable(r.err));
    }

    void theFlagChoosesTheModel()
    {
        const CliResult r = eval({s("--embedding-model"), s("embedder")}, s("flag.json"));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + read(s("flag.json"))));
        QVERIFY(!read(s("flag.json")).contains(s("needs an embedding model")));

        const CliResult missing = eval({s("--embedding-model"), s("nope")}, s("x.json"));
        QVERIFY(missing.exitCode != 0);
        QVERIFY2(missing.err.contains(s("nope")), qPrintable(missing.err));
        // A chat model is refused by the server: an error naming the model, exit 1.
        const CliResult chat = eval({s("--embedding-model"), s("chat")}, s("chat.json"));
        QCOMPARE(chat.exitCode, 1);
        QVERIFY2(read(s("chat.json")).contains(s("does not support embeddings")),
                 qPrintable(read(s("chat.json"))));
    }

    void theProjectDefaultIsUsed()
    {
        CliResult r = runCli({s("model"), s("default-embedding"), m_file});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(s("No default embedding model")));
        r = runCli({s("model"), s("default-embedding"), m_file, s("embedder")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(s("Default embedding model: embedder")));
        r = runCli({s("model"), s("default-embedding"), m_file});
        QVERIFY(r.out.startsWith(s("embedder (OpenAI fake-embed)")));

        const CliResult e = eval({}, s("default.json"));
        QVERIFY2(e.exitCode == 0, qPrintable(e.err + read(s("default.json"))));

        r = runCli({s("model"), s("default-embedding"), m_file, s("--clear")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(eval({}, s("cleared.json")).exitCode, 1);
    }

    void aRetryEmbedsAsTheEvalDid()
    {
        // No project default now: only the eval's own model can score the retried case.
        QVERIFY(similarDataset(s("r"), "x\none\n\"two [fake:fault=400,times=1]\"\n"));
        CliResult r = runCli({s("eval"), m_file, s("--prompt"), s("say"), s("--dataset"), s("r"),
                              s("--model"), s("chat"), s("--embedding-model"), s("embedder"),
                              s("--fresh"), s("--no-cache"), s("--quiet")});
        QCOMPARE(r.exitCode, 1); // one call failed
        // Another model for the retry would mix scores from two models: refused.
        r = runCli({s("eval"), m_file, s("--retry-errors"), s("--embedding-model"), s("chat"),
                    s("--quiet")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(s("embeds with embedder")), qPrintable(r.err));
        r = runCli({s("eval"), m_file, s("--retry-errors"), s("--quiet"), s("--json"),
                    path(s("retry.json"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + read(s("retry.json"))));
        QVERIFY(!read(s("retry.json")).contains(s("needs an embedding model")));
    }
};

QTEST_GUILESS_MAIN(TestCliEmbedding)
#include "test_cli_embedding.moc"
