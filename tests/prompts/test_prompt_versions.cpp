#include "prompts/promptstore.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

PromptContent content(const QString &system, const QString &user, double temperature = 0.2)
{
    PromptContent c;
    c.messages = {{QStringLiteral("system"), system}, {QStringLiteral("user"), user}};
    c.params.temperature = temperature;
    c.params.maxTokens = 256;
    return c;
}

} // namespace

class TestPromptVersions final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;
    std::optional<PromptStore> m_store;
    qint64 m_id = 0;

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto project = Project::create(m_dir.filePath(QStringLiteral("p%1.touchstone").arg(++n)));
        QVERIFY(project);
        m_store.reset();
        m_project.emplace(std::move(*project));
        m_store.emplace(m_project->db());
        auto info = m_store->createPrompt(QStringLiteral("summarize"), QStringLiteral("Summaries"));
        QVERIFY(info);
        m_id = info->id;
    }

    void versionsAreNumberedWithParentsAndHashes()
    {
        auto v1 = m_store->saveVersion(m_id, content(QStringLiteral("Be brief."), QStringLiteral("{{text}}")),
                                       QStringLiteral("first"), QStringLiteral("ana"));
        QVERIFY(v1 && v1->created);
        QCOMPARE(v1->version.number, 1);
        QVERIFY(!v1->version.parentId);
        auto v2 = m_store->saveVersion(m_id, content(QStringLiteral("Be very brief."), QStringLiteral("{{text}}")),
                                       QStringLiteral("shorter"), QStringLiteral("ben"));
        QVERIFY(v2 && v2->created);
        QCOMPARE(v2->version.number, 2);
        QCOMPARE(v2->version.parentNumber, 1);
        QCOMPARE(v2->version.author, QStringLiteral("ben"));
        QCOMPARE(v2->version.note, QStringLiteral("shorter"));
        QVERIFY(v1->version.contentHash != v2->version.contentHash);
        QCOMPARE(v2->version.contentHash.size(), 64);

        auto all = m_store->versions(m_id);
        QVERIFY(all);
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->first().number, 2); // newest first
        QCOMPARE(all->last().content.messages[0].text, QStringLiteral("Be brief."));
        QCOMPARE(all->last().content.params.temperature, 0.2);
    }

    void identicalContentCreatesNoVersion()
    {
        QVERIFY(m_store->saveVersion(m_id, content(QStringLiteral("A"), QStringLiteral("B")), {}, {}));
        auto again = m_store->saveVersion(m_id, content(QStringLiteral("A"), QStringLiteral("B")),
                                          QStringLiteral("same"), {});
        QVERIFY(again);
        QVERIFY(!again->created);
        QCOMPARE(again->version.number, 1);
        QCOMPARE(m_store->versions(m_id)->size(), 1);
        // A parameter change is a change.
        auto changed = m_store->saveVersion(m_id, content(QStringLiteral("A"), QStringLiteral("B"), 0.9), {}, {});
        QVERIFY(changed && changed->created);
        QCOMPARE(changed->version.number, 2);
    }

    void versionsAreImmutableInTheFile()
    {
        QVERIFY(m_store->saveVersion(m_id, content(QStringLiteral("A"), QStringLiteral("B")), {}, {}));
        auto update = m_project->db().exec(QStringLiteral("UPDATE prompt_versions SET note = 'x'"));
        QVERIFY(!update);
        QVERIFY(update.error().message.contains(QStringLiteral("immutable")));
    }

    void labelsPointAndMoveWithHistory()
    {
        QVERIFY(m_store->saveVersion(m_id, content(QStringLiteral("A"), QStringLiteral("1")), {}, {}));
        QVERIFY(m_store->saveVersion(m_id, content(QStringLiteral("A"), QStringLiteral("2")), {}, {}));
        QVERIFY(m_store->setLabel(m_id, QStringLiteral("production"), 1, QStringLiteral("ana")));
        QCOMPARE(m_store->resolve(QStringLiteral("summarize@production"))->number, 1);
        QVERIFY(m_store->setLabel(m_id, QStringLiteral("production"), 2, QStringLiteral("ben")));
        QCOMPARE(m_store->resolve(QStringLiteral("summarize@production"))->number, 2);
        QCOMPARE(m_store->version(m_id, 2)->labels, QStringList{QStringLiteral("production")});
        QVERIFY(m_store->version(m_id, 1)->labels.isEmpty());

        auto history = m_store->labelHistory(m_id);
        QVERIFY(history);
        QCOMPARE(history->size(), 2);
        QCOMPARE(history->at(0).fromVersion, 1);
        QCOMPARE(history->at(0).toVersion, 2);
        QCOMPARE(history->at(0).author, QStringLiteral("ben"));
        QVERIFY(!history->at(1).fromVersion);

        QVERIFY(m_store->removeLabel(m_id, QStringLiteral("production"), QStringLiteral("ana")));
        QVERIFY(!m_store->resolve(QStringLiteral("summarize@production")));
        QVERIFY(!m_store->labelHistory(m_id)->first().toVersion);
    }

    void badLabelsAndReferencesAreRefusedClearly()
    {
        QVERIFY(m_store->saveVersion(m_id, content(QStringLiteral("A"), QStringLiteral("1")), {}, {}));
        auto numeric = m_store->setLabel(m_id, QStringLiteral("3"), 1, {});
        QVERIFY(!numeric);
        QVERIFY(numeric.error().message.contains(QStringLiteral("version number")));
        QVERIFY(!m_store->setLabel(m_id, QStringLiteral("has space"), 1, {}));
        auto missing = m_store->setLabel(m_id, QStringLiteral("prod"), 9, {});
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY(missing.error().message.contains(QStringLiteral("no version 9")));
        auto noLabel = m_store->resolve(QStringLiteral("summarize@staging"));
        QVERIFY(!noLabel);
        QVERIFY(noLabel.error().message.contains(QStringLiteral("no label \"staging\"")));
        QVERIFY(!m_store->resolve(QStringLiteral("nope@1")));
        QCOMPARE(m_store->resolve(QStringLiteral("summarize"))->number, 1);
        QCOMPARE(m_store->resolve(QStringLiteral("summarize@v1"))->number, 1);
        QCOMPARE(m_store->resolve(QStringLiteral("summarize@latest"))->number, 1);
        QVERIFY(!m_store->createPrompt(QStringLiteral("summarize")));
        QVERIFY(!m_store->createPrompt(QStringLiteral("a@b")));
    }

    void restoreCreatesNewVersionWhoseParentIsCurrent()
    {
        QVERIFY(m_store->saveVersion(m_id, content(QStringLiteral("old"), QStringLiteral("x")), {}, {}));
        QVERIFY(m_store->saveVersion(m_id, content(QStringLiteral("new"), QStringLiteral("x")), {}, {}));
        auto restored = m_store->restore(m_id, 1, QStringLiteral("ana"));
        QVERIFY2(restored, qPrintable(restored ? QString() : restored.error().message));
        QCOMPARE(restored->number, 3);
        QCOMPARE(restored->parentNumber, 2);
        QCOMPARE(restored->content.messages[0].text, QStringLiteral("old"));
        QVERIFY(restored->note.contains(QStringLiteral("version 1")));
        // Restoring what is already current is refused rather than silently ignored.
        QVERIFY(!m_store->restore(m_id, 3, {}));
    }

    void draftsSurviveReopenAndClearOnSave()
    {
        QVERIFY(m_store->saveVersion(m_id, content(QStringLiteral("A"), QStringLiteral("B")), {}, {}));
        PromptContent wip = content(QStringLiteral("A, work in progress"), QStringLiteral("B"));
        QVERIFY(m_store->saveDraft(m_id, wip, 1));
        // Simulate a crash: drop the connection and open the file again.
        const QString file = m_project->path();
        m_store.reset();
        m_project.reset();
        auto reopened = Project::open(file);
        QVERIFY(reopened);
        m_project.emplace(std::move(*reopened));
        m_store.emplace(m_project->db());
        auto draft = m_store->draft(m_id);
        QVERIFY(draft && draft->has_value());
        QCOMPARE((*draft)->content, wip);
        QCOMPARE((*draft)->baseVersion, 1);
        QVERIFY(m_store->saveVersion(m_id, wip, QStringLiteral("done"), {}));
        QVERIFY(!m_store->draft(m_id)->has_value());
    }

    void listShowsCountsLabelsAndFilters()
    {
        QVERIFY(m_store->saveVersion(m_id, content(QStringLiteral("A"), QStringLiteral("1")), {}, {}));
        QVERIFY(m_store->saveVersion(m_id, content(QStringLiteral("A"), QStringLiteral("2")), {}, {}));
        QVERIFY(m_store->setLabel(m_id, QStringLiteral("staging"), 2, {}));
        QVERIFY(m_store->createPrompt(QStringLiteral("classify")));
        auto all = m_store->listPrompts();
        QVERIFY(all);
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(0).name, QStringLiteral("classify"));
        QCOMPARE(all->at(1).versionCount, 2);
        QCOMPARE(all->at(1).latestVersion, 2);
        QCOMPARE(all->at(1).labels, QStringList{QStringLiteral("staging")});
        QCOMPARE(m_store->listPrompts(QStringLiteral("summ"))->size(), 1);
    }

    void invalidContentIsRefused()
    {
        auto empty = m_store->saveVersion(m_id, PromptContent{}, {}, {});
        QVERIFY(!empty);
        PromptContent badRole = content(QStringLiteral("a"), QStringLiteral("b"));
        badRole.messages[0].role = QStringLiteral("wizard");
        auto bad = m_store->saveVersion(m_id, badRole, {}, {});
        QVERIFY(!bad);
        QVERIFY(bad.error().message.contains(QStringLiteral("wizard")));
        QCOMPARE(m_store->versions(m_id)->size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestPromptVersions)
#include "test_prompt_versions.moc"
