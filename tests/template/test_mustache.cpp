// The Mustache engine as prompt authors use it: few-shot sections, dotted names, partials,
// escaping off by default, the variable list behind the editor's inputs, and every parse
// error with its position. The official spec suite runs in test_mustache_spec.

#include "template/mustache.h"

#include <QTest>

using nlohmann::json;
using ts::MustacheTemplate;
using ts::TemplateVariable;

namespace {

QString renderOrFail(const QString &source, const json &data, const ts::PartialMap &partials = {},
                     const ts::RenderOptions &options = {})
{
    const auto parsed = MustacheTemplate::parse(source);
    if (!parsed)
        return QStringLiteral("<parse error: %1>").arg(parsed.error().toString());
    const auto rendered = parsed->renderChecked(data, partials, options);
    if (!rendered)
        return QStringLiteral("<render error: %1>").arg(rendered.error().toString());
    return *rendered;
}

const TemplateVariable *findVariable(const QList<TemplateVariable> &list, const QString &name)
{
    for (const auto &v : list) {
        if (v.name == name)
            return &v;
    }
    return nullptr;
}

QStringList names(const QList<TemplateVariable> &list)
{
    QStringList out;
    for (const auto &v : list)
        out.append(v.name);
    return out;
}

} // namespace

class TestMustache final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fewShotListSection();
    void emptyListShowsInvertedSection();
    void falsyValues();
    void dottedNamesAndIndexes();
    void valuesPrintLikeJavaScript();
    void escapingOffByDefault();
    void setDelimitersForJsonPrompts();
    void partialIndentation();
    void partialSourceChangeIsPickedUp();
    void unknownPartial();
    void partialParseErrorNamesPartial();
    void runawayPartialRecursionStops();
    void parseOnceRenderMany();
    void variablesTree();
    void variablesFollowPartials();
    void partialNames();
    void parseErrors_data();
    void parseErrors();
    void errorFormatting();
};

void TestMustache::fewShotListSection()
{
    const QString source = QStringLiteral("Classify the sentiment.\n"
                                          "{{#examples}}\n"
                                          "Input: {{input}}\n"
                                          "Label: {{label}}\n"
                                          "{{/examples}}\n"
                                          "Input: {{query}}\n"
                                          "Label:");
    const json data = {{"examples",
                        {{{"input", "I love it"}, {"label", "positive"}},
                         {{"input", "Broken on arrival"}, {"label", "negative"}}}},
                       {"query", "Works fine"}};
    // Standalone section tags leave no blank lines behind.
    QCOMPARE(renderOrFail(source, data),
             QStringLiteral("Classify the sentiment.\n"
                            "Input: I love it\n"
                            "Label: positive\n"
                            "Input: Broken on arrival\n"
                            "Label: negative\n"
                            "Input: Works fine\n"
                            "Label:"));
}

void TestMustache::emptyListShowsInvertedSection()
{
    const QString source = QStringLiteral("{{#examples}}- {{.}}\n{{/examples}}"
                                          "{{^examples}}(no examples)\n{{/examples}}");
    QCOMPARE(renderOrFail(source, {{"examples", json::array()}}),
             QStringLiteral("(no examples)\n"));
    QCOMPARE(renderOrFail(source, json::object()), QStringLiteral("(no examples)\n"));
    QCOMPARE(renderOrFail(source, {{"examples", {"a", "b"}}}), QStringLiteral("- a\n- b\n"));
}

void TestMustache::falsyValues()
{
    // The spec's `!!data`: false, null, 0, "" and [] hide a section; {} and "0" do not.
    const QString source = QStringLiteral("{{#v}}shown{{/v}}{{^v}}hidden{{/v}}");
    QCOMPARE(renderOrFail(source, {{"v", false}}), QStringLiteral("hidden"));
    QCOMPARE(renderOrFail(source, {{"v", nullptr}}), QStringLiteral("hidden"));
    QCOMPARE(renderOrFail(source, {{"v", 0}}), QStringLiteral("hidden"));
    QCOMPARE(renderOrFail(source, {{"v", ""}}), QStringLiteral("hidden"));
    QCOMPARE(renderOrFail(source, {{"v", json::array()}}), QStringLiteral("hidden"));
    QCOMPARE(renderOrFail(source, {{"v", json::object()}}), QStringLiteral("shown"));
    QCOMPARE(renderOrFail(source, {{"v", "0"}}), QStringLiteral("shown"));
    QCOMPARE(renderOrFail(source, {{"v", 2.5}}), QStringLiteral("shown"));
}

void TestMustache::dottedNamesAndIndexes()
{
    const json data = {{"user", {{"profile", {{"name", "Ada"}}}}},
                       {"examples", {{{"input", "first"}}, {{"input", "second"}}}},
                       {"title", "outer"}};
    QCOMPARE(renderOrFail(QStringLiteral("{{user.profile.name}}"), data), QStringLiteral("Ada"));
    QCOMPARE(renderOrFail(QStringLiteral("{{examples.1.input}}"), data), QStringLiteral("second"));
    QCOMPARE(renderOrFail(QStringLiteral("[{{examples.7.input}}]"), data), QStringLiteral("[]"));
    QCOMPARE(renderOrFail(QStringLiteral("[{{user.missing.name}}]"), data), QStringLiteral("[]"));
    // Inside a section, names not found on the item come from the outer data.
    QCOMPARE(renderOrFail(QStringLiteral("{{#examples}}{{title}}:{{input}} {{/examples}}"), data),
             QStringLiteral("outer:first outer:second "));
}

void TestMustache::valuesPrintLikeJavaScript()
{
    const json data = {{"i", 85},           {"d", 1.5},         {"whole", 1.0},
                       {"neg", -3},         {"t", true},        {"n", nullptr},
                       {"obj", {{"a", 1}}}, {"list", {1, "x"}}, {"u", "héllo 🙂"}};
    QCOMPARE(renderOrFail(QStringLiteral("{{i}} {{d}} {{whole}} {{neg}} {{t}} [{{n}}]"), data),
             QStringLiteral("85 1.5 1 -3 true []"));
    QCOMPARE(renderOrFail(QStringLiteral("{{obj}} {{list}}"), data),
             QStringLiteral("{\"a\":1} [1,\"x\"]"));
    QCOMPARE(renderOrFail(QStringLiteral("{{u}}"), data), QStringLiteral("héllo 🙂"));
}

void TestMustache::escapingOffByDefault()
{
    const json data = {{"code", "if (a < b && c > \"d\") {}"}};
    const QString source = QStringLiteral("{{code}}|{{{code}}}|{{&code}}");
    const QString raw = QStringLiteral("if (a < b && c > \"d\") {}");
    QCOMPARE(renderOrFail(source, data), raw + u'|' + raw + u'|' + raw);

    ts::RenderOptions html;
    html.escapeHtml = true;
    QCOMPARE(renderOrFail(source, data, {}, html),
             QStringLiteral("if (a &lt; b &amp;&amp; c &gt; &quot;d&quot;) {}|") + raw + u'|'
                 + raw);
}

void TestMustache::setDelimitersForJsonPrompts()
{
    const QString source = QStringLiteral(
        "{{=<% %>=}}\nReply as JSON: {\"answer\": \"<% answer %>\", \"x\": {{y}}}");
    QCOMPARE(renderOrFail(source, {{"answer", "42"}}),
             QStringLiteral("Reply as JSON: {\"answer\": \"42\", \"x\": {{y}}}"));
}

void TestMustache::partialIndentation()
{
    const ts::PartialMap partials {
        {QStringLiteral("example"), QStringLiteral("<example>\n{{text}}\n</example>\n")}};
    const QString source = QStringLiteral("Examples:\n"
                                          "{{#examples}}\n"
                                          "    {{> example}}\n"
                                          "{{/examples}}\n"
                                          "Inline: {{> example}}Done");
    const json data = {{"examples", {{{"text", "one\ntwo"}}, {{"text", "three"}}}}, {"text", "x"}};
    // Every line of a standalone partial is indented; interpolated text keeps its own lines.
    QCOMPARE(renderOrFail(source, data, partials),
             QStringLiteral("Examples:\n"
                            "    <example>\n"
                            "    one\ntwo\n"
                            "    </example>\n"
                            "    <example>\n"
                            "    three\n"
                            "    </example>\n"
                            "Inline: <example>\n"
                            "x\n"
                            "</example>\n"
                            "Done"));
}

void TestMustache::partialSourceChangeIsPickedUp()
{
    const auto parsed = MustacheTemplate::parse(QStringLiteral("[{{> p}}]"));
    QVERIFY(parsed);
    ts::PartialMap partials {{QStringLiteral("p"), QStringLiteral("v1 {{x}}")}};
    QCOMPARE(parsed->render({{"x", 1}}, partials), QStringLiteral("[v1 1]"));
    partials[QStringLiteral("p")] = QStringLiteral("v2 {{x}}");
    QCOMPARE(parsed->render({{"x", 1}}, partials), QStringLiteral("[v2 1]"));
}

void TestMustache::unknownPartial()
{
    const auto parsed = MustacheTemplate::parse(QStringLiteral("Hi\n  {{> missing}}!"));
    QVERIFY(parsed);
    QCOMPARE(parsed->render(json::object()), QStringLiteral("Hi\n  !"));
    QVERIFY(parsed->renderChecked(json::object()));

    ts::RenderOptions strict;
    strict.strictPartials = true;
    const auto checked = parsed->renderChecked(json::object(), {}, strict);
    QVERIFY(!checked);
    QCOMPARE(checked.error().line, 2);
    QCOMPARE(checked.error().column, 3);
    QCOMPARE(checked.error().message, QStringLiteral("Unknown partial \"missing\""));
    QVERIFY(checked.error().partial.isEmpty());

    // Inside an indented partial the position is in the partial's own source.
    const ts::PartialMap partials {{QStringLiteral("outer"), QStringLiteral("a\nb {{>nope}}\n")}};
    const auto nested = MustacheTemplate::parse(QStringLiteral("  {{>outer}}\n"));
    const auto error = nested->renderChecked(json::object(), partials, strict);
    QVERIFY(!error);
    QCOMPARE(error.error().partial, QStringLiteral("outer"));
    QCOMPARE(error.error().line, 2);
    QCOMPARE(error.error().column, 3);
}

void TestMustache::partialParseErrorNamesPartial()
{
    const ts::PartialMap partials {
        {QStringLiteral("rules"), QStringLiteral("Rules:\n{{#rules}}\n- {{.}}\n")}};
    const auto parsed = MustacheTemplate::parse(QStringLiteral("Intro\n   {{> rules}}\nEnd"));
    QVERIFY(parsed);
    const auto checked = parsed->renderChecked({{"rules", {"a"}}}, partials);
    QVERIFY(!checked);
    QCOMPARE(checked.error().partial, QStringLiteral("rules"));
    // Line and column in the partial as written, not in its indented copy.
    QCOMPARE(checked.error().line, 2);
    QCOMPARE(checked.error().column, 1);
    QCOMPARE(
        checked.error().toString(),
        QStringLiteral("partial \"rules\" 2:1: Section \"rules\" opened at 2:1 is never closed"));
    // Plain render() still renders the rest.
    QCOMPARE(parsed->render({{"rules", {"a"}}}, partials), QStringLiteral("Intro\nEnd"));
}

void TestMustache::runawayPartialRecursionStops()
{
    const ts::PartialMap partials {{QStringLiteral("self"), QStringLiteral("x{{> self}}")}};
    const auto parsed = MustacheTemplate::parse(QStringLiteral("{{> self}}"));
    QVERIFY(parsed);
    const auto checked = parsed->renderChecked(json::object(), partials);
    QVERIFY(!checked);
    QVERIFY(checked.error().message.contains(QStringLiteral("nested more than")));
    QCOMPARE(checked.error().partial, QStringLiteral("self"));
    QVERIFY(parsed->render(json::object(), partials).startsWith(QStringLiteral("xxxx")));
}

void TestMustache::parseOnceRenderMany()
{
    const auto parsed = MustacheTemplate::parse(QStringLiteral("Hello {{name}}!"));
    QVERIFY(parsed);
    const MustacheTemplate copy = *parsed;
    QCOMPARE(parsed->render({{"name", "Ada"}}), QStringLiteral("Hello Ada!"));
    QCOMPARE(copy.render({{"name", "Grace"}}), QStringLiteral("Hello Grace!"));
    QCOMPARE(copy.renderUtf8({{"name", "Linus"}}), std::string("Hello Linus!"));
    QCOMPARE(MustacheTemplate().render({{"name", "x"}}), QString());
}

void TestMustache::variablesTree()
{
    const auto parsed = MustacheTemplate::parse(QStringLiteral(
        "{{system}}\n{{! a comment {{ignored}} }}\n"
        "{{#examples}}{{input}} -> {{output.label}} {{.}}{{#tags}}{{.}}{{/tags}}{{/examples}}\n"
        "{{^history}}No history.{{/history}}\n"
        "{{user.name}} {{user.email}} {{{system}}} {{#.}}{{inRoot}}{{/.}}"));
    QVERIFY(parsed);
    const auto vars = parsed->variables();
    QCOMPARE(names(vars),
             (QStringList {QStringLiteral("system"), QStringLiteral("examples"),
                           QStringLiteral("history"), QStringLiteral("user"),
                           QStringLiteral("inRoot")}));

    const auto *system = findVariable(vars, QStringLiteral("system"));
    QCOMPARE(system->kind, TemplateVariable::Kind::Value);
    QCOMPARE(system->paths, QStringList {QStringLiteral("system")});

    const auto *examples = findVariable(vars, QStringLiteral("examples"));
    QCOMPARE(examples->kind, TemplateVariable::Kind::Section);
    // The implicit iterator is not a variable.
    QCOMPARE(
        names(examples->children),
        (QStringList {QStringLiteral("input"), QStringLiteral("output"), QStringLiteral("tags")}));
    const auto *output = findVariable(examples->children, QStringLiteral("output"));
    QCOMPARE(output->paths, QStringList {QStringLiteral("output.label")});
    QCOMPARE(findVariable(examples->children, QStringLiteral("tags"))->kind,
             TemplateVariable::Kind::Section);
    QVERIFY(findVariable(examples->children, QStringLiteral("tags"))->children.isEmpty());

    QCOMPARE(findVariable(vars, QStringLiteral("history"))->kind,
             TemplateVariable::Kind::InvertedSection);
    const auto *user = findVariable(vars, QStringLiteral("user"));
    QCOMPARE(user->kind, TemplateVariable::Kind::Value);
    QCOMPARE(user->paths,
             (QStringList {QStringLiteral("user.name"), QStringLiteral("user.email")}));

    // A name used both ways is a section.
    const auto both = MustacheTemplate::parse(
        QStringLiteral("{{^ctx}}none{{/ctx}}{{ctx}}{{#ctx}}{{ctx}}{{/ctx}}"));
    QCOMPARE(both->variables().size(), 1);
    QCOMPARE(both->variables().first().kind, TemplateVariable::Kind::Section);
}

void TestMustache::variablesFollowPartials()
{
    const ts::PartialMap partials {
        {QStringLiteral("footer"), QStringLiteral("{{signature}}{{> footer}}{{> header}}")},
        {QStringLiteral("header"), QStringLiteral("{{company}}")}};
    const auto parsed = MustacheTemplate::parse(QStringLiteral("{{> header}}{{body}}{{> footer}}"));
    QVERIFY(parsed);
    QCOMPARE(names(parsed->variables()), QStringList {QStringLiteral("body")});
    QCOMPARE(names(parsed->variables(partials)),
             (QStringList {QStringLiteral("company"), QStringLiteral("body"),
                           QStringLiteral("signature")}));
}

void TestMustache::partialNames()
{
    const auto parsed = MustacheTemplate::parse(
        QStringLiteral("{{> header}}{{#a}}{{>row}}{{/a}}{{> header}}{{=<% %>=}}<%> footer%>"));
    QVERIFY(parsed);
    QCOMPARE(
        parsed->partials(),
        (QStringList {QStringLiteral("header"), QStringLiteral("row"), QStringLiteral("footer")}));
}

void TestMustache::parseErrors_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");

    QTest::newRow("unclosed section")
        << QStringLiteral("Intro\n\n    {{#examples}}\n{{input}}\n") << 3 << 5
        << QStringLiteral("Section \"examples\" opened at 3:5 is never closed");
    QTest::newRow("unclosed inverted section")
        << QStringLiteral("{{^empty}}x") << 1 << 1
        << QStringLiteral("Inverted section \"empty\" opened at 1:1 is never closed");
    QTest::newRow("innermost unclosed section")
        << QStringLiteral("{{#a}}\n  {{#b}}\n") << 2 << 3
        << QStringLiteral("Section \"b\" opened at 2:3 is never closed");
    QTest::newRow("mismatched close")
        << QStringLiteral("{{#a}}\nx {{/b}}") << 2 << 3
        << QStringLiteral("Closing tag \"{{/b}}\" does not match section \"a\" opened at 1:1");
    QTest::newRow("close without open")
        << QStringLiteral("ok\nok {{/a}}") << 2 << 4
        << QStringLiteral("Closing tag \"{{/a}}\" has no open section");
    QTest::newRow("unclosed tag") << QStringLiteral("Hello {{name\nand more") << 1 << 7
                                  << QStringLiteral("Tag \"{{\" is never closed: expected \"}}\"");
    QTest::newRow("unclosed triple mustache")
        << QStringLiteral("x {{{raw}}") << 1 << 3
        << QStringLiteral("Tag \"{{{\" is never closed: expected \"}}}\"");
    QTest::newRow("set delimiter without =")
        << QStringLiteral("a\n{{=<% %>}}") << 2 << 1
        << QStringLiteral("Set-delimiter tag must end with \"=}}\", as in {{=<% %>=}}");
    QTest::newRow("set delimiter with one delimiter")
        << QStringLiteral("{{=<%=}}") << 1 << 1
        << QStringLiteral("Set-delimiter tag needs two delimiters separated by a space, as in "
                          "{{=<% %>=}}");
    QTest::newRow("set delimiter with three delimiters")
        << QStringLiteral("{{=<% %> x=}}") << 1 << 1
        << QStringLiteral("Set-delimiter tag needs two delimiters separated by a space, as in "
                          "{{=<% %>=}}");
    QTest::newRow("empty tag") << QStringLiteral("x{{ }}") << 1 << 2
                               << QStringLiteral("Tag has no name");
    QTest::newRow("empty section name")
        << QStringLiteral("{{#}}{{/}}") << 1 << 1 << QStringLiteral("Tag has no name");
    QTest::newRow("whitespace in name")
        << QStringLiteral("{{first name}}") << 1 << 1
        << QStringLiteral("Tag name \"first name\" contains whitespace");
    QTest::newRow("bad dotted name")
        << QStringLiteral("{{a..b}}") << 1 << 1
        << QStringLiteral("Invalid name \"a..b\": a dotted name needs a name on each side of "
                          "every dot");
    QTest::newRow("unsupported inheritance")
        << QStringLiteral("{{<base}}{{/base}}") << 1 << 1
        << QStringLiteral("Template inheritance ({{<parent}}, {{$block}}) is not supported");
    // Columns count code points: "é" is one column, and so is "🙂" (two UTF-16 units).
    QTest::newRow("column in code points")
        << QStringLiteral("héllo 🙂 {{/x}}") << 1 << 9
        << QStringLiteral("Closing tag \"{{/x}}\" has no open section");
    QTest::newRow("after set delimiters")
        << QStringLiteral("{{=<% %>=}}\nText\n <%#items%>") << 3 << 2
        << QStringLiteral("Section \"items\" opened at 3:2 is never closed");
    QTest::newRow("unclosed tag with custom delimiters")
        << QStringLiteral("{{=<% %>=}}<%name") << 1 << 12
        << QStringLiteral("Tag \"<%\" is never closed: expected \"%>\"");
}

void TestMustache::parseErrors()
{
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);

    const auto parsed = MustacheTemplate::parse(source);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().message, message);
    QCOMPARE(parsed.error().line, line);
    QCOMPARE(parsed.error().column, column);
    QVERIFY(parsed.error().partial.isEmpty());
}

void TestMustache::errorFormatting()
{
    const auto parsed = MustacheTemplate::parse(QStringLiteral("a\nb\n  {{#examples}}"));
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().toString(),
             QStringLiteral("3:3: Section \"examples\" opened at 3:3 is never closed"));
    const ts::Error error = parsed.error().toError();
    QCOMPARE(error.code, ts::ErrorCode::Template);
    QCOMPARE(error.message, parsed.error().toString());
}

QTEST_GUILESS_MAIN(TestMustache)
#include "test_mustache.moc"
