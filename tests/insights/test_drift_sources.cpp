// Where drift sides come from: the --reference / --current syntax, and embedding vectors
// cached in the project by model and text hash.
#include "insights/driftsource.h"
#include "insights/embeddingcache.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

class TestDriftSources : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void logRanges()
    {
        auto spec = parseDriftSource(QStringLiteral("logs:2026-11-29..2026-11-30"));
        QVERIFY(spec);
        QCOMPARE(spec->kind, DriftSourceSpec::Kind::Logs);
        QCOMPARE(*spec->sinceMs, 1795910400000); // 2026-11-29T00:00:00Z
        QCOMPARE(*spec->untilMs,
                 1796083200000); // a date alone as TO: through 2026-11-30, so < 12-01
        spec = parseDriftSource(QStringLiteral("logs:2026-11-29T12:00:00+01:00.."));
        QVERIFY(spec);
        QCOMPARE(*spec->sinceMs, 1795950000000); // 11:00 UTC
        QVERIFY(!spec->untilMs);
        spec = parseDriftSource(QStringLiteral("logs:..2026-11-30T06:00:00Z"));
        QVERIFY(spec);
        QVERIFY(!spec->sinceMs);
        QCOMPARE(*spec->untilMs, 1796018400000); // a time as TO is taken as is
        QVERIFY(parseDriftSource(QStringLiteral("logs:..")));
        QCOMPARE(parseDriftSource(QStringLiteral("logs:2026-11-30")).error().code,
                 ErrorCode::InvalidArgument);
        QVERIFY(parseDriftSource(QStringLiteral("logs:soon.."))
                    .error()
                    .message.contains(QStringLiteral("\"soon\"")));
        QVERIFY(!parseDriftSource(QStringLiteral("logs:2026-12-01..2026-11-01")));
    }

    void datasetReferences()
    {
        auto spec = parseDriftSource(QStringLiteral("dataset:tickets@support@production"));
        QVERIFY(spec);
        QCOMPARE(spec->kind, DriftSourceSpec::Kind::Dataset);
        QCOMPARE(spec->datasetAndPrompt, QStringLiteral("tickets@support@production"));
        QVERIFY(!parseDriftSource(QStringLiteral("dataset:tickets")));
        QVERIFY(!parseDriftSource(QStringLiteral("tickets@support")));
    }

    void embeddingsAreCachedByModelAndText()
    {
        QTemporaryDir dir;
        auto project = Project::create(dir.filePath(QStringLiteral("e.touchstone")));
        QVERIFY(project);
        QStringList sent;
        const EmbedFunction embed = [&](const QStringList &texts) -> Result<QList<QList<float>>> {
            sent += texts;
            QList<QList<float>> out;
            for (const QString &t : texts)
                out.append({float(t.size()), 1.0f, -0.5f});
            return out;
        };
        const QStringList texts {QStringLiteral("hello"), QStringLiteral("hi"),
                                 QStringLiteral("hello"), QString(), QStringLiteral(" hi")};
        auto first = embedTexts(project->db(), QStringLiteral("openai:m"), texts, embed, 2);
        QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
        // Distinct non-empty texts only ("hi" and " hi" differ: texts are never trimmed).
        QCOMPARE(
            sent,
            (QStringList {QStringLiteral("hello"), QStringLiteral("hi"), QStringLiteral(" hi")}));
        QCOMPARE(first->embedded, 3);
        QCOMPARE(first->vectors.rows(), 5);
        QCOMPARE(first->vectors.cols(), 3);
        QCOMPARE(first->vectors(0, 0), 5.0f);
        QCOMPARE(first->vectors(2, 0), 5.0f);
        QCOMPARE(first->vectors(3, 0), 0.0f); // the empty text: a zero row, never sent
        QCOMPARE(first->vectors(4, 0), 3.0f);

        sent.clear();
        auto second = embedTexts(project->db(), QStringLiteral("openai:m"),
                                 {QStringLiteral("hi"), QStringLiteral("new")}, embed);
        QVERIFY(second);
        QCOMPARE(sent, QStringList {QStringLiteral("new")});
        QCOMPARE(second->fromCache, 1);
        QCOMPARE(second->vectors(0, 2), -0.5f);

        // Another model shares nothing.
        sent.clear();
        QVERIFY(
            embedTexts(project->db(), QStringLiteral("ollama:m"), {QStringLiteral("hi")}, embed));
        QCOMPARE(sent, QStringList {QStringLiteral("hi")});

        // A model failure is passed on; vectors of another size are refused.
        const EmbedFunction broken = [](const QStringList &) -> Result<QList<QList<float>>> {
            return fail(ErrorCode::Auth, QStringLiteral("API key missing"));
        };
        QCOMPARE(
            embedTexts(project->db(), QStringLiteral("openai:m"), {QStringLiteral("x")}, broken)
                .error()
                .code,
            ErrorCode::Auth);
        const EmbedFunction wider = [](const QStringList &batch) -> Result<QList<QList<float>>> {
            return QList<QList<float>>(batch.size(), QList<float> {1, 2, 3, 4});
        };
        QCOMPARE(embedTexts(project->db(), QStringLiteral("openai:m"),
                            {QStringLiteral("hello"), QStringLiteral("wide")}, wider)
                     .error()
                     .code,
                 ErrorCode::Protocol);
    }
};

QTEST_GUILESS_MAIN(TestDriftSources)
#include "test_drift_sources.moc"
