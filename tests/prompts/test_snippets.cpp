#include "prompts/promptdiff.h"
#include "prompts/promptstore.h"
#include "runs/promptrenderer.h"
#include "snippets/snippetstore.h"
#include "storage/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

PromptContent messages(const QString &system, const QString &user)
{
    PromptContent c;
    c.messages = {{QStringLiteral("system"), system}, {QStringLiteral("user"), user}};
    return c;
}

} // namespace

class TestSnippets final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<Project> m_project;
    std::optional<PromptStore> m_prompts;
    std::optional<SnippetStore> m_snippets;

    qint64 snippet(const QString &name, const QString &text)
    {
        auto info = m_snippets->create(name);
        if (!info)
            return 0;
        auto saved
            = m_snippets->save(info->id, text, QStringLiteral("first"), QStringLiteral("ana"));
        return saved ? info->id : 0;
    }

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto project = Project::create(m_dir.filePath(QStringLiteral("s%1.touchstone").arg(++n)));
        QVERIFY(project);
        m_snippets.reset();
        m_prompts.reset();
        m_project.emplace(std::move(*project));
        m_prompts.emplace(m_project->db());
        m_snippets.emplace(m_project->db());
    }

    void snippetsAreListedApartFromPrompts()
    {
        QVERIFY(snippet(QStringLiteral("tone"), QStringLiteral("Be kind.")));
        QVERIFY(m_prompts->createPrompt(QStringLiteral("reply")));
        auto prompts = m_prompts->listPrompts();
        QVERIFY(prompts);
        QCOMPARE(prompts->size(), 1);
        QCOMPARE(prompts->first().name, QStringLiteral("reply"));
        auto snippets = m_snippets->list();
        QVERIFY(snippets);
        QCOMPARE(snippets->size(), 1);
        QCOMPARE(snippets->first().kind, PromptKind::Snippet);
        // One namespace: a prompt cannot take a snippet's name, and {{> name}} needs a plain name.
        auto clash = m_prompts->createPrompt(QStringLiteral("tone"));
        QVERIFY(!clash);
        QVERIFY(clash.error().message.contains(QStringLiteral("snippet named \"tone\"")));
        QVERIFY(!m_snippets->create(QStringLiteral("two words")));
        QVERIFY(!m_prompts->resolve(QStringLiteral("tone")));
        QVERIFY(m_snippets->resolve(QStringLiteral("tone@1")));
    }

    void aVersionPinsTheSnippetsItRendersWith()
    {
        const qint64 tone = snippet(QStringLiteral("tone"), QStringLiteral("Be kind. {{> sign}}"));
        QVERIFY(snippet(QStringLiteral("sign"), QStringLiteral("Sign as {{agent}}.")));
        auto prompt = m_prompts->createPrompt(QStringLiteral("reply"));
        QVERIFY(prompt);
        auto v1 = m_prompts->saveVersion(
            prompt->id,
            messages(QStringLiteral("You help.\n{{> tone}}"), QStringLiteral("{{message}}")),
            QString(), QStringLiteral("ana"));
        QVERIFY(v1 && v1->created);
        auto read = m_prompts->version(prompt->id, 1);
        QVERIFY(read);
        QCOMPARE(read->snippets.size(), 2); // nested snippets are pinned too
        QCOMPARE(read->snippets[0].name, QStringLiteral("sign"));
        QCOMPARE(read->snippets[1].name, QStringLiteral("tone"));
        QCOMPARE(read->snippets[1].version, 1);
        auto rendered = renderPrompt(read->content, {{"agent", "Sam"}, {"message", "hi"}});
        QVERIFY2(rendered, qPrintable(rendered ? QString() : rendered.error().message));
        QCOMPARE(rendered->first().content, QStringLiteral("You help.\nBe kind. Sign as Sam."));

        // A new snippet version makes a new version of every prompt using it...
        auto saved = m_snippets->save(tone, QStringLiteral("Be warm. {{> sign}}"),
                                      QStringLiteral("warmer"), QStringLiteral("bo"));
        QVERIFY(saved && saved->saved.created);
        QCOMPARE(saved->updated.size(), 1);
        QCOMPARE(saved->updated.first().promptName, QStringLiteral("reply"));
        QCOMPARE(saved->updated.first().number, 2);
        QCOMPARE(saved->updated.first().note, QStringLiteral("Snippet \"tone\" v2"));
        auto v2 = m_prompts->version(prompt->id, 2);
        QVERIFY(v2);
        QCOMPARE(v2->parentNumber, std::optional<int>(1));
        rendered = renderPrompt(v2->content, {{"agent", "Sam"}, {"message", "hi"}});
        QVERIFY(rendered);
        QCOMPARE(rendered->first().content, QStringLiteral("You help.\nBe warm. Sign as Sam."));
        // ...while the old version still renders exactly as it did.
        rendered = renderPrompt(read->content, {{"agent", "Sam"}, {"message", "hi"}});
        QCOMPARE(rendered->first().content, QStringLiteral("You help.\nBe kind. Sign as Sam."));
        // The diff of the two prompt versions shows the snippet change and its versions.
        const PromptDiff diff = diffVersions(*read, *v2);
        QVERIFY(diff.unified().contains(QStringLiteral("@@ snippet \"tone\" (v1 → v2)\n")));
        QVERIFY(
            diff.unified().contains(QStringLiteral("-Be kind. {{> sign}}\n+Be warm. {{> sign}}")));
        // Saving the same text again changes nothing anywhere.
        saved = m_snippets->save(tone, QStringLiteral("Be warm. {{> sign}}"), QString(),
                                 QStringLiteral("bo"));
        QVERIFY(saved && !saved->saved.created && saved->updated.isEmpty());
        // A used snippet cannot be deleted or renamed from under its users.
        QVERIFY(!m_prompts->deletePrompt(tone));
        QVERIFY(!m_snippets->rename(tone, QStringLiteral("voice")));
    }

    void aMissingSnippetIsAnErrorAtItsTag()
    {
        PromptContent c
            = messages(QStringLiteral("Rules:\n  {{> rules}}"), QStringLiteral("{{q}}"));
        auto rendered = renderPrompt(c, {{"q", "x"}});
        QVERIFY(!rendered);
        QCOMPARE(rendered.error().message,
                 QStringLiteral("Message 1 (system): 2:3: No snippet named \"rules\""));
        // The editor's latest texts fill the gap once the snippet exists.
        QVERIFY(snippet(QStringLiteral("rules"), QStringLiteral("- be brief")));
        auto latest = m_snippets->latestTexts();
        QVERIFY(latest);
        c.snippets = *latest;
        rendered = renderPrompt(c, {{"q", "x"}});
        QVERIFY(rendered);
        QCOMPARE(rendered->first().content, QStringLiteral("Rules:\n  - be brief"));
    }

    void aSnippetOnItsOwnLineKeepsTheLinesApart()
    {
        // Snippets are written without a final line break; on a line of their own they still
        // end that line (the Mustache spec alone would join it with the next one).
        QVERIFY(snippet(QStringLiteral("rules"), QStringLiteral("Be brief.\nBe kind.")));
        PromptContent c = messages(QStringLiteral("Intro\n  {{> rules}}\nEnd {{> rules}}!"),
                                   QStringLiteral("x"));
        c.snippets = *m_snippets->latestTexts();
        auto rendered = renderPrompt(c, nlohmann::json::object());
        QVERIFY(rendered);
        QCOMPARE(rendered->first().content,
                 QStringLiteral("Intro\n  Be brief.\n  Be kind.\nEnd Be brief.\nBe kind.!"));
    }

    void labelsAndHistoryWorkForSnippets()
    {
        const qint64 id = snippet(QStringLiteral("tone"), QStringLiteral("a"));
        QVERIFY(m_snippets->save(id, QStringLiteral("b"), QString(), QStringLiteral("ana")));
        QVERIFY(m_prompts->setLabel(id, QStringLiteral("production"), 1, QStringLiteral("ana")));
        auto v = m_snippets->resolve(QStringLiteral("tone@production"));
        QVERIFY(v);
        QCOMPARE(v->content.snippetText(), QStringLiteral("a"));
        auto versions = m_prompts->versions(id);
        QVERIFY(versions);
        QCOMPARE(versions->size(), 2);
        const PromptDiff diff = diffVersions(versions->at(1), versions->at(0));
        QCOMPARE(diff.sections.first().title, QStringLiteral("snippet text"));
        QVERIFY(diff.unified().contains(QStringLiteral("-a\n+b")));
        // A prompt's message roles are not a snippet's, and the other way round.
        QVERIFY(!m_prompts->saveVersion(id, messages(QStringLiteral("x"), QStringLiteral("y")), {},
                                        {}));
    }
};

QTEST_GUILESS_MAIN(TestSnippets)
#include "test_snippets.moc"
