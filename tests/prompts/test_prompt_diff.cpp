#include "prompts/promptdiff.h"

#include <QTest>

using namespace ts;

class TestPromptDiff final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lineDiffMarksAddedAndRemovedLines()
    {
        const auto lines = diffLines(QStringLiteral("a\nb\nc"), QStringLiteral("a\nB\nc\nd"));
        QStringList marks;
        for (const DiffLine &l : lines)
            marks << (l.kind == DiffLine::Kind::Added ? QStringLiteral("+") : l.kind == DiffLine::Kind::Removed ? QStringLiteral("-") : QStringLiteral(" ")) + l.text;
        QCOMPARE(marks, (QStringList{QStringLiteral(" a"), QStringLiteral("-b"), QStringLiteral("+B"),
                                     QStringLiteral(" c"), QStringLiteral("+d")}));
        QCOMPARE(lines[1].oldLine, 2);
        QCOMPARE(lines[2].newLine, 2);
        QCOMPARE(lines[4].newLine, 4);
    }

    void promptDiffCoversMessagesAndParameters()
    {
        PromptContent a;
        a.messages = {{QStringLiteral("system"), QStringLiteral("You are terse.\nAnswer in English.")},
                      {QStringLiteral("user"), QStringLiteral("{{question}}")}};
        a.params.temperature = 0.2;
        PromptContent b = a;
        b.messages[0].text = QStringLiteral("You are terse.\nAnswer in French.");
        b.messages.append({QStringLiteral("assistant"), QStringLiteral("D'accord.")});
        b.params.temperature = 0.7;
        const PromptDiff diff = diffContent(a, b, QStringLiteral("p@1"), QStringLiteral("p@2"));
        QVERIFY(diff.hasChanges());
        QCOMPARE(diff.sections[0].title, QStringLiteral("message 1 (system)"));
        QVERIFY(diff.sections[0].changed());
        QVERIFY(!diff.sections[1].changed());
        QCOMPARE(diff.sections[2].title, QStringLiteral("message 3 (assistant)"));
        QVERIFY(diff.sections[2].changed());

        const QString unified = diff.unified();
        QVERIFY(unified.startsWith(QStringLiteral("--- p@1\n+++ p@2\n")));
        QVERIFY(unified.contains(QStringLiteral("-Answer in English.\n+Answer in French.\n")));
        QVERIFY(unified.contains(QStringLiteral("@@ -1,3 +1,3 @@ message 1 (system)")));
        QVERIFY(unified.contains(QStringLiteral("-temperature: 0.2\n+temperature: 0.7")));
        QVERIFY(unified.contains(QStringLiteral("+D'accord.")));
        QVERIFY(!unified.contains(QStringLiteral("message 2 (user)")));
    }

    void identicalContentHasNoChanges()
    {
        PromptContent a;
        a.messages = {{QStringLiteral("user"), QStringLiteral("hi")}};
        const PromptDiff diff = diffContent(a, a, QStringLiteral("x"), QStringLiteral("y"));
        QVERIFY(!diff.hasChanges());
        QCOMPARE(diff.unified(), QStringLiteral("--- x\n+++ y\n"));
    }

    void insertingAFewShotPairShowsOnlyThePair()
    {
        PromptContent a;
        a.messages = {{QStringLiteral("system"), QStringLiteral("Classify the ticket.")},
                      {QStringLiteral("user"), QStringLiteral("Printer on fire")},
                      {QStringLiteral("assistant"), QStringLiteral("hardware")},
                      {QStringLiteral("user"), QStringLiteral("{{ticket}}")}};
        PromptContent b = a;
        b.messages.insert(3, {QStringLiteral("user"), QStringLiteral("Cannot log in")});
        b.messages.insert(4, {QStringLiteral("assistant"), QStringLiteral("account")});
        b.messages[0].text = QStringLiteral("Classify the support ticket.");
        const PromptDiff diff = diffContent(a, b, QStringLiteral("x"), QStringLiteral("y"));
        QStringList changed;
        for (const DiffSection &s : diff.sections)
            if (s.changed())
                changed << s.title;
        QCOMPARE(changed, (QStringList{QStringLiteral("message 1 (system)"),
                                       QStringLiteral("message 4 (user)"),
                                       QStringLiteral("message 5 (assistant)")}));
        // The edited system message is diffed line by line within its pair.
        QVERIFY(diff.unified().contains(
            QStringLiteral("-Classify the ticket.\n+Classify the support ticket.\n")));
        QVERIFY(!diff.unified().contains(QStringLiteral("{{ticket}}")));

        // Removing a message shows it removed, not the later ones shifted.
        PromptContent c = a;
        c.messages.removeAt(1);
        c.messages.removeAt(1);
        const PromptDiff removed = diffContent(a, c, QStringLiteral("x"), QStringLiteral("y"));
        changed.clear();
        for (const DiffSection &s : removed.sections)
            if (s.changed())
                changed << s.title;
        QCOMPARE(changed, (QStringList{QStringLiteral("removed message 2 (user)"),
                                       QStringLiteral("removed message 3 (assistant)")}));
    }

    void roleChangeIsVisible()
    {
        PromptContent a;
        a.messages = {{QStringLiteral("user"), QStringLiteral("same")}};
        PromptContent b;
        b.messages = {{QStringLiteral("system"), QStringLiteral("same")}};
        const PromptDiff diff = diffContent(a, b, QStringLiteral("x"), QStringLiteral("y"));
        QVERIFY(diff.hasChanges());
        QVERIFY(diff.unified().contains(QStringLiteral("-[user]\n+[system]")));
    }
};

QTEST_GUILESS_MAIN(TestPromptDiff)
#include "test_prompt_diff.moc"
