#include "logs/todataset/templateinversion.h"
#include "template/mustache.h"

#include <QTest>

using namespace ts;
using Status = RecoveredVariable::Status;

namespace {

PromptContent prompt(const QList<std::pair<QString, QString>> &messages)
{
    PromptContent c;
    for (const auto &[role, text] : messages)
        c.messages.append({role, text});
    return c;
}

LogMessage msg(const QString &role, const std::optional<QString> &content)
{
    LogMessage m;
    m.role = role;
    m.content = content;
    return m;
}

const RecoveredVariable *find(const TemplateInversion &inv, const char *name)
{
    for (const RecoveredVariable &v : inv.variables)
        if (v.name == QLatin1String(name))
            return &v;
    return nullptr;
}

std::string var(const TemplateInversion &inv, const char *name)
{
    const auto it = inv.vars.find(name);
    return it != inv.vars.end() && it->is_string() ? it->get<std::string>() : std::string("<none>");
}

} // namespace

class TestTemplateInversion final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void severalVariablesPerMessage()
    {
        const PromptContent p = prompt(
            {{QStringLiteral("system"), QStringLiteral("You answer for {{company}}. Be brief.")},
             {QStringLiteral("user"),
              QStringLiteral("Customer {{name}} writes:\n{{message}}\nAnswer in {{language}}.")}});
        const QList<LogMessage> logged {
            msg(QStringLiteral("system"), QStringLiteral("You answer for Acme Corp. Be brief.")),
            msg(QStringLiteral("user"),
                QStringLiteral("Customer Ann Lee writes:\nMy order #12 is late.\nWhere is it?\n"
                               "Answer in French."))};
        const TemplateInversion inv = invertTemplate(p, logged);
        QCOMPARE(var(inv, "company"), std::string("Acme Corp"));
        QCOMPARE(var(inv, "name"), std::string("Ann Lee"));
        QCOMPARE(var(inv, "message"), std::string("My order #12 is late.\nWhere is it?"));
        QCOMPARE(var(inv, "language"), std::string("French"));
        QVERIFY(inv.unrecovered().isEmpty());
        QVERIFY(inv.wholeMessage().isEmpty());
        QCOMPARE(inv.variables.size(), 4);
        QCOMPARE(inv.variables[0].name, QStringLiteral("company")); // order of first use
        QCOMPARE(inv.variables[0].messageIndex, 0);
        QCOMPARE(find(inv, "language")->messageIndex, 1);
        QCOMPARE(find(inv, "language")->status, Status::Captured);
    }

    void literalTextIsMatchedLiterally()
    {
        // Regex metacharacters in the template are text, not patterns.
        const PromptContent p = prompt(
            {{QStringLiteral("user"), QStringLiteral("Solve (a+b)*[c] = {{x}}? $1 ^ {{y}}.")}});
        const TemplateInversion inv = invertTemplate(
            p,
            {msg(QStringLiteral("user"), QStringLiteral("Solve (a+b)*[c] = 3.5? $1 ^ two (2)."))});
        QCOMPARE(var(inv, "x"), std::string("3.5"));
        QCOMPARE(var(inv, "y"), std::string("two (2)"));
        // Text that only matches when '.' or '*' act as patterns does not match.
        const TemplateInversion miss = invertTemplate(
            p, {msg(QStringLiteral("user"), QStringLiteral("Solve aab)c] = 3? $1 ^ 2."))});
        QCOMPARE(find(miss, "x")->status, Status::WholeMessage);
    }

    void repeatedVariableMustAgree()
    {
        const PromptContent p
            = prompt({{QStringLiteral("user"),
                       QStringLiteral("{{name}}, hello. Goodbye, {{name}}: {{rest}}")}});
        const TemplateInversion inv = invertTemplate(
            p, {msg(QStringLiteral("user"), QStringLiteral("Bo, hello. Goodbye, Bo: see you"))});
        QCOMPARE(var(inv, "name"), std::string("Bo"));
        QCOMPARE(var(inv, "rest"), std::string("see you"));
        // A non-greedy first capture would say "Bo" even when the second use differs: the
        // backreference makes the whole message not match instead.
        const TemplateInversion differ = invertTemplate(
            p, {msg(QStringLiteral("user"), QStringLiteral("Bo, hello. Goodbye, Al: see you"))});
        QCOMPARE(find(differ, "name")->status, Status::WholeMessage);
        QCOMPARE(find(differ, "rest")->status, Status::Unrecovered);
    }

    void dottedNamesAreNested()
    {
        const PromptContent p
            = prompt({{QStringLiteral("user"),
                       QStringLiteral("From {{user.name}} ({{user.plan}}): {{q}}")}});
        const TemplateInversion inv = invertTemplate(
            p, {msg(QStringLiteral("user"), QStringLiteral("From Kim (pro): refund?"))});
        QVERIFY2(
            inv.vars
                == nlohmann::json({{"user", {{"name", "Kim"}, {"plan", "pro"}}}, {"q", "refund?"}}),
            inv.vars.dump().c_str());
    }

    void commentsAndDelimitersAreNotText()
    {
        const PromptContent p = prompt(
            {{QStringLiteral("user"),
              QStringLiteral("{{! internal note }}Hello {{=<% %>=}}<% name %>, {{not a tag}}!")}});
        const TemplateInversion inv = invertTemplate(
            p, {msg(QStringLiteral("user"), QStringLiteral("Hello Zoe, {{not a tag}}!"))});
        QCOMPARE(var(inv, "name"), std::string("Zoe"));
        QVERIFY(inv.unrecovered().isEmpty());
    }

    void sectionsFallBackToTheWholeMessage()
    {
        const PromptContent p = prompt(
            {{QStringLiteral("system"), QStringLiteral("Tone: {{tone}}")},
             {QStringLiteral("user"),
              QStringLiteral(
                  "{{#examples}}Q: {{q}}\nA: {{a}}\n{{/examples}}Question: {{question}}")}});
        const QString userText = QStringLiteral("Q: 1+1\nA: 2\nQ: 2+2\nA: 4\nQuestion: 3+3");
        const TemplateInversion inv
            = invertTemplate(p,
                             {msg(QStringLiteral("system"), QStringLiteral("Tone: dry")),
                              msg(QStringLiteral("user"), userText)});
        QCOMPARE(var(inv, "tone"), std::string("dry")); // the other message is unaffected
        QCOMPARE(var(inv, "question"), userText.toStdString());
        QCOMPARE(find(inv, "question")->status, Status::WholeMessage);
        QCOMPARE(inv.wholeMessage(), QStringList {QStringLiteral("question")});
        QCOMPARE(inv.unrecovered(), QStringList {QStringLiteral("examples")});
        QVERIFY2(find(inv, "examples")->reason.contains(QStringLiteral("{{#examples}}")),
                 qPrintable(find(inv, "examples")->reason));
        QVERIFY(!inv.vars.contains("examples"));
    }

    void invertedSectionFallsBack()
    {
        const PromptContent p
            = prompt({{QStringLiteral("user"),
                       QStringLiteral("{{^vip}}Standard customer. {{/vip}}{{msg}}")}});
        const TemplateInversion inv = invertTemplate(
            p, {msg(QStringLiteral("user"), QStringLiteral("Standard customer. Help me"))});
        QCOMPARE(var(inv, "msg"), std::string("Standard customer. Help me"));
        QCOMPARE(inv.unrecovered(), QStringList {QStringLiteral("vip")});
        QVERIFY(find(inv, "vip")->reason.contains(QStringLiteral("inverted section")));
    }

    void partialsFallBack()
    {
        const PromptContent p = prompt(
            {{QStringLiteral("system"), QStringLiteral("{{> policy}}")},
             {QStringLiteral("user"), QStringLiteral("{{> greeting}}\nQuestion: {{question}}")}});
        const TemplateInversion inv = invertTemplate(
            p,
            {msg(QStringLiteral("system"), QStringLiteral("Never promise refunds.")),
             msg(QStringLiteral("user"), QStringLiteral("Hi!\nQuestion: why?"))});
        QCOMPARE(var(inv, "question"), std::string("Hi!\nQuestion: why?"));
        QCOMPARE(find(inv, "question")->status, Status::WholeMessage);
        QVERIFY2(find(inv, "question")->reason.contains(QStringLiteral("partial {{> greeting}}")),
                 qPrintable(find(inv, "question")->reason));
        QCOMPARE(inv.variables.size(), 1); // the system partial uses no variable we can name
    }

    void mismatchFallsBackAndSaysWhy()
    {
        const PromptContent p = prompt(
            {{QStringLiteral("user"), QStringLiteral("Translate into {{lang}}: {{text}}")}});
        const TemplateInversion inv = invertTemplate(
            p, {msg(QStringLiteral("user"), QStringLiteral("Please translate: bonjour"))});
        QCOMPARE(var(inv, "lang"), std::string("Please translate: bonjour"));
        QCOMPARE(find(inv, "lang")->status, Status::WholeMessage);
        QCOMPARE(inv.unrecovered(), QStringList {QStringLiteral("text")});
        QVERIFY2(find(inv, "text")->reason.contains(QStringLiteral("does not match")),
                 qPrintable(find(inv, "text")->reason));
    }

    void whitespaceAtTheEdgesMayDiffer()
    {
        const PromptContent p
            = prompt({{QStringLiteral("user"), QStringLiteral("\nQuestion: {{q}}\n\n")}});
        const TemplateInversion inv
            = invertTemplate(p, {msg(QStringLiteral("user"), QStringLiteral("Question: why"))});
        QCOMPARE(var(inv, "q"), std::string("why"));
        QCOMPARE(find(inv, "q")->status, Status::Captured);
    }

    void messagesArePairedByRoleInOrder()
    {
        // Few-shot turns in the template; the call also logged a tool exchange in between.
        const PromptContent p = prompt({{QStringLiteral("system"), QStringLiteral("Be {{style}}.")},
                                        {QStringLiteral("user"), QStringLiteral("Example: {{ex}}")},
                                        {QStringLiteral("assistant"), QStringLiteral("Noted.")},
                                        {QStringLiteral("user"), QStringLiteral("Now: {{task}}")}});
        const QList<LogMessage> logged {
            msg(QStringLiteral("developer"), QStringLiteral("Be terse.")),
            msg(QStringLiteral("user"), QStringLiteral("Example: cats")),
            msg(QStringLiteral("assistant"), QStringLiteral("Noted.")),
            msg(QStringLiteral("tool"), QStringLiteral("{\"ok\":true}")),
            msg(QStringLiteral("user"), QStringLiteral("Now: dogs"))};
        const TemplateInversion inv = invertTemplate(p, logged);
        QCOMPARE(var(inv, "style"), std::string("terse"));
        QCOMPARE(var(inv, "ex"), std::string("cats"));
        QCOMPARE(var(inv, "task"), std::string("dogs"));
        QCOMPARE(find(inv, "task")->messageIndex, 4);
    }

    void missingOrRedactedMessagesAreUnrecovered()
    {
        const PromptContent p
            = prompt({{QStringLiteral("system"), QStringLiteral("Persona: {{p}}")},
                      {QStringLiteral("user"), QStringLiteral("{{q}}")}});
        const TemplateInversion noSystem
            = invertTemplate(p, {msg(QStringLiteral("user"), QStringLiteral("hello"))});
        QCOMPARE(noSystem.unrecovered(), QStringList {QStringLiteral("p")});
        QVERIFY(find(noSystem, "p")->reason.contains(QStringLiteral("no system")));
        QCOMPARE(var(noSystem, "q"), std::string("hello"));

        const TemplateInversion redacted
            = invertTemplate(p,
                             {msg(QStringLiteral("system"), QStringLiteral("Persona: pirate")),
                              msg(QStringLiteral("user"), std::nullopt)});
        QCOMPARE(var(redacted, "p"), std::string("pirate"));
        QCOMPARE(redacted.unrecovered(), QStringList {QStringLiteral("q")});
        QVERIFY(find(redacted, "q")->reason.contains(QStringLiteral("redacted")));
    }

    void adjacentVariablesCannotBeSplit()
    {
        const PromptContent p
            = prompt({{QStringLiteral("user"), QStringLiteral("Ask: {{first}}{{second}}.")}});
        const TemplateInversion inv
            = invertTemplate(p, {msg(QStringLiteral("user"), QStringLiteral("Ask: onetwo."))});
        QCOMPARE(var(inv, "first"), std::string("onetwo"));
        QCOMPARE(inv.unrecovered(), QStringList {QStringLiteral("second")});
        QVERIFY(find(inv, "second")->reason.contains(QStringLiteral("{{first}}")));
    }

    void renderingThenInvertingGivesTheVariablesBack()
    {
        const PromptContent p = prompt(
            {{QStringLiteral("system"), QStringLiteral("You are {{persona}}.\n\nRules: {{rules}}")},
             {QStringLiteral("user"),
              QStringLiteral(
                  "<ticket id=\"{{id}}\">\n{{{body}}}\n</ticket>\nReply in {{lang}}.")}});
        const nlohmann::json vars
            = {{"persona", "a (careful) agent [v2]"},
               {"rules", "1. Be brief.\n2. Cite $policy.*"},
               {"id", "T-42"},
               {"body", "Hello,\n\nmy <b>order</b> is late. Reply in French? No: English.\n"},
               {"lang", "English"}};
        QList<LogMessage> logged;
        for (const PromptMessage &m : p.messages) {
            auto t = MustacheTemplate::parse(m.text);
            QVERIFY(t);
            logged.append(msg(m.role, t->render(vars)));
        }
        const TemplateInversion inv = invertTemplate(p, logged);
        QVERIFY2(inv.vars == vars, inv.vars.dump().c_str());
        QVERIFY(inv.unrecovered().isEmpty());
    }

    void withoutAPromptTheLastUserMessageIsInput()
    {
        const QList<LogMessage> logged {
            msg(QStringLiteral("system"), QStringLiteral("Be nice.")),
            msg(QStringLiteral("user"), QStringLiteral("first question")),
            msg(QStringLiteral("assistant"), QStringLiteral("answer")),
            msg(QStringLiteral("user"), QStringLiteral("follow-up")),
            msg(QStringLiteral("tool"), QStringLiteral("42"))};
        const TemplateInversion inv = inputFromLastUserMessage(logged);
        QVERIFY(inv.vars == nlohmann::json({{"input", "follow-up"}}));
        QCOMPARE(inv.variables.size(), 1);
        QCOMPARE(inv.variables[0].messageIndex, 3);

        const TemplateInversion none
            = inputFromLastUserMessage({msg(QStringLiteral("system"), QStringLiteral("x")),
                                        msg(QStringLiteral("user"), std::nullopt)});
        QVERIFY(none.vars.empty());
        QCOMPARE(none.unrecovered(), QStringList {QStringLiteral("input")});
    }
};

QTEST_GUILESS_MAIN(TestTemplateInversion)
#include "test_template_inversion.moc"
